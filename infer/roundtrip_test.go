package infer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

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

// openRun opens the test database (closed when t ends), and returns it
// with an identifier no other run uses, for labels and types, and a
// temporary module to generate code into.
func openRun(t *testing.T) (db *ogm.DB, id, module string) {
	t.Helper()
	ctx := context.Background()
	db, err := ogm.Open(ctx, testenv.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(ctx) })
	return db, strings.TrimPrefix(testenv.Label(t), "Test_"), tempModule(t)
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
	goMod := fmt.Sprintf("module example.com/inferred\n\ngo 1.26\n\nrequire github.com/gonode/gonode v0.0.0\n\nreplace github.com/gonode/gonode => %s\n", root)
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

// TestRoundTrip loads sample data for a schema with every cardinality,
// extends, models and index kinds, under labels no other test uses, with
// its constraints and indexes; inspects it; and checks that the inferred
// schema matches the original and that it, the inferred schema of a
// database with hostile names and the hand-made hostile one generate code
// that compiles and vets. (TestScenarios does the same for every scenario
// of the generator.)
func TestRoundTrip(t *testing.T) {
	db, id, module := openRun(t)
	t.Run("roundtrip", func(t *testing.T) { roundTripSchema(t, db, module, id) })
	t.Run("hostile", func(t *testing.T) { roundTripHostileGraph(t, db, module, id) })
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

// roundTripSchema writes the data of roundTripTemplate under labels of run
// id, infers its schema, generates it into module, and compares it with
// the template.
func roundTripSchema(t *testing.T, db *ogm.DB, module, id string) {
	ctx := context.Background()
	prefix := "Rt" + id
	text := fmt.Sprintf(roundTripTemplate, prefix, strings.ToUpper(id))
	orig, err := schema.LoadBytes("roundtrip.yaml", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
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
	dbs := inspectInstalled(t, db, prefix, f.RuntimeSchema())
	inferred, err := YAML(dbs, Options{Package: "roundtrip"})
	if err != nil {
		t.Fatal(err)
	}
	got := generateInto(t, filepath.Join(module, "roundtrip"), inferred)
	if os.Getenv("FD_DUMP") != "" {
		t.Logf("%s", inferred)
	}
	compareSchemas(t, f, got.Roots()[0], inferred)
	if bytes.Contains(inferred, []byte("not expressed")) || bytes.Contains(inferred, []byte("not declared")) {
		t.Errorf("something declared is not expressed:\n%s", inferred)
	}
}

// roundTripHostileGraph creates a graph whose labels, keys and relationship
// type are not identifiers, under labels of run id, infers its schema and
// generates it into module: every stored name is declared.
func roundTripHostileGraph(t *testing.T, db *ogm.DB, module, id string) {
	ctx := context.Background()
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
	f := generateInto(t, filepath.Join(module, "hostile"), text).Roots()[0]
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
}
