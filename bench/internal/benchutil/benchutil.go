// Package benchutil holds what the benchmark commands under bench/ share:
// finding the repository, starting a Neo4j of their own with tools/neo4j,
// and reading and rounding what they measure.
package benchutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gonode/gonode/ogm"
)

// FileExists reports whether p can be stat'ed.
func FileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// RepoRoot is the directory holding go.mod, from the working directory up.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if FileExists(filepath.Join(dir, "go.mod")) && FileExists(filepath.Join(dir, "tools", "neo4j", "neo4j")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run it from the gonode repository")
		}
		dir = parent
	}
}

// StartServer starts (or reuses) a benchmark's own Neo4j with the
// tools/neo4j/neo4j of the repository at root: state in dir, Bolt on port,
// plus extraEnv (such as NEO4J_WITH_APOC=1). The script never sees
// $NEO4J_BOLT_URL (the shared server) nor an inherited $NEO4J_WITH_APOC.
// It returns the server's URL and a function that stops the server unless
// keep is set or it was running before (then it prints how to stop it).
func StartServer(root, dir, port string, extraEnv []string, keep bool) (string, func(), error) {
	ctl := filepath.Join(root, "tools", "neo4j", "neo4j")
	env := append([]string{"GONODE_NEO4J_DIR=" + dir, "NEO4J_BOLT_PORT=" + port}, extraEnv...)
	command := func(arg string) *exec.Cmd {
		cmd := exec.Command(ctl, arg)
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "NEO4J_BOLT_URL=") && !strings.HasPrefix(kv, "NEO4J_WITH_APOC=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		return cmd
	}
	wasRunning := command("status").Run() == nil
	cmd := command("start")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", nil, fmt.Errorf("tools/neo4j/neo4j start: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	url := strings.TrimSpace(lines[len(lines)-1])
	stop := func() {
		if keep || wasRunning {
			fmt.Println("leaving the benchmark server running; stop it with:")
			fmt.Printf("  %s tools/neo4j/neo4j stop\n", strings.Join(env, " "))
			return
		}
		cmd := command("stop")
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		_ = cmd.Run()
	}
	return url, stop, nil
}

// ServerVersion is the name, version and edition of the server db talks
// to, such as "Neo4j Kernel 5.26.0 community", or "Neo4j" when they cannot
// be read.
func ServerVersion(ctx context.Context, db *ogm.DB) string {
	res, err := db.Cypher(ctx, "CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition", nil)
	if err != nil || len(res.Rows) == 0 {
		return "Neo4j"
	}
	return fmt.Sprint(res.Rows[0][0])
}

// LoadAvg is the 1, 5 and 15 minute load averages of /proc/loadavg,
// separated by spaces; "" and the error when the file cannot be read.
func LoadAvg() (string, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "", err
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " "), nil
}

// Median is the median of ds (the mean of the two middle values when their
// number is even), 0 when ds is empty. ds is left as it is.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Round rounds d for display: to the millisecond above 100ms, to 10µs
// above 1ms, else to the microsecond.
func Round(d time.Duration) time.Duration {
	switch {
	case d > 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// WriteSection replaces the section name of the results file at path with
// content, keeping the other sections: each benchmark command owns one
// section, between <!-- begin name --> and <!-- end name --> lines (added
// at the end when missing). The file is written atomically.
func WriteSection(path, name, content string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	begin, end := "<!-- begin "+name+" -->\n", "<!-- end "+name+" -->\n"
	block := begin + strings.TrimRight(content, "\n") + "\n" + end
	text := string(old)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + block + text[j+len(end):]
	case text == "":
		text = block
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + block
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
