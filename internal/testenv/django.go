package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The interop tests of package auth run the real Django, pinned, from a
// virtual env under .build/ (git-ignored) that Django creates on the first
// run with pip, as bench/compare does for neomodel: on a fresh clone, in
// CI, the first test that needs it installs it (about 10 s and 10 MB from
// PyPI). A test needing Django is skipped only when python3 itself is
// missing, and says so; a failed install fails it.
const (
	// DjangoVersion is the Django the interop tests run.
	DjangoVersion = "5.2.19"
	// BcryptVersion is the bcrypt (pyca) Django's bcrypt hashers use.
	BcryptVersion = "5.0.0"
)

// djangoVenv is the virtual env, relative to the repository root.
const djangoVenv = ".build/django-venv"

// Django is a Python with the pinned Django and bcrypt installed.
type Django struct {
	python string
}

// DjangoPython returns the Python of the interop tests' virtual env,
// creating it (python3 -m venv, pip install) when it is missing or holds
// other versions. It skips tb when python3 is not installed. Several test
// binaries may call it at once: a lock file orders them.
func DjangoPython(tb testing.TB) *Django {
	tb.Helper()
	check := fmt.Sprintf("import django, bcrypt, sys; sys.exit(0 if django.get_version() == %q and bcrypt.__version__ == %q else 1)", DjangoVersion, BcryptVersion)
	return &Django{python: pinnedPython(tb, djangoVenv, "Django "+DjangoVersion+" and bcrypt "+BcryptVersion, check,
		"Django=="+DjangoVersion, "bcrypt=="+BcryptVersion)}
}

// Run runs script with Django set up from a settings module holding
// settings (Python literals by name, e.g. {"TIME_ZONE": `"Asia/Kolkata"`}),
// as a Django site's manage.py would: Django applies TIME_ZONE to the
// process's clock (TZ) as it does for a settings module. The script reads
// the JSON value of in as the variable inp and sets out, which Run decodes
// into out.
func (d *Django) Run(tb testing.TB, settings map[string]string, script string, in, out any) {
	tb.Helper()
	dir := tb.TempDir()
	var mod strings.Builder
	mod.WriteString("INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes']\n")
	names := make([]string, 0, len(settings))
	for k := range settings {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&mod, "%s = %s\n", k, settings[k])
	}
	if err := os.WriteFile(filepath.Join(dir, "interop_settings.py"), []byte(mod.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	program := "import json, sys\nimport django\ndjango.setup()\ninp = json.load(sys.stdin)\nout = None\n" + script + "\njson.dump(out, sys.stdout)\n"
	input, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(d.python, "-c", program)
	cmd.Env = append(os.Environ(), "DJANGO_SETTINGS_MODULE=interop_settings", "PYTHONPATH="+dir)
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("Django script: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		tb.Fatalf("Django script output %q: %v", stdout.String(), err)
	}
}

// DjangoUserClass is Python for the interop scripts: a class User made
// from a JSON object {"pk", "password", "last_login" (ISO 8601 with its
// offset, or null), "email"} with the attributes Django's
// PasswordResetTokenGenerator reads, as a Django model instance has them.
const DjangoUserClass = `
from datetime import datetime

class User:
    def __init__(self, d):
        self.pk = d["pk"]
        self.password = d["password"]
        self.email = d["email"]
        self.last_login = None if d["last_login"] is None else datetime.fromisoformat(d["last_login"])

    @classmethod
    def get_email_field_name(cls):
        return "email"
`
