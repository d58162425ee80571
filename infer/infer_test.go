package infer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
	"math/rand/v2"
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

func TestNames(t *testing.T) {
	for _, c := range []struct{ in, snake, camel string }{
		{"name", "name", "Name"},
		{"firstName", "first_name", "FirstName"},
		{"HTTPServer", "http_server", "HTTPServer"},
		{"a-b", "a_b", "AB"},
		{"my label", "my_label", "MyLabel"},
		{"1st", "prop_1st", "Node1st"},
		{"🚀", "prop", "Node"},
		{"🚀 Rocket", "rocket", "Rocket"},
		{"`tick`", "tick", "Tick"},
		{"LIVES_IN", "lives_in", "LIVESIN"},
		{"Person", "person", "Person"},
		{"address2", "address2", "Address2"},
		{"café", "caf", "Caf"},
		{"__x__", "x", "X"},
	} {
		if got := snakeName(c.in, "prop"); got != c.snake {
			t.Errorf("snakeName(%q) = %q, want %q", c.in, got, c.snake)
		}
		if got := camelName(c.in, "Node"); got != c.camel {
			t.Errorf("camelName(%q) = %q, want %q", c.in, got, c.camel)
		}
	}
	for in, want := range map[string]string{
		"name": "name", "yes": `"yes"`, "No": `"No"`, "null": `"null"`, "a b": `"a b"`, "[string]": `"[string]"`,
		"1st": `"1st"`, "": `""`, "é": `"é"`, "a\nb": `"a\nb"`, "x`y": "\"x`y\"", "on": `"on"`, "a:b": `"a:b"`,
	} {
		if got := schema.Scalar(in); got != want {
			t.Errorf("schema.Scalar(%q) = %s, want %s", in, got, want)
		}
	}
	if got := sanitizeType("HAS PART"); got != "HAS_PART" {
		t.Errorf("sanitizeType = %q", got)
	}
	if got := sanitizeType("1 x"); got != "REL_1_X" {
		t.Errorf("sanitizeType = %q", got)
	}
}

func TestTypes(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string // "" when not declarable
		note bool
	}{
		{[]string{"STRING"}, "string", false},
		{[]string{"INTEGER"}, "int", false},
		{[]string{"FLOAT"}, "float", false},
		{[]string{"BOOLEAN"}, "bool", false},
		{[]string{"DATE"}, "date", false},
		{[]string{"ZONED DATETIME"}, "datetime", false},
		{[]string{"LOCAL DATETIME"}, "localdatetime", false},
		{[]string{"DURATION"}, "duration", false},
		{[]string{"POINT"}, "point", false},
		{[]string{"LIST<STRING>"}, "[string]", false},
		{[]string{"LIST<POINT>"}, "[point]", false},
		{[]string{"POINT 3D"}, "point3d", false},
		{[]string{"LIST<POINT 3D>"}, "[point3d]", false},
		{[]string{"POINT", "POINT 3D"}, "string", true},
		{[]string{"LIST<ZONED DATETIME>", "LIST<NOTHING>"}, "[datetime]", false},
		{[]string{"FLOAT", "INTEGER"}, "float", true},
		{[]string{"LIST<FLOAT>", "LIST<INTEGER>"}, "[float]", true},
		{[]string{"INTEGER", "STRING"}, "string", true},
		{[]string{"DATE", "ZONED DATETIME"}, "string", true},
		{[]string{"LIST<INTEGER>", "INTEGER"}, "string", true},
		{[]string{"LOCAL TIME", "STRING"}, "string", true},
		{[]string{"LIST<NOTHING>"}, "[string]", true},
		{[]string{"LOCAL TIME"}, "", true},
		{[]string{"ZONED TIME"}, "", true},
		{[]string{"LIST<LOCAL TIME>"}, "", true},
		{nil, "", true},
	} {
		typ, note, ok := schemaType(c.in)
		got := ""
		if ok {
			got = typ.String()
		}
		if got != c.want || ok != (c.want != "") || (note != "") != c.note {
			t.Errorf("schemaType(%q) = %q, %q, %v; want %q (note %v)", c.in, got, note, ok, c.want, c.note)
		}
	}
	for _, c := range []struct {
		r    inspect.Relationship
		want ogm.Cardinality
	}{
		{inspect.Relationship{Measured: true, Sources: 3, WithAny: 3, MaxOut: 1}, ogm.One},
		{inspect.Relationship{Measured: true, Sources: 3, WithAny: 2, MaxOut: 1}, ogm.ZeroOrOne},
		{inspect.Relationship{Measured: true, Sources: 3, WithAny: 3, MaxOut: 4}, ogm.OneOrMore},
		{inspect.Relationship{Measured: true, Sources: 3, WithAny: 1, MaxOut: 4}, ogm.ZeroOrMore},
		{inspect.Relationship{}, ogm.ZeroOrMore},
	} {
		if got, _ := cardinality(c.r); got != c.want {
			t.Errorf("cardinality(%+v) = %s, want %s", c.r, got, c.want)
		}
	}
}

