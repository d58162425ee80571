package authhttp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"time"

	"github.com/gonode/gonode/ogm"
)

// SessionRecord is a session as a [SessionStore] keeps it. The key the
// cookie holds is never part of it: a store sees only its hash.
type SessionRecord struct {
	// KeyHash is the hex SHA-256 of the session key (64 characters).
	KeyHash string
	// UserID is the element id of the logged-in user's node; "" for an
	// anonymous session.
	UserID string
	// UserAuthHash is the user's session auth hash when the session was
	// made or last refreshed (auth.Config.SessionAuthHash); "" for an
	// anonymous session. A session that has one but no user any more (the
	// user was deleted) is refused.
	UserAuthHash string
	// Data is what the application keeps in the session, as JSON values.
	Data map[string]any
	// CreatedAt is when the session was made.
	CreatedAt time.Time
	// LastActivity is when a request last counted for idle expiry.
	LastActivity time.Time
	// ExpireDate is when the session expires: the sooner of
	// AbsoluteExpireDate and LastActivity plus the idle timeout.
	ExpireDate time.Time
	// AbsoluteExpireDate is the latest the session can last.
	AbsoluteExpireDate time.Time
}

// SessionStore keeps sessions. [Neo4jStore] is the default; another store
// (an in-process cache in front of it, Redis) implements these methods. A
// store must be safe for concurrent use, and each method must be whole: it
// happens entirely or not at all.
type SessionStore interface {
	// Load returns the session whose key hash is keyHash when it has not
	// expired at now (ExpireDate after now), or nil, nil. A store that
	// can read the user in the same round trip returns the user's node
	// too (the Neo4j store does: one query for both); otherwise user is
	// nil and the Manager reads the user by UserID.
	Load(ctx context.Context, keyHash string, now time.Time) (s *SessionRecord, user *ogm.Node, err error)
	// Replace stores s, a new session, and deletes the session whose key
	// hash is old (none when old is ""), at once: what a login, a
	// password change and a key rotation do.
	Replace(ctx context.Context, old string, s *SessionRecord) error
	// Touch records activity on a session: its LastActivity, ExpireDate
	// and UserAuthHash become those of s (matched by s.KeyHash). A
	// session that is gone is not an error.
	Touch(ctx context.Context, s *SessionRecord) error
	// SetData replaces the data of the session whose key hash is keyHash.
	SetData(ctx context.Context, keyHash string, data map[string]any) error
	// Delete deletes the session whose key hash is keyHash; deleting one
	// that is gone is not an error.
	Delete(ctx context.Context, keyHash string) error
	// DeleteUserSessions deletes every session of the user whose element
	// id is userID, except the one whose key hash is keep (none when keep
	// is ""), and says how many it deleted.
	DeleteUserSessions(ctx context.Context, userID, keep string) (int, error)
	// DeleteExpired deletes the sessions that expired at or before now and
	// says how many (Django's clearsessions).
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}

// keyBytes is the entropy of a session key: 256 bits.
const keyBytes = 32

// keyLen is the length of a session key as the cookie holds it: 32 bytes in
// unpadded URL-safe base64.
var keyLen = base64.RawURLEncoding.EncodedLen(keyBytes)

// newKey returns a new random session key.
func newKey() string {
	b := make([]byte, keyBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedKey reports whether s can be a session key: keyLen characters of
// the URL-safe base64 alphabet. Anything else is refused before a query.
func wellFormedKey(s string) bool {
	if len(s) != keyLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// hashKey returns the hex SHA-256 of a session key: what the store keeps.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// cloneData copies session data one level deep (values are JSON values the
// caller does not change in place).
func cloneData(d map[string]any) map[string]any {
	if d == nil {
		return map[string]any{}
	}
	return maps.Clone(d)
}
