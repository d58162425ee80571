package auth_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/emailuser"
	"github.com/gonode/gonode/auth/internal/authtest/members"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/auth/internal/authtest/usertypes"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// TestPermissionsAgree: the permissions the generator derives from a
// schema (its Perm constants) are the ones package auth derives at run
// time from the generated Schema, which install-labels installs: same
// keys, names and models, in the same order.
func TestPermissionsAgree(t *testing.T) {
	for _, c := range []struct {
		path    string
		runtime *ogm.Schema
	}{
		{schema.AuthPath, auth.Schema},
		{"internal/authtest/twitter/schema.yaml", twitter.Schema},
		{"internal/authtest/emailuser/schema.yaml", emailuser.Schema},
		{"internal/authtest/usertypes/schema.yaml", usertypes.Schema},
		{"internal/authtest/members/schema.yaml", members.Schema},
	} {
		var s *schema.Schema
		var err error
		if c.path == schema.AuthPath {
			s, err = schema.LoadBytes(schema.AuthPath, schema.Auth)
		} else {
			s, err = schema.Load(filepath.FromSlash(c.path))
		}
		if err != nil {
			t.Fatal(err)
		}
		f := s.Roots()[0]
		if !f.HasPermissionConsts() {
			t.Errorf("%s: no permission constants", c.path)
		}
		var fromSchema, fromRuntime []string
		for _, p := range f.Permissions() {
			fromSchema = append(fromSchema, fmt.Sprintf("%s %s %q", p.Key(f), p.Model, p.Name))
		}
		for _, p := range auth.SchemaPermissions(c.runtime) {
			fromRuntime = append(fromRuntime, fmt.Sprintf("%s %s %q", p.Key(), p.Model, p.Name))
		}
		if len(fromSchema) == 0 || !slices.Equal(fromSchema, fromRuntime) {
			t.Errorf("%s:\nschema  %q\nruntime %q", c.path, fromSchema, fromRuntime)
		}
	}
}

// TestPermissionConstants: the generated constants name the permissions
// under the schema's app_label (members: "library", not "members"), and
// HasPerm answers for them once install-labels (InstallPermissions) made
// the Permission nodes.
func TestPermissionConstants(t *testing.T) {
	for got, want := range map[string]string{
		members.PermPublishBook:     "library.publish_book",
		members.PermLendBook:        "library.lend_book",
		members.PermAddMember:       "library.add_member",
		members.PermChangeBook:      "library.change_book",
		twitter.PermPublishPost:     "twitter.publish_post",
		twitter.PermViewTwitterUser: "twitter.view_twitteruser",
		auth.PermChangeUser:         "auth.change_user",
		auth.PermViewPermission:     "auth.view_permission",
	} {
		if got != want {
			t.Errorf("constant %q, want %q", got, want)
		}
	}
	if members.Schema.Package != "members" || members.Schema.PermissionAppLabel() != "library" {
		t.Errorf("Schema: package %q, app label %q", members.Schema.Package, members.Schema.PermissionAppLabel())
	}

	ctx := context.Background()
	db := openDB(t)
	cleanupLibrary(t, db)
	items, err := auth.InstallPermissions(ctx, db, members.Schema)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 10 || items[0].Key() != members.PermAddMember || items[9].Key() != members.PermLendBook {
		t.Fatalf("installed %v", items)
	}
	n, err := auth.PermissionNodes(db).Filter(auth.PermissionAppLabel.Eq("members")).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("%d permissions under the package name, %v", n, err)
	}

	u := newUser(t, db, "librarian", nil)
	group, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: uniq(t, "librarians")})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, group)
	p, err := auth.GetPermission(ctx, db, members.PermLendBook)
	if err != nil {
		t.Fatal(err)
	}
	must(t, group.Permissions().Connect(ctx, p))
	must(t, u.Groups().Connect(ctx, group))
	for perm, want := range map[string]bool{members.PermLendBook: true, members.PermPublishBook: false} {
		if ok, err := auth.HasPerm(ctx, db, u, perm); ok != want || err != nil {
			t.Errorf("HasPerm(%s) = %v, %v; want %v", perm, ok, err, want)
		}
	}
	// The package name is not the app label: "members.lend_book" does not
	// exist.
	if _, err := auth.HasPerm(ctx, db, u, "members.lend_book"); !errors.Is(err, auth.ErrUnknownPermission) {
		t.Errorf("HasPerm(members.lend_book): %v; want ErrUnknownPermission", err)
	}
}

// cleanupLibrary deletes the Permission nodes of members.Schema's app
// label when the test ends (no other test schema uses it).
func cleanupLibrary(t testing.TB, db *ogm.DB) {
	t.Helper()
	t.Cleanup(func() {
		if _, err := db.Cypher(context.Background(), "MATCH (p:Permission {app_label: $a}) DETACH DELETE p", map[string]any{"a": members.Schema.PermissionAppLabel()}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}
