package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

func writeSchema(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "models.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInstallAndRemoveLabelsCommands(t *testing.T) {
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	label := "Cli" + strings.TrimPrefix(testenv.Label(t), "Test_")
	schema := writeSchema(t, `package: cli
nodes:
  `+label+`:
    properties:
      code: {type: string, unique: true, required: true}
      age: {type: int, index: true}
      bio: {type: string, index: fulltext}
    relationships:
      knows: {to: `+label+`, type: KNOWS_CLI, model: Since}
relationships:
  Since:
    properties:
      since: {type: datetime, index: true}
`)
	if code, _, errOut := run(t, "remove-labels", "--db", url); code != 0 {
		t.Fatalf("remove-labels: %d %s", code, errOut)
	}
	code, out, errOut := run(t, "install-labels", "--db", url, schema)
	if code != 0 {
		t.Fatalf("install-labels: exit %d, %s", code, errOut)
	}
	for _, want := range []string{
		label + ":\n  created unique constraint constraint_unique_" + label + "_code\n  created index index_" + label + "_age\n  created fulltext index fulltext_index_" + label + "_bio\n",
		"KNOWS_CLI:\n  created index index_KNOWS_CLI_since\n",
		"created 4, found 0\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first run output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "install-labels", "--db", url, schema)
	if code != 0 || !strings.Contains(out, "nothing to do: all 4 constraints and indexes exist") || strings.Contains(out, "created ") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "remove-labels", "--db", url)
	if code != 0 || !strings.Contains(out, "dropped UNIQUENESS constraint constraint_unique_"+label+"_code\n") ||
		!strings.Contains(out, "dropped FULLTEXT index fulltext_index_"+label+"_bio\n") || !strings.Contains(out, "removed 4 constraints and indexes") {
		t.Errorf("remove-labels: exit %d\n%s", code, out)
	}
}

func TestInstallLabelsBadInput(t *testing.T) {
	t.Setenv("NEO4J_BOLT_URL", "")
	bad := writeSchema(t, "package: x\nnodes:\n  Thing:\n    properties:\n      name: {type: strng}\n")
	code, _, errOut := run(t, "install-labels", "--db", "bolt://neo4j:pw@127.0.0.1:1", bad)
	if code != 1 || !strings.Contains(errOut, bad+":5:20: unknown type \"strng\"; did you mean \"string\"?") {
		t.Errorf("schema error: exit %d, stderr %q", code, errOut)
	}
	good := writeSchema(t, "package: x\nnodes:\n  Thing:\n    properties:\n      name: {type: string, unique: true}\n")
	code, _, errOut = run(t, "install-labels", good)
	if code != 1 || !strings.Contains(errOut, "no database: pass --db URL or set NEO4J_BOLT_URL") {
		t.Errorf("no database: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "install-labels", "--db", testenv.URL(t))
	if code != 1 || !strings.Contains(errOut, "requires at least 1 arg") {
		t.Errorf("no schema: exit %d, stderr %q", code, errOut)
	}
}
