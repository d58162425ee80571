package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/jsonschema"
	"github.com/gonode/gonode/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/*/golden")

// scenarios are the directories of testdata holding a schema.yaml: the
// root schema of a scenario (other files in it are imported), whose
// expected documents are in golden/.
func scenarios(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*", "schema.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	var dirs []string
	for _, f := range files {
		dirs = append(dirs, filepath.Dir(f))
	}
	return dirs
}

// load loads a scenario's root schema.
func load(t testing.TB, dir string) *schema.Schema {
	t.Helper()
	s, err := schema.Load(filepath.Join(dir, "schema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// generate loads and generates a scenario.
func generate(t testing.TB, dir string, opts jsonschema.Options) []jsonschema.Document {
	t.Helper()
	docs, err := jsonschema.Generate(load(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestGenerate compares the documents of each scenario with its golden
// files, one per document; go test -update rewrites them (and removes
// those no longer generated): read the diff.
func TestGenerate(t *testing.T) {
	for _, dir := range scenarios(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			docs := generate(t, dir, jsonschema.Options{})
			golden := filepath.Join(dir, "golden")
			want := map[string]bool{}
			for _, d := range docs {
				want[d.File] = true
				path := filepath.Join(golden, d.File)
				if *update {
					if err := os.MkdirAll(golden, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, d.Content, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				old, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%v (go test -update writes it)", err)
					continue
				}
				if !bytes.Equal(old, d.Content) {
					t.Errorf("%s differs from its golden file (go test -update rewrites it):\n%s", d.File, firstDiff(string(old), string(d.Content)))
				}
			}
			entries, _ := os.ReadDir(golden)
			for _, e := range entries {
				if !want[e.Name()] {
					if *update {
						os.Remove(filepath.Join(golden, e.Name()))
						continue
					}
					t.Errorf("golden/%s is no longer generated", e.Name())
				}
			}
		})
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n want: " + wl + "\n  got: " + gl
		}
	}
	return "(same lines)"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestGenerateTypes checks which types get a document: every type of the
// root file (abstract ones too), and only the imported ones a root type
// refers to.
func TestGenerateTypes(t *testing.T) {
	docs := generate(t, filepath.Join("testdata", "everything"), jsonschema.Options{})
	var names []string
	for _, d := range docs {
		names = append(names, d.Name)
		if d.File != d.Name+".schema.json" || d.ID != d.File {
			t.Errorf("%s: file %q, $id %q", d.Name, d.File, d.ID)
		}
		if (d.Node == nil) == (d.RelModel == nil) {
			t.Errorf("%s: node %v, model %v: want exactly one", d.Name, d.Node, d.RelModel)
		}
		if !jsonschema.IsGenerated(d.Content) {
			t.Errorf("%s: IsGenerated is false", d.Name)
		}
	}
	want := []string{
		"shop.Everything", "shop.Options", "shop.Person", "shop.Employee", "shop.City", "shop.Country",
		"shop.Named", "shop.Book", "shop.Document", "shop.Memo", "shop.Member", "shop.Knows",
		"auth.User", "auth.Group", "auth.Permission",
		"common.Tag", "common.Since",
	}
	if !slices.Equal(names, want) {
		t.Errorf("documents\n got %q\nwant %q", names, want)
	}
	if jsonschema.IsGenerated([]byte(`{"$comment": "hand-written"}`)) {
		t.Error("IsGenerated of a hand-written document")
	}
}

// TestGenerateDeterministic generates the scenario repeatedly: the same
// bytes every time.
func TestGenerateDeterministic(t *testing.T) {
	dir := filepath.Join("testdata", "everything")
	first := generate(t, dir, jsonschema.Options{})
	for range 20 {
		again := generate(t, dir, jsonschema.Options{})
		if len(again) != len(first) {
			t.Fatalf("%d documents, then %d", len(first), len(again))
		}
		for i := range first {
			if again[i].Name != first[i].Name || !bytes.Equal(again[i].Content, first[i].Content) {
				t.Fatalf("%s differs between two runs", first[i].Name)
			}
		}
	}
}

// TestBaseURL: with a base URL every $id is absolute, references stay
// relative; a base URL that is not absolute is refused.
func TestBaseURL(t *testing.T) {
	dir := filepath.Join("testdata", "everything")
	for _, base := range []string{"https://example.com/schemas/", "https://example.com/schemas"} {
		docs := generate(t, dir, jsonschema.Options{BaseURL: base})
		for _, d := range docs {
			var doc map[string]any
			if err := json.Unmarshal(d.Content, &doc); err != nil {
				t.Fatal(err)
			}
			if id := "https://example.com/schemas/" + d.File; doc["$id"] != id || d.ID != id {
				t.Errorf("%s: $id %v, ID %q; want %s", d.Name, doc["$id"], d.ID, id)
			}
		}
		if !bytes.Contains(docs[2].Content, []byte(`"$ref": "shop.City.schema.json"`)) {
			t.Errorf("Person's reference to City is not relative:\n%s", docs[2].Content)
		}
	}
	s := load(t, dir)
	for _, bad := range []string{"schemas/", "/schemas/", "https://example.com/s?x=1", "https://example.com/s#f", "mailto:x@example.com", "::"} {
		if _, err := jsonschema.Generate(s, jsonschema.Options{BaseURL: bad}); err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("base URL %q: %v", bad, err)
		}
	}
}

// TestGenerateErrors: what a document cannot say is an error at its
// position in the schema, every one at once, and no document is returned.
func TestGenerateErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{{
		"multi-line anchor inside",
		"package: p\nnodes:\n  A:\n    properties:\n      x: {type: string, pattern: \"a(?m)^b\"}\n      y: {type: \"[string]\", pattern: '(?m)^x|y$z'}\n      edges: {type: string, pattern: '(?m)x$|^y'}\n      ok: {type: string, pattern: '(?m)^a$'}\n",
		[]string{
			`p.yaml:5:34: pattern of property "x" cannot be written as a JSON Schema pattern: the multi-line anchors`,
			`p.yaml:6:38: pattern of property "y" cannot be written as a JSON Schema pattern`,
		},
	}, {
		"inherited pattern reported once",
		"package: p\nnodes:\n  A:\n    abstract: true\n    properties:\n      x: {type: string, pattern: \"a(?m)$b\"}\n  B: {extends: A}\n  C: {extends: A}\n",
		[]string{`p.yaml:6:34: pattern of property "x" cannot be written`},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := schema.LoadBytes("p.yaml", []byte(c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			docs, err := jsonschema.Generate(s, jsonschema.Options{})
			if docs != nil {
				t.Errorf("%d documents along with the error", len(docs))
			}
			var list schema.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T) is not a schema.ErrorList", err, err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(c.want) {
				t.Fatalf("%d errors, want %d:\n%v", len(lines), len(c.want), err)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, lines[i], w)
				}
			}
		})
	}
}