// hostileDBSchema is a description full of names the schema language does
// not take as they are.
func hostileDBSchema() *inspect.Schema {
	str := func(key string) inspect.Property {
		return inspect.Property{Key: key, Types: []string{"STRING"}, Required: true}
	}
	return &inspect.Schema{
		Nodes: []inspect.Node{
			{Label: "1st", Count: 1, Properties: []inspect.Property{str("x")}},
			{Label: "KnowsRel", Count: 1},
			{Label: "Person", Count: 3, Labels: []string{"Human", "a b"}, Properties: []inspect.Property{
				str("type"), str("func"), str("save"), str("1st"), str("a-b"), str("a_b"), str("firstName"),
				str("Save"), str("🚀"), str("element_id"), str("then"), str("labels"), str("path"), str("display name"),
				{Key: "opens", Types: []string{"LOCAL TIME"}},
				{Key: "mixed", Types: []string{"INTEGER", "STRING"}},
				{Key: "code", Types: []string{"STRING"}, Unique: true, Index: "text"},
				{Key: "n", Types: []string{"INTEGER"}, Index: "text"},
				{Key: "tags", Types: []string{"LIST<STRING>"}, Index: "fulltext"},
				{Key: "where", Types: []string{"POINT"}, Index: "point"},
			}, Relationships: []inspect.Relationship{
				{Type: "HAS PART", Target: "my label"},
				{Type: "then", Target: "Person", Measured: true, Sources: 3, WithAny: 3, MaxOut: 1},
				{Type: "KNOWS", Target: "Person", Measured: true, Sources: 3, WithAny: 1, MaxOut: 1},
				{Type: "KNOWS", Target: "🚀"},
				{Type: "save", Target: "Schema"},
			}},
			{Label: "PersonType", Count: 1, Properties: []inspect.Property{str("name")}},
			{Label: "Schema", Count: 1},
			{Label: "`tick`", Count: 1},
			{Label: "my label", Parent: "Person", Count: 1, Properties: []inspect.Property{str("name"), str("x y")}},
			{Label: "person", Count: 1},
			{Label: "🚀", Count: 1},
		},
		RelTypes: []inspect.RelType{
			{Type: "HAS PART", Count: 1, Properties: []inspect.Property{str("the key")}},
			{Type: "KNOWS", Count: 2, Properties: []inspect.Property{str("type"), str("rel_type"), str("save"), {Key: "since", Types: []string{"DATE"}, Index: "range"}}},
			{Type: "save", Count: 1},
			{Type: "then", Count: 3},
		},
		Indexes: []inspect.Index{
			{Name: "composite", Kind: "range", LabelsOrTypes: []string{"Person"}, Properties: []string{"a", "b"}},
			{Name: "elsewhere", Kind: "unique", LabelsOrTypes: []string{"Gone"}, Properties: []string{"a"}},
		},
		NodeCount: 10, RelCount: 7,
		Notes: []string{"2 node(s) have no label;\nno node type describes them"},
	}
}

