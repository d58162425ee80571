package authhttp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/internal/testenv"
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
	perm, err := auth.GetPermission(ctx, e.db, twitter.PermPublishPost)
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
	if err := auth.GrantPermOn(ctx, e.db, u, twitter.PermChangePost, post); err != nil {
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

// TestUnknownPermission: a guard naming a permission that no Permission
// node has is a programming error: a logged-in request gets 500 with
// nothing of it in the body, and the log names the permission (superusers
// too, as auth.HasPerm); HasPerm and HasPermOn fail with
// auth.ErrUnknownPermission. A permission created after the Manager's
// first check is found. Malformed names panic when the guard is built;
// RequirePerm() asks for a login only.
func TestUnknownPermission(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	m := e.m
	name, root := e.name("uma"), e.name("root")
	e.user(name, "uma-pass-1")
	e.user(root, "root-pass-1", func(u *auth.User) { u.IsSuperuser = true })
	post, err := twitter.PostNodes(e.db).Create(ctx, &twitter.Post{Title: "Unknown"})
	if err != nil {
		t.Fatal(err)
	}
	late := "twitter." + strings.ToLower(strings.TrimPrefix(testenv.Label(t), "Test_"))
	t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (p) WHERE elementId(p) = $id DETACH DELETE p", map[string]any{"id": post.ElementID()})
		_, _ = e.db.Cypher(ctx, "MATCH (p:Permission {app_label: 'twitter'}) WHERE 'twitter.' + p.codename = $late DETACH DELETE p", map[string]any{"late": late})
	})
	const missing = "twitter.no_such_permission"
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("through")) })
	loadPost := func(r *http.Request) (auth.Object, error) {
		return twitter.PostNodes(e.db).GetByElementID(r.Context(), r.PathValue("id"))
	}
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())
	mux.Handle("GET /bad", m.RequirePerm(twitter.PermPublishPost, missing)(ok))
	mux.Handle("GET /bad/{id}", m.RequirePermOn(missing, loadPost)(ok))
	mux.Handle("GET /late", m.RequirePerm(late)(ok))
	mux.Handle("GET /none", m.RequirePerm()(ok))
	mux.Handle("GET /check", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := m.HasPerm(r, missing)
		_, errOn := m.HasPermOn(r, missing, post)
		w.Write([]byte(fmt.Sprint(errors.Is(err, auth.ErrUnknownPermission), errors.Is(errOn, auth.ErrUnknownPermission))))
	}))
	e.serve(m.Middleware(mux))

	if r := e.browser().get("/bad"); r.StatusCode != http.StatusFound {
		t.Errorf("anonymous: %d (the login comes first)", r.StatusCode)
	}
	// No permission asked: a login is all it takes, and the names of the
	// permissions are not loaded.
	nb := e.browser()
	nb.login(name, "uma-pass-1")
	e.queries.take()
	if r := nb.get("/none"); r.StatusCode != 200 {
		t.Errorf("RequirePerm(): %d", r.StatusCode)
	}
	if qs := e.queries.take(); len(qs) != 1 {
		t.Errorf("RequirePerm(): %d queries, want 1 (the session): %q", len(qs), qs)
	}
	for _, who := range []string{name, root} {
		b := e.browser()
		b.login(who, map[string]string{name: "uma-pass-1", root: "root-pass-1"}[who])
		for _, path := range []string{"/bad", "/bad/" + url.PathEscape(post.ElementID())} {
			r := b.get(path, "Accept", "application/json")
			if r.StatusCode != 500 || r.json(t)["error"] != "internal" || strings.Contains(r.body, "no_such") {
				t.Errorf("%s %s: %d %s", who, path, r.StatusCode, r.body)
			}
			if r := b.get(path); r.StatusCode != 500 || strings.Contains(r.body, "no_such") {
				t.Errorf("%s %s (page): %d %s", who, path, r.StatusCode, r.body)
			}
		}
		if got := b.get("/check").body; got != "true true" {
			t.Errorf("%s: HasPerm, HasPermOn matching ErrUnknownPermission: %s", who, got)
		}
	}
	if logs := e.logs.String(); !strings.Contains(logs, "auth: unknown permission") || !strings.Contains(logs, "no_such_permission") {
		t.Errorf("not logged:\n%s", logs)
	}

	// Created while the application runs: the next check finds it.
	b, rb := e.browser(), e.browser()
	b.login(name, "uma-pass-1")
	rb.login(root, "root-pass-1")
	if r := b.get("/late"); r.StatusCode != 500 {
		t.Errorf("before it exists: %d", r.StatusCode)
	}
	codename := strings.TrimPrefix(late, "twitter.")
	if _, err := auth.PermissionNodes(e.db).Create(ctx, &auth.Permission{AppLabel: "twitter", Codename: codename, Name: "Can do it late"}); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/late"); r.StatusCode != 403 {
		t.Errorf("once it exists, without it: %d %s", r.StatusCode, r.body)
	}
	if r := rb.get("/late"); r.StatusCode != 200 {
		t.Errorf("once it exists, a superuser: %d %s", r.StatusCode, r.body)
	}

	for what, build := range map[string]func(){
		"no dot":       func() { m.RequirePerm("publish_post") },
		"empty":        func() { m.RequirePerm(twitter.PermPublishPost, "") },
		"no app":       func() { m.RequirePerm(".publish_post") },
		"space":        func() { m.RequirePerm("twitter.publish post") },
		"on, no dot":   func() { m.RequirePermOn("change_post", loadPost) },
		"on, nil load": func() { m.RequirePermOn(twitter.PermChangePost, nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", what)
				}
			}()
			build()
		}()
	}
}
