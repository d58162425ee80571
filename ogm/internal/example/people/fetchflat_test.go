package people_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// toOneWorld creates 40 people along to-one relationships only: person i is
// from country i%4 (DE, US, FR, none); DE's capital is Berlin and US's is
// Washington (each in its country), FR has none; people 2k and 2k+1 are
// partners for k < 6, met in year 2000+k.
func toOneWorld(t *testing.T, ctx context.Context, db *ogm.DB) {
	t.Helper()
	_, err := db.Cypher(ctx, `
		CREATE (de:Country {code: 'DE'}), (us:Country {code: 'US'}), (:Country {code: 'FR'})
		CREATE (de)-[:HAS_CAPITAL]->(:City {name: 'Berlin'})-[:FROM_COUNTRY]->(de)
		CREATE (us)-[:HAS_CAPITAL]->(:City {name: 'Washington'})-[:FROM_COUNTRY]->(us)
		WITH count(*) AS _
		UNWIND range(0, 39) AS i
		CREATE (p:Person {name: 'p' + right('0' + i, 2), age: i, uid: 'u' + i})
		WITH p, i
		OPTIONAL MATCH (k:Country {code: ['DE', 'US', 'FR'][i % 4]})
		FOREACH (_ IN CASE WHEN k IS NULL THEN [] ELSE [1] END | CREATE (p)-[:IS_FROM]->(k))
		WITH count(*) AS _
		UNWIND range(0, 5) AS k
		MATCH (a:Person {age: 2 * k}), (b:Person {age: 2 * k + 1})
		CREATE (a)-[:PARTNER_OF {since: datetime({year: 2000 + k})}]->(b)`, nil)
	if err != nil {
		t.Fatal(err)
	}
}

// describe renders a person with everything FetchRelations may have set.
func describe(p *Person) string {
	var b strings.Builder
	b.WriteString(p.Name)
	if k := p.Fetched.Country; k != nil {
		b.WriteString(" from " + k.Code)
		if c := k.Fetched.Capital; c != nil {
			b.WriteString(" capital " + c.Name)
			if cc := c.Fetched.Country; cc != nil {
				b.WriteString(" in " + cc.Code)
			}
		}
	}
	if q := p.Fetched.Partner; q != nil {
		b.WriteString(" partner " + q.Name)
		if r := p.Fetched.PartnerRels; r != nil {
			fmt.Fprintf(&b, " since %d", r.Since.Year())
		}
	}
	return b.String()
}

