package schema

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/errors and testdata/ok")

// scenarios returns the *.yaml files directly under dir (not under lib/).
func scenarios(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scenarios in %s", dir)
	}
	return files
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// TestErrors loads each testdata/errors/*.yaml scenario and compares the
// errors, one "file:line:col: message" per line, with its .golden file.
func TestErrors(t *testing.T) {
	for _, file := range scenarios(t, filepath.Join("testdata", "errors")) {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			s, err := Load(file)
			if err == nil {
				t.Fatalf("loaded without errors; want the errors of %s.golden", name)
			}
			if s != nil {
				t.Errorf("Load returned a schema along with errors")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			checkErrorList(t, list)
			golden(t, strings.TrimSuffix(file, ".yaml")+".golden", err.Error()+"\n")
		})
	}
}

// checkErrorList checks the invariants of every reported error.
func checkErrorList(t *testing.T, list ErrorList) {
	t.Helper()
	if len(list) == 0 {
		t.Fatal("empty ErrorList")
	}
	for i, e := range list {
		if e.File == "" || e.Line < 1 || e.Col < 1 {
			t.Errorf("error without a position: %q", e.Error())
		}
		if !strings.HasPrefix(e.Error(), e.File+":") {
			t.Errorf("error does not start with its file: %q", e.Error())
		}
		if e.Msg == "" {
			t.Errorf("error without a message at %s", e.Pos)
		}
		if i > 0 && e.Pos.before(list[i-1].Pos) {
			t.Errorf("errors not sorted: %q before %q", list[i-1].Error(), e.Error())
		}
	}
}

// TestOK loads each testdata/ok/*.yaml scenario and compares a dump of the
// resolved model with its .golden file.
func TestOK(t *testing.T) {
	for _, file := range scenarios(t, filepath.Join("testdata", "ok")) {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			s, err := Load(file)
			if err != nil {
				t.Fatalf("unexpected errors:\n%v", err)
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".golden", dump(s))
		})
	}
}

// TestAuthSchema loads the shipped auth schema on its own and checks the
// parts the auth package relies on.
func TestAuthSchema(t *testing.T) {
	s, err := LoadBytes(AuthPath, Auth)
	if err != nil {
		t.Fatalf("builtin auth schema has errors:\n%v", err)
	}
	golden(t, filepath.Join("testdata", "auth.golden"), dump(s))
	f := s.Files[0]
	if f.Package != "auth" || f.GoPackage != "github.com/gonode/gonode/auth" {
		t.Errorf("package %q go_package %q", f.Package, f.GoPackage)
	}
	user := f.Node("User")
	if user == nil || f.Node("Group") == nil || f.Node("Permission") == nil {
		t.Fatal("User, Group or Permission missing")
	}
	byName := map[string]*Property{}
	for _, p := range user.Properties {
		byName[p.Name] = p
	}
	if p := byName["username"]; p == nil || !p.Unique || !p.Required || p.MaxLength == nil || *p.MaxLength != 150 {
		t.Errorf("username: %+v", p)
	}
	if p := byName["email"]; p == nil || p.Type.Kind != KindEmail {
		t.Errorf("email: %+v", p)
	}
	if p := byName["is_active"]; p == nil || p.Default == nil || p.Default.Value != true {
		t.Errorf("is_active: %+v", p)
	}
	if p := byName["date_joined"]; p == nil || p.Default == nil || p.Default.Kind != DefaultNow {
		t.Errorf("date_joined: %+v", p)
	}
	for _, name := range []string{"password", "first_name", "last_name", "is_staff", "is_superuser", "last_login"} {
		if byName[name] == nil {
			t.Errorf("User.%s missing", name)
		}
	}
	perm := f.Node("Permission")
	if len(perm.Reverse) != 2 {
		t.Errorf("Permission reverse accessors: %d, want users and groups", len(perm.Reverse))
	}
}

