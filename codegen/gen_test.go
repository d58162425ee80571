package codegen

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/schema"
	"github.com/gonode/gonode/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/gen")

// genScenarios returns the scenario directories of testdata/gen.
func genScenarios(t testing.TB) []string {
	return testenv.Scenarios(t, filepath.Join("testdata", "gen"))
}

// generateScenario loads and generates every schema of a scenario.
func generateScenario(t testing.TB, dir string) (*schema.Schema, []OutputFile) {
	t.Helper()
	s, err := schema.Load(testenv.ScenarioSchemas(t, dir)...)
	if err != nil {
		t.Fatalf("schema errors:\n%v", err)
	}
	files, err := Generate(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, files
}

// TestGenerate compares the files generated for each testdata/gen scenario
// (every *.yaml below its directory is a root) with the files committed
// next to them, which are the package of that directory in the module of
// testdata/gen (TestGeneratedCode builds and tests it), and the runtime
// view of each schema with its <schema>_runtime.json. go test -update
// rewrites them.
func TestGenerate(t *testing.T) {
	for _, dir := range genScenarios(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, files := generateScenario(t, dir)
			want := map[string]bool{}
			for _, f := range files {
				if !IsGenerated(f.Content) {
					t.Errorf("%s does not start with the generated header", f.Path)
				}
				checkGenerated(t, f)
				want[f.Path] = true
				goldenBytes(t, f.Path, f.Content)
				runtime, err := json.MarshalIndent(s.File(f.Schema).RuntimeSchema(), "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				goldenBytes(t, runtimeJSON(f), append(runtime, '\n'))
			}
			noStaleFiles(t, dir, want)
		})
	}
	t.Run("starter", func(t *testing.T) {
		s, f := starterFile(t)
		checkGenerated(t, f)
		goldenBytes(t, f.Path, f.Content)
		runtime, err := json.MarshalIndent(s.File(f.Schema).RuntimeSchema(), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		goldenBytes(t, runtimeJSON(f), append(runtime, '\n'))
	})
	t.Run("schemacheck", checkSchemaCheckList)
}

// checkSchemaCheckList fails unless the module's schemacheck test lists
// the runtime view of every generated package of testdata/gen.
func checkSchemaCheckList(t *testing.T) {
	listed, err := os.ReadFile(filepath.Join("testdata", "gen", "schemacheck", "schemacheck_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("testdata", "gen")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, "_runtime.json") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(root, "schemacheck"), path)
		if !strings.Contains(string(listed), strconv.Quote(filepath.ToSlash(rel))) {
			t.Errorf("testdata/gen/schemacheck does not check %s: add its package to the list", path)
		}
		return nil
	})
}

// runtimeJSON is the golden of the runtime view of f's schema: what the
// generated package's Schema variable must marshal to (checked in the
// module by schemacheck).
func runtimeJSON(f OutputFile) string {
	return strings.TrimSuffix(f.Path, GeneratedSuffix) + "_runtime.json"
}

// noStaleFiles fails for generated files below dir that the scenario no
// longer produces (-update removes them).
func noStaleFiles(t *testing.T, dir string, want map[string]bool) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, GeneratedSuffix) || want[path] {
			return err
		}
		if *update {
			os.Remove(path)
			os.Remove(strings.TrimSuffix(path, GeneratedSuffix) + "_runtime.json")
		} else {
			t.Errorf("%s is not generated any more (run go test -update to remove it)", path)
		}
		return nil
	})
}

// starterFile is the code generated from gonode init's starter schema, in
// testdata/gen/starter.
func starterFile(t *testing.T) (*schema.Schema, OutputFile) {
	t.Helper()
	text, err := templates.Starter("starter")
	if err != nil {
		t.Fatal(err)
	}
	// Loaded as if it were in testdata/gen/starter, where its code goes.
	s, err := schema.LoadBytes(filepath.Join("testdata", "gen", "starter", "starter.yaml"), text)
	if err != nil {
		t.Fatalf("starter schema:\n%v", err)
	}
	files, err := Generate(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, files[0]
}

// goldenBytes compares got with the golden file, or rewrites it with -update.
func goldenBytes(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, w, g)
		}
	}
	return "(same lines)"
}

