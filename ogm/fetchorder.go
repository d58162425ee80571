package ogm

import (
	"fmt"
	"strings"
)

// Ordered and limited fetched relations (issue #20): FetchRelations of a
// to-many relationship that loads, for each node, its targets in an order
// (of their properties or of the relationship model's) and at most k of
// them, still in the one query of the node set:
//
//	people.PersonNodes(db).FetchRelations(
//		ogm.OrderByRel(people.PersonVisited, people.VisitType, people.VisitOn.Desc()).Limit(3))
//
// loads each person with the three cities visited last, and
// Fetched.VisitedRels holds the three visits, in the same order.
//
// The ordered hop is rendered as a COLLECT subquery in place of the
// pattern comprehension of the nested plan:
//
//	COLLECT { MATCH (n)-[r:VISITED]->(x:City) WITH x, r ORDER BY r.on DESC, elementId(r) LIMIT $p0 RETURN [x, r] }
//
// so the order and the limit apply per node, not to the whole result.
// Targets that tie on every order key come in the order of the
// relationship's element id, so a page of k is the same on every run.

// hopOrder is one order key of a fetched hop: a property of the target
// node, or (rel) of the relationship.
type hopOrder struct {
	item orderItem
	rel  bool
}

// OrderByRel orders the targets FetchRelations loads along the last
// relationship of p by properties of its relationship model (the
// relationship's, not the target's; neomodel issue 260), for each node the
// relationship starts from. model is the relationship model of p's last
// relationship (people.VisitType for people.PersonVisited): any other fails
// the query with ErrValidation. Calls add tie-breakers, after any OrderBy
// of the path before it.
func OrderByRel[R, X, M any](p *Path[R, X], model *RelType[M], orders ...Order[*M]) *Path[R, X] {
	items := make([]orderItem, len(orders))
	for i, o := range orders {
		items[i] = o.item
	}
	return newPath[R, X](modelOrder(p.hops, relType(model), items))
}

// modelOrder is hops with items (orders of the relationship model m)
// added to the last hop.
func modelOrder(hops []hop, m AnyRelType, items []orderItem) []hop {
	hops = orderedBy(hops, items, true)
	if h := &hops[len(hops)-1]; (m == nil || h.rel.Model != m) && h.err == nil {
		given := "nil"
		if m != nil {
			given = m.info().Name
		}
		h.err = &Error{Op: "fetch", Kind: ErrValidation,
			Msg: fmt.Sprintf("OrderByRel of %s.%s with model %s: its relationships are %s", h.rel.Owner, h.rel.Name, given, modelName(h.rel))}
	}
	return hops
}

func modelName(r *RelSpec) string {
	if r.Model == nil {
		return "without a model"
	}
	return r.Model.info().Name
}

// nodeOrders are the order items of orders.
func nodeOrders[X any](orders []Order[X]) []orderItem {
	items := make([]orderItem, len(orders))
	for i, o := range orders {
		items[i] = o.item
	}
	return items
}

// orderedBy is a copy of hops whose last hop also orders by items (on the
// relationship when rel, else on the target).
func orderedBy(hops []hop, items []orderItem, rel bool) []hop {
	hops = append([]hop(nil), hops...)
	h := &hops[len(hops)-1]
	order := append([]hopOrder(nil), h.order...)
	for _, it := range items {
		if it.random {
			rel = false // rand() is on neither
		}
		order = append(order, hopOrder{it, rel})
	}
	h.order = order
	return hops
}

// limited is a copy of hops whose last hop loads at most k targets.
func limited(hops []hop, k int) []hop {
	hops = append([]hop(nil), hops...)
	h := &hops[len(hops)-1]
	h.limit = k
	if k < 0 && h.err == nil {
		h.err = &Error{Op: "fetch", Kind: ErrValidation, Msg: fmt.Sprintf("Limit(%d) of a path: want 0 (no limit) or more", k)}
	}
	return hops
}

// unordered is hops without their orders and limits: whether a node has
// the path does not depend on them (a limit is at least 1).
func unordered(hops []hop) []hop {
	out := append([]hop(nil), hops...)
	for i := range out {
		out[i].order, out[i].limit = nil, 0
	}
	return out
}

// ordered reports whether the hop chooses which targets are loaded.
func (h hop) ordered() bool { return len(h.order) > 0 || h.limit > 0 }

// flat reports whether the flat plan of FetchRelations can load the hop:
// it renders plain MATCHes, without orders, limits or ranges.
func (h hop) flat() bool { return !h.ordered() && h.repeat == nil && h.err == nil }

// orderedList renders the fetched list of t for the node in variable v as
// a COLLECT subquery with the hop's order and limit, binding the target to
// x and the relationship to rv; its items are what the comprehension's
// would be.
func (t *fetchTree) orderedList(p *params, v, x, rv string, next *int) string {
	var b strings.Builder
	b.WriteString("COLLECT { MATCH (" + v + ")" + t.arrowVar(rv) + "(" + x + labelExpr([]string{t.rel.Target.info().Label}) + ")")
	b.WriteString(t.whereClause(p, rv, x))
	b.WriteString(" WITH " + x + ", " + rv + " ORDER BY ")
	for _, o := range t.order {
		on := x
		if o.rel {
			on = rv
		}
		b.WriteString(o.item.expr(on))
		if o.item.desc {
			b.WriteString(" DESC")
		}
		b.WriteString(", ")
	}
	b.WriteString("elementId(" + rv + ")")
	if t.limit > 0 {
		b.WriteString(" LIMIT " + p.add(int64(t.limit)))
	}
	b.WriteString(" RETURN ")
	if t.leaf() {
		b.WriteString(x + " }")
		return b.String()
	}
	b.WriteString("[" + x)
	if t.withRels() {
		b.WriteString(", " + rv)
	}
	for _, c := range t.children {
		b.WriteString(", " + c.comprehension(p, x, next))
	}
	b.WriteString("] }")
	return b.String()
}
