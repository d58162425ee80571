package people_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// fixture opens the database and empties the example's labels before and
// after the test (the example package is the only user of these labels).
func fixture(t *testing.T) (context.Context, *ogm.DB) {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	wipe := func() {
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE n:Person OR n:City OR n:Country OR n:Stranger OR n:Note DETACH DELETE n", nil); err != nil {
			t.Fatal(err)
		}
	}
	wipe()
	t.Cleanup(wipe)
	return ctx, db
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestRelationshipManager(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	us := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "US"}))
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	ann := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Ann"}))

	if err := jim.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if ok, err := jim.Country().IsConnected(ctx, de); !ok || err != nil {
		t.Fatalf("IsConnected = %v, %v", ok, err)
	}
	if ok, _ := jim.Country().IsConnected(ctx, us); ok {
		t.Fatal("connected to US")
	}
	if c, err := jim.Country().Single(ctx); err != nil || c.Code != "DE" {
		t.Fatalf("Single = %v, %v", c, err)
	}
	if c, err := ann.Country().Single(ctx); c != nil || err != nil {
		t.Fatalf("Single of zero_or_one with none = %v, %v", c, err)
	}
	// The reverse side sees it.
	if err := ann.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if n, err := de.Inhabitant().Count(ctx); n != 2 || err != nil {
		t.Fatalf("inhabitants %d %v", n, err)
	}
	only, err := de.Inhabitant().Exclude(PersonName.Eq("Jim")).All(ctx)
	if err != nil || len(only) != 1 || only[0].Name != "Ann" {
		t.Fatalf("exclude: %v %v", only, err)
	}
	first, err := de.Inhabitant().OrderBy(PersonName.Asc()).All(ctx)
	if err != nil || first[0].Name != "Ann" || first[1].Name != "Jim" {
		t.Fatalf("order: %v %v", first, err)
	}
	if got, err := de.Inhabitant().Get(ctx, PersonName.Eq("Jim")); err != nil || got.ElementID() != jim.ElementID() {
		t.Fatalf("get: %v %v", got, err)
	}

	if err := jim.Country().Reconnect(ctx, de, us); err != nil {
		t.Fatal(err)
	}
	if c, _ := jim.Country().Single(ctx); c.Code != "US" {
		t.Fatalf("after reconnect: %s", c.Code)
	}
	if err := jim.Country().Reconnect(ctx, de, us); !errors.Is(err, ogm.ErrNotConnected) {
		t.Fatalf("reconnect from a country not connected: %v", err)
	}
	if err := jim.Country().Replace(ctx, de); err != nil {
		t.Fatal(err)
	}
	if c, _ := jim.Country().Single(ctx); c.Code != "DE" {
		t.Fatalf("after replace: %s", c.Code)
	}
	if err := jim.Country().Disconnect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if n, _ := jim.Country().Count(ctx); n != 0 {
		t.Fatalf("after disconnect: %d", n)
	}
	berlin := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Berlin"}))
	paris := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Paris"}))
	for _, c := range []*City{berlin, paris} {
		if err := jim.City().Connect(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// zero_or_more merges: connecting again changes nothing, and says so.
	if err := jim.City().Connect(ctx, berlin); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatal(err)
	}
	if n, _ := jim.City().Count(ctx); n != 2 {
		t.Fatalf("cities %d", n)
	}
	if err := jim.City().DisconnectAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := jim.City().Count(ctx); n != 0 {
		t.Fatalf("after disconnect all: %d", n)
	}
}

