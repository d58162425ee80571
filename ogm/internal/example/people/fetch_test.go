package people_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// world creates n people; person i lives in city i%cities, city j is in
// country j%2 (DE, US). Every third person is from a country directly.
func world(t *testing.T, ctx context.Context, db *ogm.DB, n, cities int) {
	t.Helper()
	_, err := db.Cypher(ctx, `
		UNWIND ['DE', 'US'] AS code CREATE (:Country {code: code})
		WITH count(*) AS _
		UNWIND range(0, $cities - 1) AS j
		MATCH (k:Country {code: CASE j % 2 WHEN 0 THEN 'DE' ELSE 'US' END})
		CREATE (:City {name: 'city' + j})-[:FROM_COUNTRY]->(k)
		WITH count(*) AS _
		UNWIND range(0, $n - 1) AS i
		MATCH (c:City {name: 'city' + (i % $cities)})
		CREATE (p:Person {name: 'p' + i, age: i % 60, uid: 'u' + i})-[:LIVES_IN]->(c)
		WITH p, i WHERE i % 3 = 0
		MATCH (k:Country {code: 'US'})
		CREATE (p)-[:IS_FROM]->(k)`,
		map[string]any{"n": n, "cities": cities})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFetchRelationsOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 1000, 10)
	cdb, c := counted(t, ctx)

	rows, err := PersonNodes(cdb).FetchRelations(PersonCity.With(CityCountry), ogm.Optional(PersonCountry)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries for 1,000 roots and two hops", len(q))
	}
	if len(rows) != 1000 {
		t.Fatalf("%d rows", len(rows))
	}
	withCountry := 0
	for _, p := range rows {
		var i int
		fmt.Sscanf(p.Name, "p%d", &i)
		city := p.Fetched.City
		if len(city) != 1 || city[0].Name != fmt.Sprintf("city%d", i%10) {
			t.Fatalf("%s: city %v", p.Name, city)
		}
		want := []string{"DE", "US"}[i%10%2]
		if k := city[0].Fetched.Country; k == nil || k.Code != want || k.ElementID() == "" {
			t.Fatalf("%s: country %+v", p.Name, k)
		}
		if p.Fetched.Country != nil {
			withCountry++
			if p.Fetched.Country.Code != "US" || i%3 != 0 {
				t.Fatalf("%s: own country %+v", p.Name, p.Fetched.Country)
			}
		}
	}
	if withCountry != 334 {
		t.Fatalf("%d people with a country", withCountry)
	}

	// Without Optional, the path filters; root filters, order and limit
	// still apply, in the same single query.
	rows, err = PersonNodes(cdb).Filter(PersonAge.Lt(10)).FetchRelations(PersonCountry, PersonCity).
		OrderBy(PersonAge.Desc(), PersonName.Asc()).Limit(5).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries", len(q))
	}
	if got := names(rows); !slices.Equal(got, []string{"p129", "p189", "p249", "p309", "p369"}) {
		t.Fatalf("filtered, ordered, limited: %v", got)
	}
	for _, p := range rows {
		if p.Fetched.Country == nil || len(p.Fetched.City) != 1 {
			t.Fatalf("%s: %+v", p.Name, p.Fetched)
		}
	}
	if n, err := PersonNodes(cdb).FetchRelations(PersonCountry).Count(ctx); n != 334 || err != nil {
		t.Fatalf("count with a required path: %d %v", n, err)
	}

	// A person whose city has no country lacks the two-hop path: dropped by
	// the required path, kept by the optional one sharing its first hop.
	lonely := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "lonely", Age: 99}))
	nowhere := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "nowhere"}))
	if _, err := db.Cypher(ctx, "MATCH (p), (c) WHERE elementId(p) = $p AND elementId(c) = $c CREATE (p)-[:LIVES_IN]->(c)",
		map[string]any{"p": lonely.ElementID(), "c": nowhere.ElementID()}); err != nil {
		t.Fatal(err)
	}
	old := PersonNodes(cdb).Filter(PersonAge.Gte(59))
	if rows, err := old.FetchRelations(PersonCity.With(CityCountry)).All(ctx); err != nil || len(rows) != 16 {
		t.Fatalf("required two hops: %d rows %v", len(rows), err)
	}
	if n, _ := old.FetchRelations(PersonCity.With(CityCountry)).Count(ctx); n != 16 {
		t.Fatalf("count agrees: %d", n)
	}
	rows, err = old.FetchRelations(ogm.Optional(PersonCity.With(CityCountry)), PersonCity).OrderBy(PersonAge.Desc()).All(ctx)
	if err != nil || len(rows) != 17 || rows[0].Name != "lonely" || rows[0].Fetched.City[0].Fetched.Country != nil {
		t.Fatalf("optional two hops with a required first hop: %d rows %v", len(rows), err)
	}
	if q := c.take(); len(q) != 4 {
		t.Fatalf("%d queries", len(q))
	}
}

