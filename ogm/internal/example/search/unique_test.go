package search_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/search"
)

// TestUniqueTogether: the constraint of unique_together [[topic, rank]]
// refuses a second node with the same pair, as ErrUnique naming both
// properties, but not one sharing either property alone; GetOrCreate and
// CreateOrUpdate look nodes up by the pair (with the required title), and
// a failed create leaves the database unchanged.
func TestUniqueTogether(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	wipe := func() { db.Cypher(ctx, "MATCH (n) WHERE n:Doc OR n:Writer DETACH DELETE n", nil) }
	wipe()
	t.Cleanup(wipe)
	if _, err := ogm.InstallLabels(ctx, db, Schema); err != nil {
		t.Fatal(err)
	}
	docs := DocNodes(db)
	for _, d := range []*Doc{
		{Title: "a", Topic: "go", Rank: ogm.Ptr(1)},
		{Title: "b", Topic: "go", Rank: ogm.Ptr(2)},   // same topic
		{Title: "c", Topic: "rust", Rank: ogm.Ptr(1)}, // same rank
		{Title: "d", Topic: "go"},                     // no rank: no pair
		{Title: "e", Topic: "go"},
	} {
		if _, err := docs.Create(ctx, d); err != nil {
			t.Fatalf("%s: %v", d.Title, err)
		}
	}
	dup := &Doc{Title: "dup", Topic: "go", Rank: ogm.Ptr(1)}
	_, err := docs.Create(ctx, dup)
	var e *ogm.Error
	if !errors.Is(err, ogm.ErrUnique) || !errors.As(err, &e) || e.Label != "Doc" || !slices.Equal(e.Properties, []string{"topic", "rank"}) {
		t.Fatalf("duplicate pair: %v (%+v), want ErrUnique on Doc topic, rank", err, e)
	}
	if dup.ElementID() != "" {
		t.Errorf("the refused node is bound to %s", dup.ElementID())
	}
	if n, _ := docs.Count(ctx); n != 5 {
		t.Fatalf("%d nodes after the refused create, want 5", n)
	}

	// The pair is part of the merge key: the same title with another pair
	// is another node; the same title and pair is the stored one.
	got, err := docs.GetOrCreate(ctx, &Doc{Title: "a", Topic: "go", Rank: ogm.Ptr(1)})
	if err != nil || got.ElementID() == "" {
		t.Fatal(err)
	}
	if n, _ := docs.Filter(DocTitle.Eq("a")).Count(ctx); n != 1 {
		t.Fatalf("GetOrCreate of a stored pair created a node (%d)", n)
	}
	if _, err := docs.GetOrCreate(ctx, &Doc{Title: "a", Topic: "py", Rank: ogm.Ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if n, _ := docs.Filter(DocTitle.Eq("a")).Count(ctx); n != 2 {
		t.Fatalf("GetOrCreate of a new pair found %d nodes titled a, want 2", n)
	}
	up, err := docs.CreateOrUpdate(ctx, &Doc{Title: "b", Topic: "go", Rank: ogm.Ptr(2), Body: "updated"})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := docs.GetByElementID(ctx, up.ElementID()); again.Body != "updated" {
		t.Errorf("CreateOrUpdate did not update: %+v", again)
	}
	// A pair stored under another title cannot be created: ErrUnique.
	if _, err := docs.GetOrCreate(ctx, &Doc{Title: "z", Topic: "go", Rank: ogm.Ptr(1)}); !errors.Is(err, ogm.ErrUnique) {
		t.Errorf("GetOrCreate of a stored pair under a new title: %v, want ErrUnique", err)
	}
}
