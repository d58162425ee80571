package authhttp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/tokens"
	"github.com/gonode/gonode/ogm"
)

// TestLoginJSON: the API form of the login view, and what it refuses
// without reading the database or writing anything.
func TestLoginJSON(t *testing.T) {
	e := newEnv(t)
	name := e.name("abe")
	e.user(name, "abe-pass-1")
	b := e.browser()
	r := b.postJSON("/accounts/login/", `{"username": "`+name+`", "password": "abe-pass-1"}`)
	if r.StatusCode != 200 {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	user, _ := r.json(t)["user"].(map[string]any)
	if user["username"] != name || user["email"] != name+"@example.org" {
		t.Errorf("user %v", user)
	}
	if _, ok := user["password"]; ok || strings.Contains(r.body, "pbkdf2") {
		t.Errorf("the hash is in the answer: %s", r.body)
	}
	if b.get("/private", "Accept", "application/json").StatusCode != 200 {
		t.Error("the API login did not log in")
	}
	r = e.browser().postJSON("/accounts/login/", `{"username": "`+name+`", "password": "nope"}`)
	if r.StatusCode != 401 || r.json(t)["error"] != "invalid_credentials" {
		t.Errorf("wrong password: %d %s", r.StatusCode, r.body)
	}
	e.queries.take()
	for _, c := range []struct {
		ct, body string
		status   int
	}{
		{"application/json", `{"username": "` + name + `", "password": "abe-pass-1"`, 400},
		{"application/json", `["` + name + `"]`, 400},
		{"application/json", `{"username": 1, "password": "x"}`, 400},
		{"application/json", `{"username": "a", "password": "b", "admin": true}`, 400},
		{"application/json", `{"username": "a", "password": "b"} {"x": 1}`, 400},
		{"application/json", `{"username": "a\u0000", "password": "b"}`, 400},
		{"application/json", `{"username": "", "password": ""}`, 400},
		{"application/json", `{"username": "` + strings.Repeat("a", 70000) + `"}`, 413},
		{"application/json", `{"username": "` + strings.Repeat("a", 5000) + `", "password": "x"}`, 400},
		{"text/plain", "username=a&password=b", 415},
		{"", "username=a&password=b", 415},
		{"application/x-www-form-urlencoded", "username=a&username=b&password=c", 400},
		{"application/x-www-form-urlencoded", "username=%zz&password=c", 400},
		{"application/x-www-form-urlencoded", "username=%ff&password=c", 400},
		{"application/x-www-form-urlencoded", "password=c", 400},
	} {
		r := e.browser().do("POST", "/accounts/login/", strings.NewReader(c.body), "Content-Type", c.ct, "Accept", "application/json")
		if r.StatusCode != c.status {
			t.Errorf("%s %.60q: %d, want %d: %s", c.ct, c.body, r.StatusCode, c.status, r.body)
		}
		if qs := e.queries.take(); len(qs) != 0 {
			t.Errorf("%s %.60q: %d queries", c.ct, c.body, len(qs))
		}
		if strings.Contains(r.body, "panic") || strings.Contains(r.body, "goroutine") {
			t.Errorf("internals in %s", r.body)
		}
	}
}

// TestPasswordChange: the view keeps the session logged in (with a new
// key) and logs out the user's other sessions; wrong old passwords, a
// mismatch and a weak password change nothing.
func TestPasswordChange(t *testing.T) {
	e := newEnv(t)
	name := e.name("bea")
	u := e.user(name, "bea-pass-1")
	here, there := e.browser(), e.browser()
	here.login(name, "bea-pass-1")
	there.login(name, "bea-pass-1")
	if r := e.browser().get("/accounts/password_change/"); r.StatusCode != http.StatusFound {
		t.Errorf("anonymous: %d", r.StatusCode)
	}
	if r := here.get("/accounts/password_change/"); r.StatusCode != 200 || !strings.Contains(r.body, "new_password1") {
		t.Fatalf("form: %d", r.StatusCode)
	}
	e.queries.take()
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"old_password": {"wrong"}, "new_password1": {"Tr0ub4dor&3x"}, "new_password2": {"Tr0ub4dor&3x"}}, "Your old password was entered incorrectly"},
		{url.Values{"old_password": {"bea-pass-1"}, "new_password1": {"Tr0ub4dor&3x"}, "new_password2": {"Tr0ub4dor&3y"}}, "didn’t match"},
		{url.Values{"old_password": {"bea-pass-1"}, "new_password1": {"password"}, "new_password2": {"password"}}, "This password is too common."},
		{url.Values{"old_password": {"bea-pass-1"}, "new_password1": {"12345678901"}, "new_password2": {"12345678901"}}, "This password is entirely numeric."},
		{url.Values{"old_password": {"bea-pass-1"}, "new_password1": {name}, "new_password2": {name}}, "too similar to the username"},
		{url.Values{"old_password": {"bea-pass-1"}}, "This field is required."},
	} {
		r := here.postForm("/accounts/password_change/", c.form)
		if r.StatusCode != 200 || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d, want %q:\n%s", c.form, r.StatusCode, c.want, r.body)
		}
		// Only the throttle's count of a wrong old password is written.
		w := writes(e.queries.take())
		if c.form.Get("old_password") == "wrong" {
			if len(w) != 1 || !strings.Contains(w[0], "LoginThrottle") {
				t.Errorf("wrong old password wrote %q", w)
			}
		} else if len(w) != 0 {
			t.Errorf("%v wrote %q", c.form, w)
		}
	}
	before := here.cookie()
	r := here.postForm("/accounts/password_change/", url.Values{"old_password": {"bea-pass-1"}, "new_password1": {"Tr0ub4dor&3x"}, "new_password2": {"Tr0ub4dor&3x"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/accounts/password_change/done/" {
		t.Fatalf("change: %d %q %s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	if here.cookie() == before {
		t.Error("the session kept its key")
	}
	if got := here.whoami(); got != name {
		t.Errorf("the changing session is logged out (%q)", got)
	}
	if got := there.whoami(); got != "" {
		t.Errorf("the other session is still logged in as %q", got)
	}
	if n := e.sessions(u); n != 1 {
		t.Errorf("%d sessions stored, want 1", n)
	}
	if r := here.get("/accounts/password_change/done/"); r.StatusCode != 200 || !strings.Contains(r.body, "Your password was changed") {
		t.Errorf("done: %d", r.StatusCode)
	}
	e.browser().login(name, "Tr0ub4dor&3x")
	// The API form.
	r = here.postJSON("/accounts/password_change/", `{"old_password": "Tr0ub4dor&3x", "new_password1": "short", "new_password2": "short"}`)
	if r.StatusCode != 400 {
		t.Fatalf("API weak: %d %s", r.StatusCode, r.body)
	}
	fields, _ := r.json(t)["fields"].(map[string]any)
	if !strings.Contains(strings.Join(strings.Fields(anyString(fields["new_password2"])), " "), "too short") {
		t.Errorf("API fields %v", fields)
	}
}

func anyString(v any) string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestPasswordReset: the whole flow, through the development mailer; the
// link works once; unknown addresses get the same answer for the same
// work; forged, expired and reused links change nothing.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	name := e.name("cal")
	u := e.user(name, "cal-pass-1")
	old := e.browser()
	old.login(name, "cal-pass-1")

	b := e.browser()
	if r := b.get("/accounts/password_reset/"); r.StatusCode != 200 || !strings.Contains(r.body, `name="email"`) {
		t.Fatalf("form: %d", r.StatusCode)
	}
	e.queries.take()
	known := b.postForm("/accounts/password_reset/", url.Values{"email": {strings.ToUpper(name) + "@EXAMPLE.ORG"}})
	knownQueries := e.queries.take()
	unknown := b.postForm("/accounts/password_reset/", url.Values{"email": {"nobody-" + name + "@example.org"}})
	unknownQueries := e.queries.take()
	if known.StatusCode != http.StatusSeeOther || known.Header.Get("Location") != "/accounts/password_reset/done/" {
		t.Fatalf("known: %d %q", known.StatusCode, known.Header.Get("Location"))
	}
	if unknown.StatusCode != known.StatusCode || unknown.Header.Get("Location") != known.Header.Get("Location") || unknown.body != known.body {
		t.Errorf("unknown address answered differently: %d %q", unknown.StatusCode, unknown.Header.Get("Location"))
	}
	if len(knownQueries) != len(unknownQueries) || len(writes(knownQueries)) != 0 || len(writes(unknownQueries)) != 0 {
		t.Errorf("queries: known %q, unknown %q", knownQueries, unknownQueries)
	}
	mails := e.mails()
	if len(mails) != 1 || !strings.Contains(mails[0], "To: "+name+"@example.org") || !strings.Contains(mails[0], "Your username, in case you've forgotten: "+name) {
		t.Fatalf("mails: %q", mails)
	}
	link := resetLink(t, mails[0])
	// JSON request: 202 for any address.
	for _, addr := range []string{name + "@example.org", "nobody@example.org"} {
		r := b.postJSON("/accounts/password_reset/", `{"email": "`+addr+`"}`)
		if r.StatusCode != 202 {
			t.Errorf("API %s: %d %s", addr, r.StatusCode, r.body)
		}
	}
	for _, bad := range []string{"", "not-an-email", "a@b@c"} {
		r := b.postForm("/accounts/password_reset/", url.Values{"email": {bad}})
		if r.StatusCode != 200 || !strings.Contains(r.body, "errors") {
			t.Errorf("email %q: %d", bad, r.StatusCode)
		}
	}
	e.mails()

	r := b.get(link)
	if r.StatusCode != 200 || !strings.Contains(r.body, "new_password1") || r.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("link: %d %q\n%s", r.StatusCode, r.Header.Get("Referrer-Policy"), r.body)
	}
	e.queries.take()
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"new_password1": {"Zebra-Stapler-9"}, "new_password2": {"Zebra-Stapler-8"}}, "didn’t match"},
		{url.Values{"new_password1": {"qwerty123"}, "new_password2": {"qwerty123"}}, "too common"},
		{url.Values{"new_password1": {"Zebra-Stapler-9"}}, "This field is required."},
	} {
		r := b.postForm(link, c.form)
		if r.StatusCode != 200 || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d, want %q", c.form, r.StatusCode, c.want)
		}
	}
	e.noWrites("refused reset confirms")
	uid, token := splitLink(t, link)
	for what, p := range map[string]string{
		"forged token":   "/accounts/reset/" + uid + "/" + forge(token) + "/",
		"malformed uid":  "/accounts/reset/%25%25/" + token + "/",
		"another user":   "/accounts/reset/" + uidOf("root") + "/" + token + "/",
		"garbage token":  "/accounts/reset/" + uid + "/x-y-z/",
		"huge token":     "/accounts/reset/" + uid + "/" + strings.Repeat("a", 500) + "-b/",
		"missing token":  "/accounts/reset/" + uid + "//",
		"short uid only": "/accounts/reset/" + uid + "/",
	} {
		r := b.postForm(p, url.Values{"new_password1": {"Zebra-Stapler-9"}, "new_password2": {"Zebra-Stapler-9"}})
		if r.StatusCode == http.StatusSeeOther {
			t.Errorf("%s accepted", what)
		}
		if r.StatusCode == 200 && !strings.Contains(r.body, "invalid") {
			t.Errorf("%s: %s", what, r.body)
		}
	}
	e.noWrites("forged reset links")

	r = b.postForm(link, url.Values{"new_password1": {"Zebra-Stapler-9"}, "new_password2": {"Zebra-Stapler-9"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/accounts/reset/done/" {
		t.Fatalf("reset: %d %s", r.StatusCode, r.body)
	}
	if r := b.get("/accounts/reset/done/"); !strings.Contains(r.body, "Your password has been set") {
		t.Errorf("complete: %s", r.body)
	}
	if old.whoami() != "" {
		t.Error("a session from before the reset is still logged in")
	}
	if n := e.sessions(u); n != 0 {
		t.Errorf("%d sessions left after the reset", n)
	}
	// The link has been used: it no longer works.
	e.queries.take()
	r = b.postForm(link, url.Values{"new_password1": {"Other-Stapler-7"}, "new_password2": {"Other-Stapler-7"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "invalid") {
		t.Errorf("reused link: %d %s", r.StatusCode, r.body)
	}
	e.noWrites("a reused link")
	if r := b.get(link, "Accept", "application/json"); r.StatusCode != 400 || r.json(t)["error"] != "invalid_link" {
		t.Errorf("reused link (API): %d %s", r.StatusCode, r.body)
	}
	e.browser().login(name, "Zebra-Stapler-9")
}

// TestPasswordResetExpiredAndInactive: a link past the reset timeout, or of
// a user made inactive, is invalid.
func TestPasswordResetExpiredAndInactive(t *testing.T) {
	e := newEnv(t)
	name := e.name("dee")
	u := e.user(name, "dee-pass-1")
	b := e.browser()
	b.postForm("/accounts/password_reset/", url.Values{"email": {name + "@example.org"}})
	link := resetLink(t, e.mails()[0])
	if r := b.get(link, "Accept", "application/json"); r.StatusCode != 200 {
		t.Fatalf("fresh link: %d %s", r.StatusCode, r.body)
	}
	e.clock.advance(tokens.DefaultTimeout + time.Minute)
	if r := b.get(link, "Accept", "application/json"); r.StatusCode != 400 {
		t.Errorf("expired link: %d", r.StatusCode)
	}
	b.postForm("/accounts/password_reset/", url.Values{"email": {name + "@example.org"}})
	link = resetLink(t, e.mails()[1])
	u.IsActive = ogm.Ptr(false)
	if err := u.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := b.get(link, "Accept", "application/json"); r.StatusCode != 400 {
		t.Errorf("inactive user's link: %d", r.StatusCode)
	}
	// An inactive user gets no email at all.
	b.postForm("/accounts/password_reset/", url.Values{"email": {name + "@example.org"}})
	if n := len(e.mails()); n != 2 {
		t.Errorf("%d mails, want 2", n)
	}
}

func splitLink(t *testing.T, link string) (uid, token string) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(link, "/accounts/reset/"), "/"), "/")
	if len(parts) != 2 {
		t.Fatalf("link %q", link)
	}
	return parts[0], parts[1]
}

