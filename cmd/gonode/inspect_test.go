package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// inspectData creates a small graph under labels no other test uses and
// returns its label prefix.
func inspectData(t *testing.T) string {
	t.Helper()
	prefix := testPrefix(t)
	person, city := prefix+"Person", prefix+"City"
	rel := "LIVES_IN_" + strings.ToUpper(prefix)
	createGraph(t, "CREATE (c:"+ogm.Quote(city)+" {name: 'Paris'}) WITH c UNWIND range(1, 3) AS i "+
		"CREATE (:"+ogm.Quote(person)+" {name: 'p' + i, age: i, type: 'x'})-[:"+ogm.Quote(rel)+" {since: date()}]->(c)", person, city)
	return prefix
}

func TestInspectDatabaseStdout(t *testing.T) {
	url := testenv.URL(t)
	prefix := inspectData(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	code, out, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("stderr is not a terminal, yet: %q", errOut)
	}
	rel := "LIVES_IN_" + strings.ToUpper(prefix)
	for _, want := range []string{
		"package: models\n",
		"  " + prefix + "Person:\n",
		"      age: {type: int, required: true}\n",
		"      type_prop: {type: string, required: true, db_property: type}\n",
		"{to: " + prefix + "City, type: " + rel + ", cardinality: one, model: ",
		"      since: {type: date, required: true}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if _, err := schema.LoadBytes("out.yaml", []byte(out)); err != nil {
		t.Errorf("output does not load: %v", err)
	}

	// The environment variable, and the options that skip work.
	t.Setenv("NEO4J_BOLT_URL", url)
	code, out, errOut = run(t, "inspect-database", "--label", prefix+"Person", "--label", prefix+"City",
		"--no-rel-props", "--no-rel-cardinality", "--package", "geo", "--sample", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "package: geo\n") || strings.Contains(out, "cardinality") || strings.Contains(out, "model:") ||
		!strings.Contains(out, "{to: "+prefix+"City, type: "+rel+", reverse: ") {
		t.Errorf("with options:\n%s", out)
	}
}

func TestInspectDatabaseWriteTo(t *testing.T) {
	url := testenv.URL(t)
	prefix := inspectData(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	dir := filepath.Join(t.TempDir(), "models")
	code, out, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--write-to", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	written := filepath.Join(dir, "schema.yaml")
	if out != "wrote "+written+"\n" {
		t.Errorf("stdout %q", out)
	}
	if _, err := schema.Load(written); err != nil {
		t.Errorf("written schema does not load: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "schema_gonode.go")); !os.IsNotExist(err) {
		t.Errorf("generated without --generate: %v", err)
	}

	code, out, errOut = run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--write-to", dir, "--generate", "--package", "inspected")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	gen := filepath.Join(dir, "schema_gonode.go")
	if out != "wrote "+written+"\nwrote "+gen+"\n" {
		t.Errorf("stdout %q", out)
	}
	content, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if !codegen.IsGenerated(content) || !strings.Contains(string(content), "\npackage inspected\n") ||
		!strings.Contains(string(content), prefix+"Person") {
		t.Errorf("generated file:\n%s", content[:min(len(content), 500)])
	}
}

func TestInspectDatabaseErrors(t *testing.T) {
	t.Setenv("NEO4J_BOLT_URL", "")
	web := httptest.NewServer(http.NotFoundHandler())
	defer web.Close()
	webAddr := strings.TrimPrefix(web.URL, "http://")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"inspect-database", "--db", "bolt://neo4j:topsecret@127.0.0.1:1"}, "database unavailable: bolt://neo4j:xxxxx@127.0.0.1:1"},
		{[]string{"inspect-database", "--db", "bolt://neo4j:topsecret@" + webAddr}, "database unavailable: bolt://neo4j:xxxxx@" + webAddr + ": not a Bolt server: no answer to the Bolt handshake"},
		{[]string{"inspect-database"}, "no database: pass --db URL or set NEO4J_BOLT_URL"},
		{[]string{"inspect-database", "--db", "http://x"}, `unsupported scheme "http"`},
		{[]string{"inspect-database", "--generate"}, "--generate needs --write-to DIR"},
		{[]string{"inspect-database", "--sample", "-1"}, "--sample must not be negative"},
		{[]string{"inspect-database", "extra"}, `unknown command "extra" for "gonode inspect-database"`},
		{[]string{"inspect-database", "--db", testenv.URL(t), "--label", "NoSuch" + strings.TrimPrefix(testenv.Label(t), "Test_")}, "no node has a label matching"},
		{[]string{"inspect-database", "--db", "bolt://neo4j:pw@127.0.0.1:1", "--package", "Bad-Name"}, `gonode: package "Bad-Name" is not a lower-case Go package name`},
		{[]string{"inspect-database", "--db", "bolt://neo4j:pw@127.0.0.1:1", "--package", "main"}, `package "main" cannot be used: a main package cannot be imported`},
	} {
		code, out, errOut := run(t, c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", c.args, code, out, errOut, c.want)
		}
		if strings.Contains(errOut, "topsecret") {
			t.Errorf("%v: stderr leaks the password: %q", c.args, errOut)
		}
	}
}

