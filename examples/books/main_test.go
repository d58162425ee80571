package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/examples/books/books"
	"github.com/gonode/gonode/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/output.txt")

// elementID matches a Neo4j 5 element id ("4:<database uuid>:<id>").
var elementID = regexp.MustCompile(`\b\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+\b`)

// normalise replaces each element id of text by <id N>, numbered in the
// order they first appear (so that the golden file shows which ids are
// the same), and the run's suffix by "-x".
func normalise(text, suffix string) string {
	seen := map[string]string{}
	text = elementID.ReplaceAllStringFunc(text, func(id string) string {
		if _, ok := seen[id]; !ok {
			seen[id] = fmt.Sprintf("<id %d>", len(seen)+1)
		}
		return seen[id]
	})
	return strings.ReplaceAll(text, suffix, "-x")
}

// TestBooks runs the API against the real database (with a cheap password
// hasher) and compares the requests and the JSON answered, element ids
// normalised, with testdata/output.txt (go test -update rewrites it); the
// output holds no password hash and no API token, and nothing is left
// behind.
func TestBooks(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	suffix := "-" + strings.ToLower(strings.TrimPrefix(testenv.Label(t), "Test_"))
	var out strings.Builder
	if err := run(ctx, db, &auth.Config{Hashers: reg}, suffix, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, secret := range []string{"pbkdf2_sha256", "ann-password", "ann-api-token", `"password"`, `"api_token"`} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the output shows %s", secret)
		}
	}
	if n := len(elementID.FindAllString(out.String(), -1)); n < 10 {
		t.Errorf("%d element ids in the output", n)
	}
	got := normalise(out.String(), suffix)
	const golden = "testdata/output.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	for _, count := range []func() (int, error){
		func() (int, error) {
			return books.MemberNodes(db).Filter(books.MemberUsername.EndsWith(suffix)).Count(ctx)
		},
		func() (int, error) { return books.BookNodes(db).Filter(books.BookTitle.EndsWith(suffix)).Count(ctx) },
		func() (int, error) { return books.AuthorNodes(db).Filter(books.AuthorName.EndsWith(suffix)).Count(ctx) },
	} {
		if n, err := count(); err != nil || n != 0 {
			t.Errorf("%d nodes left behind, %v", n, err)
		}
	}
}
