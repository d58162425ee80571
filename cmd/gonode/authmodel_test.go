package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

const membersSchema = "testdata/members.yaml"

// memberDB opens the test server; the Member nodes whose login_email is one
// of emails are deleted when the test ends.
func memberDB(t *testing.T, emails ...string) (*ogm.DB, string) {
	t.Helper()
	url := testenv.URL(t)
	t.Setenv("NEO4J_BOLT_URL", "")
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Cypher(ctx, "MATCH (u:User) WHERE u.login_email IN $e DETACH DELETE u", map[string]any{"e": emails}); err != nil {
			t.Error(err)
		}
		db.Close(ctx)
	})
	return db, url
}

// memberNode returns the labels and properties of the Member whose
// login_email is email, or nil when there is none.
func memberNode(t *testing.T, db *ogm.DB, email string) (labels []string, props map[string]any) {
	t.Helper()
	res, err := db.Cypher(context.Background(), "MATCH (u:User {login_email: $e}) RETURN labels(u), properties(u)", map[string]any{"e": email})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) == 0 {
		return nil, nil
	}
	if len(res.Rows) > 1 {
		t.Fatalf("%d users %s", len(res.Rows), email)
	}
	for _, l := range res.Rows[0][0].([]any) {
		labels = append(labels, l.(string))
	}
	slices.Sort(labels)
	return labels, res.Rows[0][1].(map[string]any)
}

