package people_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// ring seeds a KNOWS cycle a-b-c-d-a (undirected) with e hanging off d;
// the d-e friendship is the only one since 2020.
func ring(t *testing.T, ctx context.Context, db *ogm.DB) map[string]*Person {
	t.Helper()
	ps := map[string]*Person{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		ps[n] = must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: n}))
	}
	old := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, pair := range [][2]string{{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}, {"d", "e"}} {
		since := old
		if pair == [2]string{"d", "e"} {
			since = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if err := ps[pair[0]].Knows().Connect(ctx, ps[pair[1]], &Knows{Since: since}); err != nil {
			t.Fatal(err)
		}
	}
	return ps
}

func sortedNames(ps []*Person) []string {
	n := names(ps)
	sort.Strings(n)
	return n
}

func TestRepeatTraverse(t *testing.T) {
	ctx, db := fixture(t)
	ring(t, ctx, db)
	cdb, c := counted(t, ctx)
	from := func(n string) *ogm.Nodes[*Person] { return PersonNodes(cdb).Filter(PersonName.Eq(n)) }

	cases := []struct {
		from     string
		min, max int
		want     []string
	}{
		{"a", 1, 1, []string{"b", "d"}},
		// c is reached two ways, once in the result; a is not its own
		// friend of a friend (that would use the a-b relationship twice).
		{"a", 1, 2, []string{"b", "c", "d", "e"}},
		// Around the cycle, a reaches itself.
		{"a", 1, 4, []string{"a", "b", "c", "d", "e"}},
		{"a", 2, 2, []string{"c", "e"}},
		{"a", 0, 1, []string{"a", "b", "d"}},
		{"e", 1, 10, []string{"a", "b", "c", "d"}},
		{"f", 1, 3, []string{}},
	}
	for _, k := range cases {
		got := must[[]*Person](t)(ogm.Traverse(from(k.from), ogm.Repeat(PersonKnows, k.min, k.max)).All(ctx))
		if g := sortedNames(got); !slices.Equal(g, k.want) {
			t.Errorf("%s *%d..%d: %v, want %v", k.from, k.min, k.max, g, k.want)
		}
		if q := c.take(); len(q) != 1 || !strings.Contains(q[0], "*"+strconv.Itoa(k.min)+".."+strconv.Itoa(k.max)+"]") {
			t.Fatalf("queries %q", q)
		}
	}

	// A relationship condition holds for every relationship of the path:
	// only d-e is recent, so from e, only d is reached.
	recent := ogm.Repeat(PersonKnowsMatch(KnowsSince.Gte(time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))), 1, 3)
	if g := sortedNames(must[[]*Person](t)(ogm.Traverse(from("e"), recent).All(ctx))); !slices.Equal(g, []string{"d"}) {
		t.Fatalf("recent from e: %v", g)
	}
	// Then after a repeated hop, and a filter on the target.
	fof := ogm.Traverse(from("e"), ogm.Repeat(PersonKnows, 1, 2)).Filter(PersonName.In("a", "b", "c"))
	if g := sortedNames(must[[]*Person](t)(fof.All(ctx))); !slices.Equal(g, []string{"a", "c"}) {
		t.Fatalf("fof of e: %v", g)
	}
}

func TestRepeatWhereHas(t *testing.T) {
	ctx, db := fixture(t)
	ring(t, ctx, db)
	// People with e exactly two KNOWS away: a and c (through d).
	two := ogm.Repeat(PersonKnows, 2, 2)
	got := must[[]*Person](t)(PersonNodes(db).Filter(two.Where(PersonName.Eq("e"))).All(ctx))
	if g := sortedNames(got); !slices.Equal(g, []string{"a", "c"}) {
		t.Fatalf("e two away: %v", g)
	}
	// Has and HasNot: f knows nobody, at any distance.
	has := sortedNames(must[[]*Person](t)(PersonNodes(db).Filter(ogm.Repeat(PersonKnows, 1, 3).Has()).All(ctx)))
	hasNot := sortedNames(must[[]*Person](t)(PersonNodes(db).Filter(ogm.Repeat(PersonKnows, 1, 3).HasNot()).All(ctx)))
	if !slices.Equal(has, []string{"a", "b", "c", "d", "e"}) || !slices.Equal(hasNot, []string{"f"}) {
		t.Fatalf("has %v, has not %v", has, hasNot)
	}
	// Count with a repeated path condition: three KNOWS from e (whose one
	// friend is d) end at b only (b-a-d-e, b-c-d-e).
	if n := must[int](t)(PersonNodes(db).Filter(ogm.Repeat(PersonKnows, 3, 3).Where(PersonName.Eq("e"))).Count(ctx)); n != 1 {
		t.Fatalf("%d people three away from e", n)
	}

	// Refused before anything is sent: too long, unbounded-like, a chain,
	// repeated twice, fetched.
	refused := []func() error{
		func() error {
			_, err := ogm.Traverse(PersonNodes(db), ogm.Repeat(PersonKnows, 1, ogm.MaxRepeat+1)).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Traverse(PersonNodes(db), ogm.Repeat(PersonKnows, 2, 1)).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Traverse(PersonNodes(db), ogm.Repeat(PersonKnows, -1, 1)).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Traverse(PersonNodes(db), ogm.Repeat(ogm.Then(PersonKnows, PersonKnows), 1, 2)).All(ctx)
			return err
		},
		func() error {
			_, err := PersonNodes(db).Filter(ogm.Repeat(ogm.Repeat(PersonKnows, 1, 2), 1, 2).Has()).Count(ctx)
			return err
		},
		func() error {
			_, err := PersonNodes(db).FetchRelations(ogm.Repeat(PersonKnows, 1, 2)).All(ctx)
			return err
		},
	}
	for i, call := range refused {
		err := call()
		if !errors.Is(err, ogm.ErrValidation) {
			t.Errorf("refusal %d: %v", i, err)
		}
	}
	err := refused[0]()
	if !strings.Contains(err.Error(), "MaxRepeat") {
		t.Fatalf("message %q", err)
	}
}

