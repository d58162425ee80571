package auth_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Tokyo, whatever the machine has

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/members"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// djangoResetScript makes a reset token with Django's
// default_token_generator for the user given, on Django's clock, and
// checks the tokens gonode made.
const djangoResetScript = testenv.DjangoUserClass + `
from django.contrib.auth.tokens import default_token_generator as g

u = User(inp["user"])
out = {"token": g.make_token(u), "checks": [g.check_token(u, t) for t in inp["tokens"]]}
`

// TestDjangoResetTokens: a Member moved from a Django site keeps its
// integer pk in django_id; with Config.PKProperty naming it and
// Config.Location set to the site's TIME_ZONE (Asia/Tokyo, with a one-hour
// PASSWORD_RESET_TIMEOUT), a token that the real Django 5.2 makes for the
// user (pk 42, the same password hash, last login and email) checks in
// gonode against the Member as stored, and gonode's token checks in
// Django. Signing the username (the default), or counting in UTC, does
// not interoperate.
func TestDjangoResetTokens(t *testing.T) {
	dj := testenv.DjangoPython(t)
	ctx := context.Background()
	db := openDB(t)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	cfg := cheap()
	cfg.UserModel, cfg.PKProperty, cfg.Location, cfg.PasswordResetTimeout = members.MemberModel, "django_id", tokyo, time.Hour
	byUsername := cheap()
	byUsername.UserModel, byUsername.Location, byUsername.PasswordResetTimeout = members.MemberModel, tokyo, time.Hour
	inUTC := cheap()
	inUTC.UserModel, inUTC.PKProperty, inUTC.PasswordResetTimeout = members.MemberModel, "django_id", time.Hour

	m := newMember(t, db, cfg, "pw-moved-1", ogm.Ptr(42))
	// A login sets last_login (with microseconds, which tokens ignore).
	if _, err := auth.AuthenticateAs[*members.Member](ctx, cfg, db, auth.Credentials{Username: m.Username, Password: "pw-moved-1"}); err != nil {
		t.Fatal(err)
	}
	stored, err := members.MemberNodes(db).Get(ctx, members.MemberDjangoID.Eq(42), members.MemberUsername.Eq(m.Username))
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for name, c := range map[string]*auth.Config{"pk": cfg, "username": byUsername, "utc": inUTC} {
		if tokens[name], err = c.MakePasswordResetToken(stored); err != nil {
			t.Fatal(err)
		}
	}
	var out struct {
		Token  string `json:"token"`
		Checks []bool `json:"checks"`
	}
	dj.Run(t, map[string]string{
		"SECRET_KEY":             strconv.Quote(cfg.SecretKey),
		"TIME_ZONE":              `"Asia/Tokyo"`,
		"USE_TZ":                 "True",
		"PASSWORD_RESET_TIMEOUT": "3600",
	}, djangoResetScript, map[string]any{
		"user": map[string]any{
			"pk": 42, "password": stored.Password, "email": stored.Email,
			"last_login": stored.LastLogin.Format(time.RFC3339Nano),
		},
		"tokens": []string{tokens["pk"], tokens["username"], tokens["utc"]},
	}, &out)

	if !out.Checks[0] {
		t.Error("Django refused gonode's token (PKProperty, Location)")
	}
	if out.Checks[1] {
		t.Error("Django accepted a token signing the username")
	}
	if out.Checks[2] {
		t.Error("Django (Asia/Tokyo, 1 hour) accepted a token counted in UTC")
	}
	for name, c := range map[string]struct {
		cfg  *auth.Config
		want bool
	}{"pk": {cfg, true}, "username": {byUsername, false}, "utc": {inUTC, true}} {
		// Counted in UTC, Django's fresh token is 9 hours "in the future",
		// which Django's check (and so gonode's) lets through.
		if got := checkToken(t, c.cfg, stored, out.Token); got != c.want {
			t.Errorf("%s: Django's token checks: %v, want %v", name, got, c.want)
		}
	}

	// A user without a Django pk (made after the move) is keyed by its
	// username, as by default.
	fresh := newMember(t, db, cfg, "pw-fresh-1", nil)
	token, err := cfg.MakePasswordResetToken(fresh)
	if err != nil || !checkToken(t, byUsername, fresh, token) {
		t.Errorf("a user without django_id: %q, %v", token, err)
	}
	// The property is the Member's: a *auth.User does not carry it.
	if _, err := cfg.MakePasswordResetToken(&stored.User); !errors.Is(err, ogm.ErrWrongType) {
		t.Errorf("token for a *auth.User with PKProperty: %v; want ogm.ErrWrongType", err)
	}
	if _, err := cfg.CheckPasswordResetToken(&stored.User, out.Token); !errors.Is(err, ogm.ErrWrongType) {
		t.Errorf("check for a *auth.User with PKProperty: %v; want ogm.ErrWrongType", err)
	}
}