// TestFetchRelationsFlatPlan checks the flat plan of to-one fetches
// against the nested plan, which Iter always uses: both must return the
// same nodes, in the same order when ordered, with the same fetched values.
func TestFetchRelationsFlatPlan(t *testing.T) {
	ctx, db := fixture(t)
	toOneWorld(t, ctx, db)
	cdb, c := counted(t, ctx)
	since := time.Date(2002, 6, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		q       *ogm.Nodes[*Person]
		ordered bool
		want    int
	}{
		{"required three hops", PersonNodes(cdb).FetchRelations(PersonCountry.With(CountryCapital.With(CityCountry))), false, 20},
		{"optional three hops", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital.With(CityCountry)))), false, 40},
		{"optional under required", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital)), PersonCountry), false, 30},
		{"relationship objects", PersonNodes(cdb).FetchRelations(PersonPartner, ogm.Optional(PersonCountry)), false, 12},
		{"relationship condition", PersonNodes(cdb).FetchRelations(PersonPartnerMatch(KnowsSince.Gt(since))), false, 6},
		{"optional relationship condition", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonPartnerMatch(KnowsSince.Gt(since)))), false, 40},
		{"filter order skip limit", PersonNodes(cdb).Filter(PersonAge.Lt(30)).
			FetchRelations(PersonCountry.With(CountryCapital), ogm.Optional(PersonPartner)).
			OrderBy(PersonAge.Desc(), PersonName.Asc()).Skip(3).Limit(7), true, 7},
		{"skip only", PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital))).OrderBy(PersonName.Asc()).Skip(35), true, 5},
		{"limit past the end", PersonNodes(cdb).FetchRelations(PersonPartner).OrderBy(PersonName.Desc()).Limit(100), true, 12},
		{"optional branch of a required hop", PersonNodes(cdb).FetchRelations(PersonCountry.With(ogm.Optional(CountryCapital.With(CityCountry)))), false, 30},
		{"two branches", PersonNodes(cdb).FetchRelations(PersonCountry.With(CountryCapital), ogm.Optional(PersonPartner)), false, 20},
		{"Then", PersonNodes(cdb).FetchRelations(ogm.Then(ogm.Then(PersonCountry, CountryCapital), CityCountry)), false, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.q.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			q := c.take()
			if len(q) != 1 || strings.Contains(q[0], " | [") {
				t.Fatalf("want one flat query, got %q", q)
			}
			var want []*Person
			for p, err := range tc.q.Iter(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, p)
			}
			if q := c.take(); len(q) != 1 || !strings.Contains(q[0], " | [") {
				t.Fatalf("Iter did not use the nested plan: %q", q)
			}
			g, w := mapSlice(got, describe), mapSlice(want, describe)
			if !tc.ordered {
				slices.Sort(g)
				slices.Sort(w)
			}
			if len(g) != tc.want || !slices.Equal(g, w) {
				t.Fatalf("flat plan:\n%s\nnested plan:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
		})
	}

	// A traversed node set (each country once, however many people reach
	// it) fetches flat as well.
	countries, err := ogm.Traverse(PersonNodes(cdb).Filter(PersonAge.Lt(10)), PersonCountry).
		FetchRelations(CountryCapital.With(CityCountry)).OrderBy(CountryCode.Asc()).All(ctx)
	if q := c.take(); err != nil || len(q) != 1 || strings.Contains(q[0], " | [") {
		t.Fatalf("traversed: %v %q", err, q)
	}
	if got := mapSlice(countries, func(k *Country) string {
		return k.Code + " " + k.Fetched.Capital.Name + " " + k.Fetched.Capital.Fetched.Country.Code
	}); !slices.Equal(got, []string{"DE Berlin DE", "US Washington US"}) {
		t.Fatalf("traversed: %q", got)
	}

	// Spot checks of the values themselves, so that both plans being wrong
	// in the same way cannot pass.
	p, err := PersonNodes(db).FetchRelations(PersonCountry.With(CountryCapital.With(CityCountry)), ogm.Optional(PersonPartner)).Get(ctx, PersonName.Eq("p04"))
	if err != nil || describe(p) != "p04 from DE capital Berlin in DE partner p05 since 2002" {
		t.Fatalf("p04: %q %v", describe(p), err)
	}
	p, err = PersonNodes(db).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital)), ogm.Optional(PersonPartner)).Get(ctx, PersonName.Eq("p03"))
	if err != nil || describe(p) != "p03 partner p02 since 2001" || p.Fetched.Country != nil {
		t.Fatalf("p03: %q %v", describe(p), err)
	}
	p, err = PersonNodes(db).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital))).Get(ctx, PersonName.Eq("p02"))
	if err != nil || describe(p) != "p02 from FR" {
		t.Fatalf("p02: %q %v", describe(p), err)
	}
	if _, err := PersonNodes(db).FetchRelations(PersonCountry.With(CountryCapital)).Get(ctx, PersonName.Eq("p02")); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("p02 has no capital: %v", err)
	}

	// Random order with a limit: distinct people, each with its own values.
	seen := map[string]bool{}
	for range 5 {
		rows, err := PersonNodes(db).FetchRelations(ogm.Optional(PersonCountry)).OrderBy(ogm.Random[*Person]()).Limit(4).All(ctx)
		if err != nil || len(rows) != 4 {
			t.Fatalf("random: %d rows %v", len(rows), err)
		}
		for _, p := range rows {
			var i int
			fmt.Sscanf(p.Name, "p%d", &i)
			want := []string{"DE", "US", "FR", ""}[i%4]
			if got := p.Fetched.Country; (got == nil) != (want == "") || got != nil && got.Code != want {
				t.Fatalf("random: %s", describe(p))
			}
			seen[p.Name] = true
		}
	}
	if len(seen) <= 4 {
		t.Fatalf("random order returned the same %d people five times", len(seen))
	}
}

