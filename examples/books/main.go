// Books is a JSON API on net/http whose handlers return the generated
// structs with plain encoding/json: members (users of the auth schema,
// with a sensitive API token) review books. The JSON has the schema's
// names, dates as dates, the element ids of nodes and of the ends of
// relationships, the fetched relations (each target paired with its
// Review), and never a password hash or a token.
//
//	GET  /books?title=…           books whose title contains …, with their author and reviewers
//	POST /books                   a new book from the request body
//	GET  /members/{username}      a member with the books they reviewed
//	GET  /members/{username}/reviews   their Review relationships alone
//	GET  /books/stats             every book with its number of reviews and average stars, most reviewed first
//	GET  /members/{username}/feed?page=N   the reviews of the members they follow, newest first, 20 a page
//
// Run it with NEO4J_BOLT_URL set (or `tools/neo4j/with-neo4j go run
// ./examples/books`). It installs the constraints of its schemas, creates
// two members, an author and two books under names of its own, serves the
// API on a local port, prints the answers to a few requests, and deletes
// what it created.
//
// The schema is books/schema.yaml; books/schema_gonode.go is generated
// from it with `go generate ./examples/books/books`.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/examples/books/books"
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
	// A nil *auth.Config: Django's default hashers.
	if err := run(ctx, db, nil, "-"+hex.EncodeToString(b[:]), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// api is the service: its handlers encode the generated types as they are.
type api struct{ db *ogm.DB }

func (a *api) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /books", a.listBooks)
	mux.HandleFunc("POST /books", a.createBook)
	mux.HandleFunc("GET /members/{username}", a.getMember)
	mux.HandleFunc("GET /members/{username}/reviews", a.memberReviews)
	mux.HandleFunc("GET /books/stats", a.bookStats)
	mux.HandleFunc("GET /members/{username}/feed", a.feed)
	return mux
}

// listBooks answers the books whose title contains ?title=, with their
// author (a to-one relation: null when there is none) and their reviewers
// (each paired with the Review, by username: [] when there is none), in
// one query.
func (a *api) listBooks(w http.ResponseWriter, r *http.Request) {
	bs, err := books.BookNodes(a.db).
		Filter(books.BookTitle.Contains(r.URL.Query().Get("title"))).
		OrderBy(books.BookTitle.Asc()).
		FetchRelations(ogm.Optional(books.BookAuthor), ogm.Optional(books.BookReviewers.OrderBy(books.MemberUsername.Asc()))).
		All(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, http.StatusOK, bs)
}

// bookStat is one book of /books/stats: AverageStars is null for a book
// nobody reviewed.
type bookStat struct {
	Book         *books.Book `json:"book"`
	Reviews      int         `json:"reviews"`
	AverageStars *float64    `json:"average_stars"`
}

// The aggregates of /books/stats, over each book's reviews: computed by the
// server, one query for every book, no review loaded.
var (
	reviewCount  = ogm.Count(books.BookReviewers)
	averageStars = ogm.Avg(books.BookReviewers, books.ReviewStars)
)

