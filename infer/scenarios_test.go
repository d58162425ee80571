package infer

import (
	"context"
	"fmt"
	"github.com/gonode/gonode/schema"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// notInferable names what a schema says that inspecting its data cannot
// give back, with the reason. TestScenarios reports every
// difference between a scenario and the schema inferred from its data
// under one of these names (or as a real mismatch).
var notInferable = map[string]string{
	"help":                 "help texts are documentation, not data",
	"choices":              "choices are checked by generated code, not stored",
	"default":              "defaults are applied by generated code; the sample data, written with Cypher, leaves one node without each optional value",
	"max_length":           "length bounds are checked by generated code, not stored",
	"min_length":           "length bounds are checked by generated code, not stored",
	"min":                  "numeric bounds are checked by generated code, not stored",
	"max":                  "numeric bounds are checked by generated code, not stored",
	"pattern":              "patterns are checked by generated code, not stored",
	"sensitive":            "whether a property is kept out of JSON and printing is a choice of the generated code, not stored",
	"uid":                  "a uid is stored as a string: inferred string, required and unique",
	"email":                "an email address is stored as a string",
	"json":                 "a json value is stored as its JSON text, a string",
	"property name":        "property names come from the stored keys (db_property: type → type_prop)",
	"abstract":             "an abstract node type has no label: its properties and relationships are found on the node types that extend it",
	"semi_structured":      "whether undeclared properties are kept is a choice of the generated code",
	"permissions":          "custom permissions are rows of the auth schema, not part of the node type",
	"user model":           "username_field and required_fields are settings of package auth",
	"relationship name":    "relationship names come from the relationship types (plus the target when a type leads to several node types)",
	"reverse":              "reverse accessor names are not stored",
	"model name":           "relationship models are named after their relationship type (<Type>Rel); one model serving two types becomes two",
	"unused model":         "a relationship model no relationship uses (or without properties) leaves nothing in the data",
	"direction both":       "a relationship of direction both is stored as one outgoing relationship: inferred direction out",
	"direction in":         "a relationship of direction in is stored the other way: inferred as an outgoing relationship of the target node type, whose cardinality measures the other end",
	"abstract target":      "a relationship to an abstract node type leads to the node types that extend it: one relationship per type",
	"imports":              "the inferred schema is one file: imports, go_package and the split into packages are not inferred",
	"extra labels on root": "labels: declared on an abstract node (or repeated along the chain) are found on the first node type that carries them",
}

// scenarioIgnores lists, per generator scenario (testdata/gen/*), the
// differences of notInferable that its inferred schema shows. The list is
// exact: a difference not listed fails the test, and so does a listed one
// that does not occur (the list is then out of date).
var scenarioIgnores = map[string][]string{
	"aliases":       {"choices", "default", "imports", "model name", "relationship name", "reverse"},
	"design":        {"abstract", "choices", "default", "direction both", "email", "help", "imports", "json", "max_length", "min", "model name", "permissions", "property name", "relationship name", "reverse", "semi_structured", "sensitive", "uid"},
	"empty":         {},
	"imports":       {"abstract", "abstract target", "choices", "default", "email", "help", "imports", "json", "max_length", "model name", "permissions", "relationship name", "reverse", "sensitive", "uid", "user model"},
	"inheritance":   {"abstract", "abstract target", "choices", "default", "direction both", "extra labels on root", "help", "min", "pattern", "permissions", "relationship name", "reverse", "semi_structured", "uid"},
	"relationships": {"abstract", "abstract target", "choices", "default", "direction both", "direction in", "help", "json", "max", "max_length", "min", "model name", "pattern", "relationship name", "reverse", "unused model"},
	"stored":        {"model name", "property name", "relationship name", "reverse"},
	"storedforms":   {"default", "email", "json", "model name", "relationship name"},
	"types":         {"choices", "default", "email", "help", "json", "max", "max_length", "min", "min_length", "model name", "pattern", "property name", "relationship name", "sensitive", "uid"},
}

// diffs collects the differences between a scenario and its inferred
// schema, by category ("" for a real mismatch).
type diffs struct {
	byCat map[string][]string
}

func (d *diffs) add(cat, format string, args ...any) {
	if d.byCat == nil {
		d.byCat = map[string][]string{}
	}
	d.byCat[cat] = append(d.byCat[cat], fmt.Sprintf(format, args...))
}

// concrete returns the concrete node types of every file of s, in file
// then YAML order.
func concrete(s *schema.Schema) []*schema.Node {
	var out []*schema.Node
	for _, f := range s.Files {
		for _, n := range f.Nodes {
			if !n.Abstract {
				out = append(out, n)
			}
		}
	}
	return out
}

// concreteOf returns the concrete node types that are n or extend it:
// n first when it is concrete.
func concreteOf(s *schema.Schema, n *schema.Node) []*schema.Node {
	var out []*schema.Node
	if !n.Abstract {
		out = append(out, n)
	}
	for _, c := range concrete(s) {
		if c != n && c.IsA(n) {
			out = append(out, c)
		}
	}
	return out
}

// relTargets are the node types the sample data connects r to: its
// target if concrete (only nodes of that very type), else every concrete
// type extending it.
func relTargets(s *schema.Schema, r *schema.Relationship) []*schema.Node {
	if !r.To.Abstract {
		return []*schema.Node{r.To}
	}
	return concreteOf(s, r.To)
}

// loadScenario writes sample data for every concrete node type of s
// (all files) with parameterised Cypher: three nodes of each type, each
// with every property (the third without its optional ones), and every
// relationship with its declared cardinality, from every node of the
// declaring type and of the types extending it, to the nodes of its target
// (the pattern of degrees of connect), in its declared direction. A relationship to
// an abstract node type gets that pattern towards each concrete type that
// extends it, which only a zero_or_more one allows.
func loadScenario(t *testing.T, db *ogm.DB, s *schema.Schema) {
	t.Helper()
	ctx := context.Background()
	g := 0
	own := map[*schema.Node][]string{}
	for _, n := range concrete(s) {
		var labels []string
		for _, l := range n.LabelChain() {
			labels = append(labels, ogm.Quote(l))
		}
		for i := range 3 {
			g++
			q := "CREATE (n:" + strings.Join(labels, ":") + " " + propsExpr(n.AllProperties(), i == 2) + ") RETURN elementId(n)"
			res, err := db.Cypher(ctx, q, map[string]any{"g": g})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			own[n] = append(own[n], res.Rows[0][0].(string))
		}
	}
	for _, f := range s.Files {
		for _, n := range f.Nodes {
			var src []string
			for _, c := range concreteOf(s, n) {
				src = append(src, own[c]...)
			}
			for _, r := range n.Relationships {
				targets := relTargets(s, r)
				if len(targets) > 1 && r.Cardinality != ogm.ZeroOrMore {
					t.Fatalf("%s.%s: a %s relationship to several node types is not covered by this test", n.Name, r.Name, r.Cardinality)
				}
				for _, c := range targets {
					connect(t, db, r, src, own[c], &g)
				}
			}
		}
	}
}

// connect connects the nodes src to the nodes dst with r's type, model
// and direction, with the declared cardinality: every source node of a
// "one" relationship has one, of "zero_or_one" all but the last, of
// "one_or_more" every node and the first two, of "zero_or_more" the first
// two, the last none; the first relationship lacks the optional
// properties of its model.
func connect(t *testing.T, db *ogm.DB, r *schema.Relationship, src, dst []string, g *int) {
	t.Helper()
	if len(src) == 0 || len(dst) == 0 {
		return
	}
	for i, a := range src {
		deg := 1
		switch r.Cardinality {
		case ogm.ZeroOrOne:
			if i == len(src)-1 {
				deg = 0
			}
		case ogm.OneOrMore:
			if i == 0 {
				deg = 2
			}
		case ogm.ZeroOrMore:
			switch {
			case i == 0:
				deg = 2
			case i == len(src)-1:
				deg = 0
			}
		}
		for j := range deg {
			*g++
			props := "{}"
			if r.Model != nil {
				props = propsExpr(r.Model.Properties, i == 0 && j == 0)
			}
			from, to := a, dst[(i+j)%len(dst)]
			if r.Direction == ogm.In {
				from, to = to, from
			}
			q := "MATCH (a), (b) WHERE elementId(a) = $a AND elementId(b) = $b CREATE (a)-[:" + ogm.Quote(r.Type) + " " + props + "]->(b)"
			if _, err := db.Cypher(context.Background(), q, map[string]any{"a": from, "b": to, "g": *g}); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// chainKey is a node type's sorted label set.
func chainKey(n *schema.Node) string {
	ls := n.LabelChain()
	sort.Strings(ls)
	return strings.Join(ls, "\x00")
}

// compareOptions reports the options of p that inference cannot give
// back.
func compareOptions(d *diffs, where string, p *schema.Property) {
	if p.Help != "" {
		d.add("help", "%s: help", where)
	}
	if len(p.Choices) > 0 {
		d.add("choices", "%s: choices", where)
	}
	if p.Sensitive {
		d.add("sensitive", "%s: sensitive", where)
	}
	if p.Default != nil && p.Type.Kind != schema.KindUID {
		d.add("default", "%s: default %s", where, p.Default.Kind)
	}
	for cat, set := range map[string]bool{
		"max_length": p.MaxLength != nil, "min_length": p.MinLength != nil,
		"min": p.Min != nil, "max": p.Max != nil, "pattern": p.Pattern != "",
	} {
		if set {
			d.add(cat, "%s: %s", where, cat)
		}
	}
}

// compareScenarioProps compares properties by stored key: type,
// required, unique and index, and the name.
func compareScenarioProps(d *diffs, where string, orig, got []*schema.Property) {
	byKey := map[string]*schema.Property{}
	for _, p := range got {
		byKey[p.DBName] = p
	}
	seen := map[string]bool{}
	for _, o := range orig {
		w := where + "." + o.Name
		seen[o.DBName] = true
		compareOptions(d, w, o)
		p := byKey[o.DBName]
		if p == nil {
			d.add("", "%s: not inferred", w)
			continue
		}
		if p.Name != o.Name {
			d.add("property name", "%s: inferred as %s", w, p.Name)
		}
		switch k := o.Type.Kind; k {
		case schema.KindUID, schema.KindEmail, schema.KindJSON:
			d.add(k.String(), "%s: %s inferred as %s", w, o.Type, p.Type)
		}
		uid := o.Type.Kind == schema.KindUID
		idx := o.Index
		if uid {
			idx = ogm.NoIndex
		}
		if p.Type != inferredType(o.Type) || p.Required != (o.Required || uid) || p.Unique != (o.Unique || uid) || p.Index != idx {
			d.add("", "%s: inferred %s required=%v unique=%v index=%v; declared %s required=%v unique=%v index=%v",
				w, p.Type, p.Required, p.Unique, p.Index, o.Type, o.Required, o.Unique, o.Index)
		}
	}
	for _, p := range got {
		if !seen[p.DBName] {
			d.add("", "%s: inferred a property %s (key %q) that is not declared", where, p.Name, p.DBName)
		}
	}
}

// expectedRel is a relationship the inferred schema should have on a
// node type: from a declared relationship r, to the node type target.
type expectedRel struct {
	r           *schema.Relationship
	target      *schema.Node
	cardinality bool // the measured cardinality is the declared one
}

// expectedRels are the relationships the inferred node type of o should
// have (inherited ones included): o's own and inherited relationships of
// direction out or both, one per concrete target type, and the
// relationships of direction in declared anywhere whose targets o is.
func expectedRels(t *testing.T, s *schema.Schema, o *schema.Node) []expectedRel {
	var out []expectedRel
	for _, r := range o.AllRelationships() {
		if r.Direction == ogm.In {
			continue
		}
		for _, tg := range relTargets(s, r) {
			out = append(out, expectedRel{r: r, target: tg, cardinality: true})
		}
	}
	for _, f := range s.Files {
		for _, n := range f.Nodes {
			for _, r := range n.Relationships {
				if r.Direction != ogm.In {
					continue
				}
				if n.Abstract {
					t.Fatalf("%s.%s: direction in on an abstract node type is not covered by this test", n.Name, r.Name)
				}
				for _, tg := range relTargets(s, r) {
					if o.IsA(tg) {
						out = append(out, expectedRel{r: r, target: n})
					}
				}
			}
		}
	}
	return out
}

// compareScenario compares the inferred schema (one file) with the
// scenario's schema (every file), matching node types by their label sets.
func compareScenario(t *testing.T, orig *schema.Schema, got *schema.File) *diffs {
	d := &diffs{}
	if len(orig.Files) > 1 {
		d.add("imports", "%d files inferred as one", len(orig.Files))
	}
	byChain := map[string]*schema.Node{}
	for _, n := range got.Nodes {
		byChain[chainKey(n)] = n
	}
	matched := map[*schema.Node]bool{}
	for _, f := range orig.Files {
		for _, m := range f.RelModels {
			compareModel(d, orig, m)
		}
		for _, o := range f.Nodes {
			if !compareNodeOptions(d, o) {
				continue // abstract: nothing in the data
			}
			n := byChain[chainKey(o)]
			if n == nil {
				d.add("", "%s (labels %q): no node type with these labels inferred", o.Name, o.LabelChain())
				continue
			}
			matched[n] = true
			compareNode(t, d, orig, o, n)
		}
	}
	for _, n := range got.Nodes {
		if !matched[n] {
			d.add("", "inferred node type %s (labels %q) matches no declared one", n.Name, n.LabelChain())
		}
	}
	return d
}

// compareModel notes what of relationship model m of orig the data cannot
// show.
func compareModel(d *diffs, orig *schema.Schema, m *schema.RelModel) {
	used := false
	for _, o := range concrete(orig) {
		for _, r := range o.AllRelationships() {
			used = used || r.Model == m && len(m.Properties) > 0
		}
	}
	if !used {
		d.add("unused model", "model %s", m.Name)
	}
	if m.Help != "" {
		d.add("help", "model %s: help", m.Name)
	}
}

// compareNodeOptions notes the options of declared node type o that the
// data cannot show. It reports whether o is concrete (has nodes to compare).
func compareNodeOptions(d *diffs, o *schema.Node) bool {
	if o.Help != "" {
		d.add("help", "%s: help", o.Name)
	}
	if len(o.Permissions) > 0 {
		d.add("permissions", "%s: permissions", o.Name)
	}
	if o.UsernameField != "" || o.RequiredFields != nil {
		d.add("user model", "%s: username_field/required_fields", o.Name)
	}
	if o.SemiStructured {
		d.add("semi_structured", "%s: semi_structured", o.Name)
	}
	if o.Abstract {
		d.add("abstract", "%s: abstract", o.Name)
		if len(o.Labels) > 0 {
			d.add("extra labels on root", "%s: labels %q", o.Name, o.Labels)
		}
		return false
	}
	for _, a := range o.Ancestors() {
		for _, l := range o.Labels {
			if slices.Contains(a.Labels, l) {
				d.add("extra labels on root", "%s: label %q repeated from %s", o.Name, l, a.Name)
			}
		}
	}
	return true
}

// compareNode compares declared node type o with its inferred node type n:
// label, parent, properties and relationships.
func compareNode(t *testing.T, d *diffs, orig *schema.Schema, o, n *schema.Node) {
	if n.DBLabel() != o.DBLabel() {
		d.add("", "%s: inferred node type %s is named by label %q, not %q", o.Name, n.Name, n.DBLabel(), o.DBLabel())
	}
	wantParent, gotParent := "", ""
	for _, a := range o.Ancestors() {
		if !a.Abstract {
			wantParent = a.DBLabel()
			break
		}
	}
	if n.Extends != nil {
		gotParent = n.Extends.DBLabel()
	}
	if wantParent != gotParent {
		d.add("", "%s: extends %q, want %q", o.Name, gotParent, wantParent)
	}
	compareScenarioProps(d, o.Name, o.AllProperties(), n.AllProperties())
	compareScenarioRels(t, d, orig, o, n)
}

// compareScenarioRels compares the relationships of o and of its
// inferred node type n.
func compareScenarioRels(t *testing.T, d *diffs, s *schema.Schema, o, n *schema.Node) {
	got := n.AllRelationships()
	used := map[*schema.Relationship]bool{}
	for _, e := range expectedRels(t, s, o) {
		r := e.r
		w := fmt.Sprintf("%s.%s (%s to %s)", o.Name, r.Name, r.Type, e.target.Name)
		if r.Help != "" {
			d.add("help", "%s: help", w)
		}
		if r.Reverse != "" {
			d.add("reverse", "%s: reverse %s", w, r.Reverse)
		}
		if r.To.Abstract {
			d.add("abstract target", "%s: declared to %s", w, r.To.Name)
		}
		switch r.Direction {
		case ogm.Both:
			d.add("direction both", "%s", w)
		case ogm.In:
			d.add("direction in", "%s", w)
		}
		var x *schema.Relationship
		for _, c := range got {
			if c.Type == r.Type && c.To.DBLabel() == e.target.DBLabel() {
				x = c
			}
		}
		if x == nil {
			d.add("", "%s: not inferred", w)
			continue
		}
		used[x] = true
		if x.Name != r.Name && r.Direction != ogm.In {
			d.add("relationship name", "%s: inferred as %s", w, x.Name)
		}
		if x.Direction != ogm.Out {
			d.add("", "%s: inferred direction %v (ogm.Out is %v)", w, x.Direction, ogm.Out)
		}
		if x.Reverse == "" {
			d.add("", "%s: inferred without a reverse accessor", w)
		}
		if e.cardinality && x.Cardinality != r.Cardinality {
			d.add("", "%s: inferred cardinality %s, declared %s", w, x.Cardinality, r.Cardinality)
		}
		var props []*schema.Property
		if r.Model != nil {
			props = r.Model.Properties
		}
		switch {
		case x.Model == nil && len(props) > 0:
			d.add("", "%s: model %s not inferred", w, r.Model.Name)
		case x.Model != nil && len(props) == 0:
			d.add("", "%s: inferred a model %s", w, x.Model.Name)
		case x.Model != nil:
			if x.Model.Name != r.Model.Name {
				d.add("model name", "%s: model %s inferred as %s", w, r.Model.Name, x.Model.Name)
			}
			compareScenarioProps(d, w+" "+r.Model.Name, props, x.Model.Properties)
		}
	}
	for _, x := range got {
		if !used[x] {
			d.add("", "%s: inferred a relationship %s (%s to %s) that is not declared", o.Name, x.Name, x.Type, x.To.Name)
		}
	}
}

// inspectScenario installs the constraints and indexes of every file of
// s and inspects the labels starting with prefix.
func inspectScenario(t *testing.T, db *ogm.DB, s *schema.Schema, prefix string) *inspect.Schema {
	t.Helper()
	var rts []*ogm.Schema
	for _, f := range s.Files {
		rts = append(rts, f.RuntimeSchema())
	}
	return inspectInstalled(t, db, prefix, rts...)
}

// TestScenarios is the round trip of inspect-database for
// every success scenario of the generator (testdata/gen/*, all files of
// each, imported ones and builtin:auth included): sample data is written
// under labels and relationship types of this run only, with the
// scenario's constraints and indexes; Inspect, restricted to those labels,
// and YAML give a schema that is generated, compiled and vetted in
// a temporary module, and compared with the scenario: labels, extends,
// property types, required, unique, index, relationships (type,
// direction, target, model properties, a reverse accessor on every one)
// and the cardinality the data shows.
// What cannot be inferred is listed per scenario in scenarioIgnores.
func TestScenarios(t *testing.T) {
	db, id, module := openRun(t)
	dirs := testenv.Scenarios(t, filepath.Join("..", "codegen", "testdata", "gen"))
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			ignores, ok := scenarioIgnores[name]
			if !ok {
				t.Fatalf("scenario %s has no entry in scenarioIgnores", name)
			}
			s, err := schema.Load(testenv.ScenarioSchemas(t, dir)...)
			if err != nil {
				t.Fatal(err)
			}
			text := inferScenario(t, db, s, name, id)
			got := generateInto(t, filepath.Join(module, name), text)
			checkDiffs(t, compareScenario(t, s, got.Roots()[0]), ignores, text)
		})
	}
	t.Run("vet", func(t *testing.T) {
		testenv.GoCmd(t, module, nil, "vet", "./...")
	})
}

// inferScenario writes the sample data of scenario s (called name) under
// labels and relationship types of run id only, and returns the schema
// inferred from it.
func inferScenario(t *testing.T, db *ogm.DB, s *schema.Schema, name, id string) []byte {
	prefix := "Sc" + id + camelName(name, "X")
	suffix := "_" + strings.ToUpper(id+"_"+name)
	var labels []string
	for _, f := range s.Files {
		for _, n := range f.Nodes {
			if !n.Abstract {
				n.Label = prefix + n.DBLabel()
				labels = append(labels, n.Label)
			}
			for i, l := range n.Labels {
				n.Labels[i] = prefix + l
			}
			for _, r := range n.Relationships {
				r.Type += suffix
			}
		}
	}
	t.Cleanup(func() {
		for _, l := range labels {
			_, _ = db.Cypher(context.Background(), "MATCH (n:"+ogm.Quote(l)+") DETACH DELETE n", nil)
		}
	})
	dbs := &inspect.Schema{} // nothing to store: the empty database description
	if len(labels) > 0 {
		loadScenario(t, db, s)
		dbs = inspectScenario(t, db, s, prefix)
	}
	text, err := YAML(dbs, Options{Package: name})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("FD_DUMP") != "" {
		t.Logf("%s", text)
	}
	return text
}

// checkDiffs fails on each real mismatch of d, and on each difference not
// in the scenario's ignore list or listed there but absent; text is the
// inferred schema.
func checkDiffs(t *testing.T, d *diffs, ignores []string, text []byte) {
	var cats []string
	for c := range d.byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		if c != "" {
			t.Logf("not inferred (%s): %s", c, strings.Join(d.byCat[c], "; "))
		}
	}
	for _, c := range cats {
		switch {
		case c == "":
			t.Errorf("mismatches:\n  %s\ninferred schema:\n%s", strings.Join(d.byCat[c], "\n  "), text)
		case notInferable[c] == "":
			t.Errorf("unknown category %q", c)
		case !slices.Contains(ignores, c):
			t.Errorf("%s is not in this scenario's ignore list (%s): %s", c, notInferable[c], strings.Join(d.byCat[c], "; "))
		}
	}
	for _, c := range ignores {
		if notInferable[c] == "" {
			t.Errorf("ignore list names the unknown category %q", c)
		} else if len(d.byCat[c]) == 0 {
			t.Errorf("ignore list names %q, which no longer occurs: remove it", c)
		}
	}
}
