package ogm

import "fmt"

// Variable-length paths (issue #20): one relationship followed between min
// and max times, Cypher's -[:KNOWS*1..3]-, for Traverse, Where, Has and
// HasNot.

// MaxRepeat is the largest max Repeat accepts. The number of paths a
// variable-length pattern walks grows with the degree of the nodes to the
// power of max (a person with 100 friends has up to 10^6 paths of three
// KNOWS), so a bound is part of every such query; ten hops is already more
// than any social-graph question needs (six degrees of separation). Repeat
// with a larger max (or no bound) makes the query fail with ErrValidation
// before anything is sent.
const MaxRepeat = 10

// repeatRange is how many times a repeated hop's relationship is followed.
type repeatRange struct{ min, max int }

// Repeat is path followed between min and max times: friends and friends of
// friends are
//
//	ogm.Repeat(people.PersonKnows, 1, 2) // *Path[*Person, *Person]
//
// Only a path from a type to itself repeats (the compiler refuses
// Repeat(people.PersonCity, …)), and only a single relationship (a handle,
// possibly narrowed with its <Rel>Match function; not a chain made with
// Then). Conditions of the relationship model (Match) must hold for every
// relationship along the way; the target's (Where of the result) only for
// the node reached. The nodes in between are whatever the relationship
// type connects.
//
// Cycles are safe: as in Cypher, one path never uses a relationship twice,
// so every walk ends, and Traverse returns each node reached once, however
// many paths reach it. A node can reach itself through a cycle (A knows B
// knows C knows A): Traverse then returns it too; Exclude it if it is not
// wanted. min may be 0, which includes the start node itself.
//
// min < 0, max < min or max > MaxRepeat fail the query using the path
// with ErrValidation, as do FetchRelations and Rows of a repeated path:
// a repeated hop has a list of relationships, not one.
func Repeat[R any](p *Path[R, R], min, max int) *Path[R, R] {
	return newPath[R, R](repeated(p.hops, min, max))
}

// repeated is hops as one repeated hop, or a hop carrying the reason it
// cannot be.
func repeated(hops []hop, min, max int) []hop {
	h := hops[len(hops)-1]
	fail := func(msg string) []hop {
		h.err = &Error{Op: "repeat", Kind: ErrValidation, Msg: msg}
		return []hop{h}
	}
	switch {
	case len(hops) != 1:
		return fail(fmt.Sprintf("Repeat takes one relationship, not a chain of %d (Then)", len(hops)))
	case h.repeat != nil:
		return fail("the path is repeated already")
	case len(h.order) > 0 || h.limit > 0:
		return fail("a path with OrderBy or Limit cannot be repeated")
	case min < 0 || max < min:
		return fail(fmt.Sprintf("Repeat(%d, %d): want 0 <= min <= max", min, max))
	case max > MaxRepeat:
		return fail(fmt.Sprintf("Repeat(%d, %d): at most %d hops are followed (ogm.MaxRepeat)", min, max, MaxRepeat))
	}
	h.repeat = &repeatRange{min, max}
	return []hop{h}
}

// arrowVar renders the hop's relationship bound to variable v, with its
// range when it is repeated: -[v:KNOWS*1..3]-.
func (h hop) arrowVar(v string) string {
	t := "[" + v + ":" + Quote(h.rel.Type)
	if h.repeat != nil {
		t += "*" + itoa(h.repeat.min) + ".." + itoa(h.repeat.max)
	}
	t += "]"
	switch h.rel.Direction {
	case In:
		return "<-" + t + "-"
	case Both:
		return "-" + t + "-"
	}
	return "-" + t + "->"
}

// relCond renders c, a condition on the hop's relationship bound to rv; on
// a repeated hop rv is a list and c must hold for each of its items.
func (h hop) relCond(p *params, c cond, rv string) string {
	if h.repeat == nil {
		return c.cypher(p, rv)
	}
	e := rv + "e"
	return "all(" + e + " IN " + rv + " WHERE " + c.cypher(p, e) + ")"
}

// check fails the query (p) when the hop cannot be rendered for use: a bad
// Repeat always; OrderBy and Limit anywhere but in FetchRelations (use
// "fetch"), where they choose the targets loaded; a repeated hop in
// FetchRelations and Rows, where one relationship is decoded per target.
func (h hop) check(p *params, use string) {
	switch {
	case h.err != nil:
		p.fail(h.err)
	case use != "fetch" && (len(h.order) > 0 || h.limit > 0):
		p.fail(&Error{Op: use, Kind: ErrValidation,
			Msg: "OrderBy and Limit of a path choose what FetchRelations loads; Traverse, Where, Has and Rows do not take them (order and limit the node set or the rows instead)"})
	case h.repeat != nil && (use == "fetch" || use == "rows"):
		p.fail(&Error{Op: use, Kind: ErrValidation,
			Msg: "a repeated path (Repeat) cannot be fetched or listed as rows: Traverse it, or filter with it"})
	}
}
