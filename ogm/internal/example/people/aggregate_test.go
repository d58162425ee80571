package people_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// hostileName is a person's name that would end the query if it were
// spliced into the text.
const hostileName = "Eve' }) DETACH DELETE n RETURN 1 //`\\u0060"

// friends creates Ann (30), Bob (20), Cid (40), Dan (50) and Eve (60, with
// hostileName) where Ann knows Bob, Cid and Dan, and Bob knows Cid (KNOWS
// is undirected: each counts for both ends), the relationships since 2020,
// 2021, 2022 and 2023. Ann visited city c in January and March 2024, Bob in
// May 2023.
func friends(t *testing.T, ctx context.Context, db *ogm.DB) map[string]*Person {
	t.Helper()
	ps := map[string]*Person{}
	for _, p := range []*Person{{Name: "Ann", Age: 30}, {Name: "Bob", Age: 20}, {Name: "Cid", Age: 40}, {Name: "Dan", Age: 50}, {Name: hostileName, Age: 60}} {
		ps[p.Name] = must[*Person](t)(PersonNodes(db).Create(ctx, p))
	}
	year := func(y int) *Knows { return &Knows{Since: time.Date(y, 6, 1, 12, 0, 0, 0, time.UTC)} }
	for _, k := range []struct {
		a, b string
		y    int
	}{{"Ann", "Bob", 2020}, {"Ann", "Cid", 2021}, {"Ann", "Dan", 2022}, {"Bob", "Cid", 2023}} {
		if err := ps[k.a].Knows().Connect(ctx, ps[k.b], year(k.y)); err != nil {
			t.Fatal(err)
		}
	}
	c := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "c"}))
	for _, v := range []struct {
		who string
		on  time.Time
	}{{"Ann", day(2024, 3, 1)}, {"Ann", day(2024, 1, 1)}, {"Bob", day(2023, 5, 5)}} {
		if err := ps[v.who].Visited().Connect(ctx, c, &Visit{On: v.on}); err != nil {
			t.Fatal(err)
		}
	}
	return ps
}

func TestAggregatesOverAnEmptyRelationship(t *testing.T) {
	ctx, db := fixture(t)
	friends(t, ctx, db)
	count, sum := ogm.Count(PersonKnows), ogm.Sum(PersonKnows, PersonAge)
	avg, low := ogm.Avg(PersonKnows, PersonAge), ogm.Min(PersonKnows, PersonAge)
	since, ages := ogm.Max(PersonKnows, KnowsSince), ogm.Collect(PersonKnows, PersonAge)
	rows, err := ogm.Annotate(PersonNodes(db).Filter(PersonName.Eq(hostileName)), count, sum, avg, low, since, ages).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Node.Name != hostileName {
		t.Fatalf("rows %+v", rows)
	}
	r := rows[0]
	if n := count.Of(r); n != 0 {
		t.Fatalf("count %d", n)
	}
	if s := sum.Of(r); s != 0 {
		t.Fatalf("sum %d", s)
	}
	if v, ok := avg.Of(r); ok || v != 0 {
		t.Fatalf("avg %v, %v: want unset", v, ok)
	}
	if v, ok := low.Of(r); ok || v != 0 {
		t.Fatalf("min %v, %v: want unset", v, ok)
	}
	if v, ok := since.Of(r); ok || !v.IsZero() {
		t.Fatalf("max since %v, %v: want unset", v, ok)
	}
	if a := ages.Of(r); a == nil || len(a) != 0 {
		t.Fatalf("collect %#v: want an empty list", a)
	}
	// Of of an aggregate the query did not annotate is a programming
	// error, not a silent zero.
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("Of of an aggregate not annotated did not panic")
			}
		}()
		ogm.Count(PersonCity).Of(r)
	}()
	// Unset sorts last ascending and fails every comparison.
	got := must[[]*Person](t)(PersonNodes(db).OrderBy(avg.Asc(), PersonName.Asc()).All(ctx))
	if n := names(got); n[len(n)-1] != hostileName {
		t.Fatalf("order by avg: %v", n)
	}
	if got := must[[]*Person](t)(PersonNodes(db).Filter(avg.IsNull(true)).All(ctx)); len(got) != 1 || got[0].Name != hostileName {
		t.Fatalf("avg unset: %v", names(got))
	}
	if got := must[[]*Person](t)(PersonNodes(db).Filter(ogm.Or(avg.Lt(100), avg.Gte(100))).All(ctx)); len(got) != 4 {
		t.Fatalf("compared an unset avg: %v", names(got))
	}
}

