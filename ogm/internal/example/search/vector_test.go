package search_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/search"
)

// corpus is the graph the vector tests search: 150 documents with random
// vectors, a third of them with an author, and 120 citations with vectors
// of their own.
type corpus struct {
	docs []*Doc
	cits []*Citation
}

var topics = []string{"go", "rust", "py"}

// seedCorpus wipes the search labels, installs the schema's indexes and
// writes the corpus (the same every run: a fixed seed). The wipe runs
// again when the test ends.
func seedCorpus(t *testing.T, ctx context.Context, db *ogm.DB) corpus {
	t.Helper()
	wipe := func() { db.Cypher(ctx, "MATCH (n) WHERE n:Doc OR n:Writer DETACH DELETE n", nil) }
	wipe()
	t.Cleanup(wipe)
	if _, err := ogm.InstallLabels(ctx, db, Schema); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cypher(ctx, "CALL db.awaitIndexes(300)", nil); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 1))
	vec := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.Float64()*2 - 1
		}
		return v
	}
	var c corpus
	for i := range 150 {
		c.docs = append(c.docs, &Doc{Title: "doc " + strconv.Itoa(i), Topic: topics[i%3], Rank: ogm.Ptr(i), Embedding: vec(8), Sketch: vec(3)})
	}
	if err := DocNodes(db).CreateMany(ctx, c.docs); err != nil {
		t.Fatal(err)
	}
	// The relationships in two queries (their Go values are what the
	// tests compare with; Connect is tested elsewhere).
	var authored []any
	for i, d := range c.docs {
		if i%3 == 1 {
			authored = append(authored, d.ElementID())
		}
	}
	if _, err := db.Cypher(ctx, "CREATE (w:Writer {name: 'Ann'}) WITH w UNWIND $ids AS id MATCH (d:Doc) WHERE elementId(d) = id CREATE (d)-[:WRITTEN_BY]->(w)", map[string]any{"ids": authored}); err != nil {
		t.Fatal(err)
	}
	var rows []any
	for i := range 120 {
		cit := &Citation{Note: "n" + strconv.Itoa(i%4), Embedding: vec(3)}
		c.cits = append(c.cits, cit)
		rows = append(rows, map[string]any{"a": c.docs[i].ElementID(), "b": c.docs[(i*7+3)%150].ElementID(), "note": cit.Note, "e": cit.Embedding})
	}
	res, err := db.Cypher(ctx, "UNWIND $rows AS row MATCH (a:Doc), (b:Doc) WHERE elementId(a) = row.a AND elementId(b) = row.b CREATE (a)-[r:CITES {note: row.note, embedding: row.e}]->(b) RETURN r",
		map[string]any{"rows": rows}, ogm.ResolveWith(ogm.NewRegistry(Schema)))
	if err != nil || len(res.Rows) != 120 {
		t.Fatalf("citations: %v", err)
	}
	for i, row := range res.Rows {
		c.cits[i] = row[0].(*Citation)
	}
	return c
}

// cosineScore and euclideanScore are Neo4j's scores, computed in Go.
func cosineScore(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	return (1 + dot/math.Sqrt(na*nb)) / 2
}

func euclideanScore(a, b []float64) float64 {
	var d float64
	for i := range a {
		d += (a[i] - b[i]) * (a[i] - b[i])
	}
	return 1 / (1 + d)
}

// hit is one expected result: an element id and its score.
type hit struct {
	id    string
	score float64
}

