package ogm

import (
	"fmt"
	"strings"
)

// Direction is the direction of a relationship seen from its owner.
type Direction int

// The directions of the schema language.
const (
	Out  Direction = iota // (owner)-[:TYPE]->(target)
	In                    // (owner)<-[:TYPE]-(target)
	Both                  // (owner)-[:TYPE]-(target): either way, connected once
)

// Cardinality is how many targets a node may have through one relationship.
type Cardinality int

// The cardinalities of the schema language.
const (
	ZeroOrMore Cardinality = iota
	ZeroOrOne
	One
	OneOrMore
)

var cardinalityNames = [...]string{"zero_or_more", "zero_or_one", "one", "one_or_more"}

// String is the cardinality as the schema language spells it (zero_or_one, …).
func (c Cardinality) String() string { return cardinalityNames[c] }

// max is the most targets allowed, 0 meaning no limit.
func (c Cardinality) max() int {
	if c == ZeroOrOne || c == One {
		return 1
	}
	return 0
}

// min is the fewest targets a saved node must keep.
func (c Cardinality) min() int {
	if c == One || c == OneOrMore {
		return 1
	}
	return 0
}

// RelSpec describes one relationship accessor of a node type. Generated code
// declares one per relationship and per reverse accessor.
type RelSpec struct {
	Owner       string      // node type owning the accessor, e.g. "Person"
	OwnerLabel  string      // its label
	Name        string      // accessor name in the schema, e.g. "country"
	Type        string      // relationship type, e.g. "IS_FROM"
	Direction   Direction   // seen from the owner
	Cardinality Cardinality // how many targets an owner may have
	// OtherCardinality is how many owners a target may have through this
	// relationship: the cardinality declared on the other end (for a reverse
	// accessor, the declaring side's), enforced on connects from this end.
	OtherCardinality Cardinality
	Target           AnyNodeType
	// Multiple: every Connect creates a relationship; without it Connect
	// to a node already connected leaves the one relationship as it is.
	Multiple bool
	// Model is the relationship model, nil when the schema gives none.
	Model AnyRelType
	// Fetched stores the targets FetchRelations loaded in the owner's
	// Fetched field (nil: the accessor cannot be fetched, as a reverse
	// accessor generated in another package).
	Fetched FetchSetter
	// FetchedRels, when set, stores the relationships FetchRelations
	// followed (model values, in the order of the targets) in the owner's
	// Fetched field: relationships with a model only.
	FetchedRels FetchSetter
}

// otherEnd is the cardinality enforced on the target's end: the declared
// OtherCardinality, except for an undirected relationship between nodes of
// one type (Person.partner, direction both), which is symmetric: each node
// is at both ends, so its one cardinality holds on both.
func (r *RelSpec) otherEnd() Cardinality {
	if r.Direction == Both && r.OtherCardinality == ZeroOrMore && r.Target != nil && r.Target.info().Label == r.OwnerLabel {
		return r.Cardinality
	}
	return r.OtherCardinality
}

// directed is r as CREATE writes it: an undirected relationship goes out of
// the owner.
func (r *RelSpec) directed() *RelSpec {
	if r.Direction != Both {
		return r
	}
	d := *r
	d.Direction = Out
	return &d
}

// arrow renders the relationship as seen from the owner, e.g. -[:IS_FROM]->.
func (r *RelSpec) arrow() string {
	t := "[:" + Quote(r.Type) + "]"
	switch r.Direction {
	case In:
		return "<-" + t + "-"
	case Both:
		return "-" + t + "-"
	}
	return "-" + t + "->"
}

// arrowVar is arrow with the relationship bound to variable v.
func (r *RelSpec) arrowVar(v string) string {
	return strings.Replace(r.arrow(), "[:", "["+v+":", 1)
}

// CardinalityError is a write or read that would break (or found broken) the
// cardinality of a relationship. errors.Is(err, ErrCardinality) matches it.
type CardinalityError struct {
	Rel    *RelSpec
	NodeID string // element id of the node whose count is wrong
	Found  int    // the count found (or that the write would make)
	Hint   string // what to do instead, if anything
}

// ErrCardinality is the kind of every *CardinalityError.
var ErrCardinality = errorString("cardinality violation")

// Error implements error.
func (e *CardinalityError) Error() string {
	dir := map[Direction]string{Out: "outgoing", In: "incoming", Both: "undirected"}[e.Rel.Direction]
	s := fmt.Sprintf("ogm: %s.%s (%s %s to %s) is %s, found %d",
		e.Rel.Owner, e.Rel.Name, dir, e.Rel.Type, e.Rel.Target.info().Name, e.Rel.Cardinality, e.Found)
	if e.NodeID != "" {
		s += " on node " + e.NodeID
	}
	if e.Hint != "" {
		s += ": " + e.Hint
	}
	return s
}

// Is makes errors.Is(err, ogm.ErrCardinality) match.
func (e *CardinalityError) Is(target error) bool { return target == ErrCardinality }

// ErrAlreadyConnected: Connect found the two nodes connected by the
// relationship already, and created nothing. The relationship value given
// to Connect (if any) holds the stored relationship.
var ErrAlreadyConnected = errorString("already connected")
