package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// secretsIn reports which of the secrets appear in text.
func secretsIn(text string, secrets ...string) []string {
	var found []string
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	return found
}

// hashParts are the pieces of an encoded hash worth keeping secret: the
// whole, and its salt and digest ("algorithm$iterations$salt$digest").
func hashParts(encoded string) []string {
	parts := strings.Split(encoded, "$")
	out := []string{encoded}
	for _, p := range parts[1:] {
		if len(p) >= 8 {
			out = append(out, p)
		}
	}
	return out
}

// TestUserPrintingHidesThePassword: every way of printing a user, %v and
// friends, String, slog (text and JSON, the user alone or in a slice, a map
// or a struct), encoding/json, shows no password hash.
func TestUserPrintingHidesThePassword(t *testing.T) {
	const raw = "correct-horse-battery-staple"
	u := &auth.User{Username: "printed", Email: "p@example.com"}
	if err := (&auth.Config{Hashers: cheapHashers}).SetPassword(u, raw); err != nil {
		t.Fatal(err)
	}
	secrets := append(hashParts(u.Password), raw)
	var outputs []string
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%10v"} {
		outputs = append(outputs, fmt.Sprintf(format, u), fmt.Sprintf(format, *u))
	}
	outputs = append(outputs, u.String(), fmt.Sprint([]auth.User{*u}), fmt.Sprintf("%+v", struct{ U auth.User }{*u}))
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("login", "user", u, "value", *u,
			"slice", []*auth.User{u}, "map", map[string]auth.User{"k": *u}, "struct", struct{ U auth.User }{*u})
		outputs = append(outputs, buf.String())
	}
	for _, v := range []any{u, []auth.User{*u}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(b))
	}
	for _, out := range outputs {
		if found := secretsIn(out, secrets...); len(found) > 0 {
			t.Errorf("printed user shows %q: %s", found, out)
		}
	}
	// Still useful: the username is there, and %+v still names the field.
	if plus := fmt.Sprintf("%+v", u); !strings.Contains(plus, "Username:printed") || !strings.Contains(plus, "Password:[redacted]") {
		t.Errorf("%%+v: %s", plus)
	}
	if goSyntax := fmt.Sprintf("%#v", *u); !strings.HasPrefix(goSyntax, "auth.User{") {
		t.Errorf("%%#v: %s", goSyntax)
	}
	// Printing does not change the user.
	if ok, _ := u.CheckPassword(context.Background(), raw); !ok {
		t.Error("password hash changed by printing")
	}
}

// TestNoCredentialInErrors: the database password never shows in the
// errors of Open or in the printed *ogm.DB, and neither the passwords tried
// nor the stored hashes show in the errors of a login or of a query that
// had them as parameters.
func TestNoCredentialInErrors(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	dbURL, err := url.Parse(testenv.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	dbPassword, _ := dbURL.User.Password()
	if dbPassword == "" {
		t.Fatal("the test URL has no password")
	}
	var texts []string
	texts = append(texts, fmt.Sprintf("%v", db), fmt.Sprintf("%+v", db), fmt.Sprintf("%#v", db))

	wrong := *dbURL
	wrong.User = url.UserPassword(dbURL.User.Username(), "wrong-db-secret-42")
	_, err = ogm.Open(ctx, wrong.String())
	if !errors.Is(err, ogm.ErrUnauthorized) {
		t.Errorf("wrong database password: %v", err)
	}
	texts = append(texts, errTexts(err)...)
	for _, bad := range []string{
		"bolt://neo4j:wrong-db-secret-42@127.0.0.1:99999",
		"bolt://neo4j:wrong-db-secret-42@[::1",
		"http://neo4j:wrong-db-secret-42@127.0.0.1:7687",
		"bolt://neo4j:wrong-db-secret-42@127.0.0.1:1/db/x",
		"bolt://neo4j:wrong-db-secret-42@127.0.0.1:1", // nothing listens
	} {
		_, err := ogm.Open(ctx, bad, ogm.WithConnectTimeout(time.Second))
		if err == nil {
			t.Errorf("Open(%q) succeeded", bad)
			continue
		}
		texts = append(texts, errTexts(err)...)
	}

	cfg := cheap()
	const userPW = "user-secret-pw-77"
	u := newUser(t, db, "sec", ogm.Ptr(userPW))
	for _, creds := range []auth.Credentials{
		{Username: u.Username, Password: "tried-secret-pw-88"},
		{Username: uniq(t, "nobody"), Password: "tried-secret-pw-88"},
	} {
		_, err := cfg.Authenticate(ctx, db, creds)
		if !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("Authenticate: %v", err)
		}
		texts = append(texts, errTexts(err)...)
	}
	// A failing query that carries secrets as parameters.
	_, err = db.Cypher(ctx, "MATCH (n) WHERE n.password = $hash AND $pw = 1 RETURN n +", map[string]any{"hash": u.Password, "pw": userPW})
	if !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("bad query: %v", err)
	}
	texts = append(texts, errTexts(err)...)
	// A password refused by the validators.
	err = cfg.ValidatePassword("password", u)
	if err == nil {
		t.Error("a common password passes validation")
	}
	texts = append(texts, strings.ReplaceAll(fmt.Sprint(err), "password", "")) // the word, not the value

	secrets := append([]string{dbPassword, "wrong-db-secret-42", userPW, "tried-secret-pw-88"}, hashParts(u.Password)...)
	for _, text := range texts {
		if found := secretsIn(text, secrets...); len(found) > 0 {
			t.Errorf("secret %q shown in: %s", found, text)
		}
	}
}

