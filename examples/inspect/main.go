// Inspect starts from a graph that has no schema file: it loads a small
// movies graph with Cypher (as another application would have), infers a
// schema from the data with inspect.Database and infer.YAML
// (what `gonode inspect-database` does), generates Go code from it, and uses
// that code.
//
// The inferred schema is committed as movies/schema.yaml and the code
// generated from it as the package movies, which this program imports; the
// program checks that a fresh inspection still gives exactly that schema,
// and the generated code exactly that package, so what is committed is
// what inspect-database writes. To refresh them:
//
//	go run ./examples/inspect -write examples/inspect/movies/schema.yaml
//	go generate ./examples/inspect/movies
//
// Run it with NEO4J_BOLT_URL set (or `tools/neo4j/with-neo4j go run
// ./examples/inspect`). The graph uses the labels Movie, Actor and Director:
// the program refuses to run when nodes with them exist, and deletes the
// graph at the end.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/examples/inspect/movies"
	"github.com/gonode/gonode/infer"
	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// The committed schema and the code generated from it.
var (
	//go:embed movies/schema.yaml
	committedSchema []byte
	//go:embed movies/schema_gonode.go
	committedCode []byte
)

func main() {
	write := flag.String("write", "", "write the inferred schema to this file instead of comparing it with movies/schema.yaml")
	flag.Parse()
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	if err := run(ctx, db, *write, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// labels are the labels of the movies graph.
var labels = []string{"Movie", "Actor", "Director"}

// run is the example: it loads the graph, inspects it, generates code from
// the inferred schema in memory and checks it against the committed package
// (or, with write set, writes the schema there), uses the committed
// package, and deletes the graph. It prints what it does to out.
func run(ctx context.Context, db *ogm.DB, write string, out io.Writer) (err error) {
	if err := refuseExisting(ctx, db); err != nil {
		return err
	}
	defer func() {
		if _, derr := db.Cypher(ctx, "MATCH (n) WHERE n:Movie OR n:Actor OR n:Director DETACH DELETE n", nil); derr != nil && err == nil {
			err = derr
		}
		if err == nil {
			fmt.Fprintln(out, "deleted the movies graph")
		}
	}()
	if err := loadMovies(ctx, db); err != nil {
		return err
	}
	fmt.Fprintln(out, "loaded a movies graph: 5 movies, 7 actors, 5 directors")
	text, err := inferSchema(ctx, db, out)
	if err != nil {
		return err
	}
	if write != "" {
		if err := os.WriteFile(write, text, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s; now run go generate on its package\n", write)
		return nil
	}
	if err := checkCommitted(text, out); err != nil {
		return err
	}
	if err := queryMovies(ctx, db, out); err != nil {
		return err
	}
	return fetchRelations(ctx, db, out)
}

// refuseExisting fails when the database has nodes with the graph's labels
// already: the inferred schema would describe them too, and the clean-up at
// the end would delete them.
func refuseExisting(ctx context.Context, db *ogm.DB) error {
	res, err := db.Cypher(ctx, "MATCH (n) WHERE n:Movie OR n:Actor OR n:Director RETURN count(n)", nil)
	if err != nil {
		return err
	}
	if n := res.Rows[0][0].(int64); n > 0 {
		return fmt.Errorf("the database has %d nodes labelled Movie, Actor or Director already; this example loads a graph of its own under these labels", n)
	}
	return nil
}

// inferSchema is what gonode inspect-database prints for the graph's
// labels: a schema file, which it prints to out and returns.
func inferSchema(ctx context.Context, db *ogm.DB, out io.Writer) ([]byte, error) {
	// gonode inspect-database --label Movie --label Actor --label Director --package movies
	dbs, err := inspect.Database(ctx, db, inspect.Options{Labels: labels})
	if err != nil {
		return nil, err
	}
	text, err := infer.YAML(dbs, infer.Options{Package: "movies"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "inferred %d node types and %d relationship types:\n%s", len(dbs.Nodes), len(dbs.RelTypes), text)
	return text, nil
}

// checkCommitted generates code from text in memory and fails unless the
// schema and the code are exactly what is committed as the package movies,
// which the rest of the program uses.
func checkCommitted(text []byte, out io.Writer) error {
	// gonode generate, in memory.
	s, err := schema.LoadBytes("schema.yaml", text)
	if err != nil {
		return err
	}
	files, err := codegen.Generate(s, codegen.Options{})
	if err != nil {
		return err
	}
	var types []string
	for _, n := range s.Roots()[0].Nodes {
		types = append(types, n.Name)
	}
	fmt.Fprintf(out, "generated package movies: %s\n", strings.Join(types, ", "))
	if err := same("the inferred schema", text, "movies/schema.yaml", committedSchema); err != nil {
		return err
	}
	if err := same("the generated code", files[0].Content, "movies/schema_gonode.go", committedCode); err != nil {
		return err
	}
	fmt.Fprintln(out, "the inferred schema and its code are the committed package movies")
	return nil
}

// queryMovies uses the committed package for a typed query on the graph.
func queryMovies(ctx context.Context, db *ogm.DB, out io.Writer) error {
	recent, err := movies.MovieNodes(db).Filter(movies.MovieReleased.Gte(2000)).OrderBy(movies.MovieReleased.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, m := range recent {
		fmt.Fprintf(out, "released in %d: %s\n", m.Released, m.Title)
	}
	return nil
}

// fetchRelations reads nodes with their relationships, one query each, with
// the relationship fields the inspection found: actors' roles, directors'
// movies and sequels; and a movie's cast through a reverse accessor. Lists are sorted, since the graph keeps no order.
func fetchRelations(ctx context.Context, db *ogm.DB, out io.Writer) error {
	// The roles are on the ACTED_IN relationships (the relationship model
	// ActedInRel), fetched with them into ActedInRels.
	keanu, err := movies.ActorNodes(db).Filter(movies.ActorName.Eq("Keanu Reeves")).FetchRelations(movies.ActorActedIn).Get(ctx)
	if err != nil {
		return err
	}
	var played []string
	for i, m := range keanu.Fetched.ActedIn {
		r := keanu.Fetched.ActedInRels[i]
		played = append(played, fmt.Sprintf("%s in %s", strings.Join(r.Roles, " and "), m.Title))
	}
	slices.Sort(played)
	fmt.Fprintf(out, "%s (born %d) played %s\n", keanu.Name, keanu.Born, strings.Join(played, ", "))
	directors, err := movies.DirectorNodes(db).FetchRelations(movies.DirectorDirected).OrderBy(movies.DirectorName.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, d := range directors {
		var titles []string
		for _, m := range d.Fetched.Directed {
			titles = append(titles, m.Title)
		}
		slices.Sort(titles)
		fmt.Fprintf(out, "%s directed %s\n", d.Name, strings.Join(titles, ", "))
	}
	sequels, err := movies.MovieNodes(db).FetchRelations(movies.MovieSequelOf).All(ctx)
	if err != nil {
		return err
	}
	for _, m := range sequels {
		fmt.Fprintf(out, "%s is a sequel of %s\n", m.Title, m.Fetched.SequelOf.Title)
	}
	// The reverse accessor inspection declares on the target of ACTED_IN
	// (actor_acted_in): a movie's cast, read from the movie's end.
	matrix, err := movies.MovieNodes(db).Filter(movies.MovieTitle.Eq("The Matrix")).Get(ctx)
	if err != nil {
		return err
	}
	cast, err := matrix.ActorActedIn().All(ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, a := range cast {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	fmt.Fprintf(out, "%s: %s\n", matrix.Title, strings.Join(names, ", "))
	return nil
}

// same fails with the first differing line when got is not want.
func same(what string, got []byte, file string, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Errorf("%s differs from the committed %s at line %d:\n  inferred:  %q\n  committed: %q", what, file, i+1, gl, wl)
		}
	}
	return fmt.Errorf("%s differs from the committed %s", what, file)
}

// loadMovies creates the graph with parameterised Cypher: movies (the
// tagline is optional), actors with their roles, directors, and one
// sequel.
func loadMovies(ctx context.Context, db *ogm.DB) error {
	type role struct {
		movie string
		roles []string
	}
	movie := func(title string, released int, tagline string) map[string]any {
		m := map[string]any{"title": title, "released": released}
		if tagline != "" {
			m["tagline"] = tagline
		}
		return m
	}
	person := func(name string, born int, roles ...role) map[string]any {
		var rs []any
		for _, r := range roles {
			var names []any
			for _, n := range r.roles {
				names = append(names, n)
			}
			rs = append(rs, map[string]any{"movie": r.movie, "roles": names})
		}
		return map[string]any{"name": name, "born": born, "roles": rs}
	}
	directed := func(name string, born int, titles ...string) map[string]any {
		var ts []any
		for _, t := range titles {
			ts = append(ts, t)
		}
		return map[string]any{"name": name, "born": born, "movies": ts}
	}
	params := map[string]any{
		"movies": []any{
			movie("The Matrix", 1999, "Welcome to the Real World"),
			movie("The Matrix Reloaded", 2003, "Free your mind"),
			movie("Cloud Atlas", 2012, "Everything is connected"),
			movie("John Wick", 2014, ""),
			movie("Top Gun", 1986, "I feel the need, the need for speed."),
		},
		"actors": []any{
			person("Keanu Reeves", 1964, role{"The Matrix", []string{"Neo"}}, role{"The Matrix Reloaded", []string{"Neo"}}, role{"John Wick", []string{"John Wick"}}),
			person("Carrie-Anne Moss", 1967, role{"The Matrix", []string{"Trinity"}}, role{"The Matrix Reloaded", []string{"Trinity"}}),
			person("Laurence Fishburne", 1961, role{"The Matrix", []string{"Morpheus"}}, role{"The Matrix Reloaded", []string{"Morpheus"}}),
			person("Hugo Weaving", 1960, role{"The Matrix", []string{"Agent Smith"}}, role{"The Matrix Reloaded", []string{"Agent Smith"}}, role{"Cloud Atlas", []string{"Bill Smoke", "Haskell Moore"}}),
			person("Tom Hanks", 1956, role{"Cloud Atlas", []string{"Zachry", "Dr. Henry Goose"}}),
			person("Halle Berry", 1966, role{"Cloud Atlas", []string{"Luisa Rey", "Jocasta Ayrs"}}),
			person("Tom Cruise", 1962, role{"Top Gun", []string{"Maverick"}}),
		},
		"directors": []any{
			directed("Lana Wachowski", 1965, "The Matrix", "The Matrix Reloaded", "Cloud Atlas"),
			directed("Lilly Wachowski", 1967, "The Matrix", "The Matrix Reloaded", "Cloud Atlas"),
			directed("Tom Tykwer", 1965, "Cloud Atlas"),
			directed("Chad Stahelski", 1968, "John Wick"),
			directed("Tony Scott", 1944, "Top Gun"),
		},
	}
	return db.Write(ctx, func(ctx context.Context) error {
		for _, q := range []string{
			"UNWIND $movies AS m CREATE (:Movie {title: m.title, released: m.released, tagline: m.tagline})",
			"UNWIND $actors AS p CREATE (a:Actor {name: p.name, born: p.born}) WITH a, p UNWIND p.roles AS r " +
				"MATCH (m:Movie {title: r.movie}) CREATE (a)-[:ACTED_IN {roles: r.roles}]->(m)",
			"UNWIND $directors AS p CREATE (d:Director {name: p.name, born: p.born}) WITH d, p UNWIND p.movies AS t " +
				"MATCH (m:Movie {title: t}) CREATE (d)-[:DIRECTED]->(m)",
			"MATCH (s:Movie {title: 'The Matrix Reloaded'}), (m:Movie {title: 'The Matrix'}) CREATE (s)-[:SEQUEL_OF]->(m)",
		} {
			if _, err := db.Cypher(ctx, q, params); err != nil {
				return err
			}
		}
		return nil
	})
}
