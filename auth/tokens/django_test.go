package tokens

import (
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones of the test, whatever the machine has

	"github.com/gonode/gonode/internal/testenv"
)

// djangoTokenScript makes a token with Django's PasswordResetTokenGenerator
// on Django's real clock, checks the tokens Go made, and says which UTC
// offset the process's clock has (TIME_ZONE sets it).
const djangoTokenScript = testenv.DjangoUserClass + `
import time
from django.contrib.auth.tokens import PasswordResetTokenGenerator

g = PasswordResetTokenGenerator()
u = User(inp["user"])
out = {
    "token": g.make_token(u),
    "checks": [g.check_token(u, t) for t in inp["tokens"]],
    "gmtoff": time.localtime().tm_gmtoff,
}
`

// TestDjangoTimeZone runs the real Django 5.2 with TIME_ZONE west of UTC
// (America/New_York) and east of it (Asia/Kolkata), with
// PASSWORD_RESET_TIMEOUT one hour, on a user with an integer pk (42):
// tokens made by a Generator whose Location is Django's TIME_ZONE check in
// Django and the other way round, on both real clocks. A Generator in UTC
// disagrees: west of UTC, Django's fresh tokens look hours old to it; east
// of UTC, its fresh tokens look hours old to Django.
func TestDjangoTimeZone(t *testing.T) {
	dj := testenv.DjangoPython(t)
	const secret, timeout = "interop-secret", time.Hour
	lastLogin := time.Date(2024, 3, 4, 5, 6, 7, 891011000, time.UTC)
	user := UserState{PK: "42", Password: "pbkdf2_sha256$1000$salt$hash=", LastLogin: lastLogin, Email: "bob@example.com"}
	for _, zone := range []string{"America/New_York", "Asia/Kolkata"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			zoned := Generator{Secret: secret, Timeout: timeout, Location: loc}
			utc := Generator{Secret: secret, Timeout: timeout}
			goZoned, err := zoned.MakeToken(user)
			if err != nil {
				t.Fatal(err)
			}
			goUTC, err := utc.MakeToken(user)
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				Token  string `json:"token"`
				Checks []bool `json:"checks"`
				GMTOff int    `json:"gmtoff"`
			}
			dj.Run(t, map[string]string{
				"SECRET_KEY":             strconv.Quote(secret),
				"TIME_ZONE":              strconv.Quote(zone),
				"USE_TZ":                 "True",
				"PASSWORD_RESET_TIMEOUT": "3600",
			}, djangoTokenScript, map[string]any{
				"user":   map[string]any{"pk": 42, "password": user.Password, "last_login": lastLogin.Format(time.RFC3339Nano), "email": user.Email},
				"tokens": []string{goZoned, goUTC},
			}, &out)
			_, offset := time.Now().In(loc).Zone()
			if out.GMTOff != offset || offset == 0 {
				t.Fatalf("Django's clock is at UTC%+d s, Go's %s at %+d s: does the machine have %s in /usr/share/zoneinfo?", out.GMTOff, zone, offset, zone)
			}
			ts := func(token string) int64 {
				n, _ := strconv.ParseInt(strings.SplitN(token, "-", 2)[0], 36, 64)
				return n
			}
			if d := ts(out.Token) - ts(goZoned); d < -300 || d > 300 {
				t.Errorf("Django's timestamp %d and the zoned Generator's %d differ by %d s", ts(out.Token), ts(goZoned), d)
			}

			if !zoned.CheckToken(user, out.Token) || !out.Checks[0] {
				t.Errorf("same zone: Django's token checks here: %v; Go's checks in Django: %v", zoned.CheckToken(user, out.Token), out.Checks[0])
			}
			west, east := offset < -int(timeout/time.Second), offset > int(timeout/time.Second)
			if got := utc.CheckToken(user, out.Token); got == west {
				t.Errorf("Django's token checked in UTC: %v (offset %+d s)", got, offset)
			}
			if got := out.Checks[1]; got == east {
				t.Errorf("Go's UTC token checked by Django: %v (offset %+d s)", got, offset)
			}
			// Another pk is another user.
			if zoned.CheckToken(UserState{PK: "43", Password: user.Password, LastLogin: lastLogin, Email: user.Email}, out.Token) {
				t.Error("Django's token for pk 42 checks for pk 43")
			}
		})
	}
}
