package authhttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/auth/internal/authtest/emailuser"
	"github.com/gonode/gonode/auth/internal/authtest/members"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// The tests run every handler over real HTTP (httptest) against the real
// Neo4j. Each test has its own users (random names), its own client
// address for the throttle, and a clock of its own; what it creates is
// deleted when it ends. Tests of this package do not run in parallel, and
// packages run one at a time (-p 1), so a test may delete the sessions and
// throttle counters made since it started.

var installOnce sync.Once

// install creates the constraints of the auth schema (Session's unique key
// among them) and the permissions of the test schema, once.
func install(t testing.TB, db *ogm.DB) {
	t.Helper()
	var err error
	installOnce.Do(func() {
		ctx := context.Background()
		if _, err = ogm.InstallLabels(ctx, db, auth.Schema, twitter.Schema, emailuser.Schema, members.Schema); err != nil {
			return
		}
		_, err = auth.InstallPermissions(ctx, db, auth.Schema, twitter.Schema)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cheapHashers makes test passwords cheap to check.
var cheapHashers = func() *hashers.Registry {
	hs := hashers.DefaultHashers()
	hs[0] = hashers.PBKDF2SHA256{Iterations: 1000}
	r, err := hashers.NewRegistry(hs...)
	if err != nil {
		panic(err)
	}
	return r
}()

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// queryLog records the queries a handle sends.
type queryLog struct {
	mu sync.Mutex
	qs []string
}

func (l *queryLog) observe(q ogm.Query) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.qs = append(l.qs, q.Text)
}

func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	qs := l.qs
	l.qs = nil
	return qs
}

// writeWord finds the clauses that write.
var writeWord = regexp.MustCompile(`\b(CREATE|MERGE|SET|DELETE|REMOVE)\b`)

func writes(qs []string) []string {
	var out []string
	for _, q := range qs {
		if writeWord.MatchString(q) {
			out = append(out, q)
		}
	}
	return out
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one test's application: a Manager over a handle that records its
// queries, served by httptest with a few guarded routes.
type env struct {
	t       *testing.T
	db      *ogm.DB
	m       *authhttp.Manager[auth.User]
	srv     *httptest.Server
	clock   *clock
	queries *queryLog
	logs    *syncBuffer
	mailDir string
	addr    string
	cfg     *auth.Config
	handler atomic.Pointer[http.Handler]
	// others are the Managers a test made besides m, whose mail mails
	// waits for too.
	others []interface{ Shutdown(context.Context) error }
}

// serve makes h the server's handler.
func (e *env) serve(h http.Handler) { e.handler.Store(&h) }

const secret = "authhttp-test-secret"

// newEnv starts the application; mutate changes the options first.
func newEnv(t *testing.T, mutate ...func(*authhttp.Options)) *env {
	t.Helper()
	e := &env{t: t, queries: &queryLog{}, logs: &syncBuffer{}, clock: &clock{t: time.Now().Truncate(time.Second)}}
	e.db = testenv.Open(t, ogm.WithObserver(e.queries.observe))
	install(t, e.db)
	e.mailDir = t.TempDir()
	e.addr = "client-" + testenv.Label(t)
	e.cfg = &auth.Config{Hashers: cheapHashers, SecretKey: secret, Now: e.clock.Now}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*e.handler.Load()).ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	opts := authhttp.Options{
		Config:     e.cfg,
		Mailer:     &authhttp.DevMailer{Dir: e.mailDir, Logger: slog.New(slog.NewTextHandler(e.logs, nil))},
		BaseURL:    e.srv.URL,
		Signup:     true,
		ClientAddr: func(*http.Request) string { return e.addr },
		Logger:     slog.New(slog.NewTextHandler(e.logs, nil)),
		Now:        e.clock.Now,
	}
	for _, f := range mutate {
		f(&opts)
	}
	m, err := authhttp.New(e.db, auth.UserModel, opts)
	if err != nil {
		t.Fatal(err)
	}
	e.m = m
	e.serve(m.Middleware(e.routes()))
	start := e.clock.Now().Add(-time.Minute)
	t.Cleanup(func() {
		ctx := context.Background()
		_ = m.Shutdown(ctx)
		for _, q := range []string{
			"MATCH (s:Session) WHERE s.created_at >= $start DETACH DELETE s",
			"MATCH (t:LoginThrottle) WHERE t.window_end >= $start DETACH DELETE t",
		} {
			if _, err := e.db.Cypher(ctx, q, map[string]any{"start": start}); err != nil {
				t.Error(err)
			}
		}
		if strings.Contains(e.logs.String(), "level=ERROR") && !t.Failed() {
			t.Logf("errors logged:\n%s", e.logs.String())
		}
	})
	return e
}

// routes are the application's own pages.
func (e *env) routes() http.Handler {
	m := e.m
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())
	mux.Handle("GET /private", m.RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", m.User(r).Username)
	})))
	publish := m.RequirePerm(twitter.PermPublishPost)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "published")
	}))
	mux.Handle("GET /publish", publish)
	mux.Handle("POST /publish", publish)
	mux.Handle("GET /posts/{id}", m.RequirePermOn(twitter.PermChangePost, func(r *http.Request) (auth.Object, error) {
		return twitter.PostNodes(e.db).GetByElementID(r.Context(), r.PathValue("id"))
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "editing %s", authhttp.ObjectOf[*twitter.Post](r).Title)
	})))
	mux.Handle("GET /perms", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var out []string
		for _, p := range []string{twitter.PermPublishPost, twitter.PermAddPost, twitter.PermPublishPost} {
			ok, err := m.HasPerm(r, p)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			out = append(out, fmt.Sprint(ok))
		}
		fmt.Fprint(w, strings.Join(out, " "))
	}))
	mux.Handle("POST /rehash", m.RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A password change of the application's own, then Django's
		// update_session_auth_hash.
		u := m.User(r)
		if err := e.cfg.ChangePassword(r.Context(), u, r.FormValue("password")); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if err := m.UpdateSessionAuthHash(w, r, u); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprint(w, "changed")
	})))
	mux.Handle("GET /data", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, authhttp.SessionData(r)["cart"])
	}))
	mux.Handle("POST /data", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := m.SetSessionData(w, r, "cart", r.FormValue("cart")); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprint(w, "stored")
	}))
	return mux
}

