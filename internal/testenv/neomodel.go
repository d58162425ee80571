package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// NeomodelVersions are the neomodel releases the interop tests run
// (gonode import-neomodel, the shared-graph round trip): the last 6.x and
// 7.0.0, each pinned with its own virtual env under .build/.
var NeomodelVersions = []string{"6.2.0", "7.0.0"}

// NeomodelPython returns the Python of a virtual env holding neomodel
// version (one of NeomodelVersions), creating it (python3 -m venv, pip
// install neomodel==version) when it is missing or holds another version,
// as DjangoPython does. It skips tb only when python3 is not installed; a
// failed install fails it. A lock file orders test binaries that call it at
// once.
func NeomodelPython(tb testing.TB, version string) string {
	tb.Helper()
	venv := filepath.Join(RepoRoot(), ".build", "neomodel-"+version+"-venv")
	if _, err := exec.LookPath("python3"); err != nil {
		tb.Skipf("python3 is not installed: this test checks gonode against the real neomodel %s, which it installs from PyPI into %s with python3 -m venv and pip", version, venv)
	}
	py := filepath.Join(venv, "bin", "python")
	if err := os.MkdirAll(filepath.Dir(venv), 0o755); err != nil {
		tb.Fatal(err)
	}
	lock, err := os.OpenFile(venv+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		tb.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	check := func() bool {
		script := fmt.Sprintf("import importlib.metadata as m, neomodel, sys; sys.exit(0 if m.version('neomodel') == %q else 1)", version)
		return exec.Command(py, "-c", script).Run() == nil
	}
	if _, err := os.Stat(py); err == nil && check() {
		return py
	}
	tb.Logf("installing neomodel %s into %s (pip)", version, venv)
	for _, args := range [][]string{
		{"python3", "-m", "venv", venv},
		{filepath.Join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", "neomodel==" + version},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			tb.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if !check() {
		tb.Fatalf("neomodel %s is not importable from %s after pip install", version, venv)
	}
	return py
}