// TestGenerateCollision: two files with one package name and a type of
// the same name would write one document; the later is an error at its
// name.
func TestGenerateCollision(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("go.mod", "module example.com/x\n")
	write("other.yaml", "package: models\ngo_package: example.com/x/other\nnodes:\n  Thing:\n    label: OtherThing\n    properties:\n      a: {type: string}\n")
	root := write("models.yaml", "package: models\nimports:\n  other: other.yaml\nnodes:\n  Thing:\n    relationships:\n      r: {to: other.Thing, type: R}\n")
	s, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	_, err = jsonschema.Generate(s, jsonschema.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "other.yaml")+":4:3: models.Thing would be written as models.Thing.schema.json, as the type at "+root+":5:3 is") {
		t.Errorf("error %v", err)
	}
}

// TestBundle: the bundle holds each document, as it is, under its name.
func TestBundle(t *testing.T) {
	docs := generate(t, filepath.Join("testdata", "everything"), jsonschema.Options{})
	b, err := jsonschema.Bundle(docs)
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Schema string                     `json:"$schema"`
		Defs   map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatal(err)
	}
	if bundle.Schema != jsonschema.Draft || len(bundle.Defs) != len(docs) || !jsonschema.IsGenerated(b) {
		t.Fatalf("$schema %q, %d definitions for %d documents", bundle.Schema, len(bundle.Defs), len(docs))
	}
	for _, d := range docs {
		var want, got bytes.Buffer
		json.Compact(&want, d.Content)
		json.Compact(&got, bundle.Defs[d.Name])
		if want.String() != got.String() {
			t.Errorf("%s in the bundle differs from its document", d.Name)
		}
	}
}
