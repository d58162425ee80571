package faults

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// server is a Neo4j the fault tests may stop, kill and start:
// tools/neo4j/neo4j run with env (which never holds NEO4J_BOLT_URL, so that
// the tool acts on its own server).
type server struct {
	ctl string
	env []string
	url string
}

func (s *server) run(args ...string) (string, error) {
	cmd := exec.Command(s.ctl, args...)
	cmd.Env = s.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("neo4j %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// withoutEnv returns the environment without the variables named.
func withoutEnv(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		drop := false
		for _, n := range names {
			drop = drop || strings.HasPrefix(kv, n+"=")
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// controlledServer returns the server under test when tools/neo4j manages
// it in this environment (the tools' own server, which `make test` and a
// plain `go test` use: its URL is the one tools/neo4j reports). Otherwise,
// NEO4J_BOLT_URL names a server this test cannot stop, and it starts a
// dedicated one with its own state folder in the user's cache folder (so
// the jars are fetched once) on a free port, and stops it at the end.
func controlledServer(t *testing.T) *server {
	t.Helper()
	url := testenv.URL(t)
	s := &server{
		ctl: filepath.Join(testenv.RepoRoot(), "tools", "neo4j", "neo4j"),
		env: withoutEnv("NEO4J_BOLT_URL"),
	}
	if managed, err := s.run("url"); err == nil && managed == url {
		s.url = url
		t.Logf("stopping and starting the test server itself (%s)", redact(url))
		// Whatever happens, leave it running for the tests that follow.
		t.Cleanup(func() {
			if _, err := s.run("start"); err != nil {
				t.Errorf("restarting the test server: %v", err)
			}
		})
		return s
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cache, "gonode", "neo4j-faults")
	port := freePort(t)
	s.env = append(withoutEnv("NEO4J_BOLT_URL", "GONODE_NEO4J_DIR", "NEO4J_BOLT_PORT"),
		"GONODE_NEO4J_DIR="+dir, "NEO4J_BOLT_PORT="+port)
	t.Logf("NEO4J_BOLT_URL is not a server tools/neo4j manages here: starting a dedicated one (GONODE_NEO4J_DIR=%s, port %s)", dir, port)
	if _, err := s.run("stop"); err != nil { // one a crashed run left behind
		t.Fatal(err)
	}
	if s.url, err = s.run("start"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := s.run("stop"); err != nil {
			t.Errorf("stopping the dedicated server: %v", err)
		}
	})
	return s
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func redact(url string) string {
	if i, j := strings.Index(url, "://"), strings.LastIndex(url, "@"); i >= 0 && j > i {
		if k := strings.Index(url[i+3:j], ":"); k >= 0 {
			return url[:i+3+k] + ":xxxxx" + url[j:]
		}
	}
	return url
}
