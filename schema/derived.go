package schema

import (
	"strings"

	"github.com/gonode/gonode/ogm"
)

// The Go identifiers generated code declares for a schema are derived from
// the names of its elements by the methods in this file. The generator
// declares them, the validator refuses two elements that would derive the
// same one (checkPackageLevel, checkMembers), and inference picks names that
// derive none that is taken: all three use these methods, so that they
// cannot disagree.
//
// Package-level identifiers, for each node type N (abstract ones included):
//
//	N                        the struct type
//	N.DescriptorName()       N + "Type", the descriptor, e.g. PersonType
//	p.HandleName(N)          N + GoName(p), the typed filter of each property p
//	                         (inherited ones too), e.g. PersonName
//	p.ChoicesName(N)         N + GoName(p) + "Choices", the choices map of each own
//	                         property with choices
//
// and for each concrete N:
//
//	N.ManagerName()          N + "Nodes", the manager constructor, e.g. PersonNodes(db)
//	N.FetchedName()          N + "Fetched", the struct of the relationships loaded by
//	                         FetchRelations
//	N.FromModelName()        N + "FromModel", the conversion from the node N extends
//	N.UserModelName()        N + "Model", the user model of a user type
//	a.HandleName()           N + GoName(a), the relationship handle (an *ogm.Path) of
//	                         each accessor a of N (N.Accessors), e.g. PersonCountry
//	a.MatchName()            N + GoName(a) + "Match", the narrowing function of each of
//	                         those with a relationship model
//
// For a relationship of the file whose reverse accessor is on a node T of
// another package (File.ForeignReverse): the function a.HandleName(), T +
// GoName(reverse), e.g. UserPosts. For each relationship model R: R,
// R.DescriptorName(), p.HandleName(R) and p.ChoicesName(R). Unexported:
// a.SpecName(), lowerFirst(a.HandleName()), holds the RelSpec of each
// accessor (and of each reverse function), and p.PatternName(N) the
// compiled pattern of a property (R likewise). Every package also declares
// Schema (reservedTypeNames), and one that has permission constants
// (File.HasPermissionConsts) the constant p.ConstName() of each permission
// p of File.Permissions: "Perm" + action + N for the default ones
// (PermAddPerson), "Perm" + GoName(codename) for the declared ones
// (PermPublishPost).
//
// Members of the struct of a node: the field GoName(p) of each property,
// p.DisplayName() (GoName(p) + "Display") for a property with choices, the
// method GoName(a) of each accessor and, for an accessor with a
// relationship model, the Fetched field a.RelsName() (GoName(a) + "Rels").
// Besides, every node struct has the members of reservedNodeMembers
// (MarshalJSON and UnmarshalJSON among them), that of a type with a
// sensitive property those of reservedSensitiveMembers (Format, LogValue),
// and that of a type extending auth.User those of reservedUserMembers (the
// methods of *auth.User it has by promotion, String, Format and LogValue
// declared again by the generator). The Fetched struct of a node has the
// method <Acc>OrErr for each accessor, which no other accessor may be
// called (checkFetchedMembers).

// Suffixes of the identifiers derived from an accessor with a relationship
// model, and from a property with choices.
const (
	matchSuffix   = "Match"
	relsSuffix    = "Rels"
	displaySuffix = "Display"
	orErrSuffix   = "OrErr"
)

// DescriptorName is the package-level variable describing n to the ogm
// runtime: <N>Type, an *ogm.NodeType.
func (n *Node) DescriptorName() string { return n.Name + "Type" }

// ManagerName is the function returning the manager of n's nodes:
// <N>Nodes(db).
func (n *Node) ManagerName() string { return n.Name + "Nodes" }

// FetchedName is the struct holding the relationships of a node of type n
// that FetchRelations loaded: <N>Fetched.
func (n *Node) FetchedName() string { return n.Name + "Fetched" }

// FromModelName is the function turning a value of a type n extends into
// an n: <N>FromModel.
func (n *Node) FromModelName() string { return n.Name + "FromModel" }

// DescriptorName is the package-level variable describing m to the ogm
// runtime: <M>Type, an *ogm.RelType.
func (m *RelModel) DescriptorName() string { return m.Name + "Type" }

// HandleName is the package-level handle of property p on the node type or
// relationship model called owner: <Owner><Prop>, e.g. PersonName.
func (p *Property) HandleName(owner string) string { return owner + p.GoName }

// ChoicesName is the package-level map of the choices of p, declared with
// the node type or relationship model called owner: <Owner><Prop>Choices.
func (p *Property) ChoicesName(owner string) string { return owner + p.GoName + "Choices" }

// PatternName is the unexported variable holding the compiled pattern of p
// for the type called owner: <owner><Prop>Pattern, first letter lower-case.
func (p *Property) PatternName(owner string) string {
	return lowerFirst(owner+p.GoName) + "Pattern"
}

