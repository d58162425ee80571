package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/ogm"
)

// TestSeedScenario is neo4django's: create john, authenticate him, write a
// Post whose author he is, and find it among his posts.
func TestSeedScenario(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	name := uniq(t, "john")
	u, err := cfg.CreateUser(ctx, db, name, "", ogm.Ptr("johnpassword"))
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, u)

	user, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: name, Password: "johnpassword"})
	if err != nil {
		t.Fatal(err)
	}
	if user.ElementID() != u.ElementID() || user.Username != name {
		t.Fatalf("authenticated %s %q, want %s %q", user.ElementID(), user.Username, u.ElementID(), name)
	}

	post, err := twitter.PostNodes(db).Create(ctx, &twitter.Post{Title: "Cool Music Post"})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, post)
	if err := post.Author().Connect(ctx, user); err != nil {
		t.Fatal(err)
	}

	posts, err := twitter.UserPosts(user).All(ctx) // one line, one query
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].ElementID() != post.ElementID() || posts[0].Title != "Cool Music Post" {
		t.Fatalf("posts of john: %+v", posts)
	}
}

// TestAuthenticateRefusals: a wrong password, an unknown user, an inactive
// user and an unusable password all give no user and ErrInvalidCredentials.
func TestAuthenticateRefusals(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	active := newUser(t, db, "active", ogm.Ptr("s3cret-pass"))
	inactive := newUser(t, db, "inactive", ogm.Ptr("s3cret-pass"), func(u *auth.User) { u.IsActive = ogm.Ptr(false) })
	unusable := newUser(t, db, "unusable", nil)
	if unusable.HasUsablePassword() || !strings.HasPrefix(unusable.Password, "!") {
		t.Fatalf("nil password gave %q", unusable.Password)
	}

	for _, tc := range []struct {
		name  string
		creds auth.Credentials
	}{
		{"wrong password", auth.Credentials{Username: active.Username, Password: "wrong"}},
		{"unknown user", auth.Credentials{Username: uniq(t, "nobody"), Password: "s3cret-pass"}},
		{"inactive user", auth.Credentials{Username: inactive.Username, Password: "s3cret-pass"}},
		{"unusable password", auth.Credentials{Username: unusable.Username, Password: unusable.Password}},
		{"empty password", auth.Credentials{Username: unusable.Username}},
		{"empty username", auth.Credentials{Password: "s3cret-pass"}},
		{"too long username", auth.Credentials{Username: strings.Repeat("x", 151), Password: "s3cret-pass"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := cfg.Authenticate(ctx, db, tc.creds)
			if u != nil || !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("got %v, %v; want nil, ErrInvalidCredentials", u, err)
			}
		})
	}

	// The right password works, and the inactive user gets in through
	// AllowAllUsersModelBackend.
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: active.Username, Password: "s3cret-pass"}); err != nil {
		t.Fatal(err)
	}
	u, err := auth.Authenticate(ctx, db, auth.Credentials{Username: inactive.Username, Password: "s3cret-pass"},
		auth.AllowAllUsersModelBackend{Hashers: cheapHashers})
	if err != nil || u.ElementID() != inactive.ElementID() {
		t.Fatalf("allow-all backend: %v, %v", u, err)
	}
	// NFKC: the full-width spelling of a username logs in as the user.
	wide := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'ａ'
		}
		return r
	}, active.Username)
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: wide, Password: "s3cret-pass"}); err != nil {
		t.Fatalf("full-width username %q: %v", wide, err)
	}
}

// stubBackend answers with fixed values and counts its calls.
type stubBackend struct {
	user  *auth.User
	err   error
	calls int
}

func (b *stubBackend) Authenticate(context.Context, *ogm.DB, auth.Credentials) (*auth.User, error) {
	b.calls++
	return b.user, b.err
}

func (b *stubBackend) GetUser(context.Context, *ogm.DB, string) (*auth.User, error) {
	return b.user, nil
}

