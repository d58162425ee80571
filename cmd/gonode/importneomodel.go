package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// introspectScript is the Python half of import-neomodel: it imports the
// models module and prints what neomodel's classes hold, as JSON.
//
//go:embed importneomodel.py
var introspectScript string

type importNeomodelFlags struct {
	python string
	out    string
	pkg    string
}

func newImportNeomodelCmd() *cobra.Command {
	f := &importNeomodelFlags{}
	cmd := &cobra.Command{
		Use:   "import-neomodel MODULE [--python python3] [-o FILE] [--package NAME]",
		Short: "Write the schema of a neomodel models module",
		Long: `import-neomodel turns the node classes and relationship models of a neomodel
(5.x to 7.x) models module into a schema in gonode's language, so that a Go
app and the Python app can share one graph: it runs Python (--python,
default python3) with a small introspection script that imports MODULE
(found from the current directory and PYTHONPATH, as python -c 'import
MODULE' finds it) and walks neomodel's classes.

The schema keeps what neomodel stores: property types with their stored
forms (DateTimeProperty as datetime stored_as epoch, DateProperty as date
stored_as iso_string, DateTimeFormatProperty as datetime stored_as
{format: …}, JSONProperty as json), required, unique_index (unique), index,
choices, max_length, static defaults and default_now (now), db_property,
labels (__label__) and inheritance (extends; abstract nodes), semi-structured
nodes, RelationshipTo/From/Relationship as direction out/in/both with their
cardinality and relationship model, and a RelationshipFrom that mirrors a
RelationshipTo as that relationship's reverse accessor.

What the schema language cannot say (AliasProperty, optional labels,
callable defaults, fulltext and vector indexes, a RegexProperty's
expression) is written as a comment where it belongs and reported on
stderr as a warning: nothing is dropped silently. The schema is validated
before it is written; it goes to stdout, or to FILE with -o (replaced
atomically).`,
		Example: `  gonode import-neomodel myapp.models > models.yaml
  gonode import-neomodel myapp.models --python .venv/bin/python -o models/schema.yaml --package models`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportNeomodel(cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.python, "python", "python3", "the Python that has neomodel and can import MODULE")
	cmd.Flags().StringVarP(&f.out, "out", "o", "", "file to write the schema to (default: stdout)")
	cmd.Flags().StringVar(&f.pkg, "package", "", "Go package name of the schema (default: the module's last component)")
	return cmd
}

func runImportNeomodel(stdout, stderr io.Writer, module string, f *importNeomodelFlags) error {
	doc, err := introspectNeomodel(f.python, module)
	if err != nil {
		return err
	}
	pkg := f.pkg
	if pkg == "" {
		pkg = packageFromModule(module)
	}
	path := f.out
	if path == "" {
		path = "neomodel:" + module
	}
	file, warnings := neomodelSchema(doc, pkg, path)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "gonode import-neomodel: warning: %s\n", w)
	}
	if err := schema.Validate(&schema.Schema{Files: []*schema.File{file}}); err != nil {
		return fmt.Errorf("the imported schema does not validate (rename the classes or attributes it names):\n%w", err)
	}
	out := schema.Print(file)
	if f.out == "" {
		_, err := stdout.Write(out)
		return err
	}
	return apply(stdout, []change{{path: f.out, content: out}})
}

// introspectNeomodel runs the introspection script with python on module.
func introspectNeomodel(python, module string) (*nmDoc, error) {
	cmd := exec.Command(python, "-c", introspectScript, module)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s could not introspect %s: %v\n%s", python, module, err, strings.TrimSpace(stderr.String()))
	}
	var doc nmDoc
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("reading what %s printed for %s: %v", python, module, err)
	}
	return &doc, nil
}

// packageFromModule is a Go package name from a Python module path:
// "myapp.models" → "models".
func packageFromModule(module string) string {
	last := module[strings.LastIndex(module, ".")+1:]
	var b strings.Builder
	for _, r := range strings.ToLower(last) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || !schema.IsPackageName(name) {
		name = "models"
	}
	return name
}

