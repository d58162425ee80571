package ogm

import (
	"context"
	"iter"
)

// Nodes is the manager and query builder of one node type: generated code
// returns one from <Type>Nodes(db) (neomodel's Person.nodes). Filter,
// Exclude, OrderBy, Limit, Skip and FetchRelations return a new *Nodes and
// leave the receiver unchanged, so a *Nodes can be shared and reused.
//
// P is a pointer to a generated node struct (*people.Person). Its methods
// only convert between P and the runtime's type-independent query (see
// query.go); keep them that way, since every method here is compiled once
// per generated type. (Pointer type arguments let all instantiations share
// one compiled body per method, with only a small wrapper per type.)
type Nodes[P any] struct{ q *query }

// NewNodes returns the manager of the nodes of typ on db, as values of P
// (the pointer to typ's struct). Generated code wraps it as
// <Type>Nodes(db).
func NewNodes[P any](db *DB, typ AnyNodeType) *Nodes[P] {
	return &Nodes[P]{q: newQuery(db, typ)}
}

// Filter keeps the nodes for which every pred holds.
func (n *Nodes[P]) Filter(preds ...Pred[P]) *Nodes[P] { return &Nodes[P]{n.q.filter(conds(preds))} }

// Exclude drops the nodes for which every pred holds.
func (n *Nodes[P]) Exclude(preds ...Pred[P]) *Nodes[P] { return &Nodes[P]{n.q.exclude(conds(preds))} }

// OrderBy sorts the result; later calls add tie-breakers.
func (n *Nodes[P]) OrderBy(orders ...Order[P]) *Nodes[P] {
	items := make([]orderItem, len(orders))
	for i, o := range orders {
		items[i] = o.item
	}
	return &Nodes[P]{n.q.orderBy(items)}
}

// Limit returns at most k nodes.
func (n *Nodes[P]) Limit(k int) *Nodes[P] { return &Nodes[P]{n.q.window(n.q.skip, k)} }

// Skip leaves out the first k nodes.
func (n *Nodes[P]) Skip(k int) *Nodes[P] { return &Nodes[P]{n.q.window(k, n.q.limit)} }

// FetchRelations loads the nodes at the end of each path, and every node
// along it, in the same query as the nodes themselves (no N+1): the results
// are in each node's Fetched field. A path without Optional also filters:
// only nodes that have it are returned. Fetch several relationships of the
// targets with With: people.PersonCity.With(people.CityCountry).
//
// When every relationship fetched is to-one (zero_or_one, one), All, Get
// and First return the targets as flat columns of MATCH and OPTIONAL MATCH
// clauses, as hand-written Cypher would; otherwise (and in Iter) each node
// has a row with nested lists. Either way a to-one relationship stored more
// than once is reported as a *CardinalityError.
func (n *Nodes[P]) FetchRelations(paths ...Fetchable[P]) *Nodes[P] {
	nodes := make([]*fetchNode, len(paths))
	for i, p := range paths {
		nodes[i] = p.fetchNode(zero[P]())
	}
	return &Nodes[P]{n.q.fetch(nodes)}
}

// All returns every matching node. Rows are decoded as they arrive.
func (n *Nodes[P]) All(ctx context.Context) ([]P, error) {
	out := []P{}
	err := n.q.each(ctx, "all", n.q.limit, func(e Entity) { out = append(out, any(e).(P)) }, func() { out = out[:0] })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Iter streams the matching nodes: rows are decoded and handed to the loop
// as the server sends them, so a large result is never held in memory at
// once. Breaking out of the loop ends the query. The query runs in a read
// transaction of its own that stays open while the loop runs; inside
// DB.Read or DB.Write (whose transaction runs one query at a time) Iter
// loads the result first, so the loop body may use the transaction.
//
// The loop holds one of the pool's connections. An ogm call in the loop
// body (outside DB.Read and DB.Write) needs another: with every connection
// held by such loops it waits the acquire timeout and fails with
// ErrPoolExhausted. Where the body queries the database, load the nodes
// with All first, or run the loop inside DB.Read.
//
//	for p, err := range people.PersonNodes(db).Iter(ctx) {
//		if err != nil {
//			return err
//		}
//		…
//	}
func (n *Nodes[P]) Iter(ctx context.Context) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		n.q.iter(ctx, func(e Entity, err error) bool {
			v, _ := any(e).(P)
			return yield(v, err)
		})
	}
}

// Get returns the one node matching preds (and the query's filters). It
// fails with ErrDoesNotExist or ErrMultipleNodes.
func (n *Nodes[P]) Get(ctx context.Context, preds ...Pred[P]) (P, error) {
	e, err := n.q.one(ctx, "get", conds(preds))
	if err == nil && e == nil {
		return zero[P](), &NodeError{Op: "get", Type: n.q.typeName(), Kind: ErrDoesNotExist}
	}
	v, _ := any(e).(P)
	return v, err
}

// GetByElementID returns the node whose element id is id, for ids that come
// from URLs and API requests: one query, with the set's FetchRelations. The
// node must be one of the set's: of the manager's type (its label; a
// subtype's node is one) and matching the set's filters. Any other id (of
// another type's node, deleted, malformed) is ErrDoesNotExist, so a handler
// can answer 404 without telling which.
func (n *Nodes[P]) GetByElementID(ctx context.Context, id string) (P, error) {
	e, err := n.q.one(ctx, "get", []cond{elementIs(id)})
	if err == nil && e == nil {
		return zero[P](), &NodeError{Op: "get", Type: n.q.typeName(), ID: id, Kind: ErrDoesNotExist}
	}
	v, _ := any(e).(P)
	return v, err
}

