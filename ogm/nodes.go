package ogm

import (
	"context"
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
	scope   *relScope // set when the query starts at a relationship manager
}

type orderItem struct {
	key  string
	desc bool
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
		c.orders = append(c.orders, orderItem{o.key, o.desc})
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
func (n *Nodes[T]) match(p *params) string {
	var b strings.Builder
	if n.scope != nil {
		b.WriteString(n.scope.match(p, n.typ.Label))
	} else {
		b.WriteString("MATCH (n")
		b.WriteString(labelExpr([]string{n.typ.Label}))
		b.WriteString(")")
	}
	if len(n.where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(joinCond{"AND", n.where}.cypher(p, "n"))
	}
	return b.String()
}

// tail builds ORDER BY / SKIP / LIMIT.
func (n *Nodes[T]) tail(p *params) string {
	var b strings.Builder
	for i, o := range n.orders {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("n." + Quote(o.key))
		if o.desc {
			b.WriteString(" DESC")
		}
	}
	if n.skip > 0 {
		b.WriteString(" SKIP " + p.add(int64(n.skip)))
	}
	if n.limit > 0 {
		b.WriteString(" LIMIT " + p.add(int64(n.limit)))
	}
	return b.String()
}

// All returns every matching node.
func (n *Nodes[T]) All(ctx context.Context) ([]*T, error) {
	return n.fetch(ctx, "all", n.limit)
}

func (n *Nodes[T]) fetch(ctx context.Context, op string, limit int) ([]*T, error) {
	q := *n
	q.limit = limit
	var p params
	query := q.match(&p)
	if len(q.fetches) > 0 {
		return q.fetchRelations(ctx, op, query, &p)
	}
	query += " RETURN n" + q.tail(&p)
	res, err := n.db.query(ctx, op, reads, query, p.m)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(res.Rows))
	for i, row := range res.Rows {
		if out[i], err = n.typ.load(n.db, row[0].(Node)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

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
		n.typ.Init(v)
		if err := beforeSave(ctx, v); err != nil {
			return err
		}
		if err := n.typ.Validate(v); err != nil {
			return err
		}
		props, err := n.typ.Encode(v)
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