// What the introspection script prints.
type (
	nmDoc struct {
		Neomodel  string    `json:"neomodel"`
		Module    string    `json:"module"`
		Nodes     []nmNode  `json:"nodes"`
		RelModels []nmModel `json:"rel_models"`
	}
	nmNode struct {
		Name           string   `json:"name"`
		Abstract       bool     `json:"abstract"`
		Label          string   `json:"label"`
		OptionalLabels []string `json:"optional_labels"`
		Parent         *string  `json:"parent"`
		SemiStructured bool     `json:"semi_structured"`
		Properties     []nmProp `json:"properties"`
		Relationships  []nmRel  `json:"relationships"`
	}
	nmModel struct {
		Name       string   `json:"name"`
		Properties []nmProp `json:"properties"`
	}
	nmProp struct {
		Name          string     `json:"name"`
		Class         string     `json:"class"`
		Classes       []string   `json:"classes"`
		DBProperty    *string    `json:"db_property"`
		Required      bool       `json:"required"`
		Help          *string    `json:"help"`
		AliasTo       *string    `json:"alias_to"`
		UniqueIndex   bool       `json:"unique_index"`
		Index         bool       `json:"index"`
		FulltextIndex bool       `json:"fulltext_index"`
		VectorIndex   bool       `json:"vector_index"`
		MaxLength     *int       `json:"max_length"`
		Format        *string    `json:"format"`
		Expression    *string    `json:"expression"`
		Crs           *string    `json:"crs"`
		Choices       [][2]any   `json:"choices"`
		Default       *nmDefault `json:"default"`
		Base          *nmProp    `json:"base"`
	}
	nmDefault struct {
		Callable *string `json:"callable"`
		Neomodel bool    `json:"neomodel"`
		Value    any     `json:"value"`
		Type     string  `json:"type"`
	}
	nmRel struct {
		Name        string  `json:"name"`
		Kind        string  `json:"kind"`
		Type        string  `json:"type"`
		Direction   int     `json:"direction"`
		Target      string  `json:"target"`
		Cardinality string  `json:"cardinality"`
		Model       *string `json:"model"`
	}
)

func (p *nmProp) is(class string) bool { return slices.Contains(p.Classes, class) }

// importer builds the schema and collects the warnings.
type importer struct {
	warnings []string
}

func (im *importer) warn(format string, args ...any) string {
	msg := fmt.Sprintf(format, args...)
	im.warnings = append(im.warnings, msg)
	return msg
}

// neomodelSchema is the schema of doc, not yet validated, and the
// warnings for what it could not express.
func neomodelSchema(doc *nmDoc, pkg, path string) (*schema.File, []string) {
	im := &importer{}
	f := &schema.File{Path: path, Package: pkg, Root: true}
	f.Comments.Above = []string{fmt.Sprintf("Imported from the neomodel models module %s (neomodel %s) by gonode import-neomodel.", doc.Module, doc.Neomodel)}
	for _, m := range doc.RelModels {
		rm := &schema.RelModel{Name: m.Name, File: f}
		for i := range m.Properties {
			if p := im.property(&rm.Comments, m.Name, &m.Properties[i]); p != nil {
				rm.Properties = append(rm.Properties, p)
			}
		}
		f.RelModels = append(f.RelModels, rm)
	}
	for _, n := range doc.Nodes {
		node := &schema.Node{Name: n.Name, File: f, Abstract: n.Abstract, SemiStructured: n.SemiStructured}
		if n.Parent != nil {
			node.ExtendsRef = *n.Parent
		}
		if !n.Abstract && n.Label != "" && n.Label != n.Name {
			node.Label = n.Label
		}
		if len(n.OptionalLabels) > 0 {
			node.Comments.Above = append(node.Comments.Above, im.warn("%s: optional labels %s (__optional_labels__) are not declared: gonode writes no optional labels and does not read them", n.Name, strings.Join(n.OptionalLabels, ", ")))
		}
		for i := range n.Properties {
			if p := im.property(&node.Comments, n.Name, &n.Properties[i]); p != nil {
				node.Properties = append(node.Properties, p)
			}
		}
		for _, r := range n.Relationships {
			node.Relationships = append(node.Relationships, im.relationship(n.Name, r))
		}
		f.Nodes = append(f.Nodes, node)
	}
	pairReverse(f)
	return f, im.warnings
}