// bookStats answers every book whose title contains ?title= with its
// number of reviews and their average stars: the most reviewed first, then
// the best rated, then by title. (Ordered by the average alone, books
// nobody reviewed would come first: in Cypher, an unset value sorts after
// every other ascending, so before them descending.)
func (a *api) bookStats(w http.ResponseWriter, r *http.Request) {
	rows, err := ogm.Annotate(books.BookNodes(a.db).
		Filter(books.BookTitle.Contains(r.URL.Query().Get("title"))).
		OrderBy(reviewCount.Desc(), averageStars.Desc(), books.BookTitle.Asc()),
		reviewCount, averageStars).All(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	out := make([]bookStat, len(rows))
	for i, row := range rows {
		out[i] = bookStat{Book: row.Node, Reviews: reviewCount.Of(row)}
		if avg, ok := averageStars.Of(row); ok {
			out[i].AverageStars = &avg
		}
	}
	reply(w, http.StatusOK, out)
}

// feedItem is one review of a feed: who wrote it, about which book.
type feedItem struct {
	Reviewer string        `json:"reviewer"`
	Review   *books.Review `json:"review"`
	Book     string        `json:"book"`
}

// feedPage is the number of reviews on a page of the feed.
const feedPage = 20

// feed answers the reviews written by the members {username} follows,
// newest first, a page of 20 (?page=0, 1, …), in one query: the rows of
// (reviewer, Review, book) ordered by the relationship's own property.
func (a *api) feed(w http.ResponseWriter, r *http.Request) {
	page := 0
	if s := r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			reply(w, http.StatusBadRequest, map[string]string{"error": "page: a number from 0 to 1000"})
			return
		}
		page = n
	}
	me := books.MemberNodes(a.db).Filter(books.MemberUsername.Eq(r.PathValue("username")))
	rows, err := ogm.Rows(ogm.Traverse(me, books.MemberFollows), books.MemberReviewed, books.ReviewType).
		OrderByRel(books.ReviewAt.Desc()).
		Skip(page * feedPage).Limit(feedPage).
		All(r.Context())
	if err != nil {
		fail(w, err)
		return
	}
	out := make([]feedItem, len(rows))
	for i, row := range rows {
		out[i] = feedItem{Reviewer: row.Source.Username, Review: row.Rel, Book: row.Target.Title}
	}
	reply(w, http.StatusOK, out)
}

// createBook creates the book the request body describes: its properties
// only (an element id or fetched relations in the body are not read).
func (a *api) createBook(w http.ResponseWriter, r *http.Request) {
	var b books.Book
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		fail(w, err)
		return
	}
	if _, err := books.BookNodes(a.db).Create(r.Context(), &b); err != nil {
		fail(w, err)
		return
	}
	reply(w, http.StatusCreated, &b)
}

// member loads the member called {username} with the books they reviewed,
// by title.
func (a *api) member(r *http.Request) (*books.Member, error) {
	return books.MemberNodes(a.db).
		Filter(books.MemberUsername.Eq(r.PathValue("username"))).
		FetchRelations(ogm.Optional(books.MemberReviewed.OrderBy(books.BookTitle.Asc()))).
		Get(r.Context())
}

// getMember answers a member: no password hash, no API token.
func (a *api) getMember(w http.ResponseWriter, r *http.Request) {
	m, err := a.member(r)
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, http.StatusOK, m)
}

// memberReviews answers a member's Review relationships, which carry the
// element ids of their ends.
func (a *api) memberReviews(w http.ResponseWriter, r *http.Request) {
	m, err := a.member(r)
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, http.StatusOK, m.Fetched.ReviewedRels)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Print(err)
	}
}

// fail answers an error: 404 for a node that does not exist, 400 for a
// body that is not valid, 500 for the rest.
func fail(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, ogm.ErrDoesNotExist):
		status = http.StatusNotFound
	case errors.Is(err, ogm.ErrJSON), errors.Is(err, ogm.ErrValidation), errors.As(err, &syntax):
		status = http.StatusBadRequest
	}
	reply(w, status, map[string]string{"error": err.Error()})
}

