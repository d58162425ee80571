package people_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// feed is the fixture of the relationship-row tests: Ann knows Bob and
// Cid; Bob, Cid and Dee (whom Ann does not know) visited cities, Bob's c2
// and Cid's c3 on the same day.
type feed struct {
	p map[string]*Person
	c map[string]*City
}

func seedFeed(t *testing.T, ctx context.Context, db *ogm.DB) feed {
	t.Helper()
	f := feed{p: map[string]*Person{}, c: map[string]*City{}}
	for _, n := range []string{"Ann", "Bob", "Cid", "Dee"} {
		f.p[n] = must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: n}))
	}
	for _, n := range []string{"c1", "c2", "c3", "c4"} {
		f.c[n] = must[*City](t)(CityNodes(db).Create(ctx, &City{Name: n}))
	}
	for _, k := range []string{"Bob", "Cid"} {
		if err := f.p["Ann"].Knows().Connect(ctx, f.p[k]); err != nil {
			t.Fatal(err)
		}
	}
	visits := []struct {
		who, city string
		on        int
	}{{"Bob", "c1", 1}, {"Bob", "c2", 3}, {"Cid", "c3", 3}, {"Cid", "c1", 2}, {"Dee", "c4", 9}}
	for _, v := range visits {
		if err := f.p[v.who].Visited().Connect(ctx, f.c[v.city], &Visit{On: day(2024, 1, v.on)}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

type visitRow = ogm.RelRow[*Person, *Visit, *City]

func rowStrings(rows []visitRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s>%s@%d", r.Source.Name, r.Target.Name, r.Rel.On.Day())
	}
	return out
}

func TestRelRowsFeed(t *testing.T) {
	ctx, db := fixture(t)
	f := seedFeed(t, ctx, db)
	cdb, c := counted(t, ctx)

	// "The visits of the people Ann knows, newest first": one query.
	friends := ogm.Traverse(PersonNodes(cdb).Filter(PersonName.Eq("Ann")), PersonKnows)
	rows := ogm.Rows(friends, PersonVisited, VisitType).OrderByRel(VisitOn.Desc())
	all := must[[]visitRow](t)(rows.All(ctx))
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries: %q", len(q), q)
	}
	got := rowStrings(all)
	// Bob>c2 and Cid>c3 tie on the day: the relationship's element id
	// decides, the documented tie-break.
	tie := []string{"Bob>c2@3", "Cid>c3@3"}
	if all[0].Rel.ElementID() > all[1].Rel.ElementID() {
		tie[0], tie[1] = tie[1], tie[0]
	}
	want := append(tie, "Cid>c1@2", "Bob>c1@1")
	if !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	for _, r := range all {
		if r.Rel.StartID() != r.Source.ElementID() || r.Rel.EndID() != r.Target.ElementID() || r.Rel.RelType() != "VISITED" {
			t.Fatalf("row %s: relationship %s -> %s", r.Source.Name, r.Rel.StartID(), r.Rel.EndID())
		}
	}
	// The same order on every run (the tie-break is part of the query).
	for range 3 {
		if again := rowStrings(must[[]visitRow](t)(rows.All(ctx))); !slices.Equal(again, got) {
			t.Fatalf("rows %v, then %v", got, again)
		}
	}

	// Iter streams the same rows, and stops when the loop does.
	var streamed []visitRow
	for r, err := range rows.Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		streamed = append(streamed, r)
	}
	if g := rowStrings(streamed); !slices.Equal(g, got) {
		t.Fatalf("iter %v, want %v", g, got)
	}
	for r, err := range rows.Iter(ctx) {
		if err != nil || r.Source == nil {
			t.Fatal(r, err)
		}
		break
	}
	err := cdb.Read(ctx, func(ctx context.Context) error {
		n := 0
		for _, err := range rows.Limit(3).Iter(ctx) {
			if err != nil {
				return err
			}
			n++
		}
		if n != 3 {
			t.Errorf("%d rows in a transaction", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Pages of 2 cover the rows once each, in order.
	var paged []string
	for page := range 3 {
		p := must[[]visitRow](t)(rows.Skip(page * 2).Limit(2).All(ctx))
		paged = append(paged, rowStrings(p)...)
	}
	if !slices.Equal(paged, got) {
		t.Fatalf("pages %v, want %v", paged, got)
	}
	// Pages without an order are stable too (the tie-break alone).
	var unordered []string
	plain := ogm.Rows(friends, PersonVisited, VisitType)
	for page := range 4 {
		unordered = append(unordered, rowStrings(must[[]visitRow](t)(plain.Skip(page).Limit(1).All(ctx)))...)
	}
	sorted := slices.Clone(unordered)
	sort.Strings(sorted)
	w := slices.Clone(got)
	sort.Strings(w)
	if !slices.Equal(sorted, w) {
		t.Fatalf("unordered pages %v, want the rows %v", unordered, got)
	}

	if n := must[int](t)(rows.Count(ctx)); n != 4 {
		t.Fatalf("count %d", n)
	}
	if n := must[int](t)(rows.Skip(1).Limit(2).Count(ctx)); n != 2 {
		t.Fatalf("count of a page %d", n)
	}
	c.take()

	// Filters on the relationship and the target; order by target, then
	// source.
	recent := must[[]visitRow](t)(rows.FilterRel(VisitOn.Gte(day(2024, 1, 2))).All(ctx))
	if g := rowStrings(recent); len(g) != 3 || g[2] != "Cid>c1@2" {
		t.Fatalf("recent %v", g)
	}
	c1 := must[[]visitRow](t)(ogm.Rows(friends, PersonVisited, VisitType).FilterTarget(CityName.Eq("c1")).
		OrderBySource(PersonName.Desc()).All(ctx))
	if g := rowStrings(c1); !slices.Equal(g, []string{"Cid>c1@2", "Bob>c1@1"}) {
		t.Fatalf("c1 %v", g)
	}
	byCity := must[[]visitRow](t)(ogm.Rows(PersonNodes(cdb), PersonVisited, VisitType).
		OrderByTarget(CityName.Desc()).OrderByRel(VisitOn.Asc()).All(ctx))
	if g := rowStrings(byCity); !slices.Equal(g, []string{"Dee>c4@9", "Cid>c3@3", "Bob>c2@3", "Bob>c1@1", "Cid>c1@2"}) {
		t.Fatalf("by city %v", g)
	}

	// Several hops: Source is the start node, Rel the last relationship.
	via := must[[]visitRow](t)(ogm.Rows(PersonNodes(cdb).Filter(PersonName.Eq("Ann")),
		ogm.Then(PersonKnows, PersonVisited), VisitType).OrderByRel(VisitOn.Asc()).All(ctx))
	if g := rowStrings(via); !slices.Equal(g, []string{"Ann>c1@1", "Ann>c1@2", "Ann>c3@3", "Ann>c2@3"}) &&
		!slices.Equal(g, []string{"Ann>c1@1", "Ann>c1@2", "Ann>c2@3", "Ann>c3@3"}) {
		t.Fatalf("via %v", g)
	}
	_ = f

	// Statement shows the query without running it.
	c.take()
	var st ogm.Statement
	st, err = rows.Limit(20).Statement()
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 0 {
		t.Fatalf("Statement ran %d queries", len(q))
	}
	if !strings.Contains(st.Cypher, "ORDER BY r.`on` DESC, elementId(r), elementId(s)") || strings.Contains(st.Cypher, "Ann") {
		t.Fatalf("statement %s", st.Cypher)
	}
	if !slices.ContainsFunc(mapValues(st.Params), func(v any) bool { return v == "Ann" }) {
		t.Fatalf("params %v", st.Params)
	}
}

func mapValues(m map[string]any) []any {
	var out []any
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestRelRowsPlainAndKnows: a relationship without a model (ogm.PlainRel),
// an undirected one, and the refusals.
func TestRelRowsPlainAndKnows(t *testing.T) {
	ctx, db := fixture(t)
	f := seedFeed(t, ctx, db)
	if err := f.p["Bob"].City().Connect(ctx, f.c["c2"]); err != nil {
		t.Fatal(err)
	}
	lives := must[[]ogm.RelRow[*Person, *ogm.Rel, *City]](t)(ogm.Rows(PersonNodes(db), PersonCity, ogm.PlainRel).All(ctx))
	if len(lives) != 1 || lives[0].Source.Name != "Bob" || lives[0].Target.Name != "c2" || lives[0].Rel.RelType() != "LIVES_IN" {
		t.Fatalf("lives %+v", lives)
	}
	// KNOWS is undirected: each relationship is a row from both ends.
	knows := must[[]ogm.RelRow[*Person, *Knows, *Person]](t)(ogm.Rows(PersonNodes(db), PersonKnows, KnowsType).
		OrderBySource(PersonName.Asc()).OrderByTarget(PersonName.Asc()).All(ctx))
	var g []string
	for _, r := range knows {
		if r.Rel.Since.IsZero() {
			t.Fatalf("since unset: %+v", r.Rel)
		}
		g = append(g, r.Source.Name+"-"+r.Target.Name)
	}
	if !slices.Equal(g, []string{"Ann-Bob", "Ann-Cid", "Bob-Ann", "Cid-Ann"}) {
		t.Fatalf("knows %v", g)
	}

	// From one node: Ann's friendships, in the order they were made.
	ann := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("Ann")))
	mine := must[[]ogm.RelRow[*Person, *Knows, *Person]](t)(ogm.RowsOf(ann, PersonKnows, KnowsType).OrderByRel(KnowsSince.Asc()).All(ctx))
	if len(mine) != 2 || mine[0].Target.Name != "Bob" || mine[1].Target.Name != "Cid" || mine[0].Source.ElementID() != ann.ElementID() {
		t.Fatalf("Ann's friendships %+v", mine)
	}
	if _, err := ogm.RowsOf(&Person{Name: "new"}, PersonKnows, KnowsType).All(ctx); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("rows of an unsaved node: %v", err)
	}

	// The wrong model, a fetching node set, a repeated last hop: refused
	// before anything is sent.
	refused := []func() error{
		func() error { _, err := ogm.Rows(PersonNodes(db), PersonVisited, KnowsType).All(ctx); return err },
		func() error { _, err := ogm.Rows(PersonNodes(db), PersonCity, VisitType).Count(ctx); return err },
		func() error {
			_, err := ogm.Rows(PersonNodes(db), PersonVisited, (*ogm.RelType[Visit])(nil)).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Rows(PersonNodes(db).FetchRelations(PersonCity), PersonVisited, VisitType).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Rows(PersonNodes(db), ogm.Repeat(PersonKnows, 1, 2), KnowsType).All(ctx)
			return err
		},
		func() error {
			_, err := ogm.Rows(PersonNodes(db), PersonVisited.Limit(1), VisitType).Statement()
			return err
		},
	}
	for i, call := range refused {
		if err := call(); !errors.Is(err, ogm.ErrValidation) {
			t.Errorf("refusal %d: %v", i, err)
		}
	}
}

// TestRelRowsHostileValues: values reach the server as parameters only.
func TestRelRowsHostileValues(t *testing.T) {
	ctx, db := fixture(t)
	seedFeed(t, ctx, db)
	cdb, c := counted(t, ctx)
	hostile := "x' }) DETACH DELETE n //`"
	rows := must[[]visitRow](t)(ogm.Rows(PersonNodes(cdb).Filter(PersonName.Ne(hostile)), PersonVisited, VisitType).
		FilterTarget(CityName.Ne(hostile)).OrderByRel(VisitOn.Desc()).Limit(2).All(ctx))
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, q := range c.take() {
		if strings.Contains(q, "DETACH") {
			t.Fatalf("value in query text: %s", q)
		}
	}
}

// TestRelRowsOneQuery: 1,000 sources, their rows in one query.
func TestRelRowsOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 1000, 10)
	cdb, c := counted(t, ctx)
	rows, err := ogm.Rows(PersonNodes(cdb), PersonCity, ogm.PlainRel).OrderByTarget(CityName.Asc()).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries for 1,000 sources", len(q))
	}
	if len(rows) != 1000 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		var n int
		fmt.Sscanf(r.Source.Name, "p%d", &n)
		if r.Target.Name != fmt.Sprintf("city%d", n%10) || (i > 0 && rows[i-1].Target.Name > r.Target.Name) {
			t.Fatalf("row %d: %s in %s", i, r.Source.Name, r.Target.Name)
		}
	}
}

// Relationship rows have the server's plan too (issue #20, item 6): the
// plan of what All sends, and its profile with the rows it returned.
func TestRelRowsExplainAndProfile(t *testing.T) {
	ctx, db := fixture(t)
	seedFeed(t, ctx, db)
	rows := ogm.Rows(PersonNodes(db), PersonKnows, KnowsType).OrderByRel(KnowsSince.Desc())
	plan, err := rows.Explain(ctx)
	if err != nil || plan.Operator != "ProduceResults" || plan.Profiled {
		t.Fatalf("explain: %+v, %v", plan, err)
	}
	want := must[int](t)(rows.Count(ctx))
	prof, err := rows.Profile(ctx)
	if err != nil || !prof.Profiled || prof.Rows != int64(want) || want == 0 {
		t.Fatalf("profile: %+v (want %d rows), %v", prof, want, err)
	}
	if _, err := ogm.Rows(PersonNodes(db), PersonKnows, (*ogm.RelType[Knows])(nil)).Explain(ctx); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("explain of rows without their model: %v", err)
	}
}
