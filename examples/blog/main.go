// Blog is the neo4django scenario in Go: users from gonode's auth schema,
// blog posts with an author, logging in, a user's posts, a permission
// granted through a group, and a password reset token.
//
// Run it with NEO4J_BOLT_URL set (or `tools/neo4j/with-neo4j go run
// ./examples/blog`). It installs the constraints and permissions of its
// schemas, creates a user, a group and two posts under names of its own,
// prints what it does, and deletes what it created. The reset token is
// signed with $GONODE_SECRET_KEY (a demo key when unset).
//
// The schema is blog/schema.yaml; blog/schema_gonode.go is generated from it
// with `go generate ./examples/blog/blog`.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/examples/blog/blog"
	"github.com/gonode/gonode/ogm"
)

func main() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	secret := os.Getenv("GONODE_SECRET_KEY")
	if secret == "" {
		secret = "demo-secret-key-do-not-use-in-production"
	}
	// A nil *auth.Config means Django's defaults; a Config adds the secret
	// that signs reset tokens.
	cfg := &auth.Config{SecretKey: secret}
	if err := run(ctx, db, cfg, "-"+randomSuffix(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// randomSuffix is 4 random hex digits, so that runs sharing a database do
// not collide.
func randomSuffix() string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// run is the example. The user's and the group's names end in suffix; it
// prints what it does to out and deletes the nodes it created, whatever
// happens.
func run(ctx context.Context, db *ogm.DB, cfg *auth.Config, suffix string, out io.Writer) (err error) {
	if err := installSchemas(ctx, db, out); err != nil {
		return err
	}
	ex := &example{db: db, cfg: cfg, out: out, suffix: suffix, username: "john" + suffix}
	// Everything created is deleted at the end, posts first.
	defer func() {
		for i := len(ex.created) - 1; i >= 0; i-- {
			err = errors.Join(err, ex.created[i].Delete(ctx))
		}
		if err == nil {
			fmt.Fprintln(out, "deleted the user, the group and the posts")
		}
	}()
	for _, step := range []func(context.Context) error{
		ex.signUp, ex.writePosts, ex.grantPublish, ex.resetPassword,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// installSchemas installs what the example's schemas need on the server
// before any node is written, and prints the blog's permissions.
func installSchemas(ctx context.Context, db *ogm.DB, out io.Writer) error {
	// gonode install-labels: the unique username constraint (which
	// CreateUser relies on) and the other constraints and indexes.
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema, blog.Schema); err != nil {
		return err
	}
	// The permissions of the blog schema: add/change/delete/view_post and
	// the custom publish_post.
	perms, err := auth.InstallPermissions(ctx, db, blog.Schema)
	if err != nil {
		return err
	}
	var keys []string
	for _, p := range perms {
		keys = append(keys, p.Key())
	}
	fmt.Fprintf(out, "permissions of the blog: %s\n", strings.Join(keys, ", "))
	return nil
}

// example is what the steps of the example share: where they read and
// print, the user the first step logs in, and every node created so far, so
// that run can delete them whatever step fails.
type example struct {
	db       *ogm.DB
	cfg      *auth.Config
	out      io.Writer
	suffix   string
	username string

	user    *auth.User // as Authenticate returned it
	created []interface{ Delete(context.Context) error }
}

// signUp creates the user and logs in, once with a wrong password.
func (ex *example) signUp(ctx context.Context) error {
	// neo4django: User.objects.create_user('john', 'john@example.com', 'johnpassword')
	john, err := ex.cfg.CreateUser(ctx, ex.db, ex.username, "john@example.com", ogm.Ptr("johnpassword"),
		func(u *auth.User) { u.FirstName, u.LastName = "John", "Lennon" })
	if err != nil {
		return err
	}
	ex.created = append(ex.created, john)
	fmt.Fprintf(ex.out, "created user %s (password stored as %s…)\n", john.Username, john.Password[:strings.Index(john.Password, "$")])

	// authenticate(username='john', password=…)
	if _, err := ex.cfg.Authenticate(ctx, ex.db, auth.Credentials{Username: ex.username, Password: "wrong"}); errors.Is(err, auth.ErrInvalidCredentials) {
		fmt.Fprintln(ex.out, "a wrong password is refused")
	} else {
		return fmt.Errorf("wrong password: %v", err)
	}
	user, err := ex.cfg.Authenticate(ctx, ex.db, auth.Credentials{Username: ex.username, Password: "johnpassword"})
	if err != nil {
		return err
	}
	ex.user = user
	fmt.Fprintf(ex.out, "authenticated %s %s, last login recorded: %v\n", user.FirstName, user.LastName, !user.LastLogin.IsZero())
	return nil
}

// writePosts writes two posts by the user and reads them back from the
// user's side.
func (ex *example) writePosts(ctx context.Context) error {
	// Posts with an author (Post.author: {to: auth.User, reverse: posts}).
	for _, title := range []string{"Hello, graph", "Why Neo4j"} {
		p, err := blog.PostNodes(ex.db).Create(ctx, &blog.Post{Title: title, Body: "A post by " + ex.username + "."})
		if err != nil {
			return err
		}
		ex.created = append(ex.created, p)
		if err := p.Author().Connect(ctx, ex.user); err != nil {
			return err
		}
	}
	// The user's posts: the reverse accessor, a function because auth.User
	// is in another package.
	posts, err := blog.UserPosts(ex.user).OrderBy(blog.PostTitle.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, p := range posts {
		author, err := p.Author().Single(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(ex.out, "post %q by %s\n", p.Title, author.Username)
	}
	return nil
}

// grantPublish gives the user blog.publish_post through a group, checking
// the permission before and after.
func (ex *example) grantPublish(ctx context.Context) error {
	can, err := auth.HasPerm(ctx, ex.db, ex.user, "blog.publish_post")
	if err != nil {
		return err
	}
	fmt.Fprintf(ex.out, "%s can publish posts: %v\n", ex.username, can)
	editors, err := auth.GroupNodes(ex.db).Create(ctx, &auth.Group{Name: "editors" + ex.suffix})
	if err != nil {
		return err
	}
	ex.created = append(ex.created, editors)
	publish, err := auth.GetPermission(ctx, ex.db, "blog.publish_post")
	if err != nil {
		return err
	}
	if err := editors.Permissions().Connect(ctx, publish); err != nil {
		return err
	}
	if err := ex.user.Groups().Connect(ctx, editors); err != nil {
		return err
	}
	can, err = auth.HasPerm(ctx, ex.db, ex.user, "blog.publish_post")
	if err != nil {
		return err
	}
	fmt.Fprintf(ex.out, "in group %s, %s can publish posts: %v\n", editors.Name, ex.username, can)
	return nil
}

// resetPassword makes a password reset token (Django's
// default_token_generator), changes the password, and shows that the change
// spends the token and that the new password logs in.
func (ex *example) resetPassword(ctx context.Context) error {
	user := ex.user
	token, err := ex.cfg.MakePasswordResetToken(user)
	if err != nil {
		return err
	}
	valid, err := ex.cfg.CheckPasswordResetToken(user, token)
	if err != nil {
		return err
	}
	fmt.Fprintf(ex.out, "reset token valid: %v\n", valid)
	if err := ex.cfg.ValidatePassword("a new, long password", user); err != nil {
		return err
	}
	if err := ex.cfg.ChangePassword(ctx, user, "a new, long password"); err != nil {
		return err
	}
	if valid, err = ex.cfg.CheckPasswordResetToken(user, token); err != nil {
		return err
	}
	fmt.Fprintf(ex.out, "after the reset, the token is valid: %v\n", valid)
	if _, err := ex.cfg.Authenticate(ctx, ex.db, auth.Credentials{Username: ex.username, Password: "a new, long password"}); err != nil {
		return err
	}
	fmt.Fprintln(ex.out, "logged in with the new password")
	return nil
}
