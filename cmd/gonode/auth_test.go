package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// withStdin makes input the standard input of the commands run until the
// test ends (a file, so not a terminal: the password is read, not asked).
func withStdin(t *testing.T, input string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(input); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = f
	t.Cleanup(func() { os.Stdin = old; f.Close() })
}

// authDB opens the test server; the users the test names are deleted when
// it ends (their names are random, the User label is shared).
func authDB(t *testing.T, usernames ...string) (*ogm.DB, string) {
	t.Helper()
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Cypher(ctx, "MATCH (u:User) WHERE u.username IN $names DETACH DELETE u", map[string]any{"names": usernames}); err != nil {
			t.Error(err)
		}
		db.Close(ctx)
	})
	return db, url
}

func randomName(t *testing.T, prefix string) string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

const goodPassword = "correct horse battery staple"

func TestAuthCreateUserAndSetPassword(t *testing.T) {
	ctx := context.Background()
	name := randomName(t, "clijohn")
	db, url := authDB(t, name)

	withStdin(t, goodPassword+"\n")
	code, out, errOut := run(t, "auth", "create-user", name, "--email", "John@EXAMPLE.com", "--db", url)
	if code != 0 || out != "created user \""+name+"\"\n" {
		t.Fatalf("create-user: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	u, err := auth.Authenticate(ctx, db, auth.Credentials{Username: name, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "John@example.com" || u.IsStaff || u.IsSuperuser || !strings.HasPrefix(u.Password, "pbkdf2_sha256$1000000$") {
		t.Errorf("created %+v", u)
	}

	// The same username again.
	withStdin(t, goodPassword+"\n")
	code, _, errOut = run(t, "auth", "create-user", name, "--db", url)
	if code != 1 || errOut != "gonode: user \""+name+"\" exists already\n" {
		t.Errorf("duplicate: exit %d, stderr %q", code, errOut)
	}

	// set-password, with the validators.
	withStdin(t, "12345678\n")
	code, _, errOut = run(t, "auth", "set-password", name, "--db", url)
	if code != 1 || !strings.Contains(errOut, "gonode: the password is refused:\n") ||
		!strings.Contains(errOut, "  This password is too common.\n") || !strings.Contains(errOut, "  This password is entirely numeric.\n") {
		t.Errorf("refused password: exit %d, stderr %q", code, errOut)
	}
	withStdin(t, "another fine passphrase\r\n")
	code, out, errOut = run(t, "auth", "set-password", name, "--db", url)
	if code != 0 || out != "changed the password of \""+name+"\"\n" {
		t.Fatalf("set-password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := auth.Authenticate(ctx, db, auth.Credentials{Username: name, Password: "another fine passphrase"}); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, err := auth.Authenticate(ctx, db, auth.Credentials{Username: name, Password: goodPassword}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("old password: %v", err)
	}
	withStdin(t, "123\n")
	if code, _, errOut := run(t, "auth", "set-password", name, "--skip-validation", "--db", url); code != 0 {
		t.Errorf("--skip-validation: exit %d, %s", code, errOut)
	}

	withStdin(t, goodPassword+"\n")
	code, _, errOut = run(t, "auth", "set-password", randomName(t, "nobody"), "--db", url)
	if code != 1 || !strings.HasPrefix(errOut, "gonode: no user \"nobody") {
		t.Errorf("unknown user: exit %d, stderr %q", code, errOut)
	}
}

func TestAuthCreateSuperuser(t *testing.T) {
	ctx := context.Background()
	name := randomName(t, "cliroot")
	db, url := authDB(t, name)
	withStdin(t, goodPassword+"\n")
	code, out, errOut := run(t, "auth", "create-superuser", name, "--db", url)
	if code != 0 || out != "created superuser \""+name+"\"\n" {
		t.Fatalf("create-superuser: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	u, err := auth.GetByNaturalKey(ctx, db, name)
	if err != nil || !u.IsStaff || !u.IsSuperuser || !u.HasUsablePassword() {
		t.Fatalf("created %+v, %v", u, err)
	}
}

func TestAuthCommandErrors(t *testing.T) {
	ctx := context.Background()
	name := randomName(t, "clierr")
	db, url := authDB(t, name)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"create-user", name}, "gonode: no password: standard input is empty"},
		{"\n", []string{"create-user", name}, "gonode: blank passwords are not allowed\n"},
		{"pw\n", []string{"create-user", name}, "This password is too short. It must contain at least 8 characters."},
		{name + "1\n", []string{"create-user", name}, "The password is too similar to the username."},
		{goodPassword + "\n", []string{"create-user", "john doe"}, "gonode: auth: invalid username: \"john doe\" may contain only letters"},
		{goodPassword + "\n", []string{"create-user", strings.Repeat("x", 151)}, "gonode: auth: invalid username: 151 characters"},
		{goodPassword + "\n", []string{"create-user", name, "--email", "nope"}, "gonode: invalid email address \"nope\"\n"},
		{goodPassword + "\n", []string{"create-user"}, "gonode: accepts 1 arg(s), received 0\nRun 'gonode auth create-user --help' for usage.\n"},
	} {
		withStdin(t, tc.stdin)
		code, out, errOut := run(t, append(append([]string{"auth"}, tc.args...), "--db", url)...)
		if code != 1 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q with stdin %q: exit %d, stdout %q, stderr %q; want %q", tc.args, tc.stdin, code, out, errOut, tc.want)
		}
	}
	if n, err := auth.UserNodes(db).Filter(auth.UserUsername.Eq(name)).Count(ctx); err != nil || n != 0 {
		t.Errorf("a failed command created %d users (%v)", n, err)
	}

	// --no-password: an unusable password, nothing read.
	withStdin(t, "")
	code, _, errOut := run(t, "auth", "create-user", name, "--no-password", "--db", url)
	if code != 0 {
		t.Fatalf("--no-password: exit %d, %s", code, errOut)
	}
	u, err := auth.GetByNaturalKey(ctx, db, name)
	if err != nil || u.HasUsablePassword() {
		t.Errorf("--no-password: %+v, %v", u, err)
	}
}

