package schema

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// writeFiles writes files (by slash-separated path under dir) and returns
// dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadErrors loads paths and returns the ErrorList, failing the test when
// they load or the error is not a well-formed ErrorList.
func loadErrors(t *testing.T, load func() (*Schema, error)) ErrorList {
	t.Helper()
	s, err := load()
	if err == nil {
		t.Fatal("loaded without errors")
	}
	if s != nil {
		t.Error("a schema along with errors")
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not an ErrorList: %v", err, err)
	}
	checkErrorList(t, list)
	return list
}

// TestImportNotASchema imports files of the module that are not gonode
// schemas (a shadow-like password file, a YAML mapping of secrets, a
// sequence, an unknown anchor, bytes that are not UTF-8): the errors say so
// and quote nothing of their text.
func TestImportNotASchema(t *testing.T) {
	const secret = "S3CR3T"
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"go.mod":             "module example.com/m\n",
		"etc/shadow":         "root:$6$" + secret + "salt$" + secret + "hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
		"etc/secrets.yaml":   "password: " + secret + "\n" + secret + "_key: 1\n",
		"etc/list.yaml":      "- " + secret + "\n",
		"etc/anchor.yaml":    "key: *" + secret + "\n",
		"etc/binary":         "\xff\xfe" + secret + "\n",
		"etc/badchar":        "a: \x07" + secret + "\n",
		"etc/scalar":         secret + " " + secret + "\n",
		"etc/flow.yaml":      "{" + secret + ": [1, 2\n",
		"etc/empty.yaml":     "",
		"etc/nopackage.yaml": "nodes:\n  " + secret + ": {}\n",
	})
	for _, target := range []string{"shadow", "secrets.yaml", "list.yaml", "anchor.yaml", "binary", "badchar", "scalar", "flow.yaml", "empty.yaml", "nopackage.yaml"} {
		t.Run(target, func(t *testing.T) {
			name := filepath.Join(dir, "app", "schema.yaml")
			text := "package: app\nimports:\n  x: ../etc/" + target + "\n"
			list := loadErrors(t, func() (*Schema, error) { return LoadBytes(name, []byte(text)) })
			if got := list.Error(); strings.Contains(got, secret) {
				t.Errorf("the errors quote the imported file:\n%s", got)
			}
		})
	}
	// A root file that is not a mapping is not quoted either.
	list := loadErrors(t, func() (*Schema, error) {
		return LoadBytes(filepath.Join(dir, "etc", "scalar"), []byte(secret+" "+secret+"\n"))
	})
	if got := list.Error(); strings.Contains(got, secret) {
		t.Errorf("the errors quote a root file that is not a mapping:\n%s", got)
	}
	// A file that parses as YAML but is no schema is refused where it is
	// imported, in one error.
	name := filepath.Join(dir, "app", "schema.yaml")
	list = loadErrors(t, func() (*Schema, error) {
		return LoadBytes(name, []byte("package: app\nimports:\n  x: ../etc/shadow\n"))
	})
	if len(list) != 1 || list[0].Pos != (Pos{File: name, Line: 3, Col: 6}) || !strings.Contains(list[0].Msg, "is not a gonode schema") {
		t.Errorf("want one error at the import saying it is not a gonode schema:\n%v", list)
	}
}

// TestErrorExcerptsBounded loads a schema whose errors quote very long
// text (a node name, a pattern, an anchor, a JSON default, a label): every
// message is short.
func TestErrorExcerptsBounded(t *testing.T) {
	long := strings.Repeat("A", 5000)
	for name, text := range map[string]string{
		"node":    "package: p\nnodes:\n  " + long + ": [1]\n",
		"pattern": "package: p\nnodes:\n  N:\n    properties:\n      s: {type: string, pattern: \"(" + long + "\"}\n",
		"anchor":  "package: p\nnodes: *" + long + "\n",
		"json":    "package: p\nnodes:\n  N:\n    properties:\n      j: {type: json, default: {? [" + long + "] : 1}}\n",
		"label":   "package: p\nnodes:\n  N: {label: \"\\0" + long + "\"}\n",
		"extends": "package: p\nnodes:\n  N: {extends: " + long + "}\n  " + long + "B: {extends: N}\n",
	} {
		t.Run(name, func(t *testing.T) {
			list := loadErrors(t, func() (*Schema, error) { return LoadBytes(name+".yaml", []byte(text)) })
			for _, e := range list {
				if n := utf8.RuneCountInString(e.Msg); n > maxMessageLen {
					t.Errorf("a message of %d characters (at most %d): %.200s…", n, maxMessageLen, e.Msg)
				}
			}
		})
	}
}

