package audit_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/gonode/gonode/audit"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// auditSchema is a schema whose labels and relationship types carry the
// test's own suffix.
func auditSchema(t *testing.T, sfx string) *schema.Schema {
	t.Helper()
	text := strings.NewReplacer("SFX", sfx).Replace(`package: audited
nodes:
  Person:
    label: PSFX
    unique_together: [[first, last]]
    properties:
      code: {type: string, unique: true}
      name: {type: string, required: true, max_length: 5, min_length: 2, pattern: "^[A-Z]"}
      age: {type: int, min: 0, max: 150}
      sex: {type: string, choices: {M: Male, F: Female}}
      tags: {type: "[string]", choices: {a: A, b: B}}
      first: {type: string}
      last: {type: string}
    relationships:
      city: {to: City, type: LIVES_SFX, cardinality: one, model: Lived}
      best: {to: City, type: BEST_SFX, cardinality: zero_or_one}
  City:
    label: CSFX
    properties:
      name: {type: string, required: true}
    relationships:
      mayor: {to: Person, type: MAYOR_SFX, direction: in, cardinality: zero_or_one}
relationships:
  Lived:
    properties:
      since: {type: int, min: 1900}
`)
	s, err := schema.LoadBytes("audit.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seed runs the statements with the suffix in place, and deletes the
// test's nodes when it ends.
func seed(t *testing.T, db *ogm.DB, sfx string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() {
		for _, l := range []string{"P", "C", "X"} {
			db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l+sfx)+") DETACH DELETE n", nil)
		}
	})
	for _, s := range stmts {
		if _, err := db.Cypher(ctx, strings.ReplaceAll(s, "SFX", sfx), nil); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// clean is data that breaks nothing: two people living in Rome, one its
// mayor.
var clean = []string{
	"CREATE (c:CSFX {name: 'Rome'}), (d:CSFX {name: 'Oslo'})",
	"MATCH (c:CSFX {name: 'Rome'}) CREATE (:PSFX {code: 'a', name: 'Ann', age: 3, sex: 'M', tags: ['a', 'b'], first: 'x', last: 'y'})-[:LIVES_SFX {since: 2001}]->(c)",
	"MATCH (c:CSFX {name: 'Rome'}) CREATE (p:PSFX {code: 'b', name: 'Bo', first: 'x', last: 'z', tags: []})-[:LIVES_SFX]->(c), (p)-[:MAYOR_SFX]->(c), (p)-[:BEST_SFX]->(c)",
}

func run(t *testing.T, db *ogm.DB, sfx string) *audit.Report {
	t.Helper()
	var progress strings.Builder
	r, err := audit.Check(context.Background(), db, auditSchema(t, sfx), audit.Options{
		Progress:      &progress,
		IgnoreUnknown: func(name string) bool { return !strings.Contains(name, sfx) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "checking Person (1/2)") {
		t.Errorf("progress: %q", progress.String())
	}
	return r
}

// TestCleanData: data that fits the schema has no findings.
func TestCleanData(t *testing.T) {
	db := testenv.Open(t)
	sfx := strings.TrimPrefix(testenv.Label(t), "Test_")
	seed(t, db, sfx, clean...)
	r := run(t, db, sfx)
	if len(r.Findings) != 0 || r.Nodes["Person"] != 2 || r.Nodes["City"] != 2 {
		t.Fatalf("clean data: %+v", r)
	}
}

// TestEveryViolation: one violation of each kind seeded into clean data,
// each found once, and nothing else.
func TestEveryViolation(t *testing.T) {
	db := testenv.Open(t)
	sfx := strings.TrimPrefix(testenv.Label(t), "Test_")
	lives := "MATCH (c:CSFX {name: 'Rome'}) CREATE (p:PSFX %s)-[:LIVES_SFX]->(c)"
	seed(t, db, sfx, append(slices(clean),
		fmt.Sprintf(lives, "{code: 'p2'}"),                             // missing required name
		fmt.Sprintf(lives, "{name: 'Cy', age: 'old'}"),                 // wrong type
		fmt.Sprintf(lives, "{name: 'Di', sex: 'X', tags: ['a', 'z']}"), // choices, array choices
		fmt.Sprintf(lives, "{name: 'Ed', age: -1}"),                    // min
		fmt.Sprintf(lives, "{name: 'Flo', age: 200}"),                  // max
		fmt.Sprintf(lives, "{name: 'Gabriela'}"),                       // max_length
		fmt.Sprintf(lives, "{name: 'H'}"),                              // min_length
		fmt.Sprintf(lives, "{name: 'ian'}"),                            // pattern
		fmt.Sprintf(lives, "{name: 'Jo', code: 'dup'}"),                // duplicates (with the next)
		fmt.Sprintf(lives, "{name: 'Ka', code: 'dup'}"),
		fmt.Sprintf(lives, "{name: 'Li', first: 'f', last: 'l'}"), // duplicate pair (with the next)
		fmt.Sprintf(lives, "{name: 'Mo', first: 'f', last: 'l'}"),
		"CREATE (:PSFX {name: 'Ned'})", // no city: cardinality one
		"MATCH (r:CSFX {name: 'Rome'}), (o:CSFX {name: 'Oslo'}) CREATE (p:PSFX {name: 'Ola'})-[:LIVES_SFX]->(r), (p)-[:BEST_SFX]->(r), (p)-[:BEST_SFX]->(o)", // two best
		"MATCH (o:CSFX {name: 'Oslo'}), (p:PSFX {name: 'Ann'}), (q:PSFX {name: 'Bo'}) CREATE (p)-[:MAYOR_SFX]->(o), (q)-[:MAYOR_SFX]->(o)",                   // two mayors: the in end
		"CREATE (:XSFX {name: 'stray'})",
		"MATCH (c:CSFX {name: 'Rome'}) CREATE (:PSFX {name: 'Ro'})-[:LIVES_SFX {since: 1800}]->(c)", // relationship property below min
		"MATCH (p:PSFX {name: 'Ann'}), (c:CSFX {name: 'Rome'}) CREATE (p)-[:ODD_SFX]->(c)",
		// a LIVES_SFX reaching a node that is no City: Pia still lives in
		// one city (not too many), Quin in none (missing, with Ned)
		"MATCH (x:XSFX {name: 'stray'}), (c:CSFX {name: 'Rome'}) CREATE (x)<-[:LIVES_SFX]-(:PSFX {name: 'Pia'})-[:LIVES_SFX]->(c), (x)<-[:LIVES_SFX]-(:PSFX {name: 'Quin'})",
	)...)
	r := run(t, db, sfx)
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s|%s|%s|%d", f.Type, f.Check, f.Subject, f.Count))
	}
	sort.Strings(got)
	want := []string{
		"CSFX|" + audit.CheckUnknownLabel + "|-|1",
		"Lived|" + audit.CheckMin + "|since|1",
		"City|" + audit.CheckTooMany + "|mayor|1",
		"ODD_SFX|" + audit.CheckUnknownType + "|-|1",
		"Person|" + audit.CheckChoices + "|sex|1",
		"Person|" + audit.CheckChoices + "|tags|1",
		"Person|" + audit.CheckDuplicates + "|code|2",
		"Person|" + audit.CheckDuplicates + "|first, last|2",
		"Person|" + audit.CheckMaxLength + "|name|1",
		"Person|" + audit.CheckMax + "|age|1",
		"Person|" + audit.CheckMinLength + "|name|1",
		"Person|" + audit.CheckMin + "|age|1",
		"Person|" + audit.CheckMissing + "|city|2",
		"Person|" + audit.CheckPattern + "|name|1",
		"Person|" + audit.CheckRequired + "|name|1",
		"Person|" + audit.CheckTooMany + "|best|1",
		"Person|" + audit.CheckType + "|age|1",
	}
	for i := range want {
		want[i] = strings.ReplaceAll(want[i], "SFX", sfx)
	}
	want[0] = "X" + sfx + "|" + audit.CheckUnknownLabel + "|-|1"
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var table strings.Builder
	r.Table(&table)
	if !strings.Contains(table.String(), "17 findings") {
		t.Errorf("table:\n%s", table.String())
	}
}

func slices(s []string) []string { return append([]string(nil), s...) }
