package authhttp_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/internal/authtest/members"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// memberEnv is a Manager of members.Member (a user type that keeps its
// Django pk in django_id) with Config.PKProperty naming that property,
// served on e's server with the views and /private.
func memberEnv(t *testing.T, e *env) *authhttp.Manager[members.Member] {
	t.Helper()
	cfg := &auth.Config{Hashers: cheapHashers, SecretKey: secret, Now: e.clock.Now, PKProperty: "django_id"}
	m, err := authhttp.New(e.db, members.MemberModel, authhttp.Options{
		Config: cfg, Now: e.clock.Now, ClientAddr: func(*http.Request) string { return e.addr },
		Mailer:  &authhttp.DevMailer{Dir: e.mailDir, Logger: slog.New(slog.NewTextHandler(e.logs, nil))},
		BaseURL: e.srv.URL, Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.others = append(e.others, m)
	mux := http.NewServeMux()
	mux.Handle("/accounts/", m.Handler())
	mux.Handle("GET /private", m.RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello " + m.User(r).Username))
	})))
	e.serve(m.Middleware(mux))
	return m
}

// member creates a Member with password pw and, unless pk is nil, a
// django_id; it is deleted when the test ends.
func (e *env) member(name, pw string, pk *int) *members.Member {
	e.t.Helper()
	ctx := context.Background()
	v := &members.Member{User: auth.User{Username: name, Email: name + "@example.org", FirstName: "Mia"}, CardNumber: ogm.Ptr(7), DjangoID: pk}
	if err := e.cfg.SetPassword(&v.User, pw); err != nil {
		e.t.Fatal(err)
	}
	v, err := auth.CreateUserAs(ctx, e.db, members.MemberModel, v)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		_, _ = e.db.Cypher(ctx, "MATCH (u) WHERE elementId(u) = $id OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) DETACH DELETE s, u", map[string]any{"id": v.ElementID()})
	})
	return v
}

