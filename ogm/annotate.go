package ogm

import (
	"context"
	"reflect"
	"slices"
	"time"
)

// Number is the value types Sum and Avg take: the Go types of int and
// float properties.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

// Agg is an aggregate over a path from R nodes whose value every node has
// (Count, Sum, Collect: 0 or an empty list when the path reaches nothing).
// Pass it to Annotate to get its value with each node, and use its
// conditions in Filter and its orders in OrderBy of the nodes' query:
//
//	friends := ogm.Count(people.PersonKnows)
//	popular := people.PersonNodes(db).Filter(friends.Gt(3)).OrderBy(friends.Desc())
//
// Its operators are function fields, like the property handles'.
type Agg[R, V any] struct {
	a *aggSpec
	// Of is the aggregate's value in a row of Annotate. It panics when the
	// aggregate was not passed to that Annotate.
	Of func(row Annotated[R]) V
	// Eq holds for the nodes whose aggregate equals v.
	Eq func(v V) Pred[R]
	// Ne holds for the nodes whose aggregate differs from v.
	Ne func(v V) Pred[R]
	// Gt holds for the nodes whose aggregate is greater than v.
	Gt func(v V) Pred[R]
	// Gte holds for the nodes whose aggregate is at least v.
	Gte func(v V) Pred[R]
	// Lt holds for the nodes whose aggregate is less than v.
	Lt func(v V) Pred[R]
	// Lte holds for the nodes whose aggregate is at most v.
	Lte func(v V) Pred[R]
	// Asc orders the nodes by the aggregate, smallest first.
	Asc func() Order[R]
	// Desc orders the nodes by the aggregate, largest first.
	Desc func() Order[R]
}

// OptAgg is an aggregate over a path from R nodes that is unset when the
// path reaches no value (Avg, Min, Max): its conditions do not hold for
// such a node, and it sorts last (Asc) or first (Desc) like an unset
// property.
type OptAgg[R, V any] struct {
	a *aggSpec
	// Of is the aggregate's value in a row of Annotate, and false when it
	// is unset. It panics when the aggregate was not passed to that
	// Annotate.
	Of func(row Annotated[R]) (V, bool)
	// Eq holds for the nodes whose aggregate equals v.
	Eq func(v V) Pred[R]
	// Ne holds for the nodes whose aggregate is set and differs from v.
	Ne func(v V) Pred[R]
	// Gt holds for the nodes whose aggregate is greater than v.
	Gt func(v V) Pred[R]
	// Gte holds for the nodes whose aggregate is at least v.
	Gte func(v V) Pred[R]
	// Lt holds for the nodes whose aggregate is less than v.
	Lt func(v V) Pred[R]
	// Lte holds for the nodes whose aggregate is at most v.
	Lte func(v V) Pred[R]
	// IsNull holds for the nodes whose aggregate is unset (true) or set
	// (false).
	IsNull func(null bool) Pred[R]
	// Asc orders the nodes by the aggregate, smallest first (unset last).
	Asc func() Order[R]
	// Desc orders the nodes by the aggregate, largest first (unset first).
	Desc func() Order[R]
}

func (g *Agg[R, V]) aggregate(R) *aggSpec    { return g.a }
func (g *OptAgg[R, V]) aggregate(R) *aggSpec { return g.a }

// Annotation is an aggregate Annotate returns with R nodes: an *Agg or an
// *OptAgg. (The argument of its method is never used: it ties the
// interface to R.)
type Annotation[R any] interface{ aggregate(R) *aggSpec }

// aggOps are the operators Agg and OptAgg share, for aggregate a whose
// values enc encodes.
type aggOps[R, V any] struct {
	eq, ne, gt, gte, lt, lte func(V) Pred[R]
	asc, desc                func() Order[R]
}

func newAggOps[R, V any](a *aggSpec, enc func(V) any) aggOps[R, V] {
	op := func(o operator) func(V) Pred[R] {
		return func(v V) Pred[R] { return Pred[R]{aggCond{a: a, op: o, val: encode(enc, v)}} }
	}
	return aggOps[R, V]{eq: op(opEq), ne: op(opNe), gt: op(opGt), gte: op(opGte), lt: op(opLt), lte: op(opLte),
		asc:  func() Order[R] { return Order[R]{orderItem{agg: a}} },
		desc: func() Order[R] { return Order[R]{orderItem{agg: a, desc: true}} },
	}
}

