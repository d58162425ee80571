package ogm

import "strings"

// Pred is a condition on nodes (or relationships) of type T, built from the
// generated property handles (people.PersonAge.Gt(3)) and combined with And,
// Or and Not. The type parameter lets the compiler refuse a City condition in
// a Person query.
type Pred[T any] struct{ c cond }

// cond renders itself as a Cypher boolean expression over variable v.
type cond interface {
	cypher(p *params, v string) string
}

// And holds when every pred holds (an empty And always holds).
func And[T any](preds ...Pred[T]) Pred[T] { return Pred[T]{c: joinCond{"AND", conds(preds)}} }

// Or holds when at least one pred holds (an empty Or never holds).
func Or[T any](preds ...Pred[T]) Pred[T] { return Pred[T]{c: joinCond{"OR", conds(preds)}} }

// Not holds when pred does not.
func Not[T any](pred Pred[T]) Pred[T] { return Pred[T]{c: notCond{pred.c}} }

func conds[T any](preds []Pred[T]) []cond {
	out := make([]cond, 0, len(preds))
	for _, p := range preds {
		if p.c != nil {
			out = append(out, p.c)
		}
	}
	return out
}

type joinCond struct {
	op    string
	parts []cond
}

func (j joinCond) cypher(p *params, v string) string {
	switch len(j.parts) {
	case 0:
		if j.op == "AND" {
			return "true"
		}
		return "false"
	case 1:
		return j.parts[0].cypher(p, v)
	}
	s := make([]string, len(j.parts))
	for i, c := range j.parts {
		s[i] = "(" + c.cypher(p, v) + ")"
	}
	return strings.Join(s, " "+j.op+" ")
}

type notCond struct{ c cond }

func (n notCond) cypher(p *params, v string) string {
	if n.c == nil {
		return "false"
	}
	return "NOT (" + n.c.cypher(p, v) + ")"
}

// opCond tests one property, usually against a value, which is always sent
// as a parameter.
type opCond struct {
	key    string
	render func(prop, val string) string
	val    any
	noVal  bool // IS NULL and friends take no parameter
}

func (o opCond) cypher(p *params, v string) string {
	val := ""
	if !o.noVal {
		val = p.add(o.val)
	}
	return o.render(v+"."+Quote(o.key), val)
}

// infix renders "prop OP val".
func infix(op string) func(prop, val string) string {
	return func(prop, val string) string { return prop + " " + op + " " + val }
}

// lowerInfix renders "toLower(prop) OP toLower(val)".
func lowerInfix(op string) func(prop, val string) string {
	return func(prop, val string) string { return "toLower(" + prop + ") " + op + " toLower(" + val + ")" }
}

// Order is one ORDER BY item for nodes of type T.
type Order[T any] struct {
	key    string
	desc   bool
	random bool
}

// Random orders the nodes at random (neomodel's order_by('?')); each query
// draws a new order.
func Random[T any]() Order[T] { return Order[T]{random: true} }

// Prop is the handle of a property of type V on nodes or relationships of
// type T: generated code declares one per property (people.PersonAge).
// Every property can be compared for equality, tested for being unset, and
// ordered by.
type Prop[T, V any] struct {
	key string      // the stored key
	enc func(V) any // Go value → Cypher parameter
}

// NewProp returns the handle of the property stored under key. enc converts
// filter values to what the database stores (nil: as they are).
func NewProp[T, V any](key string, enc func(V) any) Prop[T, V] {
	if enc == nil {
		enc = func(v V) any { return v }
	}
	return Prop[T, V]{key: key, enc: enc}
}

// Key is the property's stored name.
func (f Prop[T, V]) Key() string { return f.key }

func (f Prop[T, V]) op(render func(prop, val string) string, v any) Pred[T] {
	return Pred[T]{c: opCond{key: f.key, render: render, val: v}}
}

// Eq holds when the property equals v (neomodel: prop=v, prop__exact=v).
func (f Prop[T, V]) Eq(v V) Pred[T] { return f.op(infix("="), f.enc(v)) }

// Ne holds when the property is set and differs from v (prop__ne).
func (f Prop[T, V]) Ne(v V) Pred[T] { return f.op(infix("<>"), f.enc(v)) }

// In holds when the property equals one of vs (prop__in).
func (f Prop[T, V]) In(vs ...V) Pred[T] {
	list := make([]any, len(vs))
	for i, v := range vs {
		list[i] = f.enc(v)
	}
	return f.op(infix("IN"), list)
}

// IsNull holds when the property is unset (true) or set (false)
// (prop__isnull).
func (f Prop[T, V]) IsNull(null bool) Pred[T] {
	test := " IS NOT NULL"
	if null {
		test = " IS NULL"
	}
	return Pred[T]{c: opCond{key: f.key, noVal: true, render: func(prop, _ string) string { return prop + test }}}
}

// Asc orders by the property, smallest first (unset last).
func (f Prop[T, V]) Asc() Order[T] { return Order[T]{key: f.key} }

