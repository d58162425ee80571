package authhttp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// SessionRelType is the type of the relationship from a Session node to
// its user, as schema/auth.yaml declares it (Session.user).
const SessionRelType = "SESSION_OF"

// Neo4jStore keeps sessions as the auth schema's Session nodes, related to
// their user by SESSION_OF: one query loads a session and its user. Its
// unique key and expiry index are installed by gonode install-labels with
// builtin:auth (or ogm.InstallLabels(ctx, db, auth.Schema)); without the
// uniqueness constraint, lookups scan every Session node.
//
// Every method joins the transaction its context carries (db.Write), so a
// password change and the rotation of its session commit together.
type Neo4jStore struct {
	db  *ogm.DB
	reg *ogm.Registry
}

// NewNeo4jStore returns the store of the sessions on db.
func NewNeo4jStore(db *ogm.DB) *Neo4jStore {
	return &Neo4jStore{db: db, reg: ogm.NewRegistry(ogm.NewSchema("authhttp", []ogm.AnyNodeType{auth.SessionType}, nil, nil))}
}

// names fills the {placeholders} of the store's queries, quoted.
var names = strings.NewReplacer(
	"{Session}", ogm.Quote(auth.SessionType.Label),
	"{User}", ogm.Quote(auth.UserType.Label),
	"{SESSION_OF}", ogm.Quote(SessionRelType),
	"{key_hash}", ogm.Quote(auth.SessionKeyHash.Key()),
	"{user_auth_hash}", ogm.Quote(auth.SessionUserAuthHash.Key()),
	"{data}", ogm.Quote(auth.SessionData.Key()),
	"{last_activity}", ogm.Quote(auth.SessionLastActivity.Key()),
	"{expire_date}", ogm.Quote(auth.SessionExpireDate.Key()),
	"{LoginThrottle}", ogm.Quote(auth.LoginThrottleType.Label),
	"{key}", ogm.Quote(auth.LoginThrottleKey.Key()),
	"{failures}", ogm.Quote(auth.LoginThrottleFailures.Key()),
	"{window_end}", ogm.Quote(auth.LoginThrottleWindowEnd.Key()),
)

func q(s string) string { return names.Replace(s) }

var (
	loadQuery = q(`MATCH (s:{Session} {{key_hash}: $h}) WHERE s.{expire_date} > $now
OPTIONAL MATCH (s)-[:{SESSION_OF}]->(u:{User})
RETURN s, u LIMIT 1`)
	replaceQuery = q(`OPTIONAL MATCH (old:{Session} {{key_hash}: $old})
DETACH DELETE old
WITH count(*) AS deleted
CREATE (s:{Session}) SET s = $props
WITH s
OPTIONAL MATCH (u:{User}) WHERE elementId(u) = $user
FOREACH (x IN CASE WHEN u IS NULL THEN [] ELSE [1] END | CREATE (s)-[:{SESSION_OF}]->(u))
RETURN u IS NOT NULL`)
	touchQuery = q(`MATCH (s:{Session} {{key_hash}: $h})
SET s.{last_activity} = $last, s.{expire_date} = $exp, s.{user_auth_hash} = $auth`)
	setDataQuery    = q(`MATCH (s:{Session} {{key_hash}: $h}) SET s.{data} = $data`)
	deleteQuery     = q(`MATCH (s:{Session} {{key_hash}: $h}) DETACH DELETE s`)
	deleteUserQuery = q(`MATCH (s:{Session})-[:{SESSION_OF}]->(u:{User}) WHERE elementId(u) = $id AND s.{key_hash} <> $keep
DETACH DELETE s
RETURN count(*)`)
	deleteExpiredQuery = q(`MATCH (s:{Session}) WHERE s.{expire_date} <= $now
CALL (s) { DETACH DELETE s } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*)`)
	deleteStaleThrottlesQuery = q(`MATCH (t:{LoginThrottle}) WHERE t.{window_end} <= $now
CALL (t) { DETACH DELETE t } IN TRANSACTIONS OF 1000 ROWS
RETURN count(*)`)
)

