// Package tokens makes and checks password reset tokens compatible with
// Django 5.2's django.contrib.auth.tokens.PasswordResetTokenGenerator, and
// the session auth hash of AbstractBaseUser.get_session_auth_hash.
//
// A token is "<timestamp>-<hash>": the timestamp is the number of seconds
// since 2001-01-01 in base 36, and the hash is every other hex digit of an
// HMAC-SHA256 (Django's salted_hmac) over the user's primary key, password
// hash, last login, the timestamp and email. A token therefore stops working
// when it expires, when the password changes (even to the same password,
// because of the new salt), when the user logs in, or when the email
// changes.
//
// Tokens made by Django with the same SECRET_KEY check here, and the other
// way round, provided both sides sign the same primary key (Django's
// str(user.pk)) and read the clock in the same zone: Django counts the
// seconds of its naive local time, which its TIME_ZONE setting sets, and
// [Generator] those of the wall clock in its Location (UTC when nil). The
// user's last login is signed in UTC, as Django with USE_TZ = True (its
// default) stores it.
//
// TestDjangoTimeZone runs the real Django 5.2.19 (installed into
// .build/django-venv on its first run) with a TIME_ZONE west and one east
// of UTC, on both real clocks. testdata/django_vectors.json holds tokens
// made and checked by Django 5.2 at fixed times.
// To regenerate it (needs Python 3 and PyPI), from the repository root:
//
//	python3 -m venv .build/venv && .build/venv/bin/pip install 'django==5.2.*'
//	.build/venv/bin/python auth/tokens/testdata/django_vectors.py
package tokens

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// KeySalt is the key salt of password reset tokens (Django's
// PasswordResetTokenGenerator.key_salt).
const KeySalt = "django.contrib.auth.tokens.PasswordResetTokenGenerator"

// SessionKeySalt is the key salt of the session auth hash.
const SessionKeySalt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

// DefaultTimeout is how long a token stays valid when Generator.Timeout is
// zero: 3 days, Django's PASSWORD_RESET_TIMEOUT.
const DefaultTimeout = 3 * 24 * time.Hour

// ErrNoSecret is returned by [Generator.MakeToken] when the generator has no
// secret (Django refuses an empty SECRET_KEY).
var ErrNoSecret = errors.New("tokens: generator has no secret")

// ErrClock is returned by [Generator.MakeToken] when the clock reads a time
// before 2001-01-01, which a token cannot encode.
var ErrClock = errors.New("tokens: clock is before 2001-01-01")

// epoch is the zero of token timestamps, 2001-01-01 00:00:00.
var epoch = time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()

// lastLoginLayout is how Python prints a naive datetime without
// microseconds (str(datetime)).
const lastLoginLayout = "2006-01-02 15:04:05"

// User is a user that tokens are made for.
type User interface {
	// TokenState returns the user's current state, to which tokens are
	// bound.
	TokenState() UserState
}

// UserState is the state of a user that a token depends on. It implements
// [User], so a UserState can be passed directly.
type UserState struct {
	// PK is the user's primary key as Django prints it (str(user.pk)),
	// for example "42" or a UUID.
	PK string
	// Password is the user's encoded password hash.
	Password string
	// LastLogin is the user's last login, or the zero time if the user never
	// logged in. It is taken in UTC to the second, as Django stores it with
	// USE_TZ=True.
	LastLogin time.Time
	// Email is the user's email address, or "".
	Email string
}

// TokenState returns s.
func (s UserState) TokenState() UserState { return s }

// hashValue is Django's _make_hash_value.
func (s UserState) hashValue(timestamp int64) string {
	login := ""
	if !s.LastLogin.IsZero() {
		login = s.LastLogin.UTC().Format(lastLoginLayout)
	}
	return s.PK + s.Password + login + strconv.FormatInt(timestamp, 10) + s.Email
}

// Generator makes and checks password reset tokens (Django's
// PasswordResetTokenGenerator). The zero value has no secret and makes no
// tokens; a Generator is safe for concurrent use once set up.
type Generator struct {
	// Secret signs new tokens and checks them (Django's SECRET_KEY).
	Secret string
	// SecretFallbacks are earlier secrets whose tokens still check
	// (Django's SECRET_KEY_FALLBACKS), to rotate Secret without voiding
	// the tokens already sent.
	SecretFallbacks []string
	// Timeout is how long a token stays valid, counted in whole seconds;
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// Now returns the current time; nil means time.Now. Timestamps are
	// seconds since 2001-01-01 on the wall clock of Location, as Django
	// counts them from its naive local time.
	Now func() time.Time
	// Location is the zone whose wall clock timestamps count in: Django's
	// TIME_ZONE, for tokens that a Django site with the same TIME_ZONE
	// checks (and makes). nil means UTC, unless Now is set: then the
	// location of the times Now returns.
	Location *time.Location
}

