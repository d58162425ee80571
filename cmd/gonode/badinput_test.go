package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// badInputs are malformed schemas made up here, beside the loader's error
// scenarios in schema/testdata/errors: whitespace, encodings, sizes and
// shapes that a YAML file can take by accident or by malice.
func badInputs() map[string][]byte {
	pad := func(n int, line string) string { return strings.Repeat(line, n) }
	var deepBlock strings.Builder
	deepBlock.WriteString("package: p\nnodes:\n  A:\n    properties:\n      x:\n")
	for i := range 300 {
		fmt.Fprintf(&deepBlock, "%sk%d:\n", strings.Repeat("  ", i+4), i)
	}
	var manyNodes strings.Builder
	manyNodes.WriteString("package: p\nnodes:\n")
	for i := range 5000 {
		fmt.Fprintf(&manyNodes, "  N%d:\n    properties:\n      p: {type: string}\n", i)
	}
	manyNodes.WriteString("  Last:\n    properties:\n      p: {type: strnig}\n")
	garbage := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(r.UintN(256))
	}
	utf16 := []byte{0xff, 0xfe} // UTF-16LE with a byte order mark
	for _, c := range "package: p\nnodes: {}\n" {
		utf16 = append(utf16, byte(c), 0)
	}
	return map[string][]byte{
		"x_tab_indent_node":      []byte("package: p\nnodes:\n\tA:\n\t\tproperties: {}\n"),
		"x_tab_in_flow":          []byte("package: p\nnodes: {A: {properties: {\tp:\t{type: string, unique: yes}}}}\n"),
		"x_mixed_tabs_spaces":    []byte("package: p\nnodes:\n  A:\n  \tproperties:\n      p: {type: string}\n"),
		"x_duplicate_package":    []byte("package: a\npackage: b\nnodes: {}\n"),
		"x_duplicate_flow_node":  []byte("package: p\nnodes: {A: {}, A: {}}\n"),
		"x_duplicate_property":   []byte("package: p\nnodes:\n  A:\n    properties:\n      p: {type: string}\n      p: {type: int}\n"),
		"x_huge_over_limit":      []byte("package: p\n" + pad(8<<20/16+1, "# padding......\n") + "nodes: {}\n"),
		"x_huge_error_at_end":    []byte("package: p\n" + pad(200000, "# padding......\n") + "nodes:\n  A:\n    properties:\n      p: {type: nope}\n"),
		"x_many_nodes_one_error": []byte(manyNodes.String()),
		"x_deep_block":           []byte(deepBlock.String()),
		"x_deep_flow":            []byte("package: p\nnodes: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"),
		"x_deep_map":             []byte("package: p\nnodes: " + strings.Repeat("{a: ", 3000) + "1" + strings.Repeat("}", 3000) + "\n"),
		"x_latin1":               []byte("package: p\nnodes:\n  Caf\xe9: {}\n"),
		"x_overlong_utf8":        []byte("package: p\nnodes:\n  A\xc0\xaf: {}\n"),
		"x_surrogate_utf8":       []byte("package: p\nnodes:\n  A:\n    labels: [\"\xed\xa0\x80\"]\n"),
		"x_utf16":                utf16,
		"x_nul_byte":             []byte("package: p\nnodes:\n  A\x00B: {}\n"),
		"x_bom_then_error":       []byte("\ufeffpackage: p\nnodes:\n  A:\n    properties:\n      p: {type: nope}\n"),
		"x_crlf_error":           []byte("package: p\r\nnodes:\r\n  A:\r\n    properties:\r\n      p: {type: nope}\r\n"),
		"x_unterminated_quote":   []byte("package: \"p\nnodes: {}\n"),
		"x_unclosed_flow":        []byte("package: p\nnodes: {A: {properties: {p: {type: string}}\n"),
		"x_bad_dedent":           []byte("package: p\nnodes:\n    A: {}\n  B: {}\n"),
		"x_undefined_alias":      []byte("package: p\nnodes:\n  A: *missing\n"),
		"x_two_documents":        []byte("package: p\nnodes: {}\n---\npackage: q\n"),
		"x_scalar_document":      []byte("just a string\n"),
		"x_list_document":        []byte("- package: p\n- nodes: {}\n"),
		"x_nodes_is_string":      []byte("package: p\nnodes: Person\n"),
		"x_binary_garbage":       garbage,
		"x_empty":                {},
		"x_whitespace_only":      []byte("   \n\n  \n"),
		"x_comments_only":        []byte("# package: p\n# nodes: {}\n"),
		"x_control_chars":        []byte("package: p\x07\nnodes: {}\n"),
		"x_very_long_line":       []byte("package: p\nnodes:\n  A:\n    properties:\n      p: {type: string, help: " + strings.Repeat("x", 1<<20) + ", bogus: 1}\n"),
	}
}

// errorLine is one line of generate's error output: file:line:col: message.
var errorLine = regexp.MustCompile(`^(?:gonode: )?(.+?):(\d+):(\d+): \S`)

