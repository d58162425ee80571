package main

// gonode import-neomodel against the real neomodel, pinned (6.2.0 and
// 7.0.0, each in a virtual env the test creates under .build/): the models
// module testdata/neomodel/nmshop.py uses every neomodel property type; its
// imported schema must equal the golden (the same for both versions but
// for the version in its first comment), say on stderr what it could not
// express, and generate a package that compiles.

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

var updateImport = flag.Bool("update-import", false, "rewrite testdata/neomodel/nmshop.golden.yaml")

func TestImportNeomodel(t *testing.T) {
	t.Setenv("NEO4J_BOLT_URL", "")
	models, err := filepath.Abs(filepath.Join("testdata", "neomodel"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", models)
	golden := filepath.Join("testdata", "neomodel", "nmshop.golden.yaml")
	for _, version := range testenv.NeomodelVersions {
		t.Run(version, func(t *testing.T) {
			py := testenv.NeomodelPython(t, version)
			code, out, errOut := run(t, "import-neomodel", "nmshop", "--python", py)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			first, rest, _ := strings.Cut(out, "\n")
			if want := "# Imported from the neomodel models module nmshop (neomodel " + version + ") by gonode import-neomodel."; first != want {
				t.Errorf("first line %q, want %q", first, want)
			}
			if *updateImport && version == testenv.NeomodelVersions[len(testenv.NeomodelVersions)-1] {
				if err := os.WriteFile(golden, []byte(rest), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := string(readFile(t, golden)); rest != want {
				t.Errorf("the imported schema differs from %s (-update-import rewrites it):\n%s", golden, out)
			}
			// What the schema language cannot say is on stderr, each once.
			for _, w := range []string{
				"warning: Person.handle is an AliasProperty of nick",
				"warning: Person.code: neomodel checks the expression",
				"warning: Person.native: neomodel stores a naive Python datetime as a LOCAL DATETIME",
			} {
				if strings.Count(errOut, w) != 1 {
					t.Errorf("stderr does not say %q once:\n%s", w, errOut)
				}
			}
			if n := strings.Count(errOut, "warning:"); n != 3 {
				t.Errorf("%d warnings, want 3:\n%s", n, errOut)
			}

			// The schema generates a package that compiles.
			dir := inspectDir(t)
			schemaPath := filepath.Join(dir, "schema.yaml")
			if err := os.WriteFile(schemaPath, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errOut := run(t, "generate", schemaPath); code != 0 {
				t.Fatalf("generate: exit %d: %s", code, errOut)
			}
			cmd := exec.Command("go", "vet", "./"+filepath.ToSlash(dir))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("the generated code does not compile: %v\n%s", err, out)
			}
		})
	}
}

func TestImportNeomodelBadModule(t *testing.T) {
	t.Setenv("NEO4J_BOLT_URL", "")
	py := testenv.NeomodelPython(t, testenv.NeomodelVersions[len(testenv.NeomodelVersions)-1])
	code, out, errOut := run(t, "import-neomodel", "no_such_models_module", "--python", py)
	if code != 1 || out != "" || !strings.Contains(errOut, "could not introspect no_such_models_module") || !strings.Contains(errOut, "ModuleNotFoundError") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