func TestCardinalityBothEnds(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	us := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "US"}))
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	if err := jim.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	for name, connect := range map[string]func() error{
		"second target":         func() error { return jim.Country().Connect(ctx, us) },
		"from the reverse side": func() error { return us.Inhabitant().Connect(ctx, jim) },
	} {
		err := connect()
		var ce *ogm.CardinalityError
		if !errors.As(err, &ce) || !errors.Is(err, ogm.ErrCardinality) {
			t.Errorf("%s: got %v; want a cardinality error", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "zero_or_one") || !strings.Contains(err.Error(), "IS_FROM") {
			t.Errorf("%s: message does not name the rule: %v", name, err)
		}
	}
	// The target it has already: the pair is connected, nothing breaks the
	// limit (and nothing is written).
	if err := jim.Country().Connect(ctx, de); !errors.Is(err, ogm.ErrAlreadyConnected) || errors.Is(err, ogm.ErrCardinality) {
		t.Errorf("same target again: %v; want ErrAlreadyConnected", err)
	}
	if err := jim.Country().Connect(ctx, us); !strings.Contains(err.Error(), "Reconnect") {
		t.Errorf("message does not point to Reconnect: %v", err)
	}
	// Nothing was left behind by the refused writes.
	res, _ := db.Cypher(ctx, "MATCH (:Person)-[r:IS_FROM]->() RETURN count(r)", nil)
	if n := res.Rows[0][0].(int64); n != 1 {
		t.Fatalf("%d IS_FROM relationships; want 1", n)
	}

	// A refused connect inside a transaction leaves nothing even if the
	// caller ignores the error and commits.
	err := db.Write(ctx, func(ctx context.Context) error {
		_ = jim.Country().Connect(ctx, us)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := jim.Country().Count(ctx); n != 1 {
		t.Fatalf("committed a refused connect: %d", n)
	}

	// one: the last relationship cannot be removed; reading none is an error.
	berlin := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Berlin"}))
	if _, err := berlin.Country().Single(ctx); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("one with zero targets: %v", err)
	}
	if err := berlin.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if err := berlin.Country().Disconnect(ctx, de); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("removing the last one: %v", err)
	}
	if err := berlin.Country().DisconnectAll(ctx); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("removing all of a one: %v", err)
	}
	if c, err := berlin.Country().Single(ctx); err != nil || c.Code != "DE" {
		t.Fatalf("refused disconnect removed it: %v %v", c, err)
	}
	// A second target written behind gonode's back is reported on read, with
	// node, type and direction.
	if _, err := db.Cypher(ctx, "MATCH (c:City), (k:Country {code: 'US'}) CREATE (c)-[:FROM_COUNTRY]->(k)", nil); err != nil {
		t.Fatal(err)
	}
	both, err := berlin.Country().All(ctx)
	var ce *ogm.CardinalityError
	if !errors.As(err, &ce) || ce.Found != 2 || ce.NodeID != berlin.ElementID() ||
		!strings.Contains(err.Error(), "City.country (outgoing FROM_COUNTRY to Country) is one, found 2") {
		t.Fatalf("read of a broken one: %v", err)
	}
	// With the error come the targets found, so that the caller can repair
	// the relationship.
	if len(both) != 2 {
		t.Fatalf("a broken one read %d targets with its error, want both", len(both))
	}
	if _, err := CityNodes(db).FetchRelations(CityCountry).All(ctx); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("FetchRelations of a broken one: %v", err)
	}
}

func TestConcurrentConnectsRespectCardinality(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	countries := make([]*Country, 40)
	for i := range countries {
		countries[i] = must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "C" + string(rune('A'+i%26)) + string(rune('A'+i/26))}))
	}
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for i, c := range countries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 { // half from each end
				err = jim.Country().Connect(ctx, c)
			} else {
				err = c.Inhabitant().Connect(ctx, jim)
			}
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ogm.ErrCardinality):
				refused.Add(1)
			default:
				t.Errorf("connect %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != int32(len(countries)-1) {
		t.Fatalf("%d connects succeeded, %d refused; want 1 and %d", ok.Load(), refused.Load(), len(countries)-1)
	}
	res, _ := db.Cypher(ctx, "MATCH (:Person)-[r:IS_FROM]->() RETURN count(r)", nil)
	if n := res.Rows[0][0].(int64); n != 1 {
		t.Fatalf("%d IS_FROM relationships in the database", n)
	}
}

