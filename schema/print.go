package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gonode/gonode/ogm"
)

// Print writes f in the schema language: YAML that Load reads back as the
// same model (f's imports as written, Import.Target), with the elements'
// Comments as YAML comments. Elements keep the model's order; each node
// type and relationship model is a mapping, each property and relationship
// one line in flow style ("name: {type: string, required: true}"), and an
// option is written only when it is not the default. A key longer than YAML
// reads as an implicit key (a node type named after a label of thousands of
// characters) is written in the explicit form, "? key" then ": value";
// stored names are double-quoted, with escapes for control characters. The
// output is deterministic.
func Print(f *File) []byte {
	p := &printer{}
	p.comments("", f.Comments.Above)
	p.line("package: " + Scalar(f.Package))
	if f.GoPackage != "" {
		p.line("go_package: " + Scalar(f.GoPackage))
	}
	if f.AppLabel != "" {
		p.line("app_label: " + Scalar(f.AppLabel))
	}
	if len(f.Imports) > 0 {
		p.line("imports:")
		for _, im := range f.Imports {
			p.line(blockEntry("  ", im.Alias, Scalar(im.Target)))
		}
	}
	if len(f.Nodes) == 0 {
		p.line("nodes: {}")
	} else {
		p.line("nodes:")
	}
	for _, n := range f.Nodes {
		p.node(n)
	}
	if len(f.RelModels) > 0 {
		p.line("")
		p.line("relationships:")
	}
	for _, m := range f.RelModels {
		p.relModel(m)
	}
	return []byte(p.b.String())
}

// printer accumulates the lines Print writes.
type printer struct{ b strings.Builder }

func (p *printer) line(s string) {
	p.b.WriteString(s)
	p.b.WriteByte('\n')
}

// comments writes each of cs as a comment line at indent.
func (p *printer) comments(indent string, cs []string) {
	for _, c := range cs {
		p.line(indent + "# " + commentText(c))
	}
}

// node writes node type n, after a blank line.
func (p *printer) node(n *Node) {
	p.line("")
	p.comments("  ", n.Comments.Above)
	opts := nodeOptions(n)
	if len(opts) == 0 && len(n.Properties) == 0 && len(n.Relationships) == 0 && len(n.Permissions) == 0 && len(n.Comments.Undeclared) == 0 && len(n.Fulltext) == 0 && len(n.UniqueTogether) == 0 {
		p.line(blockEntry("  ", n.Name, "{}"))
		p.comments("    ", n.Comments.End)
		return
	}
	p.line(blockEntry("  ", n.Name, ""))
	for _, o := range opts {
		p.line("    " + o)
	}
	for _, o := range nodeIndexOptions(n) {
		p.line("    " + o)
	}
	p.properties("    ", n.Properties, n.Comments)
	if len(n.Relationships) > 0 {
		p.line("    relationships:")
		for _, r := range n.Relationships {
			p.line(blockEntry("      ", r.Name, relationshipValue(n.File, r)))
		}
	}
	if len(n.Permissions) > 0 {
		p.line("    permissions:")
		for _, perm := range n.Permissions {
			p.line(blockEntry("      ", perm.Codename, Scalar(perm.Name)))
		}
	}
}

// nodeOptions are the lines of n's options other than its properties,
// relationships and permissions.
func nodeOptions(n *Node) []string {
	var out []string
	if n.Label != "" {
		out = append(out, "label: "+Scalar(n.Label))
	}
	if ref := n.ExtendsRef; ref != "" || n.Extends != nil {
		if ref == "" {
			ref = refFrom(n.File, n.Extends)
		}
		out = append(out, "extends: "+refText(ref))
	}
	if len(n.Labels) > 0 {
		ls := make([]string, len(n.Labels))
		for i, l := range n.Labels {
			ls[i] = Scalar(l)
		}
		out = append(out, "labels: ["+strings.Join(ls, ", ")+"]")
	}
	if n.Abstract {
		out = append(out, "abstract: true")
	}
	if n.SemiStructured {
		out = append(out, "semi_structured: true")
	}
	if n.Help != "" {
		out = append(out, "help: "+Scalar(n.Help))
	}
	if n.UsernameField != "" {
		out = append(out, "username_field: "+refText(n.UsernameField))
	}
	if n.RequiredFields != nil {
		fs := make([]string, len(n.RequiredFields))
		for i, name := range n.RequiredFields {
			fs[i] = refText(name)
		}
		out = append(out, "required_fields: ["+strings.Join(fs, ", ")+"]")
	}
	return out
}

