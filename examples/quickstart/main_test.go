package main

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/gonode/gonode/examples/quickstart/people"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

var update = flag.Bool("update", false, "rewrite testdata/output.txt")

// TestQuickstart runs the whole guide against the real server and compares
// what it prints with testdata/output.txt (go test -update rewrites it).
func TestQuickstart(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	// The guide installs constraints; leave the server as it was.
	before, err := schemaNames(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, it := range mustInstalled(t, ctx, db) {
			if !before[it] {
				db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(it)+" IF EXISTS", nil)
				db.Cypher(ctx, "DROP INDEX "+ogm.Quote(it)+" IF EXISTS", nil)
			}
		}
	}()

	var out strings.Builder
	if err := run(ctx, db, &out); err != nil {
		t.Fatalf("%v\noutput so far:\n%s", err, out.String())
	}
	const golden = "testdata/output.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Fatalf("output differs from %s (go test -update rewrites it):\n%s", golden, out.String())
	}
	// It cleaned up after itself.
	res, err := db.Cypher(ctx, "MATCH (n) WHERE n.name ENDS WITH '(qs)' OR n.code STARTS WITH 'QS-' RETURN count(n)", nil)
	if err != nil || res.Rows[0][0] != int64(0) {
		t.Fatalf("left behind: %v %v", res.Rows, err)
	}
}

func schemaNames(ctx context.Context, db *ogm.DB) (map[string]bool, error) {
	names := map[string]bool{}
	for _, q := range []string{"SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name"} {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range res.Rows {
			names[r[0].(string)] = true
		}
	}
	return names, nil
}

func mustInstalled(t *testing.T, ctx context.Context, db *ogm.DB) []string {
	items, err := ogm.InstallLabels(ctx, db, people.Schema)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Name)
	}
	return names
}
