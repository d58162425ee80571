package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The checks of generated identifiers: the members of a generated struct
// (checkMembers, checkRelModel) and the package-level identifiers of a file
// (checkPackageLevel), as derived.go derives them.

// member is a Go field or method of a generated node: a property, a
// relationship, a reverse accessor or the display method of a property with
// choices.
type member struct {
	desc   string // e.g. `property "name"`
	name   string // YAML name
	goName string
	pos    Pos
	owner  *Node
	kind   memberKind
}

// memberKind says what generates a member.
type memberKind int

const (
	memberProperty memberKind = iota
	memberRelationship
	memberReverse
	memberDisplay
	memberRelDerived // the Fetched field <Rel>Rels of a relationship with a model
)

// members returns the members of n, inherited ones first.
func members(n *Node) []member {
	var out []member
	for _, c := range n.Chain() {
		for _, p := range c.Properties {
			out = append(out, member{fmt.Sprintf("property %s", quote(p.Name)), p.Name, p.GoName, p.Pos, c, memberProperty})
			if len(p.Choices) > 0 {
				out = append(out, member{fmt.Sprintf("the display method %s of property %s", p.DisplayName(), quote(p.Name)), p.Name, p.DisplayName(), p.Pos, c, memberDisplay})
			}
		}
		for _, r := range c.Relationships {
			out = append(out, member{fmt.Sprintf("relationship %s", quote(r.Name)), r.Name, r.GoName, r.Pos, c, memberRelationship})
			out = append(out, modelMembers(Accessor{Owner: c, Rel: r}, r.Pos)...)
		}
		// Reverse accessors declared in c's own file first, so that a clash
		// is blamed on the file that adds an accessor to a foreign node.
		for _, sameFile := range []bool{true, false} {
			for _, r := range c.Reverse {
				if (r.Owner.File == c.File) == sameFile {
					out = append(out, member{fmt.Sprintf("reverse %s (of %s.%s)", quote(r.Reverse), r.Owner.Name, r.Name), r.Reverse, r.ReverseGoName, r.ReversePos, c, memberReverse})
					out = append(out, modelMembers(Accessor{Owner: c, Rel: r, Reverse: true}, r.ReversePos)...)
				}
			}
		}
	}
	return out
}

// modelMembers are the members generated for accessor a, declared at pos,
// when its relationship has a model: the Fetched field <Acc>Rels. (Its
// function <Node><Acc>Match is package-level: checkPackageLevel sees it.)
func modelMembers(a Accessor, pos Pos) []member {
	if a.Rel.ModelRef == "" {
		return nil
	}
	return []member{{fmt.Sprintf("the generated %s of %s (a relationship with a model)", a.RelsName(), quote(a.Name())), a.Name(), a.RelsName(), pos, a.Owner, memberRelDerived}}
}

// checkMembers reports members of n that clash with each other (after
// CamelCase conversion, inherited ones included), with the reserved names
// or with the embedded struct of an ancestor, and properties stored under
// the same key.
func (c *checker) checkMembers(n *Node) {
	seen := map[string]member{}
	ancestors := map[string]bool{}
	for _, a := range n.Ancestors() {
		ancestors[a.Name] = true
	}
	for _, m := range members(n) {
		own := m.owner == n
		if own {
			if what, ok := reservedNodeMembers[m.goName]; ok {
				c.errs.add(m.pos, "%s is reserved: its Go name %s is %s of every generated node", m.desc, m.goName, what)
				continue
			}
			if ancestors[m.goName] {
				c.errs.add(m.pos, "%s clashes with the embedded struct %s of %s (%s extends %s); rename it", m.desc, m.goName, n.Name, n.Name, m.goName)
				continue
			}
		}
		e, dup := seen[m.goName]
		if !dup {
			seen[m.goName] = m
			continue
		}
		if !own {
			continue // reported at the ancestor
		}
		msg := fmt.Sprintf("%s clashes with %s", m.desc, e.desc)
		if e.owner != n {
			msg += " inherited from " + e.owner.Name
		}
		msg += " (" + loc(e.pos, m.pos) + ")"
		if m.name != e.name {
			msg += fmt.Sprintf(": both are %s in Go", m.goName)
		}
		c.errs.add(m.pos, "%s", msg)
	}
	// Two properties stored under the same key.
	byDB := map[string]*Property{}
	owner := map[*Property]*Node{}
	for _, a := range n.Chain() {
		for _, p := range a.Properties {
			owner[p] = a
			e, dup := byDB[p.DBName]
			if !dup {
				byDB[p.DBName] = p
				continue
			}
			if a != n || e.GoName == p.GoName {
				continue
			}
			inh := ""
			if owner[e] != n {
				inh = " inherited from " + owner[e].Name
			}
			c.errs.add(p.Pos, "property %s is stored as %s, like property %s%s (%s)", quote(p.Name), quote(p.DBName), quote(e.Name), inh, loc(e.Pos, p.Pos))
		}
	}
}

