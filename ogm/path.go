package ogm

import "strings"

// Path is a chain of relationships starting at nodes of type R. Generated
// code declares one handle per relationship (people.PersonCity) whose
// methods continue the chain (people.PersonCity.Country()). Pass paths to
// FetchRelations and Traverse, or turn them into filters on R with Has,
// HasNot and the generated Where.
type Path[R any] struct {
	hops     []hop
	optional bool
}

// hop is one relationship of a path, with the conditions its relationship
// and its target must meet.
type hop struct {
	rel   *RelSpec
	relW  []cond // on the relationship (relationship model properties)
	nodeW []cond // on the target node
}

func (h hop) plain() bool { return len(h.relW) == 0 && len(h.nodeW) == 0 }

// NewPath starts a path at rel, a relationship of R. For generated code.
func NewPath[R any](rel *RelSpec) Path[R] { return Path[R]{hops: []hop{{rel: rel}}} }

// Then continues the path with rel, a relationship of the path's last node
// type. For generated code.
func (p Path[R]) Then(rel *RelSpec) Path[R] {
	return p.with(hop{rel: rel})
}

func (p Path[R]) with(h hop) Path[R] {
	hops := make([]hop, len(p.hops), len(p.hops)+1)
	copy(hops, p.hops)
	return Path[R]{hops: append(hops, h), optional: p.optional}
}

// last returns a copy of p whose last hop is changed by edit.
func (p Path[R]) last(edit func(*hop)) Path[R] {
	hops := append([]hop(nil), p.hops...)
	h := &hops[len(hops)-1]
	h.relW = append([]cond(nil), h.relW...)
	h.nodeW = append([]cond(nil), h.nodeW...)
	edit(h)
	return Path[R]{hops: hops, optional: p.optional}
}

// PathMatch narrows the last relationship of p to those whose properties
// satisfy preds. For generated <Rel>Match methods, which give it its type
// safety: M must be the model of p's last relationship.
func PathMatch[R, M any](p Path[R], preds ...Pred[M]) Path[R] {
	return p.last(func(h *hop) { h.relW = append(h.relW, conds(preds)...) })
}

// PathWhere holds for the R nodes from which p reaches at least one node
// satisfying preds (neomodel's city__country__code="DE"). For generated
// Where methods, which give it its type safety: T must be p's target type.
func PathWhere[R, T any](p Path[R], preds ...Pred[T]) Pred[R] {
	return p.last(func(h *hop) { h.nodeW = append(h.nodeW, conds(preds)...) }).Has()
}

// Has holds for the R nodes that have the whole path (neomodel's
// has(rel=True)), with the conditions given by Match and Where.
func (p Path[R]) Has() Pred[R] { return Pred[R]{c: existsPath(p.hops)} }

// HasNot holds for the R nodes that do not have the path
// (has(rel=False)).
func (p Path[R]) HasNot() Pred[R] { return Pred[R]{c: notCond{existsPath(p.hops)}} }

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
	hops     []hop
	optional bool
}

// FetchRelations loads the nodes at the end of each path, and every node
// along it, in the same query as the nodes themselves (no N+1): the results
// are in each node's Fetched field. A path without Optional also filters:
// only nodes that have it are returned.
//
// When every relationship fetched is to-one (zero_or_one, one), All, Get
// and First return the targets as flat columns of MATCH and OPTIONAL MATCH
// clauses, as hand-written Cypher would; otherwise (and in Iter) each node
// has a row with nested lists. Either way a to-one relationship stored more
// than once is reported as a *CardinalityError.
func (n *Nodes[T]) FetchRelations(paths ...Fetchable[T]) *Nodes[T] {
	c := n.clone()
	for _, p := range paths {
		fp := p.fetchPath()
		c.fetches = append(c.fetches, fetchSpec{hops: fp.hops, optional: fp.optional})
		if !fp.optional {
			c.where = append(c.where, fetchExists{existsPath(fp.hops)})
		}
	}
	return c
}

// fetchExists is the condition a non-optional FetchRelations path adds.
// Count and the like test it with EXISTS; the fetching query without Skip
// or Limit tests what it fetches instead (the nested plan its lists, the
// flat plan its MATCHes), so as not to walk the paths twice (with a Limit,
// EXISTS lets the server fetch for the returned nodes only).
type fetchExists struct{ existsPath }

// existsPath holds when the node has the whole chain of relationships.
type existsPath []hop

func (e existsPath) cypher(p *params, v string) string {
	return "EXISTS { " + pattern(p, v, e, v+"_x") + " }"
}

// pattern renders "MATCH (from)-[…]->(…)… WHERE …" along hops, binding the
// last node to variable to. Variables of the inner hops are derived from to,
// so nested patterns (an EXISTS inside a condition) never clash.
func pattern(p *params, from string, hops []hop, to string) string {
	var b, where strings.Builder
	b.WriteString("MATCH (" + from + ")")
	for i, h := range hops {
		rv, nv := to+"_r"+itoa(i), to+"_n"+itoa(i)
		if i == len(hops)-1 {
			nv = to
		}
		b.WriteString(h.rel.arrowVar(rv) + "(" + nv + labelExpr([]string{h.rel.Target.label()}) + ")")
		h.where(&where, p, rv, nv)
	}
	if where.Len() > 0 {
		b.WriteString(" WHERE " + where.String())
	}
	return b.String()
}

// where adds the hop's conditions, on its relationship bound to rv and its
// target bound to nv, to b.
func (h hop) where(b *strings.Builder, p *params, rv, nv string) {
	for _, c := range h.relW {
		andWhere(b, c.cypher(p, rv))
	}
	for _, c := range h.nodeW {
		andWhere(b, c.cypher(p, nv))
	}
}

