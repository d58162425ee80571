package people_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// Issue #17, item 1: Connect to a pair already connected says so, and
// fills the given relationship value with the stored one.
func TestConnectAlreadyConnected(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	bob := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Bob"}))
	t0 := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	first := &Knows{Since: t0}
	if err := jim.Knows().Connect(ctx, bob, first); err != nil {
		t.Fatal(err)
	}
	if first.ElementID() == "" || first.StartID() != jim.ElementID() || first.EndID() != bob.ElementID() || first.RelType() != "KNOWS" {
		t.Fatalf("the created relationship is not in the value: %q %q→%q %q", first.ElementID(), first.StartID(), first.EndID(), first.RelType())
	}
	// The value can be saved: it is bound to the stored relationship.
	first.Since = t0.AddDate(1, 0, 0)
	if err := first.Save(ctx); err != nil {
		t.Fatalf("saving the created relationship: %v", err)
	}
	second := &Knows{Since: t0.AddDate(20, 0, 0)}
	err := bob.Knows().Connect(ctx, jim, second)
	if !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatalf("second Connect of the pair: %v; want ErrAlreadyConnected", err)
	}
	if second.ElementID() != first.ElementID() || !second.Since.Equal(t0.AddDate(1, 0, 0)) {
		t.Fatalf("the found relationship is not in the value: %q since %v (stored %q since %v)", second.ElementID(), second.Since, first.ElementID(), first.Since)
	}
	if err := jim.City().Connect(ctx, must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Oslo"}))); err != nil {
		t.Fatal(err)
	}
	oslo := must[*City](t)(CityNodes(db).Get(ctx, CityName.Eq("Oslo")))
	if err := jim.City().Connect(ctx, oslo); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatalf("second Connect without a model: %v", err)
	}
}

// Concurrent connects of one pair create one relationship; every other
// caller learns that it did not create it.
func TestConcurrentConnectsOfOnePair(t *testing.T) {
	ctx, db := fixture(t)
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	bob := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Bob"}))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	rels := make([]*Knows, n)
	already := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rels[i] = &Knows{Since: time.Date(2000+i, 1, 1, 0, 0, 0, 0, time.UTC)}
			// The "create once" pattern: finding the relationship there is
			// no reason to roll back (which would restore the value).
			errs[i] = db.Write(ctx, func(ctx context.Context) error {
				err := jim.Knows().Connect(ctx, bob, rels[i])
				already[i] = errors.Is(err, ogm.ErrAlreadyConnected)
				if already[i] {
					return nil
				}
				return err
			})
		}()
	}
	wg.Wait()
	created, found := 0, 0
	for i, err := range errs {
		switch {
		case err != nil:
			t.Fatalf("connect %d: %v", i, err)
		case already[i]:
			found++
		default:
			created++
		}
		if rels[i].ElementID() == "" {
			t.Errorf("connect %d left its value unbound", i)
		}
	}
	res, err := db.Cypher(ctx, "MATCH (:Person)-[r:KNOWS]-(:Person) RETURN count(DISTINCT r)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0].(int64); created != 1 || found != n-1 || got != 1 {
		t.Fatalf("%d created, %d found, %d stored; want 1, %d, 1", created, found, got, n-1)
	}
}

// Item 5: locking a node for a cardinality check leaves its data alone,
// and so does GetOrCreate's creation mark.
func TestLocksLeaveUserData(t *testing.T) {
	ctx, db := fixture(t)
	if _, err := db.Cypher(ctx, "CREATE (:Person {name: 'Jim', _gonode_lock: 'mine', _gonode_new: 'mine too'}), (:Country {code: 'DE'}), (:Country {code: 'US'})", nil); err != nil {
		t.Fatal(err)
	}
	jim := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("Jim")))
	de := must[*Country](t)(CountryNodes(db).Get(ctx, CountryCode.Eq("DE")))
	us := must[*Country](t)(CountryNodes(db).Get(ctx, CountryCode.Eq("US")))
	steps := map[string]func() error{
		"connect":    func() error { return jim.Country().Connect(ctx, de) },
		"reconnect":  func() error { return jim.Country().Reconnect(ctx, de, us) },
		"replace":    func() error { return jim.Country().Replace(ctx, de) },
		"disconnect": func() error { return jim.Country().Disconnect(ctx, de) },
		"get or create": func() error {
			_, err := PersonNodes(db).GetOrCreate(ctx, &Person{Name: "Jim"})
			return err
		},
	}
	for _, name := range []string{"connect", "reconnect", "replace", "disconnect", "get or create"} {
		if err := steps[name](); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := db.Cypher(ctx, "MATCH (p:Person {name: 'Jim'}) RETURN p._gonode_lock, p._gonode_new", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0][0] != "mine" || res.Rows[0][1] != "mine too" {
			t.Fatalf("after %s the user's properties are %v", name, res.Rows[0])
		}
	}
}

