package ogm

import "context"

// RelBase is embedded in every relationship model struct: the stored
// relationship's element id, type and ends.
type RelBase struct {
	elementID string
	relType   string
	startID   string
	endID     string
	db        *DB
}

// ElementID is the relationship's element id, empty until it is written.
func (b *RelBase) ElementID() string { return b.elementID }

// RelType is the relationship's type, e.g. "KNOWS".
func (b *RelBase) RelType() string { return b.relType }

// StartID is the element id of the node the relationship starts at.
func (b *RelBase) StartID() string { return b.startID }

// EndID is the element id of the node the relationship ends at.
func (b *RelBase) EndID() string { return b.endID }

// RelType describes a relationship model (a struct of relationship
// properties) to the runtime. Generated code declares one per model.
type RelType[M any] struct {
	Name     string
	Props    []PropInfo
	New      func() *M
	Base     func(*M) *RelBase
	Encode   func(*M) (map[string]any, error)
	Decode   func(*M, map[string]any) error
	Validate func(*M) error
	Init     func(*M) // defaults, on connect
}

// Rel is the relationship model of relationships the schema gives none:
// just the relationship itself.
type Rel struct{ RelBase }

// PlainRel is the RelType of Rel.
var PlainRel = &RelType[Rel]{
	Name:     "Rel",
	New:      func() *Rel { return &Rel{} },
	Base:     func(r *Rel) *RelBase { return &r.RelBase },
	Encode:   func(*Rel) (map[string]any, error) { return map[string]any{}, nil },
	Decode:   func(*Rel, map[string]any) error { return nil },
	Validate: func(*Rel) error { return nil },
	Init:     func(*Rel) {},
}

// prepare applies defaults to, validates and encodes the optional properties
// given to a connect.
func (t *RelType[M]) prepare(props []*M) (map[string]any, error) {
	var v *M
	if len(props) > 0 && props[0] != nil {
		v = props[0]
	} else {
		v = t.New()
	}
	t.Init(v)
	if err := t.Validate(v); err != nil {
		return nil, err
	}
	return t.Encode(v)
}

func (t *RelType[M]) load(db *DB, r Relationship) (*M, error) {
	v := t.New()
	if err := t.Decode(v, r.Props); err != nil {
		return nil, err
	}
	*t.Base(v) = RelBase{elementID: r.ElementId, relType: r.Type, startID: r.StartElementId, endID: r.EndElementId, db: db}
	return v, nil
}

// Save writes the relationship's changed properties (validated first).
func (t *RelType[M]) Save(ctx context.Context, v *M) error {
	b := t.Base(v)
	if b.elementID == "" || b.db == nil {
		return &NodeError{Op: "save", Type: t.Name, Kind: ErrNotSaved}
	}
	if err := t.Validate(v); err != nil {
		return err
	}
	props, err := t.Encode(v)
	if err != nil {
		return err
	}
	res, err := b.db.query(ctx, "save", writes, "MATCH ()-[r]->() WHERE elementId(r) = $id SET r += $props RETURN 1",
		map[string]any{"id": b.elementID, "props": props})
	if err == nil && len(res.Rows) == 0 {
		return &NodeError{Op: "save", Type: t.Name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	return err
}
