package schema

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestValidateLoaded validates every loaded scenario again (the loader's
// and, all files at once, the generator's): a model Load returned is
// valid, and validating it changes nothing (Reverse and UserModel are
// computed afresh, not appended to).
func TestValidateLoaded(t *testing.T) {
	var loads [][]string
	for _, f := range scenarios(t, filepath.Join("testdata", "ok")) {
		loads = append(loads, []string{f})
	}
	for _, dir := range testenv.Scenarios(t, filepath.Join("..", "codegen", "testdata", "gen")) {
		loads = append(loads, testenv.ScenarioSchemas(t, dir))
	}
	loads = append(loads, []string{AuthPath})
	for _, files := range loads {
		file := files[0]
		var s *Schema
		var err error
		if file == AuthPath {
			s, err = LoadBytes(AuthPath, Auth)
		} else {
			s, err = Load(files...)
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		before := dump(s)
		if err := Validate(s); err != nil {
			t.Errorf("%s: Validate: %v", file, err)
		}
		if after := dump(s); after != before {
			t.Errorf("%s: Validate changed the model:\n--- before:\n%s\n--- after:\n%s", file, before, after)
		}
	}
}

// validateCase is a schema, a change to its loaded model, and the same
// change written in YAML (with the same layout, so that positions agree).
type validateCase struct {
	name         string
	text, edited string
	edit         func(f *File)
}

var validateCases = []validateCase{{
	name:   "property name",
	text:   "package: p\nnodes:\n  A:\n    properties:\n      first_name: {type: string}\n",
	edited: "package: p\nnodes:\n  A:\n    properties:\n      firstName_: {type: string}\n",
	edit:   func(f *File) { f.Node("A").Properties[0].Name = "firstName_" },
}, {
	name:   "node name",
	text:   "package: p\nnodes:\n  Ab: {}\n",
	edited: "package: p\nnodes:\n  ab: {}\n",
	edit:   func(f *File) { f.Nodes[0].Name = "ab" },
}, {
	name:   "stored label",
	text:   "package: p\nnodes:\n  A: {label: \"x y\"}\n",
	edited: "package: p\nnodes:\n  A: {label: \"x\\0y\"}\n",
	edit:   func(f *File) { f.Node("A").Label = "x\x00y" },
}, {
	name:   "stored key",
	text:   "package: p\nnodes:\n  A:\n    properties:\n      a: {type: int, db_property: \"k\"}\n",
	edited: "package: p\nnodes:\n  A:\n    properties:\n      a: {type: int, db_property: \" \"}\n",
	edit:   func(f *File) { f.Node("A").Properties[0].DBName = " " },
}, {
	name:   "unknown target",
	text:   "package: p\nnodes:\n  A:\n    relationships:\n      r: {to: A, type: R}\n  City: {}\n",
	edited: "package: p\nnodes:\n  A:\n    relationships:\n      r: {to: B, type: R}\n  City: {}\n",
	edit:   func(f *File) { f.Node("A").Relationships[0].ToRef = "B" },
}, {
	name:   "member clash",
	text:   "package: p\nnodes:\n  A:\n    properties:\n      user_id: {type: int}\n      user_x_d: {type: int}\n",
	edited: "package: p\nnodes:\n  A:\n    properties:\n      user_id: {type: int}\n      user_i_d: {type: int}\n",
	edit:   func(f *File) { f.Node("A").Properties[1].Name = "user_i_d" },
}, {
	name:   "extends cycle",
	text:   "package: p\nnodes:\n  A: {extends: B}\n  B: {extends: C}\n  C: {}\n",
	edited: "package: p\nnodes:\n  A: {extends: B}\n  B: {extends: A}\n  C: {}\n",
	edit:   func(f *File) { f.Node("B").ExtendsRef = "A" },
}, {
	name:   "package identifier",
	text:   "package: p\nnodes:\n  A:\n    properties:\n      x: {type: int}\n  AY: {}\n",
	edited: "package: p\nnodes:\n  A:\n    properties:\n      x: {type: int}\n  AX: {}\n",
	edit:   func(f *File) { f.Nodes[1].Name = "AX" },
}, {
	name:   "app label",
	text:   "package: p\napp_label: books\nnodes:\n  A: {}\n",
	edited: "package: p\napp_label: 2books\nnodes:\n  A: {}\n",
	edit:   func(f *File) { f.AppLabel = "2books" },
}, {
	name:   "permission constant",
	text:   "package: p\nnodes:\n  A:\n    permissions: {publish_a: Can publish}\n  PermPublishB: {}\n",
	edited: "package: p\nnodes:\n  A:\n    permissions: {publish_a: Can publish}\n  PermPublishA: {}\n",
	edit:   func(f *File) { f.Nodes[1].Name = "PermPublishA" },
}, {
	name:   "index on a unique property",
	text:   "package: p\nnodes:\n  A:\n    properties:\n      a: {type: string, unique: true}\n",
	edited: "package: p\nnodes:\n  A:\n    properties:\n      a: {type: string, unique: true, index: true}\n",
	edit:   func(f *File) { f.Node("A").Properties[0].Index = ogm.RangeIndex },
}}

// TestValidateAsLoad changes loaded models and checks that Validate refuses
// each with the errors Load gives for the same change in YAML. (Where the
// model holds no position for an option, Validate reports at the
// element's; these cases change what it holds positions for.)
func TestValidateAsLoad(t *testing.T) {
	for _, c := range validateCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := LoadBytes("v.yaml", []byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			c.edit(s.Files[0])
			got := Validate(s)
			_, want := LoadBytes("v.yaml", []byte(c.edited))
			if want == nil {
				t.Fatal("the edited YAML loads")
			}
			if c.name == "index on a unique property" {
				// Load reports at index:, which the model has no position for.
				want = errors.New(strings.Replace(want.Error(), "v.yaml:5:39:", "v.yaml:5:7:", 1))
			}
			if got == nil || got.Error() != want.Error() {
				t.Errorf("Validate: %v\nLoad:     %v", got, want)
			}
		})
	}
}

