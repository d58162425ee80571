package schema

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// User models: what the schema language knows about package auth. The
// node-level keys username_field and required_fields (Django's
// USERNAME_FIELD and REQUIRED_FIELDS) are allowed on user types only:
// auth.User (the User node of the shipped auth schema) and the node types
// extending it. The parser reads them with parseUserFields; the checker
// resolves them, and sets Node.UserModel on every user type, with
// checkUserModels, which also refuses the members of user types that would
// shadow a method of *auth.User (reservedUserMembers). Nothing else in the
// package depends on auth.

// AuthGoPackage is the Go import path of the shipped auth schema
// (builtin:auth), whose User node is the root of every user type.
const AuthGoPackage = "github.com/gonode/gonode/auth"

// IsAuthUser reports whether n is the User node of the shipped auth schema,
// imported as builtin:auth or loaded from its file (go_package
// github.com/gonode/gonode/auth).
func (n *Node) IsAuthUser() bool {
	return n.Name == "User" && n.File != nil && (n.File.Builtin || n.File.GoPackage == AuthGoPackage)
}

// AuthUser returns the auth.User node at the root of n's inheritance
// chain, or nil when n is not a user type.
func (n *Node) AuthUser() *Node {
	for _, c := range n.Chain() {
		if c.IsAuthUser() {
			return c
		}
	}
	return nil
}

// UserModelName is the package-level variable describing a user type n to
// package auth: <N>Model, an *auth.Model[N].
func (n *Node) UserModelName() string { return n.Name + "Model" }

// UserModelPos is where a node's username_field and required_fields are
// written: the positions of the keys and of the values (of each element of
// required_fields). A key without a value means the value could not be
// read; the zero UserModelPos, that of a model built in Go, makes the
// messages about them use the node's position.
type UserModelPos struct {
	UsernameKey, UsernameField Pos
	RequiredKey                Pos
	RequiredFields             []Pos // RequiredFields[i] is that of Node.RequiredFields[i]
}

// UserModel is how package auth sees a user type (auth.User or a node type
// extending it): the property its users log in with and the properties
// creating one requires.
type UserModel struct {
	// UsernameField is the property users log in with: the node's
	// username_field, else its parent's, else auth.User's username. It is
	// a unique string or email property of the node, own or inherited.
	UsernameField *Property
	// RequiredFields are the properties, besides the username field and
	// the password, that creating a user requires: the node's
	// required_fields, else its parent's (none for auth.User), in the
	// order written.
	RequiredFields []*Property
}

// parseUserFields reads the node key username_field or required_fields of
// e into node; they are resolved by checkUserModels.
func parseUserFields(s *src, node *Node, e entry) {
	if e.key == "username_field" {
		node.UserPos.UsernameKey = s.pos(e.k)
		if v, ok := s.str(e.v, "username_field (the name of a property)"); ok {
			node.UsernameField, node.UserPos.UsernameField = v, s.pos(e.v)
		}
		return
	}
	node.UserPos.RequiredKey = s.pos(e.k)
	parseRequiredFields(s, node, e.v)
}

// parseRequiredFields reads "required_fields:", a sequence of property
// names; the names are resolved by checkUserModels.
func parseRequiredFields(s *src, node *Node, n *yaml.Node) {
	r := resolve(n)
	if isNull(n) || r.Kind != yaml.SequenceNode {
		hint := ""
		if r != nil && r.Kind == yaml.ScalarNode && r.ShortTag() == tagStr && r.Value != "" {
			hint = "; write [" + r.Value + "]"
		}
		s.errorf(n, "required_fields must be a sequence of property names such as [first_name, last_name], found %s%s", describe(r), hint)
		return
	}
	node.RequiredFields = []string{}
	for _, c := range r.Content {
		v, ok := s.str(c, "a property name")
		if !ok {
			continue
		}
		node.RequiredFields = append(node.RequiredFields, v)
		node.UserPos.RequiredFields = append(node.UserPos.RequiredFields, s.pos(c))
	}
}

