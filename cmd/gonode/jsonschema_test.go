package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/jsonschema"
	"github.com/gonode/gonode/schema"
)

// jsonschemaScenario is the schema of package jsonschema's golden test:
// every property type, inheritance, relationship models and imports.
var jsonschemaScenario = filepath.Join("..", "..", "jsonschema", "testdata", "everything", "schema.yaml")

// scenarioDocs are the documents of the scenario, as package jsonschema
// renders them.
func scenarioDocs(t *testing.T) []jsonschema.Document {
	t.Helper()
	s, err := schema.Load(jsonschemaScenario)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := jsonschema.Generate(s, jsonschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestJSONSchemaStdout: without -o the bundle goes to stdout, and nothing
// is written.
func TestJSONSchemaStdout(t *testing.T) {
	before := dirNames(t, filepath.Dir(jsonschemaScenario))
	code, out, errOut := run(t, "jsonschema", jsonschemaScenario)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want, err := jsonschema.Bundle(scenarioDocs(t))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("stdout is not the bundle:\n%.500s", out)
	}
	if after := dirNames(t, filepath.Dir(jsonschemaScenario)); !slices.Equal(before, after) {
		t.Errorf("files written next to the schema: %v", after)
	}
}

// TestJSONSchemaDir: -o writes one file per document (creating the
// directory), rewrites only what changed, removes the documents of the
// schema's package that are no longer produced, and leaves everything else
// alone.
func TestJSONSchemaDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "api", "schemas")
	code, out, errOut := run(t, "jsonschema", "-o", dir, jsonschemaScenario)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	docs := scenarioDocs(t)
	var wrote []string
	for _, d := range docs {
		if got := readFile(t, filepath.Join(dir, d.File)); !bytes.Equal(got, d.Content) {
			t.Errorf("%s differs from the document", d.File)
		}
		wrote = append(wrote, "wrote "+filepath.Join(dir, d.File))
	}
	if got := strings.Split(strings.TrimSpace(out), "\n"); !slices.Equal(got, wrote) {
		t.Errorf("stdout\n%s\nwant\n%s", out, strings.Join(wrote, "\n"))
	}
	if n := len(dirNames(t, dir)); n != len(docs) {
		t.Errorf("%d files for %d documents", n, len(docs))
	}

	// A second run changes nothing and says nothing.
	before := snapshot(t, dir)
	if code, out, errOut := run(t, "jsonschema", "-o", dir, jsonschemaScenario); code != 0 || out != "" || errOut != "" {
		t.Fatalf("second run: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !sameSnapshot(before, snapshot(t, dir)) {
		t.Error("second run changed the directory")
	}

	// A changed document is rewritten; a document of the package no
	// longer produced is removed; one of an imported package, a file
	// gonode did not write and other files stay.
	person := filepath.Join(dir, "shop.Person.schema.json")
	gone := filepath.Join(dir, "shop.Gone.schema.json")
	authGone := filepath.Join(dir, "auth.Gone.schema.json")
	mine := filepath.Join(dir, "shop.Mine.schema.json")
	notes := filepath.Join(dir, "README.md")
	old := readFile(t, filepath.Join(dir, "shop.City.schema.json"))
	os.WriteFile(person, bytes.Replace(old, []byte(`"title": "City"`), []byte(`"title": "Old"`), 1), 0o644)
	writeFile(t, gone, string(old))
	writeFile(t, authGone, string(old))
	writeFile(t, mine, `{"$comment": "mine"}`)
	writeFile(t, notes, "notes\n")
	code, out, errOut = run(t, "jsonschema", "-o", dir, jsonschemaScenario)
	if want := "wrote " + person + "\nremoved " + gone + "\n"; code != 0 || out != want || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want stdout %q", code, out, errOut, want)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("%s not removed: %v", gone, err)
	}
	for _, keep := range []string{authGone, mine, notes} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s removed: %v", keep, err)
		}
	}
	for _, d := range docs {
		if got := readFile(t, filepath.Join(dir, d.File)); !bytes.Equal(got, d.Content) {
			t.Errorf("%s differs from the document", d.File)
		}
	}
}

// TestJSONSchemaNothingWritten: a failure leaves the output directory as
// it was: a document that would replace a file gonode did not write, or a
// directory, fails the whole run before anything is written.
func TestJSONSchemaNothingWritten(t *testing.T) {
	for name, setup := range map[string]func(dir string) string{
		"hand-written file": func(dir string) string {
			writeFile(t, filepath.Join(dir, "shop.Person.schema.json"), `{"title": "my own"}`)
			return "shop.Person.schema.json exists and was not written by gonode jsonschema"
		},
		"directory": func(dir string) string {
			writeFile(t, filepath.Join(dir, "shop.Person.schema.json", "x"), "x")
			return "shop.Person.schema.json is a directory"
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			// An earlier run's output, one document of it since edited.
			if code, _, errOut := run(t, "jsonschema", "-o", dir, jsonschemaScenario); code != 0 {
				t.Fatal(errOut)
			}
			city := filepath.Join(dir, "shop.City.schema.json")
			content := readFile(t, city)
			os.WriteFile(city, bytes.Replace(content, []byte(`"title": "City"`), []byte(`"title": "Old"`), 1), 0o644)
			os.Remove(filepath.Join(dir, "shop.Person.schema.json"))
			want := setup(dir)
			before := snapshot(t, dir)
			code, out, errOut := run(t, "jsonschema", "-o", dir, jsonschemaScenario)
			if code != 1 || out != "" || !strings.Contains(errOut, want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, want)
			}
			if !sameSnapshot(before, snapshot(t, dir)) {
				t.Error("the output directory changed")
			}
		})
	}
}

