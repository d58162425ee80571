package ogm

import (
	"context"
	"errors"
	"reflect"
	"slices"
)

// NodeInfo is what the runtime knows of a node type apart from its Go
// functions: names, labels and properties. NodeType embeds it.
type NodeInfo struct {
	Name     string   // Go type name, e.g. "Person"
	Label    string   // the label queries match: the type's own ("" for an abstract type without labels)
	Labels   []string // every label written: the inheritance chain, then extras
	Abstract bool     // no label of its own, no manager; a relationship target only
	// SemiStructured: the type keeps undeclared properties in its Extra
	// map, so Save replaces all the node's properties (a key removed from
	// Extra is removed from the node).
	SemiStructured bool
	Props          []PropInfo
	// Permissions are the custom permissions the type declares (auth).
	Permissions []Permission
	// Fulltext are the full-text indexes the type declares (fulltext:),
	// UniqueTogether its combinations of unique stored keys
	// (unique_together:); see nodeindexes.go.
	Fulltext       []FulltextInfo `json:",omitempty"`
	UniqueTogether [][]string     `json:",omitempty"`
}

// NodeType describes a generated node type to the runtime. Generated code
// declares one per node type (people.PersonType); applications use it only
// through the generated API.
//
// The runtime makes new values with new(T) and reaches their NodeBase
// through Entity, so a descriptor holds only what differs per type: the
// property codecs and the rules. A type that extends another calls its
// parent's functions from its own, so each property is encoded, decoded and
// checked by the code of the type that declares it.
type NodeType[T any] struct {
	NodeInfo
	// Encode returns the properties to store, keyed by stored name; a nil
	// value means "unset" (Save removes it). Nil: the type has no
	// properties.
	Encode func(*T) (map[string]any, error)
	// Decode sets the node's fields from the stored properties in d; d
	// remembers values that do not fit the declared type. Nil: the type
	// has no properties.
	Decode func(*T, *Decoder)
	// Rules checks the schema's rules (required, choices, lengths, …),
	// adding each violation to v. Nil: the type has none.
	Rules func(*T, *Validator)
	// Defaults applies defaults (literals, now, uuid) to a node about to be
	// created. Nil: the type has none.
	Defaults func(*T)
}

// AnyNodeType is a *NodeType[T] of any T, as the type-independent parts of
// the runtime (queries, relationships, the Registry) see it.
type AnyNodeType interface {
	info() *NodeInfo
	newEntity() Entity
	encodeEntity(Entity) (map[string]any, error)
	decodeEntity(Entity, *Decoder)
	rulesEntity(Entity, *Validator)
	defaultsEntity(Entity)
}

func (t *NodeType[T]) info() *NodeInfo   { return &t.NodeInfo }
func (t *NodeType[T]) newEntity() Entity { return any(new(T)).(Entity) }
func (t *NodeType[T]) encodeEntity(e Entity) (map[string]any, error) {
	if t.Encode == nil {
		return map[string]any{}, nil
	}
	return t.Encode(any(e).(*T))
}
func (t *NodeType[T]) decodeEntity(e Entity, d *Decoder) {
	if t.Decode != nil {
		t.Decode(any(e).(*T), d)
	}
}
func (t *NodeType[T]) rulesEntity(e Entity, v *Validator) {
	if t.Rules != nil {
		t.Rules(any(e).(*T), v)
	}
}
func (t *NodeType[T]) defaultsEntity(e Entity) {
	if t.Defaults != nil {
		t.Defaults(any(e).(*T))
	}
}

// entity is v, a pointer to a generated node struct, as the runtime handles
// it.
func entity[P any](v P) Entity { return any(v).(Entity) }

// The node operations of generated methods: jim.Save(ctx) is
// ogm.Save(ctx, PersonType, jim). They take the descriptor and the value as
// the type-independent AnyNodeType and Entity, so that nothing is compiled
// per generated type for them; generated code always passes a value of the
// descriptor's own type.

// Save writes v, a node of type t: it validates first and updates the
// node's properties, removing those set to their unset value (for a
// semi-structured type, also those no longer in Extra). A value that was
// never created has no database to be saved to: Save returns ErrNoDB with
// a hint to create it through the type's manager. It writes only into a
// node with t's label.
func Save(ctx context.Context, t AnyNodeType, v Entity) error { return saveNode(ctx, t, v) }

// SaveProps writes only the properties of v stored under keys, after
// checking only their rules: for a change that must not carry other,
// unchecked edits of the Go value with it, such as a password upgraded
// during a login.
func SaveProps(ctx context.Context, t AnyNodeType, v Entity, keys ...string) error {
	if err := usable(v.nodeBase(), "save", t.info().Name); err != nil {
		return err
	}
	if keys == nil {
		keys = []string{}
	}
	return writeNode(ctx, t, v, keys)
}

// Refresh reloads v's properties from the database.
func Refresh(ctx context.Context, t AnyNodeType, v Entity) error { return refreshNode(ctx, t, v) }

// Delete removes v and its relationships (DETACH DELETE). The Go value
// keeps its fields but can no longer be saved, refreshed or connected. A
// node that must keep a target (an accessor of cardinality one or
// one_or_more, registered by its package's Schema) is not left without:
// if deleting v would, Delete returns a *CardinalityError naming that node
// (NodeID) and v (in the hint) and deletes nothing; the check runs in the
// deleting transaction, with both nodes locked.
func Delete(ctx context.Context, t AnyNodeType, v Entity) error { return deleteNode(ctx, t, v) }

// Validate checks v against the rules of its type t.
func Validate(t AnyNodeType, v Entity) error { return validateNode(t, v) }

