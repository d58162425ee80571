package people_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

func cityNames(cs []*City) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// TestFetchOrderedLimited: each person with their two latest visits, the
// visits paired with their cities; fewer visits than the limit; an order
// of the targets; the refusals.
func TestFetchOrderedLimited(t *testing.T) {
	ctx, db := fixture(t)
	seedFeed(t, ctx, db)
	// A second visit of Bob to c2, on the day of his first one to c1
	// (visited is multiple): ties are broken by the relationship's id.
	bob := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("Bob")))
	c2 := must[*City](t)(CityNodes(db).Get(ctx, CityName.Eq("c2")))
	if err := bob.Visited().Connect(ctx, c2, &Visit{On: day(2024, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	cdb, c := counted(t, ctx)

	latest := ogm.OrderByRel(PersonVisited, VisitType, VisitOn.Desc()).Limit(2)
	ps := must[[]*Person](t)(PersonNodes(cdb).FetchRelations(ogm.Optional(latest)).OrderBy(PersonName.Asc()).All(ctx))
	if q := c.take(); len(q) != 1 || !strings.Contains(q[0], "COLLECT {") {
		t.Fatalf("queries %q", q)
	}
	got := map[string]string{}
	for _, p := range ps {
		cities, rels := p.Fetched.Visited, p.Fetched.VisitedRels
		if len(cities) != len(rels) {
			t.Fatalf("%s: %d cities, %d visits", p.Name, len(cities), len(rels))
		}
		var s []string
		for i := range cities {
			if rels[i].EndID() != cities[i].ElementID() || rels[i].StartID() != p.ElementID() {
				t.Fatalf("%s: visit %d is not to %s", p.Name, i, cities[i].Name)
			}
			s = append(s, fmt.Sprintf("%s@%d", cities[i].Name, rels[i].On.Day()))
		}
		got[p.Name] = strings.Join(s, " ")
	}
	// Bob's c1@1 and c2@1 tie: the lower relationship element id first.
	c1 := must[*City](t)(CityNodes(db).Get(ctx, CityName.Eq("c1")))
	first, tied := "", ""
	for _, city := range []*City{c1, c2} {
		for _, v := range must[[]*Visit](t)(bob.Visited().AllRelationships(ctx, city)) {
			if v.On.Day() == 1 && (first == "" || v.ElementID() < first) {
				first, tied = v.ElementID(), city.Name
			}
		}
	}
	c.take()
	want := map[string]string{"Ann": "", "Bob": "c2@3 " + tied + "@1", "Cid": "c3@3 c1@2", "Dee": "c4@9"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("fetched %v, want %v", got, want)
	}

	// Without Optional the path filters: Ann (no visit) is left out.
	ps = must[[]*Person](t)(PersonNodes(cdb).FetchRelations(latest).OrderBy(PersonName.Asc()).All(ctx))
	if g := names(ps); !slices.Equal(g, []string{"Bob", "Cid", "Dee"}) {
		t.Fatalf("required %v", g)
	}
	// With a root Limit as well (the EXISTS test path of the plan).
	ps = must[[]*Person](t)(PersonNodes(cdb).FetchRelations(latest).OrderBy(PersonName.Asc()).Limit(1).All(ctx))
	if len(ps) != 1 || ps[0].Name != "Bob" || len(ps[0].Fetched.Visited) != 2 {
		t.Fatalf("limited %v", names(ps))
	}

	// An order of the targets' own properties, and a Limit alone.
	ann := must[*Person](t)(PersonNodes(cdb).FetchRelations(PersonKnows.OrderBy(PersonName.Desc()).Limit(1)).
		Get(ctx, PersonName.Eq("Ann")))
	if g := names(ann.Fetched.Knows); !slices.Equal(g, []string{"Cid"}) || len(ann.Fetched.KnowsRels) != 1 {
		t.Fatalf("Ann knows %v", g)
	}
	bob = must[*Person](t)(PersonNodes(cdb).FetchRelations(PersonVisited.OrderBy(CityName.Asc()).Limit(5)).
		Get(ctx, PersonName.Eq("Bob")))
	if g := cityNames(bob.Fetched.Visited); !slices.Equal(g, []string{"c1", "c2", "c2"}) {
		t.Fatalf("Bob visited %v", g)
	}
	// Nested: the people Ann knows, each with their latest visit.
	ann = must[*Person](t)(PersonNodes(cdb).FetchRelations(
		PersonKnows.OrderBy(PersonName.Asc()).With(ogm.OrderByRel(PersonVisited, VisitType, VisitOn.Desc()).Limit(1))).
		Get(ctx, PersonName.Eq("Ann")))
	var nested []string
	for _, k := range ann.Fetched.Knows {
		nested = append(nested, k.Name+":"+strings.Join(cityNames(k.Fetched.Visited), ","))
	}
	if !slices.Equal(nested, []string{"Bob:c2", "Cid:c3"}) {
		t.Fatalf("nested %v", nested)
	}

	// An ordered fetch below a plain one (Bob's first visits tie: the
	// lower id again), and a plain one below an ordered one.
	ann = must[*Person](t)(PersonNodes(cdb).FetchRelations(
		PersonKnows.With(ogm.OrderByRel(PersonVisited, VisitType, VisitOn.Asc()).Limit(1))).
		Get(ctx, PersonName.Eq("Ann")))
	got = map[string]string{}
	for _, k := range ann.Fetched.Knows {
		got[k.Name] = strings.Join(cityNames(k.Fetched.Visited), ",")
	}
	if fmt.Sprint(got) != fmt.Sprint(map[string]string{"Bob": tied, "Cid": "c1"}) {
		t.Fatalf("plain, then ordered: %v", got)
	}
	ann = must[*Person](t)(PersonNodes(cdb).FetchRelations(
		PersonKnows.OrderBy(PersonName.Desc()).Limit(1).With(PersonVisited)).
		Get(ctx, PersonName.Eq("Ann")))
	if len(ann.Fetched.Knows) != 1 || ann.Fetched.Knows[0].Name != "Cid" || len(ann.Fetched.Knows[0].Fetched.Visited) != 2 {
		t.Fatalf("ordered, then plain: %v", names(ann.Fetched.Knows))
	}

	// Refused: the wrong model, a negative limit, an order in a filter.
	refused := []func() error{
		func() error {
			_, err := PersonNodes(db).FetchRelations(ogm.OrderByRel(PersonVisited, KnowsType, KnowsSince.Asc())).All(ctx)
			return err
		},
		func() error { _, err := PersonNodes(db).FetchRelations(PersonVisited.Limit(-1)).All(ctx); return err },
		func() error {
			_, err := PersonNodes(db).FetchRelations(ogm.OrderByRel(PersonVisited, nil, VisitOn.Asc())).All(ctx)
			return err
		},
		func() error { _, err := PersonNodes(db).Filter(PersonVisited.Limit(1).Has()).All(ctx); return err },
		func() error {
			_, err := ogm.Traverse(PersonNodes(db), PersonKnows.OrderBy(PersonName.Asc())).All(ctx)
			return err
		},
	}
	for i, call := range refused {
		if err := call(); !errors.Is(err, ogm.ErrValidation) {
			t.Errorf("refusal %d: %v", i, err)
		}
	}
}

// TestFetchOrderedOneQuery: 1,000 roots with three visits each, the two
// latest of each in one query.
func TestFetchOrderedOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 1000, 10)
	if _, err := db.Cypher(ctx, `
		MATCH (p:Person), (c:City)
		WITH p, c, toInteger(substring(p.name, 1)) AS i, toInteger(substring(c.name, 4)) AS j
		WHERE j IN [i % 10, (i + 1) % 10, (i + 2) % 10]
		CREATE (p)-[:VISITED {on: date({year: 2024, month: 1, day: 1 + (j + 10 - i % 10) % 10})}]->(c)`, nil); err != nil {
		t.Fatal(err)
	}
	cdb, c := counted(t, ctx)
	ps, err := PersonNodes(cdb).FetchRelations(ogm.OrderByRel(PersonVisited, VisitType, VisitOn.Desc()).Limit(2)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries for 1,000 roots", len(q))
	}
	if len(ps) != 1000 {
		t.Fatalf("%d roots", len(ps))
	}
	for _, p := range ps {
		var i int
		fmt.Sscanf(p.Name, "p%d", &i)
		// Visits on days 1, 2, 3 to cities i, i+1, i+2: the latest two are
		// i+2 (day 3), then i+1 (day 2).
		want := []string{fmt.Sprintf("city%d", (i+2)%10), fmt.Sprintf("city%d", (i+1)%10)}
		if g := cityNames(p.Fetched.Visited); !slices.Equal(g, want) || p.Fetched.VisitedRels[0].On.Day() != 3 {
			t.Fatalf("%s: %v, want %v", p.Name, g, want)
		}
	}
}
