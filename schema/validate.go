package schema

import (
	"fmt"
	"slices"
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
	// reported holds the members refused for a reason that every type
	// inheriting them shares (a method of a type with sensitive
	// properties, a generated method of the Fetched struct), so that
	// each is reported once.
	reported map[Pos]bool
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
			c.checkSensitiveMembers(n)
			c.checkFetchedMembers(n)
			c.checkLabels(n)
			c.checkPermissions(n)
			c.checkNodeIndexes(n)
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
