package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/emailuser"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/auth/internal/authtest/usertypes"
	"github.com/gonode/gonode/ogm"
)

// printedTwitterUser returns a TwitterUser with a password, a handle of its
// own and a fetched relationship (another TwitterUser, with a password of
// its own), and the secrets printing either must not show.
func printedTwitterUser(t *testing.T) (*twitter.TwitterUser, []string) {
	t.Helper()
	const raw, rawFollowed = "correct-horse-battery-staple", "followed-horse-battery"
	tu := &twitter.TwitterUser{User: auth.User{Username: "printed", Email: "p@example.com"}, Handle: "@printed-handle"}
	followed := &twitter.TwitterUser{User: auth.User{Username: "followed"}, Handle: "@followed-handle"}
	cfg := &auth.Config{Hashers: cheapHashers}
	if err := cfg.SetPassword(&tu.User, raw); err != nil {
		t.Fatal(err)
	}
	if err := cfg.SetPassword(&followed.User, rawFollowed); err != nil {
		t.Fatal(err)
	}
	tu.Fetched.Follows = []*twitter.TwitterUser{followed}
	secrets := append(hashParts(tu.Password), raw, rawFollowed)
	return tu, append(secrets, hashParts(followed.Password)...)
}

// TestExtendedUserPrinting: a type generated with extends: auth.User prints
// its own fields and its Fetched, not only auth.User's, with every fmt
// verb, inside slices, maps and structs, and through log/slog (text and
// JSON) and encoding/json; and it still never shows a password hash.
func TestExtendedUserPrinting(t *testing.T) {
	tu, secrets := printedTwitterUser(t)
	// Each output must show the handle of the user; those marked also the
	// handle of the user it follows (its Fetched).
	type output struct {
		how, text string
		fetched   bool
	}
	var outputs []output
	add := func(how, text string, fetched bool) { outputs = append(outputs, output{how, text, fetched}) }
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		add(format+" of *TwitterUser", fmt.Sprintf(format, tu), true)
		add(format+" of TwitterUser", fmt.Sprintf(format, *tu), true)
		add(format+" of []*TwitterUser", fmt.Sprintf(format, []*twitter.TwitterUser{tu}), true)
		add(format+" of map[string]TwitterUser", fmt.Sprintf(format, map[string]twitter.TwitterUser{"k": *tu}), true)
		add(format+" of a struct", fmt.Sprintf(format, struct{ U *twitter.TwitterUser }{tu}), true)
	}
	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
		{"JSON", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
	} {
		for _, arg := range []struct {
			name string
			v    any
		}{
			{"*TwitterUser", tu},
			{"TwitterUser", *tu},
			{"[]*TwitterUser", []*twitter.TwitterUser{tu}},
			{"map[string]TwitterUser", map[string]twitter.TwitterUser{"k": *tu}},
			{"a struct", struct{ U twitter.TwitterUser }{*tu}},
		} {
			var buf bytes.Buffer
			slog.New(h.new(&buf)).Info("login", "user", arg.v)
			add("slog "+h.name+" of "+arg.name, buf.String(), true)
		}
	}
	for _, v := range []any{tu, []twitter.TwitterUser{*tu}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		add(fmt.Sprintf("json.Marshal of %T", v), string(b), true)
	}
	for _, out := range outputs {
		if found := secretsIn(out.text, secrets...); len(found) > 0 {
			t.Errorf("%s shows %q: %s", out.how, found, out.text)
		}
		if !strings.Contains(out.text, "@printed-handle") {
			t.Errorf("%s does not show TwitterUser.Handle: %s", out.how, out.text)
		}
		if out.fetched && !strings.Contains(out.text, "@followed-handle") {
			t.Errorf("%s does not show TwitterUser.Fetched: %s", out.how, out.text)
		}
		if !strings.Contains(out.text, "printed") {
			t.Errorf("%s lacks the username: %s", out.how, out.text)
		}
	}
	// The shapes of fmt's own struct printing.
	if plus := fmt.Sprintf("%+v", tu); !strings.Contains(plus, "Handle:@printed-handle") || !strings.Contains(plus, "Password:[redacted]") || !strings.Contains(plus, "Fetched:{") {
		t.Errorf("%%+v: %s", plus)
	}
	if goSyntax := fmt.Sprintf("%#v", *tu); !strings.HasPrefix(goSyntax, "twitter.TwitterUser{User:auth.User{") || !strings.Contains(goSyntax, `Handle:"@printed-handle"`) {
		t.Errorf("%%#v: %s", goSyntax)
	}
	if s := tu.String(); s != "TwitterUser(printed)" {
		t.Errorf("String() = %q", s)
	}
	// Printing does not change the user.
	if ok, _ := (&auth.Config{Hashers: cheapHashers}).CheckPassword(t.Context(), &tu.User, "correct-horse-battery-staple"); !ok {
		t.Error("password hash changed by printing")
	}

	// A custom user model too, through its own generated package.
	eu := &emailuser.EmailUser{User: auth.User{Username: "e@example.org", Password: tu.Password}, LoginEmail: "login@example.org"}
	for _, text := range []string{fmt.Sprintf("%+v", eu), fmt.Sprint([]emailuser.EmailUser{*eu}), eu.String(), logged(eu)} {
		if found := secretsIn(text, secrets...); len(found) > 0 {
			t.Errorf("EmailUser printed with %q: %s", found, text)
		}
		if !strings.Contains(text, "login@example.org") && !strings.HasPrefix(text, "EmailUser(") {
			t.Errorf("EmailUser printed without its login_email: %s", text)
		}
	}
}