// TestValidateBuilt validates a model built in Go, with pointers for
// references and no positions: Validate completes it.
func TestValidateBuilt(t *testing.T) {
	country := &Node{Name: "Country", Properties: []*Property{{Name: "code", Type: Type{Kind: KindUID}}}}
	person := &Node{Name: "Person", Properties: []*Property{{Name: "home_url", Type: Type{Kind: KindString}}}}
	person.Relationships = []*Relationship{{Name: "country", To: country, Type: "IS_FROM", Cardinality: ogm.ZeroOrOne, Reverse: "inhabitants"}}
	f := &File{Path: "built.yaml", Package: "built", Root: true, Nodes: []*Node{country, person}}
	s := &Schema{Files: []*File{f}}
	if err := Validate(s); err != nil {
		t.Fatal(err)
	}
	if p := person.Properties[0]; p.GoName != "HomeURL" || p.DBName != "home_url" {
		t.Errorf("property %+v", p)
	}
	if p := country.Properties[0]; !p.Unique || p.Default == nil || p.Default.Kind != DefaultUUID {
		t.Errorf("uid %+v", p)
	}
	r := person.Relationships[0]
	if r.Owner != person || r.GoName != "Country" || r.ReverseGoName != "Inhabitants" || person.File != f {
		t.Errorf("relationship %+v", r)
	}
	if len(country.Reverse) != 1 || country.Reverse[0] != r {
		t.Errorf("Country.Reverse %v", country.Reverse)
	}
	if err := Validate(s); err != nil || len(country.Reverse) != 1 {
		t.Errorf("again: %v, %d reverse", err, len(country.Reverse))
	}

	// Problems are reported at the elements' positions (zero here), with
	// Load's words.
	person.Relationships = append(person.Relationships, &Relationship{Name: "Friends", To: person, Type: "A\x00B"})
	person.Properties[0].MaxLength = new(int)
	err := Validate(s)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for _, want := range []string{
		`relationship name "Friends" must be snake_case`,
		`relationship type "A\x00B" contains a NUL character, which Neo4j refuses in a name; a relationship type may be any other string`,
		`max_length must be at least 1, found 0`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	if Validate(nil) == nil {
		t.Error("Validate(nil) succeeded")
	}
}
