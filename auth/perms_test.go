package auth_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/ogm"
)

// testSchema is twitter.Schema under a package name of the test's own, so
// that its Permission nodes can be deleted afterwards.
func testSchema(t *testing.T) *ogm.Schema {
	s := *twitter.Schema
	s.Package = uniq(t, "authtest")
	return &s
}

func TestSchemaPermissions(t *testing.T) {
	got := auth.SchemaPermissions(twitter.Schema)
	var keys []string
	for _, p := range got {
		keys = append(keys, p.Key()+" "+p.Model+" "+p.Name)
	}
	want := []string{
		"twitter.add_twitteruser twitteruser Can add twitter user",
		"twitter.change_twitteruser twitteruser Can change twitter user",
		"twitter.delete_twitteruser twitteruser Can delete twitter user",
		"twitter.view_twitteruser twitteruser Can view twitter user",
		"twitter.add_post post Can add post",
		"twitter.change_post post Can change post",
		"twitter.delete_post post Can delete post",
		"twitter.view_post post Can view post",
		"twitter.publish_post post Can publish posts",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("got\n%q\nwant\n%q", keys, want)
	}
	if n := len(auth.SchemaPermissions(auth.Schema)); n != 12 {
		t.Errorf("auth schema: %d permissions, want 12", n)
	}
}