func TestBackendChain(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	u := newUser(t, db, "chain", ogm.Ptr("pw-chain-1"))
	loaded, err := auth.GetByNaturalKey(ctx, db, u.Username)
	if err != nil {
		t.Fatal(err)
	}
	model := auth.ModelBackend{Hashers: cheapHashers}
	creds := auth.Credentials{Username: u.Username, Password: "pw-chain-1"}

	// A backend that passes (nil, nil) lets the next one answer.
	pass := &stubBackend{}
	got, err := auth.Authenticate(ctx, db, creds, pass, model)
	if err != nil || got.ElementID() != u.ElementID() || pass.calls != 1 {
		t.Fatalf("pass then model: %v, %v (calls %d)", got, err, pass.calls)
	}

	// ErrPermissionDenied stops the chain: the model backend, which would
	// accept, is not asked.
	deny := &stubBackend{err: auth.ErrPermissionDenied}
	got, err = auth.Authenticate(ctx, db, creds, deny, model)
	if got != nil || !errors.Is(err, auth.ErrInvalidCredentials) || !errors.Is(err, auth.ErrPermissionDenied) {
		t.Fatalf("deny: %v, %v", got, err)
	}

	// Another error stops the chain and comes back as it is.
	boom := errors.New("boom")
	if _, err := auth.Authenticate(ctx, db, creds, &stubBackend{err: boom}, model); !errors.Is(err, boom) || errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("failing backend: %v", err)
	}

	// A backend's user gets last_login, written alone: a change the backend
	// made in memory to another field is not saved.
	loaded.FirstName = "not saved"
	before := time.Now().Add(-time.Second)
	got, err = auth.Authenticate(ctx, db, creds, &stubBackend{user: loaded})
	if err != nil || got != loaded {
		t.Fatalf("stub user: %v, %v", got, err)
	}
	props := storedProps(t, db, u.ElementID())
	if _, ok := props["first_name"]; ok {
		t.Errorf("first_name saved with last_login: %v", props)
	}
	last, ok := props["last_login"].(time.Time)
	if !ok || last.Before(before) || !last.Equal(got.LastLogin) {
		t.Errorf("last_login stored %v, in memory %v", props["last_login"], got.LastLogin)
	}

	// GetUser finds active users by username.
	if g, err := model.GetUser(ctx, db, u.Username); err != nil || g.ElementID() != u.ElementID() {
		t.Fatalf("GetUser: %v, %v", g, err)
	}
	if g, err := model.GetUser(ctx, db, uniq(t, "nobody")); err != nil || g != nil {
		t.Fatalf("GetUser of nobody: %v, %v", g, err)
	}
}

// djangoVectors are hashes made by Django 5.2 (auth/hashers/testdata).
func djangoVectors(t *testing.T) []struct{ Algorithm, Password, Encoded string } {
	t.Helper()
	data, err := os.ReadFile("hashers/testdata/django_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []struct{ Algorithm, Password, Encoded string }
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f.Vectors
}

// TestDjangoHashLogsInAndIsUpgraded: a user moved from Django with a hash
// of each algorithm logs in, and the hash is replaced by one of the
// preferred hasher; only the password property is written.
func TestDjangoHashLogsInAndIsUpgraded(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	seen := map[string]bool{}
	for _, v := range djangoVectors(t) {
		if seen[v.Algorithm] || v.Password == "" || strings.Contains(v.Encoded, "$1000000$") || strings.Contains(v.Encoded, "m=102400") {
			continue // one cheap vector per algorithm
		}
		seen[v.Algorithm] = true
		t.Run(v.Algorithm, func(t *testing.T) {
			u := newUser(t, db, "django", nil, func(u *auth.User) { u.Password = v.Encoded })
			if u.Password != v.Encoded {
				t.Fatalf("stored %q", u.Password)
			}
			if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: v.Password + "x"}); !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("wrong password: %v", err)
			}
			if got := storedProps(t, db, u.ElementID())["password"]; got != v.Encoded {
				t.Fatalf("a failed login changed the hash to %v", got)
			}
			got, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: v.Password})
			if err != nil {
				t.Fatalf("Django hash %s: %v", v.Encoded, err)
			}
			stored := storedProps(t, db, u.ElementID())["password"].(string)
			if !strings.HasPrefix(stored, "pbkdf2_sha256$1000$") || stored != got.Password {
				t.Fatalf("not upgraded: stored %q, in memory %q", stored, got.Password)
			}
			if ok, _, err := cheapHashers.Check(v.Password, stored); !ok || err != nil {
				t.Fatalf("upgraded hash does not check: %v", err)
			}
			// And again, with the new hash.
			if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: v.Password}); err != nil {
				t.Fatal(err)
			}
		})
	}
	for _, alg := range []string{"pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "scrypt", "md5"} {
		if !seen[alg] {
			t.Errorf("no Django vector for %s", alg)
		}
	}
}