// TestImportOutsideModule checks that imports stay in the module tree of
// the importing schema (the directory of the nearest go.mod above it, or
// its own directory when there is none): relative paths out of it,
// absolute paths and symbolic links leading out are refused, before the
// file is read.
func TestImportOutsideModule(t *testing.T) {
	tmp := t.TempDir()
	writeFiles(t, tmp, map[string]string{
		"mod/go.mod":          "module example.com/m\n",
		"mod/lib/common.yaml": "package: common\ngo_package: example.com/m/lib\nnodes:\n  Base: {abstract: true}\n",
		"out/other.yaml":      "package: other\ngo_package: example.com/other\nnodes:\n  Base: {abstract: true}\n",
		"plain/sub/c.yaml":    "package: c\ngo_package: example.com/c\nnodes:\n  Base: {abstract: true}\n",
	})
	if err := os.Symlink(filepath.Join(tmp, "out", "other.yaml"), filepath.Join(tmp, "mod", "lib", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	schemaText := func(target string) string {
		return "package: app\nimports:\n  c: " + target + "\nnodes:\n  V: {extends: c.Base}\n"
	}
	for _, c := range []struct {
		name, file, target string
		outside            bool
	}{
		{"up_in_module", "mod/app/schema.yaml", "../lib/common.yaml", false},
		{"up_out_of_module", "mod/app/schema.yaml", "../../out/other.yaml", true},
		{"absolute_out", "mod/app/schema.yaml", filepath.ToSlash(filepath.Join(tmp, "out", "other.yaml")), true},
		{"absolute_in", "mod/app/schema.yaml", filepath.ToSlash(filepath.Join(tmp, "mod", "lib", "common.yaml")), false},
		{"symlink_out", "mod/app/schema.yaml", "../lib/link.yaml", true},
		{"missing_out", "mod/app/schema.yaml", "../../out/nope.yaml", true},
		{"no_go_mod_down", "plain/schema.yaml", "sub/c.yaml", false},
		{"no_go_mod_up", "plain/sub/schema.yaml", "../../out/other.yaml", true},
		{"no_go_mod_sibling", "plain/sub/schema.yaml", "./c.yaml", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := filepath.Join(tmp, filepath.FromSlash(c.file))
			text := []byte(schemaText(c.target))
			if !c.outside {
				if _, err := LoadBytes(name, text); err != nil {
					t.Fatalf("an import inside the module tree is refused:\n%v", err)
				}
				return
			}
			list := loadErrors(t, func() (*Schema, error) { return LoadBytes(name, text) })
			if list[0].Pos != (Pos{File: name, Line: 3, Col: 6}) || !strings.Contains(list[0].Msg, "outside the module tree") {
				t.Errorf("want the import refused as outside the module tree:\n%v", list)
			}
			// Allowed explicitly, it is read.
			allow := LoadOptions{AllowOutsideImports: true}
			_, err := allow.LoadBytes(name, text)
			if c.name == "missing_out" {
				if err == nil || !strings.Contains(err.Error(), "file not found") {
					t.Errorf("allowed, a missing file is reported as missing: %v", err)
				}
			} else if err != nil {
				t.Errorf("allowed, the import is still refused:\n%v", err)
			}
		})
	}
}

// TestImportOutsideModuleFS checks the module tree in an fs.FS: the
// nearest go.mod above the importing file in fsys, else its directory.
func TestImportOutsideModuleFS(t *testing.T) {
	lib := &fstest.MapFile{Data: []byte("package: lib\ngo_package: example.com/lib\n")}
	fsys := fstest.MapFS{
		"mod/go.mod":       {Data: []byte("module example.com/m\n")},
		"mod/lib/lib.yaml": lib,
		"out/lib.yaml":     lib,
		"mod/app/a.yaml":   {Data: []byte("package: a\nimports: {l: ../lib/lib.yaml}\n")},
		"mod/app/b.yaml":   {Data: []byte("package: b\nimports: {l: ../../out/lib.yaml}\n")},
		"plain/c.yaml":     {Data: []byte("package: c\nimports: {l: ../out/lib.yaml}\n")},
	}
	if _, err := LoadFS(fsys, "mod/app/a.yaml"); err != nil {
		t.Errorf("inside the module: %v", err)
	}
	for _, p := range []string{"mod/app/b.yaml", "plain/c.yaml"} {
		if _, err := LoadFS(fsys, p); err == nil || !strings.Contains(err.Error(), "outside the module tree") {
			t.Errorf("%s: want the import refused: %v", p, err)
		}
		if _, err := (LoadOptions{AllowOutsideImports: true}).LoadFS(fsys, p); err != nil {
			t.Errorf("%s, allowed: %v", p, err)
		}
	}
}