// logged is what slog's JSON handler writes of v.
func logged(v any) string {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
	return buf.String()
}

// TestExtendedUserPrintingCycle: a user that follows itself (a cycle made
// by hand; FetchRelations makes none) prints, nested users cut at some
// depth, instead of recursing without end.
func TestExtendedUserPrintingCycle(t *testing.T) {
	tu, secrets := printedTwitterUser(t)
	tu.Fetched.Follows = append(tu.Fetched.Follows, tu)
	for _, format := range []string{"%v", "%+v", "%#v"} {
		out := fmt.Sprintf(format, tu)
		if !strings.Contains(out, "{…}") || len(out) > 1<<20 {
			t.Errorf("%s of a cycle: %d bytes, no {…}", format, len(out))
		}
		if found := secretsIn(out, secrets...); len(found) > 0 {
			t.Errorf("%s of a cycle shows %q", format, found)
		}
	}
	if goSyntax := fmt.Sprintf("%#v", tu); !strings.Contains(goSyntax, "twitter.TwitterUser{…}") {
		t.Errorf("%%#v of a cycle does not name the type it cuts: %s", goSyntax[len(goSyntax)-200:])
	}
	if _, err := json.Marshal(tu); err == nil {
		t.Error("json.Marshal of a cycle succeeded")
	}
}

// TestExtendedUserPrintingChain: the types of a chain that extends
// auth.User, an abstract one included, each print their own fields, those
// of the types between them and auth.User, their Extra (semi_structured)
// and Fetched, and never the password hash; log/slog shows an optional
// property's value, not its pointer.
func TestExtendedUserPrintingChain(t *testing.T) {
	r := &usertypes.Reseller{Region: "eu"}
	r.Username, r.Nickname, r.Age, r.Vip = "rita", "Rita R.", ogm.Ptr(41), ogm.Ptr(true)
	r.Extra = map[string]any{"legacy_id": "L-77"}
	r.Fetched.Referred = []*usertypes.Customer{{Person: usertypes.Person{Nickname: "Carl C."}}}
	if err := (&auth.Config{Hashers: cheapHashers}).SetPassword(&r.User, "s3cret-pass-x"); err != nil {
		t.Fatal(err)
	}
	hash := r.Password
	var jsonLog, textLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("m", "r", r, "list", []*usertypes.Reseller{r})
	slog.New(slog.NewTextHandler(&textLog, nil)).Info("m", "r", r, "list", []usertypes.Reseller{*r}, "p", r.Person)
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	// fmt prints the optional age as fmt prints any pointer field; the
	// logs and JSON show its value.
	printed := []string{fmt.Sprintf("%v", r), fmt.Sprintf("%+v", *r), fmt.Sprintf("%#v", r), fmt.Sprint([]*usertypes.Reseller{r})}
	for i, out := range append(printed, jsonLog.String(), textLog.String(), string(js)) {
		if strings.Contains(out, hash) || strings.Contains(out, "s3cret-pass-x") {
			t.Errorf("the password shows in %s", out)
		}
		want := []string{"rita", "Rita R.", "eu", "L-77", "Carl C."}
		if i >= len(printed) {
			want = append(want, "41")
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%q is missing from %s", w, out)
			}
		}
	}
	if !strings.Contains(jsonLog.String(), `"age":41`) {
		t.Errorf("slog shows the optional age as a pointer: %s", jsonLog.String())
	}
	if goSyntax := fmt.Sprintf("%#v", r.Person); !strings.HasPrefix(goSyntax, "usertypes.Person{User:auth.User{") || !strings.Contains(goSyntax, `Nickname:"Rita R."`) {
		t.Errorf("%%#v of the abstract Person: %s", goSyntax)
	}
	if s := r.String(); s != "Reseller(rita)" {
		t.Errorf("String() = %q", s)
	}
}