// user creates a user with password pw; it is deleted when the test ends,
// with its sessions.
func (e *env) user(name, pw string, opts ...auth.UserOption) *auth.User {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.cfg.CreateUser(ctx, e.db, name, name+"@example.org", &pw, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		if _, err := e.db.Cypher(ctx, "MATCH (u) WHERE elementId(u) = $id OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u",
			map[string]any{"id": u.ElementID()}); err != nil {
			e.t.Error(err)
		}
	})
	e.queries.take()
	return u
}

// name returns a random username.
func (e *env) name(prefix string) string {
	return prefix + strings.ToLower(strings.TrimPrefix(testenv.Label(e.t), "Test_"))
}

// response is a response with its body read.
type response struct {
	*http.Response
	body string
}

func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("not JSON (%v): %s", err, r.body)
	}
	return v
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a request; hdr is pairs of header names and values.
func (b *browser) do(method, path string, body io.Reader, hdr ...string) *response {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, body: string(data)}
}

func (b *browser) get(path string, hdr ...string) *response {
	b.e.t.Helper()
	return b.do("GET", path, nil, hdr...)
}

func (b *browser) postForm(path string, vals url.Values, hdr ...string) *response {
	b.e.t.Helper()
	return b.do("POST", path, strings.NewReader(vals.Encode()), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, hdr...)...)
}

func (b *browser) postJSON(path, body string, hdr ...string) *response {
	b.e.t.Helper()
	return b.do("POST", path, strings.NewReader(body), append([]string{"Content-Type", "application/json"}, hdr...)...)
}

// login logs the browser in through the login view and checks it worked.
func (b *browser) login(username, pw string) {
	b.e.t.Helper()
	r := b.postForm("/accounts/login/", url.Values{"username": {username}, "password": {pw}})
	if r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("login %s: %d %s", username, r.StatusCode, r.body)
	}
}

// cookie returns the browser's session cookie value ("" when none).
func (b *browser) cookie() string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == authhttp.DefaultCookieName {
			return c.Value
		}
	}
	return ""
}

// setCookie plants a session cookie in the browser.
func (b *browser) setCookie(v string) {
	u, _ := url.Parse(b.e.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: authhttp.DefaultCookieName, Value: v, Path: "/"}})
}

// whoami is the user /private greets, or "" when it redirects.
func (b *browser) whoami() string {
	b.e.t.Helper()
	r := b.get("/private")
	if r.StatusCode == http.StatusFound {
		return ""
	}
	if r.StatusCode != 200 {
		b.e.t.Fatalf("/private: %d %s", r.StatusCode, r.body)
	}
	return strings.TrimPrefix(r.body, "hello ")
}

// sessions counts the stored sessions of u.
func (e *env) sessions(u *auth.User) int {
	e.t.Helper()
	res, err := e.db.Cypher(context.Background(), "MATCH (s:Session)-[:SESSION_OF]->(u) WHERE elementId(u) = $id RETURN count(s)", map[string]any{"id": u.ElementID()})
	if err != nil {
		e.t.Fatal(err)
	}
	e.queries.take()
	return int(res.Rows[0][0].(int64))
}

// mails returns the messages the development mailer wrote, oldest first.
func (e *env) mails() []string {
	e.t.Helper()
	for _, m := range append(e.others, e.m) {
		if err := m.Shutdown(context.Background()); err != nil {
			e.t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(e.mailDir, "*.eml"))
	slices.Sort(files)
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// resetLink finds the reset link of a message and returns its path.
func resetLink(t *testing.T, msg string) string {
	t.Helper()
	m := regexp.MustCompile(`http://\S+/accounts/reset/\S+/\S+/`).FindString(msg)
	if m == "" {
		t.Fatalf("no reset link in:\n%s", msg)
	}
	u, _ := url.Parse(m)
	return u.Path
}

// noWrites fails when queries wrote.
func (e *env) noWrites(what string) {
	e.t.Helper()
	if w := writes(e.queries.take()); len(w) > 0 {
		e.t.Errorf("%s wrote: %q", what, w)
	}
}
