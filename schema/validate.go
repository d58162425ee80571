package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// checker runs the checks of a model: those that relate its elements
// (references, inheritance, members and generated identifiers, labels,
// user models, permissions, imports), on the positions the model holds.
type checker struct {
	files []*File
	errs  *ErrorList
	// nodes and models index the node types and relationship models of
	// each file by name.
	nodes  map[*File]map[string]*Node
	models map[*File]map[string]*RelModel
	// byLabel lists the concrete node types by database label (DBLabel).
	byLabel map[string][]*Node
	// hintBudget bounds the work spent on "did you mean" hints for
	// references, which compare a name with every node of a file.
	hintBudget int
}

func newChecker(files []*File, errs *ErrorList) *checker {
	return &checker{files: files, errs: errs, hintBudget: 1 << 20}
}

// checkModel resolves the references between the files and runs the
// checks that relate elements.
func (c *checker) checkModel() {
	c.nodes = map[*File]map[string]*Node{}
	c.models = map[*File]map[string]*RelModel{}
	for _, f := range c.files {
		c.nodes[f] = map[string]*Node{}
		c.models[f] = map[string]*RelModel{}
		for _, n := range f.Nodes {
			if _, dup := c.nodes[f][n.Name]; !dup {
				c.nodes[f][n.Name] = n
			}
		}
		for _, m := range f.RelModels {
			if _, dup := c.models[f][m.Name]; !dup {
				c.models[f][m.Name] = m
			}
		}
	}
	c.resolveRefs()
	c.checkExtendsCycles()
	c.checkExtendsDepth()
	c.collectReverse()
	c.checkUserModels()
	c.byLabel = map[string][]*Node{}
	for _, f := range c.files {
		for _, n := range f.Nodes {
			if !n.Abstract {
				c.byLabel[n.DBLabel()] = append(c.byLabel[n.DBLabel()], n)
			}
		}
	}
	for _, f := range c.files {
		for _, n := range f.Nodes {
			c.checkMembers(n)
			c.checkLabels(n)
			c.checkPermissions(n)
		}
		for _, m := range f.RelModels {
			c.checkRelModel(m)
		}
		c.checkPackageLevel(f)
	}
	c.checkImports()
	c.checkNodeLabels()
}

// checkNodeLabels refuses two concrete node types with the same database
// label (DBLabel): queries for one would return the nodes of the other. The
// error goes to the importing side: built-in schemas first, then files in
// reverse schema order (imported files come after the files importing them)
// keep their node; within a file, the first node in YAML order keeps it.
func (c *checker) checkNodeLabels() {
	first := map[string]*Node{}
	for _, builtinPass := range []bool{true, false} {
		for i := len(c.files) - 1; i >= 0; i-- {
			f := c.files[i]
			if f.Builtin != builtinPass {
				continue
			}
			for _, n := range f.Nodes {
				if n.Abstract {
					continue
				}
				label := n.DBLabel()
				e, dup := first[label]
				if !dup {
					first[label] = n
					continue
				}
				if e.File == n.File && e.Name == n.Name {
					continue // a duplicate key, already reported
				}
				hint := ""
				if n.File.ImportOf(e.File) != nil && n.Extends == nil && n.Label == "" {
					hint = fmt.Sprintf("; rename it, or extend it under another name (extends: %s)", refFrom(n.File, e))
				}
				at := n.Pos
				if n.Label != "" {
					at = n.LabelPos.or(n.Pos)
				}
				c.errs.add(at, "node %s has the same label %s as node %s (%s): two node types cannot share a database label%s", n.Name, quote(label), e.Name, loc(e.Pos, at), hint)
			}
		}
	}
}

// broken reports whether f could not be read, so that references into it
// are not reported as unknown.
func (c *checker) broken(f *File) bool {
	return f == nil || f.broken
}

// loc describes where p is, seen from a message at from: "line 3" in the
// same file, "file:line:col" otherwise.
func loc(p, from Pos) string {
	if p.File == from.File {
		return fmt.Sprintf("line %d", p.Line)
	}
	return p.String()
}