// DisplayName is the method of a property with choices returning the label
// of its value: <Prop>Display.
func (p *Property) DisplayName() string { return p.GoName + displaySuffix }

// lowerFirst lower-cases the first letter of an exported name, giving the
// unexported companion of a package-level identifier (injective, so distinct
// exported names give distinct unexported ones).
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// An Accessor is one relationship accessor of a concrete node type: a
// relationship of its chain, or a reverse accessor (the other end of a
// relationship that names one). Generated code gives it a method on the
// node, a RelSpec, a handle and, with a relationship model, a Match
// function and a Fetched field.
type Accessor struct {
	Owner   *Node         // the node type the accessor is generated on
	Rel     *Relationship // the relationship it follows
	Reverse bool          // the accessor is Rel's reverse, on Rel.To's side
}

// Name is the accessor's schema name: the relationship's name, or its
// reverse.
func (a Accessor) Name() string {
	if a.Reverse {
		return a.Rel.Reverse
	}
	return a.Rel.Name
}

// GoName is the Go name of the accessor's method.
func (a Accessor) GoName() string {
	if a.Reverse {
		return a.Rel.ReverseGoName
	}
	return a.Rel.GoName
}

// Target is the node type at the other end.
func (a Accessor) Target() *Node {
	if a.Reverse {
		return a.Rel.Owner
	}
	return a.Rel.To
}

// Declaring is the node type the accessor is declared on: the
// relationship's owner, or for a reverse accessor its target.
func (a Accessor) Declaring() *Node {
	if a.Reverse {
		return a.Rel.To
	}
	return a.Rel.Owner
}

// Cardinality is how many targets an owner may have through the accessor:
// the declared one, or zero_or_more for a reverse accessor.
func (a Accessor) Cardinality() ogm.Cardinality {
	if a.Reverse {
		return ogm.ZeroOrMore
	}
	return a.Rel.Cardinality
}

// OtherCardinality is how many owners a target may have through the
// accessor: the cardinality declared on the other end.
func (a Accessor) OtherCardinality() ogm.Cardinality {
	if a.Reverse {
		return a.Rel.Cardinality
	}
	return ogm.ZeroOrMore
}

// Direction is the direction of the relationship seen from the owner.
func (a Accessor) Direction() ogm.Direction {
	if a.Reverse {
		switch a.Rel.Direction {
		case ogm.Out:
			return ogm.In
		case ogm.In:
			return ogm.Out
		}
	}
	return a.Rel.Direction
}

// ToOne reports whether an owner has at most one target.
func (a Accessor) ToOne() bool {
	c := a.Cardinality()
	return c == ogm.ZeroOrOne || c == ogm.One
}

// HandleName is the exported package-level name of the accessor: its
// relationship handle <Owner><Acc>, or the function of a reverse accessor
// onto a node of another package (File.ForeignReverse).
func (a Accessor) HandleName() string { return a.Owner.Name + a.GoName() }

// SpecName is the unexported package-level variable holding the
// accessor's ogm.RelSpec.
func (a Accessor) SpecName() string { return lowerFirst(a.HandleName()) }

// MatchName is the function narrowing the handle of an accessor with a
// relationship model: <Owner><Acc>Match.
func (a Accessor) MatchName() string { return a.HandleName() + matchSuffix }

// RelsName is the field of the owner's Fetched struct holding the
// relationships (with their model properties) an accessor with a model
// loaded: <Acc>Rels.
func (a Accessor) RelsName() string { return a.GoName() + relsSuffix }

// OrErrName is the method of the owner's Fetched struct that returns the
// accessor's targets, or an error when they were not fetched:
// <Acc>OrErr.
func (a Accessor) OrErrName() string { return a.GoName() + orErrSuffix }

// Accessors lists the accessors of concrete node type n: every
// relationship of its chain, then the reverse accessors of its chain whose
// relationship is declared in n's file (one declared in another file points
// at a type n's package cannot import; see File.ForeignReverse).
func (n *Node) Accessors() []Accessor {
	var out []Accessor
	for _, r := range n.AllRelationships() {
		out = append(out, Accessor{Owner: n, Rel: r})
	}
	for _, r := range n.AllReverse() {
		if r.Owner.File == n.File {
			out = append(out, Accessor{Owner: n, Rel: r, Reverse: true})
		}
	}
	return out
}

// ForeignReverse lists the reverse accessors that relationships declared
// in f put on node types of other files: generated code cannot add a
// method to those, so each becomes a function <Target><Reverse>(n
// *pkg.Target) of f's package. The accessors' owner is the target.
func (f *File) ForeignReverse() []Accessor {
	var out []Accessor
	for _, n := range f.Nodes {
		for _, r := range n.Relationships {
			if r.Reverse != "" && r.To != nil && r.To.File != f {
				out = append(out, Accessor{Owner: r.To, Rel: r, Reverse: true})
			}
		}
	}
	return out
}
