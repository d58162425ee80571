package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/examples/social/social"
	"github.com/gonode/gonode/internal/testenv"
)

// TestSocial runs the example against the real database (with a cheap
// password hasher) and checks what it printed and that it left no user
// behind.
func TestSocial(t *testing.T) {
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
	want := strings.Join([]string{
		"created @jim, @alice, @bob, @carol and @dave",
		"@alice follows @jim",
		"@bob follows @jim",
		"@carol follows @alice",
		"@dave follows @alice",
		"jim" + suffix + " logged in as @jim",
		"followers of @jim: @alice, @bob",
		"  @alice is followed by @carol, @dave",
		"  @bob is followed by nobody",
		"followers of followers of @jim: @carol, @dave",
		"deleted the users",
	}, "\n") + "\n"
	if out.String() != want {
		t.Errorf("printed:\n%s\nwant:\n%s", out.String(), want)
	}
	n, err := social.TwitterUserNodes(db).Filter(social.TwitterUserUsername.EndsWith(suffix)).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("%d users left behind, %v", n, err)
	}
}
