package ogm

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gonode/gonode/ogm/internal/bolt"
)

// schemes are the URL schemes the Neo4j driver speaks: bolt:// for one
// server, neo4j:// for routing, each with +s (TLS, verified) and +ssc (TLS,
// self-signed certificates accepted).
var schemes = map[string]bool{
	"bolt": true, "bolt+s": true, "bolt+ssc": true,
	"neo4j": true, "neo4j+s": true, "neo4j+ssc": true,
}

// target is a parsed connection URL: where to connect, as whom, and which
// database to use.
type target struct {
	address  string // scheme://host:port[?routing context], no user info, no path
	auth     bolt.Auth
	database string
	redacted string // the URL with the password replaced, safe for messages
}

// parseURL splits a connection URL such as
// bolt://neo4j:secret@localhost:7687/movies. Its errors never contain the
// password: url.Parse's own errors quote the whole input, so they are not
// passed on.
func parseURL(raw string) (target, error) {
	redacted := redact(raw)
	bad := func(why string) (target, error) {
		return target{}, &Error{Op: "open", Kind: ErrInvalidURL, Msg: fmt.Sprintf("%s: %s", redacted, why)}
	}
	if strings.TrimSpace(raw) == "" {
		return bad("empty URL (pass one or set NEO4J_BOLT_URL)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("not a URL")
	}
	if !schemes[u.Scheme] {
		return bad(fmt.Sprintf("unsupported scheme %q (use bolt, bolt+s, bolt+ssc, neo4j, neo4j+s or neo4j+ssc)", u.Scheme))
	}
	if u.Host == "" || u.Hostname() == "" {
		return bad("missing host")
	}
	if p := u.Port(); p != "" {
		var n int
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 1 || n > 65535 {
			return bad(fmt.Sprintf("invalid port %q", p))
		}
	}
	t := target{redacted: redacted}
	if u.User != nil {
		t.auth.User = u.User.Username()
		t.auth.Password, _ = u.User.Password()
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		if strings.Contains(db, "/") {
			return bad(fmt.Sprintf("path %q is not a database name", u.Path))
		}
		t.database = db
	}
	if u.Fragment != "" {
		return bad("unexpected #fragment")
	}
	addr := url.URL{Scheme: u.Scheme, Host: u.Host, RawQuery: u.RawQuery}
	t.address = addr.String()
	return t, nil
}

// redact replaces the password of a URL-like string with "xxxxx". It works on
// strings url.Parse rejects too, so no error path can leak a password.
func redact(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo := rest[:at]
	if colon := strings.Index(userinfo, ":"); colon >= 0 {
		userinfo = userinfo[:colon] + ":xxxxx"
	}
	return scheme + userinfo + rest[at:]
}
