package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// permissionIDs returns "codename=element id" of the Permission nodes of
// app, sorted.
func permissionIDs(t *testing.T, db *ogm.DB, app string) []string {
	t.Helper()
	res, err := db.Cypher(context.Background(), "MATCH (p:Permission {app_label: $a}) RETURN p.codename + '=' + elementId(p) AS k ORDER BY k", map[string]any{"a": app})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, row := range res.Rows {
		out = append(out, row[0].(string))
	}
	return out
}

// TestInstallLabelsAppLabelKeepsPermissions: a schema with app_label
// installs its permissions under that label; renamed (a new package: in a
// copy of the schema, the same app_label), install-labels finds the same
// Permission nodes and creates none. Without app_label the permissions
// follow the package name, so the same rename would create new ones.
func TestInstallLabelsAppLabelKeepsPermissions(t *testing.T) {
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	app, renamed := randomName(t, "lib"), randomName(t, "pkgc")
	t.Cleanup(func() {
		if _, err := db.Cypher(ctx, "MATCH (p:Permission) WHERE p.app_label IN $a DETACH DELETE p", map[string]any{"a": []string{app, renamed}}); err != nil {
			t.Error(err)
		}
		db.Close(ctx)
	})
	label := "Cli" + strings.TrimPrefix(testenv.Label(t), "Test_")
	schemaText := func(pkg, appLabel string) string {
		text := "package: " + pkg + "\n"
		if appLabel != "" {
			text += "app_label: " + appLabel + "\n"
		}
		return text + `imports:
  auth: builtin:auth
nodes:
  Book:
    label: ` + label + `
    permissions:
      lend_book: Can lend books
`
	}

	code, out, errOut := run(t, "install-labels", "--db", url, writeSchema(t, schemaText("pkga", app)))
	if code != 0 || !strings.Contains(out, "  created permission "+app+".lend_book (Can lend books)\n") ||
		!strings.Contains(out, "  created permission "+app+".add_book (Can add book)\n") {
		t.Fatalf("first install: exit %d, stderr %q\n%s", code, errOut, out)
	}
	before := permissionIDs(t, db, app)
	if len(before) != 5 {
		t.Fatalf("%d permissions of %s: %q", len(before), app, before)
	}

	// The package renamed, app_label kept: the same nodes, none created.
	code, out, errOut = run(t, "install-labels", "--db", url, writeSchema(t, schemaText("pkgb", app)))
	if code != 0 || !strings.Contains(out, "  found permission "+app+".lend_book (Can lend books)\n") ||
		strings.Contains(out, "created permission") || strings.Contains(out, "pkgb.") {
		t.Fatalf("install after the rename: exit %d, stderr %q\n%s", code, errOut, out)
	}
	if after := permissionIDs(t, db, app); !slices.Equal(after, before) {
		t.Errorf("Permission nodes after the rename\n%q\nbefore\n%q", after, before)
	}

	// Without app_label, the app label is the package: a rename makes new
	// permissions (and leaves the old ones behind).
	code, out, _ = run(t, "install-labels", "--db", url, writeSchema(t, schemaText(renamed, "")))
	if code != 0 || !strings.Contains(out, "  created permission "+renamed+".lend_book (Can lend books)\n") {
		t.Fatalf("install without app_label: exit %d\n%s", code, out)
	}
	if n := len(permissionIDs(t, db, renamed)); n != 5 {
		t.Errorf("%d permissions of %s", n, renamed)
	}
}