// checkUserModels sets Node.UserModel on the user types (auth.User and
// the node types extending it, directly or not), resolving username_field
// and required_fields, which only they may declare, and refuses their
// members named after a hand-written method of *auth.User
// (checkUserMembers).
func (c *checker) checkUserModels() {
	type state struct {
		um    *UserModel
		known bool // false when the chain has an unresolved extends
	}
	memo := map[*Node]state{}
	var visit func(n *Node) state
	visit = func(n *Node) state {
		if st, ok := memo[n]; ok {
			return st
		}
		memo[n] = state{} // cycles are broken already; this only guards
		var parent state
		root := n.IsAuthUser()
		switch {
		case root:
			parent = state{&UserModel{}, true}
		case n.Extends != nil:
			parent = visit(n.Extends)
		default:
			parent = state{nil, n.ExtendsRef == ""}
		}
		if parent.um == nil {
			if parent.known {
				c.notUserType(n)
			}
			memo[n] = parent
			return parent
		}
		um := &UserModel{UsernameField: parent.um.UsernameField, RequiredFields: parent.um.RequiredFields}
		c.resolveUsernameField(n, um, root)
		c.resolveRequiredFields(n, um)
		n.UserModel = um
		memo[n] = state{um, true}
		return memo[n]
	}
	for _, f := range c.files {
		for _, n := range f.Nodes {
			visit(n)
		}
	}
	for _, f := range c.files {
		for _, n := range f.Nodes {
			if n.UserModel != nil {
				c.checkUserMembers(n)
			}
		}
	}
}

// checkUserMembers refuses the members user type n declares (and the
// reverse accessors other files put on it) whose Go name is a method of
// *auth.User that the struct of every type extending auth.User has by
// promotion (reservedUserMembers): the member would shadow it.
func (c *checker) checkUserMembers(n *Node) {
	for _, m := range members(n) {
		if what, ok := reservedUserMembers[m.goName]; ok && m.owner == n {
			c.errs.add(m.pos, "%s is reserved: its Go name %s is %s of *auth.User, which every node type extending auth.User has", m.desc, m.goName, what)
		}
	}
}

// authAlias is the alias under which f imports the auth schema, or "".
func authAlias(f *File) string {
	for _, im := range f.Imports {
		if im.File != nil && im.File.GoPackage == AuthGoPackage {
			return im.Alias
		}
	}
	return ""
}

// notUserType refuses username_field and required_fields on a node that is
// not a user type.
func (c *checker) notUserType(n *Node) {
	var hint string
	switch alias := authAlias(n.File); {
	case n.Extends != nil:
		hint = fmt.Sprintf("; %s extends %s, which is not a user type", n.Name, refFrom(n.File, n.Extends))
	case alias != "":
		hint = fmt.Sprintf("; add extends: %s.User", alias)
	default:
		hint = "; import the auth schema (imports: {auth: builtin:auth}) and add extends: auth.User"
	}
	for _, k := range []struct {
		written bool
		at      Pos
		name    string
	}{
		{n.UsernameField != "" || n.UserPos.UsernameKey.IsValid(), n.UserPos.UsernameKey, "username_field"},
		{n.RequiredFields != nil || n.UserPos.RequiredKey.IsValid(), n.UserPos.RequiredKey, "required_fields"},
	} {
		if k.written {
			c.errs.add(k.at.or(n.Pos), "%s is only allowed on auth.User and the node types that extend it; %s is not a user type%s", k.name, n.Name, hint)
		}
	}
}

