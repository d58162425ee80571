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
	key   string
	op    operator
	val   any
	noVal bool  // IS NULL and friends take no parameter
	err   error // the condition cannot be sent (a pattern too long)
}

func (o opCond) cypher(p *params, v string) string {
	if o.err != nil {
		p.fail(o.err)
	}
	val := ""
	if !o.noVal {
		val = p.add(o.val)
	}
	return o.op.render(v+"."+Quote(o.key), val)
}

// operator is how an opCond compares the property (prop) with its value
// (val, a parameter name).
type operator int

const (
	opEq operator = iota
	opNe
	opLt
	opLte
	opGt
	opGte
	opIn
	opIsNull
	opIsNotNull
	opContains
	opStartsWith
	opEndsWith
	opRegex
	opIEq
	opIContains
	opIStartsWith
	opIEndsWith
	opHas    // val IN prop (an array property holds an element)
	opHasAny // the array shares an element with val
	opHasAll // the array holds every element of val
)

var infixOps = [...]string{
	opEq: "=", opNe: "<>", opLt: "<", opLte: "<=", opGt: ">", opGte: ">=", opIn: "IN",
	opContains: "CONTAINS", opStartsWith: "STARTS WITH", opEndsWith: "ENDS WITH", opRegex: "=~",
	opIEq: "=", opIContains: "CONTAINS", opIStartsWith: "STARTS WITH", opIEndsWith: "ENDS WITH",
}

func (o operator) render(prop, val string) string {
	switch o {
	case opIsNull:
		return prop + " IS NULL"
	case opIsNotNull:
		return prop + " IS NOT NULL"
	case opIEq, opIContains, opIStartsWith, opIEndsWith:
		return "toLower(" + prop + ") " + infixOps[o] + " toLower(" + val + ")"
	case opHas:
		return val + " IN " + prop
	case opHasAny:
		return "any(x IN " + prop + " WHERE x IN " + val + ")"
	case opHasAll:
		return "all(x IN " + val + " WHERE x IN " + prop + ")"
	}
	return prop + " " + infixOps[o] + " " + val
}

// Order is one ORDER BY item for nodes of type T.
type Order[T any] struct{ item orderItem }

// Random orders the nodes at random (neomodel's order_by('?')); each query
// draws a new order.
func Random[T any]() Order[T] { return Order[T]{orderItem{random: true}} }