// TestJSONSchemaBadInput runs gonode jsonschema on every malformed schema
// of TestGenerateBadInput (the loader's error scenarios and the made-up
// ones), and on schemas only jsonschema refuses: exit status 1, every
// error as file:line:col (at the positions the loader's goldens give),
// nothing on stdout, and an output directory that a successful run filled
// before left exactly as it was.
func TestJSONSchemaBadInput(t *testing.T) {
	root := t.TempDir()
	testdata := filepath.Join("..", "..", "schema", "testdata")
	if err := os.CopyFS(filepath.Join(root, "testdata"), os.DirFS(testdata)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "go.mod"), "module example.com/badinput\n")
	schemas := filepath.Join(root, "testdata", "errors")
	type bad struct {
		name, golden string
	}
	var cases []bad
	goldens, _ := filepath.Glob(filepath.Join(testdata, "errors", "*.golden"))
	for _, g := range goldens {
		cases = append(cases, bad{strings.TrimSuffix(filepath.Base(g), ".golden"), string(readFile(t, g))})
	}
	inputs := badInputs()
	// Valid schemas whose documents cannot be written.
	inputs["x_jsonschema_line_anchor"] = []byte("package: p\nnodes:\n  A:\n    properties:\n      x: {type: string, pattern: 'a(?m)^b'}\n      y: {type: string, pattern: \"(?m)x$y\"}\n")
	inputs["x_jsonschema_rel_key"] = []byte("package: p\nnodes:\n  A:\n    relationships:\n      r: {to: A, type: R, model: M}\nrelationships:\n  M:\n    properties:\n      end_element_id: {type: string}\n")
	for name, data := range inputs {
		writeFile(t, filepath.Join(schemas, name+".yaml"), string(data))
		cases = append(cases, bad{name: name})
	}
	if len(cases) < 50 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	const valid = "package: models\nnodes:\n  Thing:\n    properties:\n      name: {type: string}\n"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(schemas, c.name+".yaml")
			badText := readFile(t, path)
			out := filepath.Join(root, "out", c.name)
			writeFile(t, path, valid)
			if code, _, errOut := run(t, "jsonschema", "-o", out, path); code != 0 {
				t.Fatalf("valid version: exit %d: %s", code, errOut)
			}
			if err := os.WriteFile(path, badText, 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, out)
			schemasBefore := dirNames(t, schemas)
			for _, args := range [][]string{{"jsonschema", "-o", out, path}, {"jsonschema", path}} {
				code, stdout, stderr := run(t, args...)
				if code != 1 || stdout != "" {
					t.Fatalf("%v: exit %d, stdout %.300q, stderr %.300q; want 1 and no output", args, code, stdout, stderr)
				}
				checkErrorLines(t, stderr)
				if c.golden != "" {
					got := strings.ReplaceAll(strings.TrimPrefix(stderr, "gonode: "), root+string(filepath.Separator), "")
					if g, w := positions(got), positions(c.golden); !slices.Equal(g, w) {
						t.Errorf("error positions differ from %s.golden:\n got: %q\nwant: %q", c.name, g, w)
					}
				}
			}
			if !sameSnapshot(before, snapshot(t, out)) {
				t.Error("output directory changed")
			}
			if after := dirNames(t, schemas); !slices.Equal(schemasBefore, after) {
				t.Error("files added or removed next to the schema")
			}
		})
	}
}

// TestJSONSchemaErrorPositions: the errors only jsonschema finds point at
// the pattern, or the property, in the schema file.
func TestJSONSchemaErrorPositions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "models.yaml")
	writeFile(t, path, "package: p\nnodes:\n  A:\n    properties:\n      ok: {type: string, pattern: '(?i)^[a-z]+$'}\n      x: {type: string, pattern: 'a(?m)^b'}\n      y:\n        type: string\n        pattern: \"(?m)x$y\"\n")
	code, out, errOut := run(t, "jsonschema", "-o", filepath.Join(dir, "out"), path)
	want := "gonode: " + path + `:6:34: pattern of property "x" cannot be written as a JSON Schema pattern: the multi-line anchors`
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != 1 || out != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], want) || !strings.HasPrefix(lines[1], path+":9:18: ") {
		t.Fatalf("exit %d, stdout %q, stderr\n%s\nwant 2 lines, the first\n%s…", code, out, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("output directory made: %v", err)
	}
}

// TestJSONSchemaFlags: --base-url sets the $ids; a relative one is a usage
// error; no schema is a usage error.
func TestJSONSchemaFlags(t *testing.T) {
	code, out, errOut := run(t, "jsonschema", "--base-url", "https://example.com/api", jsonschemaScenario)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var bundle struct {
		Defs map[string]struct {
			ID string `json:"$id"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal([]byte(out), &bundle); err != nil {
		t.Fatal(err)
	}
	if id := bundle.Defs["auth.User"].ID; id != "https://example.com/api/auth.User.schema.json" {
		t.Errorf("auth.User $id %q", id)
	}
	for _, args := range [][]string{
		{"jsonschema", "--base-url", "schemas/", jsonschemaScenario},
		{"jsonschema"},
	} {
		code, out, errOut := run(t, args...)
		if code != 1 || out != "" || !strings.HasPrefix(errOut, "gonode: ") {
			t.Errorf("%v: exit %d, stdout %.100q, stderr %q", args, code, out, errOut)
		}
	}
}