func TestUndirectedAndRelationshipModels(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	bob := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Bob"}))
	before := time.Now().Add(-time.Second)
	if err := jim.Knows().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	// Connecting the other way round finds the same relationship.
	if err := bob.Knows().Connect(ctx, jim); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatal(err)
	}
	res, _ := db.Cypher(ctx, "MATCH (:Person)-[r:KNOWS]->(:Person) RETURN count(r)", nil)
	if n := res.Rows[0][0].(int64); n != 1 {
		t.Fatalf("%d KNOWS relationships; want 1", n)
	}
	r, err := bob.Knows().Relationship(ctx, jim)
	if err != nil || r.Since.Before(before) || r.ElementID() == "" || r.RelType() != "KNOWS" {
		t.Fatalf("relationship %+v %v (default since not applied?)", r, err)
	}
	if r.StartID() != jim.ElementID() || r.EndID() != bob.ElementID() {
		t.Fatalf("ends %s→%s", r.StartID(), r.EndID())
	}
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	r.Since = old
	if err := r.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := jim.Knows().Match(KnowsSince.Lt(before)).All(ctx); len(got) != 1 || got[0].Name != "Bob" {
		t.Fatalf("match on since: %v", got)
	}
	if got, _ := jim.Knows().Match(KnowsSince.Gt(before)).All(ctx); len(got) != 0 {
		t.Fatalf("match on since > before: %v", got)
	}
	// Reconnect keeps the relationship's properties.
	ann := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Ann"}))
	if err := jim.Knows().Reconnect(ctx, bob, ann); err != nil {
		t.Fatal(err)
	}
	moved, err := jim.Knows().Relationship(ctx, ann)
	if err != nil || !moved.Since.Equal(old) {
		t.Fatalf("after reconnect: %+v %v", moved, err)
	}
	if rels, err := jim.Knows().AllRelationships(ctx, bob); err != nil || len(rels) != 0 {
		t.Fatalf("old relationship left: %v %v", rels, err)
	}
	if _, err := jim.Knows().Relationship(ctx, bob); !errors.Is(err, ogm.ErrNotConnected) {
		t.Fatalf("relationship to a node not connected: %v", err)
	}
}

func TestConnectUnsavedOrDeleted(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	ghost := &Person{Name: "Ghost"}
	if err := ghost.Country().Connect(ctx, de); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("unsaved owner: %v", err)
	}
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	if err := jim.Country().Connect(ctx, &Country{Code: "XX"}); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("unsaved target: %v", err)
	}
	if err := de.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jim.Country().Connect(ctx, de); !errors.Is(err, ogm.ErrDeleted) {
		t.Fatalf("deleted target: %v", err)
	}
	if _, err := de.Inhabitant().All(ctx); !errors.Is(err, ogm.ErrDeleted) {
		t.Fatalf("deleted owner: %v", err)
	}
	// Deleted by someone else: the write finds no node.
	us := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "US"}))
	if _, err := db.Cypher(ctx, "MATCH (c:Country {code: 'US'}) DETACH DELETE c", nil); err != nil {
		t.Fatal(err)
	}
	if err := jim.Country().Connect(ctx, us); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("target deleted elsewhere: %v", err)
	}
	if err := us.Refresh(ctx); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("refresh of a node deleted elsewhere: %v", err)
	}
}

func TestSaveProps(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim", Age: 3}))
	jim.Age = 4
	jim.Sex = "Q"                       // invalid, but not among the saved keys
	jim.Name = strings.Repeat("x", 101) // too long, and saved: refused
	if err := ogm.SaveProps(ctx, PersonType, jim, "age", "name"); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("invalid saved key: %v", err)
	}
	jim.Name = "James"
	if err := ogm.SaveProps(ctx, PersonType, jim, "age"); err != nil {
		t.Fatal(err)
	}
	got := must[*Person](t)(PersonNodes(db).Get(ctx, PersonUID.Eq(jim.UID)))
	if got.Age != 4 || got.Name != "Jim" || got.Sex != "" {
		t.Fatalf("stored %+v; want only age changed", got)
	}
	if err := ogm.SaveProps(ctx, PersonType, &Person{}, "age"); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("unsaved: %v", err)
	}
}

