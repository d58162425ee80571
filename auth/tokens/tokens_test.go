package tokens

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type jsonUser struct {
	PK        string  `json:"pk"`
	Password  string  `json:"password"`
	LastLogin *string `json:"last_login"`
	Email     string  `json:"email"`
}

func (u jsonUser) state(t *testing.T) UserState {
	t.Helper()
	s := UserState{PK: u.PK, Password: u.Password, Email: u.Email}
	if u.LastLogin != nil {
		ll, err := time.Parse(time.RFC3339Nano, *u.LastLogin)
		if err != nil {
			t.Fatal(err)
		}
		s.LastLogin = ll
	}
	return s
}

type vectors struct {
	Django                string `json:"django"`
	DefaultTimeoutSeconds int64  `json:"default_timeout_seconds"`
	Tokens                []struct {
		Secret string   `json:"secret"`
		User   jsonUser `json:"user"`
		Now    string   `json:"now"`
		Token  string   `json:"token"`
	} `json:"tokens"`
	Checks []struct {
		Name      string   `json:"name"`
		User      jsonUser `json:"user"`
		Token     string   `json:"token"`
		Now       string   `json:"now"`
		Secret    string   `json:"secret"`
		Fallbacks []string `json:"fallbacks"`
		Timeout   *int64   `json:"timeout"`
		Valid     bool     `json:"valid"`
	} `json:"checks"`
	SessionAuthHashes []struct {
		Secret   string `json:"secret"`
		Password string `json:"password"`
		Hash     string `json:"hash"`
	} `json:"session_auth_hashes"`
}

func load(t *testing.T) vectors {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "django_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Tokens) == 0 || len(v.Checks) == 0 || len(v.SessionAuthHashes) == 0 {
		t.Fatal("empty vectors file")
	}
	return v
}

// clock parses a naive Python datetime as the generator's clock.
func clock(t *testing.T, naive string) func() time.Time {
	t.Helper()
	now, err := time.Parse("2006-01-02T15:04:05.999999", naive)
	if err != nil {
		t.Fatal(err)
	}
	return func() time.Time { return now }
}

func TestDjangoTokens(t *testing.T) {
	v := load(t)
	if time.Duration(v.DefaultTimeoutSeconds)*time.Second != DefaultTimeout {
		t.Errorf("Django's PASSWORD_RESET_TIMEOUT is %ds", v.DefaultTimeoutSeconds)
	}
	for _, c := range v.Tokens {
		g := Generator{Secret: c.Secret, Now: clock(t, c.Now)}
		u := c.User.state(t)
		got, err := g.MakeToken(u)
		if err != nil || got != c.Token {
			t.Errorf("MakeToken(%+v) at %s = %q, %v; Django made %q", u, c.Now, got, err, c.Token)
		}
		if !g.CheckToken(u, c.Token) {
			t.Errorf("CheckToken(Django's %q) = false", c.Token)
		}
	}
}

func TestDjangoChecks(t *testing.T) {
	v := load(t)
	for _, c := range v.Checks {
		g := Generator{Secret: c.Secret, SecretFallbacks: c.Fallbacks, Now: clock(t, c.Now)}
		if c.Timeout != nil {
			g.Timeout = time.Duration(*c.Timeout) * time.Second
		}
		if got := g.CheckToken(c.User.state(t), c.Token); got != c.Valid {
			t.Errorf("%s: CheckToken(%q) = %v; Django says %v", c.Name, c.Token, got, c.Valid)
		}
	}
}

func TestDjangoSessionAuthHash(t *testing.T) {
	v := load(t)
	for _, c := range v.SessionAuthHashes {
		if got := SessionAuthHash(c.Secret, c.Password); got != c.Hash {
			t.Errorf("SessionAuthHash(%q, %q) = %q; Django %q", c.Secret, c.Password, got, c.Hash)
		}
		if !CheckSessionAuthHash(c.Hash, c.Password, "new secret", "", c.Secret) {
			t.Error("CheckSessionAuthHash ignores fallbacks")
		}
		if CheckSessionAuthHash(c.Hash, c.Password+"x", c.Secret) || CheckSessionAuthHash(c.Hash, c.Password, "") {
			t.Error("CheckSessionAuthHash accepts a changed password or an empty secret")
		}
	}
}

