package codegen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// qualified matches a qualified Go name in a comment: "ogm.Then",
// "people.PersonCity".
var qualified = regexp.MustCompile(`(?:^|[^\w.])([a-z][a-z0-9]*)\.([A-Z]\w*)`)

// anVowel matches "a" before a capitalised word that takes "an" (a type
// name such as Admin or Employee): the generator's grammar slipping.
var anVowel = regexp.MustCompile(`(?:^|[^\w])[aA] ([AEIO]\w*)`)

// stdPackages are the standard packages generated comments may name.
var stdPackages = map[string]bool{"context": true, "errors": true, "fmt": true, "time": true, "json": true, "slog": true, "http": true, "regexp": true}

// TestCommentsNameTheirOwnTypes: the examples and references in generated
// doc comments name what exists where the comment is read. A comment that
// says people.PersonCity in package auth, ogm.Frobnicate, or a name of the
// package itself that the file does not declare, misleads every reader of
// the godoc. Checked on every scenario of testdata/gen, the starter and the
// shipped auth package.
func TestCommentsNameTheirOwnTypes(t *testing.T) {
	ogmNames := exportedNames(t, filepath.Join("..", "ogm"))
	authNames := exportedNames(t, filepath.Join("..", "auth"))
	check := func(t *testing.T, f OutputFile) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f.Path, f.Content, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		own := declaredNames(file)
		imported := map[string]bool{}
		for _, im := range file.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := filepath.Base(p)
			if im.Name != nil {
				name = im.Name.Name
			}
			imported[name] = true
		}
		for _, cg := range file.Comments {
			text := cg.Text()
			for _, m := range qualified.FindAllStringSubmatch(text, -1) {
				q, name := m[1], m[2]
				bad := ""
				switch {
				case q == f.Package:
					if !own[name] {
						bad = "is not declared in this file"
					}
				case q == "ogm":
					if !ogmNames[name] {
						bad = "is not exported by ogm"
					}
				case q == "auth":
					// gonode's auth package, imported or not (the
					// permission constants point to auth.HasPerm).
					if !authNames[name] {
						bad = "is not exported by auth"
					}
				case imported[q] || stdPackages[q]:
				default:
					bad = "names a package this file neither is nor imports"
				}
				if bad != "" {
					t.Errorf("%s: comment names %s.%s, which %s:\n%s", fset.Position(cg.Pos()), q, name, bad, text)
				}
			}
			for _, m := range anVowel.FindAllStringSubmatch(text, -1) {
				t.Errorf("%s: comment writes %q (an %s):\n%s", fset.Position(cg.Pos()), strings.TrimSpace(m[0]), m[1], text)
			}
		}
	}
	for _, dir := range genScenarios(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, files := generateScenario(t, dir)
			for _, f := range files {
				check(t, f)
			}
		})
	}
	t.Run("starter", func(t *testing.T) {
		_, f := starterFile(t)
		check(t, f)
	})
	t.Run("auth", func(t *testing.T) {
		path := filepath.Join("..", "auth", "auth_gonode.go")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(t, OutputFile{Path: path, Package: "auth", Content: b})
	})
}

// declaredNames returns the top-level names file declares, and
// "Type.Method" for its methods (comments may name either as pkg.Name).
func declaredNames(file *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			names[d.Name.Name] = true
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					names[sp.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	return names
}

// exportedNames returns the exported top-level names of the package in dir
// (its non-test files).
func exportedNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for n := range declaredNames(file) {
			if ast.IsExported(n) {
				names[n] = true
			}
		}
	}
	return names
}