//go:noinline
func newAgg[R, V any](a *aggSpec, enc func(V) any) *Agg[R, V] {
	a.check, a.want = fits[V], reflect.TypeFor[V]().String()
	o := newAggOps[R](a, enc)
	return &Agg[R, V]{a: a,
		Of: func(row Annotated[R]) V { v, _ := convTo[V](row.vals.get(a)); return v },
		Eq: o.eq, Ne: o.ne, Gt: o.gt, Gte: o.gte, Lt: o.lt, Lte: o.lte, Asc: o.asc, Desc: o.desc}
}

//go:noinline
func newOptAgg[R, V any](a *aggSpec, enc func(V) any) *OptAgg[R, V] {
	a.check, a.want = fits[V], reflect.TypeFor[V]().String()
	o := newAggOps[R](a, enc)
	return &OptAgg[R, V]{a: a,
		Of: func(row Annotated[R]) (V, bool) {
			x := row.vals.get(a)
			if x == nil {
				return zero[V](), false
			}
			return convTo[V](x)
		},
		Eq: o.eq, Ne: o.ne, Gt: o.gt, Gte: o.gte, Lt: o.lt, Lte: o.lte, Asc: o.asc, Desc: o.desc,
		IsNull: func(null bool) Pred[R] {
			if null {
				return Pred[R]{aggCond{a: a, op: opIsNull, noVal: true}}
			}
			return Pred[R]{aggCond{a: a, op: opIsNotNull, noVal: true}}
		},
	}
}

// Count is the number of paths p finds from each R node: for one
// relationship, its number of relationships (neomodel's Size); 0 when there
// are none. Paths through Match and Where count only where their
// conditions hold.
func Count[R, X any](p *Path[R, X]) *Agg[R, int] {
	return newAgg[R, int](&aggSpec{hops: p.hops, fn: "count"}, nil)
}

// Sum is the sum of prop over the paths p finds from each R node (0 when
// there are none). prop is a property of the targets (X) or of the
// relationship model of p's last relationship; any other type's property
// fails the query with ErrValidation before it is sent.
func Sum[R, X, T any, V Number](p *Path[R, X], prop *OrderedProp[T, V]) *Agg[R, V] {
	a := propAgg[X, T](p.hops, "sum", prop.Key())
	return newAgg[R](a, encoderOf(prop.Eq))
}

// Avg is the average of prop over the paths p finds from each R node,
// unset when there are none (or none has prop). prop is as for Sum.
func Avg[R, X, T any, V Number](p *Path[R, X], prop *OrderedProp[T, V]) *OptAgg[R, float64] {
	return newOptAgg[R, float64](propAgg[X, T](p.hops, "avg", prop.Key()), nil)
}

// Min is the smallest value of prop (a number, date or time) over the
// paths p finds from each R node, unset when there are none. prop is as
// for Sum.
func Min[R, X, T, V any](p *Path[R, X], prop *OrderedProp[T, V]) *OptAgg[R, V] {
	return newOptAgg[R](propAgg[X, T](p.hops, "min", prop.Key()), encoderOf(prop.Eq))
}

// Max is the largest value of prop over the paths p finds from each R node,
// unset when there are none. prop is as for Sum.
func Max[R, X, T, V any](p *Path[R, X], prop *OrderedProp[T, V]) *OptAgg[R, V] {
	return newOptAgg[R](propAgg[X, T](p.hops, "max", prop.Key()), encoderOf(prop.Eq))
}

// Collect is the list of the values of prop (a number, date or time) over
// the paths p finds from each R node, in no particular order, without the
// unset ones (neomodel's Collect); empty when there are none. prop is as
// for Sum. Its conditions compare whole lists.
func Collect[R, X, T, V any](p *Path[R, X], prop *OrderedProp[T, V]) *Agg[R, []V] {
	enc := encoderOf(prop.Eq)
	return newAgg[R](propAgg[X, T](p.hops, "collect", prop.Key()), func(vs []V) any { return encodeAll(enc, vs) })
}

// CollectStrings is Collect of a string property.
func CollectStrings[R, X, T any](p *Path[R, X], prop *StringProp[T]) *Agg[R, []string] {
	return newAgg[R, []string](propAgg[X, T](p.hops, "collect", prop.Key()), nil)
}