func TestInstallPermissions(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := testSchema(t)
	cleanupApp(t, db, s.Package)
	for round, wantCreated := range []bool{true, false} {
		items, err := auth.InstallPermissions(ctx, db, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 9 {
			t.Fatalf("round %d: %d items", round, len(items))
		}
		for _, it := range items {
			if it.Created != wantCreated {
				t.Errorf("round %d: %s created=%v", round, it.Key(), it.Created)
			}
		}
	}
	n, err := auth.PermissionNodes(db).Filter(auth.PermissionAppLabel.Eq(s.Package)).Count(ctx)
	if err != nil || n != 9 {
		t.Fatalf("%d Permission nodes, %v", n, err)
	}
	p, err := auth.GetPermission(ctx, db, s.Package+".publish_post")
	if err != nil || p.Name != "Can publish posts" || p.Model != "post" {
		t.Fatalf("GetPermission: %+v, %v", p, err)
	}
	if _, err := auth.GetPermission(ctx, db, s.Package+".nope"); !errors.Is(err, auth.ErrUnknownPermission) {
		t.Errorf("unknown permission: %v", err)
	}
}

// permFixture: an app of the test's own with its permissions installed.
type permFixture struct {
	app   string
	perms map[string]*auth.Permission // by codename
}

func newPermFixture(t *testing.T, db *ogm.DB) permFixture {
	ctx := context.Background()
	s := testSchema(t)
	cleanupApp(t, db, s.Package)
	if _, err := auth.InstallPermissions(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	all, err := auth.PermissionNodes(db).Filter(auth.PermissionAppLabel.Eq(s.Package)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := permFixture{app: s.Package, perms: map[string]*auth.Permission{}}
	for _, p := range all {
		f.perms[p.Codename] = p
	}
	return f
}

func (f permFixture) key(code string) string { return f.app + "." + code }

func TestPermissionsThroughUsersAndGroups(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	f := newPermFixture(t, db)

	alice := newUser(t, db, "alice", nil)
	group, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: uniq(t, "editors")})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, group)
	must(t, alice.UserPermissions().Connect(ctx, f.perms["add_post"]))
	must(t, group.Permissions().Connect(ctx, f.perms["publish_post"]))
	must(t, group.Permissions().Connect(ctx, f.perms["add_post"]))
	must(t, alice.Groups().Connect(ctx, group))

	check := func(u *auth.User, perm string, want bool) {
		t.Helper()
		got, err := auth.HasPerm(ctx, db, u, perm)
		if err != nil || got != want {
			t.Errorf("%s HasPerm(%s) = %v, %v; want %v", u.Username, perm, got, err, want)
		}
	}
	check(alice, f.key("add_post"), true)     // directly
	check(alice, f.key("publish_post"), true) // through the group
	check(alice, f.key("delete_post"), false)

	// A permission that does not exist is an error, not a false.
	unknown := func(u *auth.User, perms ...string) {
		t.Helper()
		ok, err := auth.HasPerms(ctx, db, u, perms...)
		if ok || !errors.Is(err, auth.ErrUnknownPermission) {
			t.Errorf("%s HasPerms(%q) = %v, %v; want ErrUnknownPermission", u.Username, perms, ok, err)
		}
	}
	unknown(alice, "twitter_other.add_post")
	unknown(alice, "add_post") // no app label
	unknown(alice, f.key("add_posts"))
	if _, err := auth.HasPerms(ctx, db, alice, f.key("add_post"), f.key("nope"), "x.y"); err == nil ||
		!strings.Contains(err.Error(), `"`+f.key("nope")+`", "x.y"`) || strings.Contains(err.Error(), `"`+f.key("add_post")+`"`) {
		t.Errorf("HasPerms names the unknown ones: %v", err)
	}

	ok, err := auth.HasPerms(ctx, db, alice, f.key("add_post"), f.key("publish_post"))
	if !ok || err != nil {
		t.Errorf("HasPerms(both) = %v, %v", ok, err)
	}
	ok, err = auth.HasPerms(ctx, db, alice, f.key("add_post"), f.key("delete_post"))
	if ok || err != nil {
		t.Errorf("HasPerms(one missing) = %v, %v", ok, err)
	}
	if ok, err := auth.HasModulePerms(ctx, db, alice, f.app); !ok || err != nil {
		t.Errorf("HasModulePerms = %v, %v", ok, err)
	}
	if ok, err := auth.HasModulePerms(ctx, db, alice, uniq(t, "authtest")); ok || err != nil {
		t.Errorf("HasModulePerms(other app) = %v, %v", ok, err)
	}
	lists := map[string]func(context.Context, *ogm.DB, *auth.User) ([]string, error){
		"all": auth.GetAllPermissions, "user": auth.GetUserPermissions, "group": auth.GetGroupPermissions,
	}
	wants := map[string][]string{
		"all":   {f.key("add_post"), f.key("publish_post")},
		"user":  {f.key("add_post")},
		"group": {f.key("add_post"), f.key("publish_post")},
	}
	for name, get := range lists {
		got, err := get(ctx, db, alice)
		if err != nil || !slices.Equal(got, wants[name]) {
			t.Errorf("%s permissions: %q, %v; want %q", name, got, err, wants[name])
		}
	}

	// Inactive: no permission at all, even granted ones.
	alice.IsActive = ogm.Ptr(false)
	must(t, alice.Save(ctx))
	check(alice, f.key("add_post"), false)
	unknown(alice, f.key("nope"))
	if ok, _ := auth.HasModulePerms(ctx, db, alice, f.app); ok {
		t.Error("inactive user has module perms")
	}
	for name, get := range lists {
		if got, err := get(ctx, db, alice); len(got) != 0 || err != nil {
			t.Errorf("inactive %s permissions: %q, %v", name, got, err)
		}
	}

	// An active superuser has every permission that exists; one that does
	// not is an error for a superuser too (Django says True).
	root := newUser(t, db, "root", nil, func(u *auth.User) { u.IsSuperuser = true })
	check(root, f.key("delete_post"), true)
	unknown(root, "no.such_permission")
	if ok, _ := auth.HasModulePerms(ctx, db, root, uniq(t, "authtest")); !ok {
		t.Error("superuser lacks module perms")
	}
	all, err := auth.GetAllPermissions(ctx, db, root)
	if err != nil || !slices.Contains(all, f.key("publish_post")) || !slices.Contains(all, f.key("view_twitteruser")) {
		t.Errorf("superuser permissions: %d, %v", len(all), err)
	}
	// An inactive superuser has none.
	root.IsActive = ogm.Ptr(false)
	must(t, root.Save(ctx))
	check(root, f.key("delete_post"), false)

	// The flags are read from the database, not from the Go value.
	root.IsActive = ogm.Ptr(true) // not saved
	check(root, f.key("delete_post"), false)

	// A user not saved, or deleted, is an error.
	if _, err := auth.HasPerm(ctx, db, &auth.User{Username: "x"}, f.key("add_post")); !errors.Is(err, ogm.ErrNotSaved) {
		t.Errorf("unsaved user: %v", err)
	}
}

