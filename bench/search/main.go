// Command search benchmarks gonode's similarity and full-text search
// against hand-written neo4j-go-driver v5 code (the floor), on the same
// server and data (issue #21): 10,000 documents with 384-dimension
// embeddings, the top 10 of a vector index query, and the top 10 of a
// full-text query, both decoded into structs.
//
//	go run ./bench/search [-db URL] [-queries 200] [-reps 5] [-o bench/RESULTS.md]
//
// It needs a running server ($NEO4J_BOLT_URL or -db); it writes its
// section of bench/RESULTS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/bench/search/model"
	"github.com/gonode/gonode/ogm"
)

const docs, dims, k = 10_000, 384, 10

var words = strings.Fields("graph node edge query index vector search planner cypher label property relation path match filter order limit score text token")

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/search:", err)
		os.Exit(1)
	}
}

// doc is the driver side's struct, as hand-written code would decode it.
type doc struct {
	Title, Body string
	Embedding   []float64
}

func docFrom(n dbtype.Node) doc {
	d := doc{}
	d.Title, _ = n.Props["title"].(string)
	d.Body, _ = n.Props["body"].(string)
	if l, ok := n.Props["embedding"].([]any); ok {
		d.Embedding = make([]float64, len(l))
		for i, x := range l {
			d.Embedding[i], _ = x.(float64)
		}
	}
	return d
}