func TestAggregatesWithFilterOrderAndLimit(t *testing.T) {
	ctx, db := fixture(t)
	friends(t, ctx, db)
	count, avg := ogm.Count(PersonKnows), ogm.Avg(PersonKnows, PersonAge)
	// Everyone but Ann (Bob 2 friends avg 35, Cid 2 avg 25, Dan 1 avg 30,
	// Eve 0), by count then name, from the second, two of them.
	q := PersonNodes(db).Filter(PersonName.Ne("Ann")).OrderBy(count.Desc(), PersonName.Asc()).Skip(1).Limit(2)
	rows := must[[]ogm.Annotated[*Person]](t)(ogm.Annotate(q, count, avg).All(ctx))
	var got []string
	for _, r := range rows {
		a, _ := avg.Of(r)
		got = append(got, fmt.Sprintf("%s:%d:%.0f", r.Node.Name, count.Of(r), a))
	}
	if want := []string{"Cid:2:25", "Dan:1:30"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// Ordered by an aggregate that is not annotated, filtered by one.
	ps := must[[]*Person](t)(PersonNodes(db).Filter(count.Gte(1)).OrderBy(avg.Desc()).All(ctx))
	if want := []string{"Ann", "Bob", "Dan", "Cid"}; !slices.Equal(names(ps), want) {
		t.Fatalf("by avg: %v", names(ps))
	}
	// Count, Exists and ElementIDs see the aggregate filters too.
	if n := must[int](t)(PersonNodes(db).Filter(count.Gt(1)).Count(ctx)); n != 3 {
		t.Fatalf("count of people with more than one friend: %d", n)
	}
	if ids := must[[]string](t)(PersonNodes(db).Filter(count.Eq(3)).ElementIDs(ctx)); len(ids) != 1 {
		t.Fatalf("ids %v", ids)
	}
}

func TestFilterByAggregate(t *testing.T) {
	ctx, db := fixture(t)
	friends(t, ctx, db)
	count := ogm.Count(PersonKnows)
	// "people with more than 2 friends"
	if got := names(must[[]*Person](t)(PersonNodes(db).Filter(count.Gt(2)).All(ctx))); !slices.Equal(got, []string{"Ann"}) {
		t.Fatalf("more than 2 friends: %v", got)
	}
	// Traverse starts from the people the aggregate selects; a
	// relationship manager's targets filter on their own aggregates.
	got0 := names(must[[]*Person](t)(ogm.Traverse(PersonNodes(db).Filter(count.Gt(2)), PersonKnows).OrderBy(PersonName.Asc()).All(ctx)))
	if !slices.Equal(got0, []string{"Bob", "Cid", "Dan"}) {
		t.Fatalf("friends of people with more than 2 friends: %v", got0)
	}
	ann := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("Ann")))
	got0 = names(must[[]*Person](t)(ann.Knows().Filter(count.Eq(2)).OrderBy(count.Desc(), PersonName.Asc()).All(ctx)))
	if !slices.Equal(got0, []string{"Bob", "Cid"}) {
		t.Fatalf("Ann's friends with 2 friends: %v", got0)
	}
	// "people whose friends average above 30", combined with a plain
	// condition inside one Or, and with Not.
	avg := ogm.Avg(PersonKnows, PersonAge)
	got := names(must[[]*Person](t)(PersonNodes(db).Filter(ogm.Or(avg.Gt(30), PersonAge.Eq(40))).OrderBy(PersonName.Asc()).All(ctx)))
	if want := []string{"Ann", "Bob", "Cid"}; !slices.Equal(got, want) {
		t.Fatalf("avg > 30 or age 40: %v", got)
	}
	got = names(must[[]*Person](t)(PersonNodes(db).Exclude(count.Lt(2)).OrderBy(PersonName.Asc()).All(ctx)))
	if want := []string{"Ann", "Bob", "Cid"}; !slices.Equal(got, want) {
		t.Fatalf("excluding fewer than 2: %v", got)
	}
	// A path narrowed by Match and Where counts what its conditions keep:
	// friends known since 2021 who are older than 30.
	recent := ogm.Count(PersonKnowsMatch(KnowsSince.Gte(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))))
	older := ogm.Count(ogm.PathWhere(PersonKnowsMatch(KnowsSince.Gte(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))), PersonAge.Gt(30)))
	rows := must[[]ogm.Annotated[*Person]](t)(ogm.Annotate(PersonNodes(db).OrderBy(PersonName.Asc()), recent, older).All(ctx))
	var counts []string
	for _, r := range rows {
		counts = append(counts, fmt.Sprint(recent.Of(r), older.Of(r)))
	}
	// Ann: Cid 2021 (40), Dan 2022 (50); Bob: Cid 2023 (40); Cid: Ann
	// 2021 (30), Bob 2023 (20); Dan: Ann 2022 (30); Eve none.
	if want := []string{"2 2", "1 1", "2 0", "1 0", "0 0"}; !slices.Equal(counts, want) {
		t.Fatalf("recent friends, and of them older than 30: %v, want %v", counts, want)
	}
	// Through two hops (Then): friends of friends, counted per path.
	fof := ogm.Count(ogm.Then(PersonKnows, PersonKnows))
	dan := must[[]ogm.Annotated[*Person]](t)(ogm.Annotate(PersonNodes(db).Filter(PersonName.Eq("Dan")), fof).All(ctx))
	if n := fof.Of(dan[0]); n != 2 { // Dan-Ann-{Bob, Cid}: a path uses a relationship once
		t.Fatalf("friends of Dan's friends: %d paths", n)
	}
}

