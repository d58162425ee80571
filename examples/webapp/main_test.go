package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/examples/webapp/webapp"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// site is the example served by httptest for a test, with cheap hashers
// and a mail folder of its own. It deletes the demo users, their posts and
// sessions when the test ends.
type site struct {
	t       *testing.T
	db      *ogm.DB
	a       *app
	srv     *httptest.Server
	mailDir string
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	cheap, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, db: db, mailDir: t.TempDir()}
	var h atomic.Pointer[http.Handler]
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*h.Load()).ServeHTTP(w, r) }))
	t.Cleanup(s.srv.Close)
	s.a, err = newApp(ctx, db, settings{BaseURL: s.srv.URL, MailDir: s.mailDir, Secret: "webapp-test-secret", Hashers: cheap})
	if err != nil {
		t.Fatal(err)
	}
	h.Store(&s.a.handler)
	clean := func() {
		_, err := db.Cypher(ctx, `MATCH (u:User) WHERE u.username IN $names
OPTIONAL MATCH (p:Post)-[:AUTHORED]->(u)
OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u)
DETACH DELETE p, s, u`, map[string]any{"names": []string{writerName, editorName, "newcomer"}})
		if err != nil {
			t.Error(err)
		}
		if _, err := db.Cypher(ctx, "MATCH (g:Group {name: $g}) DETACH DELETE g", map[string]any{"g": editorsGroup}); err != nil {
			t.Error(err)
		}
	}
	clean()
	t.Cleanup(func() { _ = s.a.m.Shutdown(ctx); clean() })
	if err := seed(ctx, s.a, io.Discard); err != nil {
		t.Fatal(err)
	}
	return s
}

type client struct {
	s *site
	c *http.Client
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values, hdr ...string) (int, http.Header, string) {
	c.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.s.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (c *client) login(name, pw string) {
	c.s.t.Helper()
	if code, _, body := c.do("POST", "/accounts/login/", url.Values{"username": {name}, "password": {pw}}); code != http.StatusSeeOther {
		c.s.t.Fatalf("login %s: %d %s", name, code, body)
	}
}

// TestWebapp walks through the site: what an anonymous visitor, a writer
// and an editor may do.
func TestWebapp(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	anon := s.client()
	if code, h, _ := anon.do("GET", "/posts/new", nil); code != http.StatusFound || h.Get("Location") != "/accounts/login/?next=%2Fposts%2Fnew" {
		t.Errorf("anonymous new post: %d %q", code, h.Get("Location"))
	}
	if code, _, body := anon.do("GET", "/api/me", nil, "Accept", "application/json"); code != 401 || !strings.Contains(body, `"unauthenticated"`) {
		t.Errorf("anonymous /api/me: %d %s", code, body)
	}

	alice := s.client()
	alice.login(writerName, writerPassword)
	if code, _, body := alice.do("GET", "/api/me", nil); code != 200 || !strings.Contains(body, `"can_publish":false`) || !strings.Contains(body, `"username":"`+writerName+`"`) || strings.Contains(body, "pbkdf2") || strings.Contains(body, `"password"`) {
		t.Errorf("/api/me: %d %s", code, body)
	}
	if code, _, _ := alice.do("POST", "/posts/new", url.Values{"title": {""}}); code != 400 {
		t.Errorf("untitled post: %d", code)
	}
	if code, _, _ := alice.do("POST", "/posts/new", url.Values{"title": {"Graphs"}, "body": {"are everywhere"}}); code != http.StatusSeeOther {
		t.Fatalf("new post: %d", code)
	}
	u, err := auth.GetByNaturalKey(ctx, s.db, writerName)
	if err != nil {
		t.Fatal(err)
	}
	post, err := webapp.UserPosts(u).Get(ctx, webapp.PostTitle.Eq("Graphs"))
	if err != nil {
		t.Fatal(err)
	}
	id := url.PathEscape(post.ElementID())
	_, _, home := alice.do("GET", "/", nil)
	if !strings.Contains(home, "Graphs · <a href=\"/posts/") || strings.Contains(home, ">publish<") {
		t.Errorf("alice's home:\n%s", home)
	}
	// Her own post: she may edit it (the grant made with it), not publish it.
	if code, _, body := alice.do("GET", "/posts/"+id+"/edit", nil); code != 200 || !strings.Contains(body, `value="Graphs"`) {
		t.Errorf("edit: %d", code)
	}
	if code, _, _ := alice.do("POST", "/posts/"+id+"/edit", url.Values{"title": {"Graphs, again"}, "body": {"b"}}); code != http.StatusSeeOther {
		t.Errorf("save: %d", code)
	}
	if code, _, _ := alice.do("POST", "/posts/"+id+"/publish", nil); code != 403 {
		t.Errorf("a writer publishes: %d", code)
	}

	erin := s.client()
	erin.login(editorName, editorPassword)
	if code, _, _ := erin.do("GET", "/posts/"+id+"/edit", nil); code != 403 {
		t.Errorf("the editor edits alice's post: %d", code)
	}
	if code, _, _ := erin.do("POST", "/posts/"+id+"/publish", nil); code != http.StatusSeeOther {
		t.Errorf("the editor publishes: %d", code)
	}
	if _, _, home := anon.do("GET", "/", nil); !strings.Contains(home, "<strong>Graphs, again</strong>") {
		t.Errorf("published post not on the home page:\n%s", home)
	}
	// Cross-origin publish attempt with the editor's cookie: refused.
	if code, _, _ := erin.do("POST", "/posts/"+id+"/publish", nil, "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Errorf("cross-site publish: %d", code)
	}
}

// TestWebappSignupAndReset: signing up, and resetting the password through
// the development mailer's folder.
func TestWebappSignupAndReset(t *testing.T) {
	s := newSite(t)
	c := s.client()
	code, _, body := c.do("POST", "/accounts/signup/", url.Values{"username": {"newcomer"}, "email": {"newcomer@example.com"}, "password1": {"Lilac-Kettle-77"}, "password2": {"Lilac-Kettle-77"}})
	if code != http.StatusSeeOther {
		t.Fatalf("signup: %d %s", code, body)
	}
	if _, _, home := c.do("GET", "/", nil); !strings.Contains(home, `<span id="whoami">newcomer</span>`) {
		t.Errorf("not logged in after signup:\n%s", home)
	}
	c.do("POST", "/accounts/logout/", url.Values{})
	c.do("POST", "/accounts/password_reset/", url.Values{"email": {"newcomer@example.com"}})
	if err := s.a.m.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	link := readResetLink(t, s.mailDir)
	if code, _, _ := c.do("POST", link, url.Values{"new_password1": {"Amber-Whistle-5"}, "new_password2": {"Amber-Whistle-5"}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	c.login("newcomer", "Amber-Whistle-5")
}

// readResetLink returns the path of the reset link in the newest email of
// the development mailer's folder.
func readResetLink(t testing.TB, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) == 0 {
		t.Fatalf("no email in %s", dir)
	}
	slices.Sort(files)
	b, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`http://\S+/accounts/reset/\S+/\S+/`).FindString(string(b))
	if m == "" {
		t.Fatalf("no reset link in:\n%s", b)
	}
	u, _ := url.Parse(m)
	return u.Path
}