// TestInstallLabelsCreatesPermissions: install-labels on a schema that
// imports builtin:auth creates the permissions of both.
func TestInstallLabelsCreatesPermissions(t *testing.T) {
	ctx := context.Background()
	db, url := authDB(t)
	app := randomName(t, "authcli")
	t.Cleanup(func() {
		if _, err := db.Cypher(ctx, "MATCH (p:Permission {app_label: $a}) DETACH DELETE p", map[string]any{"a": app}); err != nil {
			t.Error(err)
		}
	})
	schema := writeSchema(t, `package: `+app+`
imports:
  auth: builtin:auth
nodes:
  BlogPost:
    properties:
      title: {type: string}
    relationships:
      author: {to: auth.User, type: WRITTEN_BY_CLI, reverse: blog_posts}
    permissions:
      publish_post: Can publish posts
`)
	code, out, errOut := run(t, "install-labels", "--db", url, schema)
	if code != 0 {
		t.Fatalf("install-labels: exit %d, %s", code, errOut)
	}
	for _, want := range []string{
		"permissions:\n",
		" permission " + app + ".add_blogpost (Can add blog post)\n",
		"  created permission " + app + ".publish_post (Can publish posts)\n",
		" permission auth.change_user (Can change user)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The auth schema's 12 may exist already; the app's 5 are new.
	if !regexp.MustCompile(`\ncreated (?:[5-9]|1[0-7]) permissions, found \d+\n$`).MatchString(out) {
		t.Errorf("summary:\n%s", out)
	}
	code, out, _ = run(t, "install-labels", "--db", url, schema)
	if code != 0 || !strings.Contains(out, "nothing to do: all 17 permissions exist\n") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	p, err := auth.GetPermission(ctx, db, app+".publish_post")
	if err != nil || p.Model != "blogpost" {
		t.Errorf("permission %+v, %v", p, err)
	}
}