// propAgg is the aggregate fn of the property stored under key on T, which
// must be the path's target type X or its last relationship's model.
func propAgg[X, T any](hops []hop, fn, key string) *aggSpec {
	a := &aggSpec{hops: hops, fn: fn, key: key}
	last := hops[len(hops)-1].rel
	if _, ok := any(zero[T]()).(X); ok {
		return storedFormAgg(a, last.Target.info().Name, last.Target.info().Props)
	}
	if last.Model != nil {
		if _, ok := any(last.Model.newRel()).(T); ok {
			a.onRel = true
			return storedFormAgg(a, last.Model.info().Name, last.Model.info().Props)
		}
	}
	a.err = &Error{Op: "aggregate", Kind: ErrValidation,
		Msg: a.name() + ": " + Quote(key) + " is a property of neither " + last.Target.info().Name + " nor the relationship " + last.Type}
	return a
}

// storedFormAgg refuses a, an aggregate of the property stored under
// a.key of type typ, when the property has a stored form (stored_as:
// epoch seconds, text): the server would aggregate the stored values,
// which do not decode as the Go type (and text does not order as time).
func storedFormAgg(a *aggSpec, typ string, props []PropInfo) *aggSpec {
	for _, p := range props {
		if p.Key == a.key && p.Form != nil {
			a.err = &Error{Op: "aggregate", Kind: ErrValidation,
				Msg: a.name() + ": " + typ + "." + p.Name + " is a " + p.Form.String() + ", not a Neo4j temporal value: aggregate it in Go, or declare it without stored_as"}
		}
	}
	return a
}

// encoderOf recovers the encoding of a property handle's filter values from
// its Eq operator, so that an aggregate of a date compares with a date.
func encoderOf[T, V any](eq func(V) Pred[T]) func(V) any {
	return func(v V) any { return eq(v).c.(opCond).val }
}

// convAny is convTo as an any: nil stays nil (unset).
func convAny[V any](x any) (any, bool) {
	if x == nil {
		return nil, true
	}
	return convTo[V](x)
}

// fits reports whether x, a value the server sent, converts to V (nil,
// unset, does).
func fits[V any](x any) bool {
	if x == nil {
		return true
	}
	_, ok := convTo[V](x)
	return ok
}

// convTo converts a value the server sent into V: int64 into the integer
// types, int64 or float64 into the floats, Date, LocalDateTime and DateTime
// into time.Time, lists element by element.
func convTo[V any](x any) (V, bool) {
	// A switch on the zero value, not on &out: a pointer to out would
	// escape and cost an allocation per value.
	var out V
	switch any(out).(type) {
	case int:
		i, ok := x.(int64)
		return any(int(i)).(V), ok
	case int64:
		i, ok := x.(int64)
		return any(i).(V), ok
	case float64:
		f, ok := convFloat(x)
		return any(f).(V), ok
	case string:
		s, ok := x.(string)
		return any(s).(V), ok
	case time.Time:
		var t time.Time
		var ok bool
		switch x.(type) {
		case Date:
			t, ok = convDate(x)
		case LocalDateTime:
			t, ok = convLocalDateTime(x)
		default:
			t, ok = convDateTime(x)
		}
		return any(t).(V), ok
	}
	return convReflect[V](x)
}

// convReflect is convTo of named number and string types and of lists (a
// function of its own: its &out escapes, which would make every call of
// convTo allocate).
func convReflect[V any](x any) (V, bool) {
	var out V
	rv := reflect.ValueOf(&out).Elem()
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := x.(int64)
		rv.SetInt(i)
		return out, ok
	case reflect.Float32, reflect.Float64:
		f, ok := convFloat(x)
		rv.SetFloat(f)
		return out, ok
	case reflect.String:
		s, ok := x.(string)
		rv.SetString(s)
		return out, ok
	case reflect.Slice:
		list, ok := x.([]any)
		if !ok {
			return out, false
		}
		rv.Set(reflect.MakeSlice(rv.Type(), len(list), len(list)))
		conv := elemConv(rv.Type().Elem())
		for i, e := range list {
			v, ok := conv(e)
			if !ok || v == nil {
				return out, false
			}
			rv.Index(i).Set(reflect.ValueOf(v))
		}
		return out, true
	}
	v, ok := x.(V)
	return v, ok
}