// checkGenerated checks properties every generated file has: the header,
// the package clause, and a doc comment on every exported name (types,
// functions, methods, variables, struct fields).
func checkGenerated(t *testing.T, f OutputFile) {
	t.Helper()
	text := string(f.Content)
	if !strings.HasPrefix(text, GeneratedHeader+"\n") {
		t.Errorf("%s: no header", f.Path)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, f.Path, f.Content, parser.ParseComments)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	if file.Name.Name != f.Package || file.Doc == nil {
		t.Errorf("%s: package %s, doc %v", f.Path, file.Name.Name, file.Doc != nil)
	}
	missing := func(pos token.Pos, name string) {
		t.Errorf("%s: exported %s has no doc comment", fset.Position(pos), name)
	}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && d.Doc == nil {
				missing(d.Pos(), d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					if sp.Name.IsExported() && d.Doc == nil && sp.Doc == nil {
						missing(sp.Pos(), sp.Name.Name)
					}
					if st, ok := sp.Type.(*ast.StructType); ok {
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								if n.IsExported() && fl.Doc == nil {
									missing(n.Pos(), sp.Name.Name+"."+n.Name)
								}
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if n.IsExported() && sp.Doc == nil && (d.Doc == nil || d.Lparen.IsValid()) {
							missing(n.Pos(), n.Name)
						}
					}
				}
			}
		}
	}
}

// TestGenerateDeterministic generates every scenario (and the auth schema)
// twice from freshly loaded schemas: the bytes are the same.
func TestGenerateDeterministic(t *testing.T) {
	dirs := genScenarios(t)
	for _, dir := range dirs {
		_, a := generateScenario(t, dir)
		_, b := generateScenario(t, dir)
		if len(a) != len(b) {
			t.Fatalf("%s: %d files then %d", dir, len(a), len(b))
		}
		for i := range a {
			if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
				t.Errorf("%s: %s differs between two runs", dir, a[i].Path)
			}
		}
	}
	gen := func() []byte {
		s, err := schema.LoadBytes(schema.AuthPath, schema.Auth)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Generate(s, Options{OutDir: "out"})
		if err != nil {
			t.Fatal(err)
		}
		return files[0].Content
	}
	if !bytes.Equal(gen(), gen()) {
		t.Error("auth schema generates different bytes twice")
	}
}

// TestGenerateOutputs covers where files go and the errors of Generate.
func TestGenerateOutputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a/models.yaml", "package: a\n")
	b := write("b/bee.yml", "package: b\n")
	c := write("c/other.yaml", "package: a\n")
	s, err := schema.Load(a, b)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if files[0].Path != filepath.Join(dir, "a", "models_gonode.go") || files[1].Path != filepath.Join(dir, "b", "bee_gonode.go") {
		t.Errorf("paths %s %s", files[0].Path, files[1].Path)
	}
	if got := GeneratedSource(files[0].Content); got != "models.yaml" {
		t.Errorf("source %q", got)
	}
	out := filepath.Join(dir, "out")
	files, err = Generate(s, Options{OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "different packages into one directory") {
		t.Errorf("two packages into one -o directory: %v", err)
	}
	s, _ = schema.Load(a, c)
	files, err = Generate(s, Options{OutDir: out})
	if err != nil || len(files) != 2 || files[1].Path != filepath.Join(out, "other_gonode.go") {
		t.Fatalf("%v %v", files, err)
	}
	if got := GeneratedSource(files[1].Content); got != "../c/other.yaml" {
		t.Errorf("source %q", got)
	}
	d := write("d/models.yaml", "package: a\n")
	s, _ = schema.Load(a, d)
	if _, err := Generate(s, Options{OutDir: out}); err == nil || !strings.Contains(err.Error(), "would both generate") {
		t.Errorf("same output twice: %v", err)
	}
	if _, err := Generate(nil, Options{}); err == nil {
		t.Error("nil schema")
	}
	if IsGenerated([]byte("package x\n")) || GeneratedSource([]byte("package x\n")) != "" {
		t.Error("a hand-written file is taken for a generated one")
	}
	// The builtin auth schema, loaded as a root, goes to auth_gonode.go.
	s, err = schema.LoadBytes(schema.AuthPath, schema.Auth)
	if err != nil {
		t.Fatal(err)
	}
	files, _ = Generate(s, Options{})
	if files[0].Path != "auth_gonode.go" || GeneratedSource(files[0].Content) != "builtin:auth" {
		t.Errorf("builtin: %s %q", files[0].Path, GeneratedSource(files[0].Content))
	}
}