// forge changes the last digit of a token's hash.
func forge(token string) string {
	last := token[len(token)-1]
	if last == '0' {
		return token[:len(token)-1] + "1"
	}
	return token[:len(token)-1] + "0"
}

// uidOf is the uidb64 of a username, as Django encodes a pk.
func uidOf(username string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(username))
}

// TestSignup: bad input changes nothing; a good signup creates the user and
// logs it in.
func TestSignup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	taken := e.name("taken")
	e.user(taken, "taken-pass-1")
	name := e.name("new")
	b := e.browser()
	if r := b.get("/accounts/signup/"); r.StatusCode != 200 || !strings.Contains(r.body, "password2") {
		t.Fatalf("form: %d", r.StatusCode)
	}
	e.queries.take()
	good := "Violet-Lamp-42"
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"username": {"bad name!"}, "password1": {good}, "password2": {good}}, "Enter a valid username"},
		{url.Values{"username": {strings.Repeat("x", 151)}, "password1": {good}, "password2": {good}}, "at most 150"},
		{url.Values{"username": {name}, "email": {"nope"}, "password1": {good}, "password2": {good}}, "Enter a valid email address."},
		{url.Values{"username": {name}, "password1": {good}, "password2": {good + "x"}}, "didn’t match"},
		{url.Values{"username": {name}, "password1": {"abc"}, "password2": {"abc"}}, "too short"},
		{url.Values{"username": {name}}, "This field is required."},
	} {
		r := b.postForm("/accounts/signup/", c.form)
		if r.StatusCode != 200 || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d, want %q\n%s", c.form, r.StatusCode, c.want, r.body)
		}
	}
	e.noWrites("refused signups")
	r := b.postForm("/accounts/signup/", url.Values{"username": {taken}, "password1": {good}, "password2": {good}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "already exists") {
		t.Errorf("taken: %d %s", r.StatusCode, r.body)
	}
	r = b.postForm("/accounts/signup/", url.Values{"username": {name}, "email": {name + "@Example.ORG"}, "password1": {good}, "password2": {good}, "next": {"/private"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/private" {
		t.Fatalf("signup: %d %s", r.StatusCode, r.body)
	}
	u, err := auth.GetByNaturalKey(ctx, e.db, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (u) WHERE elementId(u) = $id OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u", map[string]any{"id": u.ElementID()})
	})
	if u.Email != name+"@example.org" || !strings.HasPrefix(u.Password, "pbkdf2_sha256$") {
		t.Errorf("stored %+v", u)
	}
	if b.whoami() != name {
		t.Error("not logged in after signup")
	}
	// Off unless enabled.
	e2 := newEnv(t, func(o *authhttp.Options) { o.Signup = false })
	if r := e2.browser().get("/accounts/signup/"); r.StatusCode != 404 {
		t.Errorf("signup disabled: %d", r.StatusCode)
	}
}

// TestThrottle: past the limit the login answers 429 with Retry-After,
// without checking the password and without writing; the window closes;
// a success clears the username's count.
func TestThrottle(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) {
		o.Throttle = authhttp.Throttle{Window: 10 * time.Minute, PerUsername: 3, PerAddress: 5}
	})
	name := e.name("eli")
	e.user(name, "eli-pass-1")
	b := e.browser()
	fail := func() *response {
		return b.postForm("/accounts/login/", url.Values{"username": {name}, "password": {"wrong"}})
	}
	for i := range 3 {
		if r := fail(); r.StatusCode != 200 {
			t.Fatalf("failure %d: %d", i, r.StatusCode)
		}
	}
	e.queries.take()
	r := b.postForm("/accounts/login/", url.Values{"username": {name}, "password": {"eli-pass-1"}})
	if r.StatusCode != 429 || r.Header.Get("Retry-After") != "600" || b.cookie() != "" {
		t.Fatalf("throttled: %d %q %q", r.StatusCode, r.Header.Get("Retry-After"), b.cookie())
	}
	if qs := e.queries.take(); len(qs) != 1 || len(writes(qs)) != 0 {
		t.Errorf("a throttled login: %q", qs)
	}
	e.clock.advance(4 * time.Minute)
	r = b.postJSON("/accounts/login/", `{"username": "`+strings.ToUpper(name)+`", "password": "x"}`)
	if r.StatusCode != 429 || r.Header.Get("Retry-After") != "360" || r.json(t)["retry_after"] != 360.0 {
		t.Errorf("throttled (API, another spelling): %d %q %s", r.StatusCode, r.Header.Get("Retry-After"), r.body)
	}
	e.clock.advance(6 * time.Minute)
	fail() // a new window: 1 failure
	b.login(name, "eli-pass-1")
	// The success cleared the username's count: 3 more failures are allowed...
	for range 2 {
		fail()
	}
	if r := fail(); r.StatusCode != 200 {
		t.Errorf("after a success, failure 3: %d", r.StatusCode)
	}
	// ...but the address counts every failure of this window: 4 so far,
	// and a fifth (of another username) reaches its limit.
	other := e.name("fox")
	e.user(other, "fox-pass-1")
	b.postForm("/accounts/login/", url.Values{"username": {other}, "password": {"wrong"}})
	if r := b.postForm("/accounts/login/", url.Values{"username": {other}, "password": {"fox-pass-1"}}); r.StatusCode != 429 {
		t.Errorf("address over its limit: %d", r.StatusCode)
	}
	// Another address is not throttled.
	e.addr += "-2"
	e.browser().login(other, "fox-pass-1")
}

