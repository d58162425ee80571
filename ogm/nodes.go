package ogm

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// Nodes is the manager and query builder of one node type: generated code
// returns one from <Type>Nodes(db) (neomodel's Person.nodes). Filter,
// Exclude, OrderBy, Limit, Skip and FetchRelations return a new *Nodes and
// leave the receiver unchanged, so a *Nodes can be shared and reused.
type Nodes[T any] struct {
	db      *DB
	typ     *NodeType[T]
	where   []cond
	orders  []orderItem
	skip    int
	limit   int // 0: no limit
	fetches []fetchSpec
	scope   source // set when the query starts elsewhere: a relationship manager, Traverse
}

// source renders the MATCH that binds the candidate nodes to variable v,
// for queries that do not start at all nodes of a label.
type source interface {
	match(p *params, label, v string) string
}

type orderItem struct {
	key    string
	desc   bool
	random bool
}

// NewNodes returns the manager of typ on db. Generated code wraps it as
// <Type>Nodes(db).
func NewNodes[T any](db *DB, typ *NodeType[T]) *Nodes[T] {
	return &Nodes[T]{db: db, typ: typ}
}

func (n *Nodes[T]) clone() *Nodes[T] {
	c := *n
	c.where = append([]cond(nil), n.where...)
	c.orders = append([]orderItem(nil), n.orders...)
	c.fetches = append([]fetchSpec(nil), n.fetches...)
	return &c
}

// Filter keeps the nodes for which every pred holds.
func (n *Nodes[T]) Filter(preds ...Pred[T]) *Nodes[T] {
	c := n.clone()
	c.where = append(c.where, conds(preds)...)
	return c
}

// Exclude drops the nodes for which every pred holds.
func (n *Nodes[T]) Exclude(preds ...Pred[T]) *Nodes[T] {
	c := n.clone()
	c.where = append(c.where, notCond{joinCond{"AND", conds(preds)}})
	return c
}

// OrderBy sorts the result; later calls add tie-breakers.
func (n *Nodes[T]) OrderBy(orders ...Order[T]) *Nodes[T] {
	c := n.clone()
	for _, o := range orders {
		c.orders = append(c.orders, orderItem{o.key, o.desc, o.random})
	}
	return c
}

// Limit returns at most k nodes.
func (n *Nodes[T]) Limit(k int) *Nodes[T] {
	c := n.clone()
	c.limit = k
	return c
}

// Skip leaves out the first k nodes.
func (n *Nodes[T]) Skip(k int) *Nodes[T] {
	c := n.clone()
	c.skip = k
	return c
}

// match builds "MATCH … WHERE …" binding the nodes to variable n.
func (n *Nodes[T]) match(p *params) string { return n.matchVar(p, "n") }

// matchVar is match binding the nodes to variable v.
func (n *Nodes[T]) matchVar(p *params, v string) string {
	var b strings.Builder
	if n.scope != nil {
		b.WriteString(n.scope.match(p, n.typ.Label, v))
	} else {
		b.WriteString("MATCH (" + v)
		b.WriteString(labelExpr([]string{n.typ.Label}))
		b.WriteString(")")
	}
	if len(n.where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(joinCond{"AND", n.where}.cypher(p, v))
	}
	return b.String()
}

// tail builds ORDER BY / SKIP / LIMIT over variable n.
func (n *Nodes[T]) tail(p *params) string { return n.tailVar(p, "n") }

// tailVar is tail over variable v.
func (n *Nodes[T]) tailVar(p *params, v string) string {
	return n.orderBy(func(_ int, o orderItem) string { return o.expr(v) }) + n.window(p)
}

// expr is what the order sorts by, for the node in variable v.
func (o orderItem) expr(v string) string {
	if o.random {
		return "rand()"
	}
	return v + "." + Quote(o.key)
}

