package authhttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// Defaults of Throttle.
const (
	DefaultThrottleWindow      = 15 * time.Minute
	DefaultThrottlePerUsername = 5
	DefaultThrottlePerAddress  = 20
)

// Throttle limits failed logins, beyond Django (django-axes' idea): the
// failures of each username and of each client address are counted in
// Neo4j (LoginThrottle nodes, keyed by a hash of the name or address), so
// every instance of the application shares the counts. A window opens at
// the first failure; once a username or an address reaches its limit
// within it, the login view answers 429 with Retry-After (the seconds until
// the window closes) without checking the password, and writes nothing.
// A successful login clears the username's count (not the address's, which
// an attacker could otherwise clear by logging into an account of their
// own between guesses). gonode auth clear-sessions deletes the counts of
// closed windows.
//
// The zero value is the default: 5 failures per username and 20 per
// address in 15 minutes.
type Throttle struct {
	// Disabled turns throttling off: nothing is counted or refused.
	Disabled bool
	// Window is how long failures are counted from the first one; 0
	// means DefaultThrottleWindow.
	Window time.Duration
	// PerUsername is how many failures a username may have in a window;
	// 0 means DefaultThrottlePerUsername, a negative value no limit.
	PerUsername int
	// PerAddress is how many failures a client address may have in a
	// window (an IPv6 address counts by its /64); 0 means
	// DefaultThrottlePerAddress, a negative value no limit.
	PerAddress int
}

type throttle struct {
	db *ogm.DB
	t  Throttle
}

func newThrottle(db *ogm.DB, t Throttle) *throttle {
	if t.Window <= 0 {
		t.Window = DefaultThrottleWindow
	}
	if t.PerUsername == 0 {
		t.PerUsername = DefaultThrottlePerUsername
	}
	if t.PerAddress == 0 {
		t.PerAddress = DefaultThrottlePerAddress
	}
	return &throttle{db: db, t: t}
}

var (
	throttleCheckQuery = q(`UNWIND $checks AS c
MATCH (t:{LoginThrottle} {{key}: c.key}) WHERE t.{window_end} > $now AND t.{failures} >= c.limit
RETURN max(t.{window_end})`)
	throttleFailQuery = q(`UNWIND $keys AS k
MERGE (t:{LoginThrottle} {{key}: k})
ON CREATE SET t.{failures} = 0, t.{window_end} = $now
WITH t, t.{window_end} <= $now AS closed
SET t.{failures} = CASE WHEN closed THEN 1 ELSE t.{failures} + 1 END,
    t.{window_end} = CASE WHEN closed THEN $end ELSE t.{window_end} END`)
	throttleClearQuery = q(`MATCH (t:{LoginThrottle} {{key}: $key}) DELETE t`)
)

// throttleKey is the stored key of a counter: a hash, so that what people
// type as usernames (a password, sometimes) is not stored.
func throttleKey(kind, v string) string {
	sum := sha256.Sum256([]byte(kind + ":" + v))
	return hex.EncodeToString(sum[:])
}

// usernameKey counts spellings of one username together.
func usernameKey(username string) string {
	if n, err := auth.NormalizeUsername(username); err == nil {
		username = n
	}
	return throttleKey("user", strings.ToLower(username))
}

type counter struct {
	key   string
	limit int
}

func (t *throttle) counters(username, addr string) []counter {
	var cs []counter
	if t.t.PerUsername > 0 {
		cs = append(cs, counter{usernameKey(username), t.t.PerUsername})
	}
	if t.t.PerAddress > 0 && addr != "" {
		cs = append(cs, counter{throttleKey("addr", addr), t.t.PerAddress})
	}
	return cs
}

// check returns how long the login of username from addr must wait (0:
// it may go ahead), with one read query.
func (t *throttle) check(ctx context.Context, username, addr string, now time.Time) (time.Duration, error) {
	cs := t.counters(username, addr)
	if t.t.Disabled || len(cs) == 0 {
		return 0, nil
	}
	checks := make([]any, len(cs))
	for i, c := range cs {
		checks[i] = map[string]any{"key": c.key, "limit": c.limit}
	}
	res, err := t.db.ReadCypher(ctx, throttleCheckQuery, map[string]any{"checks": checks, "now": ogm.DateTimeParam(now)})
	if err != nil || len(res.Rows) == 0 {
		return 0, err
	}
	end, ok := res.Rows[0][0].(time.Time)
	if !ok {
		return 0, nil
	}
	return end.Sub(now), nil
}

// fail counts a failed login of username from addr, in one write.
func (t *throttle) fail(ctx context.Context, username, addr string, now time.Time) error {
	cs := t.counters(username, addr)
	if t.t.Disabled || len(cs) == 0 {
		return nil
	}
	keys := make([]any, len(cs))
	for i, c := range cs {
		keys[i] = c.key
	}
	return t.db.Write(ctx, func(ctx context.Context) error {
		_, err := t.db.Cypher(ctx, throttleFailQuery, map[string]any{
			"keys": keys, "now": ogm.DateTimeParam(now), "end": ogm.DateTimeParam(now.Add(t.t.Window)),
		})
		return err
	})
}

// succeed clears the count of username after a successful login.
func (t *throttle) succeed(ctx context.Context, username string) error {
	if t.t.Disabled || t.t.PerUsername <= 0 {
		return nil
	}
	return t.db.Write(ctx, func(ctx context.Context) error {
		_, err := t.db.Cypher(ctx, throttleClearQuery, map[string]any{"key": usernameKey(username)})
		return err
	})
}

// clientAddr is the address the throttle counts for r.
func (m *Manager[T]) clientAddr(r *http.Request) string {
	if m.opts.ClientAddr != nil {
		return m.opts.ClientAddr(r)
	}
	return RemoteAddr(r)
}

// RemoteAddr is the default of Options.ClientAddr: the host of
// r.RemoteAddr, an IPv6 address reduced to its /64 (one host usually has a
// whole /64 to pick addresses from).
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