// FromModel loads the node behind m (a value of an ancestor type, such as
// the *auth.User that Authenticate returned) as a P, a value of type t:
// same node, the subclass's fields. Generated <Type>FromModel functions
// call it.
func FromModel[P any](ctx context.Context, t AnyNodeType, m Entity) (P, error) {
	e, err := fromModel(ctx, t, m)
	if err != nil {
		return zero[P](), err
	}
	return any(e).(P), nil
}

// validateNode runs t's rules on e.
func validateNode(t AnyNodeType, e Entity) error {
	v := Validator{Type: t.info().Name, props: t.info().Props}
	t.rulesEntity(e, &v)
	checkVectorLengths(v.props, func() (map[string]any, error) { return t.encodeEntity(e) }, &v)
	return v.Err()
}

func saveNode(ctx context.Context, t AnyNodeType, e Entity) error {
	b, name := e.nodeBase(), t.info().Name
	if b.deleted {
		return &NodeError{Op: "save", Type: name, ID: b.elementID, Kind: ErrDeleted}
	}
	if b.elementID == "" {
		if b.at == nil {
			return &NodeError{Op: "save", Type: name, Kind: ErrNoDB,
				Hint: "a new value has none to save to; create it with " + name + "Nodes(db).Create"}
		}
		return newQuery(b.at.db, t).create(ctx, []Entity{e})
	}
	if err := usable(b, "save", name); err != nil {
		return err
	}
	err := b.at.db.changing(ctx, func(u *undoLog) error {
		u.remember(e)
		if err := beforeSave(ctx, e); err != nil {
			return err
		}
		return writeNode(ctx, t, e, nil)
	})
	if err != nil {
		return err
	}
	return afterSave(ctx, e)
}

// writeNode updates a saved node (its callers have checked it is usable):
// every property when keys is nil, else only those stored under keys. It
// writes only into a node with the type's label, so that a value holding
// another node's element id cannot overwrite that node.
func writeNode(ctx context.Context, t AnyNodeType, e Entity, keys []string) error {
	b := e.nodeBase()
	if err := validateOnly(t, e, keys); err != nil {
		return err
	}
	props, err := t.encodeEntity(e)
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
	keepEmpty(props, b.empty)
	set := "SET n += $props "
	if keys == nil && t.info().SemiStructured {
		// The value holds every property of the node: one it no longer
		// has is one to remove (a nil value is not set, so is removed too).
		set = "SET n = $props "
	}
	res, err := b.at.db.query(ctx, "save", writes, nodeByID(t, "n")+set+"RETURN 1",
		map[string]any{"id": b.elementID, "props": props})
	if err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		return &NodeError{Op: "save", Type: t.info().Name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	b.empty = stillEmpty(b.empty, props)
	return nil
}

// nodeByID matches the node of type t with element id $id as v.
func nodeByID(t AnyNodeType, v string) string {
	return "MATCH (" + v + labelExpr([]string{t.info().Label}) + ") WHERE elementId(" + v + ") = $id "
}

// validateOnly validates e, keeping only violations of the properties
// stored under keys (all of them when keys is nil).
func validateOnly(t AnyNodeType, e Entity, keys []string) error {
	err := validateNode(t, e)
	var all ValidationErrors
	if keys == nil || !errors.As(err, &all) {
		return err
	}
	var kept ValidationErrors
	for _, ve := range all {
		for _, p := range t.info().Props {
			if p.Name == ve.Prop && slices.Contains(keys, p.Key) {
				kept = append(kept, ve)
			}
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

func refreshNode(ctx context.Context, t AnyNodeType, e Entity) error {
	b, name := e.nodeBase(), t.info().Name
	if err := usable(b, "refresh", name); err != nil {
		return err
	}
	res, err := b.at.db.query(ctx, "refresh", reads, nodeByID(t, "n")+"RETURN properties(n)",
		map[string]any{"id": b.elementID})
	if err != nil {
		return err
	}
	if len(res.Rows) == 0 {
		return &NodeError{Op: "refresh", Type: name, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	props, _ := res.Rows[0][0].(map[string]any)
	fresh := t.newEntity()
	d := Decoder{Type: name, Props: props, props: t.info().Props}
	t.decodeEntity(fresh, &d)
	if err := d.Err(); err != nil {
		return err
	}
	// The fresh fields replace the old ones wholesale (a property removed
	// in the database becomes unset here too); the binding stays.
	b.at.db.remember(ctx, e)
	keep := *b
	keep.empty = d.emptyRead()
	replace(e, fresh)
	*e.nodeBase() = keep
	return nil
}

func deleteNode(ctx context.Context, t AnyNodeType, e Entity) error {
	b := e.nodeBase()
	if err := usable(b, "delete", t.info().Name); err != nil {
		return err
	}
	db := b.at.db
	err := db.changing(ctx, func(u *undoLog) error {
		u.remember(e)
		if err := hook(e, func(h BeforeDeleter) error { return h.BeforeDelete(ctx) }); err != nil {
			return err
		}
		if err := db.run(ctx, "delete", writes, func(tx *txRunner) error { return detachDelete(ctx, tx, t, b) }); err != nil {
			return err
		}
		b.deleted = true
		return nil
	})
	if err != nil {
		return err
	}
	return hook(e, func(h AfterDeleter) error { return h.AfterDelete(ctx) })
}

// replace overwrites the value dst points to with the one src points to
// (both of the same generated type): Refresh and the merges hand the caller
// the stored state in the caller's own value. Reflection keeps this out of
// the per-type code; it runs once per call, not per row.
func replace(dst, src any) {
	reflect.ValueOf(dst).Elem().Set(reflect.ValueOf(src).Elem())
}
