package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/members"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// queryLog records the queries sent through a database opened with it.
type queryLog struct {
	mu   sync.Mutex
	list []string
}

func (l *queryLog) observe(q ogm.Query) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, q.Text)
}

// take returns the queries recorded since the last take.
func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.list
	l.list = nil
	return out
}

// observedDB opens the test server with every query recorded in the log.
func observedDB(t *testing.T) (*ogm.DB, *queryLog) {
	log := &queryLog{}
	return testenv.Open(t, ogm.WithObserver(log.observe)), log
}

// newMember creates a Member (members.MemberModel: required first_name
// and card_number) with password pw.
func newMember(t *testing.T, db *ogm.DB, cfg *auth.Config, pw string, djangoPK *int) *members.Member {
	t.Helper()
	m := &members.Member{User: auth.User{Username: uniq(t, "member"), FirstName: "Mia", Email: "mia@example.com"}, CardNumber: ogm.Ptr(7), DjangoID: djangoPK}
	must(t, cfg.SetPassword(&m.User, pw))
	m, err := auth.CreateUserAs(context.Background(), db, members.MemberModel, m)
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, m)
	return m
}

// TestAuthenticateAs: with Config.UserModel set, AuthenticateAs returns the
// concrete model (a *members.Member, its own fields loaded) in the queries
// Authenticate sends anyway (the look-up and the write of last_login),
// where Authenticate followed by MemberFromModel needs a third.
func TestAuthenticateAs(t *testing.T) {
	ctx := context.Background()
	db, log := observedDB(t)
	cfg := cheap()
	cfg.UserModel = members.MemberModel
	m := newMember(t, db, cfg, "pw-mia-1", nil)
	creds := auth.Credentials{Username: m.Username, Password: "pw-mia-1"}

	log.take()
	got, err := auth.AuthenticateAs[*members.Member](ctx, cfg, db, creds)
	if err != nil {
		t.Fatal(err)
	}
	queries := log.take()
	if got.ElementID() != m.ElementID() || got.CardNumber == nil || *got.CardNumber != 7 || got.Level != "basic" || got.FirstName != "Mia" || got.LastLogin.IsZero() {
		t.Errorf("authenticated %+v", got)
	}
	if len(queries) != 2 || !strings.HasPrefix(queries[0], "MATCH") || !strings.Contains(queries[1], "SET") {
		t.Errorf("AuthenticateAs sent %d queries, want 2 (the look-up, last_login):\n%s", len(queries), strings.Join(queries, "\n---\n"))
	}

	// The old way: Authenticate, then load the Member again.
	u, err := cfg.Authenticate(ctx, db, creds)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := members.MemberFromModel(ctx, u); err != nil {
		t.Fatal(err)
	}
	if n := len(log.take()); n != 3 {
		t.Errorf("Authenticate + MemberFromModel sent %d queries, want 3", n)
	}

	// A type the user's type extends: the User inside, still one look-up.
	asUser, err := auth.AuthenticateAs[*auth.User](ctx, cfg, db, creds)
	if err != nil || asUser.ElementID() != m.ElementID() {
		t.Fatalf("AuthenticateAs[*auth.User]: %v, %v", asUser, err)
	}
	if n := len(log.take()); n != 2 {
		t.Errorf("AuthenticateAs[*auth.User] sent %d queries", n)
	}

	// Failed logins are ErrInvalidCredentials, as for Authenticate.
	if v, err := auth.AuthenticateAs[*members.Member](ctx, cfg, db, auth.Credentials{Username: m.Username, Password: "wrong"}); v != nil || !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("wrong password: %v, %v", v, err)
	}
}

// TestAuthenticateAsWrongModel: a backend whose users are not of the type
// asked for (the default model, or a backend that returns plain *User
// values) fails with ogm.ErrWrongType and records no login.
func TestAuthenticateAsWrongModel(t *testing.T) {
	ctx := context.Background()
	db, log := observedDB(t)
	m := newMember(t, db, cheap(), "pw-mia-2", nil)
	creds := auth.Credentials{Username: m.Username, Password: "pw-mia-2"}

	for name, cfg := range map[string]*auth.Config{
		"default model": cheap(),
		"plain backend": {Backends: []auth.Backend{plainBackend{auth.ModelBackend{Hashers: cheapHashers}}}},
	} {
		log.take()
		v, err := auth.AuthenticateAs[*members.Member](ctx, cfg, db, creds)
		if v != nil || !errors.Is(err, ogm.ErrWrongType) || errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("%s: %v, %v; want ogm.ErrWrongType", name, v, err)
		}
		if q := log.take(); len(q) != 1 {
			t.Errorf("%s: %d queries, want the look-up alone (no last_login)", name, len(q))
		}
		if u, err := auth.AuthenticateAs[*auth.User](ctx, cfg, db, creds); err != nil || u.ElementID() != m.ElementID() {
			t.Errorf("%s: AuthenticateAs[*auth.User]: %v, %v", name, u, err)
		}
	}
	if props := storedProps(t, db, m.ElementID()); props["last_login"] == nil {
		t.Error("the *auth.User logins recorded nothing")
	}
}

// plainBackend hides the NodeBackend method of the backend it wraps: it
// returns *auth.User values only, as a backend written before
// NodeBackend does.
type plainBackend struct{ b auth.ModelBackend }

func (p plainBackend) Authenticate(ctx context.Context, db *ogm.DB, creds auth.Credentials) (*auth.User, error) {
	return p.b.Authenticate(ctx, db, creds)
}

func (p plainBackend) GetUser(ctx context.Context, db *ogm.DB, id string) (*auth.User, error) {
	return p.b.GetUser(ctx, db, id)
}

var (
	_ auth.NodeBackend = auth.ModelBackend{}
	_ auth.NodeBackend = auth.AllowAllUsersModelBackend{}
	_ auth.UserNode    = (*members.Member)(nil)
	_ auth.UserNode    = (*auth.User)(nil)
)