func TestCommentWrap(t *testing.T) {
	got := comment(0, strings.Repeat("word ", 30), "", "second\n  kept as is")
	for _, l := range strings.Split(got, "\n") {
		if len(l) > commentWidth {
			t.Errorf("line too long: %q", l)
		}
		if !strings.HasPrefix(l, "//") {
			t.Errorf("not a comment line: %q", l)
		}
	}
	if !strings.HasSuffix(got, "//\n// second\n//   kept as is") {
		t.Errorf("%q", got)
	}
	if helpPara("x") != "x." || helpPara("Done.") != "Done." || helpPara(" ") != "" {
		t.Error("helpPara")
	}
}

// TestGeneratedCode vets the module of testdata/gen (the generated code
// of every scenario, committed, with real tests of the generated API next
// to it) and runs its tests against the real database: every property type
// is written and read back, relationships of every kind are connected and
// fetched, and each package's Schema variable is its schema's runtime view.
// TestGenerate keeps the generated files current first.
func TestGeneratedCode(t *testing.T) {
	dir := filepath.Join("testdata", "gen")
	env := []string{"GOFLAGS=-mod=readonly"}
	t.Run("vet", func(t *testing.T) { testenv.GoCmd(t, dir, env, "vet", "./...") })
	t.Run("roundtrip", func(t *testing.T) {
		url := testenv.URL(t)
		testenv.GoCmd(t, dir, append(env, "NEO4J_BOLT_URL="+url), "test", "-count=1", "-p", "1", "./...")
	})
}

// BenchmarkGenerate200 generates a schema of 200 node types (each with
// properties of several types, relationships with and without a model, a
// reverse accessor, and every fourth extending another).
func BenchmarkGenerate200(b *testing.B) {
	s, err := schema.LoadBytes("bench.yaml", bench200())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		files, err := Generate(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(files[0].Content)
	}
	b.ReportMetric(float64(size), "bytes/file")
}

// bench200 is the text of a schema of 200 node types.
func bench200() []byte {
	var b strings.Builder
	b.WriteString("package: bench\nnodes:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "  Node%d:\n", i)
		if i%4 == 3 {
			fmt.Fprintf(&b, "    extends: Node%d\n", i-1)
		}
		fmt.Fprintf(&b, "    properties:\n")
		fmt.Fprintf(&b, "      name%d: {type: string, required: true, max_length: 50}\n", i)
		fmt.Fprintf(&b, "      age%d: {type: int, min: 0, default: 1}\n", i)
		fmt.Fprintf(&b, "      tags%d: {type: \"[string]\", choices: [a, b, c]}\n", i)
		fmt.Fprintf(&b, "      seen%d: {type: datetime, default: now}\n", i)
		fmt.Fprintf(&b, "      doc%d: {type: json}\n", i)
		fmt.Fprintf(&b, "    relationships:\n")
		fmt.Fprintf(&b, "      next%d: {to: Node%d, type: NEXT, reverse: prev%d}\n", i, (i+1)%200, i)
		fmt.Fprintf(&b, "      link%d: {to: Node%d, type: LINK, model: Link, cardinality: zero_or_one}\n", i, (i*7)%200)
	}
	b.WriteString("relationships:\n  Link:\n    properties:\n      weight: {type: float, min: 0}\n")
	return []byte(b.String())
}

