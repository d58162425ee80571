// Package infer writes a schema describing what inspect.Database found in a
// database: what gonode inspect-database prints.
package infer

import (
	"errors"
	"fmt"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// Options tune YAML.
type Options struct {
	// Package is the schema's "package:", the Go package name of the
	// generated code; "models" when empty.
	Package string
}

// YAML writes a schema in gonode's YAML language that describes
// what inspect.Database found in a database. The output is deterministic (node
// types, properties and relationships sorted by name), always loads with
// schema.Load and generates with codegen.Generate: names that the schema language does not
// take are mapped to names it takes, keeping the stored name in the option
// that holds it (label, labels, db_property, type: any stored name without
// control characters), and what cannot be expressed is written as a YAML
// comment at the place it concerns.
//
// Inference rules:
//
//   - Node names are the labels when they are CamelCase identifiers, else
//     a CamelCase spelling of their letters and digits ("my label" →
//     MyLabel, "1st" → Node1st), made unique; when the name is not the
//     label, label: keeps the label. A node type extends its Parent; its
//     extra Labels are written as labels:.
//   - Property names are snake_case spellings of the keys ("firstName" →
//     first_name, "a-b" → a_b, "1st" → prop_1st); a name that is a Go
//     keyword or that generated code reserves (type, func, save, …) gets a
//     "_prop" suffix. When the name is not the key, db_property keeps the
//     key.
//   - Types come from the values: STRING string, INTEGER int, FLOAT float,
//     BOOLEAN bool, DATE date, ZONED DATETIME datetime, LOCAL DATETIME
//     localdatetime, DURATION duration, POINT point (2D), POINT 3D point3d
//     (inspect.Database's name for a 3D point), and lists of them as [T].
//     Integers mixed with floats are float (the runtime reads an
//     integer into a float); any other mix is string, with a comment
//     listing the types (reading a value that is not a string then fails
//     with ogm.ErrPropertyType). A key whose values have no schema type
//     (LOCAL TIME, ZONED TIME) is a comment. Lists only ever seen empty are
//     [string].
//   - required: true when every node (relationship) has the key; unique
//     and index (true for range and point indexes, text, fulltext) from
//     single-property constraints and indexes; others are comments.
//   - Relationships are given on their source node type, direction out,
//     named after their type (plus the target's name when one type leads
//     to several node types). The cardinality is measured: at most one per
//     node and every node has one: one; at most one: zero_or_one; every
//     node has one: one_or_more; else zero_or_more. A relationship type
//     with properties gets a relationship model <Type>Rel.
func YAML(db *inspect.Schema, opts Options) ([]byte, error) {
	if db == nil {
		return nil, errors.New("gonode: no database schema")
	}
	pkg := opts.Package
	if pkg == "" {
		pkg = "models"
	}
	if err := CheckPackage(pkg); err != nil {
		return nil, err
	}
	d := buildFdDoc(db, pkg)
	for range 64 {
		text, refs := d.render()
		s, err := schema.LoadBytes("inspected.yaml", text)
		if err == nil {
			if _, err := codegen.Generate(s, codegen.Options{OutDir: "."}); err != nil {
				return nil, fmt.Errorf("gonode: the inferred schema does not generate: %w", err)
			}
			return text, nil
		}
		var list schema.ErrorList
		if !errors.As(err, &list) {
			return nil, err
		}
		if rerr := d.repair(list, refs); rerr != nil {
			return nil, fmt.Errorf("gonode: the inferred schema does not load: %v\n%s", rerr, text)
		}
	}
	return nil, errors.New("gonode: the inferred schema does not load")
}

// CheckPackage refuses a package name YAML cannot write: one that
// is not a lower-case Go package name, is a Go keyword, or is reserved
// (main, or a package generated code imports).
func CheckPackage(pkg string) error {
	if !schema.IsPackageName(pkg) {
		return fmt.Errorf("package %s is not a lower-case Go package name", schema.Quote(pkg))
	}
	if why := schema.ReservedPackageName(pkg); why != "" {
		return fmt.Errorf("package %s cannot be used: %s", schema.Quote(pkg), why)
	}
	return nil
}

// fdDoc is the schema being written.
type fdDoc struct {
	pkg    string
	header []string
	nodes  []*fdNode
	models []*fdModel
}

type fdNode struct {
	name     string
	label    string // the stored label
	labelOpt bool   // write "label:" (the name is not the label)
	renames  int
	base     string
	comments []string
	extends  *fdNode
	labels   []string // extra labels, stored names
	props    []*fdProp
	rels     []*fdRel
	tail     []string // comment lines after the properties (what is not declared)
	relTail  []string
}

type fdProp struct {
	name      string
	key       string
	typ       string
	required  bool
	unique    bool
	index     string // "", "true", "text", "fulltext"
	comments  []string
	renames   int
	base      string // the name before the first rename
	commented string // why the property is a comment ("" while declared)
}

type fdRel struct {
	name        string
	typ         string // the stored type
	typNote     string
	to          *fdNode
	cardinality string
	model       *fdModel
	comments    []string
	renames     int
	base        string
	commented   string
	sanitized   bool
}

type fdModel struct {
	name     string
	typ      string
	props    []*fdProp
	comments []string
	renames  int
}

// fdRef says what a line of the rendered text is, for repairs: the element
// and the columns where its fields start.
type fdRef struct {
	el     any
	fields []fdField
}

type fdField struct {
	name string // "" for the element's name
	col  int    // 1-based, in characters
}

// buildDoc maps the database description to the schema, choosing names.
func buildFdDoc(db *inspect.Schema, pkg string) *fdDoc {
	d := &fdDoc{pkg: pkg}
	how := "every node and relationship read"
	if db.Sample > 0 {
		how = fmt.Sprintf("a sample of %d nodes per label and relationships per type read", db.Sample)
	}
	d.header = append(d.header,
		"Schema inferred from the database by gonode inspect-database.",
		fmt.Sprintf("%d nodes, %d relationships; %s.", db.NodeCount, db.RelCount, how))
	for _, n := range db.Notes {
		d.header = append(d.header, n)
	}

	// Node names.
	taken := map[string]bool{}
	byLabel := map[string]*fdNode{}
	for _, n := range db.Nodes {
		fn := &fdNode{label: n.Label, labels: n.Labels}
		fn.name = fdUniqueName(fdCamelName(n.Label, "Node"), "", func(s string) bool { return fdNodeNameFree(s, taken) })
		fdMarkNodeName(fn.name, taken)
		fn.labelOpt = fn.name != n.Label
		fn.comments = append(fn.comments, fdPlural(n.Count, "node")+".")
		fn.comments = append(fn.comments, n.Notes...)
		byLabel[n.Label] = fn
		d.nodes = append(d.nodes, fn)
	}
	for i, n := range db.Nodes {
		if n.Parent != "" {
			d.nodes[i].extends = byLabel[n.Parent]
		}
	}

	// Relationship models.
	models := map[string]*fdModel{}
	for _, t := range db.RelTypes {
		if len(t.Properties) == 0 {
			continue
		}
		m := &fdModel{typ: t.Type}
		m.name = fdUniqueName(schema.GoName(fdSnakeName(t.Type, "rel"))+"Rel", "", func(s string) bool { return fdNodeNameFree(s, taken) && !taken[s+"Type"] })
		taken[m.name], taken[m.name+"Type"] = true, true
		m.comments = append(m.comments, fmt.Sprintf("Properties of the %s relationships (%s).", strconv.Quote(t.Type), fdPlural(t.Count, "relationship")))
		members := map[string]bool{}
		m.props = fdProps(t.Properties, func(s string) bool {
			g := schema.GoName(s)
			return !schema.ReservedRelMember(g) && !token.IsKeyword(s) && !members[g] && !taken[m.name+g]
		}, func(name string) {
			members[schema.GoName(name)] = true
			taken[m.name+schema.GoName(name)] = true
		})
		models[t.Type] = m
		d.models = append(d.models, m)
	}

	// Properties and relationships, parents first so that children avoid
	// the names they inherit.
	indexNotes := fdUnplacedIndexes(db, byLabel)
	done := map[*fdNode]bool{}
	var visit func(i int)
	visit = func(i int) {
		fn := d.nodes[i]
		if done[fn] {
			return
		}
		done[fn] = true
		if fn.extends != nil {
			for j, o := range d.nodes {
				if o == fn.extends {
					visit(j)
				}
			}
		}
		n := db.Nodes[i]
		chain := d.chain(fn)
		members := map[string]bool{}
		for _, c := range chain[:len(chain)-1] {
			for _, p := range c.props {
				if p.commented == "" {
					members[schema.GoName(p.name)] = true
				}
			}
			for _, r := range c.rels {
				if r.commented == "" {
					members[schema.GoName(r.name)] = true
				}
			}
		}
		subtree := d.subtree(fn)
		free := func(s string, reserved func(string) bool) bool {
			g := schema.GoName(s)
			if reserved(g) || token.IsKeyword(s) || members[g] {
				return false
			}
			for _, c := range subtree {
				if taken[c.name+g] {
					return false
				}
			}
			return true
		}
		claim := func(s string) {
			g := schema.GoName(s)
			members[g] = true
			for _, c := range subtree {
				taken[c.name+g] = true
			}
		}
		fn.props = fdProps(n.Properties, func(s string) bool {
			return free(s, schema.ReservedNodeMember)
		}, claim)
		perType := map[string]int{}
		for _, r := range n.Relationships {
			perType[r.Type]++
		}
		for _, r := range n.Relationships {
			to := byLabel[r.Target]
			if to == nil {
				continue
			}
			fr := &fdRel{typ: r.Type, to: to, model: models[r.Type]}
			base := fdSnakeName(r.Type, "rel")
			if perType[r.Type] > 1 {
				base += "_" + fdSnakeName(to.name, "node")
			}
			fr.name = fdUniqueName(base, "_rel", func(s string) bool { return free(s, schema.ReservedNodeMember) })
			claim(fr.name)
			fr.cardinality, fr.comments = fdCardinality(r)
			fn.rels = append(fn.rels, fr)
		}
		fn.tail = append(fn.tail, indexNotes[fn]...)
	}
	for i := range d.nodes {
		visit(i)
	}
	for _, n := range indexNotes[nil] {
		d.header = append(d.header, n)
	}
	return d
}

// nodeNameFree reports whether a node or model name can be taken: neither
// it nor the identifiers generated from it are taken.
func fdNodeNameFree(s string, taken map[string]bool) bool {
	for _, id := range fdTypeIdents(s) {
		if taken[id] || schema.ReservedTypeName(id) {
			return false
		}
	}
	return true
}

func fdMarkNodeName(s string, taken map[string]bool) {
	for _, id := range fdTypeIdents(s) {
		taken[id] = true
	}
}

// fdTypeIdents are the package-level identifiers a concrete node type
// called s may declare besides those of its members.
func fdTypeIdents(s string) []string {
	n := &schema.Node{Name: s}
	return []string{n.Name, n.DescriptorName(), n.ManagerName(), n.FetchedName(), n.FromModelName()}
}

// fdUniqueName returns base if ok accepts it, else base with suffix (for
// snake_case names: save → save_prop), else base with the smallest number
// 2, 3, … (after an underscore for snake_case names) that ok accepts.
func fdUniqueName(base, suffix string, ok func(string) bool) string {
	if ok(base) {
		return base
	}
	sep := ""
	if schema.IsSnakeName(base) {
		sep = "_"
		if suffix != "" && ok(base+suffix) {
			return base + suffix
		}
	}
	for i := 2; ; i++ {
		if s := base + sep + strconv.Itoa(i); ok(s) {
			return s
		}
	}
}

// fdProps maps the properties of props (see newFdProp), in order. Each
// declared one is named with fdUniqueName(…, "_prop", free), and claim
// takes its name. Keys that are names already claim them first: a_b keeps
// its name, and a-b becomes a_b_prop.
func fdProps(props []inspect.Property, free func(string) bool, claim func(name string)) []*fdProp {
	out := make([]*fdProp, len(props))
	for _, pass := range []bool{true, false} {
		for i, p := range props {
			if schema.IsSnakeName(p.Key) != pass {
				continue
			}
			fp := newFdProp(p)
			if fp.commented == "" {
				fp.name = fdUniqueName(fp.name, "_prop", free)
				claim(fp.name)
			}
			out[i] = fp
		}
	}
	return out
}

// chain is fn's inheritance chain, root first.
func (d *fdDoc) chain(fn *fdNode) []*fdNode {
	var out []*fdNode
	seen := map[*fdNode]bool{}
	for x := fn; x != nil && !seen[x]; x = x.extends {
		seen[x] = true
		out = append([]*fdNode{x}, out...)
	}
	return out
}

// subtree is fn and the nodes that extend it, directly or not.
func (d *fdDoc) subtree(fn *fdNode) []*fdNode {
	out := []*fdNode{fn}
	for i := 0; i < len(out); i++ {
		for _, o := range d.nodes {
			if o.extends == out[i] && !fdContainsNode(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

func fdContainsNode(list []*fdNode, n *fdNode) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// newProp maps a property: name, type, options and comments.
func newFdProp(p inspect.Property) *fdProp {
	fp := &fdProp{key: p.Key, name: fdSnakeName(p.Key, "prop"), required: p.Required}
	typ, note, ok := fdSchemaType(p.Types)
	if !ok {
		fp.commented = note
		return fp
	}
	fp.typ = typ
	if note != "" {
		fp.comments = append(fp.comments, note)
	}
	if p.Unique {
		fp.unique = true
	}
	switch p.Index {
	case "":
	case "range", "point":
		if fp.unique {
			fp.comments = append(fp.comments, fmt.Sprintf("also has a %s index", p.Index))
		} else {
			fp.index = "true"
		}
	case "text", "fulltext":
		elem := strings.Trim(typ, "[]")
		switch {
		case fp.unique:
			fp.comments = append(fp.comments, fmt.Sprintf("also has a %s index", p.Index))
		case elem != "string" || (p.Index == "text" && typ != "string"):
			fp.comments = append(fp.comments, fmt.Sprintf("has a %s index, which index: takes for strings only", p.Index))
		default:
			fp.index = string(p.Index)
		}
	default:
		fp.comments = append(fp.comments, fmt.Sprintf("has a %s index", p.Index))
	}
	return fp
}

// schemaTypes maps Cypher value types to schema kinds.
var fdSchemaTypes = map[string]string{
	"STRING": "string", "INTEGER": "int", "FLOAT": "float", "BOOLEAN": "bool",
	"DATE": "date", "ZONED DATETIME": "datetime", "LOCAL DATETIME": "localdatetime",
	"DURATION": "duration", "POINT": "point", "POINT 3D": "point3d",
}

// schemaType maps the value types seen for a key to a schema type. ok is
// false when no schema type holds them; note explains a choice or why not.
func fdSchemaType(types []string) (typ, note string, ok bool) {
	seen := map[string]bool{}
	var unmapped []string
	emptyList := false
	for _, t := range types {
		switch {
		case t == "NULL" || t == "NOTHING":
		case t == "LIST<NOTHING>":
			emptyList = true
		case strings.HasPrefix(t, "LIST<") && strings.HasSuffix(t, ">"):
			for _, e := range strings.Split(t[5:len(t)-1], "|") {
				e = strings.TrimSpace(e)
				if k, ok := fdSchemaTypes[e]; ok {
					seen["["+k+"]"] = true
				} else if e != "NOTHING" && e != "NULL" {
					unmapped = append(unmapped, t)
				}
			}
		default:
			if k, ok := fdSchemaTypes[t]; ok {
				seen[k] = true
			} else {
				unmapped = append(unmapped, t)
			}
		}
	}
	kinds := make([]string, 0, len(seen))
	for k := range seen {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	all := strings.Join(types, ", ")
	switch {
	case len(kinds) == 0 && len(unmapped) == 0 && emptyList:
		return "[string]", "only empty lists seen: element type assumed", true
	case len(kinds) == 0 && len(unmapped) == 0:
		return "", "no values seen", false
	case len(kinds) == 0:
		return "", fmt.Sprintf("values of type %s, which no schema type holds", all), false
	case len(unmapped) == 0 && len(kinds) == 1:
		return kinds[0], "", true
	case len(unmapped) == 0 && len(kinds) == 2 && kinds[0] == "float" && kinds[1] == "int":
		return "float", "integers and floats seen: declared float", true
	case len(unmapped) == 0 && len(kinds) == 2 && kinds[0] == "[float]" && kinds[1] == "[int]":
		return "[float]", "lists of integers and of floats seen: declared [float]", true
	}
	return "string", fmt.Sprintf("mixed types %s: declared string, the most general (reading a value that is not a string fails with ogm.ErrPropertyType)", all), true
}

// cardinality maps measured degrees to a cardinality, with a comment
// giving the numbers.
func fdCardinality(r inspect.Relationship) (string, []string) {
	if !r.Measured {
		return "", nil
	}
	note := fmt.Sprintf("%d of %d nodes have one, at most %d", r.WithAny, r.Sources, r.MaxOut)
	every := r.WithAny >= r.Sources
	switch {
	case r.MaxOut <= 1 && every:
		return "one", []string{note}
	case r.MaxOut <= 1:
		return "zero_or_one", []string{note}
	case every:
		return "one_or_more", []string{note}
	}
	return "", []string{note}
}

// unplacedIndexes describes the constraints and indexes no property shows,
// by the node they concern (nil: the file).
func fdUnplacedIndexes(db *inspect.Schema, byLabel map[string]*fdNode) map[*fdNode][]string {
	out := map[*fdNode][]string{}
	for _, ix := range db.Indexes {
		if ix.Placed {
			continue
		}
		what := ix.Kind + " index"
		switch ix.Kind {
		case "unique":
			what = "uniqueness constraint"
		case "key":
			what = "key constraint"
		case "exists":
			what = "existence constraint"
		case "type":
			what = "property type constraint"
		}
		on := "nodes"
		if ix.Rel {
			on = "relationships"
		}
		line := fmt.Sprintf("not expressed: %s %s on %s %s (%s)", what, strconv.Quote(ix.Name), on,
			fdQuoteNames(ix.LabelsOrTypes), fdQuoteNames(ix.Properties))
		var owner *fdNode
		if !ix.Rel && len(ix.LabelsOrTypes) == 1 {
			owner = byLabel[ix.LabelsOrTypes[0]]
		}
		out[owner] = append(out[owner], line)
	}
	return out
}

func fdQuoteNames(ls []string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = strconv.Quote(l)
	}
	return strings.Join(q, ", ")
}

func fdPlural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.FormatInt(n, 10) + " " + what + "s"
}

// words splits a database name into ASCII words: runs of letters and
// digits, also split where a lower-case letter or digit is followed by an
// upper-case one ("firstName") and before the last capital of a run of
// capitals followed by a lower-case letter ("HTTPServer"). Every other
// character separates words.
func fdWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	isUpper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	isLower := func(r rune) bool { return r >= 'a' && r <= 'z' }
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' }
	for i, r := range rs {
		if !isUpper(r) && !isLower(r) && !isDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && isUpper(r) {
			prev := cur[len(cur)-1]
			if isLower(prev) || isDigit(prev) {
				flush()
			} else if isUpper(prev) && i+1 < len(rs) && isLower(rs[i+1]) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// snakeName is a snake_case name for a database key or type: "firstName"
// → first_name, "a-b" → a_b, "1st" → prefix_1st, "🚀" → prefix.
func fdSnakeName(s, prefix string) string {
	if schema.IsSnakeName(s) {
		return s
	}
	ws := fdWords(s)
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	out := strings.Join(ws, "_")
	if out == "" {
		return prefix
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = prefix + "_" + out
	}
	return out
}

// camelName is a CamelCase name for a label: the label itself when it is
// one, else its words with capital initials ("my label" → MyLabel).
func fdCamelName(s, prefix string) string {
	if schema.IsTypeName(s) {
		return s
	}
	var b strings.Builder
	for _, w := range fdWords(s) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	out := b.String()
	if out == "" || out[0] < 'A' || out[0] > 'Z' {
		out = prefix + out
	}
	return out
}

// yamlScalar writes s as a YAML scalar: plain when that reads back as the
// same string, else double-quoted (Go's escapes are YAML's).
func fdScalar(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		plain = false
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}

// comment makes text safe for a YAML comment: one line.
func fdComment(text string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, text)
}

// renderer accumulates lines and their references.
type fdRenderer struct {
	b    strings.Builder
	refs map[int]*fdRef
	line int
}

func (r *fdRenderer) comments(indent string, cs ...string) {
	for _, c := range cs {
		r.add(indent+"# "+fdComment(c), nil)
	}
}

func (r *fdRenderer) add(s string, ref *fdRef) {
	r.line++
	r.b.WriteString(s)
	r.b.WriteByte('\n')
	if ref != nil {
		r.refs[r.line] = ref
	}
}

// flow builds "name: {k: v, …}" with the columns of each field.
type fdFlow struct {
	b      strings.Builder
	fields []fdField
	n      int
}

func newFdFlow(indent, name string) *fdFlow {
	f := &fdFlow{}
	f.b.WriteString(indent)
	f.fields = append(f.fields, fdField{name: "", col: utf8.RuneCountInString(indent) + 1})
	f.b.WriteString(name + ": {")
	return f
}

func (f *fdFlow) field(k, v string) {
	if f.n > 0 {
		f.b.WriteString(", ")
	}
	f.n++
	f.fields = append(f.fields, fdField{name: k, col: utf8.RuneCountInString(f.b.String()) + 1})
	f.b.WriteString(k + ": " + v)
}

func (f *fdFlow) done(el any, trailing []string) (string, *fdRef) {
	f.b.WriteString("}")
	if len(trailing) > 0 {
		f.b.WriteString("  # " + fdComment(strings.Join(trailing, "; ")))
	}
	return f.b.String(), &fdRef{el: el, fields: f.fields}
}

// render writes the schema text, with what each line holds.
func (d *fdDoc) render() ([]byte, map[int]*fdRef) {
	r := &fdRenderer{refs: map[int]*fdRef{}}
	r.comments("", d.header...)
	r.add("package: "+fdScalar(d.pkg), nil)
	nodes := append([]*fdNode(nil), d.nodes...)
	sort.SliceStable(nodes, func(i, j int) bool { return nodes[i].name < nodes[j].name })
	if len(nodes) == 0 {
		r.add("nodes: {}", nil)
	} else {
		r.add("nodes:", nil)
	}
	for _, n := range nodes {
		r.add("", nil)
		r.comments("  ", n.comments...)
		empty := !n.labelOpt && n.extends == nil && len(n.labels) == 0 && len(n.props) == 0 && len(n.rels) == 0
		if empty {
			r.add("  "+n.name+": {}", &fdRef{el: n, fields: []fdField{{"", 3}}})
			r.comments("    ", n.tail...)
			r.comments("    ", n.relTail...)
			continue
		}
		r.add("  "+n.name+":", &fdRef{el: n, fields: []fdField{{"", 3}}})
		if n.labelOpt {
			r.add("    label: "+fdScalar(n.label), &fdRef{el: n, fields: []fdField{{"label", 5}}})
		}
		if n.extends != nil {
			r.add("    extends: "+n.extends.name, &fdRef{el: n, fields: []fdField{{"extends", 5}}})
		}
		if len(n.labels) > 0 {
			line := "    labels: ["
			ref := &fdRef{el: n, fields: []fdField{{"labels", 5}}}
			for i, l := range n.labels {
				if i > 0 {
					line += ", "
				}
				ref.fields = append(ref.fields, fdField{name: "labels:" + strconv.Itoa(i), col: utf8.RuneCountInString(line) + 1})
				line += fdScalar(l)
			}
			r.add(line+"]", ref)
		}
		fdWriteProps(r, "    ", n.props, n.tail)
		var rels []*fdRel
		var relComments []string
		for _, rel := range n.rels {
			if rel.commented != "" {
				relComments = append(relComments, rel.name+": "+rel.commented)
			} else {
				rels = append(rels, rel)
			}
		}
		relComments = append(relComments, n.relTail...)
		if len(rels) > 0 {
			r.add("    relationships:", nil)
			for _, rel := range rels {
				f := newFdFlow("      ", rel.name)
				f.field("to", rel.to.name)
				f.field("type", fdScalar(rel.typ))
				if rel.cardinality != "" {
					f.field("cardinality", rel.cardinality)
				}
				if rel.model != nil {
					f.field("model", rel.model.name)
				}
				trailing := rel.comments
				if rel.typNote != "" {
					trailing = append([]string{rel.typNote}, trailing...)
				}
				line, ref := f.done(rel, trailing)
				r.add(line, ref)
			}
		}
		if len(relComments) > 0 {
			if len(rels) == 0 {
				r.comments("    ", "relationships:")
			}
			r.comments("      ", relComments...)
		}
	}
	models := append([]*fdModel(nil), d.models...)
	sort.SliceStable(models, func(i, j int) bool { return models[i].name < models[j].name })
	if len(models) > 0 {
		r.add("", nil)
		r.add("relationships:", nil)
	}
	for _, m := range models {
		r.comments("  ", m.comments...)
		declared := 0
		for _, p := range m.props {
			if p.commented == "" {
				declared++
			}
		}
		if declared == 0 {
			r.add("  "+m.name+": {}", &fdRef{el: m, fields: []fdField{{"", 3}}})
			fdWriteProps(r, "  ", m.props, nil)
			continue
		}
		r.add("  "+m.name+":", &fdRef{el: m, fields: []fdField{{"", 3}}})
		fdWriteProps(r, "    ", m.props, nil)
	}
	return []byte(r.b.String()), r.refs
}

// writeProps writes a "properties:" section: the declared properties, then
// the others as comments.
func fdWriteProps(r *fdRenderer, indent string, props []*fdProp, tail []string) {
	var declared []*fdProp
	var notes []string
	for _, p := range props {
		if p.commented == "" {
			declared = append(declared, p)
		} else {
			notes = append(notes, fmt.Sprintf("%s: not declared: %s", strconv.Quote(p.key), p.commented))
		}
	}
	notes = append(notes, tail...)
	if len(declared) > 0 {
		r.add(indent+"properties:", nil)
		for _, p := range declared {
			f := newFdFlow(indent+"  ", p.name)
			f.field("type", fdScalar(p.typ))
			if p.required {
				f.field("required", "true")
			}
			if p.unique {
				f.field("unique", "true")
			}
			if p.index != "" {
				f.field("index", p.index)
			}
			if p.key != p.name {
				f.field("db_property", fdScalar(p.key))
			}
			line, ref := f.done(p, p.comments)
			r.add(line, ref)
		}
	}
	if len(notes) > 0 {
		if len(declared) == 0 {
			r.comments(indent, "properties:")
		}
		r.comments(indent+"  ", notes...)
	}
}

// repair changes what the loader refused. Every error must point at a line
// the renderer wrote for an element; anything else is a bug.
func (d *fdDoc) repair(errs schema.ErrorList, refs map[int]*fdRef) error {
	type fix struct {
		el    any
		field string
	}
	seen := map[fix]bool{}
	for _, e := range errs {
		ref := refs[e.Line]
		if ref == nil {
			return e
		}
		field := ref.fields[0]
		for _, f := range ref.fields {
			if f.col <= e.Col {
				field = f
			}
		}
		k := fix{ref.el, field.name}
		if seen[k] {
			continue
		}
		seen[k] = true
		if err := d.fix(ref.el, field.name, e); err != nil {
			return err
		}
	}
	return nil
}

// maxRenames bounds the repairs of one element's name: a node or model
// renamed more often is an error, a property or relationship a comment.
const maxRenames = 8

// fix applies one repair for error e on field of element el.
func (d *fdDoc) fix(el any, field string, e *schema.Error) error {
	switch x := el.(type) {
	case *fdNode:
		switch {
		case field == "":
			x.renames++
			if x.renames > maxRenames {
				return e
			}
			if x.base == "" {
				x.base = x.name
			}
			x.name = fdUniqueName(x.base+strconv.Itoa(x.renames+1), "", func(s string) bool { return !d.nodeNamed(s) })
		case field == "label":
			x.labelOpt = false
			x.comments = append(x.comments, fmt.Sprintf("Stored label %s, which label: cannot name (%s): generated code uses the label %s.", strconv.Quote(x.label), e.Msg, x.name))
		case field == "extends":
			x.comments = append(x.comments, fmt.Sprintf("Every node is also a %s (extends refused: %s).", x.extends.name, e.Msg))
			x.extends = nil
		case strings.HasPrefix(field, "labels"):
			i, _ := strconv.Atoi(strings.TrimPrefix(field, "labels:"))
			if field == "labels" || i >= len(x.labels) {
				for _, l := range x.labels {
					x.comments = append(x.comments, fmt.Sprintf("Every node also has the label %s.", strconv.Quote(l)))
				}
				x.labels = nil
				break
			}
			x.comments = append(x.comments, fmt.Sprintf("Every node also has the label %s, which labels: cannot name (%s).", strconv.Quote(x.labels[i]), e.Msg))
			x.labels = append(x.labels[:i:i], x.labels[i+1:]...)
		default:
			return e
		}
	case *fdProp:
		return d.fixProp(x, field, e)
	case *fdRel:
		switch field {
		case "":
			if !fdRename(&x.name, &x.base, &x.renames) {
				x.commented = e.Msg
			}
		case "type":
			if x.sanitized {
				x.commented = e.Msg
				break
			}
			x.typNote = "stored type " + strconv.Quote(x.typ) + ", which type: cannot name (" + e.Msg + "): generated code uses " + fdSanitizeType(x.typ)
			x.typ = fdSanitizeType(x.typ)
			x.sanitized = true
		case "model":
			x.comments = append(x.comments, "model dropped: "+e.Msg)
			x.model = nil
		case "cardinality":
			x.comments = append(x.comments, "cardinality "+x.cardinality+" dropped: "+e.Msg)
			x.cardinality = ""
		default:
			x.commented = e.Msg
		}
	case *fdModel:
		if field != "" {
			return e
		}
		x.renames++
		if x.renames > maxRenames {
			return e
		}
		x.name = fdUniqueName(strings.TrimSuffix(x.name, "Rel")+strconv.Itoa(x.renames+1)+"Rel", "", func(s string) bool { return !d.nodeNamed(s) })
	default:
		return e
	}
	return nil
}

func (d *fdDoc) fixProp(p *fdProp, field string, e *schema.Error) error {
	switch field {
	case "":
		if !fdRename(&p.name, &p.base, &p.renames) {
			p.commented = e.Msg
		}
	case "required":
		p.required = false
		p.comments = append(p.comments, "required dropped: "+e.Msg)
	case "unique":
		p.unique = false
		p.comments = append(p.comments, "unique dropped: "+e.Msg)
	case "index":
		p.index = ""
		p.comments = append(p.comments, "index dropped: "+e.Msg)
	case "db_property":
		p.commented = fmt.Sprintf("would be %s: {type: %s, db_property: %s}, but %s", p.name, fdScalar(p.typ), fdScalar(p.key), e.Msg)
	default:
		p.commented = e.Msg
	}
	return nil
}

// fdRename gives a property or relationship whose name was refused its
// next name: its first name (kept in base) with _2, _3, …. It reports
// false, changing no name, when the name was refused more than maxRenames
// times.
func fdRename(name, base *string, renames *int) bool {
	*renames++
	if *renames > maxRenames {
		return false
	}
	if *base == "" {
		*base = *name
	}
	*name = *base + "_" + strconv.Itoa(*renames+1)
	return true
}

// nodeNamed reports whether a node or model has the name s.
func (d *fdDoc) nodeNamed(s string) bool {
	for _, n := range d.nodes {
		if n.name == s {
			return true
		}
	}
	for _, m := range d.models {
		if m.name == s {
			return true
		}
	}
	return false
}

// sanitizeType spells a relationship type as the schema language takes
// it: letters, digits and underscores, starting with a letter.
func fdSanitizeType(t string) string {
	ws := fdWords(t)
	out := strings.ToUpper(strings.Join(ws, "_"))
	if out == "" || out[0] < 'A' || out[0] > 'Z' {
		out = "REL_" + out
	}
	return strings.TrimSuffix(out, "_")
}
