package authhttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/internal/authtest/emailuser"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/ogm"
)

// TestLoginLogout: a protected page redirects to the login page with next;
// a wrong password shows the form again and logs nobody in; the right one
// sets an HttpOnly, SameSite=Lax cookie (not Secure over plain HTTP) and
// redirects to next; logout deletes the session and the cookie.
func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	name := e.name("ann")
	u := e.user(name, "ann-pass-1")
	b := e.browser()

	r := b.get("/private?tab=1")
	if r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/accounts/login/?next=%2Fprivate%3Ftab%3D1" {
		t.Fatalf("anonymous /private: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r = b.get(r.Header.Get("Location"))
	if r.StatusCode != 200 || !strings.Contains(r.body, `name="next" value="/private?tab=1"`) {
		t.Fatalf("login form: %d\n%s", r.StatusCode, r.body)
	}
	for _, h := range []string{"Cache-Control", "X-Frame-Options", "Content-Security-Policy"} {
		if r.Header.Get(h) == "" {
			t.Errorf("login page without %s", h)
		}
	}

	r = b.postForm("/accounts/login/", url.Values{"username": {name}, "password": {"wrong"}, "next": {"/private?tab=1"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "Please enter a correct username and password") || r.Header.Get("Set-Cookie") != "" {
		t.Fatalf("wrong password: %d %q\n%s", r.StatusCode, r.Header.Get("Set-Cookie"), r.body)
	}
	if strings.Contains(r.body, "wrong") {
		t.Error("the page shows the password typed")
	}

	r = b.postForm("/accounts/login/", url.Values{"username": {name}, "password": {"ann-pass-1"}, "next": {"/private?tab=1"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/private?tab=1" {
		t.Fatalf("login: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	sc := r.Header.Get("Set-Cookie")
	for _, want := range []string{"sessionid=", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, "Secure") || strings.Contains(sc, "Domain") {
		t.Errorf("Set-Cookie %q over plain HTTP", sc)
	}
	key := b.cookie()
	if strings.Contains(r.Header.Get("Location"), key) {
		t.Error("the session key is in the redirect")
	}
	if got := b.whoami(); got != name {
		t.Fatalf("logged in as %q", got)
	}
	if n := e.sessions(u); n != 1 {
		t.Errorf("%d sessions stored", n)
	}
	// The database holds the key's hash, never the key.
	res, err := e.db.Cypher(context.Background(), "MATCH (s:Session)-[:SESSION_OF]->(u) WHERE elementId(u) = $id RETURN s.key_hash, keys(s)", map[string]any{"id": u.ElementID()})
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Rows[0][0].(string); h == key || len(h) != 64 {
		t.Errorf("stored key hash %q", h)
	}

	r = b.do("GET", "/accounts/logout/", nil)
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET logout: %d", r.StatusCode)
	}
	r = b.postForm("/accounts/logout/", nil)
	if r.StatusCode != 200 || !strings.Contains(r.body, "logged out") || !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d %q\n%s", r.StatusCode, r.Header.Get("Set-Cookie"), r.body)
	}
	if got := b.whoami(); got != "" {
		t.Errorf("after logout: %q", got)
	}
	if n := e.sessions(u); n != 0 {
		t.Errorf("%d sessions left after logout", n)
	}
	if strings.Contains(e.logs.String(), key) {
		t.Error("the session key was logged")
	}
}

// TestStolenCookieAfterLogout: a copy of the cookie taken before logout
// opens nothing afterwards, and trying it writes nothing.
func TestStolenCookieAfterLogout(t *testing.T) {
	e := newEnv(t)
	name := e.name("bob")
	e.user(name, "bob-pass-1")
	b := e.browser()
	b.login(name, "bob-pass-1")
	stolen := b.cookie()
	thief := e.browser()
	thief.setCookie(stolen)
	if got := thief.whoami(); got != name {
		t.Fatalf("the copied cookie before logout: %q", got)
	}
	b.postForm("/accounts/logout/", nil)
	e.queries.take()
	r := thief.get("/private")
	if r.StatusCode != http.StatusFound {
		t.Fatalf("stolen cookie after logout: %d %s", r.StatusCode, r.body)
	}
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("the dead cookie is not deleted: %q", r.Header.Get("Set-Cookie"))
	}
	e.noWrites("a stolen cookie")
	// A forged key and a malformed one cost no write either (a malformed
	// one no query at all).
	forger := e.browser()
	forger.setCookie(strings.Repeat("A", 43))
	if forger.whoami() != "" {
		t.Error("forged key logged in")
	}
	e.noWrites("a forged key")
	forger.setCookie("not-a-key")
	forger.get("/private")
	if qs := e.queries.take(); len(qs) != 0 {
		t.Errorf("a malformed key sent %d queries", len(qs))
	}
}

// TestNoSessionFixation: a key the browser had before logging in (planted
// by an attacker: an anonymous session of their own) stops working at
// login, and the logged-in session has another key.
func TestNoSessionFixation(t *testing.T) {
	e := newEnv(t)
	name := e.name("cat")
	e.user(name, "cat-pass-1")
	attacker := e.browser()
	r := attacker.postForm("/data", url.Values{"cart": {"bait"}})
	if r.StatusCode != 200 {
		t.Fatalf("anonymous session: %d %s", r.StatusCode, r.body)
	}
	planted := attacker.cookie()
	victim := e.browser()
	victim.setCookie(planted)
	if got := victim.get("/data").body; got != "bait" {
		t.Fatalf("planted session data %q", got)
	}
	victim.login(name, "cat-pass-1")
	if victim.cookie() == planted {
		t.Fatal("login kept the planted key")
	}
	if got := attacker.whoami(); got != "" {
		t.Errorf("the attacker's key is logged in as %q", got)
	}
	// The planted session is gone, not merely left behind.
	if got := attacker.get("/data").body; got != "<nil>" {
		t.Errorf("the planted session still holds %q", got)
	}
	// Django keeps an anonymous session's data across the login.
	if got := victim.get("/data").body; got != "bait" {
		t.Errorf("data after login %q", got)
	}
}

// TestQueriesPerRequest: without a cookie a request costs no query; with a
// session, one query loads the session and the user; a permission check
// adds one, however many checks the request makes; a superuser's costs none.
// The first check of a Manager also loads the names of the permissions
// that exist, once.
func TestQueriesPerRequest(t *testing.T) {
	e := newEnv(t)
	name := e.name("dan")
	e.user(name, "dan-pass-1")
	b := e.browser()
	b.get("/private")
	if qs := e.queries.take(); len(qs) != 0 {
		t.Errorf("anonymous request: %d queries", len(qs))
	}
	b.login(name, "dan-pass-1")
	e.queries.take()
	b.whoami()
	if qs := e.queries.take(); len(qs) != 1 {
		t.Errorf("session and user: %d queries: %q", len(qs), qs)
	}
	if got := b.get("/perms").body; got != "false false false" {
		t.Errorf("perms: %q", got)
	}
	if qs := e.queries.take(); len(qs) != 3 || !strings.Contains(qs[1], ":Permission) RETURN n") {
		t.Errorf("three permission checks, the Manager's first: %d queries, want 3 (session, the permissions that exist, the user's): %q", len(qs), qs)
	}
	for range 2 {
		if got := b.get("/perms").body; got != "false false false" {
			t.Errorf("perms: %q", got)
		}
		if qs := e.queries.take(); len(qs) != 2 {
			t.Errorf("three permission checks: %d queries, want 2: %q", len(qs), qs)
		}
	}
	root := e.name("root")
	e.user(root, "root-pass-1", func(u *auth.User) { u.IsSuperuser = true })
	rb := e.browser()
	rb.login(root, "root-pass-1")
	e.queries.take()
	if got := rb.get("/perms").body; got != "true true true" {
		t.Errorf("superuser perms: %q", got)
	}
	if qs := e.queries.take(); len(qs) != 1 {
		t.Errorf("superuser: %d queries", len(qs))
	}
}

// TestInactiveUser: an inactive user cannot log in (the same answer as a
// wrong password), and a user made inactive is logged out at the next
// request.
func TestInactiveUser(t *testing.T) {
	e := newEnv(t)
	name := e.name("eve")
	u := e.user(name, "eve-pass-1")
	b := e.browser()
	b.login(name, "eve-pass-1")
	u.IsActive = ogm.Ptr(false)
	if err := u.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.whoami(); got != "" {
		t.Errorf("inactive user still logged in as %q", got)
	}
	r := e.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"eve-pass-1"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "Please enter a correct username and password") {
		t.Errorf("inactive login: %d %s", r.StatusCode, r.body)
	}
	api := e.browser().postJSON("/accounts/login/", `{"username": "`+name+`", "password": "eve-pass-1"}`)
	if api.StatusCode != 401 || api.json(t)["error"] != "invalid_credentials" {
		t.Errorf("inactive login (API): %d %s", api.StatusCode, api.body)
	}
}

// TestPasswordChangedElsewhere: a password changed outside the session (by
// gonode auth set-password, an admin) logs out every session of the user.
func TestPasswordChangedElsewhere(t *testing.T) {
	e := newEnv(t)
	name := e.name("fay")
	u := e.user(name, "fay-pass-1")
	b := e.browser()
	b.login(name, "fay-pass-1")
	if err := e.cfg.ChangePassword(context.Background(), u, "fay-pass-2"); err != nil {
		t.Fatal(err)
	}
	e.queries.take()
	if got := b.whoami(); got != "" {
		t.Errorf("after a password change elsewhere, still %q", got)
	}
	e.noWrites("a stale session")
}

// TestDeletedUser: the session of a deleted user is refused.
func TestDeletedUser(t *testing.T) {
	e := newEnv(t)
	name := e.name("gil")
	u := e.user(name, "gil-pass-1")
	b := e.browser()
	b.login(name, "gil-pass-1")
	if err := u.Delete(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.whoami(); got != "" {
		t.Errorf("deleted user logged in as %q", got)
	}
}

// TestExpiry: activity is written at most once per touch interval; a
// session idle for longer than the idle timeout, or older than the maximum
// age, is refused; clear-sessions deletes what expired.
func TestExpiry(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) {
		o.IdleTimeout = time.Hour
		o.TouchInterval = 10 * time.Minute
		o.MaxAge = 3 * time.Hour
	})
	name := e.name("hal")
	u := e.user(name, "hal-pass-1")
	b := e.browser()
	b.login(name, "hal-pass-1")
	e.queries.take()
	e.clock.advance(5 * time.Minute)
	b.whoami()
	e.noWrites("a request within the touch interval")
	e.clock.advance(6 * time.Minute)
	b.whoami()
	if w := writes(e.queries.take()); len(w) != 1 {
		t.Errorf("a request past the touch interval: %d writes", len(w))
	}
	// Active every 50 minutes, the session lives until its maximum age.
	for range 3 {
		e.clock.advance(50 * time.Minute)
		if b.whoami() != name {
			t.Fatalf("active session refused at %v", e.clock.Now())
		}
	}
	e.clock.advance(50 * time.Minute) // 3h 1m after login
	if b.whoami() != "" {
		t.Error("session outlived its maximum age")
	}
	// Idle: a new session, then 61 minutes without a request.
	b2 := e.browser()
	b2.login(name, "hal-pass-1")
	e.clock.advance(61 * time.Minute)
	if b2.whoami() != "" {
		t.Error("idle session still logged in")
	}
	if n := e.sessions(u); n != 2 {
		t.Fatalf("%d sessions stored, want the 2 expired ones", n)
	}
	n, err := e.m.ClearExpiredSessions(context.Background())
	if err != nil || n < 2 {
		t.Errorf("clear: %d, %v", n, err)
	}
	if n := e.sessions(u); n != 0 {
		t.Errorf("%d sessions left", n)
	}
}

// TestSessionData: data set before login survives it; logout drops it.
func TestSessionData(t *testing.T) {
	e := newEnv(t)
	name := e.name("ivy")
	e.user(name, "ivy-pass-1")
	b := e.browser()
	b.postForm("/data", url.Values{"cart": {"3 books"}})
	b.login(name, "ivy-pass-1")
	if got := b.get("/data").body; got != "3 books" {
		t.Errorf("after login: %q", got)
	}
	b.postForm("/data", url.Values{"cart": {"4 books"}})
	if got := b.get("/data").body; got != "4 books" {
		t.Errorf("changed: %q", got)
	}
	b.postForm("/accounts/logout/", nil)
	if got := b.get("/data").body; got != "<nil>" {
		t.Errorf("after logout: %q", got)
	}
}

// TestCookieOptions: the __Host- prefix, Secure over TLS.
func TestCookieOptions(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) { o.Cookie.HostPrefix = true })
	name := e.name("jon")
	e.user(name, "jon-pass-1")
	r := e.browser().postForm("/accounts/login/", url.Values{"username": {name}, "password": {"jon-pass-1"}})
	sc := r.Header.Get("Set-Cookie")
	if !strings.HasPrefix(sc, "__Host-sessionid=") || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "Path=/") {
		t.Errorf("Set-Cookie %q", sc)
	}
	for _, bad := range []authhttp.CookieOptions{
		{HostPrefix: true, Domain: "example.com"},
		{HostPrefix: true, Path: "/app"},
		{HostPrefix: true, Secure: authhttp.SecureNever},
	} {
		if _, err := authhttp.New(e.db, auth.UserModel, authhttp.Options{Config: e.cfg, Cookie: bad}); !errors.Is(err, authhttp.ErrBadOptions) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// TestCustomUserModel: a Manager of EmailUser logs users in by email and
// gives handlers the *emailuser.EmailUser.
func TestCustomUserModel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := &auth.Config{Hashers: cheapHashers, SecretKey: secret, UserModel: emailuser.EmailUserModel}
	m, err := authhttp.New(e.db, emailuser.EmailUserModel, authhttp.Options{Config: cfg, ClientAddr: func(*http.Request) string { return e.addr }})
	if err != nil {
		t.Fatal(err)
	}
	addr := e.name("kim") + "@example.org"
	u, err := cfg.CreateUser(ctx, e.db, addr, "", ogm.Ptr("kim-pass-1"), func(u *auth.User) { u.FirstName = "Kim" })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (u) WHERE elementId(u) = $id OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u", map[string]any{"id": u.ElementID()})
	})
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())
	mux.Handle("GET /private", m.RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var eu *emailuser.EmailUser = m.User(r)
		w.Write([]byte("hello " + eu.FirstName + " " + eu.LoginEmail))
	})))
	e.serve(m.Middleware(mux))
	b := e.browser()
	if r := b.get("/accounts/login/"); !strings.Contains(r.body, "Login email") {
		t.Errorf("login label:\n%s", r.body)
	}
	b.login(addr, "kim-pass-1")
	if got := b.whoami(); got != "Kim "+addr {
		t.Errorf("whoami %q", got)
	}
	// A plain User's session is not a session of this model.
	other := e.name("lee")
	e.user(other, "lee-pass-1")
	if r := e.browser().postForm("/accounts/login/", url.Values{"username": {other}, "password": {"lee-pass-1"}}); r.StatusCode != 200 {
		t.Errorf("a User who is not an EmailUser: %d", r.StatusCode)
	}
}