// hasSensitive reports whether one of props is sensitive.
func hasSensitive(props []*Property) bool {
	return slices.ContainsFunc(props, func(p *Property) bool { return p.Sensitive })
}

// reportOnce reports the error at pos unless one was reported there by
// reportOnce.
func (c *checker) reportOnce(pos Pos, format string, args ...any) {
	if c.reported == nil {
		c.reported = map[Pos]bool{}
	}
	if !c.reported[pos] {
		c.reported[pos] = true
		c.errs.add(pos, format, args...)
	}
}

// checkSensitiveMembers refuses, on a node type with a sensitive property
// (its own or inherited), the members (own or inherited) named after the
// methods generated for such types (reservedSensitiveMembers). User types
// have them refused by checkUserMembers already.
func (c *checker) checkSensitiveMembers(n *Node) {
	if n.AuthUser() != nil || !hasSensitive(n.AllProperties()) {
		return
	}
	for _, m := range members(n) {
		if what, ok := reservedSensitiveMembers[m.goName]; ok {
			c.reportOnce(m.pos, "%s is reserved: its Go name %s is %s of %s, which has sensitive properties", m.desc, m.goName, what, n.Name)
		}
	}
}

// checkFetchedMembers refuses an accessor of concrete node type n whose
// Go name is the <Acc>OrErr method the Fetched struct of n has for
// another accessor.
func (c *checker) checkFetchedMembers(n *Node) {
	if n.Abstract {
		return
	}
	acc := n.Accessors()
	byGo := map[string]Accessor{}
	for _, a := range acc {
		byGo[a.GoName()] = a
	}
	for _, a := range acc {
		o, ok := byGo[a.OrErrName()]
		if !ok {
			continue
		}
		what, pos := "relationship", o.Rel.Pos
		if o.Reverse {
			what, pos = "reverse", o.Rel.ReversePos
		}
		c.reportOnce(pos, "%s %s clashes with the generated method %s of %s (for %s); rename it", what, quote(o.Name()), a.OrErrName(), n.FetchedName(), quote(a.Name()))
	}
}