// run is the example. Its usernames and titles end in suffix, so that runs
// sharing a database do not collide; it prints each request and the JSON
// it got to out, and deletes what it created, whatever happens.
func run(ctx context.Context, db *ogm.DB, cfg *auth.Config, suffix string, out io.Writer) (err error) {
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema, books.Schema); err != nil {
		return err
	}
	defer func() {
		_, cerr := db.Cypher(ctx, "MATCH (n) WHERE (n:User AND n.username ENDS WITH $s) OR (n:Book AND n.title ENDS WITH $s) OR (n:Author AND n.name ENDS WITH $s) DETACH DELETE n",
			map[string]any{"s": suffix})
		err = errors.Join(err, cerr)
	}()
	if err := seed(ctx, db, cfg, suffix); err != nil {
		return err
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: (&api{db: db}).routes(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	defer srv.Shutdown(ctx)
	base := "http://" + l.Addr().String()

	for _, req := range []struct{ method, path, body string }{
		{"GET", "/books?title=" + suffix, ""},
		{"GET", "/members/ann" + suffix, ""},
		{"GET", "/members/ann" + suffix + "/reviews", ""},
		// The body's element id and fetched relations are not read.
		{"POST", "/books", `{"title": "The Lathe of Heaven` + suffix + `", "published": "1971-10-01", "element_id": "4:forged:1", "fetched": {"author": {"name": "forged"}}}`},
		{"POST", "/books", `{"title": "Bad date` + suffix + `", "published": "1971-13-01"}`},
		{"GET", "/members/nobody" + suffix, ""},
		{"GET", "/books/stats?title=" + suffix, ""},
		{"GET", "/members/carol" + suffix + "/feed", ""},
		{"GET", "/members/carol" + suffix + "/feed?page=1", ""},
	} {
		hr, err := http.NewRequestWithContext(ctx, req.method, base+req.path, strings.NewReader(req.body))
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, body, "", "  "); err != nil {
			return fmt.Errorf("%s %s: %v: %s", req.method, req.path, err, body)
		}
		fmt.Fprintf(out, "%s %s → %s\n%s", req.method, req.path, resp.Status, pretty.String())
	}
	return nil
}

// seed creates Ann (with a password and an API token), Bob and Carol, who
// follows them both, Ursula K. Le Guin and her book, which Ann and Bob
// reviewed, and a book of no author that nobody reviewed.
func seed(ctx context.Context, db *ogm.DB, cfg *auth.Config, suffix string) error {
	joined := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	ann := &books.Member{User: auth.User{Username: "ann" + suffix, Email: "ann@example.com", DateJoined: joined}, DisplayName: "Ann", APIToken: "ann-api-token-" + suffix}
	if err := cfg.SetPassword(&ann.User, "ann-password"); err != nil {
		return err
	}
	bob := &books.Member{User: auth.User{Username: "bob" + suffix, DateJoined: joined}, DisplayName: "Bob"}
	carol := &books.Member{User: auth.User{Username: "carol" + suffix, DateJoined: joined}, DisplayName: "Carol"}
	for _, m := range []*books.Member{ann, bob, carol} {
		if _, err := auth.CreateUserAs(ctx, db, books.MemberModel, m); err != nil {
			return err
		}
	}
	leGuin, err := books.AuthorNodes(db).Create(ctx, &books.Author{Name: "Ursula K. Le Guin" + suffix, Born: time.Date(1929, 10, 21, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	dispossessed, err := books.BookNodes(db).Create(ctx, &books.Book{
		Title: "The Dispossessed" + suffix, Published: time.Date(1974, 5, 1, 0, 0, 0, 0, time.UTC),
		Tags: []string{"science fiction", "utopia"}, ReadingTime: &ogm.Duration{Seconds: 9*3600 + 30*60},
	})
	if err != nil {
		return err
	}
	if _, err := books.BookNodes(db).Create(ctx, &books.Book{Title: "An Unread Book" + suffix}); err != nil {
		return err
	}
	if err := dispossessed.Author().Connect(ctx, leGuin); err != nil {
		return err
	}
	if err := ann.Reviewed().Connect(ctx, dispossessed, &books.Review{Stars: 5, Text: "Anarres!", At: time.Date(2024, 2, 1, 18, 30, 0, 0, time.FixedZone("", 3600))}); err != nil {
		return err
	}
	if err := bob.Reviewed().Connect(ctx, dispossessed, &books.Review{Stars: 4, At: time.Date(2024, 3, 2, 12, 0, 0, 0, time.UTC)}); err != nil {
		return err
	}
	// Carol follows both: her feed is their reviews, newest first.
	for _, m := range []*books.Member{ann, bob} {
		if err := carol.Follows().Connect(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