// Item 2: the Go values touched in a transaction that rolls back are as
// they were before it.
func TestRollbackRestoresValues(t *testing.T) {
	ctx, db := fixture(t)
	errStop := errors.New("stop")
	p := &Person{Name: "Rolled"}
	err := db.Write(ctx, func(ctx context.Context) error {
		if _, err := PersonNodes(db).Create(ctx, p); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatal(err)
	}
	if p.IsSaved() || p.ElementID() != "" {
		t.Fatalf("a node created in a rolled-back transaction reads as saved (%q)", p.ElementID())
	}
	if _, err := PersonNodes(db).Create(ctx, p); err != nil {
		t.Fatalf("creating it again: %v", err)
	}
	err = db.Write(ctx, func(ctx context.Context) error {
		if err := p.Delete(ctx); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatal(err)
	}
	if p.IsDeleted() || !p.IsSaved() {
		t.Fatal("a node deleted in a rolled-back transaction reads as deleted")
	}
	p.Age = 7
	if err := p.Save(ctx); err != nil {
		t.Fatalf("saving it after the rollback: %v", err)
	}
	// Refresh and GetOrCreate change the whole value: a rollback restores it.
	p.Age = 8
	err = db.Write(ctx, func(ctx context.Context) error {
		if err := p.Refresh(ctx); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) || p.Age != 8 {
		t.Fatalf("refresh rolled back: %v, age %d; want 8", err, p.Age)
	}
}

// A transaction the driver retries (here after a deadlock) runs the
// function again on values as they were before the first attempt.
func TestRetriedTransactionStartsFromScratch(t *testing.T) {
	ctx, db := fixture(t)
	a := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "AA"}))
	b := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "BB"}))
	lock := func(ctx context.Context, c *Country) error {
		_, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id SET n.touched = true", map[string]any{"id": c.ElementID()})
		return err
	}
	var barrier sync.WaitGroup
	barrier.Add(2)
	attempts := make([]int, 2)
	people := [][]*Person{{{Name: "r0a"}, {Name: "r0b"}}, {{Name: "r1a"}, {Name: "r1b"}}}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, second := a, b
			if i == 1 {
				first, second = b, a
			}
			errs[i] = db.Write(ctx, func(ctx context.Context) error {
				attempts[i]++
				if err := PersonNodes(db).CreateMany(ctx, people[i]); err != nil {
					return err
				}
				if err := lock(ctx, first); err != nil {
					return err
				}
				if attempts[i] == 1 {
					barrier.Done()
					barrier.Wait() // both hold their first lock: a deadlock
				}
				return lock(ctx, second)
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v (attempts %v)", i, err, attempts)
		}
	}
	if attempts[0]+attempts[1] < 3 {
		t.Fatalf("attempts %v: no retry happened, the test did not deadlock", attempts)
	}
	n, err := PersonNodes(db).Filter(PersonName.In("r0a", "r0b", "r1a", "r1b")).Count(ctx)
	if err != nil || n != 4 {
		t.Fatalf("%d people stored, want 4 (%v)", n, err)
	}
}

