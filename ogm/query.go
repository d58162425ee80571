package ogm

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// query is the type-independent state and machinery behind Nodes[T]: which
// nodes (label, scope, filters), in which order and window, with which
// relationships fetched. Nodes[T] only converts between *T and Entity, so
// that the code compiled per generated type stays small (issue #16: the
// compile cost of a schema grows with its number of types, not their
// square).
type query struct {
	db      *DB
	typ     AnyNodeType
	at      *binding // of typ on db
	where   []cond
	orders  []orderItem
	skip    int
	limit   int // 0: no limit
	fetches []*fetchNode
	scope   source     // set when the query starts elsewhere: a relationship manager, Traverse
	aggs    []*aggSpec // aggregates returned with each node (Annotate; aggregate.go)
	// invalid, when set, is what running the query returns: it was made
	// without a database, or from a node that is not saved.
	invalid error
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
	agg    *aggSpec // set: by an aggregate of the node (aggregate.go)
}

func newQuery(db *DB, t AnyNodeType) *query {
	q := &query{db: db, typ: t, at: bindingOf(db, t)}
	if db == nil {
		q.invalid = &NodeError{Op: "query", Type: t.info().Name, Kind: ErrNoDB}
	}
	return q
}

func (q *query) clone() *query {
	c := *q
	c.where = slices.Clip(q.where)
	c.orders = slices.Clip(q.orders)
	c.fetches = slices.Clip(q.fetches)
	c.aggs = slices.Clip(q.aggs)
	return &c
}

func (q *query) label() string { return q.typ.info().Label }

func (q *query) typeName() string { return q.typ.info().Name }

func (q *query) filter(cs []cond) *query {
	c := q.clone()
	c.where = append(c.where, cs...)
	return c
}

func (q *query) exclude(cs []cond) *query {
	c := q.clone()
	c.where = append(c.where, notCond{joinCond{"AND", cs}})
	return c
}

func (q *query) orderBy(items []orderItem) *query {
	c := q.clone()
	c.orders = append(c.orders, items...)
	return c
}

func (q *query) window(skip, limit int) *query {
	c := q.clone()
	c.skip, c.limit = skip, limit
	return c
}

// fetch adds relationships to load; a path without Optional also keeps
// only the nodes that have it.
func (q *query) fetch(nodes []*fetchNode) *query {
	c := q.clone()
	for _, f := range nodes {
		c.fetches = append(c.fetches, f)
		for _, hops := range f.requiredPaths(nil) {
			c.where = append(c.where, fetchExists{existsPath(hops)})
		}
	}
	return c
}

// matchVar builds "MATCH … WHERE …" binding the nodes to variable v.
func (q *query) matchVar(p *params, v string) string {
	var b strings.Builder
	if q.scope != nil {
		b.WriteString(q.scope.match(p, q.label(), v))
	} else {
		b.WriteString("MATCH (" + v)
		b.WriteString(labelExpr([]string{q.label()}))
		b.WriteString(")")
	}
	plain, post := splitAggConds(q.where)
	if len(plain) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(joinCond{"AND", plain}.cypher(p, v))
	}
	b.WriteString(q.aggClause(p, v, post))
	return b.String()
}

// tailVar builds ORDER BY / SKIP / LIMIT over variable v.
func (q *query) tailVar(p *params, v string) string {
	return q.orderClause(func(_ int, o orderItem) string { return q.orderExpr(o, v) }) + q.windowClause(p)
}

// expr is what the order sorts by, for the node in variable v.
func (o orderItem) expr(v string) string {
	if o.random {
		return "rand()"
	}
	return v + "." + Quote(o.key)
}