// ranking is the brute-force answer: the k best of cands by score.
func ranking[T any](cands []T, id func(T) string, vec func(T) []float64, q []float64, score func(a, b []float64) float64, k int) []hit {
	var out []hit
	for _, c := range cands {
		out = append(out, hit{id(c), score(vec(c), q)})
	}
	slices.SortFunc(out, func(a, b hit) int {
		if a.score > b.score {
			return -1
		}
		if a.score < b.score {
			return 1
		}
		return 0
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// above keeps the hits scoring at least min.
func above(hs []hit, min float64) []hit {
	return slices.DeleteFunc(slices.Clone(hs), func(h hit) bool { return h.score < min })
}

// keep keeps the hits whose id passes ok.
func keep(hs []hit, ok func(string) bool) []hit {
	return slices.DeleteFunc(slices.Clone(hs), func(h hit) bool { return !ok(h.id) })
}

// sameRanking compares a search's results with the brute-force ranking:
// the same scores in the same order (the index scores float32 copies:
// 1e-5), and each node the one with that score (ties aside).
func sameRanking(t *testing.T, what string, got []hit, want []hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d results, want %d\n got %v\nwant %v", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		if math.Abs(got[i].score-want[i].score) > 1e-5 {
			t.Errorf("%s: result %d scores %v, want %v", what, i, got[i].score, want[i].score)
			return
		}
		if got[i].id != want[i].id && (i+1 >= len(want) || math.Abs(want[i].score-want[i+1].score) > 1e-5) && (i == 0 || math.Abs(want[i].score-want[i-1].score) > 1e-5) {
			t.Errorf("%s: result %d is %s, want %s", what, i, got[i].id, want[i].id)
		}
	}
}

// likeRanking checks an index search's results against the exact ranking
// want: the index (HNSW) is approximate, so it may miss a neighbour, but
// every result must be a candidate (passing the filters), carry its true
// score (truth: the Go-computed scores by id), come in score order, and
// the results must hold most of want (recall at least 0.8, rounded down)
// and no more than k.
func likeRanking(t *testing.T, what string, got []hit, want []hit, k int, truth map[string]float64, pass func(string) bool) {
	t.Helper()
	if len(got) > k {
		t.Errorf("%s: %d results for k %d", what, len(got), k)
	}
	for i, g := range got {
		s, ok := truth[g.id]
		if !ok || !pass(g.id) {
			t.Errorf("%s: result %d (%s) is not a candidate", what, i, g.id)
			continue
		}
		if math.Abs(s-g.score) > 1e-5 {
			t.Errorf("%s: result %d scores %v, its true score is %v", what, i, g.score, s)
		}
		if i > 0 && got[i-1].score < g.score {
			t.Errorf("%s: result %d scores more than result %d", what, i, i-1)
		}
	}
	in := map[string]bool{}
	for _, g := range got {
		in[g.id] = true
	}
	hit := 0
	for _, w := range want {
		if in[w.id] {
			hit++
		}
	}
	if hit < len(want)*4/5 {
		t.Errorf("%s: recall %d of %d\n got %v\nwant %v", what, hit, len(want), got, want)
	}
}

func docHits(rs []ogm.Scored[*Doc]) []hit {
	out := make([]hit, len(rs))
	for i, r := range rs {
		out[i] = hit{r.Node.ElementID(), r.Score}
	}
	return out
}

// scores are the true scores of cands against q, by element id.
func scores[T any](cands []T, id func(T) string, vec func(T) []float64, q []float64, score func(a, b []float64) float64) map[string]float64 {
	out := map[string]float64{}
	for _, c := range cands {
		out[id(c)] = score(vec(c), q)
	}
	return out
}

func everything(string) bool { return true }

// TestNearestMatchesBruteForce: Nearest's results equal the ranking
// computed in Go over the same 150 nodes, exactly with Exact, and by index
// as an approximate (HNSW) search does: true scores, in order, recall 0.8
// or better. For several k and minimum scores, cosine and euclidean, with
// and without filters (after the top k by index, before it with Exact),
// and with FetchRelations.
func TestNearestMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	c := seedCorpus(t, ctx, db)
	id := func(d *Doc) string { return d.ElementID() }
	emb := func(d *Doc) []float64 { return d.Embedding }
	sk := func(d *Doc) []float64 { return d.Sketch }
	byID := map[string]*Doc{}
	for _, d := range c.docs {
		byID[d.ElementID()] = d
	}
	isGo := func(id string) bool { return byID[id].Topic == "go" }
	authored := func(id string) bool { return *byID[id].Rank%3 == 1 }
	var goDocs, authoredDocs []*Doc
	for _, d := range c.docs {
		if d.Topic == "go" {
			goDocs = append(goDocs, d)
		}
		if *d.Rank%3 == 1 {
			authoredDocs = append(authoredDocs, d)
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 3 {
		q8, q3 := make([]float64, 8), make([]float64, 3)
		for i := range q8 {
			q8[i] = r.Float64()*2 - 1
		}
		for i := range q3 {
			q3[i] = r.Float64()*2 - 1
		}
		true8 := scores(c.docs, id, emb, q8, cosineScore)
		true3 := scores(c.docs, id, sk, q3, euclideanScore)
		for _, k := range []int{1, 5, 10, 40} {
			name := func(s string) string { return "trial " + strconv.Itoa(trial) + " k " + strconv.Itoa(k) + ": " + s }
			search := func(set *ogm.Nodes[*Doc], prop *ogm.ListProp[*Doc, float64], q []float64, opts ...ogm.SearchOption) []hit {
				t.Helper()
				got, err := set.Nearest(ctx, prop, q, k, opts...)
				if err != nil {
					t.Fatal(err)
				}
				return docHits(got)
			}
			all := ranking(c.docs, id, emb, q8, cosineScore, k)
			likeRanking(t, name("cosine index"), search(DocNodes(db), DocEmbedding, q8), all, k, true8, everything)
			// 50 candidates of 150 find the exact top k.
			sameRanking(t, name("cosine index, 50 candidates"), search(DocNodes(db), DocEmbedding, q8, ogm.Candidates(50)), all)
			sameRanking(t, name("cosine exact"), search(DocNodes(db), DocEmbedding, q8, ogm.Exact()), all)

			eu := ranking(c.docs, id, sk, q3, euclideanScore, k)
			likeRanking(t, name("euclidean index"), search(DocNodes(db), DocSketch, q3), eu, k, true3, everything)
			sameRanking(t, name("euclidean exact"), search(DocNodes(db), DocSketch, q3, ogm.Exact()), eu)

			for _, min := range []float64{0.5, 0.7, 0.9} {
				what := name("min score " + strconv.FormatFloat(min, 'g', -1, 64))
				got := search(DocNodes(db), DocEmbedding, q8, ogm.MinScore(min))
				likeRanking(t, what, got, above(all, min), k, true8, func(id string) bool { return true8[id] >= min })
				sameRanking(t, what, search(DocNodes(db), DocEmbedding, q8, ogm.MinScore(min), ogm.Exact()), above(all, min))
			}

			// Filters: after the top k by index, before it with Exact.
			goSet := DocNodes(db).Filter(DocTopic.Eq("go"))
			likeRanking(t, name("post-filter"), search(goSet, DocEmbedding, q8), keep(all, isGo), k, true8, isGo)
			sameRanking(t, name("pre-filter"), search(goSet, DocEmbedding, q8, ogm.Exact()), ranking(goDocs, id, emb, q8, cosineScore, k))

			// FetchRelations: a required path filters like a filter, and
			// the authors are loaded.
			fetched := DocNodes(db).FetchRelations(DocAuthor)
			for _, exact := range []bool{false, true} {
				got, err := fetched.Nearest(ctx, DocEmbedding, q8, k)
				if exact {
					got, err = fetched.Nearest(ctx, DocEmbedding, q8, k, ogm.Exact())
				}
				if err != nil {
					t.Fatal(err)
				}
				if exact {
					sameRanking(t, name("fetch exact"), docHits(got), ranking(authoredDocs, id, emb, q8, cosineScore, k))
				} else {
					likeRanking(t, name("fetch"), docHits(got), keep(all, authored), k, true8, authored)
				}
				for _, g := range got {
					if a, err := g.Node.Fetched.AuthorOrErr(); err != nil || a == nil || a.Name != "Ann" {
						t.Errorf("%s: author of %s: %v %v", name("fetch"), g.Node.Title, a, err)
					}
				}
			}
		}
	}
}

// TestNearestRelsMatchesBruteForce: NearestRels over the Citation vectors
// equals the ranking computed in Go (exactly with Exact, as an approximate
// search by index), also with a condition on the model's properties.
func TestNearestRelsMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	c := seedCorpus(t, ctx, db)
	id := func(x *Citation) string { return x.ElementID() }
	emb := func(x *Citation) []float64 { return x.Embedding }
	byID := map[string]*Citation{}
	for _, x := range c.cits {
		byID[x.ElementID()] = x
	}
	var n1 []*Citation
	for _, x := range c.cits {
		if x.Note == "n1" {
			n1 = append(n1, x)
		}
	}
	isN1 := func(id string) bool { return byID[id].Note == "n1" }
	hits := func(rs []ogm.Scored[*Citation]) []hit {
		out := make([]hit, len(rs))
		for i, r := range rs {
			out[i] = hit{r.Node.ElementID(), r.Score}
			if r.Node.StartID() == "" || r.Node.EndID() == "" {
				t.Errorf("result %d is not bound to its ends", i)
			}
		}
		return out
	}
	q := []float64{0.3, -0.2, 0.9}
	truth := scores(c.cits, id, emb, q, cosineScore)
	for _, k := range []int{1, 7, 30} {
		name := "k " + strconv.Itoa(k) + ": "
		search := func(path *ogm.Path[*Doc, *Doc], opts ...ogm.SearchOption) []hit {
			t.Helper()
			got, err := ogm.NearestRels(ctx, db, path, CitationEmbedding, q, k, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return hits(got)
		}
		all := ranking(c.cits, id, emb, q, cosineScore, k)
		likeRanking(t, name+"index", search(DocCites), all, k, truth, everything)
		sameRanking(t, name+"index, 60 candidates", search(DocCites, ogm.Candidates(60)), all)
		sameRanking(t, name+"exact", search(DocCites, ogm.Exact()), all)
		n1Path := DocCitesMatch(CitationNote.Eq("n1"))
		likeRanking(t, name+"post-filter", search(n1Path), keep(all, isN1), k, truth, isN1)
		// With enough candidates, post-filtering finds the filtered top k.
		sameRanking(t, name+"post-filter, 120 candidates", search(n1Path, ogm.Candidates(120)), ranking(n1, id, emb, q, cosineScore, k))
		sameRanking(t, name+"pre-filter", search(n1Path, ogm.Exact(), ogm.MinScore(0.6)), above(ranking(n1, id, emb, q, cosineScore, k), 0.6))
	}
}

// TestNearestRefusesBeforeSending: a vector of the wrong length, one
// holding NaN, a k below 1 and an order on the set fail with ErrValidation
// and send nothing; the values of a search are parameters, never in the
// query text, even hostile ones.
func TestNearestRefusesBeforeSending(t *testing.T) {
	ctx := context.Background()
	obs := &observed{}
	db := testenv.Open(t, ogm.WithObserver(obs.observe))
	for name, call := range map[string]func() error{
		"short vector": func() error { _, err := DocNodes(db).Nearest(ctx, DocEmbedding, []float64{1, 2}, 3); return err },
		"NaN": func() error {
			_, err := DocNodes(db).Nearest(ctx, DocSketch, []float64{1, math.NaN(), 2}, 3)
			return err
		},
		"k 0": func() error { _, err := DocNodes(db).Nearest(ctx, DocSketch, []float64{1, 2, 3}, 0); return err },
		"ordered": func() error {
			_, err := DocNodes(db).OrderBy(DocTitle.Asc()).Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3)
			return err
		},
		"limited": func() error {
			_, err := DocNodes(db).Limit(2).Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3)
			return err
		},
		"rel short": func() error {
			_, err := ogm.NearestRels(ctx, db, DocCites, CitationEmbedding, []float64{1}, 3)
			return err
		},
	} {
		if err := call(); !errorsIs(err, ogm.ErrValidation) {
			t.Errorf("%s: err %v, want ErrValidation", name, err)
		}
	}
	if q := obs.take(); len(q) != 0 {
		t.Fatalf("queries sent: %q", q)
	}

	hostile := "go' OR 1=1 //\"}) RETURN n //"
	vec := []float64{0.123456789, -98765.4321, 3.1415926}
	for _, opts := range [][]ogm.SearchOption{{ogm.MinScore(0.4242)}, {ogm.Exact(), ogm.MinScore(0.4242)}} {
		if _, err := DocNodes(db).Filter(DocTopic.Eq(hostile)).Nearest(ctx, DocSketch, vec, 17, opts...); err != nil {
			t.Fatal(err)
		}
		if _, err := ogm.NearestRels(ctx, db, DocCitesMatch(CitationNote.Eq(hostile)), CitationEmbedding, vec, 17, opts...); err != nil {
			t.Fatal(err)
		}
	}
	texts := obs.take()
	if len(texts) != 4 {
		t.Fatalf("%d queries, want 4", len(texts))
	}
	for _, text := range texts {
		for _, v := range []string{hostile, "1=1", "0.123456789", "98765", "0.4242", "17", "vector_index_"} {
			if strings.Contains(text, v) {
				t.Errorf("%q in the query text: %s", v, text)
			}
		}
	}
}

