package ogm

import "fmt"

// Property handles. Generated code declares one per property
// (people.PersonAge, an *OrderedProp[*people.Person, int]); its operators
// build the Pred and Order values of Filter and OrderBy, and the type
// parameters make the compiler check both the node type and the value type
// of each condition: people.PersonAge.Gt(3) is a Pred[*people.Person].
//
// The operators are fields holding functions, not methods. Go compiles
// every method of a generic type once per instantiation, so methods would
// cost a compiled function per operator, per value type, per node type: the
// largest share of a generated package's build (issue #16). The functions
// here are closures made by the constructors, which are generic in pointer
// and value types only, so each operator is compiled once per value type
// for a whole program. Calls read the same (people.PersonAge.Gt(3)); make
// handles with the constructors only (a zero handle has no operators).

// prop is the part of a handle that does not depend on its types.
type prop struct{ key string }

func (p prop) test(op operator, v any) cond { return opCond{key: p.key, op: op, val: v} }

// MaxPatternLength is the longest pattern Regex and IRegex send to the
// server, in bytes. The server's regular-expression engine cannot be
// interrupted while it compiles and runs a pattern on one value, and its
// cost grows with the square of a long pattern's length: measured on
// Neo4j 5.26, a 1,024-character literal costs 0.5 to 3 ms per node tested
// (a 4,096-character one 30 ms, a 16,384-character one 300 ms), and
// neither the caller's context nor the transaction timeout stops that
// inside one value; between values the timeout does (WithTxTimeout). A
// longer pattern fails the query with ErrValidation before anything is
// sent.
const MaxPatternLength = 1024

// regex is the condition prop =~ flags+pattern, refused when the pattern
// is longer than MaxPatternLength.
func (p prop) regex(pattern, flags string) cond {
	c := opCond{key: p.key, op: opRegex, val: flags + pattern}
	if len(pattern) > MaxPatternLength {
		c.err = &Error{Op: "filter", Kind: ErrValidation,
			Msg: fmt.Sprintf("the pattern for %s is %d bytes long; at most %d are sent (ogm.MaxPatternLength)", Quote(p.key), len(pattern), MaxPatternLength)}
	}
	return c
}

func (p prop) null(null bool) cond {
	if null {
		return opCond{key: p.key, op: opIsNull, noVal: true}
	}
	return opCond{key: p.key, op: opIsNotNull, noVal: true}
}

func (p prop) order(desc bool) orderItem { return orderItem{key: p.key, desc: desc} }

func (p prop) keyOf() string { return p.key }

// encode converts a filter value to what the database stores (enc nil: as
// it is).
func encode[V any](enc func(V) any, v V) any {
	if enc == nil {
		return v
	}
	return enc(v)
}

// encodeAll converts each of vs.
func encodeAll[V any](enc func(V) any, vs []V) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = encode(enc, v)
	}
	return out
}

// cmp is the operator op against one value.
func cmp[T, V any](p prop, enc func(V) any, op operator) func(V) Pred[T] {
	return func(v V) Pred[T] { return Pred[T]{p.test(op, encode(enc, v))} }
}

// common are the operators every handle has.
type common[T, V any] struct {
	eq, ne    func(V) Pred[T]
	in        func(...V) Pred[T]
	isNull    func(bool) Pred[T]
	asc, desc func() Order[T]
	set       func(V) Assignment[T]
}

func commonOps[T, V any](p prop, enc func(V) any) common[T, V] {
	return common[T, V]{
		eq:     cmp[T](p, enc, opEq),
		ne:     cmp[T](p, enc, opNe),
		in:     func(vs ...V) Pred[T] { return Pred[T]{p.test(opIn, encodeAll(enc, vs))} },
		isNull: func(null bool) Pred[T] { return Pred[T]{p.null(null)} },
		asc:    func() Order[T] { return Order[T]{p.order(false)} },
		desc:   func() Order[T] { return Order[T]{p.order(true)} },
		set:    func(v V) Assignment[T] { return Assignment[T]{p.assign(encode(enc, v))} },
	}
}