// orderClause renders ORDER BY over the query's orders, the i-th sorting
// by key(i, order); "" when there are none.
func (q *query) orderClause(key func(int, orderItem) string) string {
	var b strings.Builder
	for i, o := range q.orders {
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

// windowClause renders SKIP and LIMIT.
func (q *query) windowClause(p *params) string {
	var s string
	if q.skip > 0 {
		s += " SKIP " + p.add(int64(q.skip))
	}
	if q.limit > 0 {
		s += " LIMIT " + p.add(int64(q.limit))
	}
	return s
}

// startVar renders the node set bound to variable v, ready to be followed
// (Traverse): its filters, then its order and window if it has them.
func (q *query) startVar(p *params, v string) string {
	s := q.matchVar(p, v)
	if t := q.tailVar(p, v); t != "" {
		s += " WITH " + v + t
	}
	return s
}

// rowDecoder turns one result row into a node value. A decoder may keep
// state across the rows of one run (the flat plan's repeated-node check),
// so plan hands out a function that makes a fresh one per run.
type rowDecoder func(row []any) (Entity, error)

// plan builds the query returning the nodes (with what FetchRelations asks
// for), its parameters, and the maker of its row decoder. With flat,
// fetches along to-one hops only use the flat plan (fetchflat.go), whose
// decoder fails with errRefetch when a node repeats; without, the nested
// plan, one row per node always.
func (q *query) plan(flat bool) (string, map[string]any, func() rowDecoder, error) {
	var p params
	if len(q.fetches) == 0 {
		text := q.matchVar(&p, "n") + " RETURN n" + q.aggCols("n", false) + q.tailVar(&p, "n")
		return text, p.m, func() rowDecoder {
			l := new(loader)
			return func(row []any) (Entity, error) { return l.node(q.at, row[0].(Node)) }
		}, p.err
	}
	// Without Skip or Limit, the required paths are tested on what is
	// fetched, not by the EXISTS tests of the root MATCH as well.
	limited := q.limit > 0 || q.skip > 0
	m := q
	if !limited {
		m = q.clone()
		m.where = slices.DeleteFunc(slices.Clone(m.where), func(c cond) bool { _, ok := c.(fetchExists); return ok })
	}
	text := m.matchVar(&p, "n")
	roots, required := buildTree(q.db, q.fetches)
	if flat {
		if cols := flatPlan(roots); cols != nil {
			return text + q.flatQuery(&p, cols, limited), p.m, func() rowDecoder { return q.flatDecode(cols) }, p.err
		}
	}
	ret, decoder := q.fetchReturn(&p, roots, required, !limited)
	return text + ret + q.tailVar(&p, "n"), p.m, decoder, p.err
}

// each runs the query (with limit instead of the query's own) and hands
// each row's node to add as it arrives, so the raw rows and the values are
// never held at once. A retried transaction calls reset first: the nodes
// handed out so far are to be dropped. The flat plan falls back to the
// nested one when a to-one relationship turns out to be stored twice.
func (q *query) each(ctx context.Context, op string, limit int, add func(Entity), reset func()) error {
	return q.eachRow(ctx, op, limit, func(e Entity, _ []any) error { add(e); return nil }, reset)
}

// eachRow is each handing add the row with the node, for the columns
// after the node's (Annotate).
func (q *query) eachRow(ctx context.Context, op string, limit int, add func(Entity, []any) error, reset func()) error {
	if q.invalid != nil {
		return q.invalid
	}
	c := *q
	c.limit = limit
	err := c.load(ctx, op, true, add, reset)
	if errors.Is(err, errRefetch) {
		reset()
		err = c.load(ctx, op, false, add, reset)
	}
	return err
}

// collect is each into a slice.
func (q *query) collect(ctx context.Context, op string, limit int) ([]Entity, error) {
	var out []Entity
	err := q.each(ctx, op, limit, func(e Entity) { out = append(out, e) }, func() { out = out[:0] })
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (q *query) load(ctx context.Context, op string, flat bool, add func(Entity, []any) error, reset func()) error {
	text, params, decoder, err := q.plan(flat)
	if err != nil {
		return err
	}
	return eachRow(ctx, q.db, op, text, params, decoder, add, reset)
}

// one is the node of a Get (two rows fetched: more is an error) or First
// (one row), nil when there is none.
func (q *query) one(ctx context.Context, op string, preds []cond) (Entity, error) {
	limit := 1
	if op == "get" {
		limit = 2
	}
	found, err := q.filter(preds).collect(ctx, op, limit)
	switch {
	case err != nil:
		return nil, err
	case len(found) > 1:
		return nil, &NodeError{Op: op, Type: q.typeName(), Kind: ErrMultipleNodes}
	case len(found) == 0:
		return nil, nil
	}
	return found[0], nil
}

// iter streams the nodes to yield as the server sends them; see Nodes.Iter.
func (q *query) iter(ctx context.Context, yield func(Entity, error) bool) {
	if q.invalid != nil {
		yield(nil, q.invalid)
		return
	}
	if q.db.scope(ctx) != nil {
		all, err := q.collect(ctx, "all", q.limit)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, e := range all {
			if !yield(e, nil) {
				return
			}
		}
		return
	}
	text, params, decoder, err := q.plan(false)
	if err != nil {
		yield(nil, err)
		return
	}
	streamRows(ctx, q.db, "iter", text, params, decoder(), yield)
}

// errStopped ends a streaming query whose consumer stopped.
var errStopped = errorString("iteration stopped")

func (q *query) count(ctx context.Context) (int, error) {
	if q.invalid != nil {
		return 0, q.invalid
	}
	var p params
	text := q.matchVar(&p, "n") + " WITH n" + q.tailVar(&p, "n") + " RETURN count(n)"
	if p.err != nil {
		return 0, p.err
	}
	res, err := q.db.query(ctx, "count", reads, text, p.m)
	if err != nil {
		return 0, err
	}
	return int(res.Rows[0][0].(int64)), nil
}

func (q *query) exists(ctx context.Context) (bool, error) {
	c, err := q.window(q.skip, 1).count(ctx)
	return c > 0, err
}

func (q *query) contains(ctx context.Context, e Entity) (bool, error) {
	b := e.nodeBase()
	if err := usable(b, "contains", q.typeName()); err != nil {
		return false, err
	}
	return q.filter([]cond{elementIs(b.elementID)}).exists(ctx)
}

func (q *query) elementIDs(ctx context.Context) ([]string, error) {
	if q.invalid != nil {
		return nil, q.invalid
	}
	var p params
	text := q.matchVar(&p, "n") + " RETURN elementId(n)" + q.tailVar(&p, "n")
	if p.err != nil {
		return nil, p.err
	}
	res, err := q.db.query(ctx, "element ids", reads, text, p.m)
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

// prepareCreate readies e, a node of type t, to be created: its defaults,
// the BeforeSave hook, validation, and then its encoded properties.
func prepareCreate(ctx context.Context, t AnyNodeType, e Entity) (map[string]any, error) {
	t.defaultsEntity(e)
	if err := beforeSave(ctx, e); err != nil {
		return nil, err
	}
	if err := validateNode(t, e); err != nil {
		return nil, err
	}
	return t.encodeEntity(e)
}

// create writes nodes in one query (UNWIND): all or none are written. It
// creates on a type's manager only: run on a filtered or scoped node set it
// would drop the filter.
func (q *query) create(ctx context.Context, nodes []Entity) error {
	if q.invalid != nil {
		return q.invalid
	}
	if err := q.unfiltered("create"); err != nil {
		return err
	}
	if len(nodes) == 0 {
		return nil
	}
	info := q.typ.info()
	err := q.db.changing(ctx, func(u *undoLog) error {
		rows := make([]any, len(nodes))
		for i, e := range nodes {
			b := e.nodeBase()
			switch {
			case b.deleted:
				return &NodeError{Op: "create", Type: info.Name, ID: b.elementID, Kind: ErrDeleted}
			case b.elementID != "":
				return &NodeError{Op: "create", Type: info.Name, ID: b.elementID, Kind: errAlreadySaved}
			}
			u.remember(e)
			props, err := prepareCreate(ctx, q.typ, e)
			if err != nil {
				return err
			}
			rows[i] = props
		}
		text := "UNWIND $rows AS row CREATE (n" + labelExpr(info.Labels) + ") SET n = row RETURN elementId(n)"
		res, err := q.db.query(ctx, "create", writes, text, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		for i, e := range nodes {
			bind(e.nodeBase(), q.at, res.Rows[i][0].(string))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range nodes {
		if err := afterCreate(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// unfiltered refuses op, a write of new nodes, on a node set narrower than
// all nodes of the type.
func (q *query) unfiltered(op string) error {
	if q.scope != nil || len(q.where) > 0 {
		return &NodeError{Op: op, Type: q.typeName(), Kind: ErrFilteredSet,
			Hint: "call it on " + q.typeName() + "Nodes(db), or on the relationship manager for a connected node"}
	}
	return nil
}

// ErrFilteredSet: Create, CreateMany, GetOrCreate or CreateOrUpdate was
// called on a filtered node set (Filter, Exclude, a relationship's
// targets), whose filter a new node would not satisfy.
var ErrFilteredSet = errorString("only on all nodes of a type")

var errAlreadySaved = errorString("node already saved (use Save to update it)")

// errorString is a constant-friendly error kind.
type errorString string

func (e errorString) Error() string { return string(e) }

// itoa is strconv.Itoa, named for the query builders' brevity.
func itoa(i int) string { return strconv.Itoa(i) }
