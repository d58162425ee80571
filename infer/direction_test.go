package infer

// Directions the data cannot tell: a relationship type between nodes of
// one type gets a comment and a notice; BothDirections declares a type
// direction: both, which the schema validates and prints.

import (
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
)

func TestBothDirections(t *testing.T) {
	db := &inspect.Schema{
		Nodes: []inspect.Node{
			{Label: "Person", Count: 3, Relationships: []inspect.Relationship{
				{Type: "FRIEND", Target: "Person", Measured: true, Sources: 3, WithAny: 2, MaxOut: 1},
				{Type: "WORKS_AT", Target: "Company", Measured: true, Sources: 3, WithAny: 3, MaxOut: 1},
			}},
			{Label: "Company", Count: 1},
		},
		RelTypes: []inspect.RelType{{Type: "FRIEND", Count: 2}, {Type: "WORKS_AT", Count: 3}},
	}
	var warnings []string
	text, err := YAML(db, Options{Notice: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `friend: {to: Person, type: FRIEND, cardinality: zero_or_one, reverse: person_friend}  # 2 of 3 nodes have one, at most 1; stored one way per pair: if the app reads "FRIEND" either way (neomodel's Relationship), declare direction: both (inspect-database --direction-both FRIEND)`) {
		t.Errorf("no comment on the self relationship:\n%s", text)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Person.friend: stored one way per pair") {
		t.Errorf("warnings %q", warnings)
	}
	if strings.Contains(string(text), "WORKS_AT (neomodel") || strings.Count(string(text), "stored one way") != 1 {
		t.Errorf("a relationship between two node types got the note:\n%s", text)
	}

	warnings = nil
	text, err = YAML(db, Options{BothDirections: []string{"FRIEND"}, Notice: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "friend: {to: Person, type: FRIEND, direction: both}  # direction both as asked (--direction-both)") || len(warnings) != 0 {
		t.Errorf("direction both not declared (warnings %q):\n%s", warnings, text)
	}
}