// whereClause is " WHERE " and the hop's conditions, or "" when it has
// none.
func (h hop) whereClause(p *params, rv, nv string) string {
	var b strings.Builder
	h.where(&b, p, rv, nv)
	if b.Len() == 0 {
		return ""
	}
	return " WHERE " + b.String()
}

func andWhere(b *strings.Builder, c string) {
	if b.Len() > 0 {
		b.WriteString(" AND ")
	}
	b.WriteString("(" + c + ")")
}

// fetchTree merges the fetched paths by common prefix, so each relationship
// is traversed once per node.
type fetchTree struct {
	hop
	children []*fetchTree
}

// buildTree merges specs into trees, and returns for each spec the
// positions of its hops: the index among the roots, then among the children
// at each level.
func buildTree(specs []fetchSpec) ([]*fetchTree, [][]int) {
	var roots []*fetchTree
	where := make([][]int, len(specs))
	for i, s := range specs {
		level := &roots
		for _, h := range s.hops {
			at := -1
			for j, t := range *level {
				if t.rel == h.rel && t.plain() && h.plain() {
					at = j
					break
				}
			}
			if at < 0 {
				at = len(*level)
				*level = append(*level, &fetchTree{hop: h})
			}
			where[i] = append(where[i], at)
			level = &(*level)[at].children
		}
	}
	return roots, where
}

// nonEmpty renders the test that list (the fetched list of tree t) holds a
// whole path along the positions at: the list is not empty, and one of its
// items has a non-empty child list for the next hop, and so on.
func (t *fetchTree) nonEmpty(list string, at []int, depth int) string {
	if len(at) == 0 {
		return "size(" + list + ") > 0"
	}
	x := "_fx" + itoa(depth)
	child := 1 + at[0]
	if t.withRels() {
		child++
	}
	return "any(" + x + " IN " + list + " WHERE " + t.children[at[0]].nonEmpty(x+"["+itoa(child)+"]", at[1:], depth+1) + ")"
}

// comprehension renders a pattern comprehension that lists, for the node in
// variable v, each target as [target, <relationship,> <children…>]. The
// relationship is there when the owner's Fetched field keeps it.
func (t *fetchTree) comprehension(p *params, v string, next *int) string {
	*next++
	x := "f" + itoa(*next)
	rv := x + "r"
	var b strings.Builder
	b.WriteString("[(" + v + ")" + t.rel.arrowVar(rv) + "(" + x + labelExpr([]string{t.rel.Target.label()}) + ")")
	b.WriteString(t.whereClause(p, rv, x))
	b.WriteString(" | [" + x)
	if t.withRels() {
		b.WriteString(", " + rv)
	}
	for _, c := range t.children {
		b.WriteString(", " + c.comprehension(p, x, next))
	}
	b.WriteString("]]")
	return b.String()
}

func (t *fetchTree) withRels() bool { return t.rel.SetFetchedRels != nil && t.rel.Model != nil }

func (t *fetchTree) assign(db *DB, owner any, ownerID string, list []any) error {
	targets := make([]any, 0, len(list))
	var rels []any
	for _, e := range list {
		item := e.([]any)
		node := item[0].(Node)
		target, err := t.rel.Target.loadAny(db, node)
		if err != nil {
			return err
		}
		rest := item[1:]
		if t.withRels() {
			rel, err := t.rel.Model.loadAny(db, rest[0].(Relationship))
			if err != nil {
				return err
			}
			rels = append(rels, rel)
			rest = rest[1:]
		}
		for i, c := range t.children {
			if err := c.assign(db, target, node.ElementId, rest[i].([]any)); err != nil {
				return err
			}
		}
		targets = append(targets, target)
	}
	if max := t.rel.Cardinality.max(); max > 0 && len(targets) > max {
		return &CardinalityError{Rel: t.rel, NodeID: ownerID, Found: len(targets)}
	}
	t.rel.SetFetched(owner, targets)
	if t.withRels() {
		t.rel.SetFetchedRels(owner, rels)
	}
	return nil
}

// fetchReturn is the end of a query with FetchRelations, and the function
// that turns one of its rows into a *T with its Fetched fields set. With
// listTest, the lists are built in a WITH and the nodes without a required
// path dropped by testing them (the query's own EXISTS tests are left out);
// without, it is a RETURN of the lists.
func (n *Nodes[T]) fetchReturn(p *params, roots []*fetchTree, at [][]int, listTest bool) (string, func([]any) (*T, error)) {
	var b strings.Builder
	next := 0
	if listTest {
		b.WriteString(" WITH n")
		for i, t := range roots {
			b.WriteString(", " + t.comprehension(p, "n", &next) + " AS _fl" + itoa(i))
		}
		var where strings.Builder
		for i, s := range n.fetches {
			if !s.optional {
				andWhere(&where, roots[at[i][0]].nonEmpty("_fl"+itoa(at[i][0]), at[i][1:], 0))
			}
		}
		if where.Len() > 0 {
			b.WriteString(" WHERE " + where.String())
		}
		b.WriteString(" RETURN n")
		for i := range roots {
			b.WriteString(", _fl" + itoa(i))
		}
	} else {
		b.WriteString(" RETURN n")
		for _, t := range roots {
			b.WriteString(", " + t.comprehension(p, "n", &next))
		}
	}
	decode := func(row []any) (*T, error) {
		node := row[0].(Node)
		v, err := n.typ.load(n.db, node)
		if err != nil {
			return nil, err
		}
		for i, t := range roots {
			if err := t.assign(n.db, v, node.ElementId, row[i+1].([]any)); err != nil {
				return nil, err
			}
		}
		return v, nil
	}
	return b.String(), decode
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