// TestCheckPasswordSavesOnlyThePassword: the upgrade on a successful check
// writes the password property and nothing else of the Go value.
func TestCheckPasswordSavesOnlyThePassword(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	u := newUser(t, db, "only", nil, func(u *auth.User) {
		u.Password = "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3" // lètmein, by Django
		u.LastName = "Stored"
	})
	u.LastName = "Changed in memory"
	u.IsStaff = true
	ok, err := cheap().CheckPassword(ctx, u, "lètmein")
	if err != nil || !ok {
		t.Fatalf("CheckPassword: %v, %v", ok, err)
	}
	props := storedProps(t, db, u.ElementID())
	if props["last_name"] != "Stored" || props["is_staff"] != false {
		t.Errorf("other fields saved: %v", props)
	}
	if props["password"] != u.Password || !strings.HasPrefix(u.Password, "pbkdf2_sha256$1000$") {
		t.Errorf("password stored %v, in memory %q", props["password"], u.Password)
	}
	// Wrong passwords, unusable and empty hashes never match.
	if ok, err := cheap().CheckPassword(ctx, u, "nope"); ok || err != nil {
		t.Errorf("wrong password: %v, %v", ok, err)
	}
	u.SetUnusablePassword()
	if ok, err := u.CheckPassword(ctx, u.Password); ok || err != nil || u.HasUsablePassword() {
		t.Errorf("unusable password: %v, %v", ok, err)
	}
	// A user not saved yet is upgraded in memory only.
	mem := &auth.User{Username: "x", Password: "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3"}
	if ok, err := cheap().CheckPassword(ctx, mem, "lètmein"); !ok || err != nil || !strings.HasPrefix(mem.Password, "pbkdf2_sha256$1000$") {
		t.Errorf("unsaved user: %v, %v, %q", ok, err, mem.Password)
	}
}

// TestUniqueUsernameRace: 50 goroutines create the same username at once;
// the constraint of install-labels lets exactly one through.
func TestUniqueUsernameRace(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	const n = 50
	// Tests of other packages may drop every constraint of the shared
	// server while this one runs (ogm's RemoveLabels test does); a round
	// during which the constraint went missing is run again.
	for attempt := 1; ; attempt++ {
		if _, err := ogm.InstallLabels(ctx, db, auth.Schema); err != nil {
			t.Fatal(err)
		}
		name := uniq(t, "race")
		cleanupUsername(t, db, name)
		var wg sync.WaitGroup
		errs := make([]error, n)
		users := make([]*auth.User, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				users[i], errs[i] = auth.CreateUser(ctx, db, name, "", nil)
			})
		}
		close(start)
		wg.Wait()
		count, err := auth.UserNodes(db).Filter(auth.UserUsername.Eq(name)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ok, taken := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
				if users[i].Username != name {
					t.Errorf("created %q", users[i].Username)
				}
			case errors.Is(err, auth.ErrUsernameTaken) && errors.Is(err, ogm.ErrConstraint):
				taken++
			default:
				t.Errorf("goroutine %d: unexpected error %v", i, err)
			}
		}
		if count == 1 && ok == 1 && taken == n-1 {
			return
		}
		if attempt < 3 && !constraintExists(t, db, "constraint_unique_User_username") {
			t.Logf("attempt %d: the constraint was dropped meanwhile (%d users); again", attempt, count)
			continue
		}
		t.Fatalf("%d users stored, %d creates succeeded, %d ErrUsernameTaken; want 1, 1, %d", count, ok, taken, n-1)
	}
}

