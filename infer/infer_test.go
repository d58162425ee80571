package infer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
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
		{[]string{"POINT", "POINT 3D"}, "", true}, // mixed: left to Extra
		{[]string{"LIST<ZONED DATETIME>", "LIST<NOTHING>"}, "[datetime]", false},
		{[]string{"FLOAT", "INTEGER"}, "float", true},
		{[]string{"LIST<FLOAT>", "LIST<INTEGER>"}, "[float]", true},
		{[]string{"INTEGER", "STRING"}, "", true},        // mixed: left to Extra
		{[]string{"DATE", "ZONED DATETIME"}, "", true},   // mixed: left to Extra
		{[]string{"LIST<INTEGER>", "INTEGER"}, "", true}, // mixed: left to Extra
		{[]string{"LOCAL TIME", "STRING"}, "", true},     // mixed: left to Extra
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
			{Type: "KNOWS", Count: 2, Properties: []inspect.Property{str("type"), str("rel_type"), str("save"), str("start_element_id"), {Key: "since", Types: []string{"DATE"}, Index: "range"}}},
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
	for _, want := range hostileOutput {
		if !strings.Contains(string(text), want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, want := range hostileDeclared {
		assertDeclared(t, text, want)
	}
	checkHostileNames(t, f, text)
	if _, err := codegen.Generate(s, codegen.Options{OutDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
}

// hostileOutput are lines (or parts of lines) the inferred schema of
// hostileDBSchema has, declared or as comments.
var hostileOutput = []string{
	"type_prop: {type: string, required: true, db_property: type}",
	"func_prop: {type: string, required: true, db_property: func}",
	"save_prop: {type: string, required: true, db_property: save}",
	"first_name: {type: string, required: true, db_property: firstName}",
	"opens", // commented: no schema type
	`labels: [Human, "a b"]`,
	"composite", // the composite index, in a comment
	"elsewhere", // an index of a label no node type has
	"# 2 node(s) have no label; no node type describes them",
	"then_rel: {to: Person, type: then, cardinality: one, reverse: person_then}",
	"code: {type: string, unique: true}  # also has a text index",
	"n: {type: int}  # has a text index, which index: takes for strings only",
	"tags: {type: \"[string]\", index: fulltext}",
	"where: {type: point, index: true}",
	`"mixed": not declared: mixed types INTEGER, STRING, which no one schema type reads (on a node type, semi_structured keeps them readable in Extra)`,
	"semi_structured: true",
	"knows_person: {to: Person, type: KNOWS, cardinality: zero_or_one, model: KnowsRel2, reverse: person_knows}",
	"knows_node: {to: Node, type: KNOWS, model: KnowsRel2, reverse: person_knows}",
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
	// A key of every relationship's JSON encoding.
	"start_element_id_prop: {type: string, required: true, db_property: start_element_id}",
}

// hostileDeclared are declarations the inferred schema of hostileDBSchema
// has (not comments): keys, labels and types that are not identifiers.
var hostileDeclared = []string{
	`a_b_prop: {type: string, required: true, db_property: "a-b"}`,
	`prop_1st: {type: string, required: true, db_property: "1st"}`,
	`display_name: {type: string, required: true, db_property: "display name"}`,
	`prop: {type: string, required: true, db_property: "🚀"}`,
	`label: "my label"`,
	`label: "🚀"`,
	`label: "1st"`,
	"label: \"`tick`\"",
	`has_part: {to: MyLabel, type: "HAS PART", model: HasPartRel, reverse: person_has_part}`,
	`the_key: {type: string, required: true, db_property: "the key"}`,
}

// checkHostileNames checks that every node type and property of
// hostileDBSchema is in f, declared or as a comment, and that the stored
// names survive as db_property, label or in a comment.
func checkHostileNames(t *testing.T, f *schema.File, text []byte) {
	t.Helper()
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

// TestStoredNamesKeptOrLeftOut checks the stored names with control
// characters, which are kept exactly, and those no schema can name (only
// white space, NUL), which are left out, each with a warning and a comment,
// never replaced by another name.
func TestStoredNamesKeptOrLeftOut(t *testing.T) {
	str := func(key string) inspect.Property { return inspect.Property{Key: key, Types: []string{"STRING"}} }
	db := &inspect.Schema{
		Nodes: []inspect.Node{
			{Label: "a\nb", Count: 2, Labels: []string{"x\ty", "\t"}, Properties: []inspect.Property{str("k\ney"), str(" "), str("ok")},
				Relationships: []inspect.Relationship{
					{Type: "R\rS", Target: "a\nb"},
					{Type: "  ", Target: "a\nb"},
					{Type: "TO_BLANK", Target: " "},
				}},
			{Label: " ", Count: 1, Properties: []inspect.Property{str("name")}},
			{Label: "n\x00ul", Count: 1},
		},
		RelTypes: []inspect.RelType{
			{Type: "R\rS", Count: 1, Properties: []inspect.Property{str("w\tv"), str("\u3000")}},
			{Type: "  ", Count: 1, Properties: []inspect.Property{str("p")}},
		},
	}
	var warnings []string
	text, err := YAML(db, Options{Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	s, err := schema.LoadBytes("stored.yaml", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	f := s.Roots()[0]
	if len(f.Nodes) != 1 {
		t.Fatalf("%d node types, want 1:\n%s", len(f.Nodes), text)
	}
	n := f.Nodes[0]
	if n.DBLabel() != "a\nb" || !slices.Equal(n.Labels, []string{"x\ty"}) {
		t.Errorf("labels %q %q:\n%s", n.DBLabel(), n.Labels, text)
	}
	var keys []string
	for _, p := range n.Properties {
		keys = append(keys, p.DBName)
	}
	if !slices.Equal(keys, []string{"k\ney", "ok"}) {
		t.Errorf("keys %q:\n%s", keys, text)
	}
	if len(n.Relationships) != 1 || n.Relationships[0].Type != "R\rS" {
		t.Errorf("relationships %v:\n%s", n.Relationships, text)
	}
	if m := f.RelModels; len(m) != 1 || len(m[0].Properties) != 1 || m[0].Properties[0].DBName != "w\tv" {
		t.Errorf("relationship models %v:\n%s", m, text)
	}
	want := []string{
		`left out 1 node labelled " ", and their relationships: the label is only white space; no schema can name it`,
		`left out 1 node labelled "n\x00ul", and their relationships: the label contains a NUL character, which Neo4j refuses in a name; no schema can name it`,
		`left out the extra label "\t" of the nodes labelled "a\nb", which generated code does not write: the label is only white space; no schema can name it`,
		`left out the property "\u3000" of the "R\rS" relationships: the key is only white space; no schema can name it`,
		`left out the property " " of the nodes labelled "a\nb": the key is only white space; no schema can name it`,
		`left out the "  " relationships to the nodes labelled "a\nb": the type is only white space; no schema can name it`,
		`left out the "TO_BLANK" relationships to the nodes labelled " ": their target is left out`,
	}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(want, "\n"))
	}
	// Each is a comment too (a property key's is its "not declared" note).
	for _, w := range want {
		if strings.HasPrefix(w, "left out the property ") {
			continue
		}
		if c := "# Left out: " + strings.TrimPrefix(w, "left out ") + "."; !strings.Contains(string(text), c) {
			t.Errorf("no comment %q:\n%s", c, text)
		}
	}
}

// TestInvalidErrorShort checks the error of an inferred schema that does
// not validate (a bug of inference): one short line, without the "gonode:"
// prefix the command line adds, that unwraps to the schema's ErrorList.
func TestInvalidErrorShort(t *testing.T) {
	f := &schema.File{Path: Path, Package: "p", Root: true}
	for i := range 50 {
		f.Nodes = append(f.Nodes, &schema.Node{Name: fmt.Sprintf("bad name %d ", i) + strings.Repeat("x", i*40), File: f})
	}
	err := invalidError{"is not valid", schema.Validate(&schema.Schema{Files: []*schema.File{f}})}
	var list schema.ErrorList
	if !errors.As(err, &list) || len(list) <= maxShown {
		t.Fatalf("does not unwrap to the ErrorList (%d): %v", len(list), err)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "gonode:") || strings.Contains(msg, "\n") || len(msg) > 2000 || !strings.HasSuffix(msg, "more") {
		t.Errorf("message %q", msg)
	}
}
