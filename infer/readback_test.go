package infer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// TestReadBackEmptyStringsAndReverse writes, with Cypher as another app
// would, people holding "" under keys beside other strings (name: every
// node has it, one holds ""; note: some ""; blank: only ""), who work at a
// company and know each other; inspects it and runs a test in the package generated from the
// inferred schema: every person is read with its "" values, a Save of each
// unchanged person succeeds and leaves the stored "" in place, and the
// reverse accessors read the relationships from their target's end
// (Company's employees, the people a person is known by).
func TestReadBackEmptyStringsAndReverse(t *testing.T) {
	ctx := context.Background()
	db, id, module := openRun(t)
	person, company := "Rb"+id+"Person", "Rb"+id+"Company"
	worksAt, knows := "WORKS_AT_"+strings.ToUpper(id), "KNOWS_"+strings.ToUpper(id)
	t.Cleanup(func() {
		for _, l := range []string{person, company} {
			_, _ = db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") DETACH DELETE n", nil)
		}
	})
	q := "CREATE (c:" + ogm.Quote(company) + " {name: 'Acme'}), " +
		"(a:" + ogm.Quote(person) + " {name: 'ann', note: '', blank: ''}), " +
		"(b:" + ogm.Quote(person) + " {name: '', note: 'hi'}), " +
		"(d:" + ogm.Quote(person) + " {name: 'dan', blank: ''}), " +
		"(a)-[:" + ogm.Quote(worksAt) + "]->(c), (b)-[:" + ogm.Quote(worksAt) + "]->(c), " +
		"(a)-[:" + ogm.Quote(knows) + "]->(b), (d)-[:" + ogm.Quote(knows) + "]->(b)"
	if _, err := db.Cypher(ctx, q, nil); err != nil {
		t.Fatal(err)
	}
	dbs, err := inspect.Database(ctx, db, inspect.Options{Labels: []string{"Rb" + id + "*"}})
	if err != nil {
		t.Fatal(err)
	}
	text, err := YAML(dbs, Options{Package: "readback"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"blank: {type: string}", "note: {type: string}", "name: {type: string}  # " + emptyNotRequired} {
		if !strings.Contains(string(text), want) {
			t.Errorf("schema lacks %q:\n%s", want, text)
		}
	}
	dir := filepath.Join(module, "readback")
	s := generateInto(t, dir, text)
	readBackTest(t, s.Roots()[0], dir, person, company, worksAt, knows, text)
	testenv.GoCmd(t, dir, []string{"NEO4J_BOLT_URL=" + testenv.URL(t)}, "test", "-count=1", ".")
}

// readBackTest writes the test of TestReadBackEmptyStringsAndReverse into
// dir, the package generated from f.
func readBackTest(t *testing.T, f *schema.File, dir, person, company, worksAt, knows string, text []byte) {
	t.Helper()
	p, c := f.Node(person), f.Node(company)
	if p == nil || c == nil {
		t.Fatalf("node types %s, %s not inferred:\n%s", person, company, text)
	}
	var employees, knownBy string
	for _, r := range p.Relationships {
		switch r.Type {
		case worksAt:
			employees = r.ReverseGoName
		case knows:
			knownBy = r.ReverseGoName
		}
	}
	if employees == "" || knownBy == "" {
		t.Fatalf("no reverse accessors on %s and %s:\n%s", worksAt, knows, text)
	}
	test := fmt.Sprintf(`package %[1]s

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/gonode/gonode/ogm"
)

func TestReadBack(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, os.Getenv("NEO4J_BOLT_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	people, err := %[2]sNodes(db).All(ctx)
	if err != nil || len(people) != 3 {
		t.Fatalf("people: %%v %%v", people, err)
	}
	var got []string
	for _, p := range people {
		got = append(got, p.Name+"|"+p.Note+"|"+p.Blank)
		if err := p.Save(ctx); err != nil {
			t.Errorf("Save of %%q unchanged: %%v", p.Name, err)
		}
	}
	slices.Sort(got)
	if want := []string{"ann||", "dan||", "|hi|"}; !slices.Equal(got, want) {
		t.Errorf("read %%q, want %%q", got, want)
	}
	// The stored "" are still there after the Saves.
	rows, err := db.Cypher(ctx, "MATCH (n:%[2]s) RETURN count(CASE WHEN n.name = '' THEN 1 END) + count(CASE WHEN n.note = '' THEN 1 END) + count(CASE WHEN n.blank = '' THEN 1 END) AS c", nil)
	if err != nil || len(rows.Rows) != 1 || rows.Rows[0][0] != int64(4) {
		t.Errorf("stored empty strings after Save: %%v %%v", rows, err)
	}
	companies, err := %[3]sNodes(db).All(ctx)
	if err != nil || len(companies) != 1 {
		t.Fatalf("companies: %%v %%v", companies, err)
	}
	employees, err := companies[0].%[4]s().All(ctx)
	var names []string
	for _, e := range employees {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	if err != nil || !slices.Equal(names, []string{"", "ann"}) {
		t.Errorf("employees %%q %%v", names, err)
	}
	for _, p := range people {
		by, err := p.%[5]s().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"": 2}[p.Name]; len(by) != want {
			t.Errorf("%%q is known by %%d people, want %%d", p.Name, len(by), want)
		}
	}
}
`, f.Package, p.Name, c.Name, employees, knownBy)
	if err := os.WriteFile(filepath.Join(dir, "readback_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
}