func constraintExists(t *testing.T, db *ogm.DB, name string) bool {
	res, err := db.Cypher(context.Background(), "SHOW CONSTRAINTS YIELD name WHERE name = $n RETURN name", map[string]any{"n": name})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Rows) > 0
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	suffix := uniq(t, "")
	// NFKC: "ｊｏｈｎ" (full width) and "ﬁ" (a ligature) are stored as "john", "fi".
	u, err := cfg.CreateUser(ctx, db, "ｊｏｈｎ_ﬁ_"+suffix, "  John.Doe@EXAMPLE.Org ", ogm.Ptr("pw-create-1"),
		func(u *auth.User) { u.FirstName = "John" })
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, u)
	if u.Username != "john_fi_"+suffix || u.Email != "John.Doe@example.org" || u.FirstName != "John" {
		t.Errorf("stored %q %q %q", u.Username, u.Email, u.FirstName)
	}
	if u.IsActive == nil || !*u.IsActive || u.IsStaff || u.IsSuperuser || u.DateJoined.IsZero() || !u.LastLogin.IsZero() {
		t.Errorf("defaults: %+v", u)
	}
	if !strings.HasPrefix(u.Password, "pbkdf2_sha256$1000$") {
		t.Errorf("password %q", u.Password)
	}
	got, err := auth.GetByNaturalKey(ctx, db, "john_fi_"+suffix)
	if err != nil || got.ElementID() != u.ElementID() {
		t.Fatalf("GetByNaturalKey: %v, %v", got, err)
	}
	if _, err := auth.GetByNaturalKey(ctx, db, "ｊｏｈｎ_ﬁ_"+suffix); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Errorf("GetByNaturalKey does not normalize (as Django): %v", err)
	}

	// Too long before normalizing (refused without normalizing), and too
	// long after ("ﷺ" is one character that NFKC makes 18).
	for _, name := range []string{strings.Repeat("a", 151), strings.Repeat("ﷺ", 9)} {
		if _, err := cfg.CreateUser(ctx, db, name, "", nil); !errors.Is(err, auth.ErrInvalidUsername) {
			t.Errorf("%d-character username: %v", len([]rune(name)), err)
		}
	}
	if _, err := cfg.CreateUser(ctx, db, "", "", nil); !errors.Is(err, auth.ErrInvalidUsername) {
		t.Errorf("empty username: %v", err)
	}
	if _, err := cfg.CreateUser(ctx, db, uniq(t, "bad"), "not an email", nil); !errors.Is(err, ogm.ErrValidation) {
		t.Errorf("bad email: %v", err)
	}
}

func TestCreateSuperuser(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	if _, err := cfg.CreateSuperuser(ctx, db, uniq(t, "root"), "", ""); !errors.Is(err, auth.ErrPasswordRequired) {
		t.Fatalf("no password: %v", err)
	}
	u, err := cfg.CreateSuperuser(ctx, db, uniq(t, "root"), "root@Example.COM", "pw-root-1",
		func(u *auth.User) { u.IsStaff, u.IsSuperuser = false, false })
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, u)
	props := storedProps(t, db, u.ElementID())
	if props["is_staff"] != true || props["is_superuser"] != true || props["email"] != "root@example.com" {
		t.Errorf("stored %v", props)
	}
	if ok, err := cfg.CheckPassword(ctx, u, "pw-root-1"); !ok || err != nil {
		t.Errorf("password: %v, %v", ok, err)
	}
}

// TestTwitterUser is neo4django's subclass: TwitterUser extends auth.User
// and follows other TwitterUsers.
func TestTwitterUser(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	mk := func(prefix, pw string) *twitter.TwitterUser {
		tu := &twitter.TwitterUser{User: auth.User{Username: uniq(t, prefix)}, Handle: "@" + prefix}
		if err := cfg.SetPassword(&tu.User, pw); err != nil {
			t.Fatal(err)
		}
		tu, err := auth.CreateUserAs(ctx, db, twitter.TwitterUserModel, tu)
		if err != nil {
			t.Fatal(err)
		}
		cleanup(t, db, tu)
		return tu
	}
	jack := mk("jack", "jackpassword")
	jim := mk("jim", "jimpassword")
	if got := labelsOf(t, db, jim.ElementID()); strings.Join(got, ":") != "User:TwitterUser" {
		t.Errorf("labels %v", got)
	}
	if err := jim.Follows().Connect(ctx, jack); err != nil {
		t.Fatal(err)
	}

	user, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: jim.Username, Password: "jimpassword"})
	if err != nil {
		t.Fatal(err)
	}
	tu, err := twitter.TwitterUserFromModel(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if tu.ElementID() != jim.ElementID() || tu.Handle != "@jim" || tu.Username != jim.Username {
		t.Fatalf("FromModel: %+v", tu)
	}
	follows, err := tu.Follows().All(ctx)
	if err != nil || len(follows) != 1 || follows[0].ElementID() != jack.ElementID() {
		t.Fatalf("jim follows %v, %v", follows, err)
	}
	// The subclass value is a user to every function of package auth.
	if ok, err := tu.CheckPassword(ctx, "jimpassword"); !ok || err != nil {
		t.Errorf("CheckPassword through the subclass: %v, %v", ok, err)
	}
	// The check runs, and says that the permission does not exist (a
	// codename of its own: other tests, and any install-labels of
	// builtin:auth, create auth.add_user in the shared database).
	if ok, err := auth.HasPerm(ctx, db, &tu.User, "auth."+uniq(t, "no_such_")); ok || !errors.Is(err, auth.ErrUnknownPermission) {
		t.Errorf("HasPerm through the subclass: %v, %v", ok, err)
	}
	// (CreateUserAs(ctx, db, model, &twitter.Post{}) does not compile: a
	// Post does not embed auth.User.)
}

