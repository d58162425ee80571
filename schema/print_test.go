package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// positionRe matches the positions in a dump, which a printed schema does
// not keep.
var positionRe = regexp.MustCompile(`@\d+:\d+`)

// TestPrintRoundTrip prints every valid schema of the tests (the loader's
// ok scenarios, the generator's scenarios and the auth schema) and loads
// the text again: the model is the same, but for positions.
func TestPrintRoundTrip(t *testing.T) {
	files := scenarios(t, filepath.Join("testdata", "ok"))
	err := filepath.WalkDir(filepath.Join("..", "codegen", "testdata", "gen"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, AuthPath)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			var s *Schema
			if file == AuthPath {
				s, err = LoadBytes(AuthPath, Auth)
			} else {
				s, err = Load(file)
			}
			if err != nil {
				t.Fatal(err)
			}
			text := Print(s.Files[0])
			again, err := LoadBytes(s.Files[0].Path, text)
			if err != nil {
				t.Fatalf("printed schema does not load: %v\n%s", err, text)
			}
			want, got := positionRe.ReplaceAllString(dump(s), "@"), positionRe.ReplaceAllString(dump(again), "@")
			if got != want {
				t.Errorf("printed schema loads as another model\n--- printed:\n%s\n--- model:\n%s\n--- loaded again:\n%s", text, want, got)
			}
			if string(Print(again.Files[0])) != string(text) {
				t.Error("printing the model loaded from print's output gives other text")
			}
		})
	}
}

// TestPrintComments checks where each list of Comments goes, and that
// references that YAML would read as null are quoted.
func TestPrintComments(t *testing.T) {
	null := &Node{Name: "Null", Comments: Comments{End: []string{"end of Null"}}}
	a := &Node{Name: "A", Comments: Comments{Above: []string{"above A"}, Undeclared: []string{`"k": not declared`}}}
	b := &Node{Name: "B", Label: "b b", Extends: null, Properties: []*Property{{
		Name: "x", DBName: "x", Type: Type{Kind: KindInt, Array: true}, Comments: Comments{Line: []string{"one", "two\nlines"}},
	}}, Relationships: []*Relationship{{Name: "r", To: null, Type: "R S"}}}
	m := &RelModel{Name: "M", Comments: Comments{Above: []string{"above M"}, Undeclared: []string{"u"}}}
	f := &File{Path: "c.yaml", Package: "c", Nodes: []*Node{null, a, b}, RelModels: []*RelModel{m}, Comments: Comments{Above: []string{"header"}}}
	for _, n := range f.Nodes {
		n.File = f
	}
	want := `# header
package: c
nodes:

  Null: {}
    # end of Null

  # above A
  A:
    # properties:
      # "k": not declared

  B:
    label: "b b"
    extends: "Null"
    properties:
      x: {type: "[int]"}  # one; two lines
    relationships:
      r: {to: "Null", type: "R S"}

relationships:
  # above M
  M: {}
  # properties:
    # u
`
	if got := string(Print(f)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := LoadBytes("c.yaml", Print(f)); err != nil {
		t.Error(err)
	}
}

// TestPrintLongKeysAndControlNames prints names longer than YAML's
// 1,024-character limit on implicit keys (a node type, a property, a
// relationship, a relationship model, a choice) and stored names with
// control characters: the text loads back as the same model.
func TestPrintLongKeysAndControlNames(t *testing.T) {
	long := strings.Repeat("x", 2000)
	text := `package: p
nodes:
  ? L` + long + `
  :
    label: "a\nb\r\x01\u0085"
    labels: ["x\ty"]
    properties:
      ? p_` + long + `
      : {type: string, db_property: "k\ney", choices: {? "` + long + `" : Long}}
    relationships:
      ? r_` + long + `
      : {to: L` + long + `, type: "R\nS", model: M` + long + `}
relationships:
  ? M` + long + `
  : {properties: {w: {type: int}}}
`
	s, err := LoadBytes("long.yaml", []byte(text))
	if err != nil {
		t.Fatalf("the test's schema does not load: %.1000v", err)
	}
	printed := Print(s.Files[0])
	again, err := LoadBytes("long.yaml", printed)
	if err != nil {
		t.Fatalf("printed schema does not load: %.1000v\n%.3000s", err, printed)
	}
	want, got := positionRe.ReplaceAllString(dump(s), "@"), positionRe.ReplaceAllString(dump(again), "@")
	if got != want {
		t.Errorf("printed schema loads as another model\n--- printed:\n%.3000s", printed)
	}
	if n := again.Files[0].Nodes[0]; n.Label != "a\nb\r\x01\u0085" || n.Labels[0] != "x\ty" || n.Properties[0].DBName != "k\ney" || n.Relationships[0].Type != "R\nS" {
		t.Errorf("stored names changed: %q %q %q %q", n.Label, n.Labels, n.Properties[0].DBName, n.Relationships[0].Type)
	}
}