func run() error {
	url := flag.String("db", os.Getenv("NEO4J_BOLT_URL"), "Bolt URL")
	queries := flag.Int("queries", 200, "queries per repetition")
	reps := flag.Int("reps", 5, "timed repetitions")
	out := flag.String("o", "bench/RESULTS.md", "results file ('' for stdout only)")
	flag.Parse()
	ctx := context.Background()
	db, err := ogm.Open(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	if err := load(ctx, db); err != nil {
		return err
	}
	defer db.Cypher(ctx, "MATCH (n:BenchSearchDoc) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", nil, ogm.AutoCommit())

	floor, err := benchutil.DialFloor(ctx, *url)
	if err != nil {
		return err
	}
	defer floor.Close(ctx)
	drv := floor.Driver

	r := rand.New(rand.NewPCG(3, 4))
	vecs := make([][]float64, *queries)
	texts := make([]string, *queries)
	for i := range vecs {
		vecs[i] = randVec(r)
		texts[i] = words[r.IntN(len(words))] + " OR " + words[r.IntN(len(words))]
	}
	nodes := model.SearchDocNodes(db)
	vector := side{
		gonode: func(i int) (int, error) {
			hits, err := nodes.Nearest(ctx, model.SearchDocEmbedding, vecs[i], k)
			return len(hits), err
		},
		driver: func(i int) (int, error) {
			return driverQuery(ctx, drv, "CALL db.index.vector.queryNodes($index, $k, $vector) YIELD node, score RETURN node, score ORDER BY score DESC",
				map[string]any{"index": "vector_index_BenchSearchDoc_embedding", "k": k, "vector": vecs[i]})
		},
	}
	fulltext := side{
		gonode: func(i int) (int, error) {
			hits, err := nodes.Search(ctx, model.SearchDocTextIndex, texts[i], k)
			return len(hits), err
		},
		driver: func(i int) (int, error) {
			return driverQuery(ctx, drv, "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score WITH node, score ORDER BY score DESC LIMIT $k RETURN node, score",
				map[string]any{"index": "fulltext_index_BenchSearchDoc_text", "query": texts[i], "k": k})
		},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Search (issue #21)\n\nWritten by `go run ./bench/search` on %s, server %s on the same shared 2-CPU machine. %d documents with %d-dimension embeddings (vector index, cosine, quantized: Neo4j's default) and a full-text index over title and body; each query returns the top %d decoded into structs (gonode: `Nearest` and `Search`, typed `[]ogm.Scored[*model.SearchDoc]`; driver: `ExecuteRead` with the same `CALL`, props decoded by hand). %d queries per repetition, 1 warm-up and %d timed repetitions, the sides interleaved query by query; medians.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), benchutil.ServerVersion(ctx, db), docs, dims, k, *queries, *reps)
	b.WriteString("| scenario | gonode median | driver median | gonode/driver time (target) |\n|---|---:|---:|---:|\n")
	for _, sc := range []struct {
		name string
		s    side
	}{{"vector top-10 of 10,000 × 384", vector}, {"full-text top-10 (two-word OR query)", fulltext}} {
		g, d, err := sc.s.measure(*queries, *reps)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		ratio := float64(g) / float64(d)
		mark := "✓"
		if ratio > 1.10 {
			mark = "✗"
		}
		fmt.Fprintf(&b, "| %s | %v | %v | %.2f× %s (≤1.10) |\n", sc.name, benchutil.Round(g), benchutil.Round(d), ratio, mark)
	}
	fmt.Print(b.String())
	if *out != "" {
		return benchutil.WriteSection(*out, "search", b.String())
	}
	return nil
}

// side is one scenario's two implementations of query i.
type side struct{ gonode, driver func(i int) (int, error) }

// measure interleaves the sides query by query and returns the median
// latency of each.
func (s side) measure(queries, reps int) (time.Duration, time.Duration, error) {
	var gs, ds []time.Duration
	for rep := 0; rep <= reps; rep++ {
		for i := range queries {
			for _, which := range []bool{rep%2 == 0, rep%2 != 0} {
				f := s.driver
				if which {
					f = s.gonode
				}
				start := time.Now()
				n, err := f(i)
				el := time.Since(start)
				if err != nil {
					return 0, 0, err
				}
				if n == 0 {
					return 0, 0, fmt.Errorf("query %d found nothing", i)
				}
				if rep == 0 {
					continue // warm-up
				}
				if which {
					gs = append(gs, el)
				} else {
					ds = append(ds, el)
				}
			}
		}
	}
	return benchutil.Median(gs), benchutil.Median(ds), nil
}

func randVec(r *rand.Rand) []float64 {
	v := make([]float64, dims)
	for i := range v {
		v[i] = r.Float64()*2 - 1
	}
	return v
}

// load writes the documents (once: a run finding them keeps them) and
// installs the indexes.
func load(ctx context.Context, db *ogm.DB) error {
	if _, err := ogm.InstallLabels(ctx, db, model.Schema); err != nil {
		return err
	}
	if n, err := model.SearchDocNodes(db).Count(ctx); err != nil || n == docs {
		return err
	}
	if _, err := db.Cypher(ctx, "MATCH (n:BenchSearchDoc) DETACH DELETE n", nil); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	for start := 0; start < docs; start += 1000 {
		batch := make([]*model.SearchDoc, 0, 1000)
		for i := start; i < start+1000; i++ {
			var body []string
			for range 12 {
				body = append(body, words[r.IntN(len(words))])
			}
			batch = append(batch, &model.SearchDoc{Title: fmt.Sprintf("doc %d %s", i, words[i%len(words)]), Body: strings.Join(body, " "), Embedding: randVec(r)})
		}
		if err := model.SearchDocNodes(db).CreateMany(ctx, batch); err != nil {
			return err
		}
	}
	_, err := db.Cypher(ctx, "CALL db.awaitIndexes(600)", nil)
	return err
}

// driverQuery runs text in a read transaction and decodes every row's node
// and score, as hand-written code would.
func driverQuery(ctx context.Context, drv neo4j.DriverWithContext, text string, params map[string]any) (int, error) {
	sess := drv.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		r, err := tx.Run(ctx, text, params)
		if err != nil {
			return nil, err
		}
		var out []hit
		for r.Next(ctx) {
			rec := r.Record()
			n, _ := rec.Values[0].(dbtype.Node)
			s, _ := rec.Values[1].(float64)
			out = append(out, hit{docFrom(n), s})
		}
		return out, r.Err()
	})
	if err != nil {
		return 0, err
	}
	return len(res.([]hit)), nil
}

// hit is one decoded result of the driver side.
type hit struct {
	d     doc
	score float64
}