// TestPromote: a plain User is not a TwitterUser (ErrWrongType) until
// promoted.
func TestPromote(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	u := newUser(t, db, "plain", ogm.Ptr("pw-plain-1"))
	if _, err := twitter.TwitterUserFromModel(ctx, u); !errors.Is(err, ogm.ErrWrongType) {
		t.Fatalf("FromModel of a plain user: %v", err)
	}
	postModel := &auth.Model[twitter.Post]{Type: twitter.PostType, Username: func(p *twitter.Post) *string { return &p.Title }}
	if _, err := auth.Promote(ctx, db, u, postModel); !errors.Is(err, auth.ErrNotUserType) {
		t.Fatalf("Promote to Post: %v", err)
	}
	tu, err := auth.Promote(ctx, db, u, twitter.TwitterUserModel, func(tu *twitter.TwitterUser) { tu.Handle = "@plain" })
	if err != nil {
		t.Fatal(err)
	}
	if tu.ElementID() != u.ElementID() || tu.Username != u.Username || tu.Password != u.Password || tu.Handle != "@plain" {
		t.Fatalf("promoted %+v", tu)
	}
	if got := labelsOf(t, db, u.ElementID()); strings.Join(got, ":") != "User:TwitterUser" {
		t.Errorf("labels %v", got)
	}
	again, err := twitter.TwitterUserFromModel(ctx, u)
	if err != nil || again.Handle != "@plain" {
		t.Fatalf("FromModel after Promote: %+v, %v", again, err)
	}
	// Promoting again loads the node as it is.
	if tu2, err := auth.Promote(ctx, db, u, twitter.TwitterUserModel); err != nil || tu2.Handle != "@plain" {
		t.Fatalf("second Promote: %+v, %v", tu2, err)
	}
}

// countingHasher is the cheap PBKDF2 that counts the hashes it computes.
type countingHasher struct {
	hashers.PBKDF2SHA256
	n *atomic.Int32
}

func (h countingHasher) Encode(password, salt string) (string, error) {
	h.n.Add(1)
	return h.PBKDF2SHA256.Encode(password, salt)
}

func (h countingHasher) Verify(password, encoded string) (bool, error) {
	h.n.Add(1)
	return h.PBKDF2SHA256.Verify(password, encoded)
}

// TestRefusalsRunTheHasher: whether the username exists, is inactive or has
// an unusable password, a refused login computes one hash, so its time
// does not tell which is the case.
func TestRefusalsRunTheHasher(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	var n atomic.Int32
	reg, err := hashers.NewRegistry(countingHasher{hashers.PBKDF2SHA256{Iterations: 1000}, &n})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &auth.Config{Hashers: reg}
	mk := func(prefix string, pw *string, opts ...auth.UserOption) *auth.User {
		u, err := cfg.CreateUser(ctx, db, uniq(t, prefix), "", pw, opts...)
		if err != nil {
			t.Fatal(err)
		}
		cleanup(t, db, u)
		return u
	}
	active := mk("count", ogm.Ptr("pw-count-1"))
	inactive := mk("count", ogm.Ptr("pw-count-1"), func(u *auth.User) { u.IsActive = ogm.Ptr(false) })
	unusable := mk("count", nil)
	for name, creds := range map[string]auth.Credentials{
		"wrong password":    {Username: active.Username, Password: "nope"},
		"unknown user":      {Username: uniq(t, "nobody"), Password: "pw-count-1"},
		"inactive user":     {Username: inactive.Username, Password: "pw-count-1"},
		"unusable password": {Username: unusable.Username, Password: "pw-count-1"},
		"too long username": {Username: strings.Repeat("x", 200), Password: "pw-count-1"},
	} {
		n.Store(0)
		if _, err := cfg.Authenticate(ctx, db, creds); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("%s: %v", name, err)
		}
		if got := n.Load(); got != 1 {
			t.Errorf("%s: %d hashes computed, want 1", name, got)
		}
	}
}