// TestAuthCommandsWithModel: create-user, create-superuser and set-password
// with --schema and --model create and find nodes of the schema's user
// type: all its labels, its username field (an email, normalized), its
// required fields from --field, its defaults, its rules; and refuse what
// is missing or wrong, writing nothing.
func TestAuthCommandsWithModel(t *testing.T) {
	ctx := context.Background()
	local := randomName(t, "ann")
	ann, root := local+"@example.org", randomName(t, "root")+"@example.org"
	db, url := memberDB(t, ann, root)
	model := []string{"--schema", membersSchema, "--model", "Member", "--db", url}
	required := []string{"--field", "first_name=Ann", "--field", "card_number=7", "--field", "born=1990-05-01"}

	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"missing required fields": {nil, "gonode: Member requires first_name, card_number and born (required_fields): give --field first_name=VALUE --field card_number=VALUE --field born=VALUE (or run on a terminal to be asked)\n"},
		"a rule broken":           {[]string{"--field", "first_name=Ann", "--field", "card_number=0", "--field", "born=1990-05-01"}, "card_number"},
		"not an int":              {[]string{"--field", "first_name=Ann", "--field", "card_number=seven", "--field", "born=1990-05-01"}, `gonode: --field card_number: "seven" is not a int` + "\n"},
		"not a date":              {[]string{"--field", "first_name=Ann", "--field", "card_number=7", "--field", "born=01/05/1990"}, "(YYYY-MM-DD)"},
		"not a choice":            {append([]string{"--field", "level=platinum"}, required...), "level"},
		"unknown field":           {append([]string{"--field", "nickname=x"}, required...), `gonode: Member has no property "nickname" (its properties: username, email, first_name`},
		"password field":          {append([]string{"--field", "password=x"}, required...), "gonode: --field password: the password is asked for"},
		"username field":          {append([]string{"--field", "login_email=x@y.org"}, required...), "give it as the USERNAME argument"},
		"no =":                    {append([]string{"--field", "first_name"}, required...), `gonode: --field "first_name": write NAME=VALUE`},
	} {
		withStdin(t, goodPassword+"\n")
		args := append(append([]string{"auth", "create-user", "Ann@EXAMPLE.org"}, model...), c.args...)
		args[2] = local + "@EXAMPLE.org"
		code, out, errOut := run(t, args...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", name, code, out, errOut, c.want)
		}
		if labels, _ := memberNode(t, db, ann); labels != nil {
			t.Fatalf("%s: a node was written", name)
		}
	}

	withStdin(t, goodPassword+"\n")
	code, out, errOut := run(t, append(append([]string{"auth", "create-user", local + "@EXAMPLE.org"}, model...), required...)...)
	if code != 0 || out != fmt.Sprintf("created user %q (Member)\n", ann) {
		t.Fatalf("create-user: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	labels, props := memberNode(t, db, ann)
	if !slices.Equal(labels, []string{"Member", "Patron", "User"}) {
		t.Errorf("labels %v", labels)
	}
	born, _ := props["born"].(interface{ Time() time.Time })
	if props["username"] != ann || props["first_name"] != "Ann" || props["card_number"] != int64(7) || born == nil ||
		born.Time().Format(time.DateOnly) != "1990-05-01" || props["level"] != "basic" || props["vip"] != false ||
		props["is_active"] != true || props["is_staff"] != false || len(fmt.Sprint(props["member_id"])) != 32 {
		t.Errorf("stored %v", props)
	}
	for _, k := range []string{"joined", "date_joined"} {
		if _, ok := props[k].(time.Time); !ok {
			t.Errorf("%s = %#v, want the time of creation", k, props[k])
		}
	}
	if !strings.HasPrefix(fmt.Sprint(props["password"]), "pbkdf2_sha256$1000000$") {
		t.Errorf("password %v", props["password"])
	}
	u, err := auth.GetByNaturalKey(ctx, db, ann)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := u.CheckPassword(ctx, goodPassword); !ok || err != nil {
		t.Errorf("password does not check: %v, %v", ok, err)
	}

	// Again: the username field is taken.
	withStdin(t, goodPassword+"\n")
	code, _, errOut = run(t, append(append([]string{"auth", "create-user", ann}, model...), required...)...)
	if code != 1 || errOut != fmt.Sprintf("gonode: user %q exists already\n", ann) {
		t.Errorf("duplicate: exit %d, stderr %q", code, errOut)
	}

	// set-password finds the Member by its username field.
	withStdin(t, "another fine passphrase\n")
	code, out, errOut = run(t, append([]string{"auth", "set-password", ann}, model...)...)
	if code != 0 || out != fmt.Sprintf("changed the password of %q (Member)\n", ann) {
		t.Fatalf("set-password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	must(t, u.Refresh(ctx))
	if ok, _ := u.CheckPassword(ctx, "another fine passphrase"); !ok {
		t.Error("the new password does not check")
	}
	withStdin(t, "another fine passphrase\n")
	code, _, errOut = run(t, append([]string{"auth", "set-password", "nobody-" + ann}, model...)...)
	if code != 1 || errOut != fmt.Sprintf("gonode: no user %q (Member)\n", "nobody-"+ann) {
		t.Errorf("set-password of nobody: exit %d, stderr %q", code, errOut)
	}

	// create-superuser of the model.
	withStdin(t, goodPassword+"\n")
	code, out, errOut = run(t, append(append([]string{"auth", "create-superuser", root}, model...), required...)...)
	if code != 0 || out != fmt.Sprintf("created superuser %q (Member)\n", root) {
		t.Fatalf("create-superuser: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if labels, props := memberNode(t, db, root); !slices.Contains(labels, "Member") || props["is_staff"] != true || props["is_superuser"] != true {
		t.Errorf("superuser %v %v", labels, props)
	}

	// The flags go together, and name a user type.
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"model alone":   {[]string{"--model", "Member"}, "gonode: --model Member needs --schema"},
		"schema alone":  {[]string{"--schema", membersSchema}, "gonode: --schema testdata/members.yaml needs --model"},
		"not a user":    {[]string{"--schema", membersSchema, "--model", "Book"}, "gonode: Book is not a user type: it does not extend auth.User (user types of testdata/members.yaml: it declares Member)\n"},
		"unknown model": {[]string{"--schema", membersSchema, "--model", "Nope"}, `gonode: testdata/members.yaml has no node type "Nope"`},
		"bad schema":    {[]string{"--schema", "testdata/nope.yaml", "--model", "Member"}, "testdata/nope.yaml"},
	} {
		withStdin(t, goodPassword+"\n")
		code, _, errOut := run(t, append([]string{"auth", "create-user", "x@example.org", "--db", url}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", name, code, errOut, c.want)
		}
	}
}

// openPTY returns the two ends of a new pseudo-terminal: the program's
// side (a terminal, for term.IsTerminal and term.ReadPassword) and the
// side that types into it.
func openPTY(t *testing.T) (tty, typist *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, m
}

// TestAuthCreateUserPrompts: on a terminal, create-user asks for each
// required field the flags did not give (again after an answer that is
// not of the field's type or is empty), then for the password twice, as
// Django's createsuperuser does.
func TestAuthCreateUserPrompts(t *testing.T) {
	local := randomName(t, "tty")
	email := local + "@example.org"
	db, url := memberDB(t, email)
	tty, typist := openPTY(t)
	old := os.Stdin
	os.Stdin = tty
	t.Cleanup(func() { os.Stdin = old })
	// A terminal in canonical mode hands one line to each read: the
	// answers can be typed ahead.
	for _, line := range []string{"seven", "7", "", "1990-05-01", goodPassword, goodPassword} {
		if _, err := typist.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	go func() { // drain the echo
		buf := make([]byte, 4096)
		for {
			if _, err := typist.Read(buf); err != nil {
				return
			}
		}
	}()
	code, out, errOut := run(t, "auth", "create-user", email, "--schema", membersSchema, "--model", "Member", "--field", "first_name=Tia", "--db", url)
	if code != 0 || out != fmt.Sprintf("created user %q (Member)\n", email) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	want := `Card number: Error: card_number: "seven" is not a int.
Card number: Born (YYYY-MM-DD): Error: born is required.
Born (YYYY-MM-DD): Password: 
Password (again): 
`
	if errOut != want {
		t.Errorf("prompts\n%q\nwant\n%q", errOut, want)
	}
	_, props := memberNode(t, db, email)
	if props["first_name"] != "Tia" || props["card_number"] != int64(7) || props["born"] == nil {
		t.Errorf("stored %v", props)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
