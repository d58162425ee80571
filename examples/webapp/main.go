// Webapp is a small site on gonode and auth/authhttp: users sign up, log
// in and out, change and reset their passwords (the reset emails go to a
// folder, through the development mailer), write posts, edit their own
// (an object permission granted at creation), and publish them when they
// have the publish_post permission (granted to the group "editors"). It
// also answers /api/me in JSON.
//
// One command runs it, with a local Neo4j (make webapp does the same):
//
//	tools/neo4j/with-neo4j go run ./examples/webapp
//
// then open http://127.0.0.1:8080. It installs its constraints and
// permissions, and creates two demo users when they are missing: alice
// (a writer) and erin (an editor), whose passwords it prints. Flags: -addr,
// -mail-dir; $GONODE_SECRET_KEY signs sessions and reset links (a demo key
// when unset).
//
// The schema is webapp/schema.yaml; webapp/schema_gonode.go is generated
// from it with `go generate ./examples/webapp/webapp`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/examples/webapp/webapp"
	"github.com/gonode/gonode/ogm"
)

// Demo accounts created by seed.
const (
	writerName, writerPassword = "alice", "gonode-alice-pw1"
	editorName, editorPassword = "erin", "gonode-erin-pw1"
	editorsGroup               = "editors"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	mailDir := flag.String("mail-dir", filepath.Join(os.TempDir(), "gonode-webapp-mail"), "folder the development mailer writes emails to")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := serve(ctx, *addr, *mailDir, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func serve(ctx context.Context, addr, mailDir string, out io.Writer) error {
	db, err := ogm.Open(ctx, "") // $NEO4J_BOLT_URL
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	secret := os.Getenv("GONODE_SECRET_KEY")
	if secret == "" {
		secret = "webapp-demo-secret-key-do-not-use-in-production"
		fmt.Fprintln(out, "GONODE_SECRET_KEY is unset: using a demo key")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	a, err := newApp(ctx, db, settings{BaseURL: base, MailDir: mailDir, Secret: secret})
	if err != nil {
		return err
	}
	if err := seed(ctx, a, out); err != nil {
		return err
	}
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "listening on %s (reset emails go to %s); Ctrl-C stops\n", base, mailDir)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		_ = a.m.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// settings are what newApp needs from its caller.
type settings struct {
	BaseURL string            // where the site is reached, for the links of emails
	MailDir string            // where the development mailer writes
	Secret  string            // signs session auth hashes and reset tokens
	Hashers *hashers.Registry // nil: Django's default cost
	Now     func() time.Time  // nil: time.Now
}

// app is the site: the auth Manager and the routes.
type app struct {
	db      *ogm.DB
	m       *authhttp.Manager[auth.User]
	handler http.Handler
}

// newApp installs the schemas' constraints and permissions and builds the
// site's handler.
func newApp(ctx context.Context, db *ogm.DB, s settings) (*app, error) {
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema, webapp.Schema); err != nil {
		return nil, err
	}
	if _, err := auth.InstallPermissions(ctx, db, auth.Schema, webapp.Schema); err != nil {
		return nil, err
	}
	m, err := authhttp.New(db, auth.UserModel, authhttp.Options{
		Config:  &auth.Config{SecretKey: s.Secret, Hashers: s.Hashers, Now: s.Now},
		Mailer:  &authhttp.DevMailer{Dir: s.MailDir},
		BaseURL: s.BaseURL,
		Signup:  true,
		Now:     s.Now,
	})
	if err != nil {
		return nil, err
	}
	a := &app{db: db, m: m}
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())                                            // login, logout, password change and reset, signup
	mux.HandleFunc("GET /{$}", a.home)                                               // everyone
	mux.Handle("GET /posts/new", m.RequireLogin(http.HandlerFunc(a.newPost)))        // @login_required
	mux.Handle("POST /posts/new", m.RequireLogin(http.HandlerFunc(a.createPost)))    // @login_required
	edit := m.RequirePermOn(webapp.PermChangePost, a.loadPost)                       // an object permission
	mux.Handle("GET /posts/{id}/edit", edit(http.HandlerFunc(a.editPost)))           //
	mux.Handle("POST /posts/{id}/edit", edit(http.HandlerFunc(a.savePost)))          //
	publish := m.RequirePerm(webapp.PermPublishPost)                                 // @permission_required
	mux.Handle("POST /posts/{id}/publish", publish(http.HandlerFunc(a.publishPost))) //
	mux.Handle("GET /api/me", m.RequireLogin(http.HandlerFunc(a.me)))                // 401 JSON when anonymous
	a.handler = m.Middleware(mux)
	return a, nil
}

// seed creates the demo accounts when they are missing: a writer, and an
// editor in the group that has publish_post.
func seed(ctx context.Context, a *app, out io.Writer) error {
	cfg := a.m.Config()
	group, err := auth.GroupNodes(a.db).GetOrCreate(ctx, &auth.Group{Name: editorsGroup})
	if err != nil {
		return err
	}
	perm, err := auth.GetPermission(ctx, a.db, webapp.PermPublishPost)
	if err != nil {
		return err
	}
	if err := group.Permissions().Connect(ctx, perm); err != nil && !errors.Is(err, ogm.ErrAlreadyConnected) {
		return err
	}
	for _, acc := range []struct {
		name, pw string
		editor   bool
	}{{writerName, writerPassword, false}, {editorName, editorPassword, true}} {
		u, err := auth.UserNodes(a.db).GetOrNone(ctx, auth.UserUsername.Eq(acc.name))
		if err != nil {
			return err
		}
		if u == nil {
			if u, err = cfg.CreateUser(ctx, a.db, acc.name, acc.name+"@example.com", &acc.pw); err != nil {
				return err
			}
			fmt.Fprintf(out, "created demo user %s (password %s)\n", acc.name, acc.pw)
		}
		if acc.editor {
			if err := u.Groups().Connect(ctx, group); err != nil && !errors.Is(err, ogm.ErrAlreadyConnected) {
				return err
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------- handlers

// loadPost is the object guard's loader: the post whose element id is in
// the path.
func (a *app) loadPost(r *http.Request) (auth.Object, error) {
	return webapp.PostNodes(a.db).GetByElementID(r.Context(), r.PathValue("id"))
}

// view is what the site's templates are executed with.
type view struct {
	User       *auth.User
	CanPublish bool
	Published  []*webapp.Post
	Drafts     []*webapp.Post
	Post       *webapp.Post
	Error      string
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := &view{User: a.m.User(r)}
	var err error
	v.Published, err = webapp.PostNodes(a.db).Filter(webapp.PostPublished.IsNull(false)).
		OrderBy(webapp.PostPublished.Desc()).Limit(20).All(ctx)
	if err == nil && v.User != nil {
		v.Drafts, err = webapp.UserPosts(v.User).Filter(webapp.PostPublished.IsNull(true)).OrderBy(webapp.PostCreated.Desc()).All(ctx)
	}
	if err == nil && v.User != nil {
		v.CanPublish, err = a.m.HasPerm(r, webapp.PermPublishPost) // the same load as the guard's
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, "home", v)
}

func (a *app) newPost(w http.ResponseWriter, r *http.Request) {
	a.render(w, "new", &view{User: a.m.User(r)})
}

func (a *app) createPost(w http.ResponseWriter, r *http.Request) {
	u := a.m.User(r)
	title, body := strings.TrimSpace(r.PostFormValue("title")), r.PostFormValue("body")
	post := &webapp.Post{Title: title, Body: body}
	if err := post.Validate(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		a.render(w, "new", &view{User: u, Post: post, Error: "A post needs a title of at most 200 characters."})
		return
	}
	ctx := r.Context()
	err := a.db.Write(ctx, func(ctx context.Context) error {
		if _, err := webapp.PostNodes(a.db).Create(ctx, post); err != nil {
			return err
		}
		if err := post.Author().Connect(ctx, u); err != nil {
			return err
		}
		return auth.GrantPermOn(ctx, a.db, u, webapp.PermChangePost, post) // the author may edit it
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *app) editPost(w http.ResponseWriter, r *http.Request) {
	a.render(w, "edit", &view{User: a.m.User(r), Post: authhttp.ObjectOf[*webapp.Post](r)})
}

func (a *app) savePost(w http.ResponseWriter, r *http.Request) {
	post := authhttp.ObjectOf[*webapp.Post](r) // loaded by the guard
	post.Title, post.Body = strings.TrimSpace(r.PostFormValue("title")), r.PostFormValue("body")
	if err := post.Save(r.Context()); errors.Is(err, ogm.ErrValidation) {
		w.WriteHeader(http.StatusBadRequest)
		a.render(w, "edit", &view{User: a.m.User(r), Post: post, Error: "A post needs a title of at most 200 characters."})
		return
	} else if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *app) publishPost(w http.ResponseWriter, r *http.Request) {
	post, err := webapp.PostNodes(a.db).GetByElementID(r.Context(), r.PathValue("id"))
	if errors.Is(err, ogm.ErrDoesNotExist) {
		http.NotFound(w, r)
		return
	}
	if err == nil && post.Published.IsZero() {
		post.Published = time.Now()
		err = post.Save(r.Context())
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// me answers the logged-in user in JSON: the generated type's own
// encoding, in which the password hash (a sensitive property) never
// appears, and whether they may publish.
func (a *app) me(w http.ResponseWriter, r *http.Request) {
	canPublish, err := a.m.HasPerm(r, webapp.PermPublishPost)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	body, err := json.Marshal(map[string]any{"user": a.m.User(r), "can_publish": canPublish})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(body, '\n'))
}

func (a *app) fail(w http.ResponseWriter, r *http.Request, err error) {
	log.Printf("webapp: %s %s: %v", r.Method, r.Pattern, err)
	http.Error(w, "Internal Server Error", http.StatusInternalServerError)
}

func (a *app) render(w http.ResponseWriter, name string, v *view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(w, name, v); err != nil {
		log.Printf("webapp: render %s: %v", name, err)
	}
}

var pages = template.Must(template.New("").Parse(`
{{define "top"}}<!doctype html><html lang="en"><head><meta charset="utf-8"><title>gonode webapp</title></head><body>
<nav><a href="/">Home</a> ·
{{if .User}}<span id="whoami">{{.User.Username}}</span> · <a href="/posts/new">New post</a> ·
<a href="/accounts/password_change/">Change password</a> ·
<form method="post" action="/accounts/logout/" style="display:inline"><button id="logout">Log out</button></form>
{{else}}<a href="/accounts/login/" id="login-link">Log in</a> · <a href="/accounts/signup/">Sign up</a>{{end}}</nav>{{end}}
{{define "bottom"}}</body></html>{{end}}

{{define "home"}}{{template "top" .}}
<h1>Posts</h1>
<ul id="published">{{range .Published}}<li><strong>{{.Title}}</strong> {{.Body}}</li>{{else}}<li>Nothing published yet.</li>{{end}}</ul>
{{if .User}}<h2>Your drafts</h2>
<ul id="drafts">{{range .Drafts}}<li>{{.Title}} · <a href="/posts/{{.ElementID}}/edit">edit</a>
{{if $.CanPublish}}<form method="post" action="/posts/{{.ElementID}}/publish" style="display:inline"><button>publish</button></form>{{end}}</li>
{{else}}<li>No drafts.</li>{{end}}</ul>{{end}}
{{template "bottom"}}{{end}}

{{define "new"}}{{template "top" .}}
<h1 id="new-post">New post</h1>{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<form method="post" action="/posts/new"><input name="title" id="title" placeholder="Title"><br><textarea name="body" id="body"></textarea><br><button id="save">Save draft</button></form>
{{template "bottom"}}{{end}}

{{define "edit"}}{{template "top" .}}
<h1>Edit post</h1>{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<form method="post" action="/posts/{{.Post.ElementID}}/edit"><input name="title" id="title" value="{{.Post.Title}}"><br><textarea name="body" id="body">{{.Post.Body}}</textarea><br><button id="save">Save</button></form>
{{template "bottom"}}{{end}}
`))