// Load implements SessionStore: one read query for the session and its
// user.
func (st *Neo4jStore) Load(ctx context.Context, keyHash string, now time.Time) (*SessionRecord, *ogm.Node, error) {
	res, err := st.db.ReadCypher(ctx, loadQuery, map[string]any{"h": keyHash, "now": ogm.DateTimeParam(now)})
	if err != nil || len(res.Rows) == 0 {
		return nil, nil, err
	}
	node, ok := res.Rows[0][0].(ogm.Node)
	if !ok {
		return nil, nil, fmt.Errorf("authhttp: load session: unexpected %T", res.Rows[0][0])
	}
	v, err := st.reg.Node(st.db, node)
	if err != nil {
		return nil, nil, err
	}
	s := v.(*auth.Session)
	rec := &SessionRecord{
		KeyHash:            s.KeyHash,
		UserAuthHash:       s.UserAuthHash,
		CreatedAt:          s.CreatedAt,
		LastActivity:       s.LastActivity,
		ExpireDate:         s.ExpireDate,
		AbsoluteExpireDate: s.AbsoluteExpireDate,
	}
	if m, ok := s.Data.(map[string]any); ok {
		rec.Data = m
	}
	var user *ogm.Node
	if u, ok := res.Rows[0][1].(ogm.Node); ok {
		user = &u
		rec.UserID = u.ElementId
	}
	return rec, user, nil
}

// Replace implements SessionStore, in one write query.
func (st *Neo4jStore) Replace(ctx context.Context, old string, s *SessionRecord) error {
	v := &auth.Session{
		KeyHash:            s.KeyHash,
		UserAuthHash:       s.UserAuthHash,
		CreatedAt:          s.CreatedAt,
		LastActivity:       s.LastActivity,
		ExpireDate:         s.ExpireDate,
		AbsoluteExpireDate: s.AbsoluteExpireDate,
	}
	if len(s.Data) > 0 {
		v.Data = s.Data
	}
	if err := ogm.Validate(auth.SessionType, v); err != nil {
		return err
	}
	props, err := auth.SessionType.Encode(v)
	if err != nil {
		return err
	}
	return st.db.Write(ctx, func(ctx context.Context) error {
		res, err := st.db.Cypher(ctx, replaceQuery, map[string]any{"old": old, "props": props, "user": s.UserID})
		if err != nil {
			return err
		}
		if s.UserID != "" && (len(res.Rows) == 0 || res.Rows[0][0] != true) {
			return &ogm.NodeError{Op: "authhttp: store session", Type: "User", ID: s.UserID, Kind: ogm.ErrDoesNotExist}
		}
		return nil
	})
}

// Touch implements SessionStore.
func (st *Neo4jStore) Touch(ctx context.Context, s *SessionRecord) error {
	return st.write(ctx, touchQuery, map[string]any{
		"h": s.KeyHash, "last": ogm.DateTimeParam(s.LastActivity), "exp": ogm.DateTimeParam(s.ExpireDate),
		"auth": ogm.OptString(s.UserAuthHash),
	})
}

// SetData implements SessionStore.
func (st *Neo4jStore) SetData(ctx context.Context, keyHash string, data map[string]any) error {
	var stored any
	if len(data) > 0 {
		var err error
		if stored, err = ogm.JSONParam(data); err != nil {
			return fmt.Errorf("authhttp: session data: %w", err)
		}
	}
	return st.write(ctx, setDataQuery, map[string]any{"h": keyHash, "data": stored})
}

// Delete implements SessionStore.
func (st *Neo4jStore) Delete(ctx context.Context, keyHash string) error {
	return st.write(ctx, deleteQuery, map[string]any{"h": keyHash})
}

// DeleteUserSessions implements SessionStore.
func (st *Neo4jStore) DeleteUserSessions(ctx context.Context, userID, keep string) (int, error) {
	var n int
	err := st.db.Write(ctx, func(ctx context.Context) error {
		res, err := st.db.Cypher(ctx, deleteUserQuery, map[string]any{"id": userID, "keep": keep})
		if err == nil {
			n = count(res)
		}
		return err
	})
	return n, err
}

// DeleteExpired implements SessionStore: it deletes in batches of 1,000,
// each committed on its own (so it cannot run inside db.Write), and also
// deletes the login throttle counters whose window has closed.
func (st *Neo4jStore) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	p := map[string]any{"now": ogm.DateTimeParam(now)}
	res, err := st.db.Cypher(ctx, deleteExpiredQuery, p, ogm.AutoCommit())
	if err != nil {
		return 0, err
	}
	if _, err := st.db.Cypher(ctx, deleteStaleThrottlesQuery, p, ogm.AutoCommit()); err != nil {
		return count(res), err
	}
	return count(res), nil
}

func (st *Neo4jStore) write(ctx context.Context, query string, params map[string]any) error {
	return st.db.Write(ctx, func(ctx context.Context) error {
		_, err := st.db.Cypher(ctx, query, params)
		return err
	})
}

// count reads the count(*) of a one-row result.
func count(res *ogm.Result) int {
	if res == nil || len(res.Rows) == 0 {
		return 0
	}
	n, _ := res.Rows[0][0].(int64)
	return int(n)
}
