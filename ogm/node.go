package ogm

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Errors of node operations, for errors.Is.
var (
	// ErrDoesNotExist: Get found no node, or Refresh found the node gone.
	ErrDoesNotExist = errors.New("node does not exist")
	// ErrMultipleNodes: Get matched more than one node.
	ErrMultipleNodes = errors.New("more than one node matched")
	// ErrNotSaved: the node has not been created in the database yet.
	ErrNotSaved = errors.New("node not saved")
	// ErrDeleted: the node was deleted; it can no longer be saved, refreshed
	// or connected.
	ErrDeleted = errors.New("node deleted")
	// ErrNoDB: the node was not created or loaded through a *DB, so Save and
	// friends do not know where to write (use <Type>Nodes(db).Create).
	ErrNoDB = errors.New("node not bound to a database")
)

// NodeBase is embedded in every generated node struct. It holds what the
// runtime knows of the stored node: its element id and the *DB it came from.
type NodeBase struct {
	elementID string
	db        *DB
	deleted   bool
	labels    []string // as last read from the database
}

// Labels are the node's labels as last read from the database (nil for a
// node created through this value: its type's labels are what was written).
func (b *NodeBase) Labels() []string { return b.labels }

// ElementID is the node's element id, empty until the node is saved.
func (b *NodeBase) ElementID() string { return b.elementID }

// IsSaved reports whether the node exists in the database (it was created
// or loaded, and not deleted since).
func (b *NodeBase) IsSaved() bool { return b.elementID != "" && !b.deleted }

// IsDeleted reports whether Delete removed the node.
func (b *NodeBase) IsDeleted() bool { return b.deleted }

// bind records where the node lives.
func (b *NodeBase) bind(db *DB, elementID string) {
	b.db, b.elementID, b.deleted = db, elementID, false
}

// usable checks that the node can be written to or read back.
func (b *NodeBase) usable(op, typ string) error {
	switch {
	case b.deleted:
		return &NodeError{Op: op, Type: typ, ID: b.elementID, Kind: ErrDeleted}
	case b.elementID == "":
		return &NodeError{Op: op, Type: typ, Kind: ErrNotSaved}
	case b.db == nil:
		return &NodeError{Op: op, Type: typ, ID: b.elementID, Kind: ErrNoDB}
	}
	return nil
}

// NodeError is a node operation that failed for a reason of the node's own
// (not found, several found, not saved, deleted). Match Kind with errors.Is.
type NodeError struct {
	Op   string // "get", "save", "refresh", …
	Type string // the node type, e.g. "Person"
	ID   string // element id, when known
	Kind error
}

// Error implements error.
func (e *NodeError) Error() string {
	s := fmt.Sprintf("ogm: %s %s", e.Op, e.Type)
	if e.ID != "" {
		s += " " + e.ID
	}
	return s + ": " + e.Kind.Error()
}

// Is makes errors.Is(err, ogm.ErrDoesNotExist) and the like match.
func (e *NodeError) Is(target error) bool { return e.Kind == target }

// NodeType describes a generated node type to the runtime. Generated code
// declares one per node type (people.PersonType); applications use it only
// through the generated API.
type NodeType[T any] struct {
	Name   string   // Go type name, e.g. "Person"
	Label  string   // the label queries match: the type's own
	Labels []string // every label written: the inheritance chain, then extras
	Props  []PropInfo

	// New returns a zero node.
	New func() *T
	// Base returns the node's embedded NodeBase.
	Base func(*T) *NodeBase
	// Encode returns the properties to store, keyed by stored name; a nil
	// value means "unset" (Save removes it).
	Encode func(*T) (map[string]any, error)
	// Decode sets the node's fields from stored properties, reporting values
	// that do not fit the declared type.
	Decode func(*T, map[string]any) error
	// Validate checks the node before any write.
	Validate func(*T) error
	// Init applies defaults (literals, now, uuid) to a node about to be
	// created.
	Init func(*T)
}

// PropInfo describes one declared property, for validation messages,
// install-labels and inspection.
type PropInfo struct {
	Name     string    // schema name, e.g. "first_name"
	Key      string    // stored key (db_property, or Name)
	Type     string    // schema type, e.g. "string", "[int]"
	Required bool      // must be set
	Unique   bool      // uniqueness constraint
	Index    IndexKind // index to create, if any
}

// IndexKind is the index a property asks for.
type IndexKind string

// The index kinds of the schema language.
const (
	NoIndex       IndexKind = ""
	RangeIndex    IndexKind = "range"
	TextIndex     IndexKind = "text"
	FulltextIndex IndexKind = "fulltext"
)