var nmCardinality = map[string]ogm.Cardinality{
	"ZeroOrMore": ogm.ZeroOrMore, "ZeroOrOne": ogm.ZeroOrOne, "One": ogm.One, "OneOrMore": ogm.OneOrMore,
	"AsyncZeroOrMore": ogm.ZeroOrMore, "AsyncZeroOrOne": ogm.ZeroOrOne, "AsyncOne": ogm.One, "AsyncOneOrMore": ogm.OneOrMore,
}

func (im *importer) relationship(owner string, r nmRel) *schema.Relationship {
	rel := &schema.Relationship{Name: snakeName(r.Name), ToRef: r.Target, Type: r.Type}
	switch {
	case r.Direction > 0:
		rel.Direction = ogm.Out
	case r.Direction < 0:
		rel.Direction = ogm.In
	default:
		rel.Direction = ogm.Both
	}
	c, ok := nmCardinality[r.Cardinality]
	if !ok {
		rel.Comments.Line = append(rel.Comments.Line, im.warn("%s.%s: cardinality %s is not neomodel's; declared zero_or_more", owner, r.Name, r.Cardinality))
	}
	rel.Cardinality = c
	if r.Model != nil {
		rel.ModelRef = *r.Model
	}
	if rel.Name != r.Name {
		rel.Comments.Line = append(rel.Comments.Line, "neomodel: "+r.Name)
	}
	return rel
}

// pairReverse turns a relationship declared on both ends (neomodel's
// RelationshipTo on A and RelationshipFrom on B of the same type, model
// and zero_or_more on B's side) into one relationship with a reverse
// accessor, as gonode declares it.
func pairReverse(f *schema.File) {
	byName := map[string]*schema.Node{}
	for _, n := range f.Nodes {
		byName[n.Name] = n
	}
	for _, b := range f.Nodes {
		kept := b.Relationships[:0]
		for _, from := range b.Relationships {
			if from.Direction != ogm.In || from.Cardinality != ogm.ZeroOrMore {
				kept = append(kept, from)
				continue
			}
			var to *schema.Relationship
			if a := byName[from.ToRef]; a != nil {
				for _, r := range a.Relationships {
					if r.Direction == ogm.Out && r.Type == from.Type && r.ToRef == b.Name && r.ModelRef == from.ModelRef && r.Reverse == "" {
						to = r
						break
					}
				}
			}
			if to == nil {
				kept = append(kept, from)
				continue
			}
			to.Reverse = from.Name
			to.Comments.Line = append(to.Comments.Line, fmt.Sprintf("reverse: %s.%s, a RelationshipFrom in neomodel", b.Name, from.Name))
		}
		b.Relationships = kept
	}
}