func TestHooks(t *testing.T) {
	ctx, db := fixture(t)
	calls := func() []string {
		HookLog.Lock()
		defer HookLog.Unlock()
		out := HookLog.Calls
		HookLog.Calls = nil
		return out
	}
	calls()
	rome := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "  Rome "}))
	if got := strings.Join(calls(), ", "); got != "before save:Rome, after create:Rome, after save:Rome" {
		t.Fatalf("create: %s", got)
	}
	if stored := must[*City](t)(CityNodes(db).Get(ctx, CityName.Eq("Rome"))); stored.ElementID() != rome.ElementID() {
		t.Fatal("BeforeSave's trimmed name was not stored")
	}
	rome.Name = "Roma "
	if err := rome.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls(), ", "); got != "before save:Roma, after save:Roma" {
		t.Fatalf("save: %s", got)
	}
	if _, err := CityNodes(db).Create(ctx, &City{Name: "Forbidden"}); !errors.Is(err, ErrForbiddenCity) {
		t.Fatalf("refused by BeforeSave: %v", err)
	}
	if n, _ := CityNodes(db).Filter(CityName.Eq("Forbidden")).Count(ctx); n != 0 {
		t.Fatal("a node refused by BeforeSave was written")
	}
	keep := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Keep"}))
	calls()
	if err := keep.Delete(ctx); err == nil || keep.IsDeleted() {
		t.Fatalf("BeforeDelete did not stop the delete: %v", err)
	}
	if err := rome.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls(), ", "); got != "before delete:Keep, before delete:Roma, after delete:Roma" {
		t.Fatalf("delete: %s", got)
	}
	// CreateMany calls the hooks of every node.
	if err := CityNodes(db).CreateMany(ctx, []*City{{Name: "A"}, {Name: "B"}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls(), ", "); got != "before save:A, before save:B, after create:A, after save:A, after create:B, after save:B" {
		t.Fatalf("create many: %s", got)
	}
}

// A query made from a node that is not saved, or on no database, is an
// error when it runs, not a panic when it is made.
func TestQueriesWithoutANode(t *testing.T) {
	ctx := context.Background()
	unsaved := &Person{Name: "nobody"}
	q := unsaved.City().Filter(CityName.Eq("Paris")).OrderBy(CityName.Asc())
	if _, err := q.All(ctx); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("All on an unsaved node's relationship: %v", err)
	}
	if _, err := unsaved.Knows().Match(KnowsSince.Gt(time.Now())).Count(ctx); !errors.Is(err, ogm.ErrNotSaved) {
		t.Fatalf("Count: %v", err)
	}
	yields := 0
	for _, err := range unsaved.City().Exclude(CityName.Eq("x")).Iter(ctx) {
		yields++
		if !errors.Is(err, ogm.ErrNotSaved) {
			t.Fatalf("Iter: %v", err)
		}
	}
	if yields != 1 {
		t.Fatalf("Iter yielded %d times, want the error once", yields)
	}
	nodes := PersonNodes(nil).Filter(PersonAge.Gt(3))
	if _, err := nodes.All(ctx); !errors.Is(err, ogm.ErrNoDB) {
		t.Fatalf("All without a database: %v", err)
	}
	if _, err := nodes.Count(ctx); !errors.Is(err, ogm.ErrNoDB) {
		t.Fatalf("Count without a database: %v", err)
	}
	if _, err := PersonNodes(nil).Create(ctx, &Person{Name: "x"}); !errors.Is(err, ogm.ErrNoDB) {
		t.Fatalf("Create without a database: %v", err)
	}
}

// TestConnectUndirectedWithALimit: a direction: both relationship with a
// limit (Person.partner, zero_or_one) is written with a direction of its
// own (Neo4j's CREATE takes no undirected pattern), seen from both ends,
// and its limit holds on both.
func TestConnectUndirectedWithALimit(t *testing.T) {
	ctx, db := fixture(t)
	ps := []*Person{{Name: "Jim"}, {Name: "Ann"}, {Name: "Bob"}}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	jim, ann, bob := ps[0], ps[1], ps[2]
	since := time.Date(2021, 5, 1, 10, 0, 0, 0, time.UTC)
	k := &Knows{Since: since}
	if err := jim.Partner().Connect(ctx, ann, k); err != nil {
		t.Fatalf("Connect of an undirected, limited relationship: %v", err)
	}
	if k.ElementID() == "" || k.StartID() != jim.ElementID() || k.EndID() != ann.ElementID() {
		t.Fatalf("the model after Connect: %q %q→%q", k.ElementID(), k.StartID(), k.EndID())
	}
	if p, err := ann.Partner().Single(ctx); err != nil || p.ElementID() != jim.ElementID() {
		t.Fatalf("Ann's partner: %v %v", p, err)
	}
	if err := ann.Partner().Connect(ctx, jim); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatalf("the same pair again, from the other end: %v", err)
	}
	if err := bob.Partner().Connect(ctx, ann); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("a second partner for Ann: %v", err)
	}
	if err := ann.Partner().Connect(ctx, bob); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("Ann takes a second partner: %v", err)
	}
	if n, err := bob.Partner().Count(ctx); n != 0 || err != nil {
		t.Fatalf("Bob's partners after the refusals: %d %v", n, err)
	}
}