// refFile splits a reference ("Name" or "alias.Name") and returns the file
// it points into and the bare name; ok=false when it cannot be followed
// (reported, unless the imported file is itself broken).
func (c *checker) refFile(f *File, ref string, at Pos) (*File, string, bool) {
	parts := strings.Split(ref, ".")
	switch {
	case len(parts) == 1 && ref != "":
		return f, ref, true
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		alias, name := parts[0], parts[1]
		im := f.Import(alias)
		if im == nil {
			var aliases []string
			for _, i := range f.Imports {
				aliases = append(aliases, i.Alias)
			}
			hint := c.hint(alias, aliases)
			switch {
			case alias == f.Package:
				hint = fmt.Sprintf("; names of this file are written without a prefix: %s", quote(name))
			case hint == "" && alias == "auth":
				hint = "; add it under \"imports:\" (auth: builtin:auth)"
			case hint == "":
				hint = "; add it under \"imports:\""
			}
			c.errs.add(at, "unknown import alias %s in %s%s", quote(alias), quote(ref), hint)
			return nil, "", false
		}
		if im.File == nil || c.broken(im.File) {
			return nil, "", false
		}
		return im.File, name, true
	}
	c.errs.add(at, "invalid reference %s: write Name (same file) or alias.Name (imported file)", quote(ref))
	return nil, "", false
}

// lookupNode resolves a node reference; what names the option for
// messages ("to", "extends").
func (c *checker) lookupNode(f *File, ref string, at Pos, self *Node) *Node {
	tf, name, ok := c.refFile(f, ref, at)
	if !ok {
		return nil
	}
	if n := c.nodes[tf][name]; n != nil {
		return n
	}
	if c.models[tf][name] != nil {
		c.errs.add(at, "%s is a relationship model, not a node", quote(ref))
		return nil
	}
	var names []string
	for _, n := range tf.Nodes {
		if n != self {
			names = append(names, n.Name)
		}
	}
	if tf == f {
		hint := c.hint(name, names)
		if hint == "" {
			// A bare name never reaches into an import; say which alias to use.
			var found []string
			for _, im := range f.Imports {
				if im.File != nil && c.nodes[im.File][name] != nil {
					found = append(found, im.Alias+"."+name)
				}
			}
			if len(found) > 0 {
				hint = fmt.Sprintf("; did you mean %s? (nodes of an imported file take its alias)", quote(found[0]))
			}
		}
		c.errs.add(at, "unknown node %s%s", quote(name), hint)
		return nil
	}
	c.errs.add(at, "unknown node %s in %s (imported as %s)%s", quote(name), tf.Path, quote(strings.SplitN(ref, ".", 2)[0]), c.hint(name, names))
	return nil
}

// lookupModel resolves a relationship model reference.
func (c *checker) lookupModel(f *File, ref string, at Pos) *RelModel {
	tf, name, ok := c.refFile(f, ref, at)
	if !ok {
		return nil
	}
	if m := c.models[tf][name]; m != nil {
		return m
	}
	if c.nodes[tf][name] != nil {
		c.errs.add(at, "%s is a node, not a relationship model (model: names an entry of the top-level \"relationships:\")", quote(ref))
		return nil
	}
	var names []string
	for _, m := range tf.RelModels {
		names = append(names, m.Name)
	}
	c.errs.add(at, "unknown relationship model %s%s", quote(ref), c.hint(name, names))
	return nil
}

// hint is didYouMean within the loader's hint budget.
func (c *checker) hint(name string, candidates []string) string {
	if len(candidates) > c.hintBudget {
		return ""
	}
	c.hintBudget -= len(candidates)
	return didYouMean(name, candidates)
}

// resolveRefs resolves extends, to and model references written as names;
// a reference without a name (a model built in Go) is kept as it is.
func (c *checker) resolveRefs() {
	for _, f := range c.files {
		for _, n := range f.Nodes {
			if n.ExtendsRef != "" {
				n.Extends = c.lookupNode(f, n.ExtendsRef, n.ExtendsPos.or(n.Pos), n)
			}
			for _, r := range n.Relationships {
				if r.ToRef != "" {
					r.To = c.lookupNode(f, r.ToRef, r.ToPos.or(r.Pos), nil)
				}
				if r.ModelRef != "" {
					r.Model = c.lookupModel(f, r.ModelRef, r.ModelPos.or(r.Pos))
				}
			}
		}
	}
}

// checkExtendsCycles reports each cycle of extends once, at the extends of
// the first node of the cycle met in schema order, and breaks it there.
func (c *checker) checkExtendsCycles() {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[*Node]int{}
	for _, f := range c.files {
		for _, start := range f.Nodes {
			var path []*Node
			n := start
			for n != nil && state[n] == unvisited {
				state[n] = visiting
				path = append(path, n)
				n = n.Extends
			}
			if n != nil && state[n] == visiting {
				i := 0
				for path[i] != n {
					i++
				}
				var names []string
				for _, c := range path[i:] {
					names = append(names, c.Name)
				}
				names = append(names, n.Name)
				at := n.ExtendsPos.or(n.Pos)
				if len(names) == 2 {
					c.errs.add(at, "node %s extends itself", n.Name)
				} else {
					c.errs.add(at, "extends cycle: %s", strings.Join(names, " → "))
				}
				n.Extends = nil
			}
			for _, c := range path {
				state[c] = done
			}
		}
	}
}

