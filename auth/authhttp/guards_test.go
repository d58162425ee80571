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
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/ogm"
)

// TestRequirePerm: anonymous → login page (or 401 for an API), a user
// without the permission → 403 (page or JSON), with it through a group →
// the page.
func TestRequirePerm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.name("pam")
	u := e.user(name, "pam-pass-1")

	anon := e.browser()
	if r := anon.get("/publish"); r.StatusCode != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), "/accounts/login/?next=%2Fpublish") {
		t.Errorf("anonymous: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r := anon.get("/publish", "Accept", "application/json")
	if r.StatusCode != 401 || r.json(t)["error"] != "unauthenticated" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("anonymous API: %d %s", r.StatusCode, r.body)
	}

	b := e.browser()
	b.login(name, "pam-pass-1")
	if r := b.get("/publish"); r.StatusCode != 403 || !strings.Contains(r.body, "permission") {
		t.Errorf("without the permission: %d %s", r.StatusCode, r.body)
	}
	r = b.get("/publish", "Accept", "application/json")
	if r.StatusCode != 403 || r.json(t)["error"] != "forbidden" {
		t.Errorf("without the permission (API): %d %s", r.StatusCode, r.body)
	}
	e.queries.take()
	if r := b.postForm("/publish", nil); r.StatusCode != 403 {
		t.Errorf("POST without the permission: %d", r.StatusCode)
	}
	e.noWrites("a refused POST")

	group, err := auth.GroupNodes(e.db).Create(ctx, &auth.Group{Name: e.name("editors")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = group.Delete(ctx) })
	perm, err := auth.GetPermission(ctx, e.db, "twitter.publish_post")
	if err != nil {
		t.Fatal(err)
	}
	if err := group.Permissions().Connect(ctx, perm); err != nil {
		t.Fatal(err)
	}
	if err := u.Groups().Connect(ctx, group); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/publish"); r.StatusCode != 200 || r.body != "published" {
		t.Errorf("with the permission: %d %s", r.StatusCode, r.body)
	}
	if got := b.get("/perms").body; got != "true false true" {
		t.Errorf("perms %q", got)
	}
}

// TestRequirePermOn: the object guard loads the node from the path, checks
// the permission on it, and hands it to the handler.
func TestRequirePermOn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.name("quin")
	u := e.user(name, "quin-pass-1")
	post, err := twitter.PostNodes(e.db).Create(ctx, &twitter.Post{Title: "On graphs"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (p) WHERE elementId(p) = $id DETACH DELETE p", map[string]any{"id": post.ElementID()})
	})
	path := "/posts/" + url.PathEscape(post.ElementID())
	b := e.browser()
	if r := b.get(path); r.StatusCode != http.StatusFound {
		t.Errorf("anonymous: %d", r.StatusCode)
	}
	b.login(name, "quin-pass-1")
	if r := b.get(path); r.StatusCode != 403 {
		t.Errorf("without the grant: %d %s", r.StatusCode, r.body)
	}
	if err := auth.GrantPermOn(ctx, e.db, u, "twitter.change_post", post); err != nil {
		t.Fatal(err)
	}
	e.queries.take()
	if r := b.get(path); r.StatusCode != 200 || r.body != "editing On graphs" {
		t.Errorf("with the grant: %d %s", r.StatusCode, r.body)
	}
	if qs := e.queries.take(); len(qs) != 3 {
		t.Errorf("session+user, the post, the check: %d queries", len(qs))
	}
	for _, id := range []string{"4:00000000-0000-0000-0000-000000000000:999999999", "nonsense", u.ElementID()} {
		r := b.get("/posts/"+url.PathEscape(id), "Accept", "application/json")
		if r.StatusCode != 404 || r.json(t)["error"] != "not_found" {
			t.Errorf("post %q: %d %s", id, r.StatusCode, r.body)
		}
	}
}

// TestAPIErrorsHaveNoInternals: a failure inside (the store is down) is a
// 500 whose body says nothing of it; the log has it.
func TestAPIErrorsHaveNoInternals(t *testing.T) {
	e := newEnv(t, func(o *authhttp.Options) { o.Store = brokenStore{} })
	b := e.browser()
	b.setCookie(strings.Repeat("B", 43))
	r := b.get("/private", "Accept", "application/json")
	if r.StatusCode != 500 || r.json(t)["error"] != "internal" || strings.Contains(r.body, "store is down") {
		t.Errorf("%d %s", r.StatusCode, r.body)
	}
	if !strings.Contains(e.logs.String(), "store is down") {
		t.Errorf("not logged: %s", e.logs.String())
	}
}

// brokenStore fails every call.
type brokenStore struct{ authhttp.SessionStore }

func (brokenStore) Load(context.Context, string, time.Time) (*authhttp.SessionRecord, *ogm.Node, error) {
	return nil, nil, errors.New("the store is down")
}

