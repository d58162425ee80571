package people

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The typing the generated API promises: each of these lines must be
// refused by the compiler. They are built together in a throw-away package
// next to this one (the compiler reports every error with -e), and each
// line must have an error of its own.
var mistyped = []struct{ what, code string }{
	{"a City condition in a Person query", `PersonNodes(db).Filter(CityName.Eq("Paris"))`},
	{"a City order in a Person query", `PersonNodes(db).OrderBy(CityName.Asc())`},
	{"an int property compared with a string", `PersonNodes(db).Filter(PersonAge.Gt("3"))`},
	{"a City relationship fetched from Person", `PersonNodes(db).FetchRelations(CityCountry)`},
	{"a Person relationship continuing a path that ends at City", `PersonNodes(db).FetchRelations(PersonCity.With(PersonCountry))`},
	{"Then of paths that do not meet", `ogm.Then(PersonCity, PersonCountry)`},
	{"a path condition on the wrong target", `PersonNodes(db).Filter(PersonCity.Where(CountryCode.Eq("DE")))`},
	{"Traverse from the wrong node set", `ogm.Traverse(CityNodes(db), PersonCountry)`},
	{"a relationship-model condition of another model", `PersonKnowsMatch(VisitOn.Eq(time.Time{}))`},
	{"a Person connected as a City", `(&Person{}).City().Connect(ctx, &Person{})`},
	{"Optional of a City path in a Person query", `PersonNodes(db).FetchRelations(ogm.Optional(CityCountry))`},
}

func TestTypingRefusesMismatches(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to compile the cases: %v", err)
	}
	dir, err := os.MkdirTemp(".", "typing_check_")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var src strings.Builder
	src.WriteString("package check\n\nimport (\n\t\"context\"\n\t\"time\"\n\n\t\"github.com/gonode/gonode/ogm\"\n\t. \"github.com/gonode/gonode/ogm/internal/example/people\"\n)\n\n")
	src.WriteString("var _ = time.Time{}\n\nfunc cases(ctx context.Context, db *ogm.DB) {\n")
	lines := map[int]string{}
	line := strings.Count(src.String(), "\n") + 1
	for _, c := range mistyped {
		fmt.Fprintf(&src, "\t_ = %s\n", c.code)
		lines[line] = c.what
		line++
	}
	src.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, "check.go"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "build", "-gcflags=-e", "-o", os.DevNull, "./"+dir).CombinedOutput()
	if err == nil {
		t.Fatalf("the mistyped cases compiled:\n%s", src.String())
	}
	// Each error must be a type mismatch, not, say, an undefined name.
	refused := map[int]bool{}
	for _, m := range regexp.MustCompile(`check\.go:(\d+):\d+: (.*)`).FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		if !strings.HasPrefix(m[2], "cannot use ") && !strings.Contains(m[2], "does not match inferred type") {
			t.Errorf("line %d (%s) fails for another reason: %s", n, lines[n], m[2])
		}
		refused[n] = true
	}
	for n, what := range lines {
		if !refused[n] {
			t.Errorf("compiled, but must not: %s (line %d)", what, n)
		}
	}
	if len(refused) != len(lines) {
		t.Errorf("errors on %d lines, want %d:\n%s", len(refused), len(lines), out)
	}
}