// maxExtendsDepth bounds the length of an extends chain, which keeps the
// work of the checks (and the size of generated code) linear.
const maxExtendsDepth = 32

// checkExtendsDepth refuses extends chains longer than maxExtendsDepth,
// reporting at the extends that goes one level too far, and cuts them
// there.
func (c *checker) checkExtendsDepth() {
	for _, f := range c.files {
		for _, n := range f.Nodes {
			a := n
			for i := 0; i < maxExtendsDepth && a != nil; i++ {
				a = a.Extends
			}
			if a != nil && a.Extends != nil {
				c.errs.add(a.ExtendsPos.or(a.Pos), "extends chain too long: %s is more than %d levels below %s", n.Name, maxExtendsDepth, a.Extends.Name)
				a.Extends = nil
			}
		}
	}
}

// collectReverse fills Node.Reverse.
func (c *checker) collectReverse() {
	for _, f := range c.files {
		for _, n := range f.Nodes {
			for _, r := range n.Relationships {
				if r.To != nil && r.Reverse != "" {
					r.To.Reverse = append(r.To.Reverse, r)
				}
			}
		}
	}
}

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

// checkRelModel checks the properties of a relationship model.
func (c *checker) checkRelModel(m *RelModel) {
	byGo := map[string]string{} // Go member name → description
	byGoPos := map[string]Pos{}
	byDB := map[string]*Property{}
	for _, p := range m.Properties {
		if what, ok := reservedRelMembers[p.GoName]; ok {
			c.errs.add(p.Pos, "property %s is reserved: its Go name %s is %s of every generated relationship", quote(p.Name), p.GoName, what)
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

// checkLabels refuses an extra label that is the label of another node
// type: queries for that type would return these nodes too.
func (c *checker) checkLabels(n *Node) {
	chain := map[*Node]bool{}
	for _, c := range n.Chain() {
		chain[c] = true
	}
	for i, label := range n.Labels {
		for _, o := range c.byLabel[label] {
			if !chain[o] {
				hint := ""
				if !o.IsA(n) {
					hint = fmt.Sprintf("; use extends: %s instead", refFrom(n.File, o))
				}
				c.errs.add(labelPos(n, i), "label %s is the label of node %s (%s): queries for %s would return %s nodes too%s", quote(label), o.Name, loc(o.Pos, n.Pos), o.Name, n.Name, hint)
				break
			}
		}
	}
}

// labelPos is where n's extra label i is written.
func labelPos(n *Node, i int) Pos {
	if i < len(n.LabelsPos) {
		return n.LabelsPos[i].or(n.Pos)
	}
	return n.Pos
}

// refFrom writes a reference to node o from file f ("Name" or
// "alias.Name"), or o's name when f does not import o's file.
func refFrom(f *File, o *Node) string {
	if o.File == f {
		return o.Name
	}
	if im := f.ImportOf(o.File); im != nil {
		return im.Alias + "." + o.Name
	}
	return o.Name
}

// checkPermissions refuses a custom permission that repeats one of the
// default permissions of the node (add_, change_, delete_, view_<node>).
func (c *checker) checkPermissions(n *Node) {
	if n.Abstract {
		return
	}
	model := strings.ToLower(n.Name)
	defaults := []string{"add_" + model, "change_" + model, "delete_" + model, "view_" + model}
	for _, p := range n.Permissions {
		if slices.Contains(defaults, p.Codename) {
			c.errs.add(p.Pos, "permission %s is one of the default permissions of %s (%s); remove it", quote(p.Codename), n.Name, strings.Join(defaults, ", "))
		}
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

// checkPackageLevel refuses two schema elements of one file that would
// generate the same package-level Go identifier (see nodeSuffixes), exported
// or not, and node or model names that every package declares.
func (c *checker) checkPackageLevel(f *File) {
	var ids, unexported []ident
	add := func(id ident) { ids = append(ids, id) }
	addU := func(id ident) { unexported = append(unexported, id) }
	propHint := func(p *Property) string {
		return fmt.Sprintf("; rename the property (db_property: %s keeps the stored name)", p.DBName)
	}
	const (
		relHint     = "; rename the relationship"
		reverseHint = "; rename the reverse accessor"
	)
	for _, n := range f.Nodes {
		if what, ok := reservedTypeNames[n.Name]; ok {
			c.errs.add(n.Pos, "node name %s is reserved: %s is %s", quote(n.Name), n.Name, what)
		}
		add(ident{name: n.Name, desc: "node " + n.Name, pos: n.Pos, owner: n})
		add(ident{name: n.DescriptorName(), desc: fmt.Sprintf("the generated descriptor %s of node %s", n.DescriptorName(), n.Name), pos: n.Pos, owner: n})
		if !n.Abstract {
			add(ident{name: n.ManagerName(), desc: fmt.Sprintf("the generated manager %s of node %s", n.ManagerName(), n.Name), pos: n.Pos, owner: n})
			add(ident{name: n.FetchedName(), desc: fmt.Sprintf("the generated struct %s of node %s", n.FetchedName(), n.Name), pos: n.Pos, owner: n})
			if n.Extends != nil {
				add(ident{name: n.FromModelName(), desc: fmt.Sprintf("the generated function %s of node %s", n.FromModelName(), n.Name), pos: n.Pos, owner: n})
			}
			if n.UserModel != nil {
				add(ident{name: n.UserModelName(), desc: fmt.Sprintf("the generated user model %s of node %s", n.UserModelName(), n.Name), pos: n.Pos, owner: n})
			}
		}
		for _, p := range n.AllProperties() {
			if _, reserved := reservedNodeMembers[p.GoName]; reserved {
				continue // refused by checkMembers
			}
			pos := n.Pos
			own := slices.Contains(n.Properties, p)
			if own {
				pos = p.Pos
			}
			add(ident{name: p.HandleName(n.Name), desc: fmt.Sprintf("the generated filter %s of property %s of %s", p.HandleName(n.Name), quote(p.Name), n.Name), pos: pos, owner: n, member: p.GoName, hint: propHint(p)})
			if own && len(p.Choices) > 0 {
				name := p.ChoicesName(n.Name)
				add(ident{name: name, desc: fmt.Sprintf("the generated choices map %s of property %s of %s", name, quote(p.Name), n.Name), pos: pos, owner: n, member: p.GoName, hint: propHint(p)})
			}
			if p.Pattern != "" {
				name := p.PatternName(n.Name)
				addU(ident{name: name, desc: fmt.Sprintf("the generated pattern variable %s of property %s of %s", name, quote(p.Name), n.Name), pos: pos, owner: n, member: p.GoName})
			}
		}
		if n.Abstract {
			continue
		}
		for _, r := range n.AllRelationships() {
			if ReservedNodeMember(r.GoName) {
				continue // refused by checkMembers
			}
			pos := n.Pos
			if r.Owner == n {
				pos = r.Pos
			}
			a := Accessor{Owner: n, Rel: r}
			handle, spec := a.HandleName(), a.SpecName()
			add(ident{name: handle, desc: fmt.Sprintf("the generated relation path %s of relationship %s of %s", handle, quote(r.Name), n.Name), pos: pos, owner: n, member: r.GoName, hint: relHint})
			addU(ident{name: spec, desc: fmt.Sprintf("the generated relationship variable %s of relationship %s of %s", spec, quote(r.Name), n.Name), pos: pos, owner: n, member: r.GoName})
			if r.ModelRef != "" {
				name := a.MatchName()
				add(ident{name: name, desc: fmt.Sprintf("the generated function %s of relationship %s of %s", name, quote(r.Name), n.Name), pos: pos, owner: n, member: r.GoName + matchSuffix, hint: relHint})
			}
		}
		for _, r := range n.AllReverse() {
			if r.Owner.File != f || ReservedNodeMember(r.ReverseGoName) {
				continue // generated in the package of r's owner, if at all; or refused
			}
			pos := n.Pos
			if r.To == n {
				pos = r.ReversePos
			}
			a := Accessor{Owner: n, Rel: r, Reverse: true}
			handle, spec := a.HandleName(), a.SpecName()
			add(ident{name: handle, desc: fmt.Sprintf("the generated relation path %s of reverse %s of %s", handle, quote(r.Reverse), n.Name), pos: pos, owner: n, member: r.ReverseGoName, hint: reverseHint})
			addU(ident{name: spec, desc: fmt.Sprintf("the generated relationship variable %s of reverse %s of %s", spec, quote(r.Reverse), n.Name), pos: pos, owner: n, member: r.ReverseGoName})
			if r.ModelRef != "" {
				name := a.MatchName()
				add(ident{name: name, desc: fmt.Sprintf("the generated function %s of reverse %s of %s", name, quote(r.Reverse), n.Name), pos: pos, owner: n, member: r.ReverseGoName + matchSuffix, hint: reverseHint})
			}
		}
	}
	for _, n := range f.Nodes {
		for _, r := range n.Relationships {
			if r.Reverse == "" || r.To == nil || r.To.File == f || ReservedNodeMember(r.ReverseGoName) {
				continue
			}
			// Owned by the foreign node, so that two reverse accessors of
			// the same name on it are one member clash.
			a := Accessor{Owner: r.To, Rel: r, Reverse: true}
			fn, spec := a.HandleName(), a.SpecName()
			add(ident{name: fn, desc: fmt.Sprintf("the generated function %s (reverse %s of %s.%s onto %s)", fn, quote(r.Reverse), n.Name, r.Name, r.ToRef), pos: r.ReversePos, owner: r.To, member: r.ReverseGoName, hint: reverseHint})
			addU(ident{name: spec, desc: fmt.Sprintf("the generated relationship variable %s (reverse %s of %s.%s)", spec, quote(r.Reverse), n.Name, r.Name), pos: r.ReversePos, owner: r.To, member: r.ReverseGoName})
		}
	}
	for _, m := range f.RelModels {
		if what, ok := reservedTypeNames[m.Name]; ok {
			c.errs.add(m.Pos, "relationship model name %s is reserved: %s is %s", quote(m.Name), m.Name, what)
		}
		add(ident{name: m.Name, desc: "relationship model " + m.Name, pos: m.Pos, owner: m})
		add(ident{name: m.DescriptorName(), desc: fmt.Sprintf("the generated descriptor %s of relationship model %s", m.DescriptorName(), m.Name), pos: m.Pos, owner: m})
		for _, p := range m.Properties {
			if _, reserved := reservedRelMembers[p.GoName]; reserved {
				continue // refused by checkRelModel
			}
			add(ident{name: p.HandleName(m.Name), desc: fmt.Sprintf("the generated filter %s of property %s of relationship model %s", p.HandleName(m.Name), quote(p.Name), m.Name), pos: p.Pos, owner: m, member: p.GoName, hint: propHint(p)})
			if len(p.Choices) > 0 {
				name := p.ChoicesName(m.Name)
				add(ident{name: name, desc: fmt.Sprintf("the generated choices map %s of property %s of relationship model %s", name, quote(p.Name), m.Name), pos: p.Pos, owner: m, member: p.GoName, hint: propHint(p)})
			}
			if p.Pattern != "" {
				name := p.PatternName(m.Name)
				addU(ident{name: name, desc: fmt.Sprintf("the generated pattern variable %s of property %s of relationship model %s", name, quote(p.Name), m.Name), pos: p.Pos, owner: m, member: p.GoName})
			}
		}
	}
	// An element whose name is refused has its derived identifiers refused
	// too; only the first is reported.
	refused := map[any]bool{}
	for _, list := range [][]ident{ids, unexported} {
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

// checkImports requires a go_package of imported files and refuses import
// cycles (generated Go packages cannot import each other).
func (c *checker) checkImports() {
	for _, f := range c.files {
		for _, im := range f.Imports {
			g := im.File
			if g == nil || c.broken(g) {
				continue
			}
			if g.GoPackage == "" && !g.Builtin {
				c.errs.add(im.Pos, "%s has no go_package; a schema imported by another one must say its Go import path (go_package: example.com/app/%s)", g.Path, g.Package)
			} else if g != f && g.GoPackage != "" && g.GoPackage == f.GoPackage {
				c.errs.add(im.Pos, "%s has the same go_package %s as this file; a Go package cannot import itself", g.Path, quote(g.GoPackage))
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	// A cycle is reported at the import that enters it from the first of
	// its files met, in schema order.
	state := map[*File]int{}
	var stack []*File
	var via []*Import // via[i] is the import stack[i] is following
	var visit func(f *File)
	visit = func(f *File) {
		state[f] = visiting
		stack = append(stack, f)
		via = append(via, nil)
		for _, im := range f.Imports {
			g := im.File
			if g == nil {
				continue
			}
			via[len(via)-1] = im
			switch state[g] {
			case unvisited:
				visit(g)
			case visiting:
				if g == f {
					c.errs.add(im.Pos, "%s imports itself", f.Path)
					continue
				}
				i := len(stack) - 1
				for stack[i] != g {
					i--
				}
				var names []string
				for _, c := range stack[i:] {
					names = append(names, c.Path)
				}
				names = append(names, g.Path)
				c.errs.add(via[i].Pos, "import cycle: %s (generated Go packages cannot import each other)", strings.Join(names, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		via = via[:len(via)-1]
		state[f] = done
	}
	for _, f := range c.files {
		if state[f] == unvisited {
			visit(f)
		}
	}
}
