package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

func TestMavenRange(t *testing.T) {
	cases := []struct {
		spec, rng string
		isRange   bool
	}{
		{"5.26.x", "[5.26,5.26.99999]", true},
		{"2025.x", "[2025,2025.99999]", true},
		{"2025.10.x", "[2025.10,2025.10.99999]", true},
		{"5.26.30", "5.26.30", false},
		{"2026.08.1", "2026.08.1", false},
	}
	for _, c := range cases {
		rng, isRange, err := mavenRange(c.spec)
		if err != nil || rng != c.rng || isRange != c.isRange {
			t.Errorf("mavenRange(%q) = %q, %v, %v; want %q, %v", c.spec, rng, isRange, err, c.rng, c.isRange)
		}
	}
	for _, bad := range []string{"", "latest", "5.26.x;rm -rf /", "[5.26,5.27)", "x"} {
		if _, _, err := mavenRange(bad); err == nil {
			t.Errorf("mavenRange(%q) accepted", bad)
		}
	}
}

func TestJavaNeeded(t *testing.T) {
	for v, want := range map[string]int{"5.26.30": 17, "5.1.0": 17, "2025.01.0": 21, "2026.08.1": 21} {
		if got := javaNeeded(v); got != want {
			t.Errorf("javaNeeded(%q) = %d; want %d", v, got, want)
		}
	}
}

// tool runs tools/neo4j/neo4j with the test's environment, minus
// NEO4J_BOLT_URL when that names the local server, so that the tool manages
// the local server itself instead of only pinging a URL.
func tool(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	cmd := exec.Command(filepath.Join(testenv.RepoRoot(), "tools", "neo4j", "neo4j"), args...)
	cmd.Env = localEnv()
	var out strings.Builder
	cmd.Stdout = &out
	err = cmd.Run()
	return out.String(), err
}

func localEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEO4J_BOLT_URL=") {
			env = append(env, kv)
		}
	}
	return env
}

// localServer reports whether the tests run against the local server (and
// not a server of the user's named by NEO4J_BOLT_URL).
func localServer(t *testing.T) bool {
	url := testenv.URL(t)
	out, err := tool(t, "status")
	return err == nil && strings.Contains(out, "running "+url+" (pid")
}

func TestStartTwiceKeepsOneServer(t *testing.T) {
	if !localServer(t) {
		t.Skip("tests run against NEO4J_BOLT_URL, not the local server this tool manages")
	}
	before, _ := tool(t, "status")
	for range 2 {
		out, err := tool(t, "start")
		if err != nil {
			t.Fatalf("start: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if last := lines[len(lines)-1]; last != testenv.URL(t) {
			t.Fatalf("start's last line %q; want the URL %q", last, testenv.URL(t))
		}
	}
	after, _ := tool(t, "status")
	if before != after {
		t.Fatalf("status changed across two starts (a second server?): %q → %q", before, after)
	}
	if url, err := tool(t, "url"); err != nil || strings.TrimSpace(url) != testenv.URL(t) {
		t.Fatalf("url: %q %v", url, err)
	}
}

func TestReset(t *testing.T) {
	if !localServer(t) {
		t.Skip("reset empties the whole database: only run against the local test server")
	}
	ctx := context.Background()
	db := testenv.Open(t)
	label := testenv.Label(t)
	for _, q := range []string{
		"UNWIND range(1, 500) AS i CREATE (:`" + label + "` {i: i})-[:R]->(:`" + label + "`)",
		"CREATE CONSTRAINT `odd``name` FOR (n:`" + label + "`) REQUIRE n.i IS UNIQUE",
		"CREATE INDEX FOR (n:`" + label + "`) ON (n.j)",
		"CREATE TEXT INDEX FOR (n:`" + label + "`) ON (n.s)",
	} {
		if _, err := db.Cypher(ctx, q, nil); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := tool(t, "reset"); err != nil {
		t.Fatalf("reset: %v", err)
	}
	checks := map[string]int64{
		"MATCH (n) RETURN count(n)":                                      0,
		"SHOW CONSTRAINTS YIELD name RETURN count(*)":                    0,
		"SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*)": 0,
		"SHOW INDEXES YIELD type WHERE type = 'LOOKUP' RETURN count(*)":  2,
	}
	for q, want := range checks {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0].(int64); got != want {
			t.Errorf("%s = %d; want %d", q, got, want)
		}
	}
}