// TestNoMiddleware: guards and views on a request that skipped the
// middleware answer 500 and say why in the log.
func TestNoMiddleware(t *testing.T) {
	e := newEnv(t)
	for _, h := range []http.Handler{e.m.RequireLogin(http.NotFoundHandler()), e.m.LoginView()} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
		if w.Code != 500 {
			t.Errorf("%d", w.Code)
		}
	}
	if !strings.Contains(e.logs.String(), "Middleware") {
		t.Errorf("log: %s", e.logs.String())
	}
	if err := e.m.Login(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), &auth.User{}); err != authhttp.ErrNoMiddleware {
		t.Errorf("Login: %v", err)
	}
}

// TestCrossOriginPost: an unsafe request from another origin is refused
// before anything is read; same-origin and non-browser requests pass.
func TestCrossOriginPost(t *testing.T) {
	e := newEnv(t)
	name := e.name("ray")
	e.user(name, "ray-pass-1")
	form := url.Values{"username": {name}, "password": {"ray-pass-1"}}
	for _, hdr := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "https://evil.example"},
	} {
		b := e.browser()
		r := b.postForm("/accounts/login/", form, hdr...)
		if r.StatusCode != 403 || b.cookie() != "" {
			t.Errorf("%v: %d, cookie %q", hdr, r.StatusCode, b.cookie())
		}
		if qs := e.queries.take(); len(qs) != 0 {
			t.Errorf("%v: %d queries", hdr, len(qs))
		}
	}
	// A logged-in user's cookie rides along on a forged form post: refused.
	b := e.browser()
	b.login(name, "ray-pass-1")
	e.queries.take()
	if r := b.postForm("/accounts/logout/", nil, "Sec-Fetch-Site", "cross-site"); r.StatusCode != 403 {
		t.Errorf("cross-site logout: %d", r.StatusCode)
	}
	e.noWrites("a cross-site logout")
	if b.whoami() != name {
		t.Error("the cross-site post logged the user out")
	}
	for _, hdr := range [][]string{{"Sec-Fetch-Site", "same-origin"}, {"Origin", e.srv.URL}, {}} {
		b := e.browser()
		if r := b.postForm("/accounts/login/", form, hdr...); r.StatusCode != http.StatusSeeOther {
			t.Errorf("%v: %d", hdr, r.StatusCode)
		}
	}
}

// TestOpenRedirect: after a login, next leads only to a path of this site.
func TestOpenRedirect(t *testing.T) {
	e := newEnv(t)
	name := e.name("sam")
	e.user(name, "sam-pass-1")
	for next, want := range map[string]string{
		"/posts/?page=2":       "/posts/?page=2",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"\\\\evil.example":     "/",
		"https://evil.example": "/",
		"http:/evil.example":   "/",
		"/%2F%2Fevil.example":  "/",
		"/%5Cevil.example":     "/",
		"%2F%2Fevil.example":   "/",
		"/\t/evil.example":     "/",
		"/\n/evil.example":     "/",
		" //evil.example":      "/",
		"javascript:alert(1)":  "/",
		"///evil.example":      "/",
		"/.//evil.example":     "/evil.example", // http.Redirect cleans the path
		"evil.example":         "/",
	} {
		b := e.browser()
		r := b.postForm("/accounts/login/", url.Values{"username": {name}, "password": {"sam-pass-1"}, "next": {next}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("next %q: %d → %q, want %q", next, r.StatusCode, r.Header.Get("Location"), want)
		}
		// Through the query string too, as the guards send it.
		b = e.browser()
		r = b.postForm("/accounts/login/?next="+url.QueryEscape(next), url.Values{"username": {name}, "password": {"sam-pass-1"}})
		if r.Header.Get("Location") != want {
			t.Errorf("?next=%q → %q, want %q", next, r.Header.Get("Location"), want)
		}
	}
}

// TestSafeNext lists what SafeNext keeps and refuses.
func TestSafeNext(t *testing.T) {
	for _, ok := range []string{"/", "/a/b?c=d#e", "/caf%C3%A9", "/a//b", "/?next=//evil"} {
		if authhttp.SafeNext(ok) != ok {
			t.Errorf("SafeNext(%q) refused", ok)
		}
	}
	for _, bad := range []string{
		"", "//evil", "/\\evil", "\\/evil", "https://evil", "HTTPS://evil", "//evil/%2F..", "/%2Fevil", "/%2f/evil",
		"/%5cevil", "/\x00", "/\r\nLocation: x", "/\u00a0//evil", "/\u2028", "a", "./x", "/" + strings.Repeat("a", 3000),
		"/\xff", "/%zz",
	} {
		if got := authhttp.SafeNext(bad); got != "" {
			t.Errorf("SafeNext(%q) = %q", bad, got)
		}
	}
}
