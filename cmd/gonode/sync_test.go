package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// indexNames is the set of constraint and index names in the database.
func indexNames(t *testing.T, db *ogm.DB) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, q := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
		res, err := db.Cypher(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range res.Rows {
			out[row[0].(string)] = true
		}
	}
	return out
}

// TestInstallLabelsPruneDryRun: --prune --dry-run prints the drop of a
// stray gonode-named index and the creations, and changes nothing;
// --prune then drops exactly that index and creates the declared ones.
func TestInstallLabelsPruneDryRun(t *testing.T) {
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	db := testenv.Open(t)
	ctx := context.Background()
	label := "Sync" + strings.TrimPrefix(testenv.Label(t), "Test_")
	schema := writeSchema(t, `package: cli
nodes:
  `+label+`:
    properties:
      code: {type: string, unique: true}
      emb: {type: "[float]", index: vector, dimensions: 4}
`)
	if code, _, errOut := run(t, "remove-labels", "--db", url); code != 0 {
		t.Fatalf("remove-labels: %d %s", code, errOut)
	}
	t.Cleanup(func() { run(t, "remove-labels", "--db", url) })
	stray := "index_" + label + "_gone"
	if _, err := db.Cypher(ctx, "CREATE INDEX "+ogm.Quote(stray)+" FOR (n:"+ogm.Quote(label)+") ON (n.gone)", nil); err != nil {
		t.Fatal(err)
	}
	before := indexNames(t, db)
	code, out, errOut := run(t, "install-labels", "--db", url, "--prune", "--dry-run", schema)
	if code != 0 {
		t.Fatalf("dry run: exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"drop index " + stray + " (RANGE index on :" + label + "(gone))",
		"create unique constraint constraint_unique_" + label + "_code",
		"create vector index vector_index_" + label + "_emb",
		"dry run: 3 of 3 steps would change the database; nothing changed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	after := indexNames(t, db)
	if len(after) != len(before) || !after[stray] {
		t.Fatalf("the dry run changed the database: %v → %v", before, after)
	}
	code, out, errOut = run(t, "install-labels", "--db", url, "--prune", schema)
	if code != 0 || !strings.Contains(out, "dropped index "+stray) || !strings.Contains(out, "created 2, found 0, dropped 1") {
		t.Fatalf("prune: exit %d %s\n%s", code, errOut, out)
	}
	after = indexNames(t, db)
	for n := range before {
		if !after[n] && n != stray {
			t.Errorf("--prune also removed %s, which it did not print", n)
		}
	}
	if after[stray] || !after["constraint_unique_"+label+"_code"] || !after["vector_index_"+label+"_emb"] {
		t.Errorf("after --prune: %v", after)
	}
}