// TestCommittedCodeUpToDate regenerates, in memory, every generated
// package committed in this repository and fails when a committed file
// differs. It finds them by their "// gonode source:" line (outside
// testdata, whose scenarios TestGenerate checks), so a new one is covered
// without being listed.
func TestCommittedCodeUpToDate(t *testing.T) {
	root := filepath.Join("..")
	var found []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "target") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, GeneratedSuffix) {
			return nil
		}
		committed, err := os.ReadFile(path)
		if err != nil || !IsGenerated(committed) {
			return err
		}
		found = append(found, path)
		checkCommitted(t, path, committed)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The packages this repository is known to commit: the walk must see them.
	for _, want := range []string{"auth/auth_gonode.go", "ogm/internal/example/people/schema_gonode.go", "examples/quickstart/people/schema_gonode.go"} {
		if !slices.Contains(found, filepath.Join(root, want)) {
			t.Errorf("the walk did not find %s among %v", want, found)
		}
	}
}

// checkCommitted regenerates the committed generated file at path from the
// schema its source line names, into path's directory, and compares.
func checkCommitted(t *testing.T, path string, committed []byte) {
	t.Helper()
	dir := filepath.Dir(path)
	src := GeneratedSource(committed)
	schemaPath := filepath.Join(dir, filepath.FromSlash(src))
	var s *schema.Schema
	var err error
	if src == schema.AuthPath {
		s, err = schema.LoadBytes(schema.AuthPath, schema.Auth)
	} else {
		s, err = schema.Load(schemaPath)
	}
	fix := "go generate ./" + filepath.ToSlash(strings.TrimPrefix(dir, ".."+string(filepath.Separator)))
	if err != nil {
		t.Errorf("%s names the schema %s, which does not load (remove the file if the schema is gone):\n%v", path, src, err)
		return
	}
	files, err := Generate(s, Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if filepath.Clean(f.Path) != filepath.Clean(path) {
			continue
		}
		if !bytes.Equal(committed, f.Content) {
			t.Errorf("%s is out of date with %s (%s); run from the repository root: %s",
				path, src, firstDiff(string(committed), string(f.Content)), fix)
		}
		return
	}
	t.Errorf("%s says it is generated from %s, which does not generate it; run: %s", path, src, fix)
}

// TestGeneratedSourceControlChars generates from a schema file whose name
// holds a newline, a carriage return, a tab and another control character:
// the header comment and the package doc write the name escaped, the file
// still compiles, and GeneratedSource reads the same file name back.
func TestGeneratedSourceControlChars(t *testing.T) {
	dir := t.TempDir()
	name := "we\nird\rna\tme\x01.yaml"
	path := filepath.Join(dir, "schemas", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "package: weird\nnodes:\n  Person:\n    properties:\n      name: {type: string}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := schema.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "mod", "weird")
	files, err := Generate(s, Options{OutDir: out})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	content := files[0].Content
	checkGenerated(t, files[0])
	for i, line := range strings.Split(string(content), "\n") {
		if strings.ContainsAny(line, "\r\x01") {
			t.Errorf("line %d holds a raw control character: %q", i+1, line)
		}
	}
	src := GeneratedSource(content)
	if want := "../../schemas/" + name; src != want {
		t.Errorf("GeneratedSource = %q, want %q", src, want)
	}
	if got := filepath.Join(out, filepath.FromSlash(src)); got != path {
		t.Errorf("the source does not lead back to the schema: %q", got)
	}
	// It compiles: a module next to it, built against this checkout.
	mod := filepath.Dir(out)
	gomod := "module example.com/weird\n\ngo 1.26.0\n\nrequire github.com/gonode/gonode v0.0.0\n\nreplace github.com/gonode/gonode => " + testenv.RepoRoot() + "\n"
	sum, err := os.ReadFile(filepath.Join("testdata", "gen", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, data := range map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, "weird/models_gonode.go": content} {
		if err := os.WriteFile(filepath.Join(mod, filepath.FromSlash(file)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testenv.GoCmd(t, mod, nil, "vet", "./...")
}