// properties writes a properties: section at indent: the properties, then
// the comments about what is not declared (under a commented-out
// "properties:" when no property is).
func (p *printer) properties(indent string, props []*Property, c Comments) {
	if len(props) > 0 {
		p.line(indent + "properties:")
		for _, pr := range props {
			p.line(blockEntry(indent+"  ", pr.Name, propertyValue(pr)))
		}
	}
	notes := append(append([]string(nil), c.Undeclared...), c.End...)
	if len(notes) > 0 {
		if len(props) == 0 {
			p.comments(indent, []string{"properties:"})
		}
		p.comments(indent+"  ", notes)
	}
}

// relModel writes relationship model m.
func (p *printer) relModel(m *RelModel) {
	p.comments("  ", m.Comments.Above)
	if len(m.Properties) == 0 && m.Help == "" {
		p.line(blockEntry("  ", m.Name, "{}"))
		p.properties("  ", nil, m.Comments)
		return
	}
	p.line(blockEntry("  ", m.Name, ""))
	if m.Help != "" {
		p.line("    help: " + Scalar(m.Help))
	}
	p.properties("    ", m.Properties, m.Comments)
}

// maxImplicitKey is the longest key, in bytes, that Print writes as
// "key: value". YAML reads an implicit key of at most 1,024 characters, so
// a longer one (a node type named after a long label) is written in the
// explicit form: "? key", then ": value".
const maxImplicitKey = 512

// blockEntry is the block mapping entry key: value at indent, on one line, or
// on two in the explicit form when the key is long. An empty value is a
// mapping that follows, more indented, on the next lines.
func blockEntry(indent, key, value string) string {
	sep := ":"
	if value != "" {
		sep = ": " + value
	}
	if len(key) <= maxImplicitKey {
		return indent + key + sep
	}
	return indent + "? " + key + "\n" + indent + sep
}

// flowEntry is key: value in a flow mapping, in the explicit form
// ("? key : value") when the key is long.
func flowEntry(key, value string) string {
	if len(key) <= maxImplicitKey {
		return key + ": " + value
	}
	return "? " + key + " : " + value
}

// flow builds the flow mapping "{key: value, …}" of an element, with its
// line comments.
type flow struct {
	b strings.Builder
	n int
}

func newFlow() *flow {
	f := &flow{}
	f.b.WriteString("{")
	return f
}

func (f *flow) field(key, value string) {
	if f.n > 0 {
		f.b.WriteString(", ")
	}
	f.n++
	f.b.WriteString(flowEntry(key, value))
}

func (f *flow) done(c Comments) string {
	f.b.WriteString("}")
	if len(c.Line) > 0 {
		f.b.WriteString("  # " + commentText(strings.Join(c.Line, "; ")))
	}
	return f.b.String()
}

// propertyValue is property p as one flow mapping, with its line
// comments. A uid property's uniqueness and default are implied by its
// type, and not written.
func propertyValue(p *Property) string {
	f := newFlow()
	uid := p.Type.Kind == KindUID
	f.field("type", Scalar(p.Type.String()))
	if p.Required {
		f.field("required", "true")
	}
	if p.Unique && !uid {
		f.field("unique", "true")
	}
	if p.Index != ogm.NoIndex {
		f.field("index", indexText(p.Index))
	}
	if p.Vector != nil && p.Index == ogm.VectorIndex {
		f.field("dimensions", strconv.Itoa(p.Vector.Dimensions))
		if p.Vector.Similarity != "" {
			f.field("similarity", p.Vector.Similarity)
		}
		if p.Vector.NoQuantization {
			f.field("quantization", "false")
		}
	}
	if p.DBName != p.Name && p.DBName != "" {
		f.field("db_property", Scalar(p.DBName))
	}
	if p.Default != nil && !uid {
		f.field("default", defaultText(p))
	}
	if p.Choices != nil {
		cs := make([]string, len(p.Choices))
		for i, c := range p.Choices {
			cs[i] = flowEntry(literalText(p.Type.Elem(), c.Value), Scalar(c.Label))
		}
		f.field("choices", "{"+strings.Join(cs, ", ")+"}")
	}
	for _, o := range []struct {
		key string
		v   *int
	}{{"min_length", p.MinLength}, {"max_length", p.MaxLength}} {
		if o.v != nil {
			f.field(o.key, strconv.Itoa(*o.v))
		}
	}
	for _, o := range []struct {
		key string
		v   *float64
	}{{"min", p.Min}, {"max", p.Max}} {
		if o.v != nil {
			f.field(o.key, fmtNum(*o.v))
		}
	}
	if p.Pattern != "" {
		f.field("pattern", Scalar(p.Pattern))
	}
	if p.Sensitive {
		f.field("sensitive", "true")
	}
	if s := storedText(p); s != "" {
		f.field("stored_as", s)
	}
	if p.Help != "" {
		f.field("help", Scalar(p.Help))
	}
	return f.done(p.Comments)
}