// elemConv is convAny of the element type of a Collect.
func elemConv(t reflect.Type) func(any) (any, bool) {
	switch t {
	case reflect.TypeFor[int]():
		return convAny[int]
	case reflect.TypeFor[int64]():
		return convAny[int64]
	case reflect.TypeFor[float64]():
		return convAny[float64]
	case reflect.TypeFor[string]():
		return convAny[string]
	case reflect.TypeFor[time.Time]():
		return convAny[time.Time]
	}
	return func(x any) (any, bool) {
		v := reflect.ValueOf(x)
		if !v.IsValid() || !v.Type().ConvertibleTo(t) {
			return nil, false
		}
		return v.Convert(t).Interface(), true
	}
}

// Annotated is one node of an Annotate query with its aggregates: read
// them with the aggregate's Of (friends.Of(row)).
type Annotated[P any] struct {
	Node P
	vals aggValues
}

// aggValues are the aggregates of one row, in the order of the query's
// annotations, as the server sent them (checked to convert; Of converts).
type aggValues struct {
	aggs []*aggSpec
	vals []any
}

func (v aggValues) get(a *aggSpec) any {
	for i, x := range v.aggs {
		if x == a {
			return v.vals[i]
		}
	}
	panic("ogm: the aggregate " + a.name() + " is not one of this query's annotations (pass it to Annotate)")
}

// AnnotatedNodes is a node query whose nodes come with aggregates
// (Annotate). It is a value like Nodes: build the node query first
// (Filter, OrderBy, Skip, Limit, FetchRelations), then annotate it.
type AnnotatedNodes[P any] struct{ q *query }

// Annotate returns the nodes of nodes each with the aggregates aggs, all
// in one query (neomodel's annotate):
//
//	reviews, stars := ogm.Count(books.BookReviewers), ogm.Avg(books.BookReviewers, books.ReviewStars)
//	rows, err := ogm.Annotate(books.BookNodes(db).OrderBy(stars.Desc()).Limit(10), reviews, stars).All(ctx)
//	for _, r := range rows {
//		avg, rated := stars.Of(r)
//		…(r.Node.Title, reviews.Of(r), avg, rated)
//	}
func Annotate[P any](nodes *Nodes[P], aggs ...Annotation[P]) *AnnotatedNodes[P] {
	specs := make([]*aggSpec, 0, len(aggs))
	for _, a := range aggs {
		specs = append(specs, a.aggregate(zero[P]()))
	}
	return &AnnotatedNodes[P]{nodes.q.annotate(specs)}
}

// All returns the nodes with their aggregates.
func (a *AnnotatedNodes[P]) All(ctx context.Context) ([]Annotated[P], error) {
	var out []Annotated[P]
	err := a.q.annotated(ctx, func(e Entity, vals aggValues) {
		out = append(out, Annotated[P]{Node: any(e).(P), vals: vals})
	}, func() { out = out[:0] })
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Annotated[P]{}
	}
	return out, nil
}

// Statement returns the query All would send, without running it.
func (a *AnnotatedNodes[P]) Statement() (Statement, error) { return a.q.statement() }

// Explain returns the server's plan for the query All would send, without
// running it.
func (a *AnnotatedNodes[P]) Explain(ctx context.Context) (*Plan, error) {
	return a.q.explain(ctx, false)
}

// Profile runs the query All would send with PROFILE and returns its plan.
func (a *AnnotatedNodes[P]) Profile(ctx context.Context) (*Plan, error) {
	return a.q.explain(ctx, true)
}

// annotate is the query returning specs with each node (once each).
func (q *query) annotate(specs []*aggSpec) *query {
	c := q.clone()
	for _, s := range specs {
		if !slices.Contains(c.aggs, s) {
			c.aggs = append(c.aggs, s)
		}
	}
	return c
}

// annotated runs the query and hands add each node with its decoded
// aggregates (the last columns of each row).
func (q *query) annotated(ctx context.Context, add func(Entity, aggValues), reset func()) error {
	k := len(q.aggs)
	return q.eachRow(ctx, "all", q.limit, func(e Entity, row []any) error {
		// The row is the driver's, made for this record and not used after
		// it: its last k values are kept as they are (no copy), and the
		// node columns before them are cleared so that the rows kept do not
		// hold the decoded nodes' raw properties.
		vals := row[len(row)-k:]
		clear(row[:len(row)-k])
		for i, a := range q.aggs {
			if !a.check(vals[i]) {
				return &PropertyTypeError{Type: q.typeName(), Prop: a.name(), Want: a.want, Value: vals[i]}
			}
		}
		add(e, aggValues{aggs: q.aggs, vals: vals})
		return nil
	}, reset)
}