func TestLifecycle(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	g := Generator{Secret: "s3cret", Now: func() time.Time { return now }}
	u := UserState{PK: "42", Password: "pbkdf2_sha256$1$a$b", Email: "a@b.c"}
	tok, err := g.MakeToken(u)
	if err != nil {
		t.Fatal(err)
	}
	if !g.CheckToken(u, tok) {
		t.Fatal("fresh token does not check")
	}
	// Expiry, in whole seconds, inclusive.
	now = now.Add(DefaultTimeout)
	if !g.CheckToken(u, tok) {
		t.Error("token expired at exactly the timeout")
	}
	now = now.Add(time.Second)
	if g.CheckToken(u, tok) {
		t.Error("token valid after the timeout")
	}
	now = now.Add(-DefaultTimeout)
	// Logging in voids the token; so does a new password.
	in := u
	in.LastLogin = now
	if g.CheckToken(in, tok) {
		t.Error("token valid after a login")
	}
	// The last login counts to the second, in UTC whatever its zone.
	u.LastLogin = time.Date(2025, 1, 1, 12, 0, 0, 123456789, time.UTC)
	tok, _ = g.MakeToken(u)
	same := u
	same.LastLogin = u.LastLogin.Truncate(time.Second).In(time.FixedZone("X", 5*3600))
	if !g.CheckToken(same, tok) {
		t.Error("last login's zone or sub-seconds change the token")
	}
	// Rotating the secret.
	rotated := Generator{Secret: "new", SecretFallbacks: []string{"s3cret"}, Now: g.Now}
	if !rotated.CheckToken(u, tok) {
		t.Error("fallback secret not used")
	}
	if (Generator{Secret: "new", Now: g.Now}).CheckToken(u, tok) {
		t.Error("token checks under another secret")
	}
}

func TestMisuse(t *testing.T) {
	u := UserState{PK: "1"}
	if _, err := (Generator{}).MakeToken(u); err != ErrNoSecret {
		t.Errorf("MakeToken without secret: %v", err)
	}
	old := func() time.Time { return time.Date(2000, 12, 31, 23, 59, 59, 0, time.UTC) }
	if _, err := (Generator{Secret: "s", Now: old}).MakeToken(u); err != ErrClock {
		t.Errorf("MakeToken before 2001: %v", err)
	}
	g := Generator{Secret: "s"}
	tok, err := g.MakeToken(u)
	if err != nil {
		t.Fatal(err)
	}
	if (Generator{SecretFallbacks: []string{"s"}}).CheckToken(u, tok) {
		t.Error("CheckToken without secret accepted a token")
	}
	if (Generator{Secret: "x", SecretFallbacks: []string{""}}).CheckToken(u, tok) {
		t.Error("empty fallback used")
	}
	if g.CheckToken(nil, tok) {
		t.Error("CheckToken(nil user) = true")
	}
	for _, bad := range []string{"", "-", "+" + tok, "-" + tok, strings.ToUpper(tok), tok + "0", "zzzzzzzzzzzzzzz-0"} {
		if g.CheckToken(u, bad) {
			t.Errorf("CheckToken(%q) = true", bad)
		}
	}
}

func TestDefaultClockIsUTC(t *testing.T) {
	g := Generator{Secret: "s"}
	tok, err := g.MakeToken(UserState{PK: "1"})
	if err != nil {
		t.Fatal(err)
	}
	utc := Generator{Secret: "s", Now: func() time.Time { return time.Now().UTC() }}
	if !utc.CheckToken(UserState{PK: "1"}, tok) {
		t.Error("default clock differs from UTC")
	}
}

func ExampleGenerator() {
	g := Generator{Secret: "django-insecure-k3y", Now: func() time.Time {
		return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	}}
	user := UserState{PK: "42", Password: "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=", Email: "bob@example.com"}
	token, _ := g.MakeToken(user)
	fmt.Println(token, g.CheckToken(user, token))

	user.Password = "pbkdf2_sha256$1000000$newsalt$…" // the password was reset
	fmt.Println(g.CheckToken(user, token))
	// Output:
	// c6lftl-2ad468319a0476f6acd29c17806fa65b true
	// false
}