// propertyNamed returns the property of n (own or inherited) called name,
// or nil.
func propertyNamed(n *Node, name string) *Property {
	for _, p := range n.AllProperties() {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// propertyHint is a "did you mean" hint among the properties of n.
func (c *checker) propertyHint(n *Node, name string) string {
	var names []string
	for _, p := range n.AllProperties() {
		names = append(names, p.Name)
	}
	return c.hint(name, names)
}

// declaringNode returns the node of n's chain that declares p.
func declaringNode(n *Node, p *Property) *Node {
	for _, c := range n.Chain() {
		if slices.Contains(c.Properties, p) {
			return c
		}
	}
	return n
}

// resolveUsernameField sets um.UsernameField from n's username_field, or
// for auth.User from its property "username" when it declares none.
func (c *checker) resolveUsernameField(n *Node, um *UserModel, root bool) {
	name, read := n.UsernameField, usernameRead(n)
	switch {
	case read:
	case n.UserPos.UsernameKey.IsValid():
		return // not a string: reported
	case root:
		name = "username"
	default:
		return // inherited
	}
	report := func(format string, args ...any) {
		if read {
			c.errs.add(n.UserPos.UsernameField.or(n.Pos), format, args...)
		} else {
			c.errs.add(n.Pos, "%s (%s has no username_field, so users log in with \"username\")", fmt.Sprintf(format, args...), n.Name)
		}
	}
	p := propertyNamed(n, name)
	switch {
	case p == nil:
		report("username_field %s is not a property of %s%s", quote(name), n.Name, c.propertyHint(n, name))
	case p.Type.Array || (p.Type.Kind != KindString && p.Type.Kind != KindEmail):
		report("username_field %s is of type %s; users log in with a string or email property", quote(name), p.Type)
	case !p.Unique:
		hint := "; declare it with unique: true"
		if d := declaringNode(n, p); d != n {
			hint = fmt.Sprintf("; it is declared on %s, where it is not unique: declare a unique property on %s instead, such as login_%s: {type: %s, unique: true}", refFrom(n.File, d), n.Name, p.Name, p.Type)
		}
		report("username_field %s is not unique: users log in with it, so it must identify one user%s", quote(name), hint)
	default:
		um.UsernameField = p
	}
}

// resolveRequiredFields sets um.RequiredFields from n's required_fields,
// and checks that the username field is not among them.
func (c *checker) resolveRequiredFields(n *Node, um *UserModel) {
	if n.RequiredFields == nil {
		// Inherited (or none): the username field, chosen here, may not
		// be one of them.
		for i, p := range um.RequiredFields {
			if p != um.UsernameField || !usernameRead(n) {
				continue
			}
			from := n.Name
			for _, a := range n.Ancestors() {
				if a.RequiredFields != nil {
					from = refFrom(n.File, a)
					break
				}
			}
			c.errs.add(n.UserPos.UsernameField.or(n.Pos), "username_field %s is one of the required_fields inherited from %s, and the username field is always required; declare required_fields without it", quote(p.Name), from)
			um.RequiredFields = append(slices.Clip(um.RequiredFields[:i]), um.RequiredFields[i+1:]...)
			break
		}
		return
	}
	um.RequiredFields = []*Property{}
	first := map[*Property]Pos{}
	for i, name := range n.RequiredFields {
		at := n.Pos
		if i < len(n.UserPos.RequiredFields) {
			at = n.UserPos.RequiredFields[i].or(n.Pos)
		}
		p := propertyNamed(n, name)
		prev, dup := first[p]
		switch {
		case p == nil:
			c.errs.add(at, "required_fields: %s is not a property of %s%s", quote(name), n.Name, c.propertyHint(n, name))
		case dup:
			c.errs.add(at, "required_fields: %s is listed twice (first at line %d)", quote(name), prev.Line)
		case p == um.UsernameField:
			c.errs.add(at, "required_fields: %s is the username field, which is always required; remove it", quote(name))
		default:
			first[p] = at
			um.RequiredFields = append(um.RequiredFields, p)
		}
	}
}

// usernameRead reports whether n's username_field was read: declared in
// Go, or written as a string.
func usernameRead(n *Node) bool {
	return n.UsernameField != "" || n.UserPos.UsernameField.IsValid()
}