// Save writes only into a node of the value's own type.
func TestSaveChecksTheLabel(t *testing.T) {
	ctx, db := fixture(t)
	city := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Paris"}))
	stray := &Person{NodeBase: city.NodeBase, Name: "Intruder"}
	if err := stray.Save(ctx); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("a Person value on a City's element id saved: %v", err)
	}
	res, err := db.Cypher(ctx, "MATCH (c:City {name: 'Paris'}) RETURN c.name, c.uid", nil)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][1] != nil {
		t.Fatalf("the City was written to: %v %v", res.Rows, err)
	}
}

// Item 3: deleting a node that others must have (a one relationship) is
// refused, naming both ends.
func TestDeleteKeepsRequiredRelationships(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	berlin := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Berlin"}))
	if err := berlin.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	err := de.Delete(ctx)
	var ce *ogm.CardinalityError
	if !errors.As(err, &ce) || ce.NodeID != berlin.ElementID() || !strings.Contains(err.Error(), "City.country") || !strings.Contains(err.Error(), de.ElementID()) {
		t.Fatalf("deleting the only country of a city: %v", err)
	}
	if de.IsDeleted() {
		t.Fatal("the refused delete marked the value deleted")
	}
	if n, err := CountryNodes(db).Filter(CountryCode.Eq("DE")).Count(ctx); err != nil || n != 1 {
		t.Fatalf("the country is gone: %d %v", n, err)
	}
	// Once the city has moved, the country can go.
	fr := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "FR"}))
	if err := berlin.Country().Replace(ctx, fr); err != nil {
		t.Fatal(err)
	}
	if err := de.Delete(ctx); err != nil {
		t.Fatalf("deleting a country no city needs: %v", err)
	}
}

// Item 4: removing a key from Extra removes it from the node; a value
// Neo4j cannot store is a validation error.
func TestExtraKeysRemoved(t *testing.T) {
	ctx, db := fixture(t)
	n := must[*Note](t)(NoteNodes(db).Create(ctx, &Note{Title: "t", Extra: map[string]any{"a": int64(1), "b": "two"}}))
	delete(n.Extra, "a")
	if err := n.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := n.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := n.Extra["a"]; ok || n.Extra["b"] != "two" {
		t.Fatalf("Extra after removing a: %v", n.Extra)
	}
	n.Extra["bad"] = map[string]any{"nested": 1}
	if err := n.Save(ctx); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("a map in Extra: %v; want ErrValidation", err)
	}
	n.Extra["bad"] = struct{ X int }{1}
	if _, err := NoteNodes(db).Create(ctx, &Note{Title: "u", Extra: map[string]any{"bad": struct{ X int }{1}}}); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("a struct in Extra: %v; want ErrValidation", err)
	}
}

// Item 7: Create on a filtered or scoped node set is refused, not run
// without the filter.
func TestCreateOnlyOnAManager(t *testing.T) {
	ctx, db := fixture(t)
	if _, err := PersonNodes(db).Filter(PersonAge.Gt(30)).Create(ctx, &Person{Name: "Young", Age: 3}); err == nil {
		t.Fatal("Create on a filtered node set created")
	}
	jim := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: "Jim"}))
	if err := jim.Knows().Filter(PersonAge.Gt(1)).CreateMany(ctx, []*Person{{Name: "Stranger"}}); err == nil {
		t.Fatal("CreateMany on a relationship's targets created")
	}
	if n, _ := PersonNodes(db).Filter(PersonName.In("Young", "Stranger")).Count(ctx); n != 0 {
		t.Fatalf("%d nodes created through refused calls", n)
	}
}

// Item 8: Save of a value never created says how to create it.
func TestSaveOfANewValue(t *testing.T) {
	err := (&Person{Name: "New"}).Save(context.Background())
	if !errors.Is(err, ogm.ErrNoDB) || !strings.Contains(err.Error(), "PersonNodes(db).Create") {
		t.Fatalf("Save of a new value: %v", err)
	}
}

