package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/search"
)

// seedTexts writes a few documents for the full-text tests (the text index
// is not eventually consistent: they are searchable once committed).
func seedTexts(t *testing.T, ctx context.Context, db *ogm.DB) map[string]*Doc {
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
	docs := []*Doc{
		{Title: "Running graphs", Body: "The planner runs every query", Topic: "go", Rank: ogm.Ptr(1)},
		{Title: "Runners", Body: "A runner ran the race", Topic: "rust", Rank: ogm.Ptr(2)},
		{Title: "Cooking", Body: "Boil the pasta", Topic: "go", Rank: ogm.Ptr(3)},
		{Title: "Query plans", Body: "How the planner chooses an index", Topic: "py", Rank: ogm.Ptr(4)},
		{Title: "Run, run, run", Body: "running runs run", Topic: "rust", Rank: ogm.Ptr(5)},
	}
	if err := DocNodes(db).CreateMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	w, err := WriterNodes(db).Create(ctx, &Writer{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	if err := docs[0].Author().Connect(ctx, w); err != nil {
		t.Fatal(err)
	}
	out := map[string]*Doc{}
	for _, d := range docs {
		out[d.Title] = d
	}
	return out
}

func titles(rs []ogm.Scored[*Doc]) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Node.Title
	}
	return out
}

// TestSearchFulltext: the english analyzer finds the forms of a word
// (stemming), over both properties of the index; results come best first
// with scores; filters apply before the k best are kept; MinScore drops
// weak matches; FetchRelations loads relationships.
func TestSearchFulltext(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	seedTexts(t, ctx, db)

	got, err := DocNodes(db).Search(ctx, DocTextIndex, "run", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Run, run, run", "Running graphs"} // "runs", "running" stem to run; "ran" and "runner" do not
	if ts := titles(got); len(ts) != 2 || !slices.Contains(ts, want[0]) || !slices.Contains(ts, want[1]) || ts[0] != want[0] {
		t.Fatalf("run: %q, want %q best first", ts, want)
	}
	if got[0].Score < got[1].Score || got[1].Score <= 0 {
		t.Errorf("scores %v, %v", got[0].Score, got[1].Score)
	}
	// The body is indexed too.
	got, err = DocNodes(db).Search(ctx, DocTextIndex, "planner", 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("planner: %q %v", titles(got), err)
	}
	// Pre-filtering: the best go document, though a rust one scores higher.
	got, err = DocNodes(db).Filter(DocTopic.Eq("go")).Search(ctx, DocTextIndex, "run", 1)
	if err != nil || len(got) != 1 || got[0].Node.Title != "Running graphs" {
		t.Fatalf("filtered: %q %v", titles(got), err)
	}
	// k keeps the best.
	got, err = DocNodes(db).Search(ctx, DocTextIndex, "run OR planner OR pasta", 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("k 2: %q %v", titles(got), err)
	}
	all, _ := DocNodes(db).Search(ctx, DocTextIndex, "run OR planner OR pasta", 10)
	if len(all) != 4 || all[0].Node.Title != got[0].Node.Title || all[1].Node.Title != got[1].Node.Title {
		t.Fatalf("k 10: %q, k 2: %q", titles(all), titles(got))
	}
	min := (all[1].Score + all[2].Score) / 2
	got, err = DocNodes(db).Search(ctx, DocTextIndex, "run OR planner OR pasta", 10, ogm.MinScore(min))
	if err != nil || len(got) != 2 {
		t.Fatalf("min score %v: %q %v (scores %v)", min, titles(got), err, all)
	}
	got, err = DocNodes(db).FetchRelations(DocAuthor).Search(ctx, DocTextIndex, "run", 10)
	if err != nil || len(got) != 1 || got[0].Node.Fetched.Author == nil || got[0].Node.Fetched.Author.Name != "Ann" {
		t.Fatalf("fetch: %q %v", titles(got), err)
	}
	// No match: an empty, non-nil result.
	got, err = DocNodes(db).Search(ctx, DocTextIndex, "zebra", 10)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("zebra: %v %v", got, err)
	}
}

// TestSearchFulltextErrors: the query string is a parameter, even a
// hostile one; an empty query or a k out of range is ErrValidation before
// sending; a malformed Lucene query is ErrQuery; a missing index is
// ErrNoIndex.
func TestSearchFulltextErrors(t *testing.T) {
	ctx := context.Background()
	obs := &observed{}
	db := testenv.Open(t, ogm.WithObserver(obs.observe))
	seedTexts(t, ctx, db)
	obs.take()
	for _, call := range []func() error{
		func() error { _, err := DocNodes(db).Search(ctx, DocTextIndex, "  ", 3); return err },
		func() error { _, err := DocNodes(db).Search(ctx, DocTextIndex, "run", 0); return err },
	} {
		if err := call(); !errorsIs(err, ogm.ErrValidation) {
			t.Errorf("err %v, want ErrValidation", err)
		}
	}
	if q := obs.take(); len(q) != 0 {
		t.Fatalf("sent %q", q)
	}
	hostile := `"x' }) RETURN 1 //" OR title:pwned`
	if _, err := DocNodes(db).Filter(DocTopic.Eq("o'hara")).Search(ctx, DocTextIndex, hostile, 7); err != nil {
		t.Fatal(err)
	}
	for _, text := range obs.take() {
		for _, v := range []string{"pwned", "o'hara", "fulltext_index_Doc_text", "RETURN 1"} {
			if strings.Contains(text, v) {
				t.Errorf("%q in the query text: %s", v, text)
			}
		}
	}
	if _, err := DocNodes(db).Search(ctx, DocTextIndex, "title:(unclosed", 3); !errorsIs(err, ogm.ErrQuery) {
		t.Errorf("malformed query: %v, want ErrQuery", err)
	}
	missing := ogm.NewFulltext[*Doc]("fulltext_index_Doc_missing")
	if _, err := DocNodes(db).Search(ctx, missing, "run", 3); !errorsIs(err, ogm.ErrNoIndex) {
		t.Errorf("missing index: %v, want ErrNoIndex", err)
	}
}