// GetOrNone is Get returning nil, nil when no node matches.
func (n *Nodes[P]) GetOrNone(ctx context.Context, preds ...Pred[P]) (P, error) {
	e, err := n.q.one(ctx, "get", conds(preds))
	v, _ := any(e).(P)
	return v, err
}

// First returns the first node matching preds (and the query's filters) in
// the query's order (unspecified without OrderBy), or ErrDoesNotExist.
func (n *Nodes[P]) First(ctx context.Context, preds ...Pred[P]) (P, error) {
	e, err := n.q.one(ctx, "first", conds(preds))
	if err == nil && e == nil {
		return zero[P](), &NodeError{Op: "first", Type: n.q.typeName(), Kind: ErrDoesNotExist}
	}
	v, _ := any(e).(P)
	return v, err
}

// FirstOrNone is First returning nil, nil when no node matches.
func (n *Nodes[P]) FirstOrNone(ctx context.Context, preds ...Pred[P]) (P, error) {
	e, err := n.q.one(ctx, "first", conds(preds))
	v, _ := any(e).(P)
	return v, err
}

// Count returns the number of matching nodes (Skip and Limit apply).
func (n *Nodes[P]) Count(ctx context.Context) (int, error) { return n.q.count(ctx) }

// Exists reports whether any node matches.
func (n *Nodes[P]) Exists(ctx context.Context) (bool, error) { return n.q.exists(ctx) }

// Contains reports whether v is among the matching nodes (neomodel's
// `node in Person.nodes`).
func (n *Nodes[P]) Contains(ctx context.Context, v P) (bool, error) {
	return n.q.contains(ctx, entity(v))
}

// ElementIDs returns the element ids of the matching nodes without loading
// their properties (neomodel's lazy=True).
func (n *Nodes[P]) ElementIDs(ctx context.Context) ([]string, error) { return n.q.elementIDs(ctx) }

// Create validates v, applies its defaults, writes it with all the labels of
// its type and binds it to the database. It returns v.
func (n *Nodes[P]) Create(ctx context.Context, v P) (P, error) {
	if err := n.q.create(ctx, []Entity{entity(v)}); err != nil {
		return zero[P](), err
	}
	return v, nil
}

// CreateMany creates nodes in one query (UNWIND): all or none are written.
func (n *Nodes[P]) CreateMany(ctx context.Context, nodes []P) error {
	return n.q.create(ctx, entities(nodes))
}

// GetOrCreate returns the stored node that has v's key, creating v when
// there is none (neomodel's get_or_create). The key is v's unique and
// required properties that are set before defaults apply: a uid (or any
// default) the call would generate is never part of it, so calling
// GetOrCreate twice with the same values gives one node (neomodel issues
// 788 and 812). v itself is bound to the node and, when the node existed,
// filled with its stored values. Concurrent calls cannot create two nodes
// when a unique constraint covers the key (install-labels creates them);
// without one, the database's MERGE gives no such promise.
func (n *Nodes[P]) GetOrCreate(ctx context.Context, v P) (P, error) {
	if err := n.q.merge(ctx, "get or create", []Entity{entity(v)}, false); err != nil {
		return zero[P](), err
	}
	return v, nil
}

// GetOrCreateMany is GetOrCreate for many nodes, in one query per set of
// key properties (UNWIND), all in one transaction.
func (n *Nodes[P]) GetOrCreateMany(ctx context.Context, nodes []P) error {
	return n.q.merge(ctx, "get or create", entities(nodes), false)
}

// CreateOrUpdate creates v, or updates the stored node with v's key (see
// GetOrCreate) with every property of v (neomodel's create_or_update).
// Defaults fill only a node being created: an existing node keeps its uid.
func (n *Nodes[P]) CreateOrUpdate(ctx context.Context, v P) (P, error) {
	if err := n.q.merge(ctx, "create or update", []Entity{entity(v)}, true); err != nil {
		return zero[P](), err
	}
	return v, nil
}

// CreateOrUpdateMany is CreateOrUpdate for many nodes, in one query per set
// of key properties (UNWIND), all in one transaction.
func (n *Nodes[P]) CreateOrUpdateMany(ctx context.Context, nodes []P) error {
	return n.q.merge(ctx, "create or update", entities(nodes), true)
}

// entities converts generated values (pointers to generated structs) for
// the runtime.
func entities[P any](vs []P) []Entity {
	out := make([]Entity, len(vs))
	for i, v := range vs {
		out[i] = entity(v)
	}
	return out
}

// typed converts the runtime's values back.
func typed[P any](es []Entity) []P {
	out := make([]P, len(es))
	for i, e := range es {
		out[i] = any(e).(P)
	}
	return out
}

// zero is the zero value of P (a nil pointer).
func zero[P any]() (z P) { return z }

// Statement returns the query All would send (with its FetchRelations),
// without running it: for logs and reviews. Every value is in Params.
func (n *Nodes[P]) Statement() (Statement, error) { return n.q.statement() }

// Explain returns the server's plan for the query All would send, without
// running it.
func (n *Nodes[P]) Explain(ctx context.Context) (*Plan, error) { return n.q.explain(ctx, false) }

// Profile runs the query All would send with PROFILE (in a read
// transaction) and returns its plan with the rows and database hits of
// each operator; the nodes are not decoded.
func (n *Nodes[P]) Profile(ctx context.Context) (*Plan, error) { return n.q.explain(ctx, true) }
