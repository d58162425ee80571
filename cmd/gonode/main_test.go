package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// run calls Execute as main does and returns the exit status and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Execute(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	t.Setenv("NEO4J_BOLT_URL", "")
	code, out, errOut := run(t, "version")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "gonode ") || !strings.Contains(out, "neo4j-go-driver") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if strings.Contains(out, "server") {
		t.Fatalf("no database given, yet a server line: %q", out)
	}
}

func TestVersionWithServer(t *testing.T) {
	url := testenv.URL(t)
	for name, setup := range map[string]func() []string{
		"flag": func() []string { t.Setenv("NEO4J_BOLT_URL", ""); return []string{"version", "--db", url} },
		"env":  func() []string { t.Setenv("NEO4J_BOLT_URL", url); return []string{"version"} },
	} {
		code, out, errOut := run(t, setup()...)
		if code != 0 || errOut != "" || !strings.Contains(out, "server Neo4j Kernel 5.") && !strings.Contains(out, "server Neo4j Kernel 20") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
}

func TestErrorsGoToStderrWithStatus1(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"no-such-command"}, `gonode: unknown command "no-such-command" for "gonode"`},
		{[]string{"version", "--no-such-flag"}, "gonode: unknown flag: --no-such-flag"},
		{[]string{"version", "--db", "http://neo4j:topsecret@localhost"}, `unsupported scheme "http"`},
		{[]string{"version", "--db", "bolt://neo4j:topsecret@127.0.0.1:1"}, "database unavailable: bolt://neo4j:xxxxx@127.0.0.1:1"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", c.args, code, errOut, c.want)
		}
		if strings.Contains(errOut, "topsecret") {
			t.Errorf("%v: stderr leaks the password: %q", c.args, errOut)
		}
	}
}

func TestCompletion(t *testing.T) {
	code, out, _ := run(t, "completion", "bash")
	if code != 0 || !strings.Contains(out, "bash completion") {
		t.Fatalf("exit %d, %q", code, out[:min(len(out), 200)])
	}
}
