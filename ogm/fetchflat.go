package ogm

import "strings"

// The flat plan of FetchRelations. When every fetched hop is to-one
// (zero_or_one, one), each node has at most one row of targets, so the
// query can return them as plain columns of MATCH and OPTIONAL MATCH
// clauses instead of nested pattern comprehensions: the server does less
// work, and the driver decodes nodes instead of lists of lists (issue #9,
// scenario 4: 104k allocations per 1,000 rows against the driver floor's
// 91k).
//
// A to-one relationship stored more than once (written behind gonode's
// back) makes a node appear on two rows. The decoder notices the repeated
// node and asks for the nested plan instead (errRefetch), which counts the
// targets of each hop and reports the exact CardinalityError, so the flat
// plan costs nothing but a second query in that broken case.

// flatCol is one fetched hop of the flat plan: its target (and
// relationship) columns and the hop whose target owns it.
type flatCol struct {
	t        *fetchTree
	parent   int // index of the owning hop in the plan; -1: the root node
	required bool
}

// flatPlan lists the hops of roots in the order of their columns, or
// returns nil when some hop may have more than one target.
func flatPlan(roots []*fetchTree) []flatCol {
	var cols []flatCol
	var walk func(ts []*fetchTree, parent int) bool
	walk = func(ts []*fetchTree, parent int) bool {
		for _, t := range ts {
			if t.rel.Cardinality.max() != 1 || !t.hop.flat() {
				return false
			}
			cols = append(cols, flatCol{t: t, parent: parent, required: t.required})
			if !walk(t.children, len(cols)-1) {
				return false
			}
		}
		return true
	}
	if !walk(roots, -1) {
		return nil
	}
	return cols
}

// flatVar is the variable of column i's target; its relationship is
// flatVar(i)+"r".
func flatVar(i int) string { return "f" + itoa(i+1) }

// flatQuery renders the flat plan after the root MATCH. With limited (a
// Skip or Limit), the roots are ordered and cut first, so that a node
// repeated by a broken to-one relationship still counts once; the order
// keys are carried as columns to order the final rows the same way.
// Without, required paths are plain MATCHes (the root MATCH has no EXISTS
// tests then) and the order comes last.
func (q *query) flatQuery(p *params, cols []flatCol, limited bool) string {
	var b strings.Builder
	order := ""
	if limited {
		b.WriteString(" WITH n" + q.aggCols("n", true))
		for i, o := range q.orders {
			b.WriteString(", " + q.orderExpr(o, "n") + " AS _fo" + itoa(i))
		}
		order = q.orderClause(func(i int, _ orderItem) string { return "_fo" + itoa(i) })
		b.WriteString(order + q.windowClause(p))
	}
	// Required hops first: their owners are required too, and the planner
	// sees the filtering expansions before the optional ones.
	for _, req := range []bool{true, false} {
		for i, c := range cols {
			if c.required != req {
				continue
			}
			owner := "n"
			if c.parent >= 0 {
				owner = flatVar(c.parent)
			}
			x := flatVar(i)
			if req {
				b.WriteString(" MATCH (")
			} else {
				b.WriteString(" OPTIONAL MATCH (")
			}
			b.WriteString(owner + ")" + c.t.rel.arrowVar(x+"r") + "(" + x + labelExpr([]string{c.t.rel.Target.info().Label}) + ")")
			b.WriteString(c.t.whereClause(p, x+"r", x))
		}
	}
	b.WriteString(" RETURN n")
	for i, c := range cols {
		b.WriteString(", " + flatVar(i))
		if c.t.withRels() {
			b.WriteString(", " + flatVar(i) + "r")
		}
	}
	b.WriteString(q.aggCols("n", false))
	if limited {
		b.WriteString(order)
	} else {
		b.WriteString(q.tailVar(p, "n"))
	}
	return b.String()
}

// errRefetch is returned by the flat plan's decoder when a node comes back
// on two rows: some to-one relationship is stored twice, and the nested
// plan must say which.
var errRefetch = errorString("a to-one relationship returned two rows")

// flatDecode turns a row of the flat plan into a node with its Fetched
// fields set. It remembers the nodes it has seen (a node on two rows means
// a to-one relationship stored twice), so a fresh one is made for each run
// of the query.
func (q *query) flatDecode(cols []flatCol) rowDecoder {
	l := new(loader)
	targets := make([]any, len(cols))
	return func(row []any) (Entity, error) {
		node := row[0].(Node)
		if l.seen.add(node.ElementId) {
			return nil, errRefetch
		}
		v, err := l.node(q.at, node)
		if err != nil {
			return nil, err
		}
		at := 1
		for i, c := range cols {
			targets[i] = nil
			cell, rel := row[at], any(nil)
			at++
			if c.t.withRels() {
				rel = row[at]
				at++
			}
			var owner any = v
			if c.parent >= 0 {
				if owner = targets[c.parent]; owner == nil {
					continue // the owner's hop found nothing
				}
			}
			if cell == nil {
				c.t.rel.Fetched(owner, nil)
				if c.t.withRels() {
					c.t.rel.FetchedRels(owner, nil)
				}
				continue
			}
			if targets[i], err = l.node(c.t.at, cell.(Node)); err != nil {
				return nil, err
			}
			c.t.rel.Fetched(owner, targets[i:i+1])
			if c.t.withRels() {
				r, err := l.rel(q.db, c.t.rel.Model, rel.(Relationship))
				if err != nil {
					return nil, err
				}
				c.t.rel.FetchedRels(owner, []any{r})
			}
		}
		return v, nil
	}
}
