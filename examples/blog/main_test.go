package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/examples/blog/blog"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestBlog runs the example against the real database (with a cheap
// password hasher) and checks what it printed and that it left nothing
// behind.
func TestBlog(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &auth.Config{Hashers: reg, SecretKey: "test-secret"}
	suffix := "-" + strings.ToLower(strings.TrimPrefix(testenv.Label(t), "Test_"))
	var out strings.Builder
	if err := run(ctx, db, cfg, suffix, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	user := "john" + suffix
	want := []string{
		"permissions of the blog: blog.add_post, blog.change_post, blog.delete_post, blog.view_post, blog.publish_post",
		"created user " + user + " (password stored as pbkdf2_sha256…)",
		"a wrong password is refused",
		"authenticated John Lennon, last login recorded: true",
		`post "Hello, graph" by ` + user,
		`post "Why Neo4j" by ` + user,
		user + " can publish posts: false",
		"in group editors" + suffix + ", " + user + " can publish posts: true",
		"reset token valid: true",
		"after the reset, the token is valid: false",
		"logged in with the new password",
		"deleted the user, the group and the posts",
	}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("printed:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	// Nothing is left: the user, its group and its posts are gone.
	if _, err := auth.GetByNaturalKey(ctx, db, user); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Errorf("user left behind: %v", err)
	}
	if n, err := auth.GroupNodes(db).Filter(auth.GroupName.Eq("editors" + suffix)).Count(ctx); err != nil || n != 0 {
		t.Errorf("group left behind: %d %v", n, err)
	}
	if n, err := blog.PostNodes(db).Filter(blog.PostBody.Contains(user)).Count(ctx); err != nil || n != 0 {
		t.Errorf("posts left behind: %d %v", n, err)
	}
}
