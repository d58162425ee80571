package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// TestInspect runs the example against the real database: a fresh
// inspection of its graph gives the committed movies/schema.yaml and the
// committed generated code (run fails otherwise), the committed package
// reads the graph, and the graph is gone afterwards.
func TestInspect(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	var out strings.Builder
	if err := run(ctx, db, "", &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"loaded a movies graph: 5 movies, 7 actors, 5 directors\n",
		"inferred 3 node types and 3 relationship types:\n# Schema inferred from the database by gonode inspect-database.\n",
		"      acted_in: {to: Movie, type: ACTED_IN, cardinality: one_or_more, model: ActedInRel, reverse: actor_acted_in}",
		"generated package movies: Actor, Director, Movie\n",
		"the inferred schema and its code are the committed package movies\n",
		"released in 2003: The Matrix Reloaded\nreleased in 2012: Cloud Atlas\nreleased in 2014: John Wick\n",
		"Keanu Reeves (born 1964) played John Wick in John Wick, Neo in The Matrix, Neo in The Matrix Reloaded\n",
		"Lana Wachowski directed Cloud Atlas, The Matrix, The Matrix Reloaded\n",
		"Tony Scott directed Top Gun\n",
		"The Matrix Reloaded is a sequel of The Matrix\n",
		"The Matrix: Carrie-Anne Moss, Hugo Weaving, Keanu Reeves, Laurence Fishburne\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "deleted the movies graph\n") {
		t.Errorf("output does not end with the clean-up:\n%s", got)
	}
	res, err := db.Cypher(ctx, "MATCH (n) WHERE n:Movie OR n:Actor OR n:Director RETURN count(n)", nil)
	if err != nil || res.Rows[0][0] != int64(0) {
		t.Errorf("graph left behind: %v %v", res, err)
	}
}