// Desc orders by the property, largest first.
func (f Prop[T, V]) Desc() Order[T] { return Order[T]{key: f.key, desc: true} }

// OrderedProp is the handle of a property whose values have an order:
// numbers, dates and times.
type OrderedProp[T, V any] struct{ Prop[T, V] }

// NewOrderedProp returns the handle of an ordered property; see NewProp.
func NewOrderedProp[T, V any](key string, enc func(V) any) OrderedProp[T, V] {
	return OrderedProp[T, V]{NewProp[T, V](key, enc)}
}

// Lt holds when the property is less than v (prop__lt).
func (f OrderedProp[T, V]) Lt(v V) Pred[T] { return f.op(infix("<"), f.enc(v)) }

// Lte holds when the property is at most v (prop__lte).
func (f OrderedProp[T, V]) Lte(v V) Pred[T] { return f.op(infix("<="), f.enc(v)) }

// Gt holds when the property is greater than v (prop__gt).
func (f OrderedProp[T, V]) Gt(v V) Pred[T] { return f.op(infix(">"), f.enc(v)) }

// Gte holds when the property is at least v (prop__gte).
func (f OrderedProp[T, V]) Gte(v V) Pred[T] { return f.op(infix(">="), f.enc(v)) }

// StringProp is the handle of a string property, with neomodel's text
// operators. The I… variants ignore case.
type StringProp[T any] struct{ OrderedProp[T, string] }

// NewStringProp returns the handle of the string property stored under key.
func NewStringProp[T any](key string) StringProp[T] {
	return StringProp[T]{NewOrderedProp[T, string](key, nil)}
}

// Exact is Eq (prop__exact).
func (f StringProp[T]) Exact(v string) Pred[T] { return f.Eq(v) }

// IExact holds when the property equals v ignoring case (prop__iexact).
func (f StringProp[T]) IExact(v string) Pred[T] { return f.op(lowerInfix("="), v) }

// Contains holds when v occurs in the property (prop__contains).
func (f StringProp[T]) Contains(v string) Pred[T] { return f.op(infix("CONTAINS"), v) }

// IContains is Contains ignoring case (prop__icontains).
func (f StringProp[T]) IContains(v string) Pred[T] {
	return f.op(lowerInfix("CONTAINS"), v)
}

// StartsWith holds when the property starts with v (prop__startswith).
func (f StringProp[T]) StartsWith(v string) Pred[T] { return f.op(infix("STARTS WITH"), v) }

// IStartsWith is StartsWith ignoring case (prop__istartswith).
func (f StringProp[T]) IStartsWith(v string) Pred[T] {
	return f.op(lowerInfix("STARTS WITH"), v)
}

// EndsWith holds when the property ends with v (prop__endswith).
func (f StringProp[T]) EndsWith(v string) Pred[T] { return f.op(infix("ENDS WITH"), v) }

// IEndsWith is EndsWith ignoring case (prop__iendswith).
func (f StringProp[T]) IEndsWith(v string) Pred[T] {
	return f.op(lowerInfix("ENDS WITH"), v)
}

// Regex holds when the whole property matches the Java regular expression
// pattern (prop__regex; Cypher's =~ anchors at both ends).
func (f StringProp[T]) Regex(pattern string) Pred[T] { return f.op(infix("=~"), pattern) }

// IRegex is Regex ignoring case, for any script (prop__iregex; the
// pattern gets Java's (?iu) flags).
func (f StringProp[T]) IRegex(pattern string) Pred[T] { return f.op(infix("=~"), "(?iu)"+pattern) }

// ListProp is the handle of an array property with elements of type E.
type ListProp[T, E any] struct {
	Prop[T, []E]
	encElem func(E) any
}

// NewListProp returns the handle of the array property stored under key;
// enc converts one element (nil: as it is).
func NewListProp[T, E any](key string, enc func(E) any) ListProp[T, E] {
	if enc == nil {
		enc = func(e E) any { return e }
	}
	list := func(es []E) any {
		out := make([]any, len(es))
		for i, e := range es {
			out[i] = enc(e)
		}
		return out
	}
	return ListProp[T, E]{Prop: NewProp[T, []E](key, list), encElem: enc}
}

// Contains holds when e is an element of the array.
func (f ListProp[T, E]) Contains(e E) Pred[T] {
	return f.op(func(prop, val string) string { return val + " IN " + prop }, f.encElem(e))
}

// ContainsAny holds when the array shares at least one element with es.
func (f ListProp[T, E]) ContainsAny(es ...E) Pred[T] {
	return f.op(func(prop, val string) string { return "any(x IN " + prop + " WHERE x IN " + val + ")" }, f.enc(es))
}

// ContainsAll holds when every one of es is an element of the array.
func (f ListProp[T, E]) ContainsAll(es ...E) Pred[T] {
	return f.op(func(prop, val string) string { return "all(x IN " + val + " WHERE x IN " + prop + ")" }, f.enc(es))
}
