package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/audit"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestCheckDatabaseCommand: check-database prints the summary table of a
// violation and exits 1, writes the report as JSON with --json, and
// reports progress on stderr. (Every kind of violation: package audit's
// tests.)
func TestCheckDatabaseCommand(t *testing.T) {
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	db := testenv.Open(t)
	ctx := context.Background()
	label := "Chk" + strings.TrimPrefix(testenv.Label(t), "Test_")
	schema := writeSchema(t, `package: chk
nodes:
  Item:
    label: `+label+`
    properties:
      name: {type: string, required: true}
`)
	t.Cleanup(func() { db.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") DELETE n", nil) })
	if _, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(label)+" {name: 'ok'}), (:"+ogm.Quote(label)+")", nil); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "check-database", "--db", url, schema)
	if code != 1 || !regexpMatch(`(?m)^Item +missing required +name +1$`, out) || !strings.Contains(errOut, "checking Item (1/1)") || !strings.Contains(errOut, "findings") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "check-database", "--db", url, "--json", schema)
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || r.Nodes["Item"] != 2 {
		t.Fatalf("--json: exit %d %v\n%s", code, err, out)
	}
	found := false
	for _, f := range r.Findings {
		if f.Type == "Item" && f.Check == audit.CheckRequired && f.Subject == "name" && f.Count == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("--json findings %+v", r.Findings)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
