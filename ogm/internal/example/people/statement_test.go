package people_test

import (
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

func TestStatementIsWhatAllSends(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 30, 3)
	var mu sync.Mutex
	var sent []ogm.Query
	odb := testenv.Open(t, ogm.WithObserver(func(q ogm.Query) { mu.Lock(); sent = append(sent, q); mu.Unlock() }))
	take := func() []ogm.Query { mu.Lock(); defer mu.Unlock(); s := sent; sent = nil; return s }
	take()
	count := ogm.Count(PersonCity)
	for _, tc := range []struct {
		name string
		stmt func() (ogm.Statement, error)
		run  func() (int, error)
	}{
		{"filtered", PersonNodes(odb).Filter(PersonAge.Gt(3), PersonName.StartsWith("p1")).OrderBy(PersonName.Desc()).Skip(1).Limit(4).Statement,
			func() (int, error) {
				ps, err := PersonNodes(odb).Filter(PersonAge.Gt(3), PersonName.StartsWith("p1")).OrderBy(PersonName.Desc()).Skip(1).Limit(4).All(ctx)
				return len(ps), err
			}},
		{"flat fetch", PersonNodes(odb).FetchRelations(ogm.Optional(PersonCountry)).Limit(5).Statement,
			func() (int, error) {
				ps, err := PersonNodes(odb).FetchRelations(ogm.Optional(PersonCountry)).Limit(5).All(ctx)
				return len(ps), err
			}},
		{"nested fetch", PersonNodes(odb).FetchRelations(PersonCity.With(CityCountry)).Statement,
			func() (int, error) {
				ps, err := PersonNodes(odb).FetchRelations(PersonCity.With(CityCountry)).All(ctx)
				return len(ps), err
			}},
		{"annotated", ogm.Annotate(PersonNodes(odb).Filter(count.Gt(0)).OrderBy(count.Desc()), count).Statement,
			func() (int, error) {
				rs, err := ogm.Annotate(PersonNodes(odb).Filter(count.Gt(0)).OrderBy(count.Desc()), count).All(ctx)
				return len(rs), err
			}},
		{"group by", ogm.GroupByValue(PersonNodes(odb), PersonAge).Statement,
			func() (int, error) {
				gs, err := ogm.GroupByValue(PersonNodes(odb), PersonAge).All(ctx)
				return len(gs), err
			}},
	} {
		s, err := tc.stmt()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if q := take(); len(q) != 0 {
			t.Fatalf("%s: Statement sent %d queries", tc.name, len(q))
		}
		n, err := tc.run()
		if err != nil || n == 0 {
			t.Fatalf("%s: %d rows, %v", tc.name, n, err)
		}
		q := take()
		if len(q) != 1 || q[0].Text != s.Cypher || !reflect.DeepEqual(q[0].Params, s.Params) {
			t.Fatalf("%s: Statement\n%s %v\nbut All sent %+v", tc.name, s.Cypher, s.Params, q)
		}
		// The text runs as it is.
		res, err := db.ReadCypher(ctx, s.Cypher, s.Params)
		if err != nil || len(res.Rows) != n {
			t.Fatalf("%s: the statement ran with %v, %v rows; All returned %d", tc.name, err, res, n)
		}
	}
	// A query that cannot be sent has no statement either.
	if _, err := PersonNodes(odb).Filter(PersonName.Regex(string(make([]byte, ogm.MaxPatternLength+1)))).Statement(); err == nil {
		t.Fatal("Statement of a query refused before sending")
	}
}

func TestExplainAndProfile(t *testing.T) {
	ctx, db := fixture(t)
	world(t, ctx, db, 30, 3)
	nodes := PersonNodes(db).Filter(PersonAge.Lt(10)).FetchRelations(PersonCity)
	plan, err := nodes.Explain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Operator != "ProduceResults" || plan.Profiled || len(plan.Children) == 0 || plan.EstimatedRows <= 0 {
		t.Fatalf("explain: %+v", plan)
	}
	ops := map[string]bool{}
	plan.Walk(func(p *ogm.Plan) { ops[p.Operator] = true })
	if !ops["NodeByLabelScan"] && !ops["NodeIndexSeekByRange"] && !ops["NodeIndexScan"] {
		t.Fatalf("no scan of Person in %v", ops)
	}
	want := must[int](t)(PersonNodes(db).Filter(PersonAge.Lt(10)).Count(ctx))
	prof, err := nodes.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hits := int64(0)
	prof.Walk(func(p *ogm.Plan) { hits += p.DBHits })
	if prof.Operator != "ProduceResults" || !prof.Profiled || prof.Rows != int64(want) || hits == 0 {
		t.Fatalf("profile: root %s rows %d (want %d), %d db hits", prof.Operator, prof.Rows, want, hits)
	}
	// Both trees have every operator, each child once (the driver's
	// Plan.Children returns the last child n times: see bolt.rawPlan).
	tree := func(p *ogm.Plan) []string {
		var ops []string
		p.Walk(func(p *ogm.Plan) { ops = append(ops, p.Operator) })
		return ops
	}
	if e, p := tree(plan), tree(prof); !slices.Equal(e, p) {
		t.Fatalf("explain %v, profile %v", e, p)
	}
	count := ogm.Count(PersonKnows)
	ap, err := ogm.Annotate(PersonNodes(db).OrderBy(count.Desc()), count).Explain(ctx)
	if err != nil || ap.Operator != "ProduceResults" {
		t.Fatalf("explain of an aggregate: %v, %v", ap, err)
	}
	gp, err := ogm.GroupByValue(PersonNodes(db), PersonAge).Profile(ctx)
	if err != nil || gp.Operator != "ProduceResults" || gp.Rows != 30 {
		t.Fatalf("profile of a group-by (30 ages): %+v, %v", gp, err)
	}
}

func TestExplainOfAWriteDoesNotWrite(t *testing.T) {
	ctx, db := fixture(t)
	s := ogm.Statement{Cypher: "CREATE (p:Person {name: $name}) RETURN p", Params: map[string]any{"name": hostileName}}
	plan, err := db.Explain(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	creates := false
	plan.Walk(func(p *ogm.Plan) { creates = creates || p.Operator == "Create" })
	if plan.Operator != "ProduceResults" || !creates {
		t.Fatalf("plan of a CREATE: %+v", plan)
	}
	if n := must[int](t)(PersonNodes(db).Count(ctx)); n != 0 {
		t.Fatalf("Explain wrote %d nodes", n)
	}
	// Profile runs it.
	prof, err := db.Profile(ctx, s)
	if err != nil || prof.Rows != 1 {
		t.Fatalf("profile of a CREATE: %+v, %v", prof, err)
	}
	if n := must[int](t)(PersonNodes(db).Count(ctx)); n != 1 {
		t.Fatalf("Profile wrote %d nodes", n)
	}
}