// Data another writer left below a minimum (a City with no country) reads
// as documented in docs/reliability.md: the calls that hand out the
// targets report the broken rule with what they found; counts and filters
// report the data as it is.
func TestReadsOfBrokenCardinality(t *testing.T) {
	ctx, db := fixture(t)
	if _, err := db.Cypher(ctx, "CREATE (:City {name: 'Nowhere'})", nil); err != nil {
		t.Fatal(err)
	}
	city := must[*City](t)(CityNodes(db).Get(ctx, CityName.Eq("Nowhere")))
	var ce *ogm.CardinalityError
	if all, err := city.Country().All(ctx); !errors.As(err, &ce) || ce.Found != 0 || len(all) != 0 || ce.NodeID != city.ElementID() {
		t.Fatalf("All: %v %v", all, err)
	}
	if one, err := city.Country().Single(ctx); !errors.As(err, &ce) || one != nil {
		t.Fatalf("Single: %v %v", one, err)
	}
	if n, err := city.Country().Count(ctx); err != nil || n != 0 {
		t.Fatalf("Count: %d %v", n, err)
	}
	// FetchRelations matches the relationship (neomodel's semantics): the
	// city is not among the cities with a country; Optional keeps it.
	if _, err := CityNodes(db).FetchRelations(CityCountry).Get(ctx, CityName.Eq("Nowhere")); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("FetchRelations(CityCountry).Get: %v", err)
	}
	got, err := CityNodes(db).FetchRelations(ogm.Optional(CityCountry)).Get(ctx, CityName.Eq("Nowhere"))
	if err != nil || got.Fetched.Country != nil {
		t.Fatalf("FetchRelations(Optional(CityCountry)).Get: %v %v", got, err)
	}
	if n, err := CityNodes(db).Filter(CityCountry.HasNot()).Count(ctx); err != nil || n != 1 {
		t.Fatalf("cities without a country: %d %v", n, err)
	}
}

// A Delete racing Connects to the node it deletes never leaves a node
// without its one relationship: either the delete is refused, or the
// connects that come after it fail (and their transactions roll back).
func TestDeleteRacesConnect(t *testing.T) {
	ctx, db := fixture(t)
	for round := range 4 {
		de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "R" + string(rune('0'+round))}))
		var wg sync.WaitGroup
		const n = 6
		errs := make([]error, n)
		var delErr error
		// Each request has a value of its own, as a service loading the
		// country per request would (a Go value is not for sharing between
		// goroutines that change it).
		targets := make([]Country, n)
		for i := range targets {
			targets[i] = *de
		}
		wg.Add(n + 1)
		go func() {
			defer wg.Done()
			delErr = de.Delete(ctx)
		}()
		for i := range n {
			target := &targets[i]
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(ctx context.Context) error {
					c, err := CityNodes(db).Create(ctx, &City{Name: "c"})
					if err != nil {
						return err
					}
					return c.Country().Connect(ctx, target)
				})
			}()
		}
		wg.Wait()
		connected := 0
		for _, err := range errs {
			if err == nil {
				connected++
			}
		}
		t.Logf("round %d: delete %v, %d connected", round, delErr != nil, connected)
		if delErr == nil && connected > 0 {
			// The connects that succeeded must have come first, and then the
			// delete had to be refused.
			t.Fatalf("round %d: the delete succeeded and %d connects too", round, connected)
		}
		if delErr != nil && !errors.Is(delErr, ogm.ErrCardinality) {
			t.Fatalf("round %d: delete: %v", round, delErr)
		}
		res, err := db.Cypher(ctx, "MATCH (c:City) WHERE NOT (c)-[:FROM_COUNTRY]->(:Country) RETURN count(c)", nil)
		if err != nil {
			t.Fatal(err)
		}
		if left := res.Rows[0][0].(int64); left != 0 {
			t.Fatalf("round %d: %d cities without a country (delete: %v, %d connected)", round, left, delErr, connected)
		}
		if _, err := db.Cypher(ctx, "MATCH (c:City) DETACH DELETE c", nil); err != nil {
			t.Fatal(err)
		}
	}
}