// TestNearestWithoutIndex: searching a vector property whose index does
// not exist is ErrNoIndex, by name; Exact needs no index, and searches a
// relationship's targets, which an index search refuses.
func TestNearestWithoutIndex(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	c := seedCorpus(t, ctx, db)
	// A relationship's targets: Exact ranks them; the index cannot.
	cited := c.docs[0].Cites().Filter()
	if _, err := cited.Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3); !errorsIs(err, ogm.ErrValidation) {
		t.Errorf("index search of a relationship's targets: %v, want ErrValidation", err)
	}
	targets, err := c.docs[0].Cites().All(ctx)
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets %v %v", targets, err)
	}
	got, err := cited.Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3, ogm.Exact())
	if err != nil || len(got) != len(targets) || got[0].Node.ElementID() != targets[0].ElementID() {
		t.Fatalf("exact search of the targets: %v %v, want %v", got, err, targets)
	}
	if _, err := db.Cypher(ctx, "DROP INDEX vector_index_Doc_sketch", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ogm.InstallLabels(ctx, db, Schema) })
	_, err = DocNodes(db).Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3)
	if !errorsIs(err, ogm.ErrNoIndex) {
		t.Fatalf("err %v, want ErrNoIndex", err)
	}
	got, err = DocNodes(db).Nearest(ctx, DocSketch, []float64{1, 2, 3}, 3, ogm.Exact())
	if err != nil || len(got) != 3 {
		t.Fatalf("exact without the index: %d results, %v", len(got), err)
	}
}