// property converts p, adding what cannot be expressed to comments (of
// the node or model); nil when p is not declared at all.
func (im *importer) property(comments *schema.Comments, owner string, p *nmProp) *schema.Property {
	name := snakeName(p.Name)
	where := owner + "." + p.Name
	if p.AliasTo != nil {
		comments.Undeclared = append(comments.Undeclared, im.warn("%s is an AliasProperty of %s: gonode has no aliases; use the field of %s", where, *p.AliasTo, *p.AliasTo))
		return nil
	}
	prop := &schema.Property{Name: name, DBName: name, Required: p.Required}
	if p.DBProperty != nil && *p.DBProperty != "" {
		prop.DBName = *p.DBProperty
	} else if name != p.Name {
		prop.DBName = p.Name
	}
	if p.Help != nil {
		prop.Help = *p.Help
	}
	line := func(format string, args ...any) {
		prop.Comments.Line = append(prop.Comments.Line, im.warn(format, args...))
	}
	t, form, ok := im.propertyType(p, where, line)
	if !ok {
		comments.Undeclared = append(comments.Undeclared, im.warn("%s: %s has no gonode type; not declared", where, p.Class))
		return nil
	}
	prop.Type, prop.StoredAs = t, form
	if t.Kind != schema.KindUID {
		prop.Unique = p.UniqueIndex
	}
	if p.Index && !prop.Unique && t.Kind != schema.KindUID {
		prop.Index = ogm.RangeIndex
	}
	if p.FulltextIndex {
		line("%s has a fulltext_index: not imported", where)
	}
	if p.VectorIndex {
		line("%s has a vector_index: not imported", where)
	}
	if p.MaxLength != nil && t.Kind == schema.KindString {
		prop.MaxLength = p.MaxLength
	}
	if p.Expression != nil && !p.is("EmailProperty") {
		line("%s: neomodel checks the expression %q with Python's re.match; not imported as a pattern", where, *p.Expression)
	}
	if len(p.Choices) > 0 {
		for _, c := range p.Choices {
			v, ok := literalOf(t.Elem(), c[0])
			if !ok {
				line("%s: choice %v does not fit %s; choices not imported", where, c[0], t)
				prop.Choices = nil
				break
			}
			label, _ := c[1].(string)
			prop.Choices = append(prop.Choices, schema.Choice{Value: v, Label: label})
		}
	}
	if d := p.Default; d != nil && t.Kind != schema.KindUID {
		switch {
		case d.Callable != nil && d.Neomodel && t.Kind.IsTemporal():
			prop.Default = &schema.Default{Kind: schema.DefaultNow} // default_now
		case d.Callable != nil:
			line("%s: the default is computed by the Python function %s; not imported", where, *d.Callable)
		case d.Type == "datetime" && t.Kind.IsTemporal():
			// DateTimeFormatProperty(default_now=True) stores the time the
			// class was defined; now is what it means.
			prop.Default = &schema.Default{Kind: schema.DefaultNow}
			prop.Comments.Line = append(prop.Comments.Line, "default_now")
		default:
			if v, ok := literalOf(t, d.Value); ok {
				prop.Default = &schema.Default{Kind: schema.DefaultLiteral, Value: v}
			} else {
				line("%s: the default %v does not fit %s; not imported", where, d.Value, t)
			}
		}
	}
	if prop.Required && prop.Default != nil {
		prop.Required = false
	}
	return prop
}

