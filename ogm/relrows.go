package ogm

import (
	"context"
	"iter"
	"strings"
)

// RelRow is one row of a relationship-row query: a source node, the
// relationship model of the path's last relationship, and the node it
// leads to.
type RelRow[R, M, X any] struct {
	Source R
	Rel    M
	Target X
}

// RelRows is a typed query over relationships (issue #20): the rows
// (source, relationship, target) along a path from a node set, filtered on
// the nodes and the relationship, ordered by any of their properties
// (relationship-model properties included, neomodel issue 260), and paged,
// in one query. "The visits of the people Ann knows, newest first, 20 per
// page" is
//
//	ogm.Rows(ogm.Traverse(people.PersonNodes(db).Filter(people.PersonName.Eq("Ann")), people.PersonKnows),
//		people.PersonVisited, people.VisitType).
//		OrderByRel(people.VisitOn.Desc()).Skip(page * 20).Limit(20).All(ctx)
//
// Source is a node of the set the query starts from, Target the node at
// the end of the path, and Rel the path's last relationship: over several
// hops (ogm.Then), the nodes in between are not returned; to have the node
// the last relationship starts at as Source, Traverse to it first (as
// above). A (source, relationship, target) row appears once however many
// paths lead to it.
//
// Rows with an order, a Skip or a Limit are sorted by the orders given,
// then by the relationship's element id, then the source's: rows that tie
// on every key still come in one order, so pages neither repeat nor skip
// rows. Like Nodes, a RelRows is a builder that copies: every method
// returns a new one.
type RelRows[R, M, X any] struct{ q *rowQuery }

// Rows lists the relationships of path from the nodes of from: model is the
// relationship model of path's last relationship (people.VisitType for
// people.PersonVisited; ogm.PlainRel for a relationship without one). Any
// other model, a last relationship repeated with Repeat, or a node set with
// FetchRelations make the query fail with ErrValidation. The filters,
// order, Skip and Limit of from choose the source nodes; the conditions of
// path (Match, Where) apply on the way.
func Rows[R, X, M any](from *Nodes[R], path *Path[R, X], model *RelType[M]) *RelRows[R, *M, X] {
	return &RelRows[R, *M, X]{newRowQuery(from.q, path.hops, relType(model))}
}

// relType is model as the runtime takes it: nil when it is a nil pointer.
func relType[M any](model *RelType[M]) AnyRelType {
	if model == nil {
		return nil
	}
	return model
}

// RowsOf is Rows from one node: its relationships along path, e.g. a
// person's friendships, longest first (neomodel issue 260):
//
//	ogm.RowsOf(ann, people.PersonKnows, people.KnowsType).OrderByRel(people.KnowsSince.Asc())
//
// node must be saved (bound to a database); otherwise the query fails with
// its NodeError (ErrNotSaved, ErrDeleted).
func RowsOf[R, X, M any](node R, path *Path[R, X], model *RelType[M]) *RelRows[R, *M, X] {
	return &RelRows[R, *M, X]{rowsOf(entity(node), path.hops, relType(model))}
}

// rowsOf is the rows of hops from the one node e.
func rowsOf(e Entity, hops []hop, model AnyRelType) *rowQuery {
	b := e.nodeBase()
	if err := usable(b, "rows", hops[0].rel.Owner); err != nil {
		return newRowQuery(&query{invalid: err}, hops, model)
	}
	return newRowQuery(newQuery(b.at.db, b.at.typ).filter([]cond{elementIs(b.elementID)}), hops, model)
}

// FilterRel keeps the rows whose relationship satisfies every pred.
func (r *RelRows[R, M, X]) FilterRel(preds ...Pred[M]) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.filter(conds(preds), nil)}
}

// FilterTarget keeps the rows whose target satisfies every pred.
func (r *RelRows[R, M, X]) FilterTarget(preds ...Pred[X]) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.filter(nil, conds(preds))}
}

// OrderBySource sorts the rows by properties of their source; each OrderBy…
// call adds keys after those of the calls before it.
func (r *RelRows[R, M, X]) OrderBySource(orders ...Order[R]) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.orderBy(rowSource, nodeOrders(orders))}
}

// OrderByRel sorts the rows by properties of their relationship
// (people.VisitOn.Desc(): newest first).
func (r *RelRows[R, M, X]) OrderByRel(orders ...Order[M]) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.orderBy(rowRel, nodeOrders(orders))}
}

// OrderByTarget sorts the rows by properties of their target.
func (r *RelRows[R, M, X]) OrderByTarget(orders ...Order[X]) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.orderBy(rowTarget, nodeOrders(orders))}
}