// TestRepeatOneQuery: friends of friends of 1,000 people in one query.
func TestRepeatOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 1000, 10)
	// p(i) knows p(i+1): a ring of 1,000 (cycles everywhere at length 1,000).
	if _, err := db.Cypher(ctx, `
		MATCH (a:Person), (b:Person)
		WHERE toInteger(substring(b.name, 1)) = (toInteger(substring(a.name, 1)) + 1) % 1000
		CREATE (a)-[:KNOWS {since: datetime()}]->(b)`, nil); err != nil {
		t.Fatal(err)
	}
	cdb, c := counted(t, ctx)
	n, err := ogm.Traverse(PersonNodes(cdb), ogm.Repeat(PersonKnows, 1, 3)).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries", len(q))
	}
	if n != 1000 {
		t.Fatalf("%d reached", n)
	}
	got := must[[]*Person](t)(ogm.Traverse(PersonNodes(cdb).Filter(PersonName.Eq("p0")), ogm.Repeat(PersonKnows, 1, 3)).All(ctx))
	if g := sortedNames(got); !slices.Equal(g, []string{"p1", "p2", "p3", "p997", "p998", "p999"}) {
		t.Fatalf("from p0: %v", g)
	}
	with := must[int](t)(PersonNodes(cdb).Filter(ogm.Repeat(PersonKnows, 2, 2).Where(PersonName.Eq("p500"))).Count(ctx))
	if q := c.take(); len(q) != 2 || with != 2 {
		t.Fatalf("%d with p500 two away, %d queries", with, len(q))
	}
}

// TestRepeatDirected: FOLLOWS is directed, with a cycle a→b→c→a and c→d;
// followers is its reverse (incoming).
func TestRepeatDirected(t *testing.T) {
	ctx, db := fixture(t)
	ps := map[string]*Person{}
	for _, n := range []string{"a", "b", "c", "d"} {
		ps[n] = must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: n}))
	}
	for _, pair := range [][2]string{{"a", "b"}, {"b", "c"}, {"c", "a"}, {"c", "d"}} {
		if err := ps[pair[0]].Follows().Connect(ctx, ps[pair[1]]); err != nil {
			t.Fatal(err)
		}
	}
	from := func(n string) *ogm.Nodes[*Person] { return PersonNodes(db).Filter(PersonName.Eq(n)) }
	cases := []struct {
		from     string
		path     *ogm.Path[*Person, *Person]
		min, max int
		want     []string
	}{
		{"a", PersonFollows, 1, 2, []string{"b", "c"}},
		{"a", PersonFollows, 1, 10, []string{"a", "b", "c", "d"}},
		{"d", PersonFollows, 1, 10, []string{}},
		{"a", PersonFollowers, 1, 2, []string{"b", "c"}},
		{"d", PersonFollowers, 1, 10, []string{"a", "b", "c"}},
	}
	for _, k := range cases {
		got := must[[]*Person](t)(ogm.Traverse(from(k.from), ogm.Repeat(k.path, k.min, k.max)).All(ctx))
		if g := sortedNames(got); !slices.Equal(g, k.want) {
			t.Errorf("%s *%d..%d: %v, want %v", k.from, k.min, k.max, g, k.want)
		}
	}
	// Who reaches d within two follows: b (b→c→d) and c.
	got := must[[]*Person](t)(PersonNodes(db).Filter(ogm.Repeat(PersonFollows, 1, 2).Where(PersonName.Eq("d"))).All(ctx))
	if g := sortedNames(got); !slices.Equal(g, []string{"b", "c"}) {
		t.Fatalf("reach d: %v", g)
	}
}
