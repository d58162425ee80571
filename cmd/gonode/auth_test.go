package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
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

// TestClearSessions: clear-sessions deletes the expired sessions (absolute
// or idle expiry past) and closed throttle windows, and keeps live ones.
func TestClearSessions(t *testing.T) {
	ctx := context.Background()
	name := randomName(t, "clear")
	db, url := authDB(t, name)
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema); err != nil {
		t.Fatal(err)
	}
	u, err := auth.CreateUser(ctx, db, name, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	store := authhttp.NewNeo4jStore(db)
	now := time.Now()
	hashes := map[string]time.Time{}
	for i, exp := range []time.Time{now.Add(-time.Hour), now.Add(-time.Second), now.Add(time.Hour)} {
		h := strings.Repeat(string(rune('a'+i)), 24) + randomName(t, "")
		h = (h + strings.Repeat("0", 64))[:64]
		hashes[h] = exp
		rec := &authhttp.SessionRecord{KeyHash: h, CreatedAt: now.Add(-2 * time.Hour), LastActivity: now.Add(-2 * time.Hour), ExpireDate: exp, AbsoluteExpireDate: now.Add(time.Hour)}
		if i == 0 {
			rec.UserID, rec.UserAuthHash = u.ElementID(), "x"
		}
		if err := store.Replace(ctx, "", rec); err != nil {
			t.Fatal(err)
		}
	}
	keys := make([]string, 0, len(hashes))
	for h := range hashes {
		keys = append(keys, h)
	}
	t.Cleanup(func() {
		_, _ = db.Cypher(ctx, "MATCH (s:Session) WHERE s.key_hash IN $k DETACH DELETE s", map[string]any{"k": keys})
	})
	if _, err := db.Cypher(ctx, "CREATE (:LoginThrottle {key: $k, failures: 3, window_end: datetime() - duration('PT1M')})", map[string]any{"k": name}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "auth", "clear-sessions", "--db", url)
	if code != 0 || !regexp.MustCompile(`^deleted \d+ expired sessions\n$`).MatchString(out) {
		t.Fatalf("exit %d: %q %s", code, out, errOut)
	}
	var n int
	if _, err := fmt.Sscanf(out, "deleted %d", &n); err != nil || n < 2 {
		t.Errorf("deleted %d (%v), want at least the 2 of this test", n, err)
	}
	res, err := db.Cypher(ctx, "MATCH (s:Session) WHERE s.key_hash IN $k RETURN s.key_hash", map[string]any{"k": keys})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || hashes[res.Rows[0][0].(string)].Before(now) {
		t.Errorf("left %v", res.Rows)
	}
	res, err = db.Cypher(ctx, "MATCH (t:LoginThrottle {key: $k}) RETURN count(t)", map[string]any{"k": name})
	if err != nil || res.Rows[0][0] != int64(0) {
		t.Errorf("closed throttle window left: %v %v", res.Rows, err)
	}
	// The user of the expired session is not touched.
	if _, err := auth.GetByNaturalKey(ctx, db, name); err != nil {
		t.Errorf("user: %v", err)
	}
	// No database: exit 1, an error on stderr, nothing on stdout.
	code, out, errOut = run(t, "auth", "clear-sessions", "--db", "bolt://neo4j:wrong@127.0.0.1:1")
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "gonode: ") {
		t.Errorf("bad db: exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "auth", "clear-sessions", "extra"); code != 1 || !strings.Contains(errOut, "unknown command") && !strings.Contains(errOut, "accepts 0") {
		t.Errorf("extra argument: %d %q", code, errOut)
	}
}