// TestThrottleShared: two Managers (two instances of an application) on
// the same database share the counts.
func TestThrottleShared(t *testing.T) {
	e1 := newEnv(t, func(o *authhttp.Options) { o.Throttle.PerUsername = 2 })
	e2 := newEnv(t, func(o *authhttp.Options) { o.Throttle.PerUsername = 2 })
	name := e1.name("gus")
	e1.user(name, "gus-pass-1")
	e2.addr = e1.addr + "-other"
	e1.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"x"}})
	e2.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"x"}})
	r := e1.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"gus-pass-1"}})
	if r.StatusCode != 429 {
		t.Errorf("after a failure on each instance: %d", r.StatusCode)
	}
}

// TestThrottleDisabled: with the throttle off, failures are not counted.
func TestThrottleDisabled(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) { o.Throttle = authhttp.Throttle{Disabled: true, PerUsername: 1} })
	name := e.name("hop")
	e.user(name, "hop-pass-1")
	for range 3 {
		e.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"x"}})
	}
	e.noWrites("failures with the throttle off")
	e.browser().login(name, "hop-pass-1")
}

// TestTemplatesOverride: a file of Options.Templates replaces the embedded
// template of its name; a broken one is refused by New.
func TestTemplatesOverride(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) {
		o.Templates = fstest.MapFS{
			"login.html":               {Data: []byte(`{{template "base" .}}{{define "content"}}<p id="custom">Welcome back, {{.UsernameLabel}}</p>{{end}}`)},
			"password_reset_email.txt": {Data: []byte("Reset at {{.ResetURL}} for {{.Username}}\n")},
		}
	})
	if r := e.browser().get("/accounts/login/"); !strings.Contains(r.body, `<p id="custom">Welcome back, Username</p>`) || !strings.Contains(r.body, "<!doctype html>") {
		t.Errorf("override:\n%s", r.body)
	}
	name := e.name("ida")
	e.user(name, "ida-pass-1")
	e.browser().postForm("/accounts/password_reset/", url.Values{"email": {name + "@example.org"}})
	if mails := e.mails(); len(mails) != 1 || !strings.Contains(mails[0], "Reset at http://") {
		t.Errorf("mail %q", mails)
	}
	_, err := authhttp.New(e.db, auth.UserModel, authhttp.Options{Config: e.cfg, Templates: fstest.MapFS{"login.html": {Data: []byte("{{if}}")}}})
	if err == nil || !strings.Contains(err.Error(), "login.html") {
		t.Errorf("broken template: %v", err)
	}
}