// TestInspectDatabaseHostileNames inspects nodes whose label, property keys
// and relationship type are not identifiers: the schema declares them (label:,
// db_property:, type:), not as comments, and the generated code compiles.
func TestInspectDatabaseHostileNames(t *testing.T) {
	url, prefix := testenv.URL(t), testPrefix(t)
	odd, emoji := prefix+" with space", prefix+" 😀"
	rel := "HAS PART " + prefix
	createGraph(t, "CREATE (:"+ogm.Quote(odd)+" {`a-b`: 'x', `1st`: 1, `display name`: 'd'})-[:"+ogm.Quote(rel)+"]->(:"+ogm.Quote(emoji)+" {name: 'n'})", odd, emoji)
	dir := inspectDir(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	code, _, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--write-to", dir, "--generate", "--package", "hostile")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	text := string(readFile(t, filepath.Join(dir, "schema.yaml")))
	for _, want := range []string{
		`{type: string, required: true, db_property: "a-b"}`,
		`{type: int, required: true, db_property: "1st"}`,
		`{type: string, required: true, db_property: "display name"}`,
		`label: "` + odd + `"`,
		`label: "` + emoji + `"`,
		`type: "` + rel + `"`,
	} {
		declared := false
		for _, line := range strings.Split(text, "\n") {
			if i := strings.Index(line, want); i >= 0 && !strings.Contains(line[:i], "#") {
				declared = true
			}
		}
		if !declared {
			t.Errorf("%q is not declared:\n%s", want, text)
		}
	}
	s, err := schema.Load(filepath.Join(dir, "schema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for _, n := range s.Roots()[0].Nodes {
		labels[n.DBLabel()] = true
	}
	if !labels[odd] || !labels[emoji] {
		t.Errorf("labels %v:\n%s", labels, text)
	}
	cmd := exec.Command("go", "vet", "./"+filepath.ToSlash(dir))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the generated code does not compile: %v\n%s", err, out)
	}
}

// testPrefix is a label prefix no other test uses.
func testPrefix(t *testing.T) string {
	return "Cli" + strings.TrimPrefix(testenv.Label(t), "Test_")
}

// createGraph runs the Cypher statement create on the test database, and
// deletes the nodes of labels (and their relationships) after the test.
func createGraph(t *testing.T, create string, labels ...string) {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	t.Cleanup(func() {
		for _, l := range labels {
			_, _ = db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") DETACH DELETE n", nil)
		}
	})
	if _, err := db.Cypher(ctx, create, nil); err != nil {
		t.Fatal(err)
	}
}

// inspectDir makes a directory for generated code under testdata (so that
// ./... patterns skip it) in this module (so that it compiles against this
// repository's ogm), removed after the test.
func inspectDir(t *testing.T) string {
	t.Helper()
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "inspect")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.RemoveAll(dir)
		os.Remove("testdata") // when empty
	})
	return dir
}

