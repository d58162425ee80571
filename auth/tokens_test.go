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
	if !cfg.CheckPasswordResetToken(again, token) {
		t.Fatal("fresh token refused")
	}
	if (&auth.Config{Hashers: cheapHashers, SecretKey: "other"}).CheckPasswordResetToken(again, token) {
		t.Error("token checks under another secret")
	}
	rotated := &auth.Config{Hashers: cheapHashers, SecretKey: "new", SecretKeyFallbacks: []string{cfg.SecretKey}}
	if !rotated.CheckPasswordResetToken(again, token) {
		t.Error("token refused under a fallback secret")
	}
	if _, err := (*auth.Config)(nil).MakePasswordResetToken(u); !errors.Is(err, tokens.ErrNoSecret) {
		t.Errorf("no secret: %v", err)
	}

	// A login invalidates it.
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: "old-pass-1"}); err != nil {
		t.Fatal(err)
	}
	must(t, again.Refresh(ctx))
	if cfg.CheckPasswordResetToken(again, token) {
		t.Error("token still checks after a login")
	}

	// So does the reset itself.
	token, err = cfg.MakePasswordResetToken(again)
	if err != nil {
		t.Fatal(err)
	}
	hash := cfg.SessionAuthHash(again)
	if hash == "" || !cfg.CheckSessionAuthHash(again, hash) {
		t.Fatal("session auth hash")
	}
	must(t, cfg.ChangePassword(ctx, again, "new-pass-2"))
	if cfg.CheckPasswordResetToken(again, token) {
		t.Error("token still checks after the password changed")
	}
	if cfg.CheckSessionAuthHash(again, hash) {
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
	if !clock.CheckPasswordResetToken(again, token) {
		t.Error("token expired early")
	}
	now = now.Add(2 * time.Minute)
	if clock.CheckPasswordResetToken(again, token) {
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