// checkRelModel checks the properties of a relationship model.
func (c *checker) checkRelModel(m *RelModel) {
	byGo := map[string]string{} // Go member name → description
	byGoPos := map[string]Pos{}
	byDB := map[string]*Property{}
	sensitive := hasSensitive(m.Properties)
	for _, p := range m.Properties {
		if what, ok := reservedRelMembers[p.GoName]; ok {
			c.errs.add(p.Pos, "property %s is reserved: its Go name %s is %s of every generated relationship", quote(p.Name), p.GoName, what)
			continue
		}
		if reservedRelJSONKeys[p.Name] {
			c.errs.add(p.Pos, "property %s is reserved: %s is a key of the JSON encoding of every relationship; rename it (db_property: %s keeps the stored name)", quote(p.Name), quote(p.Name), p.DBName)
			continue
		}
		if what, ok := reservedSensitiveMembers[p.GoName]; ok && sensitive {
			c.errs.add(p.Pos, "property %s is reserved: its Go name %s is %s of %s, which has sensitive properties", quote(p.Name), p.GoName, what, m.Name)
			continue
		}
		names := []string{p.GoName}
		descs := []string{"property " + quote(p.Name)}
		if len(p.Choices) > 0 {
			names = append(names, p.DisplayName())
			descs = append(descs, fmt.Sprintf("the display method %s of property %s", p.DisplayName(), quote(p.Name)))
		}
		clash := false
		for i, goName := range names {
			if e, dup := byGo[goName]; dup {
				msg := fmt.Sprintf("%s clashes with %s (%s)", descs[i], e, loc(byGoPos[goName], p.Pos))
				if i == 0 && strings.HasPrefix(e, "property ") {
					msg += ": both are " + goName + " in Go"
				}
				c.errs.add(p.Pos, "%s", msg)
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		for i, goName := range names {
			byGo[goName] = descs[i]
			byGoPos[goName] = p.Pos
		}
		if e, dup := byDB[p.DBName]; dup {
			c.errs.add(p.Pos, "property %s is stored as %s, like property %s (%s)", quote(p.Name), quote(p.DBName), quote(e.Name), loc(e.Pos, p.Pos))
			continue
		}
		byDB[p.DBName] = p
	}
}

// ident is a package-level identifier of the generated code.
type ident struct {
	name  string
	desc  string
	pos   Pos
	owner any // the node or relationship model that generates it
	// member is the Go name of the member of owner (property,
	// relationship, reverse accessor) the identifier is derived from, or
	// "": two identifiers of one owner derived from members with the same
	// Go name are a member clash, reported by checkMembers.
	member string
	hint   string // added to the message when this identifier is the one refused
}

// identSet collects the package-level identifiers a file generates, the
// exported apart from the unexported (lowerFirst keeps an unexported one
// from ever equalling an exported one).
type identSet struct{ exported, unexported []ident }

func (s *identSet) add(id ident)           { s.exported = append(s.exported, id) }
func (s *identSet) addUnexported(id ident) { s.unexported = append(s.unexported, id) }

// The hints of a refused identifier, by the element to rename.
const (
	relHint     = "; rename the relationship"
	reverseHint = "; rename the reverse accessor"
)

func propHint(p *Property) string {
	return fmt.Sprintf("; rename the property (db_property: %s keeps the stored name)", p.DBName)
}

// checkPackageLevel refuses two schema elements of one file that would
// generate the same package-level Go identifier (see derived.go), exported
// or not, and node or model names that every package declares.
func (c *checker) checkPackageLevel(f *File) {
	var ids identSet
	for _, n := range f.Nodes {
		c.refuseTypeName(n.Pos, "node", n.Name)
		ids.nodeTypeIdents(n)
		ids.propertyIdents(n, n.Name, n.Name, n.AllProperties(), reservedNodeMembers, func(p *Property) (Pos, bool) {
			if slices.Contains(n.Properties, p) {
				return p.Pos, true
			}
			return n.Pos, false
		})
		if !n.Abstract {
			ids.accessorIdents(n)
		}
	}
	ids.foreignReverseIdents(f)
	ids.permissionIdents(f)
	for _, m := range f.RelModels {
		c.refuseTypeName(m.Pos, "relationship model", m.Name)
		ids.add(ident{name: m.Name, desc: "relationship model " + m.Name, pos: m.Pos, owner: m})
		ids.add(ident{name: m.DescriptorName(), desc: fmt.Sprintf("the generated descriptor %s of relationship model %s", m.DescriptorName(), m.Name), pos: m.Pos, owner: m})
		ids.propertyIdents(m, m.Name, "relationship model "+m.Name, m.Properties, reservedRelMembers, func(p *Property) (Pos, bool) { return p.Pos, true })
	}
	c.reportClashes(ids)
}

// refuseTypeName refuses a node or relationship model (what) called after
// an identifier every generated package declares.
func (c *checker) refuseTypeName(at Pos, what, name string) {
	if why, ok := reservedTypeNames[name]; ok {
		c.errs.add(at, "%s name %s is reserved: %s is %s", what, quote(name), name, why)
	}
}

// nodeTypeIdents adds the identifiers node type n declares for itself.
func (s *identSet) nodeTypeIdents(n *Node) {
	s.add(ident{name: n.Name, desc: "node " + n.Name, pos: n.Pos, owner: n})
	s.add(ident{name: n.DescriptorName(), desc: fmt.Sprintf("the generated descriptor %s of node %s", n.DescriptorName(), n.Name), pos: n.Pos, owner: n})
	if n.Abstract {
		return
	}
	s.add(ident{name: n.ManagerName(), desc: fmt.Sprintf("the generated manager %s of node %s", n.ManagerName(), n.Name), pos: n.Pos, owner: n})
	s.add(ident{name: n.FetchedName(), desc: fmt.Sprintf("the generated struct %s of node %s", n.FetchedName(), n.Name), pos: n.Pos, owner: n})
	if n.Extends != nil {
		s.add(ident{name: n.FromModelName(), desc: fmt.Sprintf("the generated function %s of node %s", n.FromModelName(), n.Name), pos: n.Pos, owner: n})
	}
	if n.UserModel != nil {
		s.add(ident{name: n.UserModelName(), desc: fmt.Sprintf("the generated user model %s of node %s", n.UserModelName(), n.Name), pos: n.Pos, owner: n})
	}
}

// propertyIdents adds the identifiers of props on the type called
// typeName (named whose in messages), owned by owner: handles, choices maps
// of own properties, patterns. at gives where each is declared, and
// whether the type declares it itself; a property whose Go name is
// reserved is refused by checkMembers or checkRelModel.
func (s *identSet) propertyIdents(owner any, typeName, whose string, props []*Property, reserved map[string]string, at func(*Property) (Pos, bool)) {
	for _, p := range props {
		if _, ok := reserved[p.GoName]; ok {
			continue
		}
		pos, own := at(p)
		s.add(ident{name: p.HandleName(typeName), desc: fmt.Sprintf("the generated filter %s of property %s of %s", p.HandleName(typeName), quote(p.Name), whose), pos: pos, owner: owner, member: p.GoName, hint: propHint(p)})
		if own && len(p.Choices) > 0 {
			name := p.ChoicesName(typeName)
			s.add(ident{name: name, desc: fmt.Sprintf("the generated choices map %s of property %s of %s", name, quote(p.Name), whose), pos: pos, owner: owner, member: p.GoName, hint: propHint(p)})
		}
		if p.Pattern != "" {
			name := p.PatternName(typeName)
			s.addUnexported(ident{name: name, desc: fmt.Sprintf("the generated pattern variable %s of property %s of %s", name, quote(p.Name), whose), pos: pos, owner: owner, member: p.GoName})
		}
	}
}

// accessorIdents adds the identifiers of the accessors of concrete node
// type n: handles, RelSpec variables and Match functions. An accessor whose
// Go name is reserved is refused by checkMembers.
func (s *identSet) accessorIdents(n *Node) {
	for _, a := range n.Accessors() {
		if ReservedNodeMember(a.GoName()) {
			continue
		}
		what, pos, hint := "relationship", a.Rel.Pos, relHint
		if a.Reverse {
			what, pos, hint = "reverse", a.Rel.ReversePos, reverseHint
		}
		if a.Declaring() != n {
			pos = n.Pos
		}
		of := fmt.Sprintf("%s %s of %s", what, quote(a.Name()), n.Name)
		handle, spec := a.HandleName(), a.SpecName()
		s.add(ident{name: handle, desc: fmt.Sprintf("the generated relation path %s of %s", handle, of), pos: pos, owner: n, member: a.GoName(), hint: hint})
		s.addUnexported(ident{name: spec, desc: fmt.Sprintf("the generated relationship variable %s of %s", spec, of), pos: pos, owner: n, member: a.GoName()})
		if a.Rel.ModelRef != "" {
			// Not a member of the node (the Fetched field <Acc>Rels is):
			// a clash with the handle of a member whose Go name is
			// <Acc>Match is a clash of package-level names.
			name := a.MatchName()
			s.add(ident{name: name, desc: fmt.Sprintf("the generated function %s of %s", name, of), pos: pos, owner: n, hint: hint})
		}
	}
}

// foreignReverseIdents adds the functions and RelSpec variables of the
// reverse accessors f's relationships put on node types of other files.
// They are owned by the foreign node, so that two reverse accessors of the
// same name on it are one member clash.
func (s *identSet) foreignReverseIdents(f *File) {
	for _, a := range f.ForeignReverse() {
		r := a.Rel
		if ReservedNodeMember(r.ReverseGoName) {
			continue
		}
		fn, spec := a.HandleName(), a.SpecName()
		s.add(ident{name: fn, desc: fmt.Sprintf("the generated function %s (reverse %s of %s.%s onto %s)", fn, quote(r.Reverse), r.Owner.Name, r.Name, r.ToRef), pos: r.ReversePos, owner: r.To, member: r.ReverseGoName, hint: reverseHint})
		s.addUnexported(ident{name: spec, desc: fmt.Sprintf("the generated relationship variable %s (reverse %s of %s.%s)", spec, quote(r.Reverse), r.Owner.Name, r.Name), pos: r.ReversePos, owner: r.To, member: r.ReverseGoName})
	}
}

// reportClashes reports each identifier of ids that an earlier one (in
// file order) already is. An element whose name is refused has its derived
// identifiers refused too; only the first is reported.
func (c *checker) reportClashes(ids identSet) {
	refused := map[any]bool{}
	for _, list := range [][]ident{ids.exported, ids.unexported} {
		sort.SliceStable(list, func(i, j int) bool { return list[i].pos.before(list[j].pos) })
		seen := map[string]ident{}
		for _, id := range list {
			if refused[id.owner] {
				continue
			}
			e, dup := seen[id.name]
			if !dup {
				seen[id.name] = id
				continue
			}
			if e.owner == id.owner && e.member != "" && e.member == id.member {
				continue // a member clash, reported by checkMembers
			}
			if id.name == ownerName(id.owner) {
				refused[id.owner] = true
			}
			c.errs.add(id.pos, "%s clashes with %s (%s)%s", id.desc, e.desc, loc(e.pos, id.pos), id.hint)
		}
	}
}

// ownerName is the name of a node or relationship model, else "".
func ownerName(owner any) string {
	switch o := owner.(type) {
	case *Node:
		return o.Name
	case *RelModel:
		return o.Name
	}
	return ""
}
