package infer

import (
	"strings"
	"testing"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// TestReverseAccessors: every relationship between node types gets a
// reverse accessor <source>_<type> on its target, except one of direction
// both, and one whose name a member of the target (or of a node type
// extending it) takes, which gets a comment and a notice instead; the
// schema loads and generates.
func TestReverseAccessors(t *testing.T) {
	db := &inspect.Schema{
		Nodes: []inspect.Node{
			{Label: "Car", Count: 2},
			{Label: "Company", Count: 1, Properties: []inspect.Property{{Key: "person_works_at", Types: []string{"STRING"}}}},
			{Label: "Person", Count: 3, Relationships: []inspect.Relationship{
				{Type: "FRIEND", Target: "Person"},
				{Type: "LIKES", Target: "Company"},
				{Type: "OWNS", Target: "Car"},
				{Type: "WORKS_AT", Target: "Company"},
			}},
			{Label: "SportsCar", Parent: "Car", Count: 1, Properties: []inspect.Property{{Key: "person_owns", Types: []string{"INTEGER"}}}},
		},
		RelTypes: []inspect.RelType{{Type: "FRIEND"}, {Type: "LIKES"}, {Type: "OWNS"}, {Type: "WORKS_AT"}},
	}
	var notices []string
	text, err := YAML(db, Options{BothDirections: []string{"FRIEND"}, Notice: func(m string) { notices = append(notices, m) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"friend: {to: Person, type: FRIEND, direction: both}",
		"likes: {to: Company, type: LIKES, reverse: person_likes}",
		"owns: {to: Car, type: OWNS}  # no reverse accessor on Car: person_owns would clash",
		"works_at: {to: Company, type: WORKS_AT}  # no reverse accessor on Company: person_works_at would clash",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if len(notices) != 2 || !strings.HasPrefix(notices[0], "Person.owns: no reverse accessor") || !strings.HasPrefix(notices[1], "Person.works_at: no reverse accessor") {
		t.Errorf("notices %q", notices)
	}
	s, err := schema.LoadBytes("reverse.yaml", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	company := s.Roots()[0].Node("Company")
	if rs := company.AllReverse(); len(rs) != 1 || rs[0].ReverseGoName != "PersonLikes" {
		t.Errorf("Company's reverse accessors %v", rs)
	}
	if _, err := codegen.Generate(s, codegen.Options{OutDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
}