// Skip leaves out the first k rows.
func (r *RelRows[R, M, X]) Skip(k int) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.window(k, r.q.limit)}
}

// Limit returns at most k rows (0: no limit).
func (r *RelRows[R, M, X]) Limit(k int) *RelRows[R, M, X] {
	return &RelRows[R, M, X]{r.q.window(r.q.skip, k)}
}

// All returns every row, in one query.
func (r *RelRows[R, M, X]) All(ctx context.Context) ([]RelRow[R, M, X], error) {
	out := []RelRow[R, M, X]{}
	err := r.q.each(ctx, func(e relRow) { out = append(out, typedRow[R, M, X](e)) }, func() { out = out[:0] })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Iter streams the rows as the server sends them, as Nodes.Iter does (read
// its notes on transactions and the connection the loop holds).
func (r *RelRows[R, M, X]) Iter(ctx context.Context) iter.Seq2[RelRow[R, M, X], error] {
	return func(yield func(RelRow[R, M, X], error) bool) {
		r.q.iter(ctx, func(e relRow, err error) bool { return yield(typedRow[R, M, X](e), err) })
	}
}

// Count returns the number of rows (Skip and Limit apply).
func (r *RelRows[R, M, X]) Count(ctx context.Context) (int, error) { return r.q.count(ctx) }

// Statement returns the query All would send, without running it: every
// user value is in its Params.
func (r *RelRows[R, M, X]) Statement() (Statement, error) { return r.q.statement() }

// Explain returns the server's plan of the query All would send, without
// running it.
func (r *RelRows[R, M, X]) Explain(ctx context.Context) (*Plan, error) {
	return r.q.explain(ctx, false)
}

// Profile runs the query All would send with PROFILE, as a read, and
// returns its plan with the rows and database hits of each operator.
func (r *RelRows[R, M, X]) Profile(ctx context.Context) (*Plan, error) { return r.q.explain(ctx, true) }

// typedRow converts a row of the runtime's values (a missing one is nil).
func typedRow[R, M, X any](e relRow) RelRow[R, M, X] {
	s, _ := any(e.s).(R)
	m, _ := e.r.(M)
	t, _ := any(e.t).(X)
	return RelRow[R, M, X]{s, m, t}
}

// relRow is a row as the runtime decodes it.
type relRow struct {
	s Entity
	r any
	t Entity
}

// rowQuery is the type-independent state of RelRows.
type rowQuery struct {
	from   *query
	hops   []hop
	model  AnyRelType
	at     *binding // of the target type
	orders []rowOrder
	skip   int
	limit  int
	// invalid, when set, is what running the query returns.
	invalid error
}

// rowOrder is one order key of the rows: on the source, the relationship
// or the target.
type rowOrder struct {
	item orderItem
	on   string // rowSource, rowRel, rowTarget: the variable it reads
}

// The variables of a row in the query.
const (
	rowSource = "s"
	rowRel    = "r"
	rowTarget = "t"
)

func newRowQuery(from *query, hops []hop, model AnyRelType) *rowQuery {
	last := hops[len(hops)-1].rel
	q := &rowQuery{from: from, hops: hops, model: model, at: bindingOf(from.db, last.Target), invalid: from.invalid}
	want := last.Model
	if want == nil {
		want = PlainRel
	}
	switch {
	case q.invalid != nil:
	case model == nil:
		q.invalid = &Error{Op: "rows", Kind: ErrValidation, Msg: "Rows of " + last.Owner + "." + last.Name + " without its model: pass " + want.info().Name + "'s RelType"}
	case model != want:
		q.invalid = &Error{Op: "rows", Kind: ErrValidation,
			Msg: "Rows of " + last.Owner + "." + last.Name + " with model " + model.info().Name + ": its relationships are " + want.info().Name}
	case len(from.fetches) > 0:
		q.invalid = &Error{Op: "rows", Kind: ErrValidation,
			Msg: "Rows does not load the FetchRelations of the node set it starts from; drop it, or fetch with a query of its own"}
	}
	return q
}

func (q *rowQuery) clone() *rowQuery {
	c := *q
	c.orders = append([]rowOrder(nil), q.orders...)
	return &c
}

func (q *rowQuery) filter(relW, nodeW []cond) *rowQuery {
	c := q.clone()
	c.hops = narrowed(q.hops, relW, nodeW)
	return c
}

func (q *rowQuery) orderBy(on string, items []orderItem) *rowQuery {
	c := q.clone()
	for _, it := range items {
		c.orders = append(c.orders, rowOrder{it, on})
	}
	return c
}

func (q *rowQuery) window(skip, limit int) *rowQuery {
	c := q.clone()
	c.skip, c.limit = skip, limit
	return c
}

// match renders the rows bound to s, r and t, each row once.
func (q *rowQuery) match(p *params) string {
	last := len(q.hops) - 1
	q.hops[last].check(p, "rows")
	var b strings.Builder
	b.WriteString(q.from.startVar(p, rowSource))
	b.WriteString(" " + pattern(p, rowSource, q.hops, rowTarget))
	b.WriteString(" WITH ")
	if last > 0 {
		b.WriteString("DISTINCT ") // several paths may lead to one row
	}
	b.WriteString(rowSource + ", " + rowTarget + "_r" + itoa(last) + " AS " + rowRel + ", " + rowTarget)
	return b.String()
}

// windowClause renders SKIP and LIMIT, as a node set's.
func (q *rowQuery) windowClause(p *params) string {
	return (&query{skip: q.skip, limit: q.limit}).windowClause(p)
}

// tail renders the order (with its tie-breakers) and the window.
func (q *rowQuery) tail(p *params) string {
	if len(q.orders) == 0 && q.skip <= 0 && q.limit <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" ORDER BY ")
	for _, o := range q.orders {
		b.WriteString(o.item.expr(o.on))
		if o.item.desc {
			b.WriteString(" DESC")
		}
		b.WriteString(", ")
	}
	b.WriteString("elementId(" + rowRel + "), elementId(" + rowSource + ")")
	b.WriteString(q.windowClause(p))
	return b.String()
}

func (q *rowQuery) statement() (Statement, error) {
	if q.invalid != nil {
		return Statement{}, q.invalid
	}
	var p params
	text := q.match(&p) + " RETURN " + rowSource + ", " + rowRel + ", " + rowTarget + q.tail(&p)
	if p.err != nil {
		return Statement{}, p.err
	}
	return Statement{Cypher: text, Params: p.m}, nil
}

// explain is Explain (profile: Profile) of the statement.
func (q *rowQuery) explain(ctx context.Context, profile bool) (*Plan, error) {
	s, err := q.statement()
	return q.from.planOf(ctx, s, err, profile)
}

// decoder makes the decoder of one run's rows.
func (q *rowQuery) decoder() func(row []any) (relRow, error) {
	l := new(loader)
	return func(row []any) (relRow, error) {
		s, err := l.node(q.from.at, row[0].(Node))
		if err != nil {
			return relRow{}, err
		}
		r, err := l.rel(q.from.db, q.model, row[1].(Relationship))
		if err != nil {
			return relRow{}, err
		}
		t, err := l.node(q.at, row[2].(Node))
		if err != nil {
			return relRow{}, err
		}
		return relRow{s, r, t}, nil
	}
}

// each runs the query, handing each decoded row to add; a retried
// transaction calls reset first.
func (q *rowQuery) each(ctx context.Context, add func(relRow), reset func()) error {
	st, err := q.statement()
	if err != nil {
		return err
	}
	return eachRow(ctx, q.from.db, "rows", st.Cypher, st.Params, q.decoder,
		func(e relRow, _ []any) error { add(e); return nil }, reset)
}

// iter streams the rows to yield; see Nodes.Iter.
func (q *rowQuery) iter(ctx context.Context, yield func(relRow, error) bool) {
	st, err := q.statement()
	if err != nil {
		yield(relRow{}, err)
		return
	}
	if q.from.db.scope(ctx) != nil {
		var all []relRow
		if err := q.each(ctx, func(e relRow) { all = append(all, e) }, func() { all = all[:0] }); err != nil {
			yield(relRow{}, err)
			return
		}
		for _, e := range all {
			if !yield(e, nil) {
				return
			}
		}
		return
	}
	streamRows(ctx, q.from.db, "rows", st.Cypher, st.Params, q.decoder(), yield)
}

func (q *rowQuery) count(ctx context.Context) (int, error) {
	if q.invalid != nil {
		return 0, q.invalid
	}
	var p params
	text := q.match(&p)
	if win := q.windowClause(&p); win != "" {
		text += " WITH " + rowSource + ", " + rowRel + ", " + rowTarget + win
	}
	text += " RETURN count(*)"
	if p.err != nil {
		return 0, p.err
	}
	res, err := q.from.db.query(ctx, "rows count", reads, text, p.m)
	if err != nil {
		return 0, err
	}
	return int(res.Rows[0][0].(int64)), nil
}