func TestHostileNames(t *testing.T) {
	text, err := YAML(hostileDBSchema(), Options{Package: "hostile"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := YAML(hostileDBSchema(), Options{Package: "hostile"})
	if err != nil || !bytes.Equal(text, again) {
		t.Fatalf("not deterministic: %v", err)
	}
	s, err := schema.LoadBytes("hostile.yaml", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	f := s.Roots()[0]
	if f.Package != "hostile" {
		t.Errorf("package %q", f.Package)
	}
	for _, want := range []string{
		"type_prop: {type: string, required: true, db_property: type}",
		"func_prop: {type: string, required: true, db_property: func}",
		"save_prop: {type: string, required: true, db_property: save}",
		"first_name: {type: string, required: true, db_property: firstName}",
		"opens", // commented: no schema type
		`labels: [Human, "a b"]`,
		"composite", // the composite index, in a comment
		"elsewhere", // an index of a label no node type has
		"# 2 node(s) have no label; no node type describes them",
		"then_rel: {to: Person, type: then, cardinality: one}",
		"code: {type: string, unique: true}  # also has a text index",
		"n: {type: int}  # has a text index, which index: takes for strings only",
		"tags: {type: \"[string]\", index: fulltext}",
		"where: {type: point, index: true}",
		"mixed: {type: string}  # mixed types INTEGER, STRING",
		"knows_person: {to: Person, type: KNOWS, cardinality: zero_or_one, model: KnowsRel2}",
		"knows_node: {to: Node, type: KNOWS, model: KnowsRel2}",
		"Schema2:",
		"PersonType2:",
		"Person2:",
		"Tick:",
		"MyLabel:",
		"extends: Person",
		"Node1st:",
		"KnowsRel:",
		"type_prop: {type: string, required: true, db_property: type}",
		"rel_type_prop: {type: string, required: true, db_property: rel_type}",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// Keys, labels and types that are not identifiers are declared, not
	// comments.
	for _, want := range []string{
		`a_b_prop: {type: string, required: true, db_property: "a-b"}`,
		`prop_1st: {type: string, required: true, db_property: "1st"}`,
		`display_name: {type: string, required: true, db_property: "display name"}`,
		`prop: {type: string, required: true, db_property: "🚀"}`,
		`label: "my label"`,
		`label: "🚀"`,
		`label: "1st"`,
		"label: \"`tick`\"",
		`has_part: {to: MyLabel, type: "HAS PART", model: HasPartRel}`,
		`the_key: {type: string, required: true, db_property: "the key"}`,
	} {
		assertDeclared(t, text, want)
	}
	// Every node type and property of the database is there, declared or
	// as a comment; the stored names survive as db_property, label or in a
	// comment.
	person := f.Node("Person")
	if person == nil {
		t.Fatalf("no Person:\n%s", text)
	}
	keys := map[string]bool{}
	for _, p := range person.Properties {
		keys[p.DBName] = true
		if !schema.IsSnakeName(p.Name) {
			t.Errorf("property name %q", p.Name)
		}
	}
	for _, k := range []string{"type", "func", "save", "firstName", "a_b", "element_id", "then", "labels", "path", "Save", "code", "a-b", "1st", "display name", "🚀"} {
		if !keys[k] {
			t.Errorf("Person lacks the key %q:\n%s", k, text)
		}
	}
	for _, k := range []string{`"1st"`, `"a-b"`, `"🚀"`, `"HAS PART"`, `"my label"`, "\"`tick`\""} {
		if !strings.Contains(string(text), k) {
			t.Errorf("the stored name %s is nowhere:\n%s", k, text)
		}
	}
	if len(f.Nodes) != 9 {
		t.Errorf("%d nodes:\n%s", len(f.Nodes), text)
	}
	labels := map[string]string{}
	for _, n := range f.Nodes {
		labels[n.DBLabel()] = n.Name
	}
	for _, l := range []string{"my label", "🚀", "1st", "`tick`", "person", "Schema", "PersonType", "Person"} {
		if labels[l] == "" {
			t.Errorf("no node type has the label %q:\n%s", l, text)
		}
	}
	if got := person.LabelChain(); !slices.Equal(got, []string{"Person", "Human", "a b"}) {
		t.Errorf("Person's labels %q", got)
	}
	if _, err := codegen.Generate(s, codegen.Options{OutDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
}

// assertDeclared fails unless text has a line that declares want: want
// occurs in it before any comment.
func assertDeclared(t *testing.T, text []byte, want string) {
	t.Helper()
	for _, line := range strings.Split(string(text), "\n") {
		i := strings.Index(line, want)
		if i < 0 {
			continue
		}
		if c := strings.Index(line, "#"); c < 0 || c > i {
			return
		}
	}
	t.Errorf("%q is not declared:\n%s", want, text)
}

func TestEmptyAndPackage(t *testing.T) {
	text, err := YAML(&inspect.Schema{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "package: models\nnodes: {}\n") {
		t.Errorf("empty:\n%s", text)
	}
	if _, err := schema.LoadBytes("empty.yaml", text); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"Models", "func", "main", "ogm", "a-b"} {
		if _, err := YAML(&inspect.Schema{}, Options{Package: bad}); err == nil {
			t.Errorf("package %q accepted", bad)
		}
	}
	if _, err := YAML(nil, Options{}); err == nil {
		t.Error("nil accepted")
	}
}

// roundTripTemplate is a schema with every cardinality, an extends chain
// with extra labels, relationship models (one type leading to two node
// types), every index kind and stored keys that are not the names.
// %[1]s prefixes node names (labels), %[2]s suffixes relationship types.
const roundTripTemplate = `package: roundtrip
nodes:
  %[1]sCountry:
    properties:
      code: {type: string, unique: true, required: true}
      name: {type: string, index: text}
  %[1]sCity:
    properties:
      name: {type: string, required: true}
      location: {type: point, index: true}
    relationships:
      country: {to: %[1]sCountry, type: IN_COUNTRY_%[2]s, cardinality: one}
  %[1]sPerson:
    labels: [%[1]sHuman]
    properties:
      uid: {type: uid}
      name: {type: string, required: true, unique: true}
      bio: {type: string, index: fulltext}
      age: {type: int, index: true}
      kind: {type: string, db_property: type}
      first_name: {type: string, db_property: firstName}
      tags: {type: "[string]"}
      born: {type: date, required: true}
    relationships:
      home: {to: %[1]sCity, type: LIVES_IN_%[2]s, cardinality: one}
      visited: {to: %[1]sCity, type: VISITED_%[2]s, model: Visit}
      fav: {to: %[1]sCountry, type: VISITED_%[2]s, model: Visit}
      best_friend: {to: %[1]sPerson, type: BEST_FRIEND_%[2]s, cardinality: zero_or_one}
      knows: {to: %[1]sPerson, type: KNOWS_%[2]s, cardinality: one_or_more, model: Knows}
  %[1]sEmployee:
    extends: %[1]sPerson
    properties:
      salary: {type: float, required: true}
      hired: {type: datetime}
    relationships:
      employer: {to: %[1]sCompany, type: WORKS_AT_%[2]s, cardinality: one}
  %[1]sManager:
    extends: %[1]sEmployee
    labels: [%[1]sBoss]
    properties:
      reports: {type: int, required: true}
  %[1]sCompany:
    properties:
      name: {type: string, required: true}
      founded: {type: localdatetime}
      tick: {type: duration}
relationships:
  Knows:
    properties:
      since: {type: datetime, required: true}
      weight: {type: float}
  Visit:
    properties:
      at: {type: date, required: true}
      rating: {type: int, index: true}
`

// valueExpr is a Cypher expression of the parameter $g (a number unique to
// the node or relationship) giving a value of kind k.
func valueExpr(k schema.Kind) string {
	switch k {
	case schema.KindString:
		return "'s' + $g"
	case schema.KindEmail:
		return "'u' + $g + '@example.com'"
	case schema.KindUID:
		return "randomUUID()"
	case schema.KindJSON:
		return `'{"a": ' + $g + '}'`
	case schema.KindInt:
		return "$g"
	case schema.KindFloat:
		return "$g + 0.5"
	case schema.KindBool:
		return "$g % 2 = 0"
	case schema.KindDate:
		return "date({year: 2020, month: 1, day: 1 + $g % 28})"
	case schema.KindDateTime:
		return "datetime({year: 2024, month: 1, day: 1 + $g % 28, hour: 3, timezone: '+02:00'})"
	case schema.KindLocalDateTime:
		return "localdatetime({year: 2024, month: 1, day: 1 + $g % 28, hour: 3})"
	case schema.KindDuration:
		return "duration({minutes: $g})"
	case schema.KindPoint:
		return "point({x: toFloat($g), y: 1.5})"
	case schema.KindPoint3D:
		return "point({x: toFloat($g), y: 1.5, z: 2.5})"
	}
	panic(k)
}

// propsExpr is a map literal for props: required ones always, optional ones
// unless last (so that inspection sees which are required).
func propsExpr(props []*schema.Property, last bool) string {
	var parts []string
	for _, p := range props {
		always := p.Required || p.Type.Kind == schema.KindUID
		if last && !always {
			continue
		}
		v := valueExpr(p.Type.Kind)
		if p.Type.Array {
			v = "[" + v + ", " + v + "]"
		}
		parts = append(parts, ogm.Quote(p.DBName)+": "+v)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// inferredType is the type inspection infers for values of type t.
func inferredType(t schema.Type) schema.Type {
	switch t.Kind {
	case schema.KindUID, schema.KindEmail, schema.KindJSON:
		t.Kind = schema.KindString
	}
	return t
}

// compareProps checks that inferred properties match the original ones,
// by stored key.
func compareProps(t *testing.T, where string, orig, got []*schema.Property) {
	t.Helper()
	byKey := map[string]*schema.Property{}
	for _, p := range got {
		byKey[p.DBName] = p
	}
	if len(got) != len(orig) {
		t.Errorf("%s: %d properties inferred, %d declared", where, len(got), len(orig))
	}
	for _, o := range orig {
		p := byKey[o.DBName]
		if p == nil {
			t.Errorf("%s: property %s not inferred", where, o.DBName)
			continue
		}
		uid := o.Type.Kind == schema.KindUID
		idx := o.Index
		if uid {
			idx = ogm.NoIndex
		}
		if p.Type != inferredType(o.Type) || p.Required != (o.Required || uid) || p.Unique != (o.Unique || uid) || p.Index != idx {
			t.Errorf("%s.%s: inferred %s required=%v unique=%v index=%v; declared %s required=%v unique=%v index=%v",
				where, o.DBName, p.Type, p.Required, p.Unique, p.Index, o.Type, o.Required, o.Unique, o.Index)
		}
	}
}

// compareSchemas checks the inferred file against the original.
func compareSchemas(t *testing.T, orig, got *schema.File, text []byte) {
	t.Helper()
	for _, o := range orig.Nodes {
		if o.Abstract {
			continue
		}
		n := got.Node(o.Name)
		if n == nil {
			t.Errorf("node %s not inferred:\n%s", o.Name, text)
			continue
		}
		wantParent, gotParent := "", ""
		for a := o.Extends; a != nil; a = a.Extends {
			if !a.Abstract {
				wantParent = a.Name
				break
			}
		}
		if n.Extends != nil {
			gotParent = n.Extends.Name
		}
		if wantParent != gotParent {
			t.Errorf("%s extends %q, want %q", o.Name, gotParent, wantParent)
		}
		wl, gl := o.LabelChain(), n.LabelChain()
		sort.Strings(wl)
		sort.Strings(gl)
		if !slices.Equal(wl, gl) {
			t.Errorf("%s labels %q, want %q", o.Name, gl, wl)
		}
		compareProps(t, o.Name, o.AllProperties(), n.AllProperties())
		rels := n.AllRelationships()
		if len(rels) != len(o.AllRelationships()) {
			t.Errorf("%s: %d relationships inferred, %d declared", o.Name, len(rels), len(o.AllRelationships()))
		}
		for _, r := range o.AllRelationships() {
			var found *schema.Relationship
			for _, x := range rels {
				if x.Type == r.Type && x.To.Name == r.To.Name {
					found = x
				}
			}
			switch {
			case found == nil:
				t.Errorf("%s: relationship %s to %s not inferred:\n%s", o.Name, r.Type, r.To.Name, text)
			case found.Cardinality != r.Cardinality || found.Direction != ogm.Out:
				t.Errorf("%s.%s: inferred direction %v and %s; want direction %v (out) and %s", o.Name, r.Name, found.Direction, found.Cardinality, ogm.Out, r.Cardinality)
			case (found.Model == nil) != (r.Model == nil):
				t.Errorf("%s.%s: model %v, want %v", o.Name, r.Name, found.Model, r.Model)
			case r.Model != nil:
				compareProps(t, o.Name+"."+r.Name, r.Model.Properties, found.Model.Properties)
			}
		}
	}
}

// tempModule is a temporary module requiring this repository, to compile
// generated code in.
func tempModule(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := fmt.Sprintf("module example.com/fromdb\n\ngo 1.26\n\nrequire github.com/gonode/gonode v0.0.0\n\nreplace github.com/gonode/gonode => %s\n", root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// generateInto loads the inferred schema text as DIR/schema.yaml and
// generates its package there.
func generateInto(t *testing.T, dir string, text []byte) *schema.Schema {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "schema.yaml")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := schema.Load(path)
	if err != nil {
		t.Fatalf("inferred schema does not load: %v\n%s", err, text)
	}
	files, err := codegen.Generate(s, codegen.Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(f.Path, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// inspectInstalled inspects the labels starting with prefix after
// installing the schemas' constraints and indexes, again if another test
// dropped them meanwhile (remove-labels tests share the server).
func inspectInstalled(t *testing.T, db *ogm.DB, prefix string, rts ...*ogm.Schema) *inspect.Schema {
	t.Helper()
	ctx := context.Background()
	for attempt := 0; ; attempt++ {
		items, err := ogm.InstallLabels(ctx, db, rts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, it := range items {
				_, _ = db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(it.Name)+" IF EXISTS", nil)
				_, _ = db.Cypher(ctx, "DROP INDEX "+ogm.Quote(it.Name)+" IF EXISTS", nil)
			}
		})
		s, err := inspect.Database(ctx, db, inspect.Options{Labels: []string{prefix + "*"}})
		if err != nil {
			t.Fatal(err)
		}
		placed := 0
		for _, ix := range s.Indexes {
			if ix.Placed {
				placed++
			}
		}
		if placed >= len(items) || attempt == 3 {
			return s
		}
	}
}

// TestRoundTrip loads sample data for a schema with every
// cardinality, extends, models and index kinds, under labels no other test
// uses, with its constraints and indexes; inspects it; and checks that the
// inferred schema matches the original and that it, the inferred schema of
// a database with hostile names and the hand-made hostile one generate
// code that compiles and vets. (TestScenarios does the same
// for every scenario of the generator.)
func TestRoundTrip(t *testing.T) {
	url := testenv.URL(t)
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	id := strings.TrimPrefix(testenv.Label(t), "Test_")
	prefix := "Rt" + id
	module := tempModule(t)
	cases := []struct {
		name, prefix string
		text         string
	}{
		{"roundtrip", prefix, fmt.Sprintf(roundTripTemplate, prefix, strings.ToUpper(id))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orig, err := schema.LoadBytes(c.name+".yaml", []byte(c.text))
			if err != nil {
				t.Fatalf("%v\n%s", err, c.text)
			}
			f := orig.Roots()[0]
			t.Cleanup(func() {
				for _, n := range f.Nodes {
					if !n.Abstract {
						_, _ = db.Cypher(ctx, "MATCH (n:"+ogm.Quote(n.Name)+") DETACH DELETE n", nil)
					}
				}
			})
			loadScenario(t, db, orig)
			dbs := inspectInstalled(t, db, c.prefix, f.RuntimeSchema())
			text, err := YAML(dbs, Options{Package: c.name})
			if err != nil {
				t.Fatal(err)
			}
			got := generateInto(t, filepath.Join(module, c.name), text)
			if os.Getenv("FD_DUMP") != "" {
				t.Logf("%s", text)
			}
			compareSchemas(t, f, got.Roots()[0], text)
			if bytes.Contains(text, []byte("not expressed")) || bytes.Contains(text, []byte("not declared")) {
				t.Errorf("something declared is not expressed:\n%s", text)
			}
		})
	}
	t.Run("hostile", func(t *testing.T) {
		l := "Test_" + id
		odd, tick, emoji := l+" with space", l+"`tick`", l+"🚀"
		rel := "HAS PART " + l
		t.Cleanup(func() {
			for _, lab := range []string{odd, tick, emoji} {
				_, _ = db.Cypher(ctx, "MATCH (n:"+ogm.Quote(lab)+") DETACH DELETE n", nil)
			}
		})
		q := "CREATE (a:" + ogm.Quote(odd) + " {type: 'x', func: 1, `1st`: true, save: 2, `a-b`: 'y', `é`: 1, `display name`: 'd'})" +
			"-[:" + ogm.Quote(rel) + " {`the key`: 1, type: 'k'}]->(b:" + ogm.Quote(tick) + ":" + ogm.Quote(emoji) + " {save: 1.5, labels: ['x']}), " +
			"(a)-[:" + ogm.Quote(rel) + " {`the key`: 2, type: 'k'}]->(b)"
		if _, err := db.Cypher(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
		dbs, err := inspect.Database(ctx, db, inspect.Options{Labels: []string{l + "*"}})
		if err != nil {
			t.Fatal(err)
		}
		text, err := YAML(dbs, Options{Package: "hostile"})
		if err != nil {
			t.Fatal(err)
		}
		s := generateInto(t, filepath.Join(module, "hostile"), text)
		f := s.Roots()[0]
		if len(f.Nodes) != 2 {
			t.Errorf("%d nodes:\n%s", len(f.Nodes), text)
		}
		for _, want := range []string{
			"type_prop: {type: string, required: true, db_property: type}",
			"func_prop: {type: int, required: true, db_property: func}",
			"save_prop: {type: int, required: true, db_property: save}",
			"cardinality: one_or_more",
			`"1st"`, `"a-b"`, `"HAS PART ` + l + `"`, `"` + odd + `"`,
		} {
			if !strings.Contains(string(text), want) {
				t.Errorf("output lacks %q:\n%s", want, text)
			}
		}
		// The keys, labels and type that are not identifiers are declared.
		for _, want := range []string{
			`{type: bool, required: true, db_property: "1st"}`,
			`{type: string, required: true, db_property: "a-b"}`,
			`{type: string, required: true, db_property: "display name"}`,
			`label: "` + odd + `"`,
			`type: "HAS PART ` + l + `"`,
			`"` + emoji + `"`,
			"\"" + tick + "\"",
		} {
			assertDeclared(t, text, want)
		}
		var stored []string
		for _, n := range f.Nodes {
			stored = append(stored, n.LabelChain()...)
			for _, p := range n.Properties {
				stored = append(stored, p.DBName)
			}
			for _, r := range n.Relationships {
				stored = append(stored, r.Type)
			}
		}
		for _, want := range []string{odd, tick, emoji, "1st", "a-b", "display name", "é", rel} {
			if !slices.Contains(stored, want) {
				t.Errorf("%q is not a label, key or type of the schema (%q):\n%s", want, stored, text)
			}
		}
	})
	t.Run("hand-made", func(t *testing.T) {
		text, err := YAML(hostileDBSchema(), Options{Package: "handmade"})
		if err != nil {
			t.Fatal(err)
		}
		generateInto(t, filepath.Join(module, "handmade"), text)
	})
	t.Run("vet", func(t *testing.T) {
		testenv.GoCmd(t, module, nil, "vet", "./...")
	})
}

// TestRandomNames feeds random names (YAML and Cypher
// punctuation, keywords, reserved words, digits, unicode, control
// characters) and random shapes to YAML: the output always loads
// and generates, and says the same on a second run.
func TestRandomNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "B", "x_y", "1", "0", " ", "-", ":", "#", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">",
		"'", `"`, "%", "@", "`", "?", "\n", "\t", "é", "🚀", "\u2028", "type", "func", "save", "Save", "Schema", "Type",
		"then", "path", "labels", "extra", "node_base", "yes", "null", "~", "Person", "Nodes", "Rel", "KNOWS", "_", ".", "\\"}
	name := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	types := []string{"STRING", "INTEGER", "FLOAT", "LIST<DATE>", "POINT", "LOCAL TIME", "LIST<NOTHING>", "DURATION"}
	for iter := range 150 {
		db := &inspect.Schema{}
		labels := map[string]bool{}
		for range 1 + rng.IntN(6) {
			l := name()
			if labels[l] {
				continue
			}
			labels[l] = true
			n := inspect.Node{Label: l, Count: int64(rng.IntN(10))}
			keys := map[string]bool{}
			for range rng.IntN(6) {
				k := name()
				if keys[k] {
					continue
				}
				keys[k] = true
				p := inspect.Property{Key: k, Types: []string{types[rng.IntN(len(types))]}, Required: rng.IntN(2) == 0, Unique: rng.IntN(4) == 0}
				if rng.IntN(4) == 0 {
					p.Index = []ogm.IndexKind{ogm.RangeIndex, ogm.TextIndex, ogm.FulltextIndex, inspect.PointIndex}[rng.IntN(4)]
				}
				n.Properties = append(n.Properties, p)
			}
			if rng.IntN(3) == 0 {
				n.Labels = []string{name()}
			}
			db.Nodes = append(db.Nodes, n)
		}
		for i := range db.Nodes {
			if i > 0 && rng.IntN(3) == 0 {
				db.Nodes[i].Parent = db.Nodes[rng.IntN(i)].Label
			}
		}
		relTypes := map[string]bool{}
		for i := range db.Nodes {
			for range rng.IntN(3) {
				typ := name()
				target := db.Nodes[rng.IntN(len(db.Nodes))].Label
				if db.Nodes[i].Relationship(typ, target) != nil {
					continue
				}
				db.Nodes[i].Relationships = append(db.Nodes[i].Relationships, inspect.Relationship{Type: typ, Target: target,
					Measured: true, Sources: 3, WithAny: int64(rng.IntN(4)), MaxOut: int64(rng.IntN(3))})
				if !relTypes[typ] {
					relTypes[typ] = true
					rt := inspect.RelType{Type: typ}
					if rng.IntN(2) == 0 {
						rt.Properties = []inspect.Property{{Key: name(), Types: []string{"STRING"}}}
					}
					db.RelTypes = append(db.RelTypes, rt)
				}
			}
		}
		text, err := YAML(db, Options{})
		if err != nil {
			t.Fatalf("iteration %d: %v\n%s", iter, err, jsonString(db))
		}
		again, _ := YAML(db, Options{})
		if !bytes.Equal(text, again) {
			t.Fatalf("iteration %d: not deterministic", iter)
		}
		if _, err := schema.LoadBytes("random.yaml", text); err != nil {
			t.Fatalf("iteration %d: %v\n%s", iter, err, text)
		}
	}
}

func jsonString(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