// propertyType is the gonode type and stored form of p.
func (im *importer) propertyType(p *nmProp, where string, line func(string, ...any)) (schema.Type, schema.StoredForm, bool) {
	var none schema.StoredForm
	switch {
	case p.is("ArrayProperty"):
		if p.Base == nil {
			line("%s: an ArrayProperty without a base property holds any values; declared [string]", where)
			return schema.Type{Kind: schema.KindString, Array: true}, none, true
		}
		t, form, ok := im.propertyType(p.Base, where, line)
		switch {
		case !ok:
			return schema.Type{}, none, false
		case t.Kind == schema.KindJSON:
			line("%s: an array of JSONProperty holds JSON texts; declared [string]", where)
			return schema.Type{Kind: schema.KindString, Array: true}, none, true
		case t.Kind == schema.KindUID:
			t.Kind = schema.KindString
		}
		t.Array = true
		return t, form, true
	case p.is("UniqueIdProperty"):
		return schema.Type{Kind: schema.KindUID}, none, true
	case p.is("EmailProperty"):
		return schema.Type{Kind: schema.KindEmail}, none, true
	case p.is("StringProperty"), p.is("RegexProperty"):
		return schema.Type{Kind: schema.KindString}, none, true
	case p.is("IntegerProperty"):
		return schema.Type{Kind: schema.KindInt}, none, true
	case p.is("FloatProperty"):
		return schema.Type{Kind: schema.KindFloat}, none, true
	case p.is("BooleanProperty"):
		return schema.Type{Kind: schema.KindBool}, none, true
	case p.is("DateProperty"):
		return schema.Type{Kind: schema.KindDate}, schema.StoredForm{As: schema.StoredISOString}, true
	case p.is("DateTimeFormatProperty"):
		format := "%Y-%m-%d"
		if p.Format != nil {
			format = *p.Format
		}
		if err := ogm.CheckStrftime(format); err != nil {
			line("%s: %v; declared string (the formatted text)", where, err)
			return schema.Type{Kind: schema.KindString}, none, true
		}
		return schema.Type{Kind: schema.KindDateTime}, schema.StoredForm{As: schema.StoredFormat, Format: format}, true
	case p.is("DateTimeNeo4jFormatProperty"):
		line("%s: neomodel stores a naive Python datetime as a LOCAL DATETIME, which datetime does not read; declare localdatetime if the app writes naive values", where)
		return schema.Type{Kind: schema.KindDateTime}, none, true
	case p.is("DateTimeProperty"):
		return schema.Type{Kind: schema.KindDateTime}, schema.StoredForm{As: schema.StoredEpoch}, true
	case p.is("JSONProperty"):
		return schema.Type{Kind: schema.KindJSON}, schema.StoredForm{As: schema.StoredString}, true
	case p.is("PointProperty"):
		if p.Crs != nil && strings.HasSuffix(*p.Crs, "-3d") {
			return schema.Type{Kind: schema.KindPoint3D}, none, true
		}
		return schema.Type{Kind: schema.KindPoint}, none, true
	case p.is("NormalizedProperty"):
		line("%s: %s normalizes values in Python; declared string", where, p.Class)
		return schema.Type{Kind: schema.KindString}, none, true
	}
	return schema.Type{}, none, false
}

// literalOf converts v, a JSON value from Python, into a schema literal of
// type t.
func literalOf(t schema.Type, v any) (any, bool) {
	if t.Array {
		items, ok := v.([]any)
		if !ok {
			return nil, false
		}
		switch t.Kind {
		case schema.KindString, schema.KindEmail:
			out := []string{}
			for _, it := range items {
				s, ok := it.(string)
				if !ok {
					return nil, false
				}
				out = append(out, s)
			}
			return out, true
		case schema.KindInt:
			out := []int64{}
			for _, it := range items {
				f, ok := it.(float64)
				if !ok || f != float64(int64(f)) {
					return nil, false
				}
				out = append(out, int64(f))
			}
			return out, true
		case schema.KindFloat:
			out := []float64{}
			for _, it := range items {
				f, ok := it.(float64)
				if !ok {
					return nil, false
				}
				out = append(out, f)
			}
			return out, true
		case schema.KindBool:
			out := []bool{}
			for _, it := range items {
				b, ok := it.(bool)
				if !ok {
					return nil, false
				}
				out = append(out, b)
			}
			return out, true
		}
		return nil, false
	}
	switch t.Kind {
	case schema.KindString, schema.KindEmail:
		s, ok := v.(string)
		return s, ok
	case schema.KindInt:
		f, ok := v.(float64)
		return int64(f), ok && f == float64(int64(f))
	case schema.KindFloat:
		f, ok := v.(float64)
		return f, ok
	case schema.KindBool:
		b, ok := v.(bool)
		return b, ok
	case schema.KindJSON:
		return v, true
	}
	return nil, false
}

// snakeName is name as a schema property name: as it is when it is one,
// else its snake_case form (the stored key keeps name).
func snakeName(name string) string {
	if schema.IsSnakeName(name) {
		return name
	}
	var b strings.Builder
	for i, r := range name {
		switch {
		case unicode.IsUpper(r):
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		case r == '_' && b.Len() == 0:
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" || !schema.IsSnakeName(s) {
		return "p_" + strings.ToLower(s)
	}
	return s
}
