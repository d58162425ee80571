package infer

import (
	"fmt"
	"slices"

	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// Reverse accessors. The data shows each relationship type from both
// ends, so every relationship between two node types of the schema gets a
// reverse accessor on its target, as a neomodel app declares a
// RelationshipFrom beside the other class's RelationshipTo (Company's
// employees for Person -[:WORKS_AT]-> Company): both node types can
// traverse it. Its name is the source's name and the type, snake_case:
// person_works_at (Go: Company.PersonWorksAt). A relationship of direction
// both has none (it is read either way from its owner already; the schema
// refuses a reverse on it). A name that would clash with a member of the
// target (or of a node type extending it) or with a package-level
// identifier is not declared: the relationship gets a comment and a
// notice, never a name the reader cannot guess.
//
// The reverse accessor's cardinality is zero_or_more, as every reverse
// accessor's: the schema language has no cardinality for it. Connects
// through it enforce the relationship's measured cardinality on the
// source's end (ogm.RelSpec.OtherCardinality).

// reverses names the reverse accessors of every relationship of the file,
// once every node type has its properties and relationships, in the order
// of the database's node types.
func (b *builder) reverses() {
	for _, n := range b.nodes {
		if n == nil {
			continue
		}
		for _, r := range n.Relationships {
			b.reverse(r)
		}
	}
}

// reverseName is the name of r's reverse accessor: <source>_<type>.
func reverseName(r *schema.Relationship) string {
	return snakeName(r.Owner.Name, "node") + "_" + snakeName(r.Type, "rel")
}

// reverse declares the reverse accessor of r, or says why not.
func (b *builder) reverse(r *schema.Relationship) {
	if r.Direction == ogm.Both {
		return
	}
	name := reverseName(r)
	r.Reverse, r.ReverseGoName = name, schema.GoName(name)
	sc := b.names.scope(r.To, b.f.Nodes)
	m := reverseMember(r)
	if sc.free(m, schema.ReservedNodeMember) && sc.freeBelow(m) {
		sc.claim(m)
		return
	}
	r.Reverse, r.ReverseGoName = "", ""
	note := fmt.Sprintf("no reverse accessor on %s: %s would clash with a member of %s or a generated name; declare reverse: with a name of your own", r.To.Name, name, r.To.Name)
	r.Comments.Line = append(r.Comments.Line, note)
	if b.notice != nil {
		b.notice(fmt.Sprintf("%s.%s: %s", r.Owner.Name, r.Name, note))
	}
}

// reverseMember is what r's reverse accessor takes on r.To: its Go name,
// the <Acc>OrErr method of the Fetched struct, the Fetched field of an
// accessor with a model, and on each node type of the subtree its handle
// (and Match function).
func reverseMember(r *schema.Relationship) member {
	a := schema.Accessor{Owner: r.To, Rel: r, Reverse: true}
	m := member{r.Reverse, []string{a.GoName(), a.OrErrName()}, func(c *schema.Node) []string {
		a := schema.Accessor{Owner: c, Rel: r, Reverse: true}
		if r.Model == nil {
			return []string{a.HandleName()}
		}
		return []string{a.HandleName(), a.MatchName()}
	}}
	if r.Model != nil {
		m.goNames = append(m.goNames, a.RelsName())
	}
	return m
}

// freeBelow reports whether m clashes with none of the members the node
// types extending the scope's node type declare themselves, nor with the
// names of the structs they embed: the reverse accessors are named after
// every member is, so the subtree's members are known.
func (sc *scope) freeBelow(m member) bool {
	for _, c := range sc.subtree {
		for _, g := range m.goNames {
			if slices.Contains(sc.nm.claimed[c], g) {
				return false
			}
			for _, a := range c.Ancestors() {
				if a.Name == g {
					return false
				}
			}
		}
	}
	return true
}
