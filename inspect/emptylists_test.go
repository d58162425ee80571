package inspect_test

// Empty lists beside lists of another element type: the procedures report
// an empty list as a list of strings; Database asks whether a non-empty
// list of strings is really stored, so both ways of reading properties
// give the same types and a key of integer lists with some empty ones is
// not mistaken for a mix of integers and strings.

import (
	"context"
	"reflect"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

func TestDatabaseEmptyListsBesideOthers(t *testing.T) {
	db := testenv.Open(t)
	ctx := context.Background()
	l := testenv.Label(t)
	rel := "EMPTYLISTS_" + l
	q := ogm.Quote
	if _, err := db.Cypher(ctx, "CREATE (a:"+q(l)+" {xs: [1, 2], zs: [1]})-[:"+q(rel)+" {rs: [1.5]}]->(b:"+q(l)+" {xs: [], zs: ['a']}), (b)-[:"+q(rel)+" {rs: []}]->(a)", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Cypher(ctx, "MATCH (n:"+q(l)+") DETACH DELETE n", nil) })
	want := map[string][]string{
		"xs": {"LIST<INTEGER>", "LIST<NOTHING>"},
		"zs": {"LIST<INTEGER>", "LIST<STRING>"}, // really strings: kept
	}
	for _, mode := range []string{"cypher", "procedures"} {
		t.Run(mode, func(t *testing.T) {
			opts := inspect.Options{Labels: []string{l}}
			inspect.SetScan(&opts, mode)
			s, err := inspect.Database(ctx, db, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Nodes) != 1 {
				t.Fatalf("nodes %+v", s.Nodes)
			}
			got := map[string][]string{}
			for _, p := range s.Nodes[0].Properties {
				got[p.Key] = p.Types
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("types %v, want %v", got, want)
			}
			var rs []string
			for _, r := range s.RelTypes {
				for _, p := range r.Properties {
					if p.Key == "rs" {
						rs = p.Types
					}
				}
			}
			if !reflect.DeepEqual(rs, []string{"LIST<FLOAT>", "LIST<NOTHING>"}) {
				t.Errorf("relationship property types %v", rs)
			}
		})
	}
}
