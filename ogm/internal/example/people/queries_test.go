package people_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// counter counts the queries a *DB sends (ogm.WithObserver).
type counter struct {
	mu      sync.Mutex
	queries []string
}

func (c *counter) observe(q ogm.Query) {
	c.mu.Lock()
	c.queries = append(c.queries, q.Text)
	c.mu.Unlock()
}

// take returns the queries seen since the last take.
func (c *counter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queries
	c.queries = nil
	return q
}

// counted opens a second handle on the test database that counts its
// queries; the fixture's wipe still runs on the first.
func counted(t *testing.T, ctx context.Context) (*ogm.DB, *counter) {
	t.Helper()
	c := &counter{}
	db := testenv.Open(t, ogm.WithObserver(c.observe))
	c.take()
	return db, c
}

func names(ps []*Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// seed creates four people with mixed properties, Émile without a birth date.
func seed(t *testing.T, ctx context.Context, db *ogm.DB) map[string]*Person {
	t.Helper()
	ps := []*Person{
		{Name: "Jim", Age: 3, Sex: "M", Born: day(2020, 1, 2), Tags: []string{"a", "b"}},
		{Name: "Ann", Age: 30, Sex: "F", Born: day(1994, 5, 6), Tags: []string{"b"}},
		{Name: "Ülrich", Age: 40, Sex: "M", Born: day(1984, 7, 8), Tags: []string{"c"}},
		{Name: "Émile", Age: 50, Sex: "F"},
	}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	out := map[string]*Person{}
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

func TestFilterOperators(t *testing.T) {
	ctx, db := fixture(t)
	seed(t, ctx, db)
	nodes := PersonNodes(db)
	cases := []struct {
		name string
		pred ogm.Pred[*Person]
		want []string
	}{
		{"int gt", PersonAge.Gt(30), []string{"Émile", "Ülrich"}},
		{"int gte", PersonAge.Gte(30), []string{"Ann", "Émile", "Ülrich"}},
		{"int lt", PersonAge.Lt(30), []string{"Jim"}},
		{"int lte", PersonAge.Lte(30), []string{"Ann", "Jim"}},
		{"int eq", PersonAge.Eq(40), []string{"Ülrich"}},
		{"int ne", PersonAge.Ne(40), []string{"Ann", "Émile", "Jim"}},
		{"int in", PersonAge.In(3, 50, 99), []string{"Émile", "Jim"}},
		{"date gt", PersonBorn.Gt(day(1990, 1, 1)), []string{"Ann", "Jim"}},
		{"date lte", PersonBorn.Lte(day(1984, 7, 8)), []string{"Ülrich"}},
		{"date isnull", PersonBorn.IsNull(true), []string{"Émile"}},
		{"date not null", PersonBorn.IsNull(false), []string{"Ann", "Jim", "Ülrich"}},
		{"string gt", PersonName.Gt("B"), []string{"Jim", "Émile", "Ülrich"}},
		{"string in", PersonName.In("Jim", "Ann", "Nobody"), []string{"Ann", "Jim"}},
		{"exact", PersonName.Exact("Ülrich"), []string{"Ülrich"}},
		{"iexact non-ASCII", PersonName.IExact("üLRICH"), []string{"Ülrich"}},
		{"contains", PersonName.Contains("lri"), []string{"Ülrich"}},
		{"icontains non-ASCII", PersonName.IContains("ÜL"), []string{"Ülrich"}},
		{"startswith is case-sensitive", PersonName.StartsWith("é"), nil},
		{"istartswith non-ASCII", PersonName.IStartsWith("é"), []string{"Émile"}},
		{"endswith", PersonName.EndsWith("nn"), []string{"Ann"}},
		{"iendswith", PersonName.IEndsWith("ICH"), []string{"Ülrich"}},
		{"regex", PersonName.Regex("[AJ].*"), []string{"Ann", "Jim"}},
		{"regex anchors", PersonName.Regex("nn"), nil},
		{"iregex", PersonName.IRegex("ülr.*"), []string{"Ülrich"}},
		{"choices value", PersonSex.Eq("F"), []string{"Ann", "Émile"}},
		{"array contains", PersonTags.Contains("b"), []string{"Ann", "Jim"}},
		{"array contains any", PersonTags.ContainsAny("a", "c"), []string{"Jim", "Ülrich"}},
		{"array contains all", PersonTags.ContainsAll("a", "b"), []string{"Jim"}},
		{"or", ogm.Or(PersonAge.Lt(10), PersonAge.Gt(45)), []string{"Jim", "Émile"}},
		{"not", ogm.Not(PersonName.StartsWith("J")), []string{"Ann", "Émile", "Ülrich"}},
		{"or of not and and", ogm.Or(ogm.Not(PersonAge.Gte(10)), ogm.And(PersonSex.Eq("F"), PersonBorn.IsNull(false))), []string{"Ann", "Jim"}},
		{"nested not or", ogm.Not(ogm.Or(PersonSex.Eq("M"), PersonAge.Gt(45))), []string{"Ann"}},
		{"empty or is neutral in an and", ogm.And(PersonAge.Gt(35), ogm.Or[*Person]()), nil},
		{"empty or alone matches nothing", ogm.Or[*Person](), nil},
		{"empty and matches all", ogm.And[*Person](), []string{"Ann", "Jim", "Émile", "Ülrich"}},
	}
	for _, c := range cases {
		got, err := nodes.Filter(c.pred).OrderBy(PersonName.Asc()).All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := slices.Clone(c.want)
		sort.Strings(want)
		if g := names(got); !slices.Equal(g, want) && !(len(g) == 0 && len(want) == 0) {
			t.Errorf("%s: got %v, want %v", c.name, g, want)
		}
	}

	// Exclude after Filter; Filter after Exclude.
	got, err := nodes.Filter(PersonAge.Gt(10)).Exclude(PersonSex.Eq("M")).OrderBy(PersonName.Asc()).All(ctx)
	if err != nil || !slices.Equal(names(got), []string{"Ann", "Émile"}) {
		t.Fatalf("filter then exclude: %v %v", names(got), err)
	}
	got, _ = nodes.Exclude(PersonAge.Gt(10), PersonSex.Eq("F")).OrderBy(PersonName.Asc()).All(ctx)
	if !slices.Equal(names(got), []string{"Jim", "Ülrich"}) {
		t.Fatalf("exclude(a, b) drops nodes where both hold: %v", names(got))
	}
}

func TestGetFirstOrderSlice(t *testing.T) {
	ctx, db := fixture(t)
	people := seed(t, ctx, db)
	nodes := PersonNodes(db)

	if _, err := nodes.Get(ctx, PersonAge.Gt(10)); !errors.Is(err, ogm.ErrMultipleNodes) {
		t.Fatalf("Get of several: %v", err)
	}
	if _, err := nodes.Get(ctx, PersonName.Eq("Bob")); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("Get of none: %v", err)
	}
	if p, err := nodes.GetOrNone(ctx, PersonName.Eq("Bob")); p != nil || err != nil {
		t.Fatalf("GetOrNone: %v %v", p, err)
	}
	if p, err := nodes.OrderBy(PersonAge.Desc()).First(ctx); err != nil || p.Name != "Émile" {
		t.Fatalf("First: %v %v", p, err)
	}
	if _, err := nodes.First(ctx, PersonAge.Gt(100)); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("First of none: %v", err)
	}
	if p, err := nodes.FirstOrNone(ctx, PersonAge.Gt(100)); p != nil || err != nil {
		t.Fatalf("FirstOrNone: %v %v", p, err)
	}

	// Two keys: sex ascending, then age descending.
	got, _ := nodes.OrderBy(PersonSex.Asc(), PersonAge.Desc()).All(ctx)
	if want := []string{"Émile", "Ann", "Ülrich", "Jim"}; !slices.Equal(names(got), want) {
		t.Fatalf("two keys: %v, want %v", names(got), want)
	}
	// Random order returns everything; over 40 draws the first node varies.
	firsts := map[string]bool{}
	for range 40 {
		got, err := nodes.OrderBy(ogm.Random[*Person]()).All(ctx)
		if err != nil || len(got) != 4 {
			t.Fatalf("random: %v %v", names(got), err)
		}
		firsts[got[0].Name] = true
	}
	if len(firsts) < 2 {
		t.Fatalf("random order always starts with %v", firsts)
	}

	// Slicing: people[1:3] by age, and Count honours the window.
	window := nodes.OrderBy(PersonAge.Asc()).Skip(1).Limit(2)
	if got, _ := window.All(ctx); !slices.Equal(names(got), []string{"Ann", "Ülrich"}) {
		t.Fatalf("skip/limit: %v", names(got))
	}
	if n, err := window.Count(ctx); n != 2 || err != nil {
		t.Fatalf("count of window: %d %v", n, err)
	}
	if n, _ := nodes.Skip(3).Count(ctx); n != 1 {
		t.Fatalf("count after skip 3: %d", n)
	}
	if ok, _ := nodes.Filter(PersonAge.Gt(100)).Exists(ctx); ok {
		t.Fatal("exists of none")
	}

	young := nodes.Filter(PersonAge.Lt(35))
	if ok, err := young.Contains(ctx, people["Jim"]); !ok || err != nil {
		t.Fatalf("contains jim: %v %v", ok, err)
	}
	if ok, _ := young.Contains(ctx, people["Émile"]); ok {
		t.Fatal("contains émile")
	}
	ids, err := young.OrderBy(PersonAge.Asc()).ElementIDs(ctx)
	if err != nil || !slices.Equal(ids, []string{people["Jim"].ElementID(), people["Ann"].ElementID()}) {
		t.Fatalf("element ids: %v %v", ids, err)
	}
}