func TestObjectPermissions(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	f := newPermFixture(t, db)
	change := f.key("change_post")

	bob := newUser(t, db, "bob", nil)
	carol := newUser(t, db, "carol", nil)
	group, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: uniq(t, "reviewers")})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, group)
	must(t, carol.Groups().Connect(ctx, group))
	post1, err := twitter.PostNodes(db).Create(ctx, &twitter.Post{Title: "one"})
	if err != nil {
		t.Fatal(err)
	}
	post2, err := twitter.PostNodes(db).Create(ctx, &twitter.Post{Title: "two"})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, post1, post2)

	must(t, auth.GrantPermOn(ctx, db, bob, change, post1))
	must(t, auth.GrantPermOn(ctx, db, bob, change, post1)) // twice is once
	must(t, auth.GrantPermOn(ctx, db, group, change, post2))
	if err := auth.GrantPermOn(ctx, db, bob, f.key("nope"), post1); !errors.Is(err, auth.ErrUnknownPermission) {
		t.Errorf("unknown permission: %v", err)
	}

	check := func(u *auth.User, perm string, node auth.Object, want bool) {
		t.Helper()
		got, err := auth.HasPermOn(ctx, db, u, perm, node)
		if err != nil || got != want {
			t.Errorf("%s HasPermOn(%s) = %v, %v; want %v", u.Username, perm, got, err, want)
		}
	}
	check(bob, change, post1, true)
	check(bob, change, post2, false)
	check(bob, f.key("delete_post"), post1, false)
	check(carol, change, post2, true) // through the group
	check(carol, change, post1, false)
	for _, u := range []*auth.User{bob, carol} {
		if ok, err := auth.HasPermOn(ctx, db, u, f.key("nope"), post1); ok || !errors.Is(err, auth.ErrUnknownPermission) {
			t.Errorf("%s HasPermOn(unknown) = %v, %v; want ErrUnknownPermission", u.Username, ok, err)
		}
	}
	// Object grants are not global grants, and the other way round.
	if ok, _ := auth.HasPerm(ctx, db, bob, change); ok {
		t.Error("an object grant gave a global permission")
	}
	must(t, carol.UserPermissions().Connect(ctx, f.perms["change_post"]))
	check(carol, change, post1, false)

	if got, err := auth.GetPermsOn(ctx, db, bob, post1); err != nil || !slices.Equal(got, []string{change}) {
		t.Errorf("GetPermsOn: %q, %v", got, err)
	}
	var rels int64
	res, err := db.Cypher(ctx, "MATCH (u)-[r:HAS_PERMISSION_ON]->(n) WHERE elementId(u) = $u RETURN count(r)", map[string]any{"u": bob.ElementID()})
	if err == nil {
		rels = res.Rows[0][0].(int64)
	}
	if rels != 1 {
		t.Errorf("%d grant relationships, %v", rels, err)
	}

	must(t, auth.RevokePermOn(ctx, db, bob, change, post1))
	check(bob, change, post1, false)

	// Superuser: everything on every node; inactive: nothing.
	root := newUser(t, db, "root", nil, func(u *auth.User) { u.IsSuperuser = true })
	check(root, change, post1, true)
	if ok, err := auth.HasPermOn(ctx, db, root, "no.such_permission", post1); ok || !errors.Is(err, auth.ErrUnknownPermission) {
		t.Errorf("superuser HasPermOn(unknown) = %v, %v; want ErrUnknownPermission", ok, err)
	}
	if got, err := auth.GetPermsOn(ctx, db, root, post1); err != nil || !slices.Contains(got, f.key("publish_post")) || slices.Contains(got, f.key("add_twitteruser")) {
		t.Errorf("superuser GetPermsOn: %q, %v", got, err)
	}
	carol.IsActive = ogm.Ptr(false)
	must(t, carol.Save(ctx))
	check(carol, change, post2, false)

	// Deleted nodes are errors.
	must(t, post2.Delete(ctx))
	if _, err := auth.HasPermOn(ctx, db, carol, change, post2); !errors.Is(err, ogm.ErrDeleted) {
		t.Errorf("deleted node: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