func TestFetchRelationshipObjects(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	ann := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Ann"}))
	bob := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Bob"}))
	t0 := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := jim.Knows().Connect(ctx, ann, &Knows{Since: t0}); err != nil {
		t.Fatal(err)
	}
	if err := jim.Knows().Connect(ctx, bob, &Knows{Since: t0.AddDate(10, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	got, err := PersonNodes(db).FetchRelations(PersonKnows).Get(ctx, PersonName.Eq("Jim"))
	if err != nil {
		t.Fatal(err)
	}
	f := got.Fetched
	if len(f.Knows) != 2 || len(f.KnowsRels) != 2 {
		t.Fatalf("fetched %d people, %d relationships", len(f.Knows), len(f.KnowsRels))
	}
	for i, p := range f.Knows {
		want := map[string]time.Time{"Ann": t0, "Bob": t0.AddDate(10, 0, 0)}[p.Name]
		r := f.KnowsRels[i]
		if !r.Since.Equal(want) || (r.StartID() != p.ElementID() && r.EndID() != p.ElementID()) {
			t.Fatalf("%s: relationship %+v", p.Name, r)
		}
	}
	// A fetched relationship can be changed and saved.
	i := slices.IndexFunc(f.Knows, func(p *Person) bool { return p.Name == "Ann" })
	f.KnowsRels[i].Since = t0.AddDate(-1, 0, 0)
	if err := f.KnowsRels[i].Save(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := jim.Knows().Relationship(ctx, ann)
	if err != nil || !r.Since.Equal(t0.AddDate(-1, 0, 0)) {
		t.Fatalf("saved: %+v %v", r, err)
	}
	// Match narrows the fetched relationships too.
	got, err = PersonNodes(db).FetchRelations(PersonKnowsMatch(KnowsSince.Gt(t0))).Get(ctx, PersonName.Eq("Jim"))
	if err != nil || len(got.Fetched.Knows) != 1 || got.Fetched.Knows[0].Name != "Bob" {
		t.Fatalf("matched fetch: %v %v", got, err)
	}
}

func TestFiltersAcrossRelationships(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 30, 4)
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	p0 := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p0")))
	p1 := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p1")))
	p2 := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p2")))
	if err := p0.Knows().Connect(ctx, p1, &Knows{Since: t0}); err != nil {
		t.Fatal(err)
	}
	if err := p0.Knows().Connect(ctx, p2, &Knows{Since: t0.AddDate(5, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		pred ogm.Pred[*Person]
		want int
	}{
		// People whose city's country has code DE: cities 0 and 2.
		{"two hops", PersonCity.Where(CityCountry.Where(CountryCode.Eq("DE"))), 15},
		{"one hop", PersonCity.Where(CityName.In("city1", "city3")), 15},
		{"has", PersonCountry.Has(), 10},
		{"has not", PersonCountry.HasNot(), 20},
		{"has and where", ogm.And(PersonCountry.Has(), PersonCity.Where(CityCountry.Where(CountryCode.Eq("DE")))), 5},
		{"or of paths", ogm.Or(PersonCountry.Has(), PersonCity.Where(CityName.Eq("city1"))), 16},
		{"where with or inside", PersonCity.Where(ogm.Or(CityName.Eq("city0"), CityName.Eq("city1"))), 16},
		{"relationship property", PersonKnowsMatch(KnowsSince.Gt(t0)).Has(), 2},
		{"relationship property then node", PersonKnowsMatch(KnowsSince.Lte(t0)).Where(PersonName.Eq("p1")), 1},
		{"relationship property, no match", PersonKnowsMatch(KnowsSince.Gt(t0.AddDate(9, 0, 0))).Has(), 0},
		{"nested path filter", PersonKnows.Where(PersonCity.Where(CityName.Eq("city2"))), 1},
	}
	for _, c := range cases {
		n, err := PersonNodes(db).Filter(c.pred).Count(ctx)
		if err != nil || n != c.want {
			t.Errorf("%s: %d, want %d (%v)", c.name, n, c.want, err)
		}
	}
	// A relationship manager's Match and Filter through a further hop.
	got, err := p0.Knows().Match(KnowsSince.Gt(t0)).All(ctx)
	if err != nil || len(got) != 1 || got[0].Name != "p2" {
		t.Fatalf("match: %v %v", got, err)
	}
	got, err = p0.Knows().Filter(PersonCity.Where(CityName.Eq("city1"))).All(ctx)
	if err != nil || len(got) != 1 || got[0].Name != "p1" {
		t.Fatalf("manager filter through a hop: %v %v", got, err)
	}
}

func TestTraverse(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 90, 6)
	cdb, c := counted(t, ctx)

	// Countries of the people older than 50: people 51..59 live in cities
	// 3, 4, 5, 0, 1, 2 …, so both countries.
	countries, err := ogm.Traverse(PersonNodes(cdb).Filter(PersonAge.Gt(50)), ogm.Then(PersonCity, CityCountry)).
		OrderBy(CountryCode.Asc()).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(countries) != 2 || countries[0].Code != "DE" || countries[1].Code != "US" {
		t.Fatalf("countries: %+v", countries)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries", len(q))
	}
	// Each target once, however many paths reach it; the result filters,
	// counts and fetches like any node set.
	if n, _ := ogm.Traverse(PersonNodes(cdb), PersonCity).Count(ctx); n != 6 {
		t.Fatalf("cities of everyone: %d", n)
	}
	cities, err := ogm.Traverse(PersonNodes(cdb).Filter(PersonName.In("p1", "p2")), PersonCity).
		FetchRelations(CityCountry).OrderBy(CityName.Asc()).All(ctx)
	if err != nil || len(cities) != 2 || cities[0].Fetched.Country.Code != "US" || cities[1].Fetched.Country.Code != "DE" {
		t.Fatalf("cities of p1, p2: %+v %v", cities, err)
	}
	// The source's order and window pick the start nodes: the two youngest
	// people (p0, p60) live in city0, and only there.
	cities, err = ogm.Traverse(PersonNodes(cdb).OrderBy(PersonAge.Asc(), PersonName.Asc()).Limit(2), PersonCity).All(ctx)
	if err != nil || len(cities) != 1 || cities[0].Name != "city0" {
		t.Fatalf("cities of the two youngest: %+v %v", cities, err)
	}
	// Reverse direction, and a traversal of a traversal.
	inhabitants, err := ogm.Traverse(CountryNodes(cdb).Filter(CountryCode.Eq("US")), CountryInhabitant).Count(ctx)
	if err != nil || inhabitants != 30 {
		t.Fatalf("inhabitants of US: %d %v", inhabitants, err)
	}
	twice := ogm.Traverse(ogm.Traverse(PersonNodes(cdb).Filter(PersonName.Eq("p3")), PersonCity), CityCountry)
	if k, err := twice.Get(ctx); err != nil || k.Code != "US" {
		t.Fatalf("traverse twice: %+v %v", k, err)
	}
	// A traversal from a relationship manager's targets.
	p3 := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p3")))
	p4 := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p4")))
	if err := p3.Knows().Connect(ctx, p4); err != nil {
		t.Fatal(err)
	}
	codes := []string{}
	for k, err := range ogm.Traverse(p3.Knows().Filter(PersonAge.Gt(0)), ogm.Then(PersonCity, CityCountry)).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, k.Code)
	}
	sort.Strings(codes)
	if strings.Join(codes, ",") != "DE" {
		t.Fatalf("country of p3's friends: %v", codes)
	}
}

// TestMergeRule: without `multiple`, a second Connect between the same two
// nodes changes nothing; with it, each Connect is a new relationship.
func TestMergeRule(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	ann := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Ann"}))
	rome := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Rome"}))
	t0 := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		// Only the first creates; the others find it and say so.
		if err := jim.Knows().Connect(ctx, ann, &Knows{Since: t0.AddDate(i, 0, 0)}); (i == 0) != (err == nil) || (i > 0 && !errors.Is(err, ogm.ErrAlreadyConnected)) {
			t.Fatalf("connect %d: %v", i, err)
		}
		if err := jim.Visited().Connect(ctx, rome, &Visit{On: t0.AddDate(i, 0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	knows, err := jim.Knows().AllRelationships(ctx, ann)
	if err != nil || len(knows) != 1 || !knows[0].Since.Equal(t0) {
		t.Fatalf("knows: %d relationships, %v", len(knows), err)
	}
	// Undirected: connecting from the other end finds the same one.
	if err := ann.Knows().Connect(ctx, jim); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatal(err)
	}
	if n, _ := ann.Knows().Count(ctx); n != 1 {
		t.Fatalf("ann knows %d", n)
	}
	visits, err := jim.Visited().AllRelationships(ctx, rome)
	if err != nil || len(visits) != 3 {
		t.Fatalf("visits: %d %v", len(visits), err)
	}
	if n, _ := jim.Visited().Count(ctx); n != 1 {
		t.Fatalf("three visits are one target: %d", n)
	}
	if _, err := db.Cypher(ctx, "MATCH (:Person)-[v:VISITED]->() DELETE v", nil); err != nil {
		t.Fatal(err)
	}
}

// A fetch tree with to-many and optional branches, in one query: each
// country with its inhabitants (and each inhabitant's partner, where there
// is one) and its capital (with the capital's country, where there is one).
func TestFetchTreeBranches(t *testing.T) {
	ctx, db := fixture(t)
	toOneWorld(t, ctx, db)
	cdb, c := counted(t, ctx)
	rows, err := CountryNodes(cdb).
		FetchRelations(CountryInhabitant.With(ogm.Optional(PersonPartner)), ogm.Optional(CountryCapital.With(CityCountry))).
		OrderBy(CountryCode.Asc()).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries", len(q))
	}
	var got []string
	for _, k := range rows {
		capital := "-"
		if cap := k.Fetched.Capital; cap != nil {
			capital = cap.Name + " in " + cap.Fetched.Country.Code
		}
		var people []string
		for _, p := range k.Fetched.Inhabitant {
			s := p.Name
			if p.Fetched.Partner != nil {
				s += "+" + p.Fetched.Partner.Name
			}
			people = append(people, s)
		}
		slices.Sort(people)
		got = append(got, fmt.Sprintf("%s (%s): %s", k.Code, capital, strings.Join(people, " ")))
	}
	want := []string{
		"DE (Berlin in DE): p00+p01 p04+p05 p08+p09 p12 p16 p20 p24 p28 p32 p36",
		"FR (-): p02+p03 p06+p07 p10+p11 p14 p18 p22 p26 p30 p34 p38",
		"US (Washington in US): p01+p00 p05+p04 p09+p08 p13 p17 p21 p25 p29 p33 p37",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
