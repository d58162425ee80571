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
	empty     *[]string // keys of string properties read as "", kept by Save (emptystrings.go)
}

// ElementID is the relationship's element id, empty until it is written.
func (b *RelBase) ElementID() string { return b.elementID }

// RelType is the relationship's type, e.g. "KNOWS".
func (b *RelBase) RelType() string { return b.relType }

// StartID is the element id of the node the relationship starts at.
func (b *RelBase) StartID() string { return b.startID }

// EndID is the element id of the node the relationship ends at.
func (b *RelBase) EndID() string { return b.endID }

func (b *RelBase) relBase() *RelBase { return b }

// relEntity is any relationship model value: they all embed RelBase.
type relEntity interface{ relBase() *RelBase }

// RelInfo is what the runtime knows of a relationship model apart from its
// Go functions. RelType embeds it.
type RelInfo struct {
	Name  string
	Props []PropInfo
}

// RelType describes a relationship model (a struct of relationship
// properties) to the runtime. Generated code declares one per model; the
// fields mean what they mean on NodeType.
type RelType[M any] struct {
	RelInfo
	Encode   func(*M) (map[string]any, error)
	Decode   func(*M, *Decoder)
	Rules    func(*M, *Validator) // nil: none
	Defaults func(*M)             // defaults, on connect; nil: none
}

// AnyRelType is a *RelType[M] of any M.
type AnyRelType interface {
	info() *RelInfo
	newRel() relEntity
	encodeRel(any) (map[string]any, error)
	decodeRel(any, *Decoder)
	rulesRel(any, *Validator)
	defaultsRel(any)
}

func (t *RelType[M]) info() *RelInfo    { return &t.RelInfo }
func (t *RelType[M]) newRel() relEntity { return any(new(M)).(relEntity) }
func (t *RelType[M]) encodeRel(v any) (map[string]any, error) {
	if t.Encode == nil {
		return map[string]any{}, nil
	}
	return t.Encode(v.(*M))
}
func (t *RelType[M]) decodeRel(v any, d *Decoder) {
	if t.Decode != nil {
		t.Decode(v.(*M), d)
	}
}
func (t *RelType[M]) rulesRel(v any, val *Validator) {
	if t.Rules != nil {
		t.Rules(v.(*M), val)
	}
}
func (t *RelType[M]) defaultsRel(v any) {
	if t.Defaults != nil {
		t.Defaults(v.(*M))
	}
}

// Rel is the relationship model of relationships the schema gives none:
// just the relationship itself.
type Rel struct{ RelBase }

// PlainRel is the RelType of Rel.
var PlainRel = &RelType[Rel]{RelInfo: RelInfo{Name: "Rel"}}

// prepareRel applies defaults to, validates and encodes the properties
// given to a connect (props nil: a new zero value).
func prepareRel(t AnyRelType, props any) (map[string]any, error) {
	if props == nil {
		props = t.newRel()
	}
	t.defaultsRel(props)
	if err := validateRel(t, props); err != nil {
		return nil, err
	}
	return t.encodeRel(props)
}

func validateRel(t AnyRelType, v any) error {
	val := Validator{Type: t.info().Name, props: t.info().Props}
	t.rulesRel(v, &val)
	checkVectorLengths(val.props, func() (map[string]any, error) { return t.encodeRel(v) }, &val)
	return val.Err()
}

// SaveRel writes the changed properties of v, a relationship of model t
// (validated first). Generated Save methods call it.
func SaveRel[M any](ctx context.Context, t *RelType[M], v *M) error {
	return saveRel(ctx, t, v, any(v).(relEntity).relBase())
}

func saveRel(ctx context.Context, t AnyRelType, v any, b *RelBase) error {
	name := t.info().Name
	if b.elementID == "" || b.db == nil {
		return &NodeError{Op: "save", Type: name, Kind: ErrNotSaved}
	}
	if err := validateRel(t, v); err != nil {
		return err
	}
	props, err := t.encodeRel(v)
	if err != nil {
		return err
	}
	keepEmpty(props, b.empty)
	res, err := b.db.query(ctx, "save", writes, "MATCH ()-[r]->() WHERE elementId(r) = $id SET r += $props RETURN 1",
		map[string]any{"id": b.elementID, "props": props})
	if err == nil && len(res.Rows) == 0 {
		return &NodeError{Op: "save", Type: name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	if err == nil {
		b.empty = stillEmpty(b.empty, props)
	}
	return err
}