// TestFetchRelationsFlatPlanBrokenToOne: a to-one relationship stored twice
// behind gonode's back repeats a node in the flat plan's rows; FetchRelations
// must still report it as a CardinalityError naming the relationship and the
// node, also when a Limit would cut the repeated row off.
func TestFetchRelationsFlatPlanBrokenToOne(t *testing.T) {
	ctx, db := fixture(t)
	toOneWorld(t, ctx, db)
	cdb, c := counted(t, ctx)
	broken := func(t *testing.T, err error, owner, rel string, found int) {
		t.Helper()
		var ce *ogm.CardinalityError
		if !errors.As(err, &ce) || ce.Found != found || ce.NodeID != owner ||
			ce.Rel.Owner+"."+ce.Rel.Name != rel {
			t.Fatalf("got %v; want %s found %d on %s", err, rel, found, owner)
		}
	}
	id := func(q string) string {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(string)
	}

	// A second country, then a second relationship to the same country.
	p04 := id("MATCH (p:Person {name: 'p04'}), (k:Country {code: 'US'}) CREATE (p)-[:IS_FROM]->(k) RETURN elementId(p)")
	_, err := PersonNodes(cdb).FetchRelations(PersonCountry).All(ctx)
	broken(t, err, p04, "Person.country", 2)
	if q := c.take(); len(q) != 2 {
		t.Fatalf("%d queries; want the flat one, then the nested one", len(q))
	}
	_, err = PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry)).OrderBy(PersonName.Asc()).Skip(4).Limit(1).All(ctx)
	broken(t, err, p04, "Person.country", 2)
	if rows, err := PersonNodes(cdb).FetchRelations(PersonCountry).Filter(PersonAge.Gt(4)).All(ctx); err != nil || len(rows) != 26 {
		t.Fatalf("the broken node filtered out: %d rows %v", len(rows), err)
	}
	c.take()
	id("MATCH (p:Person {name: 'p04'})-[r:IS_FROM]->(:Country {code: 'US'}) DELETE r RETURN elementId(p)")
	id("MATCH (p:Person {name: 'p04'}), (k:Country {code: 'DE'}) CREATE (p)-[:IS_FROM]->(k) RETURN elementId(p)")
	_, err = PersonNodes(cdb).FetchRelations(PersonCountry).All(ctx)
	broken(t, err, p04, "Person.country", 2)

	// A second capital, one hop further: reported on the country.
	id("MATCH (p:Person {name: 'p04'})-[r:IS_FROM]->() WITH p, r LIMIT 1 DELETE r RETURN elementId(p)")
	de := id("MATCH (k:Country {code: 'DE'}) CREATE (k)-[:HAS_CAPITAL]->(:City {name: 'Bonn'})-[:FROM_COUNTRY]->(k) RETURN elementId(k)")
	_, err = PersonNodes(cdb).FetchRelations(ogm.Optional(PersonCountry.With(CountryCapital)), ogm.Optional(PersonPartner)).Limit(3).All(ctx)
	broken(t, err, de, "Country.capital", 2)
	_, err = PersonNodes(cdb).Filter(PersonName.Eq("p00")).FetchRelations(PersonCountry.With(CountryCapital.With(CityCountry))).All(ctx)
	broken(t, err, de, "Country.capital", 2)
	if rows, err := PersonNodes(cdb).FetchRelations(PersonCountry.With(CountryCapital)).Filter(PersonName.Eq("p01")).All(ctx); err != nil || len(rows) != 1 {
		t.Fatalf("a person from the other country: %d rows %v", len(rows), err)
	}
}

func mapSlice[T, U any](s []T, f func(T) U) []U {
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
