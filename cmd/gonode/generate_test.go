package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
)

const goodSchema = `package: shop
nodes:
  Product:
    properties:
      sku: {type: string, required: true, unique: true}
      price: {type: float, min: 0}
    relationships:
      maker: {to: Maker, type: MADE_BY, cardinality: one, reverse: products}
  Maker:
    properties:
      name: {type: string}
`

// badSchema has three errors.
const badSchema = `package: shop
nodes:
  Product:
    properties:
      sku: {type: strng}
      price: {type: float, min: 0, max_lenght: 3}
    relationships:
      maker: {to: Makr, type: MADE_BY}
`

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// expected renders schema the way generate should, in memory.
func expected(t *testing.T, outDir string, schemas ...string) map[string][]byte {
	t.Helper()
	s, err := schema.Load(schemas...)
	if err != nil {
		t.Fatal(err)
	}
	files, err := codegen.Generate(s, codegen.Options{OutDir: outDir})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestGenerateWritesFiles(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "shop.yaml")
	writeFile(t, schema, goodSchema)
	code, out, errOut := run(t, "generate", schema)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	target := filepath.Join(dir, "shop_gonode.go")
	if !strings.Contains(out, "wrote "+target) {
		t.Errorf("stdout %q", out)
	}
	if got := readFile(t, target); !bytes.Equal(got, expected(t, "", schema)[target]) {
		t.Error("written file differs from codegen.Generate")
	}
	if names := dirNames(t, dir); strings.Join(names, " ") != "shop.yaml shop_gonode.go" {
		t.Errorf("files %v (temporary files left?)", names)
	}
	// A second run changes nothing and says nothing.
	st1, _ := os.Stat(target)
	code, out, errOut = run(t, "generate", schema)
	st2, _ := os.Stat(target)
	if code != 0 || out != "" || errOut != "" || !st1.ModTime().Equal(st2.ModTime()) {
		t.Fatalf("second run: exit %d, stdout %q, stderr %q, rewritten %v", code, out, errOut, !st1.ModTime().Equal(st2.ModTime()))
	}
}

func TestGenerateOutDir(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "schemas", "a.yaml")
	b := filepath.Join(dir, "schemas", "b.yaml")
	writeFile(t, a, goodSchema)
	writeFile(t, b, "package: shop\nnodes:\n  Other: {}\n")
	out := filepath.Join(dir, "gen", "shop")
	code, _, errOut := run(t, "generate", "-o", out, a, b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := expected(t, out, a, b)
	if len(want) != 2 {
		t.Fatal(want)
	}
	for path, content := range want {
		if !bytes.Equal(readFile(t, path), content) {
			t.Errorf("%s differs", path)
		}
	}
	if !strings.Contains(string(readFile(t, filepath.Join(out, "a_gonode.go"))), "// gonode source: ../../schemas/a.yaml\n") {
		t.Error("source line")
	}
}

// TestGenerateRelativePaths runs generate as go:generate does: from the
// package directory, with paths relative to it.
func TestGenerateRelativePaths(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "models", "schema.yaml"), goodSchema)
	t.Chdir(filepath.Join(dir, "models"))
	code, out, errOut := run(t, "generate", "schema.yaml")
	if code != 0 || out != "wrote schema_gonode.go\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Running from elsewhere gives the same bytes.
	t.Chdir(dir)
	if code, _, _ := run(t, "generate", "--check", filepath.Join("models", "schema.yaml")); code != 0 {
		t.Fatal("the file generated from another directory differs")
	}
}

func TestGenerateSchemaErrorsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "shop.yaml")
	other := filepath.Join(dir, "other.yaml")
	writeFile(t, schema, goodSchema)
	writeFile(t, other, "package: other\n")
	if code, _, errOut := run(t, "generate", schema); code != 0 {
		t.Fatal(errOut)
	}
	target := filepath.Join(dir, "shop_gonode.go")
	before := readFile(t, target)
	writeFile(t, schema, badSchema)
	// other.yaml is valid, but nothing is written when any schema fails.
	code, out, errOut := run(t, "generate", other, schema)
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "gonode: ") {
		t.Fatalf("stderr %q", errOut)
	}
	lines[0] = strings.TrimPrefix(lines[0], "gonode: ")
	pos := regexp.MustCompile(`^` + regexp.QuoteMeta(schema) + `:\d+:\d+: `)
	for _, l := range lines {
		if !pos.MatchString(l) {
			t.Errorf("not a file:line:col: message line: %q", l)
		}
	}
	for _, want := range []string{`did you mean "string"?`, `did you mean "max_length"?`, `Makr`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if !bytes.Equal(readFile(t, target), before) {
		t.Error("the existing output was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "other_gonode.go")); err == nil {
		t.Error("the valid schema's file was written")
	}
	if names := dirNames(t, dir); len(names) != 3 {
		t.Errorf("files %v", names)
	}
	// A missing schema is an error too.
	if code, _, errOut := run(t, "generate", filepath.Join(dir, "missing.yaml")); code != 1 || !strings.Contains(errOut, "missing.yaml:1:1: cannot read schema: file not found") {
		t.Errorf("missing schema: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "generate"); code != 1 || !strings.Contains(errOut, "requires at least 1 arg") {
		t.Errorf("no schema: %d %q", code, errOut)
	}
}

func TestGenerateCheck(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "shop.yaml")
	writeFile(t, schema, goodSchema)
	target := filepath.Join(dir, "shop_gonode.go")
	// Missing output: out of date, nothing written.
	code, out, errOut := run(t, "generate", "--check", schema)
	if code != 1 || out != "" || errOut != "gonode: out of date: "+target+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("--check wrote a file")
	}
	run(t, "generate", schema)
	if code, out, errOut := run(t, "generate", "--check", schema); code != 0 || out != "" || errOut != "" {
		t.Fatalf("up to date: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A changed schema and a stale generated file: both listed, neither
	// touched.
	before := readFile(t, target)
	writeFile(t, schema, strings.Replace(goodSchema, "price", "cost", 1))
	stale := filepath.Join(dir, "old_gonode.go")
	writeFile(t, stale, codegen.GeneratedHeader+"\n// gonode source: old.yaml\n\npackage shop\n")
	code, _, errOut = run(t, "generate", "--check", schema)
	want := "gonode: out of date: " + target + "\ngonode: out of date: " + stale + " (no longer generated)\n"
	if code != 1 || errOut != want {
		t.Fatalf("exit %d, stderr %q, want %q", code, errOut, want)
	}
	if !bytes.Equal(readFile(t, target), before) {
		t.Error("--check changed the output")
	}
	if _, err := os.Stat(stale); err != nil {
		t.Error("--check removed a file")
	}
}

func TestGenerateRemovesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "shop.yaml")
	writeFile(t, schema, goodSchema)
	writeFile(t, filepath.Join(dir, "other.yaml"), "package: shop\n")
	files := map[string]string{
		// generated from a schema that no longer exists: removed
		"renamed_gonode.go": codegen.GeneratedHeader + "\n// gonode source: renamed.yaml\n\npackage shop\n",
		// generated by gonode, no source recorded: removed
		"legacy.go": codegen.GeneratedHeader + "\n\npackage shop\n",
		// generated from another schema that still exists: kept (its own
		// generate command owns it)
		"other_gonode.go": codegen.GeneratedHeader + "\n// gonode source: other.yaml\n\npackage shop\n",
		// hand-written: kept
		"hand.go": "package shop\n",
		// generated by another tool: kept
		"tool.go": "// Code generated by stringer. DO NOT EDIT.\n\npackage shop\n",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	code, out, errOut := run(t, "generate", schema)
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, name := range []string{"renamed_gonode.go", "legacy.go"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s not removed", name)
		}
		if !strings.Contains(out, "removed "+filepath.Join(dir, name)) && !strings.Contains(out, "removed "+name) {
			t.Errorf("removal of %s not reported: %q", name, out)
		}
	}
	for _, name := range []string{"other_gonode.go", "hand.go", "tool.go"} {
		if got := string(readFile(t, filepath.Join(dir, name))); got != files[name] {
			t.Errorf("%s changed", name)
		}
	}
}