// TestNewRefuses: options that cannot work are refused at New.
func TestNewRefuses(t *testing.T) {
	e := newEnv(t)
	for what, c := range map[string]struct {
		opts authhttp.Options
		err  error
	}{
		"no config":        {authhttp.Options{}, authhttp.ErrNoSecretKey},
		"no secret":        {authhttp.Options{Config: &auth.Config{}}, authhttp.ErrNoSecretKey},
		"mailer, no base":  {authhttp.Options{Config: e.cfg, Mailer: &authhttp.DevMailer{}}, authhttp.ErrBadOptions},
		"relative base":    {authhttp.Options{Config: e.cfg, Mailer: &authhttp.DevMailer{}, BaseURL: "/x"}, authhttp.ErrBadOptions},
		"another model":    {authhttp.Options{Config: &auth.Config{SecretKey: "s", UserModel: &auth.Model[auth.User]{}}}, authhttp.ErrBadOptions},
		"__Host- + domain": {authhttp.Options{Config: e.cfg, Cookie: authhttp.CookieOptions{HostPrefix: true, Domain: "x"}}, authhttp.ErrBadOptions},
	} {
		if _, err := authhttp.New(e.db, auth.UserModel, c.opts); !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want %v", what, err, c.err)
		}
	}
	if _, err := authhttp.New[auth.User](nil, auth.UserModel, authhttp.Options{Config: e.cfg}); !errors.Is(err, authhttp.ErrBadOptions) {
		t.Errorf("no db: %v", err)
	}
}