// Prop is the handle of a property of type V on nodes or relationships T
// (*people.Person) whose values have no order (bool, duration, point,
// json). Every handle can be compared for equality, tested for being
// unset, and ordered by.
type Prop[T, V any] struct {
	// Key is the property's stored name.
	Key func() string
	// Eq holds when the property equals v (neomodel: prop=v, prop__exact=v).
	Eq func(v V) Pred[T]
	// Ne holds when the property is set and differs from v (prop__ne).
	Ne func(v V) Pred[T]
	// In holds when the property equals one of vs (prop__in).
	In func(vs ...V) Pred[T]
	// IsNull holds when the property is unset (true) or set (false)
	// (prop__isnull).
	IsNull func(null bool) Pred[T]
	// Asc orders by the property, smallest first (unset last).
	Asc func() Order[T]
	// Desc orders by the property, largest first.
	Desc func() Order[T]
	// Set is the assignment of v to the property, for Nodes.Update;
	// the zero value of a property whose zero means unset removes it.
	Set func(v V) Assignment[T]
}

// NewProp returns the handle of the property stored under key on T (a
// pointer to a generated struct). enc converts filter values to what the
// database stores (nil: as they are).
//
//go:noinline
func NewProp[T, V any](key string, enc func(V) any) *Prop[T, V] {
	p := prop{key}
	c := commonOps[T](p, enc)
	return &Prop[T, V]{Key: p.keyOf, Eq: c.eq, Ne: c.ne, In: c.in, IsNull: c.isNull, Asc: c.asc, Desc: c.desc, Set: c.set}
}

// OrderedProp is the handle of a property whose values have an order:
// numbers, dates and times.
type OrderedProp[T, V any] struct {
	// Key is the property's stored name.
	Key func() string
	// Eq holds when the property equals v (prop=v).
	Eq func(v V) Pred[T]
	// Ne holds when the property is set and differs from v (prop__ne).
	Ne func(v V) Pred[T]
	// In holds when the property equals one of vs (prop__in).
	In func(vs ...V) Pred[T]
	// IsNull holds when the property is unset (true) or set (false).
	IsNull func(null bool) Pred[T]
	// Asc orders by the property, smallest first (unset last).
	Asc func() Order[T]
	// Desc orders by the property, largest first.
	Desc func() Order[T]
	// Lt holds when the property is less than v (prop__lt).
	Lt func(v V) Pred[T]
	// Lte holds when the property is at most v (prop__lte).
	Lte func(v V) Pred[T]
	// Gt holds when the property is greater than v (prop__gt).
	Gt func(v V) Pred[T]
	// Gte holds when the property is at least v (prop__gte).
	Gte func(v V) Pred[T]
	// Set is the assignment of v to the property, for Nodes.Update;
	// the zero value of a property whose zero means unset removes it.
	Set func(v V) Assignment[T]
}

// NewOrderedProp returns the handle of an ordered property; see NewProp.
//
//go:noinline
func NewOrderedProp[T, V any](key string, enc func(V) any) *OrderedProp[T, V] {
	p := prop{key}
	c := commonOps[T](p, enc)
	return &OrderedProp[T, V]{Key: p.keyOf, Eq: c.eq, Ne: c.ne, In: c.in, IsNull: c.isNull, Asc: c.asc, Desc: c.desc, Set: c.set,
		Lt: cmp[T](p, enc, opLt), Lte: cmp[T](p, enc, opLte), Gt: cmp[T](p, enc, opGt), Gte: cmp[T](p, enc, opGte)}
}

// StringProp is the handle of a string property (string, email, uid), with
// neomodel's text operators. The I… variants ignore case.
type StringProp[T any] struct {
	// Key is the property's stored name.
	Key func() string
	// Eq holds when the property equals v (prop=v).
	Eq func(v string) Pred[T]
	// Ne holds when the property is set and differs from v (prop__ne).
	Ne func(v string) Pred[T]
	// In holds when the property equals one of vs (prop__in).
	In func(vs ...string) Pred[T]
	// IsNull holds when the property is unset (true) or set (false).
	IsNull func(null bool) Pred[T]
	// Asc orders by the property, smallest first (unset last).
	Asc func() Order[T]
	// Desc orders by the property, largest first.
	Desc func() Order[T]
	// Lt holds when the property sorts before v (prop__lt).
	Lt func(v string) Pred[T]
	// Lte holds when the property sorts before v or equals it (prop__lte).
	Lte func(v string) Pred[T]
	// Gt holds when the property sorts after v (prop__gt).
	Gt func(v string) Pred[T]
	// Gte holds when the property sorts after v or equals it (prop__gte).
	Gte func(v string) Pred[T]
	// Exact is Eq (prop__exact).
	Exact func(v string) Pred[T]
	// IExact holds when the property equals v ignoring case
	// (prop__iexact).
	IExact func(v string) Pred[T]
	// Contains holds when v occurs in the property (prop__contains).
	Contains func(v string) Pred[T]
	// IContains is Contains ignoring case (prop__icontains).
	IContains func(v string) Pred[T]
	// StartsWith holds when the property starts with v
	// (prop__startswith).
	StartsWith func(v string) Pred[T]
	// IStartsWith is StartsWith ignoring case (prop__istartswith).
	IStartsWith func(v string) Pred[T]
	// EndsWith holds when the property ends with v (prop__endswith).
	EndsWith func(v string) Pred[T]
	// IEndsWith is EndsWith ignoring case (prop__iendswith).
	IEndsWith func(v string) Pred[T]
	// Regex holds when the whole property matches the Java regular
	// expression pattern (prop__regex; Cypher's =~ anchors at both ends).
	Regex func(pattern string) Pred[T]
	// IRegex is Regex ignoring case, for any script (prop__iregex; the
	// pattern gets Java's (?iu) flags).
	IRegex func(pattern string) Pred[T]
	// Set is the assignment of v to the property, for Nodes.Update;
	// the zero value of a property whose zero means unset removes it.
	Set func(v string) Assignment[T]
}