func TestGenerateRefusesToOverwriteHandWrittenFile(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "shop.yaml")
	writeFile(t, schema, goodSchema)
	target := filepath.Join(dir, "shop_gonode.go")
	writeFile(t, target, "package shop // mine\n")
	code, _, errOut := run(t, "generate", schema)
	if code != 1 || !strings.Contains(errOut, "was not generated by gonode") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if string(readFile(t, target)) != "package shop // mine\n" {
		t.Error("hand-written file overwritten")
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "inventory", "schema.yaml")
	code, out, errOut := run(t, "init", "-o", schema)
	if code != 0 || !strings.Contains(out, "package inventory") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	text := readFile(t, schema)
	if !bytes.Contains(text, []byte("\npackage: inventory\n")) || !bytes.Contains(text, []byte("# ")) {
		t.Fatalf("starter:\n%s", text)
	}
	// It loads and generates cleanly.
	if code, _, errOut := run(t, "generate", schema); code != 0 {
		t.Fatalf("generate the starter: %s", errOut)
	}
	// It refuses to overwrite.
	writeFile(t, schema, "package: mine\n")
	code, _, errOut = run(t, "init", "-o", schema, "--package", "other")
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("overwrite: exit %d, stderr %q", code, errOut)
	}
	if string(readFile(t, schema)) != "package: mine\n" {
		t.Error("existing schema overwritten")
	}
	// --package, checked.
	other := filepath.Join(dir, "x", "models.yaml")
	if code, _, errOut := run(t, "init", "-o", other, "--package", "catalog"); code != 0 || !bytes.Contains(readFile(t, other), []byte("package: catalog")) {
		t.Fatalf("--package: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "init", "-o", filepath.Join(dir, "y.yaml"), "--package", "Bad-Name"); code != 1 || !strings.Contains(errOut, `cannot use package name "Bad-Name"`) {
		t.Fatalf("bad package: %d %q", code, errOut)
	}
	// Default name: the directory's, unless it is not a package name.
	t.Chdir(t.TempDir())
	if code, _, errOut := run(t, "init"); code != 0 {
		t.Fatal(errOut)
	}
	if defaultPackage("main/schema.yaml") != "models" || defaultPackage("my-app/schema.yaml") != "myapp" || defaultPackage("9lives/x.yaml") != "models" {
		t.Error("defaultPackage")
	}
	if _, err := os.Stat("schema.yaml"); err != nil {
		t.Error("init without -o writes schema.yaml")
	}
}

// TestGenerateOutsideImports checks that generate refuses an import
// outside the schema's module tree, writing nothing, and reads it with
// --allow-outside-imports (install-labels takes the flag too).
func TestGenerateOutsideImports(t *testing.T) {
	tmp := t.TempDir()
	writeFile(t, filepath.Join(tmp, "mod", "go.mod"), "module example.com/m\n")
	writeFile(t, filepath.Join(tmp, "shared", "common.yaml"), "package: common\ngo_package: example.com/shared\nnodes:\n  Base: {abstract: true, properties: {name: {type: string}}}\n")
	app := filepath.Join(tmp, "mod", "app", "schema.yaml")
	writeFile(t, app, "package: app\nimports:\n  c: ../../shared/common.yaml\nnodes:\n  Shop: {extends: c.Base}\n")
	code, _, errOut := run(t, "generate", app)
	if code != 1 || !strings.Contains(errOut, app+":3:6: cannot import \"../../shared/common.yaml\"") || !strings.Contains(errOut, "outside the module tree") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if names := dirNames(t, filepath.Dir(app)); len(names) != 1 {
		t.Errorf("files written: %v", names)
	}
	code, out, errOut := run(t, "generate", "--allow-outside-imports", app)
	if code != 0 || !strings.Contains(out, "wrote ") {
		t.Fatalf("allowed: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	code, _, errOut = run(t, "install-labels", "--allow-outside-imports", "--db", "bolt://127.0.0.1:1", app)
	if strings.Contains(errOut, "outside the module tree") || strings.Contains(errOut, "unknown flag") {
		t.Errorf("install-labels --allow-outside-imports: exit %d, stderr:\n%s", code, errOut)
	}
}