func TestAggregateOfRelationshipProperties(t *testing.T) {
	ctx, db := fixture(t)
	friends(t, ctx, db)
	since := ogm.Max(PersonKnows, KnowsSince)
	first := ogm.Min(PersonVisited, VisitOn)
	visits := ogm.Collect(PersonVisited, VisitOn)
	rows := must[[]ogm.Annotated[*Person]](t)(ogm.Annotate(PersonNodes(db).OrderBy(PersonName.Asc()), since, first, visits).All(ctx))
	var got []string
	for _, r := range rows {
		s, sok := since.Of(r)
		f, fok := first.Of(r)
		vs := visits.Of(r)
		slices.SortFunc(vs, time.Time.Compare)
		var vtext []string
		for _, v := range vs {
			vtext = append(vtext, v.Format("2006-01-02"))
		}
		name := r.Node.Name
		if name == hostileName {
			name = "Eve"
		}
		got = append(got, fmt.Sprintf("%s %v:%d %v:%s %v", name, sok, s.Year(), fok, f.Format("2006-01-02"), vtext))
	}
	want := []string{
		"Ann true:2022 true:2024-01-01 [2024-01-01 2024-03-01]",
		"Bob true:2023 true:2023-05-05 [2023-05-05]",
		"Cid true:2023 false:0001-01-01 []",
		"Dan true:2022 false:0001-01-01 []",
		"Eve false:1 false:0001-01-01 []",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Conditions on a date aggregate send a date.
	got2 := names(must[[]*Person](t)(PersonNodes(db).Filter(first.Lt(day(2024, 1, 1))).All(ctx)))
	if !slices.Equal(got2, []string{"Bob"}) {
		t.Fatalf("first visit before 2024: %v", got2)
	}
	// A property of neither end fails the query before it is sent.
	_, err := PersonNodes(db).Filter(ogm.Avg(PersonKnows, AdminLevel).Gt(1)).All(ctx)
	if !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("avg of an Admin property over Person KNOWS: %v", err)
	}
	// A condition on an aggregate of the targets inside a path's Where has
	// no subquery to come from: it fails too.
	_, err = PersonNodes(db).Filter(PersonCity.Where(ogm.Count(CityCountry).Gt(0))).All(ctx)
	if !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("aggregate inside Where: %v", err)
	}
}

func TestAggregatesHostileValuesOnlyInParams(t *testing.T) {
	ctx, db := fixture(t)
	friends(t, ctx, db)
	cdb, c := counted(t, ctx)
	names := ogm.CollectStrings(PersonKnows, PersonName)
	rows := must[[]ogm.Annotated[*Person]](t)(ogm.Annotate(PersonNodes(cdb).
		Filter(names.Ne([]string{hostileName}), PersonName.Ne(hostileName)).OrderBy(PersonName.Asc()), names).All(ctx))
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	ann := names.Of(rows[0])
	slices.Sort(ann)
	if !slices.Equal(ann, []string{"Bob", "Cid", "Dan"}) {
		t.Fatalf("Ann's friends %v", ann)
	}
	groups := must[[]ogm.Group[string]](t)(ogm.GroupBy(PersonNodes(cdb).Filter(PersonName.Ne(hostileName)), PersonName).All(ctx))
	if len(groups) != 4 {
		t.Fatalf("groups %v", groups)
	}
	for _, q := range c.take() {
		if strings.Contains(q, "Eve") || strings.Contains(q, "DETACH") {
			t.Fatalf("a value in the query text: %s", q)
		}
	}
}

