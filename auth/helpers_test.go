package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// The tests share one real Neo4j with the tests of other packages: every
// user they create has a random username and every node they create is
// deleted by element id when the test ends. The labels User, Group and
// Permission are shared, so nothing is ever deleted by label alone.

var (
	dbOnce sync.Once
	testDB *ogm.DB
	dbErr  error
)

// openDB returns the shared handle on the test server.
func openDB(t testing.TB) *ogm.DB {
	t.Helper()
	url := testenv.URL(t)
	dbOnce.Do(func() { testDB, dbErr = ogm.Open(context.Background(), url) })
	if dbErr != nil {
		t.Fatal(dbErr)
	}
	return testDB
}

// uniq returns prefix followed by random hex digits.
func uniq(t testing.TB, prefix string) string {
	t.Helper()
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// cheapHashers prefers PBKDF2-SHA256 with 1000 iterations and verifies
// everything Django's defaults verify.
var cheapHashers = func() *hashers.Registry {
	hs := hashers.DefaultHashers()
	hs[0] = hashers.PBKDF2SHA256{Iterations: 1000}
	r, err := hashers.NewRegistry(hs...)
	if err != nil {
		panic(err)
	}
	return r
}()

// cheap is the configuration of the tests: cheap hashers, a secret.
func cheap() *auth.Config {
	return &auth.Config{Hashers: cheapHashers, SecretKey: "test-secret-key"}
}

// cleanup deletes the nodes (and their relationships) when the test ends.
func cleanup(t testing.TB, db *ogm.DB, nodes ...interface{ ElementID() string }) {
	t.Helper()
	ids := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if id := n.ElementID(); id != "" {
			ids = append(ids, id)
		}
	}
	cleanupIDs(t, db, ids...)
}

func cleanupIDs(t testing.TB, db *ogm.DB, ids ...string) {
	t.Helper()
	t.Cleanup(func() {
		if _, err := db.Cypher(context.Background(), "MATCH (n) WHERE elementId(n) IN $ids DETACH DELETE n", map[string]any{"ids": ids}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}

// cleanupUsername deletes the users called name (a test's own, random).
func cleanupUsername(t testing.TB, db *ogm.DB, name string) {
	t.Helper()
	t.Cleanup(func() {
		if _, err := db.Cypher(context.Background(), "MATCH (n:User {username: $u}) DETACH DELETE n", map[string]any{"u": name}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}

// cleanupApp deletes the Permission nodes of app (a test's own, random).
func cleanupApp(t testing.TB, db *ogm.DB, app string) {
	t.Helper()
	if !strings.HasPrefix(app, "authtest") {
		t.Fatalf("cleanupApp(%q): not a test app label", app)
	}
	t.Cleanup(func() {
		if _, err := db.Cypher(context.Background(), "MATCH (p:Permission {app_label: $a}) DETACH DELETE p", map[string]any{"a": app}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}

// newUser creates a user with a random username and the password pw (nil:
// unusable), deleted when the test ends.
func newUser(t testing.TB, db *ogm.DB, prefix string, pw *string, opts ...auth.UserOption) *auth.User {
	t.Helper()
	u, err := cheap().CreateUser(context.Background(), db, uniq(t, prefix), "", pw, opts...)
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, u)
	return u
}

// storedProps returns the stored properties of the node.
func storedProps(t testing.TB, db *ogm.DB, id string) map[string]any {
	t.Helper()
	res, err := db.Cypher(context.Background(), "MATCH (n) WHERE elementId(n) = $id RETURN properties(n)", map[string]any{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("node %s: %d rows", id, len(res.Rows))
	}
	return res.Rows[0][0].(map[string]any)
}

// labelsOf returns the labels of the node, sorted as Neo4j returns them.
func labelsOf(t testing.TB, db *ogm.DB, id string) []string {
	t.Helper()
	res, err := db.Cypher(context.Background(), "MATCH (n) WHERE elementId(n) = $id RETURN labels(n)", map[string]any{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range res.Rows[0][0].([]any) {
		out = append(out, l.(string))
	}
	return out
}
