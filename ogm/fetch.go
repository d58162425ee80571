package ogm

import "strings"

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
		h.check(p, "follow")
		b.WriteString(h.arrowVar(rv) + "(" + nv + labelExpr([]string{h.rel.Target.info().Label}) + ")")
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
		andWhere(b, h.relCond(p, c, rv))
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

// fetchNode is what one argument of FetchRelations asks for: a chain of
// hops, then (With) more fetches from the chain's end.
type fetchNode struct {
	hops     []hop
	optional bool
	children []*fetchNode
}

// requiredPaths lists the hop chains, from the query's nodes, that a
// node must have to be returned: for each required part of the tree, the
// longest chain through it (a shorter one is implied). prefix is the chain
// above n.
func (n *fetchNode) requiredPaths(prefix []hop) [][]hop {
	if n.optional {
		return nil
	}
	chain := append(append([]hop(nil), prefix...), unordered(n.hops)...)
	var out [][]hop
	for _, c := range n.children {
		out = append(out, c.requiredPaths(chain)...)
	}
	if len(out) == 0 {
		out = [][]hop{chain}
	}
	return out
}

// fetchTree merges the fetched paths by common prefix, so each relationship
// is traversed once per node.
type fetchTree struct {
	hop
	children []*fetchTree
	required bool     // a node without it is not returned
	at       *binding // of the target type, on the query's database
}

// buildTree merges the fetch requests into trees, one hop per level. Plain
// hops of the same relationship share a level entry; a hop with conditions
// (Match) always gets its own. It also returns the positions of each
// required chain: the index among the roots, then among the children at
// each level, down to the chain's last hop.
func buildTree(db *DB, nodes []*fetchNode) ([]*fetchTree, [][]int) {
	var roots []*fetchTree
	var required [][]int
	var add func(level *[]*fetchTree, at []int, n *fetchNode, req bool)
	add = func(level *[]*fetchTree, at []int, n *fetchNode, req bool) {
		req = req && !n.optional
		var t *fetchTree
		for _, h := range n.hops {
			i := -1
			for j, o := range *level {
				if o.rel == h.rel && o.plain() && h.plain() {
					i = j
					break
				}
			}
			if i < 0 {
				i = len(*level)
				*level = append(*level, &fetchTree{hop: h, at: bindingOf(db, h.rel.Target)})
			}
			t = (*level)[i]
			t.required = t.required || req
			at = append(at[:len(at):len(at)], i)
			level = &t.children
		}
		reqChild := false
		for _, c := range n.children {
			reqChild = reqChild || (req && !c.optional)
			add(level, at, c, req)
		}
		if req && !reqChild {
			required = append(required, at)
		}
	}
	for _, n := range nodes {
		add(&roots, nil, n, true)
	}
	return roots, required
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
// relationship is there when the owner's Fetched field keeps it. A leaf
// (no relationship kept, nothing fetched beyond) lists the targets
// themselves: one list less per target to build, send and decode.
func (t *fetchTree) comprehension(p *params, v string, next *int) string {
	*next++
	x := "f" + itoa(*next)
	rv := x + "r"
	var b strings.Builder
	t.check(p, "fetch")
	if t.ordered() {
		return t.orderedList(p, v, x, rv, next)
	}
	b.WriteString("[(" + v + ")" + t.arrowVar(rv) + "(" + x + labelExpr([]string{t.rel.Target.info().Label}) + ")")
	b.WriteString(t.whereClause(p, rv, x))
	if t.leaf() {
		b.WriteString(" | " + x + "]")
		return b.String()
	}
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

func (t *fetchTree) withRels() bool { return t.rel.FetchedRels != nil && t.rel.Model != nil }

// leaf reports whether t's fetched list holds bare target nodes.
func (t *fetchTree) leaf() bool { return !t.withRels() && len(t.children) == 0 }

// assign decodes the fetched list of t for owner (whose element id is
// ownerID) and stores it in the owner's Fetched field.
func (t *fetchTree) assign(l *loader, db *DB, owner any, ownerID string, list []any) error {
	targets := make([]any, 0, len(list))
	var rels []any
	if t.withRels() {
		rels = make([]any, 0, len(list))
	}
	leaf := t.leaf()
	for _, e := range list {
		if leaf {
			target, err := l.node(t.at, e.(Node))
			if err != nil {
				return err
			}
			targets = append(targets, target)
			continue
		}
		item := e.([]any)
		node := item[0].(Node)
		target, err := l.node(t.at, node)
		if err != nil {
			return err
		}
		rest := item[1:]
		if t.withRels() {
			rel, err := l.rel(db, t.rel.Model, rest[0].(Relationship))
			if err != nil {
				return err
			}
			rels = append(rels, rel)
			rest = rest[1:]
		}
		for i, c := range t.children {
			if err := c.assign(l, db, target, node.ElementId, rest[i].([]any)); err != nil {
				return err
			}
		}
		targets = append(targets, target)
	}
	if max := t.rel.Cardinality.max(); max > 0 && len(targets) > max {
		return &CardinalityError{Rel: t.rel, NodeID: ownerID, Found: len(targets)}
	}
	t.rel.Fetched(owner, targets)
	if t.withRels() {
		t.rel.FetchedRels(owner, rels)
	}
	return nil
}

// fetchReturn is the end of a query with FetchRelations (the nested plan),
// and the decoder of its rows. With listTest, the lists are built in a
// WITH and the nodes without a required path dropped by testing them (the
// query's own EXISTS tests are left out); without, it is a RETURN of the
// lists.
func (q *query) fetchReturn(p *params, roots []*fetchTree, required [][]int, listTest bool) (string, func() rowDecoder) {
	var b strings.Builder
	next := 0
	if listTest {
		b.WriteString(" WITH n" + q.aggCols("n", true))
		for i, t := range roots {
			b.WriteString(", " + t.comprehension(p, "n", &next) + " AS _fl" + itoa(i))
		}
		var where strings.Builder
		for _, at := range required {
			andWhere(&where, roots[at[0]].nonEmpty("_fl"+itoa(at[0]), at[1:], 0))
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
	b.WriteString(q.aggCols("n", false))
	decoder := func() rowDecoder {
		l := new(loader)
		return func(row []any) (Entity, error) {
			node := row[0].(Node)
			v, err := l.node(q.at, node)
			if err != nil {
				return nil, err
			}
			for i, t := range roots {
				if err := t.assign(l, q.db, v, node.ElementId, row[i+1].([]any)); err != nil {
					return nil, err
				}
			}
			return v, nil
		}
	}
	return b.String(), decoder
}

// FetchSetter stores what FetchRelations loaded for one relationship in an
// owner's Fetched field: the targets (or, for FetchedRels, the
// relationship models), in order. Generated code makes them with SetOne
// and SetMany. The slice is valid only during the call.
type FetchSetter func(owner any, values []any)

// SetOne is the FetchSetter of a to-one relationship: set receives the
// owner and its target (pointers to generated structs), nil when it has
// none.
//
//go:noinline
func SetOne[O, T any](set func(owner O, target T)) FetchSetter {
	return func(owner any, values []any) {
		var t T
		if len(values) > 0 {
			t = values[0].(T)
		}
		set(owner.(O), t)
	}
}

// SetMany is the FetchSetter of a to-many relationship: set receives the
// owner and its targets, an empty (non-nil) slice when it has none.
//
//go:noinline
func SetMany[O, T any](set func(owner O, targets []T)) FetchSetter {
	return func(owner any, values []any) {
		ts := make([]T, len(values))
		for i, v := range values {
			ts[i] = v.(T)
		}
		set(owner.(O), ts)
	}
}