// TestInspectDatabaseLongAndControlNames inspects a label of 2,000
// characters, and a label, a relationship type and a property key holding
// a newline: inspect-database writes a schema that loads, keeps each stored
// name exactly, and the generated code reads the nodes, the property and
// the relationship back from the database.
func TestInspectDatabaseLongAndControlNames(t *testing.T) {
	url, prefix := testenv.URL(t), testPrefix(t)
	long := prefix + "Long"
	long += strings.Repeat("x", 2000-len(long))
	nl, rel, key := prefix+"\nNL", "REL\n"+strings.ToUpper(prefix), "k\ney"
	createGraph(t, "CREATE (:"+ogm.Quote(nl)+" {"+ogm.Quote(key)+": 'v'})-[:"+ogm.Quote(rel)+"]->(:"+ogm.Quote(long)+" {name: 'long'})", long, nl)
	dir := inspectDir(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	code, _, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--write-to", dir, "--generate", "--package", "control")
	if code != 0 {
		t.Fatalf("exit %d: %.2000s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("stderr %.500q", errOut)
	}
	s, err := schema.Load(filepath.Join(dir, "schema.yaml"))
	if err != nil {
		t.Fatalf("the schema does not load: %.2000v", err)
	}
	byLabel := map[string]*schema.Node{}
	for _, n := range s.Roots()[0].Nodes {
		byLabel[n.DBLabel()] = n
	}
	longNode, nlNode := byLabel[long], byLabel[nl]
	if longNode == nil || nlNode == nil {
		t.Fatalf("labels %q", slices.Collect(maps.Keys(byLabel)))
	}
	var prop *schema.Property
	for _, p := range nlNode.Properties {
		if p.DBName == key {
			prop = p
		}
	}
	if prop == nil || len(nlNode.Relationships) != 1 || nlNode.Relationships[0].Type != rel {
		t.Fatalf("node %s: properties %v, relationships %v", nlNode.Name, nlNode.Properties, nlNode.Relationships)
	}
	// The generated code reads them back.
	test := fmt.Sprintf(`package control

import (
	"context"
	"os"
	"testing"

	"github.com/gonode/gonode/ogm"
)

func TestReadBack(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, os.Getenv("NEO4J_BOLT_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	longs, err := %[1]sNodes(db).All(ctx)
	if err != nil || len(longs) != 1 {
		t.Fatalf("%[1]s: %%v %%v", longs, err)
	}
	nls, err := %[2]sNodes(db).All(ctx)
	if err != nil || len(nls) != 1 || nls[0].%[3]s != "v" {
		t.Fatalf("%[2]s: %%v %%v", nls, err)
	}
	targets, err := nls[0].%[4]s().All(ctx)
	if err != nil || len(targets) != 1 {
		t.Fatalf("%[4]s: %%v %%v", targets, err)
	}
}
`, longNode.Name, nlNode.Name, prop.GoName, nlNode.Relationships[0].GoName)
	if err := os.WriteFile(filepath.Join(dir, "readback_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "./"+filepath.ToSlash(dir))
	cmd.Env = append(os.Environ(), "NEO4J_BOLT_URL="+url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the generated code does not read the data back: %v\n%.3000s", err, out)
	}
}

// TestInspectDatabaseLeavesOutUnnamable inspects a label, a relationship
// type and a property key made of white space only, which no schema can
// name: inspect-database leaves each out (no node type stands for them
// under another label, no relationship under another type) and names each
// in a warning on stderr.
func TestInspectDatabaseLeavesOutUnnamable(t *testing.T) {
	url, prefix := testenv.URL(t), testPrefix(t)
	// White space that no other test uses: spelled after the prefix, which
	// is this test's own.
	var ws strings.Builder
	for i, r := range prefix {
		ws.WriteRune([]rune{' ', '\t', '\u2003', '\u3000'}[(int(r)+i)%4])
	}
	blank := ws.String()
	blankType, blankKey := blank+"\u2002", blank+"\u2009"
	createGraph(t, "CREATE (o:"+ogm.Quote(prefix+"Owner")+" {name: 'o', "+ogm.Quote(blankKey)+": 1})-[:"+ogm.Quote(blankType)+"]->(:"+ogm.Quote(blank)+" {name: 'b'}), "+
		"(o)-[:"+ogm.Quote("OWNS_"+strings.ToUpper(prefix))+"]->(:"+ogm.Quote(blank)+" {name: 'c'})", prefix+"Owner", blank)
	dir := inspectDir(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	code, _, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--label", blank, "--write-to", dir, "--generate", "--package", "blank")
	if code != 0 {
		t.Fatalf("exit %d: %.2000s", code, errOut)
	}
	for _, want := range []string{strconv.Quote(blank), strconv.Quote(blankType), strconv.Quote(blankKey)} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not name %s:\n%s", want, errOut)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
		if !strings.HasPrefix(line, "gonode: warning: ") {
			t.Errorf("stderr line %q is not a warning", line)
		}
	}
	s, err := schema.Load(filepath.Join(dir, "schema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	nodes := s.Roots()[0].Nodes
	if len(nodes) != 1 || nodes[0].DBLabel() != prefix+"Owner" {
		t.Fatalf("node types %v, want only %sOwner", nodes, prefix)
	}
	for _, p := range nodes[0].Properties {
		if p.DBName != "name" {
			t.Errorf("property %s stored as %q", p.Name, p.DBName)
		}
	}
	if rs := nodes[0].Relationships; len(rs) != 0 {
		t.Errorf("relationships %v: their targets are left out", rs)
	}
}

// TestInspectDatabaseWriteToAllOrNothing runs inspect-database --write-to
// D --generate where a later file cannot be written (a directory stands
// where the generated file goes) or must not be (a hand-written Go file
// has its name): it fails, and D is byte for byte as it was, schema.yaml
// included.
func TestInspectDatabaseWriteToAllOrNothing(t *testing.T) {
	url := testenv.URL(t)
	prefix := inspectData(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	for _, c := range []struct {
		name        string
		schema, gen string // what stands at schema.yaml and at schema_gonode.go: a file's text, or "dir"
		want        string
	}{
		{"directory", "package: old\n", "dir", "is a directory"},
		{"hand_written", "package: old\n", "package inspected\n\n// Hand-written.\n", "was not generated by gonode"},
		{"schema_directory", "dir", "", "is a directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, what := range map[string]string{"schema.yaml": c.schema, "schema_gonode.go": c.gen} {
				switch what {
				case "":
				case "dir":
					writeFile(t, filepath.Join(dir, name, "keep.txt"), "kept\n")
				default:
					writeFile(t, filepath.Join(dir, name), what)
				}
			}
			before := snapshot(t, dir)
			code, out, errOut := run(t, "inspect-database", "--db", url, "--label", prefix+"*", "--write-to", dir, "--generate", "--package", "inspected")
			if code != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, c.want)
			}
			if strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "gonode: gonode:") {
				t.Errorf("stderr is not one error line: %q", errOut)
			}
			if after := snapshot(t, dir); !sameSnapshot(before, after) {
				t.Errorf("the directory changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}
