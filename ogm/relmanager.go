package ogm

import (
	"context"
	"reflect"
)

// RelManager manages one node's relationship of one kind: generated
// accessors return it (jim.Country()). To is the target node type, M the
// relationship model (*Rel when the schema names none), both pointers to
// generated structs.
//
// Like Nodes, it only converts between the generated types and the
// type-independent relationship core (relcore.go): its methods are compiled
// once per pair of target type and model.
type RelManager[To, M any] struct{ r *relCore }

// NewRelManager is for generated accessors: the manager of rel (whose
// Target is To's type and whose Model is M's, or nil for *Rel) on the node
// behind from.
func NewRelManager[To, M any](from *NodeBase, rel *RelSpec) *RelManager[To, M] {
	model := rel.Model
	if model == nil {
		model = PlainRel
	}
	return &RelManager[To, M]{&relCore{from: from, rel: rel, target: rel.Target, model: model}}
}

// Connect creates the relationship to target, with props when the
// relationship has a model (defaults applied, validated first). It checks
// the cardinality of both ends in the same transaction as the write, so
// concurrent connects cannot exceed it.
//
// The MERGE rule: two nodes have at most one relationship of an accessor,
// so Connect to a node already connected changes nothing (not even the
// properties: change them with Relationship and Save). A relationship
// declared with `multiple: true` is created anew by every Connect (one per
// purchase, visit, …; AllRelationships lists them). zero_or_one and one
// refuse a second Connect instead, even to the same node.
func (m *RelManager[To, M]) Connect(ctx context.Context, target To, props ...M) error {
	return m.r.connectOne(ctx, entity(target), firstModel(props))
}

// Disconnect removes every relationship of this kind between the node and
// target. It refuses to remove the last one of a one/one_or_more
// relationship.
func (m *RelManager[To, M]) Disconnect(ctx context.Context, target To) error {
	return m.r.disconnectFrom(ctx, entity(target))
}

// DisconnectAll removes every relationship of this kind from the node.
func (m *RelManager[To, M]) DisconnectAll(ctx context.Context) error { return m.r.disconnectAll(ctx) }

// Reconnect moves the relationship from old to new, keeping its
// properties, in one transaction.
func (m *RelManager[To, M]) Reconnect(ctx context.Context, old, new To) error {
	return m.r.reconnect(ctx, entity(old), entity(new))
}

// Replace removes every relationship of this kind from the node and
// connects it to target instead, in one transaction.
func (m *RelManager[To, M]) Replace(ctx context.Context, target To, props ...M) error {
	return m.r.replace(ctx, entity(target), firstModel(props))
}

// IsConnected reports whether the node and target are connected by this
// relationship.
func (m *RelManager[To, M]) IsConnected(ctx context.Context, target To) (bool, error) {
	return m.r.isConnected(ctx, entity(target))
}

// All returns every target. When the stored relationships break the
// cardinality (a one relationship written twice behind gonode's back), it
// returns the targets found with a *CardinalityError, so that the caller
// can repair them.
func (m *RelManager[To, M]) All(ctx context.Context) ([]To, error) {
	es, err := m.r.all(ctx)
	if es == nil {
		return nil, err
	}
	return typed[To](es), err
}

// Single returns the one target: nil when there is none (zero_or_one,
// zero_or_more), a *CardinalityError when a one relationship has none or a
// to-one relationship has several.
func (m *RelManager[To, M]) Single(ctx context.Context) (To, error) {
	e, err := m.r.single(ctx)
	v, _ := any(e).(To)
	return v, err
}

// Get returns the one target matching preds, or ErrDoesNotExist /
// ErrMultipleNodes.
func (m *RelManager[To, M]) Get(ctx context.Context, preds ...Pred[To]) (To, error) {
	if err := m.r.check("get"); err != nil {
		return zero[To](), err
	}
	return (&Nodes[To]{m.r.nodes(nil)}).Get(ctx, preds...)
}

// Filter queries the targets matching preds.
func (m *RelManager[To, M]) Filter(preds ...Pred[To]) *Nodes[To] {
	return &Nodes[To]{m.r.nodes(nil).filter(conds(preds))}
}

// Exclude queries the targets not matching preds.
func (m *RelManager[To, M]) Exclude(preds ...Pred[To]) *Nodes[To] {
	return &Nodes[To]{m.r.nodes(nil).exclude(conds(preds))}
}

// OrderBy queries the targets in order.
func (m *RelManager[To, M]) OrderBy(orders ...Order[To]) *Nodes[To] {
	return (&Nodes[To]{m.r.nodes(nil)}).OrderBy(orders...)
}

// Match queries the targets whose relationship satisfies preds (conditions
// on the relationship model's properties).
func (m *RelManager[To, M]) Match(preds ...Pred[M]) *Nodes[To] {
	return &Nodes[To]{m.r.nodes(conds(preds))}
}

// Count returns the number of targets.
func (m *RelManager[To, M]) Count(ctx context.Context) (int, error) { return m.r.count(ctx) }

// Relationship returns the relationship between the node and target (the
// first, when there are several), or ErrNotConnected.
func (m *RelManager[To, M]) Relationship(ctx context.Context, target To) (M, error) {
	rels, err := m.r.relationships(ctx, "relationship", entity(target), 1)
	if err != nil {
		return zero[M](), err
	}
	if len(rels) == 0 {
		return zero[M](), &NodeError{Op: "relationship", Type: m.r.target.info().Name, Kind: ErrNotConnected}
	}
	return rels[0].(M), nil
}

// AllRelationships returns every relationship of this kind between the node
// and target.
func (m *RelManager[To, M]) AllRelationships(ctx context.Context, target To) ([]M, error) {
	rels, err := m.r.relationships(ctx, "all relationships", entity(target), 0)
	if err != nil {
		return nil, err
	}
	out := make([]M, len(rels))
	for i, r := range rels {
		out[i] = r.(M)
	}
	return out, nil
}

// GetOrCreate returns the target connected to this node that has v's key
// (see Nodes.GetOrCreate); when there is none, it gets or creates that node
// and connects it, with props, checking cardinality as Connect does
// (neomodel's get_or_create(..., relationship=rel)). All in one
// transaction.
func (m *RelManager[To, M]) GetOrCreate(ctx context.Context, v To, props ...M) (To, error) {
	if err := m.r.getOrCreate(ctx, entity(v), firstModel(props)); err != nil {
		return zero[To](), err
	}
	return v, nil
}

// firstModel is the optional relationship properties of a connect, as the
// core takes them (nil: none given, or a nil pointer).
func firstModel[M any](props []M) any {
	if len(props) == 0 {
		return nil
	}
	if v := reflect.ValueOf(props[0]); !v.IsValid() || v.IsNil() {
		return nil
	}
	return props[0]
}