// Item 11: an ogm call inside an Iter loop body waits for the connection
// the loop holds; with every connection so held it fails with
// ErrPoolExhausted after the acquire timeout (it was a retryable
// ErrUnavailable after the driver's 30 s retry budget; the context's 15 s
// deadline tells the two apart).
func TestIterBodyCallExhaustsThePool(t *testing.T) {
	_, shared := fixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, name := range []string{"a", "b", "c"} {
		must[*Person](t)(PersonNodes(shared).Create(ctx, &Person{Name: name}))
	}
	db := testenv.Open(t, ogm.WithMaxPoolSize(1), ogm.WithAcquireTimeout(200*time.Millisecond))
	var inner error
	seen := 0
	for _, err := range PersonNodes(db).Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		_, inner = PersonNodes(db).Count(ctx)
		break
	}
	if seen != 1 || !errors.Is(inner, ogm.ErrPoolExhausted) || ctx.Err() != nil || !strings.Contains(inner.Error(), "Iter") {
		t.Fatalf("a call in the loop body: %v (context: %v)", inner, ctx.Err())
	}
	if n, err := PersonNodes(db).Count(ctx); err != nil || n != 3 {
		t.Fatalf("after the loop: %d %v", n, err)
	}
}

// Item 10: a Regex or IRegex pattern longer than ogm.MaxPatternLength is a
// validation error, and nothing is sent; one of that length runs.
func TestRegexPatternBound(t *testing.T) {
	ctx, _ := fixture(t)
	sent := 0
	db := testenv.Open(t, ogm.WithObserver(func(ogm.Query) { sent++ }))
	long := strings.Repeat("a", ogm.MaxPatternLength+1)
	for name, q := range map[string]*ogm.Nodes[*Person]{
		"Regex":         PersonNodes(db).Filter(PersonName.Regex(long)),
		"IRegex":        PersonNodes(db).Filter(PersonName.IRegex(long)),
		"Or":            PersonNodes(db).Filter(ogm.Or(PersonAge.Gt(1), PersonName.Regex(long))),
		"Not in a path": PersonNodes(db).Filter(PersonKnows.Where(ogm.Not(PersonName.Regex(long)))),
		"Exclude":       PersonNodes(db).Filter(PersonName.Eq("x")).Exclude(PersonName.IRegex(long)),
		"with a fetch":  PersonNodes(db).Filter(PersonName.Regex(long)).FetchRelations(ogm.Optional(PersonCity)),
	} {
		_, err := q.All(ctx)
		if !errors.Is(err, ogm.ErrValidation) || !strings.Contains(err.Error(), "MaxPatternLength") {
			t.Errorf("%s: All with a %d-byte pattern: %v", name, len(long), err)
		}
		if _, err := q.Count(ctx); !errors.Is(err, ogm.ErrValidation) {
			t.Errorf("%s: Count: %v", name, err)
		}
	}
	if sent != 0 {
		t.Fatalf("%d queries sent with a pattern over the bound", sent)
	}
	if _, err := PersonNodes(db).Filter(PersonName.Regex(long[1:])).All(ctx); err != nil {
		t.Fatalf("a pattern of the maximum length: %v", err)
	}
}

// The refusals of relationship writes are the call's own typed errors, not
// database errors: found by the bulk-connect work, where Connect's
// *CardinalityError came back wrapped as ErrDatabase ("connect: database
// error: …").
func TestRelationshipRefusalsAreNotDatabaseErrors(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	fr := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "FR"}))
	berlin := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Berlin"}))
	if err := berlin.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		var ce *ogm.CardinalityError
		if !errors.As(err, &ce) || errors.Is(err, ogm.ErrDatabase) || strings.Contains(err.Error(), "database error") {
			t.Errorf("%s: %v (want a *CardinalityError of its own)", what, err)
		}
	}
	// A second country for a city of one: refused by the count after the write.
	check("connect", berlin.Country().Connect(ctx, fr))
	// The last country of a city of one.
	check("disconnect", berlin.Country().Disconnect(ctx, de))
	check("disconnect all", berlin.Country().DisconnectAll(ctx))
	// Inside a transaction too.
	err := db.Write(ctx, func(ctx context.Context) error { return berlin.Country().Connect(ctx, fr) })
	check("connect in Write", err)
	if n, err := berlin.Country().Count(ctx); err != nil || n != 1 {
		t.Fatalf("the city has %d countries: %v", n, err)
	}
}
