package inspect_test

// Empty strings: "" is a STRING like any other, and a key every node
// (relationship) has is marked EmptyString when some hold it as "", with
// both ways of reading properties.

import (
	"context"
	"reflect"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

func TestDatabaseEmptyStrings(t *testing.T) {
	db := testenv.Open(t)
	ctx := context.Background()
	l := testenv.Label(t)
	rel := "EMPTYSTRINGS_" + l
	q := ogm.Quote
	// name: every node, one "" (EmptyString); full: every node, no ""
	// (not); note: some nodes, one "" (not Required, so not looked for);
	// blank: only "" on every node (EmptyString).
	if _, err := db.Cypher(ctx, "CREATE (a:"+q(l)+" {name: 'a', full: 'x', note: '', blank: ''})-[:"+q(rel)+" {k: ''}]->"+
		"(b:"+q(l)+" {name: '', full: 'y', blank: ''}), (b)-[:"+q(rel)+" {k: 'v'}]->(a)", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Cypher(ctx, "MATCH (n:"+q(l)+") DETACH DELETE n", nil) })
	type got struct {
		Types       []string
		Required    bool
		EmptyString bool
	}
	str := []string{"STRING"}
	want := map[string]got{
		"name":  {str, true, true},
		"full":  {str, true, false},
		"note":  {str, false, false},
		"blank": {str, true, true},
		"k":     {str, true, true},
	}
	for _, mode := range []string{"cypher", "procedures"} {
		t.Run(mode, func(t *testing.T) {
			opts := inspect.Options{Labels: []string{l}}
			inspect.SetScan(&opts, mode)
			s, err := inspect.Database(ctx, db, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Nodes) != 1 || s.RelType(rel) == nil {
				t.Fatalf("nodes %+v, relationship types %+v", s.Nodes, s.RelTypes)
			}
			props := map[string]got{}
			for _, p := range append(s.Nodes[0].Properties, s.RelType(rel).Properties...) {
				props[p.Key] = got{p.Types, p.Required, p.EmptyString}
			}
			if !reflect.DeepEqual(props, want) {
				t.Errorf("properties %+v, want %+v", props, want)
			}
		})
	}
}