// errTexts is what a program may print of err.
func errTexts(err error) []string {
	if err == nil {
		return nil
	}
	out := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		out = append(out, e.Error())
	}
	return out
}

// TestResetTokenDiesWithThePassword complements TestPasswordResetTokens
// (tokens_test.go, which checks a token against the user value it changed):
// the password is reset through the token the way a reset view does it, and
// the same token is then refused for the user as stored, read again from
// the database, and for another user.
func TestResetTokenDiesWithThePassword(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	u := newUser(t, db, "reuse", ogm.Ptr("first-pass-1"))
	other := newUser(t, db, "reuse", ogm.Ptr("first-pass-1"))
	token, err := cfg.MakePasswordResetToken(u)
	if err != nil {
		t.Fatal(err)
	}
	if checkToken(t, cfg, other, token) {
		t.Error("a user's token checks for another user")
	}
	// The reset view: load the user, check the token, set the password.
	view, err := auth.GetByNaturalKey(ctx, db, u.Username)
	if err != nil {
		t.Fatal(err)
	}
	if !checkToken(t, cfg, view, token) {
		t.Fatal("fresh token refused")
	}
	if err := cfg.ChangePassword(ctx, view, "second-pass-2"); err != nil {
		t.Fatal(err)
	}
	// A second use of the link.
	again, err := auth.GetByNaturalKey(ctx, db, u.Username)
	if err != nil {
		t.Fatal(err)
	}
	if checkToken(t, cfg, again, token) {
		t.Fatal("the token checks again after the password was reset with it")
	}
	// Setting the old password back does not revive it either (the hash
	// has a new salt).
	if err := cfg.ChangePassword(ctx, again, "first-pass-1"); err != nil {
		t.Fatal(err)
	}
	if checkToken(t, cfg, again, token) {
		t.Error("the token checks again once the old password is set back")
	}
}

// authTiming returns the durations of n refused logins of each kind,
// interleaved so that drift in the machine's speed affects both alike: a
// wrong password for an existing user, and a user that does not exist. The
// existing user's password is "timing-pass-1", hashed by cfg, or the
// encoded hash stored when encoded is not "".
func authTiming(tb testing.TB, cfg *auth.Config, n int, encoded string) (existing, missing []time.Duration) {
	ctx := context.Background()
	db := openDB(tb)
	u := newUser(tb, db, "timing", nil)
	if err := cfg.SetPassword(u, "timing-pass-1"); err != nil {
		tb.Fatal(err)
	}
	if encoded != "" {
		u.Password = encoded
	}
	if err := u.Save(ctx); err != nil {
		tb.Fatal(err)
	}
	wrong := auth.Credentials{Username: u.Username, Password: "not-the-password"}
	nobody := auth.Credentials{Username: uniq(tb, "nobody"), Password: "not-the-password"}
	for i := range 2 * n {
		creds := &wrong
		if i%2 == 1 {
			creds = &nobody
		}
		start := time.Now()
		_, err := cfg.Authenticate(ctx, db, *creds)
		d := time.Since(start)
		if !errors.Is(err, auth.ErrInvalidCredentials) {
			tb.Fatalf("login %d: %v", i, err)
		}
		if i%2 == 0 {
			existing = append(existing, d)
		} else {
			missing = append(missing, d)
		}
	}
	return existing, missing
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestAuthenticateTimingLoose asserts loosely what BenchmarkAuthenticateTiming
// measures: with a hasher costing a few milliseconds (so that the hash, not
// the database round trip, is what an attacker would time), the median time
// to refuse a missing user is within 50% of the median time to refuse an
// existing user's wrong password, over 25 runs of each. Were the hash
// skipped for a missing user, the ratio would be far below 0.5.
func TestAuthenticateTimingLoose(t *testing.T) {
	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 20000})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &auth.Config{Hashers: reg}
	existing, missing := authTiming(t, cfg, 25, "")
	checkTimingLoose(t, "existing", existing, missing)
}