// orderBy renders ORDER BY over the query's orders, the i-th sorting by
// key(i, order); "" when there are none.
func (n *Nodes[T]) orderBy(key func(int, orderItem) string) string {
	var b strings.Builder
	for i, o := range n.orders {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(key(i, o))
		if o.desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

// window renders SKIP and LIMIT.
func (n *Nodes[T]) window(p *params) string {
	var s string
	if n.skip > 0 {
		s += " SKIP " + p.add(int64(n.skip))
	}
	if n.limit > 0 {
		s += " LIMIT " + p.add(int64(n.limit))
	}
	return s
}

// All returns every matching node.
func (n *Nodes[T]) All(ctx context.Context) ([]*T, error) {
	return n.fetch(ctx, "all", n.limit)
}

func (n *Nodes[T]) fetch(ctx context.Context, op string, limit int) ([]*T, error) {
	q := *n
	q.limit = limit
	out, err := q.load(ctx, op, true)
	if errors.Is(err, errRefetch) {
		out, err = q.load(ctx, op, false)
	}
	return out, err
}

// load runs the query of plan(flat) and decodes all of its rows.
func (n *Nodes[T]) load(ctx context.Context, op string, flat bool) ([]*T, error) {
	query, params, decode := n.plan(flat)
	res, err := n.db.query(ctx, op, reads, query, params)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(res.Rows))
	for i, row := range res.Rows {
		if out[i], err = decode(row); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// plan builds the query returning the nodes (with what FetchRelations asks
// for), its parameters, and the function that turns a row into a *T. With
// flat, fetches along to-one hops only use the flat plan (fetchflat.go),
// whose decoder fails with errRefetch when a node repeats; without, the
// nested plan, one row per node always.
func (n *Nodes[T]) plan(flat bool) (string, map[string]any, func([]any) (*T, error)) {
	var p params
	if len(n.fetches) == 0 {
		query := n.match(&p) + " RETURN n" + n.tail(&p)
		return query, p.m, func(row []any) (*T, error) { return n.typ.load(n.db, row[0].(Node)) }
	}
	// Without Skip or Limit, the required paths are tested on what is
	// fetched, not by the EXISTS tests of the root MATCH as well.
	limited := n.limit > 0 || n.skip > 0
	q := n
	if !limited {
		q = n.clone()
		q.where = slices.DeleteFunc(q.where, func(c cond) bool { _, ok := c.(fetchExists); return ok })
	}
	query := q.match(&p)
	roots, at := buildTree(n.fetches)
	if flat {
		if cols := flatPlan(roots, n.fetches, at); cols != nil {
			return query + n.flatQuery(&p, cols, limited), p.m, n.flatDecode(cols)
		}
	}
	ret, decode := n.fetchReturn(&p, roots, at, !limited)
	return query + ret + n.tail(&p), p.m, decode
}

// Iter streams the matching nodes: rows are decoded and handed to the loop
// as the server sends them, so a large result is never held in memory at
// once. Breaking out of the loop ends the query. The query runs in a read
// transaction of its own that stays open while the loop runs; inside
// DB.Read or DB.Write (whose transaction runs one query at a time) Iter
// loads the result first, so the loop body may use the transaction.
//
//	for p, err := range people.PersonNodes(db).Iter(ctx) {
//		if err != nil {
//			return err
//		}
//		…
//	}
func (n *Nodes[T]) Iter(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if n.db.scope(ctx) != nil {
			all, err := n.All(ctx)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, v := range all {
				if !yield(v, nil) {
					return
				}
			}
			return
		}
		query, params, decode := n.plan(false)
		started, stopped := false, false
		err := n.db.run(ctx, "iter", reads, func(tx *txRunner) error {
			if started {
				// A retry would hand the loop rows it has seen already.
				return &errFromWork{&Error{Op: "iter", Kind: ErrTransient, Retryable: true,
					Msg: "the transaction failed after rows were handed out; iterate again"}}
			}
			_, err := tx.Run(ctx, query, params, func(row []any) error {
				v, err := decode(row)
				if err != nil {
					return &errFromWork{err}
				}
				started = true
				if !yield(v, nil) {
					stopped = true
					return errStopped
				}
				return nil
			})
			return err
		})
		if !stopped && err != nil {
			yield(nil, err)
		}
	}
}

// errStopped ends a streaming query whose consumer stopped.
var errStopped = errorString("iteration stopped")

// Get returns the one node matching preds (and the query's filters). It
// fails with ErrDoesNotExist or ErrMultipleNodes.
func (n *Nodes[T]) Get(ctx context.Context, preds ...Pred[T]) (*T, error) {
	v, err := n.GetOrNone(ctx, preds...)
	if err == nil && v == nil {
		return nil, &NodeError{Op: "get", Type: n.typ.Name, Kind: ErrDoesNotExist}
	}
	return v, err
}

// GetOrNone is Get returning nil, nil when no node matches.
func (n *Nodes[T]) GetOrNone(ctx context.Context, preds ...Pred[T]) (*T, error) {
	found, err := n.Filter(preds...).fetch(ctx, "get", 2)
	switch {
	case err != nil:
		return nil, err
	case len(found) > 1:
		return nil, &NodeError{Op: "get", Type: n.typ.Name, Kind: ErrMultipleNodes}
	case len(found) == 0:
		return nil, nil
	}
	return found[0], nil
}

// First returns the first node matching preds (and the query's filters) in
// the query's order (unspecified without OrderBy), or ErrDoesNotExist.
func (n *Nodes[T]) First(ctx context.Context, preds ...Pred[T]) (*T, error) {
	v, err := n.FirstOrNone(ctx, preds...)
	if err == nil && v == nil {
		return nil, &NodeError{Op: "first", Type: n.typ.Name, Kind: ErrDoesNotExist}
	}
	return v, err
}

// FirstOrNone is First returning nil, nil when no node matches.
func (n *Nodes[T]) FirstOrNone(ctx context.Context, preds ...Pred[T]) (*T, error) {
	found, err := n.Filter(preds...).fetch(ctx, "first", 1)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// Count returns the number of matching nodes (Skip and Limit apply).
func (n *Nodes[T]) Count(ctx context.Context) (int, error) {
	var p params
	query := n.match(&p) + " WITH n" + n.tail(&p) + " RETURN count(n)"
	res, err := n.db.query(ctx, "count", reads, query, p.m)
	if err != nil {
		return 0, err
	}
	return int(res.Rows[0][0].(int64)), nil
}

// Exists reports whether any node matches.
func (n *Nodes[T]) Exists(ctx context.Context) (bool, error) {
	c, err := n.Limit(1).Count(ctx)
	return c > 0, err
}

// Contains reports whether v is among the matching nodes (neomodel's
// `node in Person.nodes`).
func (n *Nodes[T]) Contains(ctx context.Context, v *T) (bool, error) {
	b := n.typ.Base(v)
	if err := b.usable("contains", n.typ.Name); err != nil {
		return false, err
	}
	c := n.clone()
	c.where = append(c.where, elementIs(b.elementID))
	return c.Exists(ctx)
}

// ElementIDs returns the element ids of the matching nodes without loading
// their properties (neomodel's lazy=True).
func (n *Nodes[T]) ElementIDs(ctx context.Context) ([]string, error) {
	var p params
	query := n.match(&p) + " RETURN elementId(n)" + n.tail(&p)
	res, err := n.db.query(ctx, "element ids", reads, query, p.m)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		ids[i] = row[0].(string)
	}
	return ids, nil
}

// elementIs holds for the node with element id id.
type elementIs string

func (e elementIs) cypher(p *params, v string) string {
	return "elementId(" + v + ") = " + p.add(string(e))
}

// Create validates v, applies its defaults, writes it with all the labels of
// its type and binds it to the database. It returns v.
func (n *Nodes[T]) Create(ctx context.Context, v *T) (*T, error) {
	if err := n.CreateMany(ctx, []*T{v}); err != nil {
		return nil, err
	}
	return v, nil
}

// prepareCreate readies v to be created: its defaults (Init), the
// BeforeSave hook, validation, and then its encoded properties.
func (t *NodeType[T]) prepareCreate(ctx context.Context, v *T) (map[string]any, error) {
	t.Init(v)
	if err := beforeSave(ctx, v); err != nil {
		return nil, err
	}
	if err := t.Validate(v); err != nil {
		return nil, err
	}
	return t.Encode(v)
}

// CreateMany creates nodes in one query (UNWIND): all or none are written.
func (n *Nodes[T]) CreateMany(ctx context.Context, nodes []*T) error {
	if len(nodes) == 0 {
		return nil
	}
	rows := make([]any, len(nodes))
	for i, v := range nodes {
		b := n.typ.Base(v)
		switch {
		case b.deleted:
			return &NodeError{Op: "create", Type: n.typ.Name, ID: b.elementID, Kind: ErrDeleted}
		case b.elementID != "":
			return &NodeError{Op: "create", Type: n.typ.Name, ID: b.elementID, Kind: errAlreadySaved}
		}
		props, err := n.typ.prepareCreate(ctx, v)
		if err != nil {
			return err
		}
		rows[i] = props
	}
	query := "UNWIND $rows AS row CREATE (n" + labelExpr(n.typ.Labels) + ") SET n = row RETURN elementId(n)"
	res, err := n.db.query(ctx, "create", writes, query, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	for i, v := range nodes {
		n.typ.Base(v).bind(n.db, res.Rows[i][0].(string))
	}
	for _, v := range nodes {
		if err := afterCreate(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

var errAlreadySaved = errorString("node already saved (use Save to update it)")

// errorString is a constant-friendly error kind.
type errorString string

func (e errorString) Error() string { return string(e) }

// itoa is strconv.Itoa, named for the query builders' brevity.
func itoa(i int) string { return strconv.Itoa(i) }