func TestIterStreams(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	batch := make([]*Person, 2500)
	for i := range batch {
		batch[i] = &Person{Name: fmt.Sprintf("p%05d", i), Age: i}
	}
	if err := PersonNodes(db).CreateMany(ctx, batch); err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, err := range PersonNodes(cdb).OrderBy(PersonAge.Asc()).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if p.Age != n {
			t.Fatalf("row %d has age %d", n, p.Age)
		}
		n++
	}
	if n != 2500 || len(c.take()) != 1 {
		t.Fatalf("iterated %d nodes", n)
	}
	// Breaking out ends the query; the handle keeps working.
	n = 0
	for _, err := range PersonNodes(cdb).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	if cnt, err := PersonNodes(cdb).Count(ctx); cnt != 2500 || err != nil {
		t.Fatalf("after break: %d %v", cnt, err)
	}
	// A stored value that does not fit stops the stream with a typed error
	// after the rows before it were handed out.
	if _, err := db.Cypher(ctx, "MATCH (p:Person {name: 'p02000'}) SET p.age = 'old'", nil); err != nil {
		t.Fatal(err)
	}
	n = 0
	var iterErr error
	for _, err := range PersonNodes(cdb).OrderBy(PersonName.Asc()).Iter(ctx) {
		if err != nil {
			iterErr = err
			break
		}
		n++
	}
	var pte *ogm.PropertyTypeError
	if n != 2000 || !errors.As(iterErr, &pte) || pte.Prop != "age" {
		t.Fatalf("after %d rows: %v", n, iterErr)
	}
	// Inside a transaction the loop body may use it.
	err := db.Read(ctx, func(ctx context.Context) error {
		k := 0
		for p, err := range PersonNodes(db).Filter(PersonAge.Lt(3)).Iter(ctx) {
			if err != nil {
				return err
			}
			if _, err := PersonNodes(db).Get(ctx, PersonName.Eq(p.Name)); err != nil {
				return err
			}
			k++
		}
		if k != 3 {
			return fmt.Errorf("iterated %d", k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateManyIsOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	batch := make([]*Person, 10000)
	for i := range batch {
		batch[i] = &Person{Name: fmt.Sprintf("n%05d", i), Age: i % 90, Tags: []string{"x"}}
	}
	if err := PersonNodes(cdb).CreateMany(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 || !strings.HasPrefix(q[0], "UNWIND") {
		t.Fatalf("CreateMany of 10,000 sent %d queries", len(q))
	}
	for _, p := range batch {
		if p.ElementID() == "" || p.UID == "" {
			t.Fatalf("%s not bound: %q %q", p.Name, p.ElementID(), p.UID)
		}
	}
	if n, _ := PersonNodes(db).Count(ctx); n != 10000 {
		t.Fatalf("stored %d", n)
	}
}

func TestValidationBeforeAnyQuery(t *testing.T) {
	ctx, _ := fixture(t)
	cdb, c := counted(t, ctx)
	_, err := CityNodes(cdb).Create(ctx, &City{})
	var ve ogm.ValidationErrors
	if !errors.Is(err, ogm.ErrValidation) || !errors.As(err, &ve) || ve[0].Prop != "name" {
		t.Fatalf("required: %v", err)
	}
	_, err = PersonNodes(cdb).Create(ctx, &Person{Name: strings.Repeat("x", 101), Age: -1, Sex: "X"})
	if !errors.As(err, &ve) || len(ve) != 3 {
		t.Fatalf("three rules broken: %v", err)
	}
	if q := c.take(); len(q) != 0 {
		t.Fatalf("queries sent before validation: %v", q)
	}
}

func TestUniqueViolation(t *testing.T) {
	ctx, db := fixture(t)
	items, err := ogm.InstallLabels(ctx, db, Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, it := range items {
			if it.Created {
				db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(it.Name)+" IF EXISTS", nil)
				db.Cypher(ctx, "DROP INDEX "+ogm.Quote(it.Name)+" IF EXISTS", nil)
			}
		}
	})
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	bob := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Bob"}))

	check := func(what string, err error) {
		t.Helper()
		var e *ogm.Error
		if !errors.Is(err, ogm.ErrUnique) || !errors.Is(err, ogm.ErrConstraint) || !errors.As(err, &e) {
			t.Fatalf("%s: %v", what, err)
		}
		if e.Label != "Person" || !slices.Equal(e.Properties, []string{"name"}) || strings.Contains(e.Error(), "'Jim'") {
			t.Fatalf("%s: label %q props %v msg %q", what, e.Label, e.Properties, e.Error())
		}
	}
	_, err = PersonNodes(db).Create(ctx, &Person{Name: "Jim"})
	check("create", err)
	bob.Name = "Jim"
	check("save", bob.Save(ctx))
	if err := bob.Refresh(ctx); err != nil || bob.Name != "Bob" {
		t.Fatalf("old value kept: %q %v", bob.Name, err)
	}
	check("batch", PersonNodes(db).CreateMany(ctx, []*Person{{Name: "Zed"}, {Name: "Jim"}}))
	if n, _ := PersonNodes(db).Count(ctx); n != 2 {
		t.Fatalf("a failed batch wrote %d nodes", n-2)
	}
	// A failed Save inside Write rolls the whole transaction back.
	err = db.Write(ctx, func(ctx context.Context) error {
		jim.Age = 77
		if err := jim.Save(ctx); err != nil {
			return err
		}
		bob.Name = "Jim"
		return bob.Save(ctx)
	})
	check("write", err)
	if err := jim.Refresh(ctx); err != nil || jim.Age != 0 {
		t.Fatalf("rolled back: age %d %v", jim.Age, err)
	}
}

func TestRefreshAndDeleted(t *testing.T) {
	ctx, db := fixture(t)
	other := testenv.Open(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim", Age: 3}))
	theirs := must[*Person](t)(PersonNodes(other).Get(ctx, PersonName.Eq("Jim")))
	theirs.Age = 9
	theirs.Tags = []string{"new"}
	if err := theirs.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jim.Refresh(ctx); err != nil || jim.Age != 9 || !slices.Equal(jim.Tags, []string{"new"}) {
		t.Fatalf("refresh: %+v %v", jim, err)
	}
	// Unsetting removes the property.
	jim.Tags = nil
	if err := jim.Save(ctx); err != nil {
		t.Fatal(err)
	}
	res, _ := db.Cypher(ctx, "MATCH (p:Person {name: 'Jim'}) RETURN p.tags IS NULL", nil)
	if res.Rows[0][0] != true {
		t.Fatal("nil slice left the property in place")
	}

	if err := theirs.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jim.Refresh(ctx); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("refresh of a node deleted elsewhere: %v", err)
	}
	for what, err := range map[string]error{
		"save":    theirs.Save(ctx),
		"refresh": theirs.Refresh(ctx),
		"delete":  theirs.Delete(ctx),
		"connect": theirs.City().Connect(ctx, must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "X"}))),
		"count":   func() error { _, err := theirs.Knows().Count(ctx); return err }(),
	} {
		var ne *ogm.NodeError
		if !errors.Is(err, ogm.ErrDeleted) || !errors.As(err, &ne) || ne.Type != "Person" {
			t.Errorf("%s after delete: %v", what, err)
		}
	}
}