// TestUpdateSessionAuthHash: after a password change of the application's
// own, UpdateSessionAuthHash keeps this session (with a new key) and logs
// out the others.
func TestUpdateSessionAuthHash(t *testing.T) {
	e := newEnv(t)
	name := e.name("kit")
	u := e.user(name, "kit-pass-1")
	here, there := e.browser(), e.browser()
	here.login(name, "kit-pass-1")
	there.login(name, "kit-pass-1")
	before := here.cookie()
	if r := here.postForm("/rehash", url.Values{"password": {"kit-pass-2"}}); r.StatusCode != 200 || r.body != "changed" {
		t.Fatalf("%d %s", r.StatusCode, r.body)
	}
	if here.cookie() == before || here.whoami() != name {
		t.Error("the session that changed the password is not kept under a new key")
	}
	if there.whoami() != "" {
		t.Error("the other session is still logged in")
	}
	if n := e.sessions(u); n != 1 {
		t.Errorf("%d sessions", n)
	}
}

// TestSecureOverTLS: over TLS the cookie is Secure (SecureAuto), and
// SecureNever leaves it out.
func TestSecureOverTLS(t *testing.T) {
	e := newEnv(t)
	name := e.name("lou")
	e.user(name, "lou-pass-1")
	for mode, want := range map[authhttp.SecureMode]bool{authhttp.SecureAuto: true, authhttp.SecureNever: false} {
		m, err := authhttp.New(e.db, auth.UserModel, authhttp.Options{Config: e.cfg, Cookie: authhttp.CookieOptions{Secure: mode},
			ClientAddr: func(*http.Request) string { return e.addr }, Now: e.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewTLSServer(m.Middleware(m.Handler()))
		c := srv.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.PostForm(srv.URL+"/accounts/login/", url.Values{"username": {name}, "password": {"lou-pass-1"}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var sc string
		for _, c := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "sessionid=") {
				sc = c
			}
		}
		if sc == "" || strings.Contains(sc, "; Secure") != want {
			t.Errorf("mode %d over TLS: Set-Cookie %q (%d), want Secure %v", mode, sc, resp.StatusCode, want)
		}
	}
}

// TestCustomModelQueries: a Manager of a model that extends auth.User
// (TwitterUser) logs users in and signs them up without reading the user
// again: the login view sends the throttle's check, the login's read and
// its write of last_login (auth.AuthenticateAs returns the *TwitterUser
// it read), the throttle's reset and the session's write; signup sends the
// create and the session's write. No query reads a user by element id,
// and handlers get the *twitter.TwitterUser with its own fields.
func TestCustomModelQueries(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := &auth.Config{Hashers: cheapHashers, SecretKey: secret, Now: e.clock.Now}
	m, err := authhttp.New(e.db, twitter.TwitterUserModel, authhttp.Options{Config: cfg, Signup: true, Now: e.clock.Now, ClientAddr: func(*http.Request) string { return e.addr }})
	if err != nil {
		t.Fatal(err)
	}
	name := e.name("tia")
	tu := &twitter.TwitterUser{User: auth.User{Username: name}, Handle: "@tia"}
	if err := cfg.SetPassword(&tu.User, "tia-pass-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateUserAs(ctx, e.db, twitter.TwitterUserModel, tu); err != nil {
		t.Fatal(err)
	}
	signed := e.name("sam")
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (u:User) WHERE u.username IN $names OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u", map[string]any{"names": []string{name, signed}})
	})
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())
	mux.Handle("GET /private", m.RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *twitter.TwitterUser = m.User(r)
		w.Write([]byte("hello " + u.Username + " " + u.Handle))
	})))
	e.serve(m.Middleware(mux))
	rereads := func(what string, qs []string) {
		t.Helper()
		for _, q := range qs {
			if strings.Contains(q, "elementId") && !writeWord.MatchString(q) {
				t.Errorf("%s read a node by element id: %q", what, q)
			}
		}
	}

	b := e.browser()
	e.queries.take()
	b.login(name, "tia-pass-1")
	qs := e.queries.take()
	if len(qs) != 5 || len(writes(qs)) != 3 {
		t.Errorf("login: %d queries (%d writes), want 5 (3 writes): %q", len(qs), len(writes(qs)), qs)
	}
	rereads("login", qs)
	if got := b.whoami(); got != name+" @tia" {
		t.Errorf("whoami %q", got)
	}
	if qs := e.queries.take(); len(qs) != 1 {
		t.Errorf("a request: %d queries: %q", len(qs), qs)
	}

	sb := e.browser()
	e.queries.take()
	r := sb.postForm("/accounts/signup/", url.Values{"username": {signed}, "password1": {"Violet-Lamp-42"}, "password2": {"Violet-Lamp-42"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("signup: %d %s", r.StatusCode, r.body)
	}
	qs = e.queries.take()
	if len(qs) != 2 || len(writes(qs)) != 2 {
		t.Errorf("signup: %d queries (%d writes), want 2 (2 writes): %q", len(qs), len(writes(qs)), qs)
	}
	rereads("signup", qs)
	if got := sb.whoami(); got != signed+" " {
		t.Errorf("whoami after signup %q", got)
	}
}
