// Package testenv gives tests the real Neo4j they run against.
//
// Tests never mock the database: URL returns $NEO4J_BOLT_URL when it is set
// (the test command sets it), and otherwise starts the repo's local server
// with tools/neo4j/neo4j, so that a plain `go test ./...` works too. A test
// that cannot reach a server fails; it is never skipped.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gonode/gonode/ogm"
)

var (
	once   sync.Once
	url    string
	urlErr string
)

// URL returns the Bolt URL (with credentials) of the test server.
func URL(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		if u := os.Getenv("NEO4J_BOLT_URL"); u != "" {
			url = u
			return
		}
		cmd := exec.Command(filepath.Join(RepoRoot(), "tools", "neo4j", "neo4j"), "start")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			urlErr = "tools/neo4j/neo4j start: " + err.Error() + "\n" + stderr.String()
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		url = strings.TrimSpace(lines[len(lines)-1])
	})
	if url == "" {
		tb.Fatalf("no test database: %s", urlErr)
	}
	return url
}

// Open returns a handle on the test server (opened with opts), closed when
// the test ends. It fails the test when the server cannot be reached.
func Open(tb testing.TB, opts ...ogm.Option) *ogm.DB {
	tb.Helper()
	db, err := ogm.Open(context.Background(), URL(tb), opts...)
	if err != nil {
		tb.Fatalf("testenv: open the test database: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

// SetEnvURL sets $NEO4J_BOLT_URL to the test server's URL (starting it as
// URL does) for code that has no testing.TB: Example functions, whose
// ogm.Open(ctx, "") reads the variable. Call it from TestMain; it exits the
// test binary when no server can be had.
func SetEnvURL() {
	if os.Getenv("NEO4J_BOLT_URL") != "" {
		return
	}
	u := URL(exitTB{})
	os.Setenv("NEO4J_BOLT_URL", u)
}

// exitTB is the testing.TB of SetEnvURL: a failure ends the process.
type exitTB struct{ testing.TB }

func (exitTB) Helper() {}
func (exitTB) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "testenv: "+format+"\n", args...)
	os.Exit(1)
}

// RepoRoot is the root of the gonode repository.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Label returns a label no other test uses, so that tests sharing the one
// database (go test runs packages in parallel) never see each other's nodes.
func Label(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	return "Test_" + hex.EncodeToString(b[:])
}
