package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Scenarios returns the directories in root that hold a schema, each a
// scenario of the generator's tests (root is codegen/testdata/gen, as a
// path relative to the test's package): the schemas that codegen's goldens
// are generated from, and that inference's round trips start from.
func Scenarios(tb testing.TB, root string) []string {
	tb.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			if yamls, _ := filepath.Glob(filepath.Join(d, "*.yaml")); len(yamls) > 0 {
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		tb.Fatalf("no scenarios in %s", root)
	}
	return out
}

// ScenarioSchemas returns every schema file of a scenario directory,
// recursively, sorted: they are all roots.
func ScenarioSchemas(tb testing.TB, dir string) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".yaml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// GoCmd runs the go command in dir (a module requiring this repository),
// with env added to the environment, failing the test with its output. The
// module's go.mod may be completed (-mod=mod): pass GOFLAGS=-mod=readonly
// in env for a committed one.
func GoCmd(tb testing.TB, dir string, env []string, args ...string) {
	tb.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