// checkTimingLoose fails unless the median of missing, the refusals of a
// missing user, is within 50% of the median of existing, those of the
// existing user (described by who).
func checkTimingLoose(t *testing.T, who string, existing, missing []time.Duration) {
	t.Helper()
	e, m := median(existing), median(missing)
	ratio := float64(m) / float64(e)
	t.Logf("median refusal: %s user %v, missing user %v (ratio %.2f)", who, e, m, ratio)
	if ratio < 0.5 || ratio > 1.5 {
		t.Errorf("a missing user is refused in %v, the %s user in %v: ratio %.2f, outside [0.5, 1.5]", m, who, e, ratio)
	}
}

// BenchmarkAuthenticateTiming measures refused logins with the default
// hashers (Django's PBKDF2-SHA256 iterations): b.N wrong passwords for an
// existing user interleaved with b.N logins of a missing user. It reports
// the median of each and their difference in percent (target: under 5%):
//
//	go test ./auth -run '^$' -bench AuthenticateTiming -benchtime 40x
func BenchmarkAuthenticateTiming(b *testing.B) {
	cfg := &auth.Config{Hashers: hashers.Default()}
	existing, missing := authTiming(b, cfg, b.N, "")
	reportTiming(b, "existing", existing, missing)
}

// reportTiming reports the medians of existing and missing (the refusals
// of the existing user, described by who, and of a missing one) and their
// difference in percent, logging it when above the target of 5%.
func reportTiming(b *testing.B, who string, existing, missing []time.Duration) {
	e, m := median(existing), median(missing)
	b.ReportMetric(float64(e.Microseconds()), "existing-µs")
	b.ReportMetric(float64(m.Microseconds()), "missing-µs")
	diff := 100 * (float64(m) - float64(e)) / float64(e)
	b.ReportMetric(diff, "diff-%")
	if b.N >= 20 && (diff > 5 || diff < -5) {
		b.Logf("missing user %v vs %s user %v: %.1f%% apart (target 5%%)", m, who, e, diff)
	}
}

// legacyHashes are the hashes of "timing-pass-1" in each format that checks
// much faster than the preferred hasher: the legacy ones, and pbkdf2_sha1
// at 1,000 iterations where the registry's pbkdf2_sha1 has more.
func legacyHashes(tb testing.TB) map[string]string {
	out := map[string]string{}
	for _, h := range []hashers.Hasher{hashers.MD5{}, hashers.SHA1{}, hashers.UnsaltedMD5{}, hashers.UnsaltedSHA1{}, hashers.PBKDF2SHA1{Iterations: 1000}} {
		enc, err := h.Encode("timing-pass-1", h.Salt())
		if err != nil {
			tb.Fatal(err)
		}
		out[h.Algorithm()] = enc
	}
	return out
}

// TestAuthenticateTimingLegacyLoose is TestAuthenticateTimingLoose for a
// user whose stored hash is cheap to check (a legacy md5, sha1 or unsalted
// hash, or a pbkdf2_sha1 hash with fewer iterations than the registry's):
// a wrong password for that user is refused in about the time a missing
// user is (within 50%, medians of 15 runs of each). The preferred hasher
// costs several times a database round trip, so that were the cheap check
// all a wrong password cost, the missing user would take several times
// longer.
func TestAuthenticateTimingLegacyLoose(t *testing.T) {
	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 100000}, hashers.PBKDF2SHA1{Iterations: 100000},
		hashers.MD5{}, hashers.SHA1{}, hashers.UnsaltedMD5{}, hashers.UnsaltedSHA1{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &auth.Config{Hashers: reg}
	for alg, enc := range legacyHashes(t) {
		t.Run(alg, func(t *testing.T) {
			existing, missing := authTiming(t, cfg, 15, enc)
			checkTimingLoose(t, alg, existing, missing)
		})
	}
}

// BenchmarkAuthenticateTimingLegacy is BenchmarkAuthenticateTiming for a
// user with a legacy md5 hash, with the default hashers:
//
//	go test ./auth -run '^$' -bench AuthenticateTimingLegacy -benchtime 40x
func BenchmarkAuthenticateTimingLegacy(b *testing.B) {
	cfg := &auth.Config{Hashers: hashers.Default()}
	existing, missing := authTiming(b, cfg, b.N, legacyHashes(b)["md5"])
	reportTiming(b, "md5", existing, missing)
}