// TestRetryAfterIsWholeSeconds: a wait of 1.2 s is announced as 2.
func TestRetryAfterIsWholeSeconds(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) { o.Throttle = authhttp.Throttle{Window: 10 * time.Second, PerUsername: 1} })
	name := e.name("jay")
	e.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"x"}})
	e.clock.advance(8800 * time.Millisecond)
	r := e.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"x"}})
	if r.StatusCode != 429 || r.Header.Get("Retry-After") != strconv.Itoa(2) {
		t.Errorf("%d %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

// TestJSONAnswersHoldNoSecrets: the users in the JSON answers (login,
// signup) are the generated types' own JSON (encoding/json of the *T), in
// which the password hash is absent by construction (a sensitive
// property); no answer of any JSON view carries the hash, the session key
// of the cookie, its stored hash or the session auth hash.
func TestJSONAnswersHoldNoSecrets(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name, signed := e.name("jo"), e.name("jon")
	e.user(name, "jo-pass-1", func(u *auth.User) { u.FirstName = "Jo" })
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (u:User {username: $n}) OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u", map[string]any{"n": signed})
	})
	b, sb := e.browser(), e.browser()
	answers := map[string]*response{}
	answers["login"] = b.postJSON("/accounts/login/", `{"username": "`+name+`", "password": "jo-pass-1"}`)
	answers["signup"] = sb.postJSON("/accounts/signup/", `{"username": "`+signed+`", "email": "`+signed+`@example.org", "password1": "Violet-Lamp-42", "password2": "Violet-Lamp-42"}`)
	answers["change (wrong)"] = b.postJSON("/accounts/password_change/", `{"old_password": "nope", "new_password1": "x", "new_password2": "x"}`)
	answers["reset"] = b.postJSON("/accounts/password_reset/", `{"email": "`+name+`@example.org"}`)
	answers["private"] = b.get("/private", "Accept", "application/json")
	answers["logout"] = sb.postJSON("/accounts/logout/", `{}`)
	for what, code := range map[string]int{"login": 200, "signup": 201, "change (wrong)": 400, "reset": 202, "logout": 200} {
		if answers[what].StatusCode != code {
			t.Errorf("%s: %d %s", what, answers[what].StatusCode, answers[what].body)
		}
	}
	for _, what := range []string{"login", "signup"} {
		var got struct {
			User map[string]any `json:"user"`
		}
		if err := json.Unmarshal([]byte(answers[what].body), &got); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for _, key := range []string{"element_id", "username", "email", "is_active", "is_superuser", "date_joined"} {
			if _, ok := got.User[key]; !ok {
				t.Errorf("%s: no %q in %v", what, key, got.User)
			}
		}
		if _, ok := got.User["password"]; ok {
			t.Errorf("%s: the password in %v", what, got.User)
		}
	}
	if first, _ := answers["login"].json(t)["user"].(map[string]any)["first_name"].(string); first != "Jo" {
		t.Errorf("login: first_name %q", first)
	}
	var secrets []string
	for _, who := range []string{name, signed} {
		res, err := e.db.Cypher(ctx, "MATCH (u:User {username: $n}) OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) RETURN u.password, collect(s.key_hash), collect(s.user_auth_hash)", map[string]any{"n": who})
		if err != nil || len(res.Rows) != 1 {
			t.Fatal(res, err)
		}
		secrets = append(secrets, res.Rows[0][0].(string))
		for _, col := range res.Rows[0][1:] {
			for _, v := range col.([]any) {
				secrets = append(secrets, v.(string))
			}
		}
	}
	secrets = append(secrets, b.cookie(), "pbkdf2_sha256$")
	for _, s := range secrets {
		if s == "" {
			t.Fatal("an empty secret")
		}
	}
	for what, r := range answers {
		for _, s := range secrets {
			if strings.Contains(r.body, s) {
				t.Errorf("%s: answer holds %.12q…: %s", what, s, r.body)
			}
		}
		for _, key := range []string{`"password"`, `"key_hash"`, `"user_auth_hash"`} {
			if strings.Contains(r.body, key) {
				t.Errorf("%s: answer holds %s: %s", what, key, r.body)
			}
		}
	}
}