// randomPK is a Django pk no other test uses.
func randomPK(t *testing.T) int {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<40))
	if err != nil {
		t.Fatal(err)
	}
	return int(n.Int64()) + 1_000_000
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestResetLinkPKProperty: with Config.PKProperty set, a reset link's
// uidb64 is the base64 of str(pk), as Django's, and finds its user by the
// property; a user without one (made after the move) is keyed by its
// username. A username-keyed or zero-padded uid does not reach a user who
// has a pk. An unknown address gets the same answer (the stand-in's token
// is made for a value of the model's type).
func TestResetLinkPKProperty(t *testing.T) {
	e := newEnv(t)
	memberEnv(t, e)
	pk := randomPK(t)
	moved, fresh := e.member(e.name("moved"), "moved-pass-1", &pk), e.member(e.name("fresh"), "fresh-pass-1", nil)
	b := e.browser()
	e.queries.take()
	known := b.postForm("/accounts/password_reset/", url.Values{"email": {moved.Email}})
	unknown := b.postForm("/accounts/password_reset/", url.Values{"email": {"nobody-" + moved.Email}})
	if known.StatusCode != http.StatusSeeOther || unknown.StatusCode != known.StatusCode || unknown.Header.Get("Location") != known.Header.Get("Location") {
		t.Fatalf("known %d %q, unknown %d %q: %s", known.StatusCode, known.Header.Get("Location"), unknown.StatusCode, unknown.Header.Get("Location"), unknown.body)
	}
	b.postForm("/accounts/password_reset/", url.Values{"email": {fresh.Email}})
	e.noWrites("reset requests")
	mails := e.mails()
	if len(mails) != 2 {
		t.Fatalf("%d mails", len(mails))
	}
	movedLink, freshLink := resetLink(t, mails[0]), resetLink(t, mails[1])
	uid, token := splitLink(t, movedLink)
	if uid != b64(strconv.Itoa(pk)) {
		t.Errorf("uid of a user with a pk: %q, want base64(%d)", uid, pk)
	}
	if fuid, _ := splitLink(t, freshLink); fuid != b64(fresh.Username) {
		t.Errorf("uid of a user without a pk: %q, want base64(username)", fuid)
	}
	for what, p := range map[string]string{
		"by username": "/accounts/reset/" + b64(moved.Username) + "/" + token + "/",
		"zero-padded": "/accounts/reset/" + b64("0"+strconv.Itoa(pk)) + "/" + token + "/",
		"plus sign":   "/accounts/reset/" + b64("+"+strconv.Itoa(pk)) + "/" + token + "/",
		"another pk":  "/accounts/reset/" + b64(strconv.Itoa(pk+1)) + "/" + token + "/",
	} {
		if r := b.get(p, "Accept", "application/json"); r.StatusCode != 400 {
			t.Errorf("%s: %d %s", what, r.StatusCode, r.body)
		}
	}
	for _, link := range []string{movedLink, freshLink} {
		if r := b.get(link, "Accept", "application/json"); r.StatusCode != 200 {
			t.Errorf("link %s: %d %s", link, r.StatusCode, r.body)
		}
	}
	r := b.postForm(movedLink, url.Values{"new_password1": {"Zebra-Stapler-9"}, "new_password2": {"Zebra-Stapler-9"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.StatusCode, r.body)
	}
	if r := b.get(movedLink, "Accept", "application/json"); r.StatusCode != 400 {
		t.Errorf("used link: %d", r.StatusCode)
	}
	b.login(moved.Username, "Zebra-Stapler-9")
}

// djangoLinkScript makes Django's reset link parts for the user given
// (urlsafe_base64_encode(force_bytes(pk)) and default_token_generator's
// token) and reads gonode's: the pk its uid decodes to, and whether its
// token checks.
const djangoLinkScript = testenv.DjangoUserClass + `
from django.contrib.auth.tokens import default_token_generator as g
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

u = User(inp["user"])
out = {
    "uid": urlsafe_base64_encode(force_bytes(u.pk)),
    "token": g.make_token(u),
    "gonode_pk": urlsafe_base64_decode(inp["uid"]).decode(),
    "gonode_token_checks": g.check_token(u, inp["token"]),
}
`

// TestDjangoResetLink: for a Member moved from a Django site (its pk in
// django_id, Config.PKProperty naming it), the real Django 5.2 reads the
// reset link gonode mails (its uid decodes to the pk, its token checks),
// and gonode's confirm view accepts the link Django makes for the user
// (PasswordResetConfirmView's reset/<uidb64>/<token>/), which sets the
// password.
func TestDjangoResetLink(t *testing.T) {
	dj := testenv.DjangoPython(t)
	e := newEnv(t)
	memberEnv(t, e)
	pk := randomPK(t)
	moved := e.member(e.name("moved"), "moved-pass-1", &pk)
	b := e.browser()
	b.postForm("/accounts/password_reset/", url.Values{"email": {moved.Email}})
	mails := e.mails()
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	uid, token := splitLink(t, resetLink(t, mails[0]))
	stored, err := members.MemberNodes(e.db).Get(context.Background(), members.MemberDjangoID.Eq(pk))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		UID          string `json:"uid"`
		Token        string `json:"token"`
		GonodePK     string `json:"gonode_pk"`
		GonodeChecks bool   `json:"gonode_token_checks"`
	}
	dj.Run(t, map[string]string{
		"SECRET_KEY": strconv.Quote(secret),
		"TIME_ZONE":  `"UTC"`,
		"USE_TZ":     "True",
	}, djangoLinkScript, map[string]any{
		"user":  map[string]any{"pk": pk, "password": stored.Password, "email": stored.Email, "last_login": nil},
		"uid":   uid,
		"token": token,
	}, &out)
	if out.GonodePK != strconv.Itoa(pk) || !out.GonodeChecks {
		t.Errorf("Django reads gonode's link as pk %q, token checks %v; want %d, true", out.GonodePK, out.GonodeChecks, pk)
	}
	if out.UID != uid {
		t.Errorf("Django's uid %q, gonode's %q", out.UID, uid)
	}
	link := "/accounts/reset/" + out.UID + "/" + out.Token + "/"
	if r := b.get(link, "Accept", "application/json"); r.StatusCode != 200 {
		t.Fatalf("Django's link: %d %s", r.StatusCode, r.body)
	}
	if r := b.postForm(link, url.Values{"new_password1": {"Zebra-Stapler-9"}, "new_password2": {"Zebra-Stapler-9"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset through Django's link: %d %s", r.StatusCode, r.body)
	}
	b.login(moved.Username, "Zebra-Stapler-9")
}

// TestTokenErrors: an error from the reset tokens is a 500 without
// detail, never the "sent" answer or an invalid link: a clock before 2001
// (which Django's tokens cannot count) fails the reset request for known
// and unknown addresses alike, and the log says why.
func TestTokenErrors(t *testing.T) {
	e := newEnv(t)
	name := e.name("eve")
	e.user(name, "eve-pass-1")
	e.clock.mu.Lock()
	e.clock.t = time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC)
	e.clock.mu.Unlock()
	for _, addr := range []string{name + "@example.org", "nobody-" + name + "@example.org"} {
		r := e.browser().postJSON("/accounts/password_reset/", `{"email": "`+addr+`"}`)
		if r.StatusCode != 500 || r.json(t)["error"] != "internal" || strings.Contains(r.body, "2001") {
			t.Errorf("%s: %d %s", addr, r.StatusCode, r.body)
		}
		if r := e.browser().postForm("/accounts/password_reset/", url.Values{"email": {addr}}); r.StatusCode != 500 {
			t.Errorf("%s (page): %d", addr, r.StatusCode)
		}
	}
	if !strings.Contains(e.logs.String(), "2001-01-01") {
		t.Errorf("not logged:\n%s", e.logs.String())
	}
	if n := len(e.mails()); n != 0 {
		t.Errorf("%d mails", n)
	}
}

// TestNoSecretKey: New refuses a Config without a SecretKey (every session
// auth hash and reset token needs one) with an error matching
// auth.ErrNoSecretKey, and a Config.PKProperty that is not a unique int or
// string property of the model with ErrBadOptions.
func TestNoSecretKey(t *testing.T) {
	e := newEnv(t)
	for _, cfg := range []*auth.Config{nil, {}, {Hashers: cheapHashers, SecretKeyFallbacks: []string{"old"}}} {
		_, err := authhttp.New(e.db, auth.UserModel, authhttp.Options{Config: cfg})
		if !errors.Is(err, auth.ErrNoSecretKey) || !errors.Is(err, authhttp.ErrNoSecretKey) || !strings.Contains(err.Error(), "SecretKey") {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	for _, key := range []string{"nope", "level", "card_number", "date_joined"} {
		_, err := authhttp.New(e.db, members.MemberModel, authhttp.Options{Config: &auth.Config{SecretKey: secret, PKProperty: key}})
		if !errors.Is(err, authhttp.ErrBadOptions) || !strings.Contains(err.Error(), key) {
			t.Errorf("PKProperty %q: %v", key, err)
		}
	}
	if _, err := authhttp.New(e.db, auth.UserModel, authhttp.Options{Config: &auth.Config{SecretKey: secret, PKProperty: "username"}}); err != nil {
		t.Errorf("PKProperty username: %v", err)
	}
}
