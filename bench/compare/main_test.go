package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestQuickRun runs every scenario of the benchmark once, at a hundredth of
// its operations and without neomodel, on the test server: the jobs check
// their own results (the right person for a name, 1,000 people each with a
// city and a country, refused second connects, logins that succeed and
// fail), so this keeps both Go sides of the benchmark correct, and the
// report complete, in every `make test`. Timing is not checked.
func TestQuickRun(t *testing.T) {
	url := testenv.URL(t)
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := dropDataset(ctx, db); err != nil {
			t.Error(err)
		}
		for _, show := range []string{"SHOW CONSTRAINTS", "SHOW INDEXES"} {
			res, err := db.Cypher(ctx, show+" YIELD name WHERE name CONTAINS 'Cmp' RETURN name", nil)
			if err != nil || len(res.Rows) > 0 {
				t.Errorf("%s after the cleanup: %v %v", show, res, err)
			}
		}
		db.Close(ctx)
	})

	out := filepath.Join(t.TempDir(), "RESULTS.md")
	var stdout bytes.Buffer
	err = run([]string{"-db", url, "-scale", "0.01", "-reps", "1", "-warmup", "0", "-workers", "4", "-no-neomodel", "-o", out}, &stdout)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scenarios(config{scale: 0.01, workers: 4}) {
		row := "| " + s.id + " | " + s.title + " |"
		if s.driver == nil {
			row = "| " + s.id + " | "
		}
		if !bytes.Contains(report, []byte(row)) {
			t.Errorf("the report has no row %q", row)
		}
	}
	t.Log(stdout.String())
	if !bytes.Contains(report, []byte("FetchRelations is **")) || !strings.Contains(stdout.String(), "wrote "+out) {
		t.Errorf("report:\n%s\nstdout:\n%s", report, stdout.String())
	}
	if res, err := db.Cypher(ctx, "RETURN COUNT { (:CmpMember) }, COUNT { (:User {username: $u}) }", map[string]any{"u": benchUser}); err != nil ||
		res.Rows[0][0] != int64(0) || res.Rows[0][1] != int64(0) {
		t.Errorf("members and the bench user left behind: %v %v", res, err)
	}
}

// dropDataset removes everything the benchmark writes, with the
// constraints and indexes of its Cmp labels (the auth schema's are shared
// with applications and stay).
func dropDataset(ctx context.Context, db *ogm.DB) error {
	if _, err := db.Cypher(ctx, "MATCH (n) WHERE n:CmpCountry OR n:CmpCity OR n:CmpPerson OR n:CmpMember DETACH DELETE n", nil); err != nil {
		return err
	}
	if err := dropBenchUser(ctx, db); err != nil {
		return err
	}
	// Constraints first: dropping one drops its index.
	for _, kind := range []struct{ show, drop string }{{"SHOW CONSTRAINTS", "DROP CONSTRAINT "}, {"SHOW INDEXES", "DROP INDEX "}} {
		res, err := db.Cypher(ctx, kind.show+" YIELD name, labelsOrTypes "+
			"WHERE any(l IN coalesce(labelsOrTypes, []) WHERE l STARTS WITH 'Cmp' OR l STARTS WITH 'CMP_') RETURN name", nil)
		if err != nil {
			return err
		}
		for _, row := range res.Rows {
			if _, err := db.Cypher(ctx, kind.drop+ogm.Quote(row[0].(string))+" IF EXISTS", nil); err != nil {
				return err
			}
		}
	}
	return nil
}
