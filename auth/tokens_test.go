package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/tokens"
	"github.com/gonode/gonode/auth/validators"
	"github.com/gonode/gonode/ogm"
)

var _ tokens.User = (*auth.User)(nil)
var _ validators.UserAttrs = (*auth.User)(nil)

func TestPasswordResetTokens(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	u := newUser(t, db, "reset", ogm.Ptr("old-pass-1"), func(u *auth.User) { u.Email = "reset@example.com" })

	token, err := cfg.MakePasswordResetToken(u)
	if err != nil {
		t.Fatal(err)
	}
	// The reset link names the user by username; the token checks against
	// the user as stored.
	again, err := auth.GetByNaturalKey(ctx, db, u.Username)
	if err != nil {
		t.Fatal(err)
	}
	if !checkToken(t, cfg, again, token) {
		t.Fatal("fresh token refused")
	}
	if checkToken(t, (&auth.Config{Hashers: cheapHashers, SecretKey: "other"}), again, token) {
		t.Error("token checks under another secret")
	}
	rotated := &auth.Config{Hashers: cheapHashers, SecretKey: "new", SecretKeyFallbacks: []string{cfg.SecretKey}}
	if !checkToken(t, rotated, again, token) {
		t.Error("token refused under a fallback secret")
	}
	if _, err := (*auth.Config)(nil).MakePasswordResetToken(u); !errors.Is(err, tokens.ErrNoSecret) || !errors.Is(err, auth.ErrNoSecretKey) {
		t.Errorf("no secret: %v", err)
	}

	// A login invalidates it.
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: "old-pass-1"}); err != nil {
		t.Fatal(err)
	}
	must(t, again.Refresh(ctx))
	if checkToken(t, cfg, again, token) {
		t.Error("token still checks after a login")
	}

	// So does the reset itself.
	token, err = cfg.MakePasswordResetToken(again)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := cfg.SessionAuthHash(again)
	if err != nil || hash == "" || !checkSession(t, cfg, again, hash) {
		t.Fatalf("session auth hash %q, %v", hash, err)
	}
	must(t, cfg.ChangePassword(ctx, again, "new-pass-2"))
	if checkToken(t, cfg, again, token) {
		t.Error("token still checks after the password changed")
	}
	if checkSession(t, cfg, again, hash) {
		t.Error("session auth hash still checks after the password changed")
	}
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: "new-pass-2"}); err != nil {
		t.Errorf("new password: %v", err)
	}

	// Expiry follows the configured timeout and clock.
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := &auth.Config{SecretKey: "s", PasswordResetTimeout: time.Hour, Now: func() time.Time { return now }}
	token, err = clock.MakePasswordResetToken(again)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(59 * time.Minute)
	if !checkToken(t, clock, again, token) {
		t.Error("token expired early")
	}
	now = now.Add(2 * time.Minute)
	if checkToken(t, clock, again, token) {
		t.Error("token did not expire")
	}
}

func TestValidatePassword(t *testing.T) {
	u := &auth.User{Username: "johnlennon", Email: "john@example.com"}
	err := auth.ValidatePassword("johnlennon1", u)
	if !errors.Is(err, validators.ErrTooSimilar) {
		t.Errorf("similar to the username: %v", err)
	}
	if err := auth.ValidatePassword("12345678", nil); !errors.Is(err, validators.ErrEntirelyNumeric) || !errors.Is(err, validators.ErrTooCommon) {
		t.Errorf("numeric: %v", err)
	}
	if err := auth.ValidatePassword("a quite long passphrase", u); err != nil {
		t.Errorf("good password: %v", err)
	}
	none := &auth.Config{Validators: []validators.Validator{}}
	if err := none.ValidatePassword("1", u); err != nil {
		t.Errorf("no validators: %v", err)
	}
	short := &auth.Config{Validators: []validators.Validator{validators.MinimumLength{Min: 20}}}
	if err := short.ValidatePassword("a quite long pass", u); !errors.Is(err, validators.ErrTooShort) {
		t.Errorf("custom validators: %v", err)
	}
}

// checkToken is cfg.CheckPasswordResetToken, which must not fail.
func checkToken(t *testing.T, cfg *auth.Config, u auth.UserNode, token string) bool {
	t.Helper()
	ok, err := cfg.CheckPasswordResetToken(u, token)
	if err != nil {
		t.Fatalf("CheckPasswordResetToken: %v", err)
	}
	return ok
}

// checkSession is cfg.CheckSessionAuthHash, which must not fail.
func checkSession(t *testing.T, cfg *auth.Config, u auth.UserNode, hash string) bool {
	t.Helper()
	ok, err := cfg.CheckSessionAuthHash(u, hash)
	if err != nil {
		t.Fatalf("CheckSessionAuthHash: %v", err)
	}
	return ok
}

// TestNoSecretKey: without a SecretKey, every token and session hash
// function fails with ErrNoSecretKey (the session hash was "", which
// logged every session out on its next request, silently), with a nil
// Config too.
func TestNoSecretKey(t *testing.T) {
	u := &auth.User{Username: "nosecret", Password: "pbkdf2_sha256$1000$salt$hash="}
	for name, cfg := range map[string]*auth.Config{"nil": nil, "empty": {}, "fallbacks only": {SecretKeyFallbacks: []string{"old"}}} {
		if h, err := cfg.SessionAuthHash(u); h != "" || !errors.Is(err, auth.ErrNoSecretKey) {
			t.Errorf("%s: SessionAuthHash = %q, %v; want ErrNoSecretKey", name, h, err)
		}
		if ok, err := cfg.CheckSessionAuthHash(u, "x"); ok || !errors.Is(err, auth.ErrNoSecretKey) {
			t.Errorf("%s: CheckSessionAuthHash = %v, %v; want ErrNoSecretKey", name, ok, err)
		}
		if tok, err := cfg.MakePasswordResetToken(u); tok != "" || !errors.Is(err, auth.ErrNoSecretKey) {
			t.Errorf("%s: MakePasswordResetToken = %q, %v; want ErrNoSecretKey", name, tok, err)
		}
		if ok, err := cfg.CheckPasswordResetToken(u, "c6lftl-8383437e1fba1f2bc2ccee1ec011ee7e"); ok || !errors.Is(err, auth.ErrNoSecretKey) {
			t.Errorf("%s: CheckPasswordResetToken = %v, %v; want ErrNoSecretKey", name, ok, err)
		}
	}
	cfg := &auth.Config{SecretKey: "s"}
	if ok, err := cfg.CheckPasswordResetToken(nil, "x"); ok || err != nil {
		t.Errorf("nil user: %v, %v", ok, err)
	}
}
