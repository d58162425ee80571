package inspect_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

func open(t *testing.T) *ogm.DB {
	t.Helper()
	return testenv.Open(t)
}

// inspectFixture is a small graph under labels and relationship types no
// other test uses, with the constraints and indexes it declares.
type inspectFixture struct {
	prefix                  string // every label starts with it
	person, employee, human string
	company, city           string
	knows, works, owns, has string
	loc                     string
	schema                  []string // CREATE CONSTRAINT / INDEX statements
	schemaNames             []string
}

func newInspectFixture(t *testing.T, db *ogm.DB) *inspectFixture {
	t.Helper()
	ctx := context.Background()
	l := testenv.Label(t)
	sfx := strings.ToUpper(strings.TrimPrefix(l, "Test_"))
	f := &inspectFixture{
		prefix: l, person: l + "Person", employee: l + "Employee", human: l + "Human",
		company: l + "Company", city: l + "City",
		knows: "KNOWS_" + sfx, works: "WORKS_AT_" + sfx, owns: "OWNS_" + sfx, has: "HAS_" + sfx, loc: "LOCATED_" + sfx,
	}
	q := ogm.Quote
	P, E, H, C, X := q(f.person), q(f.employee), q(f.human), q(f.company), q(f.city)
	add := func(name, stmt string) {
		f.schemaNames = append(f.schemaNames, name)
		f.schema = append(f.schema, strings.ReplaceAll(stmt, "NAME", q(name)))
	}
	add("c_"+l+"_name", "CREATE CONSTRAINT NAME IF NOT EXISTS FOR (n:"+P+") REQUIRE n.name IS UNIQUE")
	add("i_"+l+"_age", "CREATE INDEX NAME IF NOT EXISTS FOR (n:"+P+") ON (n.age)")
	add("t_"+l+"_name", "CREATE TEXT INDEX NAME IF NOT EXISTS FOR (n:"+C+") ON (n.name)")
	add("f_"+l+"_bio", "CREATE FULLTEXT INDEX NAME IF NOT EXISTS FOR (n:"+C+") ON EACH [n.bio]")
	add("p_"+l+"_hq", "CREATE POINT INDEX NAME IF NOT EXISTS FOR (n:"+C+") ON (n.hq)")
	add("ab_"+l, "CREATE INDEX NAME IF NOT EXISTS FOR (n:"+C+") ON (n.a, n.b)")
	add("k_"+l+"_since", "CREATE INDEX NAME IF NOT EXISTS FOR ()-[r:"+q(f.knows)+"]-() ON (r.since)")
	t.Cleanup(func() {
		for _, n := range f.schemaNames {
			for _, kind := range []string{"CONSTRAINT", "INDEX"} {
				_, _ = db.Cypher(ctx, "DROP "+kind+" "+q(n)+" IF EXISTS", nil)
			}
		}
		for _, lab := range []string{f.person, f.company, f.city} {
			_, _ = db.Cypher(ctx, "MATCH (n:"+q(lab)+") DETACH DELETE n", nil)
		}
	})
	f.ensureSchema(t, db)
	person := `{name: $name, age: $i, score: CASE WHEN $i % 2 = 0 THEN $i ELSE $i + 0.5 END,
		born: date({year: 1990, month: 1, day: 1 + $i}),
		seen: datetime({year: 2024, month: 5, day: 1, hour: $i, timezone: '+02:00'}),
		local: localdatetime({year: 2024, month: 5, day: 1 + $i}),
		dur: duration({minutes: $i}), home: point({x: 1.0, y: toFloat($i)}),
		flags: [true, $i % 2 = 0], nums: [$i, 2], ratios: [0.5, 1.5], days: [date({year: 2020, month: 1, day: 1})],
		opens: localtime({hour: $i}),
		code: CASE WHEN $i % 2 = 0 THEN 'c' + $i ELSE $i END,
		tags: CASE WHEN $i < 3 THEN ['a', 'b'] END,
		empty: CASE WHEN $i = 0 THEN [] END}`
	stmts := []struct {
		q string
		p map[string]any
	}{
		{"UNWIND range(0, 2) AS i CREATE (n:" + P + ":" + H + ") SET n = " + strings.ReplaceAll(strings.ReplaceAll(person, "$i", "i"), "$name", "'p' + i"), nil},
		{"UNWIND range(3, 4) AS i CREATE (n:" + P + ":" + H + ":" + E + ") SET n = " + strings.ReplaceAll(strings.ReplaceAll(person, "$i", "i"), "$name", "'e' + i") + " SET n.salary = 1000.0 * i", nil},
		{"UNWIND range(0, 1) AS i CREATE (:" + C + " {name: 'c' + i, bio: 'bio', hq: point({longitude: 1.0, latitude: 2.0}), a: i, b: i})", nil},
		{"CREATE (:" + X + " {name: $name})", map[string]any{"name": "Paris"}},
		{"MATCH (e:" + E + "), (c:" + C + ") WHERE e.age - 3 = toInteger(right(c.name, 1)) CREATE (e)-[:" + q(f.works) + "]->(c)", nil},
		{"MATCH (a:" + P + " {name: 'p0'}), (b:" + P + " {name: 'p1'}), (c:" + P + " {name: 'p2'}), (e:" + P + " {name: 'e3'}) " +
			"CREATE (a)-[:" + q(f.knows) + " {since: date('2020-01-01'), weight: 0.5}]->(b), (a)-[:" + q(f.knows) + " {since: date('2021-01-01')}]->(c), " +
			"(b)-[:" + q(f.knows) + " {since: date('2022-01-01'), weight: 1}]->(e)", nil},
		{"MATCH (a:" + P + " {name: 'p0'}), (e:" + P + " {name: 'e4'}), (c0:" + C + " {name: 'c0'}), (c1:" + C + " {name: 'c1'}) " +
			"CREATE (a)-[:" + q(f.owns) + "]->(c0), (e)-[:" + q(f.owns) + "]->(c1)", nil},
		{"MATCH (c0:" + C + " {name: 'c0'}), (c1:" + C + " {name: 'c1'}), (p0:" + P + " {name: 'p0'}), (p1:" + P + " {name: 'p1'}), (p2:" + P + " {name: 'p2'}), (x:" + X + ") " +
			"CREATE (c0)-[:" + q(f.has) + "]->(p0), (c0)-[:" + q(f.has) + "]->(p1), (c1)-[:" + q(f.has) + "]->(p2), " +
			"(c0)-[:" + q(f.loc) + "]->(x), (c1)-[:" + q(f.loc) + "]->(x), (c1)-[:" + q(f.loc) + "]->(p1)", nil},
	}
	for _, s := range stmts {
		if _, err := db.Cypher(ctx, s.q, s.p); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
	return f
}

// ensureSchema creates the fixture's constraints and indexes (again: tests
// of remove-labels running at the same time on the shared server drop
// every constraint and index).
func (f *inspectFixture) ensureSchema(t *testing.T, db *ogm.DB) {
	t.Helper()
	for _, s := range f.schema {
		if _, err := db.Cypher(context.Background(), s, nil); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// schemaIntact reports whether every constraint and index of the fixture
// still exists.
func (f *inspectFixture) schemaIntact(t *testing.T, db *ogm.DB) bool {
	t.Helper()
	names := map[string]bool{}
	for _, q := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
		res, err := db.Cypher(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			names[r[0].(string)] = true
		}
	}
	for _, n := range f.schemaNames {
		if !names[n] {
			return false
		}
	}
	return true
}

// inspect runs Database on the fixture's labels, retrying when another test
// dropped the fixture's constraints or indexes meanwhile.
func (f *inspectFixture) inspect(t *testing.T, db *ogm.DB, opts inspect.Options) *inspect.Schema {
	t.Helper()
	opts.Labels = []string{f.prefix + "*"}
	for attempt := 0; ; attempt++ {
		s, err := inspect.Database(context.Background(), db, opts)
		if err != nil {
			t.Fatalf("Database: %v", err)
		}
		if f.schemaIntact(t, db) || attempt == 3 {
			return s
		}
		f.ensureSchema(t, db)
	}
}

func (f *inspectFixture) want() *inspect.Schema {
	req := func(key string, types ...string) inspect.Property {
		return inspect.Property{Key: key, Types: types, Required: true}
	}
	opt := func(key string, types ...string) inspect.Property { return inspect.Property{Key: key, Types: types} }
	age := req("age", "INTEGER")
	age.Index = ogm.RangeIndex
	name := req("name", "STRING")
	name.Unique = true
	cname := req("name", "STRING")
	cname.Index = ogm.TextIndex
	bio := req("bio", "STRING")
	bio.Index = ogm.FulltextIndex
	hq := req("hq", "POINT")
	hq.Index = inspect.PointIndex
	since := req("since", "DATE")
	since.Index = ogm.RangeIndex
	rel := func(typ, target string, sources, withAny, maxOut int64) inspect.Relationship {
		return inspect.Relationship{Type: typ, Target: target, Measured: true, Sources: sources, WithAny: withAny, MaxOut: maxOut}
	}
	l := f.prefix
	return &inspect.Schema{
		Nodes: []inspect.Node{
			{Label: f.city, Count: 1, Properties: []inspect.Property{req("name", "STRING")}},
			{Label: f.company, Count: 2, Properties: []inspect.Property{req("a", "INTEGER"), req("b", "INTEGER"), bio, hq, cname},
				Relationships: []inspect.Relationship{rel(f.has, f.person, 2, 2, 2), rel(f.loc, f.city, 2, 2, 1), rel(f.loc, f.person, 2, 1, 1)}},
			{Label: f.employee, Parent: f.person, Count: 2, Properties: []inspect.Property{req("salary", "FLOAT")},
				Relationships: []inspect.Relationship{rel(f.works, f.company, 2, 2, 1)}},
			{Label: f.person, Labels: []string{f.human}, Count: 5, Properties: []inspect.Property{
				age, req("born", "DATE"), req("code", "INTEGER", "STRING"), req("days", "LIST<DATE>"), req("dur", "DURATION"),
				opt("empty", "LIST<NOTHING>"), req("flags", "LIST<BOOLEAN>"), req("home", "POINT"), req("local", "LOCAL DATETIME"),
				name, req("nums", "LIST<INTEGER>"), req("opens", "LOCAL TIME"), req("ratios", "LIST<FLOAT>"),
				req("score", "FLOAT", "INTEGER"), req("seen", "ZONED DATETIME"), opt("tags", "LIST<STRING>"),
			}, Relationships: []inspect.Relationship{rel(f.knows, f.person, 5, 2, 2), rel(f.owns, f.company, 5, 2, 1)}},
		},
		RelTypes: []inspect.RelType{
			{Type: f.has, Count: 3},
			{Type: f.knows, Count: 3, Properties: []inspect.Property{since, {Key: "weight", Types: []string{"FLOAT", "INTEGER"}}}},
			{Type: f.loc, Count: 3},
			{Type: f.owns, Count: 2},
			{Type: f.works, Count: 2},
		},
		Indexes: []inspect.Index{
			{Name: "ab_" + l, Kind: "range", LabelsOrTypes: []string{f.company}, Properties: []string{"a", "b"}},
			{Name: "c_" + l + "_name", Kind: "unique", LabelsOrTypes: []string{f.person}, Properties: []string{"name"}, Placed: true},
			{Name: "f_" + l + "_bio", Kind: "fulltext", LabelsOrTypes: []string{f.company}, Properties: []string{"bio"}, Placed: true},
			{Name: "i_" + l + "_age", Kind: "range", LabelsOrTypes: []string{f.person}, Properties: []string{"age"}, Placed: true},
			{Name: "k_" + l + "_since", Kind: "range", Rel: true, LabelsOrTypes: []string{f.knows}, Properties: []string{"since"}, Placed: true},
			{Name: "p_" + l + "_hq", Kind: "point", LabelsOrTypes: []string{f.company}, Properties: []string{"hq"}, Placed: true},
			{Name: "t_" + l + "_name", Kind: "text", LabelsOrTypes: []string{f.company}, Properties: []string{"name"}, Placed: true},
		},
		NodeCount: 8,
		RelCount:  13,
	}
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestDatabase inspects a graph with every property type, mixed types,
// optional properties, an extends chain with an extra label, every kind of
// index, and relationships of every cardinality (one type leading to two
// node types), reading properties both ways: the result is the same.
func TestDatabase(t *testing.T) {
	db := open(t)
	f := newInspectFixture(t, db)
	want := f.want()
	// The procedures see lists only by their stored type: an empty list
	// stored by Cypher is a list of strings.
	wantProcs := f.want()
	for i, p := range wantProcs.Nodes[3].Properties {
		if p.Key == "empty" {
			wantProcs.Nodes[3].Properties[i].Types = []string{"LIST<STRING>"}
		}
	}
	for _, mode := range []string{"cypher", "procedures"} {
		t.Run(mode, func(t *testing.T) {
			var opts inspect.Options
			inspect.SetScan(&opts, mode)
			var steps []string
			opts.Progress = func(s string) { steps = append(steps, s) }
			got := f.inspect(t, db, opts)
			w := want
			if mode == "procedures" {
				w = wantProcs
			}
			if g, w := jsonOf(got), jsonOf(w); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
			if len(steps) < 4 {
				t.Errorf("progress: %q", steps)
			}
		})
	}
}

func TestDatabaseOptions(t *testing.T) {
	db := open(t)
	f := newInspectFixture(t, db)

	var opts inspect.Options
	opts.NoRelProperties, opts.NoRelCardinality = true, true
	got := f.inspect(t, db, opts)
	for _, rt := range got.RelTypes {
		if rt.Properties != nil {
			t.Errorf("NoRelProperties: %s has properties %v", rt.Type, rt.Properties)
		}
	}
	var rels []string
	for _, n := range got.Nodes {
		for _, r := range n.Relationships {
			if r.Measured {
				t.Errorf("NoRelCardinality: %+v measured", r)
			}
			rels = append(rels, strings.TrimPrefix(n.Label, f.prefix)+" "+r.Type+" "+strings.TrimPrefix(r.Target, f.prefix))
		}
	}
	wantRels := []string{
		"Company " + f.has + " Person", "Company " + f.loc + " City", "Company " + f.loc + " Person",
		"Employee " + f.works + " Company", "Person " + f.knows + " Person", "Person " + f.owns + " Company",
	}
	if !reflect.DeepEqual(rels, wantRels) {
		t.Errorf("relationships without cardinality:\n%q\nwant\n%q", rels, wantRels)
	}

	// A sample of one node per label: every label is seen, the
	// relationship degrees are those of the sampled nodes. The one Person
	// sampled may be an Employee (Person:Employee), so its name is seen on
	// one of the two classes: the sample is per label, not per label set
	// (Options.Sample). (Asserting it on Person made the test fail whenever
	// the server happened to return an Employee first.)
	opts = inspect.Options{Sample: 1}
	inspect.SetScan(&opts, "cypher")
	got = f.inspect(t, db, opts)
	named := func(label string) bool { n := got.Node(label); return n != nil && n.Property("name") != nil }
	if got.Sample != 1 || len(got.Nodes) != 4 || got.Node(f.person) == nil || !named(f.person) && !named(f.employee) {
		t.Errorf("sample 1:\n%s", jsonOf(got))
	}
	for _, n := range got.Nodes {
		for _, r := range n.Relationships {
			if r.Sources != 1 {
				t.Errorf("sample 1: %s %+v", n.Label, r)
			}
		}
	}

	// A sample larger than the data: the inspection is exact.
	opts = inspect.Options{Sample: 1000}
	got = f.inspect(t, db, opts)
	want := f.want()
	if len(got.Nodes) != len(want.Nodes) || got.Node(f.person).Count != 5 || len(got.Node(f.company).Relationships) != 3 {
		t.Errorf("sample 1000:\n%s", jsonOf(got))
	}

	// Two patterns, one matching exactly.
	got, err := inspect.Database(context.Background(), db, inspect.Options{Labels: []string{f.city, f.company}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Nodes) != 2 || got.NodeCount != 3 {
		t.Errorf("two labels:\n%s", jsonOf(got))
	}
	// Company's relationships to Person are not inspected: noted.
	c := got.Node(f.company)
	if c == nil || len(c.Relationships) != 1 || !strings.Contains(strings.Join(c.Notes, "\n"), f.person) {
		t.Errorf("company with Person not inspected: %s", jsonOf(c))
	}
}

func TestDatabaseErrors(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	_, err := inspect.Database(ctx, db, inspect.Options{Labels: []string{"NoSuchLabel_" + testenv.Label(t)}})
	if !errors.Is(err, ogm.ErrQuery) || !strings.Contains(err.Error(), "no node has a label matching") {
		t.Errorf("unknown label: %v", err)
	}
	err = db.Read(ctx, func(ctx context.Context) error {
		_, err := inspect.Database(ctx, db, inspect.Options{})
		return err
	})
	if !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("inside Read: %v", err)
	}
}

// TestDatabaseHostileNames: labels, types and keys that need quoting.
func TestDatabaseHostileNames(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	l := testenv.Label(t)
	odd, tick, emoji := l+" with space", l+"`tick`", l+"🚀"
	rel := "HAS PART " + l
	t.Cleanup(func() {
		for _, lab := range []string{odd, tick, emoji} {
			_, _ = db.Cypher(ctx, "MATCH (n:"+ogm.Quote(lab)+") DETACH DELETE n", nil)
		}
	})
	_, err := db.Cypher(ctx, "CREATE (a:"+ogm.Quote(odd)+" {type: 'x', func: 1, `1st`: true, `a-b`: 'y'})-[:"+ogm.Quote(rel)+" {`the key`: 1}]->(b:"+ogm.Quote(tick)+":"+ogm.Quote(emoji)+" {save: 1.5})", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"cypher", "procedures"} {
		opts := inspect.Options{Labels: []string{l + "*"}}
		inspect.SetScan(&opts, mode)
		s, err := inspect.Database(ctx, db, opts)
		if err != nil {
			t.Fatal(err)
		}
		n := s.Node(odd)
		if len(s.Nodes) != 2 || n == nil || len(n.Properties) != 4 || n.Property("1st").Types[0] != "BOOLEAN" ||
			n.Relationship(rel, s.Nodes[1].Label) == nil && n.Relationship(rel, s.Nodes[0].Label) == nil {
			t.Errorf("%s:\n%s", mode, jsonOf(s))
		}
		if rt := s.RelType(rel); rt == nil || rt.Property("the key") == nil {
			t.Errorf("%s: relationship type:\n%s", mode, jsonOf(s))
		}
	}
}

func TestMatchLabel(t *testing.T) {
	for _, c := range []struct {
		pat, label string
		want       bool
	}{
		{"Person", "Person", true}, {"Person", "Persons", false}, {"Pers*", "Person", true},
		{"*son", "Person", true}, {"*", "", true}, {"P*r*n", "Person", true}, {"P*x*n", "Person", false},
		{"a*a", "a", false}, {"a*a", "aa", true}, {"Shop*", "Sho", false},
	} {
		if got := inspect.MatchLabel(c.pat, c.label); got != c.want {
			t.Errorf("MatchLabel(%q, %q) = %v", c.pat, c.label, got)
		}
	}
}
