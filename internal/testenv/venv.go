package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// pinnedPython returns the Python of the virtual env at dir (relative to
// the repository root) holding the pinned packages pkgs ("Django==5.2.19"),
// creating it with python3 -m venv and pip when it is missing or when the
// Python one-liner check, which exits 0 when the versions are right, fails.
// what names the packages in messages. It skips tb only when python3 is
// not installed; a failed install fails it. Several test binaries may call
// it at once: a lock file orders them.
func pinnedPython(tb testing.TB, dir, what, check string, pkgs ...string) string {
	tb.Helper()
	venv := filepath.Join(RepoRoot(), filepath.FromSlash(dir))
	if _, err := exec.LookPath("python3"); err != nil {
		tb.Skipf("python3 is not installed: this test checks gonode against the real %s, which it installs from PyPI into %s with python3 -m venv and pip", what, dir)
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
	ok := func() bool { return exec.Command(py, "-c", check).Run() == nil }
	if _, err := os.Stat(py); err == nil && ok() {
		return py
	}
	tb.Logf("installing %s into %s (pip)", what, dir)
	for _, args := range [][]string{
		{"python3", "-m", "venv", venv},
		append([]string{filepath.Join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check"}, pkgs...),
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			tb.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if !ok() {
		tb.Fatalf("%s is not importable from %s after pip install", what, dir)
	}
	return py
}
