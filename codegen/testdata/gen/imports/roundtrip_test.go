package blog_test

// Tests of the code generated from schema.yaml in this directory, against
// the real database ($NEO4J_BOLT_URL). codegen's TestGeneratedCode runs them
// (go test ./... in the module of codegen/testdata/gen).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/ogm"

	blog "example.com/gen/imports"
	"example.com/gen/imports/common"
)

func TestImports(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	// The server is shared (User, Group and Post are labels other tests
	// use too): names are random and the nodes made here are deleted by
	// element id.
	var b [5]byte
	rand.Read(b[:])
	sfx := hex.EncodeToString(b[:])
	var made []string
	track := func(n interface{ ElementID() string }) {
		if id := n.ElementID(); id != "" {
			made = append(made, id)
		}
	}
	defer func() {
		db.Cypher(ctx, "MATCH (n) WHERE elementId(n) IN $ids DETACH DELETE n", map[string]any{"ids": made})
	}()
	ann, bob, editorsName := "ann"+sfx, "bob"+sfx, "editors"+sfx

	// A subclass of auth.User: User's labels and fields, its own too.
	a := &blog.Author{Bio: "writes"}
	a.Username = ann
	if _, err := blog.AuthorNodes(db).Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	track(a)
	if a.IsActive == nil || !*a.IsActive || a.DateJoined.IsZero() {
		t.Fatalf("auth defaults %+v", a.User)
	}
	u, err := auth.UserNodes(db).Get(ctx, auth.UserUsername.Eq(ann))
	if err != nil {
		t.Fatal(err)
	}
	back, err := blog.AuthorFromModel(ctx, u)
	if err != nil || back.Bio != "writes" || back.Username != ann {
		t.Fatalf("from model %+v %v", back, err)
	}
	plainUser, err := auth.UserNodes(db).Create(ctx, &auth.User{Username: bob})
	if err != nil {
		t.Fatal(err)
	}
	track(plainUser)
	if _, err := blog.AuthorFromModel(ctx, plainUser); !errors.Is(err, ogm.ErrWrongType) {
		t.Fatalf("plain user as author: %v", err)
	}
	// A custom user model: Member logs in with member_email and requires
	// first_name.
	if blog.AuthorModel.UsernameField.Name != "username" || blog.MemberModel.UsernameField.Key != "member_email" ||
		len(blog.MemberModel.RequiredFields) != 1 || blog.MemberModel.RequiredFields[0].Name != "first_name" {
		t.Fatalf("models %+v %+v", blog.AuthorModel, blog.MemberModel)
	}
	cheap, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &auth.Config{Hashers: cheap, UserModel: blog.MemberModel}
	if _, err := cfg.CreateUser(ctx, db, "nofirst"+sfx+"@example.com", "", nil); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("member without first_name: %v", err)
	}
	mem := &blog.Member{User: auth.User{FirstName: "Meg"}, MemberEmail: "meg" + sfx + "@Example.COM"}
	if err := cfg.SetPassword(&mem.User, "meg-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateUserAs(ctx, db, blog.MemberModel, mem); err != nil {
		t.Fatal(err)
	}
	track(mem)
	if mem.MemberEmail != "meg"+sfx+"@example.com" || mem.Username != mem.MemberEmail {
		t.Fatalf("member %q %q", mem.MemberEmail, mem.Username)
	}
	if got, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: "meg" + sfx + "@EXAMPLE.com", Password: "meg-password"}); err != nil || got.ElementID() != mem.ElementID() {
		t.Fatalf("authenticate member: %v %v", got, err)
	}
	if _, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: "peg" + sfx + "@example.com", Password: "meg-password"}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("unknown member: %v", err)
	}
	// A node extending an abstract node of another package.
	p := &blog.Post{Title: "hello"}
	if _, err := blog.PostNodes(db).Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	track(p)
	if p.UID == "" || p.Created.IsZero() {
		t.Fatalf("inherited defaults %+v", p.Base)
	}
	// Relationships to auth.User, reverse accessors onto it as functions,
	// and as methods of the subclass.
	if err := p.Author().Connect(ctx, &a.User); err != nil {
		t.Fatal(err)
	}
	if posts, err := blog.UserPosts(u).All(ctx); err != nil || len(posts) != 1 || posts[0].Title != "hello" {
		t.Fatalf("user posts %v %v", posts, err)
	}
	if n, err := a.Posts().Count(ctx); err != nil || n != 1 {
		t.Fatalf("author posts %d %v", n, err)
	}
	if err := blog.UserPosts(plainUser).Connect(ctx, p); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second author: %v", err)
	}
	editors, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: editorsName})
	if err != nil {
		t.Fatal(err)
	}
	track(editors)
	if err := blog.GroupEditedPosts(editors).Connect(ctx, p); err != nil {
		t.Fatal(err)
	}
	if gs, err := p.Editors().All(ctx); err != nil || len(gs) != 1 || gs[0].Name != editorsName {
		t.Fatalf("editors %v %v", gs, err)
	}
	if err := a.Groups().Connect(ctx, editors); err != nil {
		t.Fatal(err)
	}
	if users, err := editors.Users().All(ctx); err != nil || len(users) != 1 {
		t.Fatalf("group users %v %v", users, err)
	}
	// A relationship model of another package.
	tag, err := common.TagNodes(db).Create(ctx, &common.Tag{Label: "go" + sfx})
	if err != nil {
		t.Fatal(err)
	}
	track(tag)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := p.Tags().Connect(ctx, tag, &common.Since{Since: day}); err != nil {
		t.Fatal(err)
	}
	if posts, err := blog.TagPosts(tag).Match(common.SinceSince.Eq(day)).All(ctx); err != nil || len(posts) != 1 {
		t.Fatalf("tag posts %v %v", posts, err)
	}
	// Fetch across packages.
	c := &blog.Comment{Body: "nice" + sfx}
	if _, err := blog.CommentNodes(db).Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	track(c)
	if err := c.Post().Connect(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := c.By().Connect(ctx, a); err != nil {
		t.Fatal(err)
	}
	rows, err := blog.CommentNodes(db).Filter(blog.CommentBody.Eq(c.Body)).FetchRelations(blog.CommentPost.With(blog.PostAuthor, blog.PostTags), blog.CommentBy.With(blog.AuthorGroups)).All(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("fetch %v %v", rows, err)
	}
	f := rows[0].Fetched
	if f.Post.Fetched.Author.Username != ann || f.Post.Fetched.Tags[0].Label != "go"+sfx || f.By[0].Fetched.Groups[0].Name != editorsName {
		t.Fatalf("fetched %+v", f)
	}
	if cs, err := a.Comments().All(ctx); err != nil || len(cs) != 1 {
		t.Fatalf("author comments %v %v", cs, err)
	}
}
