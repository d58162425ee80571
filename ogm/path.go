package ogm

import (
	"context"
	"strings"
)

// Path is a chain of relationships starting at nodes of type R. Generated
// code declares one handle per relationship (people.PersonCity) whose
// methods continue the chain (people.PersonCity.Country()); pass them to
// FetchRelations.
type Path[R any] struct {
	hops     []*RelSpec
	optional bool
}

// NewPath starts a path at rel, a relationship of R. For generated code.
func NewPath[R any](rel *RelSpec) Path[R] { return Path[R]{hops: []*RelSpec{rel}} }

// Then continues the path with rel, a relationship of the path's last node
// type. For generated code.
func (p Path[R]) Then(rel *RelSpec) Path[R] {
	hops := make([]*RelSpec, len(p.hops), len(p.hops)+1)
	copy(hops, p.hops)
	return Path[R]{hops: append(hops, rel), optional: p.optional}
}

func (p Path[R]) fetchPath() Path[R] { return p }

// Fetchable is anything FetchRelations takes: a generated relationship
// handle, a chain of them, or Optional of one.
type Fetchable[R any] interface{ fetchPath() Path[R] }

// Optional fetches the path where it exists and keeps the nodes where it does
// not (neomodel's Optional; OPTIONAL MATCH). Without it FetchRelations
// returns only nodes that have the whole path.
func Optional[R any](p Fetchable[R]) Path[R] {
	q := p.fetchPath()
	q.optional = true
	return q
}

type fetchSpec struct {
	hops     []*RelSpec
	optional bool
}

// FetchRelations loads the nodes at the end of each path, and every node
// along it, in the same query as the nodes themselves (no N+1): the results
// are in each node's Fetched field. A path without Optional also filters:
// only nodes that have it are returned.
func (n *Nodes[T]) FetchRelations(paths ...Fetchable[T]) *Nodes[T] {
	c := n.clone()
	for _, p := range paths {
		fp := p.fetchPath()
		c.fetches = append(c.fetches, fetchSpec{hops: fp.hops, optional: fp.optional})
		if !fp.optional {
			c.where = append(c.where, existsPath(fp.hops))
		}
	}
	return c
}

// existsPath holds when the node has the whole chain of relationships.
type existsPath []*RelSpec

func (e existsPath) cypher(_ *params, v string) string {
	var b strings.Builder
	b.WriteString("EXISTS { MATCH (" + v + ")")
	for _, h := range e {
		b.WriteString(h.arrow() + "(" + labelExpr([]string{h.Target.label()}) + ")")
	}
	b.WriteString(" }")
	return b.String()
}

// fetchTree merges the fetched paths by common prefix, so each relationship
// is traversed once per node.
type fetchTree struct {
	rel      *RelSpec
	children []*fetchTree
}

func buildTree(specs []fetchSpec) []*fetchTree {
	var roots []*fetchTree
	for _, s := range specs {
		level := &roots
		for _, h := range s.hops {
			var found *fetchTree
			for _, t := range *level {
				if t.rel == h {
					found = t
					break
				}
			}
			if found == nil {
				found = &fetchTree{rel: h}
				*level = append(*level, found)
			}
			level = &found.children
		}
	}
	return roots
}

// comprehension renders a pattern comprehension that lists, for the node in
// variable v, each target as [target, <children…>].
func (t *fetchTree) comprehension(v string, next *int) string {
	*next++
	x := "f" + itoa(*next)
	var b strings.Builder
	b.WriteString("[(" + v + ")" + t.rel.arrow() + "(" + x + labelExpr([]string{t.rel.Target.label()}) + ") | [" + x)
	for _, c := range t.children {
		b.WriteString(", " + c.comprehension(x, next))
	}
	b.WriteString("]]")
	return b.String()
}

func (t *fetchTree) assign(db *DB, owner any, ownerID string, list []any) error {
	targets := make([]any, 0, len(list))
	for _, e := range list {
		pair := e.([]any)
		target, err := t.rel.Target.loadAny(db, pair[0].(Node))
		if err != nil {
			return err
		}
		for i, c := range t.children {
			if err := c.assign(db, target, pair[0].(Node).ElementId, pair[i+1].([]any)); err != nil {
				return err
			}
		}
		targets = append(targets, target)
	}
	if max := t.rel.Cardinality.max(); max > 0 && len(targets) > max {
		return &CardinalityError{Rel: t.rel, NodeID: ownerID, Found: len(targets)}
	}
	t.rel.SetFetched(owner, targets)
	return nil
}

func (n *Nodes[T]) fetchRelations(ctx context.Context, op, match string, p *params) ([]*T, error) {
	roots := buildTree(n.fetches)
	var b strings.Builder
	b.WriteString(match + " RETURN n")
	next := 0
	for _, t := range roots {
		b.WriteString(", " + t.comprehension("n", &next))
	}
	b.WriteString(n.tail(p))
	query := b.String()
	res, err := n.db.query(ctx, op, reads, query, p.m)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(res.Rows))
	for r, row := range res.Rows {
		node := row[0].(Node)
		if out[r], err = n.typ.load(n.db, node); err != nil {
			return nil, err
		}
		for i, t := range roots {
			if err := t.assign(n.db, out[r], node.ElementId, row[i+1].([]any)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// First is the first of fetched targets as a *T, or nil. For generated
// SetFetched functions of to-one relationships.
func First[T any](targets []any) *T {
	if len(targets) == 0 {
		return nil
	}
	return targets[0].(*T)
}

// All converts fetched targets to []*T. For generated SetFetched functions
// of to-many relationships.
func All[T any](targets []any) []*T {
	out := make([]*T, len(targets))
	for i, t := range targets {
		out[i] = t.(*T)
	}
	return out
}