// relationshipValue is relationship r of a node of file f as one flow
// mapping, with its line comments.
func relationshipValue(f *File, r *Relationship) string {
	fl := newFlow()
	to := r.ToRef
	if to == "" && r.To != nil {
		to = refFrom(f, r.To)
	}
	fl.field("to", refText(to))
	fl.field("type", Scalar(r.Type))
	if r.Direction != ogm.Out {
		fl.field("direction", directionText(r.Direction))
	}
	if r.Cardinality != ogm.ZeroOrMore {
		fl.field("cardinality", r.Cardinality.String())
	}
	if model := r.ModelRef; model != "" || r.Model != nil {
		if model == "" {
			model = modelRefFrom(f, r.Model)
		}
		fl.field("model", refText(model))
	}
	if r.Reverse != "" {
		fl.field("reverse", refText(r.Reverse))
	}
	if r.Multiple {
		fl.field("multiple", "true")
	}
	if r.Help != "" {
		fl.field("help", Scalar(r.Help))
	}
	return fl.done(r.Comments)
}

// modelRefFrom writes a reference to relationship model m from file f.
func modelRefFrom(f *File, m *RelModel) string {
	if im := f.ImportOf(m.File); im != nil && m.File != f {
		return im.Alias + "." + m.Name
	}
	return m.Name
}

// defaultText is p's default as its "default:" value.
func defaultText(p *Property) string {
	switch p.Default.Kind {
	case DefaultNow:
		return "now"
	case DefaultUUID:
		return "uuid"
	}
	return literalText(p.Type, p.Default.Value)
}

// literalText writes v, a value of type t (see Default), as a YAML value
// that reads back as v.
func literalText(t Type, v any) string {
	if t.Array {
		elems := sliceElems(v)
		out := make([]string, len(elems))
		for i, e := range elems {
			out[i] = literalText(t.Elem(), e)
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	switch x := v.(type) {
	case string:
		return Scalar(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return fmtNum(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Duration:
		return strconv.Quote(x.String())
	case time.Time:
		switch t.Kind {
		case KindDate:
			return strconv.Quote(x.Format(dateLayout))
		case KindLocalDateTime:
			return strconv.Quote(x.Format(localDateTimeLayout))
		}
		return strconv.Quote(x.Format(time.RFC3339Nano))
	}
	// json: JSON text is a YAML flow value.
	b, err := json.Marshal(v)
	if err != nil {
		return Scalar(fmt.Sprint(v))
	}
	return string(b)
}

// Scalar writes s as Print writes a string: a YAML scalar, plain when YAML
// reads it back as the same string, else double-quoted (Go's escapes are
// YAML's).
func Scalar(s string) string {
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

// refRe matches what a reference (Name or alias.Name) or a snake_case name
// is made of.
var refRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// refText writes a reference, or a name of the schema, as a YAML scalar:
// plain unless YAML would read it as something other than this string
// (null) or it is not a name.
func refText(s string) string {
	if refRe.MatchString(s) && s != "null" && s != "Null" && s != "NULL" {
		return s
	}
	return strconv.Quote(s)
}

// commentText makes text fit on one comment line.
func commentText(text string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, text)
}
