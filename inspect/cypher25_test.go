package inspect_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// A database set to Cypher 25 (Neo4j 2025.06 and later) names the types
// of db.schema.nodeTypeProperties in Cypher ("STRING NOT NULL") instead of
// Java ("String"); inspect must read both the same. The server is asked
// under both languages for one node with a value of each kind.
func TestProcTypesUnderCypher25(t *testing.T) {
	db := testenv.Open(t)
	ctx := context.Background()
	if _, err := db.Cypher(ctx, "CYPHER 25 RETURN 1", nil); err != nil {
		// 5.26 LTS has Cypher 5 only; make test's run on the current
		// release line (test-current) covers this.
		t.Skipf("the server has no Cypher 25: %v", err)
	}
	l := testenv.Label(t)
	t.Cleanup(func() { db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") DELETE n", nil) })
	if _, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(l)+" {s: 'x', i: 1, f: 1.5, b: true, d: date(), dt: datetime(), ldt: localdatetime(), lt: localtime(), t: time(), du: duration('P1D'), p: point({x: 1, y: 2}), ls: ['a'], li: [1]})", nil); err != nil {
		t.Fatal(err)
	}
	read := func(lang string) map[string]string {
		res, err := db.Cypher(ctx, lang+" CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, propertyTypes WHERE $l IN nodeLabels RETURN propertyName, propertyTypes", map[string]any{"l": l})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, row := range res.Rows {
			var ts []string
			for _, x := range row[1].([]any) {
				ts = append(ts, inspect.ProcType(x.(string)))
			}
			out[row[0].(string)] = strings.Join(ts, ",")
		}
		return out
	}
	five, twentyFive := read("CYPHER 5"), read("CYPHER 25")
	if len(five) != 13 {
		t.Fatalf("Cypher 5 read %d properties: %v", len(five), five)
	}
	for k, v := range five {
		if twentyFive[k] != v {
			t.Errorf("%s: Cypher 5 %q, Cypher 25 %q", k, v, twentyFive[k])
		}
	}
}