// load turns a driver node into a *T bound to db.
func (t *NodeType[T]) load(db *DB, n Node) (*T, error) {
	v := t.New()
	if err := t.Decode(v, n.Props); err != nil {
		return nil, err
	}
	b := t.Base(v)
	b.bind(db, n.ElementId)
	b.labels = n.Labels
	return v, nil
}

// Save writes the node: it validates first, creates the node when it is not
// saved yet (with defaults applied) and otherwise updates its properties,
// removing those set to their unset value.
func (t *NodeType[T]) Save(ctx context.Context, v *T) error {
	b := t.Base(v)
	if b.deleted {
		return &NodeError{Op: "save", Type: t.Name, ID: b.elementID, Kind: ErrDeleted}
	}
	if b.elementID == "" {
		if b.db == nil {
			return &NodeError{Op: "save", Type: t.Name, Kind: ErrNoDB}
		}
		_, err := NewNodes(b.db, t).Create(ctx, v)
		return err
	}
	if err := b.usable("save", t.Name); err != nil {
		return err
	}
	if err := beforeSave(ctx, v); err != nil {
		return err
	}
	if err := t.write(ctx, v, nil); err != nil {
		return err
	}
	return afterSave(ctx, v)
}

// SaveProps writes only the properties stored under keys, after checking
// only their rules: for a change that must not carry other, unchecked edits
// of the Go value with it, such as a password upgraded during a login.
func (t *NodeType[T]) SaveProps(ctx context.Context, v *T, keys ...string) error {
	if err := t.Base(v).usable("save", t.Name); err != nil {
		return err
	}
	if keys == nil {
		keys = []string{}
	}
	return t.write(ctx, v, keys)
}

// write updates a saved node (its callers have checked it is usable):
// every property when keys is nil, else only those stored under keys.
func (t *NodeType[T]) write(ctx context.Context, v *T, keys []string) error {
	b := t.Base(v)
	if err := t.validateOnly(v, keys); err != nil {
		return err
	}
	props, err := t.Encode(v)
	if err != nil {
		return err
	}
	if keys != nil {
		some := make(map[string]any, len(keys))
		for _, k := range keys {
			some[k] = props[k]
		}
		props = some
	}
	res, err := b.db.query(ctx, "save", writes, "MATCH (n) WHERE elementId(n) = $id SET n += $props RETURN 1",
		map[string]any{"id": b.elementID, "props": props})
	if err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		return &NodeError{Op: "save", Type: t.Name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	return nil
}

// validateOnly validates v, keeping only violations of the properties
// stored under keys (all of them when keys is nil).
func (t *NodeType[T]) validateOnly(v *T, keys []string) error {
	err := t.Validate(v)
	var all ValidationErrors
	if keys == nil || !errors.As(err, &all) {
		return err
	}
	var kept ValidationErrors
	for _, e := range all {
		for _, p := range t.Props {
			if p.Name == e.Prop && slices.Contains(keys, p.Key) {
				kept = append(kept, e)
			}
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// Refresh reloads the node's properties from the database.
func (t *NodeType[T]) Refresh(ctx context.Context, v *T) error {
	b := t.Base(v)
	if err := b.usable("refresh", t.Name); err != nil {
		return err
	}
	res, err := b.db.query(ctx, "refresh", reads, "MATCH (n) WHERE elementId(n) = $id RETURN properties(n)",
		map[string]any{"id": b.elementID})
	if err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		return &NodeError{Op: "refresh", Type: t.Name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	props, _ := res.Rows[0][0].(map[string]any)
	fresh := t.New()
	if err := t.Decode(fresh, props); err != nil {
		return err
	}
	*t.Base(fresh) = *b
	*v = *fresh
	return nil
}

// Delete removes the node and its relationships (DETACH DELETE). The Go
// value keeps its fields but can no longer be saved, refreshed or connected.
func (t *NodeType[T]) Delete(ctx context.Context, v *T) error {
	b := t.Base(v)
	if err := b.usable("delete", t.Name); err != nil {
		return err
	}
	if err := hook(v, func(h BeforeDeleter) error { return h.BeforeDelete(ctx) }); err != nil {
		return err
	}
	if _, err := b.db.query(ctx, "delete", writes, "MATCH (n) WHERE elementId(n) = $id DETACH DELETE n", map[string]any{"id": b.elementID}); err != nil {
		return err
	}
	b.deleted = true
	return hook(v, func(h AfterDeleter) error { return h.AfterDelete(ctx) })
}
