package ogm

import (
	"slices"
	"strings"
)

// Per-node aggregates over a path (issue #20): "each book with its number
// of reviews and their average stars", "the people with more than three
// friends", in one query however many nodes there are.
//
// An aggregate is computed for each node of a query in a scoped
// subquery after the query's MATCH … WHERE:
//
//	MATCH (n:Person) WHERE … CALL (n) { OPTIONAL MATCH (n)-[…]-(n_g0:Person) WHERE … RETURN count(n_g0) AS n_a0, avg(n_g0.age) AS n_a1 }
//	WITH * WHERE n_a0 > $p0 RETURN n, n_a0, n_a1 ORDER BY n_a0 DESC LIMIT $p1
//
// Aggregates built from the same path value (one handle, or one Then
// result kept in a variable) share one subquery. Conditions on aggregates
// (Agg.Gt …) go in the WHERE after the subqueries, orders on them in the
// query's ORDER BY; the filters that do not use aggregates stay in the
// first WHERE, so the subqueries run for the matching nodes only.
//
// The type-independent state is an aggSpec; the typed handles (Agg,
// OptAgg) hold their operators in function fields, like the property
// handles, and generated code never instantiates them.

// aggSpec is one aggregate over a path from the query's nodes.
type aggSpec struct {
	hops  []hop
	fn    string // count, sum, avg, min, max, collect
	key   string // the property aggregated ("" for count)
	onRel bool   // key is a property of the last relationship, not of the target
	// check reports whether the server's value converts to the handle's
	// Go value (nil, unset, does).
	check func(any) bool
	want  string // the Go type of the handle's values, for errors
	err   error  // the aggregate cannot be sent (a property of neither end)
}

// name is how errors name the aggregate: avg(age).
func (a *aggSpec) name() string {
	if a.key == "" {
		return a.fn + "()"
	}
	return a.fn + "(" + a.key + ")"
}

// expr is the aggregating expression, x being the path's last node in the
// subquery and n the number of hops.
func (a *aggSpec) expr(x string, n int) string {
	v := x
	if a.onRel {
		v = x + "_r" + itoa(n-1) // as pattern names the last relationship
	}
	if a.fn == "count" {
		return "count(" + v + ")"
	}
	return a.fn + "(" + v + "." + Quote(a.key) + ")"
}

// sameHops reports whether a and b are one path value (its hops slice).
func sameHops(a, b []hop) bool { return len(a) == len(b) && &a[0] == &b[0] }

// aggVar is the column of the i-th aggregate of the nodes bound to v.
func aggVar(v string, i int) string { return v + "_a" + itoa(i) }

// aggregates lists the aggregates the query computes: the annotated ones
// first (their positions are the result's columns), then those its
// filters and orders use.
func (q *query) aggregates() []*aggSpec {
	out := slices.Clip(q.aggs)
	add := func(a *aggSpec) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, c := range q.where {
		condAggs(c, add)
	}
	for _, o := range q.orders {
		if o.agg != nil {
			add(o.agg)
		}
	}
	return out
}

// condAggs hands add the aggregates c tests and reports whether there are
// any. Conditions inside a path (Where) are not looked into: an aggregate
// there is of another node, and fails the query where it renders.
func condAggs(c cond, add func(*aggSpec)) bool {
	switch c := c.(type) {
	case aggCond:
		add(c.a)
		return true
	case notCond:
		return c.c != nil && condAggs(c.c, add)
	case joinCond:
		found := false
		for _, part := range c.parts {
			found = condAggs(part, add) || found
		}
		return found
	}
	return false
}

// splitAggConds separates the conditions that use no aggregate (for the
// query's first WHERE) from those that do (for the WHERE after the
// subqueries).
func splitAggConds(cs []cond) (plain, post []cond) {
	for _, c := range cs {
		if condAggs(c, func(*aggSpec) {}) {
			post = append(post, c)
		} else {
			plain = append(plain, c)
		}
	}
	return plain, post
}

// aggClause renders, after the MATCH … WHERE binding the nodes to v, the
// subqueries computing the query's aggregates and the WHERE of post, the
// conditions on them; "" when the query has none.
func (q *query) aggClause(p *params, v string, post []cond) string {
	aggs := q.aggregates()
	if len(aggs) == 0 {
		return ""
	}
	var b strings.Builder
	done := make([]bool, len(aggs))
	group := 0
	for i, a := range aggs {
		if done[i] {
			continue
		}
		x := v + "_g" + itoa(group)
		group++
		b.WriteString(" CALL (" + v + ") { OPTIONAL " + pattern(p, v, a.hops, x) + " RETURN ")
		for j := i; j < len(aggs); j++ {
			if done[j] || !sameHops(aggs[j].hops, a.hops) {
				continue
			}
			done[j] = true
			if aggs[j].err != nil {
				p.fail(aggs[j].err)
			}
			if j > i {
				b.WriteString(", ")
			}
			b.WriteString(aggs[j].expr(x, len(a.hops)) + " AS " + aggVar(v, j))
		}
		b.WriteString(" }")
	}
	if len(post) > 0 {
		saved := p.aggs
		p.aggs = aggs
		b.WriteString(" WITH * WHERE " + joinCond{"AND", post}.cypher(p, v))
		p.aggs = saved
	}
	return b.String()
}

// aggCols is ", v_a0, v_a1, …": the annotated aggregates (returned as the
// last columns), or with all every aggregate (carried through a WITH).
func (q *query) aggCols(v string, all bool) string {
	n := len(q.aggs)
	if all {
		n = len(q.aggregates())
	}
	var b strings.Builder
	for i := range n {
		b.WriteString(", " + aggVar(v, i))
	}
	return b.String()
}

// orderExpr is what order o sorts the nodes bound to v by.
func (q *query) orderExpr(o orderItem, v string) string {
	if o.agg != nil {
		return aggVar(v, slices.Index(q.aggregates(), o.agg))
	}
	return o.expr(v)
}

// aggCond compares an aggregate of the node with a value.
type aggCond struct {
	a     *aggSpec
	op    operator
	val   any
	noVal bool
}

func (c aggCond) cypher(p *params, v string) string {
	i := slices.Index(p.aggs, c.a)
	if i < 0 {
		p.fail(&Error{Op: "filter", Kind: ErrValidation,
			Msg: "a condition on " + c.a.name() + " filters only the nodes the aggregate's path starts from (Filter of their own query), not a path's targets"})
		return "false"
	}
	val := ""
	if !c.noVal {
		val = p.add(c.val)
	}
	return c.op.render(aggVar(v, i), val)
}

// PathWhere narrows the last hop of p to the targets satisfying every
// pred: the path to count, sum or traverse when only some targets matter
// ("friends older than 30" is ogm.PathWhere(people.PersonKnows,
// people.PersonAge.Gt(30))). p.Where(preds...) is the condition that such
// a target exists; PathWhere(p, preds...) is the path itself.
func PathWhere[R, X any](p *Path[R, X], preds ...Pred[X]) *Path[R, X] {
	return newPath[R, X](narrowed(p.hops, nil, conds(preds)))
}