// TestGenerateBadInput runs `gonode generate` on every malformed schema:
// the loader's error scenarios (schema/testdata/errors, with their
// expected errors in .golden files) and the made-up ones above. Each must
// exit with status 1, report every error as file:line:col, and leave the
// output directory exactly as it was: it holds a file generated earlier
// from a valid version of the same schema (which a successful run would
// rewrite) and a stale generated file (which a successful run would
// remove).
func TestGenerateBadInput(t *testing.T) {
	// The scenarios import schemas of ../ok, so the whole testdata tree is
	// copied, into a module as in the repository (imports stay in the
	// module tree).
	root := t.TempDir()
	testdata := filepath.Join("..", "..", "schema", "testdata")
	if err := os.CopyFS(filepath.Join(root, "testdata"), os.DirFS(testdata)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "go.mod"), "module example.com/badinput\n")
	schemas := filepath.Join(root, "testdata", "errors")
	var cases []badInput
	goldens, _ := filepath.Glob(filepath.Join(testdata, "errors", "*.golden"))
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), ".golden")
		cases = append(cases, badInput{name: name, golden: string(readFile(t, g))})
	}
	for name, data := range badInputs() {
		if err := os.WriteFile(filepath.Join(schemas, name+".yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, badInput{name: name})
	}
	if len(cases) < 50 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	t.Logf("%d malformed schemas (%d loader scenarios, %d made up)", len(cases), len(goldens), len(badInputs()))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t, root, schemas) })
	}
}

// badInput is a malformed schema of TestGenerateBadInput, named after its
// file in the errors directory.
type badInput struct {
	name   string
	golden string // expected errors, with paths under testdata/errors; "" for a made-up one
}

// check runs generate on c in the errors directory schemas (under root),
// into an output directory that a successful run filled before: it must
// fail with well-formed errors, and change no file.
func (c badInput) check(t *testing.T, root, schemas string) {
	const valid = "package: models\nnodes:\n  Thing:\n    properties:\n      name: {type: string}\n"
	schema := filepath.Join(schemas, c.name+".yaml")
	bad := readFile(t, schema)
	out := filepath.Join(root, "out", c.name)

	// The output directory as a previous, successful run left it.
	ghost := filepath.Join(schemas, "ghost_"+c.name+".yaml")
	writeFile(t, schema, valid)
	writeFile(t, ghost, "package: models\nnodes:\n  Ghost: {}\n")
	if code, _, errOut := run(t, "generate", "-o", out, schema, ghost); code != 0 {
		t.Fatalf("valid version: exit %d: %s", code, errOut)
	}
	if err := os.Remove(ghost); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(schema, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	if len(before) != 3 { // the directory and two files
		t.Fatalf("output directory holds %v, want two files", keys(before))
	}
	schemasBefore := dirNames(t, schemas)

	code, stdout, stderr := run(t, "generate", "-o", out, schema)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout %q, stderr %.300q", code, stdout, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %.300q", stdout)
	}
	checkErrorLines(t, stderr)
	if c.golden != "" {
		// The same errors as the loader's own test expects, at the
		// same positions (schema's TestErrors checks the wording).
		got := strings.ReplaceAll(strings.TrimPrefix(stderr, "gonode: "), root+string(filepath.Separator), "")
		if g, w := positions(got), positions(c.golden); !slices.Equal(g, w) {
			t.Errorf("error positions differ from %s.golden:\n got: %q\nwant: %q", c.name, g, w)
		}
	}
	if after := snapshot(t, out); !sameSnapshot(before, after) {
		t.Errorf("output directory changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
	if after := dirNames(t, schemas); !slices.Equal(schemasBefore, after) {
		t.Errorf("files added or removed next to the schema: %d files before, %d after", len(schemasBefore), len(after))
	}
	if !bytes.Equal(readFile(t, schema), bad) {
		t.Error("schema file changed")
	}
}

// checkErrorLines checks that stderr is "gonode: " and one error per
// line, each with the position of an existing file.
func checkErrorLines(t *testing.T, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "gonode: ") {
		t.Fatalf("stderr %.300q", stderr)
	}
	t.Logf("%d error(s); first: %.160s", len(lines), lines[0])
	for _, line := range lines {
		m := errorLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("error line without file:line:col: %.300q", line)
		}
		if m[2] == "0" || m[3] == "0" {
			t.Errorf("position %s:%s in %.200q", m[2], m[3], line)
		}
		if _, err := os.Stat(m[1]); err != nil {
			t.Errorf("error names a file that does not exist: %.200q", line)
		}
	}
}

// positions lists the file:line:col of each error line.
func positions(errText string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(errText), "\n") {
		if m := errorLine.FindStringSubmatch(line); m != nil {
			out = append(out, m[1]+":"+m[2]+":"+m[3])
		} else {
			out = append(out, "no position: "+line)
		}
	}
	return out
}

type fileState struct {
	mode    fs.FileMode
	content []byte
}

// snapshot records every file under dir: name, mode and content.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := fileState{mode: info.Mode()}
		if !d.IsDir() {
			if st.content, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[p] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(a, b map[string]fileState) bool {
	if len(a) != len(b) {
		return false
	}
	for p, sa := range a {
		sb, ok := b[p]
		if !ok || sa.mode != sb.mode || !bytes.Equal(sa.content, sb.content) {
			return false
		}
	}
	return true
}

func keys(m map[string]fileState) []string {
	var out []string
	for k := range m {
		out = append(out, filepath.Base(k))
	}
	return out
}
