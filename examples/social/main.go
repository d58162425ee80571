// Social is neo4django's TwitterUser in Go: a node type that extends
// auth.User and follows other users. A user logs in with auth.Authenticate,
// which returns an *auth.User; social.TwitterUserFromModel turns it into
// the *social.TwitterUser over the same node; one FetchRelations call then
// loads the user's followers and their followers.
//
// Run it with NEO4J_BOLT_URL set (or `tools/neo4j/with-neo4j go run
// ./examples/social`). It installs the constraints of its schemas, creates
// five users under names of its own, prints what it does, and deletes what
// it created.
//
// The schema is social/schema.yaml; social/schema_gonode.go is generated
// from it with `go generate ./examples/social/social`.
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
	"slices"
	"strings"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/examples/social/social"
	"github.com/gonode/gonode/ogm"
)

func main() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	var b [2]byte
	_, _ = rand.Read(b[:])
	// A nil *auth.Config: Django's default hashers and backends.
	if err := run(ctx, db, nil, "-"+hex.EncodeToString(b[:]), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run is the example. The usernames end in suffix, so that runs sharing a
// database do not collide; it prints what it does to out and deletes the
// users it created, whatever happens.
func run(ctx context.Context, db *ogm.DB, cfg *auth.Config, suffix string, out io.Writer) (err error) {
	// gonode install-labels: usernames are unique through a constraint.
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema, social.Schema); err != nil {
		return err
	}
	users := map[string]*social.TwitterUser{}
	defer func() {
		for _, u := range users {
			err = errors.Join(err, u.Delete(ctx))
		}
		if err == nil {
			fmt.Fprintln(out, "deleted the users")
		}
	}()
	// Only jim gets a password: the others have an unusable one.
	for _, name := range []string{"jim", "alice", "bob", "carol", "dave"} {
		tu := &social.TwitterUser{User: auth.User{Username: name + suffix}, Handle: "@" + name}
		if name == "jim" {
			if err := cfg.SetPassword(&tu.User, "jimpassword"); err != nil {
				return err
			}
		}
		if _, err := auth.CreateUserAs(ctx, db, social.TwitterUserModel, tu); err != nil {
			return err
		}
		users[name] = tu
	}
	fmt.Fprintln(out, "created @jim, @alice, @bob, @carol and @dave")
	for _, f := range [][2]string{{"alice", "jim"}, {"bob", "jim"}, {"carol", "alice"}, {"dave", "alice"}} {
		if err := users[f[0]].Follows().Connect(ctx, users[f[1]]); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s follows %s\n", users[f[0]].Handle, users[f[1]].Handle)
	}

	// Log in: Authenticate returns the *auth.User of the node...
	u, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: "jim" + suffix, Password: "jimpassword"})
	if err != nil {
		return err
	}
	// ...and TwitterUserFromModel gives the TwitterUser over the same node.
	jim, err := social.TwitterUserFromModel(ctx, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s logged in as %s\n", jim.Username, jim.Handle)

	// Followers, and their followers, in one query. Optional keeps the
	// followers who have no followers themselves.
	jim, err = social.TwitterUserNodes(db).
		Filter(social.TwitterUserUsername.Eq(jim.Username)).
		FetchRelations(ogm.Optional(social.TwitterUserFollowers.With(social.TwitterUserFollowers))).
		Get(ctx)
	if err != nil {
		return err
	}
	followers := jim.Fetched.Followers
	slices.SortFunc(followers, func(a, b *social.TwitterUser) int { return strings.Compare(a.Handle, b.Handle) })
	fmt.Fprintf(out, "followers of %s: %s\n", jim.Handle, handles(followers))
	var fof []*social.TwitterUser
	for _, f := range followers {
		fmt.Fprintf(out, "  %s is followed by %s\n", f.Handle, handles(f.Fetched.Followers))
		fof = append(fof, f.Fetched.Followers...)
	}
	fmt.Fprintf(out, "followers of followers of %s: %s\n", jim.Handle, handles(fof))
	return nil
}

// handles lists the users' handles, sorted, or "nobody".
func handles(us []*social.TwitterUser) string {
	if len(us) == 0 {
		return "nobody"
	}
	var hs []string
	for _, u := range us {
		hs = append(hs, u.Handle)
	}
	slices.Sort(hs)
	return strings.Join(hs, ", ")
}