func TestGroupBy(t *testing.T) {
	ctx, db := fixture(t)
	for _, p := range []*Person{{Name: "a", Sex: "F", Age: 3}, {Name: "b", Sex: "M", Age: 3}, {Name: "c", Sex: "F", Age: 4}, {Name: "d", Age: 5}, {Name: "e", Sex: "F", Age: 5}} {
		must[*Person](t)(PersonNodes(db).Create(ctx, p))
	}
	got := must[[]ogm.Group[string]](t)(ogm.GroupBy(PersonNodes(db), PersonSex).All(ctx))
	want := []ogm.Group[string]{{Key: "F", Count: 3}, {Key: "M", Count: 1}, {Unset: true, Count: 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("by sex: %+v, want %+v", got, want)
	}
	ages := must[[]ogm.Group[int]](t)(ogm.GroupByValue(PersonNodes(db).Filter(PersonName.Ne("e")), PersonAge).All(ctx))
	if want := []ogm.Group[int]{{Key: 3, Count: 2}, {Key: 4, Count: 1}, {Key: 5, Count: 1}}; !slices.Equal(ages, want) {
		t.Fatalf("by age: %+v", ages)
	}
	none := must[[]ogm.Group[string]](t)(ogm.GroupBy(PersonNodes(db).Filter(PersonAge.Gt(100)), PersonSex).All(ctx))
	if none == nil || len(none) != 0 {
		t.Fatalf("no nodes: %#v", none)
	}
}

func TestAggregatesOneQueryFor1000Roots(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 1000, 10)
	// Person i knows persons i+1 and i+2 (mod 1000): four friends each.
	if _, err := db.Cypher(ctx, `MATCH (a:Person) WITH a ORDER BY toInteger(substring(a.name, 1))
		WITH collect(a) AS ps UNWIND range(0, 999) AS i UNWIND [1, 2] AS d
		WITH ps[i] AS a, ps[(i + d) % 1000] AS b CREATE (a)-[:KNOWS {since: datetime()}]->(b)`, nil); err != nil {
		t.Fatal(err)
	}
	cdb, c := counted(t, ctx)
	count, avg := ogm.Count(PersonKnows), ogm.Avg(PersonKnows, PersonAge)
	for _, tc := range []struct {
		name  string
		nodes *ogm.Nodes[*Person]
	}{
		{"plain", PersonNodes(cdb)},
		{"flat fetch", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry))},
		{"flat fetch, limited", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry)).OrderBy(avg.Desc(), PersonName.Asc()).Limit(1000)},
		{"nested fetch", PersonNodes(cdb).FetchRelations(PersonCity.With(CityCountry))},
		{"nested fetch, limited", PersonNodes(cdb).FetchRelations(PersonCity).OrderBy(count.Asc(), PersonName.Asc()).Limit(1000)},
	} {
		rows, err := ogm.Annotate(tc.nodes, count, avg).All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if q := c.take(); len(q) != 1 {
			t.Fatalf("%s: %d queries for 1,000 roots:\n%s", tc.name, len(q), strings.Join(q, "\n"))
		}
		if len(rows) != 1000 {
			t.Fatalf("%s: %d rows", tc.name, len(rows))
		}
		for _, r := range rows {
			var i int
			fmt.Sscanf(r.Node.Name, "p%d", &i)
			// Friends i-2, i-1, i+1, i+2 (mod 1000), of ages j % 60.
			want := 0
			for _, d := range []int{-2, -1, 1, 2} {
				want += ((i + d + 1000) % 1000) % 60
			}
			a, ok := avg.Of(r)
			if count.Of(r) != 4 || !ok || math.Abs(a-float64(want)/4) > 1e-9 {
				t.Fatalf("%s: %s: count %d avg %v (%v), want 4, %v", tc.name, r.Node.Name, count.Of(r), a, ok, float64(want)/4)
			}
			if strings.Contains(tc.name, "fetch") && strings.Contains(tc.name, "nested") && len(r.Node.Fetched.City) != 1 {
				t.Fatalf("%s: %s: city not fetched", tc.name, r.Node.Name)
			}
		}
	}
	// Filtered and ordered by the aggregates, in one query too.
	// The largest average is 57 (p57, p117, …: friends of ages 55, 56, 58, 59).
	ps, err := PersonNodes(cdb).Filter(avg.Gte(57)).OrderBy(avg.Desc(), PersonName.Asc()).Limit(3).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries", len(q))
	}
	if got := names(ps); !slices.Equal(got, []string{"p117", "p177", "p237"}) {
		t.Fatalf("top averages: %v", got)
	}
}