func (g Generator) now() time.Time {
	t := time.Now()
	if g.Now != nil {
		t = g.Now()
	}
	switch {
	case g.Location != nil:
		return t.In(g.Location)
	case g.Now == nil:
		return t.UTC()
	}
	return t
}

func (g Generator) timeout() int64 {
	if g.Timeout == 0 {
		return int64(DefaultTimeout / time.Second)
	}
	return int64(g.Timeout / time.Second)
}

// seconds returns the seconds from 2001-01-01 to t's wall clock.
func seconds(t time.Time) int64 {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC).Unix() - epoch
}

// MakeToken returns a new token for u. It fails only when g has no secret or
// its clock reads a time before 2001.
func (g Generator) MakeToken(u User) (string, error) {
	if g.Secret == "" {
		return "", ErrNoSecret
	}
	ts := seconds(g.now())
	if ts < 0 {
		return "", ErrClock
	}
	return makeToken(u.TokenState(), ts, g.Secret), nil
}

// CheckToken reports whether token is a token that g (with its secret or one
// of its fallbacks) made for u in its present state and that has not
// expired. The comparison is constant-time.
func (g Generator) CheckToken(u User, token string) bool {
	if u == nil || token == "" || g.Secret == "" {
		return false
	}
	ts, ok := parseTimestamp(token)
	if !ok {
		return false
	}
	state := u.TokenState()
	match := false
	for i, secret := range append([]string{g.Secret}, g.SecretFallbacks...) {
		if i > 0 && secret == "" {
			continue
		}
		// Check every secret, so the time taken does not tell which
		// one matched.
		if hmac.Equal([]byte(makeToken(state, ts, secret)), []byte(token)) {
			match = true
		}
	}
	return match && seconds(g.now())-ts <= g.timeout()
}

// parseTimestamp returns the timestamp of "<base36>-<hash>". Django accepts
// at most 13 base-36 digits; a non-canonical spelling (upper case, leading
// zeros) parses but never matches the token made from its value.
func parseTimestamp(token string) (int64, bool) {
	dash := -1
	for i := 0; i < len(token); i++ {
		if token[i] == '-' {
			if dash >= 0 {
				return 0, false // Django's split("-") must give two parts
			}
			dash = i
		}
	}
	if dash < 1 || dash > 13 {
		return 0, false
	}
	ts, err := strconv.ParseInt(token[:dash], 36, 64)
	if err != nil || ts < 0 || token[0] == '+' {
		return 0, false
	}
	return ts, true
}

func makeToken(s UserState, ts int64, secret string) string {
	mac := SaltedHMAC(KeySalt, s.hashValue(ts), secret)
	digits := hex.EncodeToString(mac)
	short := make([]byte, 0, len(digits)/2)
	for i := 0; i < len(digits); i += 2 {
		short = append(short, digits[i]) // Django keeps every other digit
	}
	return strconv.FormatInt(ts, 36) + "-" + string(short)
}

// SaltedHMAC returns the HMAC-SHA256 of value keyed with SHA-256(keySalt +
// secret): Django's salted_hmac(keySalt, value, secret, algorithm="sha256").
func SaltedHMAC(keySalt, value, secret string) []byte {
	key := sha256.Sum256([]byte(keySalt + secret))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(value))
	return m.Sum(nil)
}

// SessionAuthHash returns the hex session auth hash of a user whose encoded
// password is passwordHash (Django's AbstractBaseUser.get_session_auth_hash).
// Storing it in the session and comparing on each request logs the user out
// of other sessions when the password changes.
func SessionAuthHash(secret, passwordHash string) string {
	return hex.EncodeToString(SaltedHMAC(SessionKeySalt, passwordHash, secret))
}

// CheckSessionAuthHash reports, in constant time, whether hash is the
// session auth hash of passwordHash under secret or one of fallbacks.
func CheckSessionAuthHash(hash, passwordHash, secret string, fallbacks ...string) bool {
	match := false
	for i, s := range append([]string{secret}, fallbacks...) {
		if s == "" && i > 0 {
			continue
		}
		if hmac.Equal([]byte(SessionAuthHash(s, passwordHash)), []byte(hash)) {
			match = true
		}
	}
	return match && secret != ""
}