// TestVectorLengthOnWrite: a node or relationship whose vector has another
// length than its index's dimensions is refused with ErrValidation (the
// index would leave it out of every search) and nothing is written.
func TestVectorLengthOnWrite(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	wipe := func() { db.Cypher(ctx, "MATCH (n) WHERE n:Doc OR n:Writer DETACH DELETE n", nil) }
	wipe()
	t.Cleanup(wipe)
	bad := &Doc{Title: "short", Embedding: make([]float64, 7)}
	_, err := DocNodes(db).Create(ctx, bad)
	var ves ogm.ValidationErrors
	if !errorsIs(err, ogm.ErrValidation) || !errors.As(err, &ves) || len(ves) != 1 || ves[0].Rule != "dimensions" || ves[0].Prop != "embedding" {
		t.Fatalf("7 of 8 dimensions: %v", err)
	}
	if n, _ := DocNodes(db).Count(ctx); n != 0 || bad.ElementID() != "" {
		t.Fatalf("written: %d nodes, id %q", n, bad.ElementID())
	}
	a, err := DocNodes(db).Create(ctx, &Doc{Title: "a", Embedding: make([]float64, 8)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DocNodes(db).Create(ctx, &Doc{Title: "b"}) // no vector: not indexed, allowed
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Cites().Connect(ctx, b, &Citation{Embedding: []float64{1, 2}}); !errorsIs(err, ogm.ErrValidation) {
		t.Fatalf("citation of 2 of 3 dimensions: %v", err)
	}
	if n, _ := a.Cites().Count(ctx); n != 0 {
		t.Fatalf("%d citations written", n)
	}
}