func TestGetOrCreateAndCreateOrUpdate(t *testing.T) {
	ctx, db := fixture(t)
	nodes := PersonNodes(db)
	a := must[*Person](t)(nodes.GetOrCreate(ctx, &Person{Name: "Tim", Age: 5}))
	b := must[*Person](t)(nodes.GetOrCreate(ctx, &Person{Name: "Tim", Age: 6}))
	if a.ElementID() != b.ElementID() || a.UID == "" || b.UID != a.UID || b.Age != 5 {
		t.Fatalf("twice: %+v / %+v", a, b)
	}
	if n, _ := nodes.Count(ctx); n != 1 {
		t.Fatalf("%d nodes", n)
	}
	c := must[*Person](t)(nodes.CreateOrUpdate(ctx, &Person{Name: "Tim", Age: 7}))
	if c.ElementID() != a.ElementID() || c.UID != a.UID || c.Age != 7 {
		t.Fatalf("create or update kept the uid and set the age: %+v", c)
	}
	if err := a.Refresh(ctx); err != nil || a.Age != 7 {
		t.Fatalf("stored age %d %v", a.Age, err)
	}
	// No key set: nothing to look up by.
	if _, err := nodes.GetOrCreate(ctx, &Person{Age: 1}); !errors.Is(err, ogm.ErrNoMergeKey) {
		t.Fatalf("no key: %v", err)
	}
	// Many, with an existing one and a repeat inside the batch.
	many := []*Person{{Name: "Tim"}, {Name: "Ann"}, {Name: "Ann"}, {UID: a.UID}}
	if err := nodes.GetOrCreateMany(ctx, many); err != nil {
		t.Fatal(err)
	}
	if n, _ := nodes.Count(ctx); n != 2 || many[0].ElementID() != a.ElementID() ||
		many[1].ElementID() != many[2].ElementID() || many[2].UID != many[1].UID || many[3].Name != "Tim" {
		t.Fatalf("many: %d nodes, %+v", n, many)
	}
	// Scoped to a relationship: the city is found among jim's, else made and
	// connected, once.
	jim := many[1]
	for range 2 {
		if _, err := jim.City().GetOrCreate(ctx, &City{Name: "Paris"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := jim.City().Count(ctx); n != 1 {
		t.Fatalf("%d cities connected", n)
	}
	if n, _ := CityNodes(db).Count(ctx); n != 1 {
		t.Fatalf("%d cities", n)
	}
	// Concurrent GetOrCreate of one key with a unique constraint: one node.
	items, err := ogm.InstallLabels(ctx, db, Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, it := range items {
			if it.Created {
				db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(it.Name)+" IF EXISTS", nil)
				db.Cypher(ctx, "DROP INDEX "+ogm.Quote(it.Name)+" IF EXISTS", nil)
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := nodes.GetOrCreate(ctx, &Person{Name: "Racer"}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent get or create: %v", err)
	}
	if n, _ := nodes.Filter(PersonName.Eq("Racer")).Count(ctx); n != 1 {
		t.Fatalf("%d racers", n)
	}
}

func TestSubclassesAndResolve(t *testing.T) {
	ctx, db := fixture(t)
	boss := must[*Admin](t)(AdminNodes(db).Create(ctx, &Admin{Person: Person{Name: "Boss", Age: 60}, Level: ogm.Ptr(3)}))
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	if err := jim.Knows().Connect(ctx, &boss.Person); err != nil {
		t.Fatal(err)
	}
	all, err := PersonNodes(db).OrderBy(PersonName.Asc()).All(ctx)
	if err != nil || !slices.Equal(names(all), []string{"Boss", "Jim"}) {
		t.Fatalf("parent query: %v %v", names(all), err)
	}
	if n, _ := AdminNodes(db).Count(ctx); n != 1 {
		t.Fatalf("admins %d", n)
	}
	reg := ogm.NewRegistry(Schema)
	spec, err := reg.Specific(ctx, all[0])
	if a, ok := spec.(*Admin); !ok || err != nil || *a.Level != 3 || a.ElementID() != boss.ElementID() {
		t.Fatalf("specific of boss: %#v %v", spec, err)
	}
	if spec, _ := reg.Specific(ctx, all[1]); spec != any(all[1]) {
		t.Fatalf("specific of jim is jim itself: %#v", spec)
	}

	res, err := db.Cypher(ctx, "MATCH path = (a:Person {name: 'Jim'})-[r:KNOWS]-(b) "+
		"RETURN a, r, [b, 1], {boss: b, n: 'x'}, path", nil, ogm.ResolveWith(reg))
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	if p, ok := row[0].(*Person); !ok || p.Name != "Jim" {
		t.Fatalf("node: %#v", row[0])
	}
	if k, ok := row[1].(*Knows); !ok || k.Since.IsZero() || k.ElementID() == "" {
		t.Fatalf("relationship: %#v", row[1])
	}
	if l := row[2].([]any); l[0].(*Admin).Name != "Boss" || l[1] != int64(1) {
		t.Fatalf("list: %#v", l)
	}
	if m := row[3].(map[string]any); m["boss"].(*Admin).Name != "Boss" || m["n"] != "x" {
		t.Fatalf("map: %#v", m)
	}
	if p := row[4].(ogm.ResolvedPath); len(p.Nodes) != 2 || p.Nodes[1].(*Admin).Name != "Boss" || len(p.Rels) != 1 {
		t.Fatalf("path: %#v", p)
	}
	if _, err := db.Cypher(ctx, "CREATE (x:Stranger) WITH x DELETE x RETURN x", nil, ogm.ResolveWith(reg)); !errors.Is(err, ogm.ErrUnknownLabels) {
		t.Fatalf("unknown labels: %v", err)
	}
}

// TestHostileValues sends strings that would break a query built by
// splicing as filter and property values, and checks that they are stored
// and matched as plain data and nothing else changed.
func TestHostileValues(t *testing.T) {
	ctx, db := fixture(t)
	canary := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "CANARY"}))
	hostile := []string{
		`'`, `"`, "`", `\`, `\'`, `'}) DETACH DELETE n //`, "}) DETACH DELETE n //",
		"` DETACH DELETE n //", `$p0`, "x' OR 1=1 OR 'x", "名前 🚀 \u202e", "line\nbreak\x00nul",
		"MATCH (n) DETACH DELETE n", `{name: "x"}`,
	}
	for i, h := range hostile {
		p := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: h, Tags: []string{h, "t"}}))
		got, err := PersonNodes(db).Get(ctx, PersonName.Eq(h))
		if err != nil || got.ElementID() != p.ElementID() || got.Name != h {
			t.Fatalf("%d %q: %v", i, h, err)
		}
		for _, pred := range []ogm.Pred[*Person]{PersonName.IExact(h), PersonName.Contains(h), PersonName.StartsWith(h),
			PersonTags.Contains(h), PersonName.In(h), ogm.Not(PersonName.Ne(h))} {
			if n, err := PersonNodes(db).Filter(pred).Count(ctx); err != nil || n < 1 {
				t.Fatalf("%d %q: count %d %v", i, h, n, err)
			}
		}
		if _, err := PersonNodes(db).Filter(PersonName.Regex(h)).Count(ctx); err != nil && !errors.Is(err, ogm.ErrQuery) {
			t.Fatalf("%d %q as a pattern: %v", i, h, err)
		}
	}
	if n, _ := PersonNodes(db).Count(ctx); n != len(hostile) {
		t.Fatalf("%d people for %d values", n, len(hostile))
	}
	// As keys of a semi-structured node's Extra: each is stored as exactly
	// that key, and read back.
	extra := map[string]any{}
	for i, h := range hostile {
		if h != "" && !strings.ContainsRune(h, 0) {
			extra[h] = int64(i)
		}
	}
	note := must[*Note](t)(NoteNodes(db).Create(ctx, &Note{Title: "hostile", Extra: extra}))
	res, err := db.Cypher(ctx, "MATCH (n:Note) WHERE elementId(n) = $id RETURN keys(n)", map[string]any{"id": note.ElementID()})
	if err != nil || len(res.Rows[0][0].([]any)) != len(extra)+1 {
		t.Fatalf("stored keys: %v %v", res, err)
	}
	if err := note.Refresh(ctx); err != nil || len(note.Extra) != len(extra) {
		t.Fatalf("extra read back: %v %v", note.Extra, err)
	}
	for k, v := range extra {
		if note.Extra[k] != v {
			t.Fatalf("extra %q = %v, want %v", k, note.Extra[k], v)
		}
	}
	// An Extra key that is a declared property is refused before writing.
	if _, err := NoteNodes(db).Create(ctx, &Note{Title: "x", Extra: map[string]any{"title": "y"}}); err == nil {
		t.Fatal("extra clashing with a declared property was written")
	}
	if err := canary.Refresh(ctx); err != nil {
		t.Fatalf("canary: %v", err)
	}
}

// The labels a node hands out are its own: changing them changes neither
// the node's type nor the other nodes.
func TestLabelsAreTheCallersOwn(t *testing.T) {
	ctx, db := fixture(t)
	for _, name := range []string{"L1", "L2"} {
		if _, err := PersonNodes(db).Create(ctx, &Person{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := PersonNodes(db).Filter(PersonName.In("L1", "L2")).OrderBy(PersonName.Asc()).All(ctx)
	if err != nil || len(ps) != 2 {
		t.Fatalf("%v %v", ps, err)
	}
	labels := ps[0].Labels()
	if len(labels) != 1 || labels[0] != "Person" {
		t.Fatalf("labels %q", labels)
	}
	labels[0] = "Changed"
	if got := ps[1].Labels(); got[0] != "Person" {
		t.Fatalf("another node's labels changed: %q", got)
	}
	if PersonType.Labels[0] != "Person" {
		t.Fatalf("the type's labels changed: %q", PersonType.Labels)
	}
}
