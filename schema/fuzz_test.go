package schema_test

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
)

// fuzzFS returns an in-memory copy of testdata (so that imports in fuzzed
// inputs resolve to real schemas) with data as "ok/fuzz.yaml".
func fuzzFS(t testing.TB, base fstest.MapFS, data []byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, v := range base {
		fsys[k] = v
	}
	fsys["ok/fuzz.yaml"] = &fstest.MapFile{Data: data}
	return fsys
}

// testdataFS loads every .yaml file under testdata into a MapFS, and the
// generator's scenarios (../codegen/testdata/gen) as gen/…: schemas that
// exercise every feature, which the fuzzer and TestLineMutations start
// from.
func testdataFS(t testing.TB) fstest.MapFS {
	fsys := fstest.MapFS{}
	for root, prefix := range map[string]string{"testdata": "", filepath.Join("..", "codegen", "testdata", "gen"): "gen"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			fsys[path.Join(prefix, filepath.ToSlash(rel))] = &fstest.MapFile{Data: data}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return fsys
}

// FuzzLoad checks that loading never panics or hangs, and that every error
// has a position in a known file.
func FuzzLoad(f *testing.F) {
	base := testdataFS(f)
	for _, file := range base {
		f.Add(file.Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fuzzFS(t, base, data)
		s, err := schema.LoadFS(fsys, "ok/fuzz.yaml")
		if err == nil {
			if s == nil || len(s.Files) == 0 {
				t.Fatal("no error and no schema")
			}
			// Walk the model the way a generator would.
			for _, file := range s.Files {
				for _, n := range file.Nodes {
					n.LabelChain()
					n.AllProperties()
					n.AllRelationships()
					n.AllReverse()
					n.IsSemiStructured()
					for _, r := range n.AllRelationships() {
						if r.To == nil || r.Owner == nil {
							t.Fatalf("unresolved relationship %s.%s", n.Name, r.Name)
						}
					}
				}
			}
			// A valid schema always generates valid Go.
			if _, err := codegen.Generate(s, codegen.Options{}); err != nil {
				t.Fatalf("generate: %v", err)
			}
			return
		}
		if s != nil {
			t.Fatal("schema returned with errors")
		}
		var list schema.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not an ErrorList: %v", err)
		}
		for _, e := range list {
			if e.File == "" || e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without a position: %q", e.Error())
			}
			if !strings.HasPrefix(e.Error(), e.File+":") {
				t.Fatalf("error does not start with its file name: %q", e.Error())
			}
			if e.File == "builtin:auth" {
				t.Fatalf("error blamed on the builtin schema: %q", e.Error())
			}
			if _, ok := fsys[e.File]; !ok {
				t.Fatalf("error in unknown file %q: %q", e.File, e.Error())
			}
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.Contains(line, ":") {
				t.Fatalf("error line without a position: %q", line)
			}
		}
	})
}

// TestLineMutations loads every testdata schema with each line removed, and
// with each line repeated, and checks the invariants FuzzLoad checks: a
// deterministic complement to the fuzzer that reaches the semantic checks.
func TestLineMutations(t *testing.T) {
	base := testdataFS(t)
	for name, file := range base {
		lines := strings.SplitAfter(string(file.Data), "\n")
		for i := range lines {
			removed := strings.Join(lines[:i], "") + strings.Join(lines[i+1:], "")
			doubled := strings.Join(lines[:i+1], "") + strings.Join(lines[i:], "")
			for _, variant := range []string{removed, doubled} {
				fsys := fuzzFS(t, base, []byte(variant))
				s, err := schema.LoadFS(fsys, "ok/fuzz.yaml")
				if err == nil {
					if s == nil {
						t.Fatalf("%s line %d: no error and no schema", name, i+1)
					}
					if _, err := codegen.Generate(s, codegen.Options{}); err != nil {
						t.Fatalf("%s line %d: generate: %v", name, i+1, err)
					}
					continue
				}
				var list schema.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("%s line %d: not an ErrorList: %v", name, i+1, err)
				}
				for _, e := range list {
					if e.File == "" || e.Line < 1 || e.Col < 1 || e.File == "builtin:auth" {
						t.Fatalf("%s line %d: bad position: %q", name, i+1, e.Error())
					}
				}
			}
		}
	}
}