// TestBuiltinShared checks that two files importing builtin:auth share one
// File, and that a file named twice is loaded once.
func TestBuiltinShared(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("package: a\nimports: {auth: builtin:auth, b: b.yaml}\nnodes:\n  Post:\n    relationships:\n      author: {to: auth.User, type: WROTE, direction: in, reverse: posts}\n")},
		"b.yaml": {Data: []byte("package: b\ngo_package: example.com/b\nimports: {auth: builtin:auth}\nnodes:\n  Note:\n    relationships:\n      owner: {to: auth.User, type: OWNS, direction: in, reverse: notes}\n")},
	}
	s, err := LoadFS(fsys, "a.yaml", "./a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 3 {
		t.Fatalf("files: %d, want 3", len(s.Files))
	}
	// Roots first, then imports in the order they are met: a imports
	// builtin:auth before b.
	a, auth, b := s.Files[0], s.Files[1], s.Files[2]
	if a.Path != "a.yaml" || auth.Path != "builtin:auth" || b.Path != "b.yaml" {
		t.Fatalf("file order: %s %s %s", a.Path, auth.Path, b.Path)
	}
	if !a.Root || b.Root || auth.Root || !auth.Builtin || auth.Path != "builtin:auth" {
		t.Errorf("roots/builtin flags wrong: %v %v %v", a.Root, b.Root, auth.Root)
	}
	if a.Import("auth").File != auth || b.Import("auth").File != auth {
		t.Error("builtin:auth not shared")
	}
	if got := len(s.Roots()); got != 1 {
		t.Errorf("roots: %d", got)
	}
	user := auth.Node("User")
	var revs []string
	for _, r := range user.Reverse {
		revs = append(revs, r.Owner.File.Path+":"+r.Reverse)
	}
	if strings.Join(revs, " ") != "a.yaml:posts b.yaml:notes" {
		t.Errorf("User reverse: %v", revs)
	}
	if s.File("b.yaml") != b {
		t.Error("Schema.File")
	}
}

// TestLoadErrorsAPI checks the error value: errors.As with both target
// kinds, Error() lines, and a missing root file.
func TestLoadErrorsAPI(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "does-not-exist.yaml"), filepath.Join("testdata", "errors", "missing_package.yaml"))
	if err == nil {
		t.Fatal("no error")
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("errors.As(ErrorList): %v", err)
	}
	var plist *ErrorList
	if !errors.As(err, &plist) || len(*plist) != 2 {
		t.Fatalf("errors.As(*ErrorList): %v", err)
	}
	var one *Error
	if !errors.As(err, &one) || one.Line != 1 {
		t.Fatalf("errors.As(*Error): %v", err)
	}
	want := "testdata/does-not-exist.yaml:1:1: cannot read schema: file not found"
	if lines := strings.Split(err.Error(), "\n"); filepath.ToSlash(lines[0]) != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if _, err := Load(); err == nil {
		t.Error("Load() without paths succeeded")
	}
}

// TestGoName checks the CamelCase conversion.
func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"name": "Name", "first_name": "FirstName", "id": "ID", "user_id": "UserID",
		"uid": "UID", "home_url": "HomeURL", "json_data": "JSONData", "http_api": "HTTPAPI",
		"ip": "IP", "uuid": "UUID", "ids": "IDs", "api_keys": "APIKeys", "x_1": "X1",
		"is_staff": "IsStaff", "urls": "URLs", "has": "Has",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSuggest checks the "did you mean" hints.
func TestSuggest(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"strng", "string"}, {"requird", "required"}, {"tpye", "type"},
		{"String", "string"}, {"xyz", ""}, {"datetim", "datetime"},
	} {
		if got := suggest(c.in, []string{"string", "required", "type", "datetime", "date", "int"}); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLoadBytesImports checks that LoadBytes resolves imports relative to
// the name it is given.
func TestLoadBytesImports(t *testing.T) {
	name := filepath.Join("testdata", "ok", "virtual.yaml")
	s, err := LoadBytes(name, []byte("package: v\nimports: {c: lib/common.yaml}\nnodes:\n  V:\n    extends: c.Base\n"))
	if err != nil {
		t.Fatal(err)
	}
	v := s.Files[0].Node("V")
	if v.Extends == nil || v.Extends.Name != "Base" {
		t.Fatalf("extends not resolved: %+v", v.Extends)
	}
}
