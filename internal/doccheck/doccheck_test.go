package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// docs lists the Markdown files of the repository (outside testdata and
// build output), relative to its root.
func docs(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "target" || name == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".md") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	linkRe    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	headingRe = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	fenceRe   = regexp.MustCompile("(?s)```.*?```")
)

// anchor is GitHub's anchor of a heading.
func anchor(heading string) string {
	h := strings.ToLower(strings.TrimSpace(heading))
	var b strings.Builder
	for _, r := range h {
		switch {
		case r == ' ' || r == '-':
			b.WriteRune('-')
		case r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != '→' && r != '—' && r != '–' && r != '×':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func anchors(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range headingRe.FindAllStringSubmatch(fenceRe.ReplaceAllString(text, ""), -1) {
		out[anchor(m[1])] = true
	}
	return out
}

// TestLinks: every relative link of every Markdown file names a file or
// directory of the repository, and every #anchor a heading of its file.
func TestLinks(t *testing.T) {
	root := testenv.RepoRoot()
	files := docs(t, root)
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		text, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		// Code (fenced or inline) holds no links: Go's generic calls
		// read like them (authhttp.ObjectOf[*blog.Post](r)).
		prose := codeRe.ReplaceAllString(fenceRe.ReplaceAllString(string(text), ""), "")
		for _, m := range linkRe.FindAllStringSubmatch(prose, -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			target, frag, _ := strings.Cut(link, "#")
			path := filepath.Join(root, f)
			if target != "" {
				path = filepath.Join(filepath.Dir(path), target)
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s: broken link %s", f, link)
					continue
				}
			}
			if frag == "" || !strings.HasSuffix(path, ".md") {
				continue
			}
			other, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !anchors(string(other))[frag] {
				t.Errorf("%s: link %s: no heading with anchor #%s", f, link, frag)
			}
		}
	}
}

// packages are the packages whose names the guides qualify, and where they
// are.
var packages = map[string]string{
	"ogm":        "ogm",
	"auth":       "auth",
	"inspect":    "inspect",
	"codegen":    "codegen",
	"schema":     "schema",
	"infer":      "infer",
	"jsonschema": "jsonschema",
	"audit":      "audit",
	"hashers":    "auth/hashers",
	"tokens":     "auth/tokens",
	"people":     "ogm/internal/example/people",
	"search":     "ogm/internal/example/search",
}

// exported lists the package-level names declared in dir, its test files
// included (the guides name fuzz targets such as ogm.FuzzQuote).
func exported(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // a package the docs may name that does not exist (yet)
	}
	out := map[string]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				out[d.Name.Name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							out[n.Name] = true
						}
					case *ast.TypeSpec:
						out[s.Name.Name] = true
					}
				}
			}
		}
	}
	return out
}

// identRe finds pkg.Name in code spans: `ogm.Then(…)`, `people.PersonCity`.
var (
	codeRe  = regexp.MustCompile("`[^`\n]+`")
	identRe = regexp.MustCompile(`\b([a-z]+)\.([A-Z][A-Za-z0-9]*)`)
)

// TestNamesExist: every pkg.Name in a code span of a guide names a
// declaration of that package, so a renamed or removed API cannot linger in
// the documentation.
func TestNamesExist(t *testing.T) {
	root := testenv.RepoRoot()
	decls := map[string]map[string]bool{}
	for name, dir := range packages {
		decls[name] = exported(t, filepath.Join(root, dir))
	}
	for _, f := range docs(t, root) {
		if strings.HasPrefix(f, "bench/") && strings.HasSuffix(f, "RESULTS.md") {
			continue // written by the benchmarks; may quote older runs
		}
		text, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		spans := codeRe.FindAllString(string(text), -1)
		spans = append(spans, fenceRe.FindAllString(string(text), -1)...)
		for _, span := range spans {
			for _, m := range identRe.FindAllStringSubmatch(span, -1) {
				names, ok := decls[m[1]]
				if !ok {
					continue
				}
				if names == nil {
					t.Errorf("%s: %s.%s: package %s does not exist", f, m[1], m[2], m[1])
					continue
				}
				if !names[m[2]] {
					t.Errorf("%s: %s.%s is not declared in package %s", f, m[1], m[2], packages[m[1]])
				}
			}
		}
	}
}

// pathHandles lists the relationship handles of the package in dir: the
// variables made with ogm.NewPath.
func pathHandles(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range pkgs {
		ast.Inspect(p, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Values) != len(vs.Names) {
				return true
			}
			for i, v := range vs.Values {
				if call, ok := v.(*ast.CallExpr); ok {
					fn := call.Fun
					if ix, ok := fn.(*ast.IndexListExpr); ok {
						fn = ix.X
					}
					if sel, ok := fn.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewPath" {
						out[vs.Names[i].Name] = true
					}
				}
			}
			return true
		})
	}
	return out
}

// TestPathCalls: a relationship handle the guides use is called only with
// the operators an *ogm.Path has (Where, Has, HasNot, With, OrderBy, Limit): longer paths
// are ogm.Then or With, never a method named after the next relationship.
func TestPathCalls(t *testing.T) {
	root := testenv.RepoRoot()
	handles := pathHandles(t, filepath.Join(root, packages["people"]))
	if !handles["PersonCity"] {
		t.Fatalf("no PersonCity among the handles %v", handles)
	}
	ops := map[string]bool{"Where": true, "Has": true, "HasNot": true, "With": true, "OrderBy": true, "Limit": true}
	callRe := regexp.MustCompile(`\bpeople\.(\w+)\.(\w+)\(`)
	for _, f := range docs(t, root) {
		text, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range callRe.FindAllStringSubmatch(string(text), -1) {
			if handles[m[1]] && !ops[m[2]] {
				t.Errorf("%s: people.%s.%s(…): a relationship handle has no %s", f, m[1], m[2], m[2])
			}
		}
	}
}