// NewStringProp returns the handle of the string property stored under key
// on T (a pointer to a generated struct).
//
//go:noinline
func NewStringProp[T any](key string) *StringProp[T] {
	p := prop{key}
	c := commonOps[T, string](p, nil)
	op := func(o operator) func(string) Pred[T] { return cmp[T, string](p, nil, o) }
	return &StringProp[T]{Key: p.keyOf, Eq: c.eq, Ne: c.ne, In: c.in, IsNull: c.isNull, Asc: c.asc, Desc: c.desc, Set: c.set,
		Lt: op(opLt), Lte: op(opLte), Gt: op(opGt), Gte: op(opGte),
		Exact: c.eq, IExact: op(opIEq), Contains: op(opContains), IContains: op(opIContains),
		StartsWith: op(opStartsWith), IStartsWith: op(opIStartsWith), EndsWith: op(opEndsWith), IEndsWith: op(opIEndsWith),
		Regex:  func(pattern string) Pred[T] { return Pred[T]{p.regex(pattern, "")} },
		IRegex: func(pattern string) Pred[T] { return Pred[T]{p.regex(pattern, "(?iu)")} },
	}
}

// ListProp is the handle of an array property with elements of type E.
type ListProp[T, E any] struct {
	// Key is the property's stored name.
	Key func() string
	// Eq holds when the array equals v, element by element.
	Eq func(v []E) Pred[T]
	// Ne holds when the array is set and differs from v.
	Ne func(v []E) Pred[T]
	// In holds when the array equals one of vs.
	In func(vs ...[]E) Pred[T]
	// IsNull holds when the array is unset (true) or set (false).
	IsNull func(null bool) Pred[T]
	// Asc orders by the array (Cypher compares lists element by element).
	Asc func() Order[T]
	// Desc orders by the array, largest first.
	Desc func() Order[T]
	// Contains holds when e is an element of the array.
	Contains func(e E) Pred[T]
	// ContainsAny holds when the array shares at least one element with
	// es.
	ContainsAny func(es ...E) Pred[T]
	// ContainsAll holds when every one of es is an element of the array.
	ContainsAll func(es ...E) Pred[T]
	// Set is the assignment of v to the array, for Nodes.Update (nil
	// removes it).
	Set func(v []E) Assignment[T]
}

// NewListProp returns the handle of the array property stored under key on
// T (a pointer to a generated struct); enc converts one element (nil: as it
// is).
//
//go:noinline
func NewListProp[T, E any](key string, enc func(E) any) *ListProp[T, E] {
	p := prop{key}
	list := func(v []E) any { return encodeAll(enc, v) }
	c := commonOps[T](p, list)
	return &ListProp[T, E]{Key: p.keyOf, Eq: c.eq, Ne: c.ne, In: c.in, IsNull: c.isNull, Asc: c.asc, Desc: c.desc,
		Set: func(v []E) Assignment[T] {
			if v == nil {
				return Assignment[T]{p.assign(nil)}
			}
			return c.set(v)
		},
		Contains:    cmp[T](p, enc, opHas),
		ContainsAny: func(es ...E) Pred[T] { return Pred[T]{p.test(opHasAny, encodeAll(enc, es))} },
		ContainsAll: func(es ...E) Pred[T] { return Pred[T]{p.test(opHasAll, encodeAll(enc, es))} },
	}
}
