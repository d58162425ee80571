package people_test

// Races on the generated API: 100 goroutines at once on one unique value,
// one to-one relationship, one node. Run with -race:
//
//	go test -race -run Race ./ogm/internal/example/people

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

const racers = 100

// raceDB opens the database; every node the test registers with its
// cleanup func is deleted (by element id) when the test ends.
func raceDB(t *testing.T) (context.Context, *ogm.DB, func(ids ...string)) {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	var mu sync.Mutex
	var ids []string
	t.Cleanup(func() {
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) IN $ids DETACH DELETE n", map[string]any{"ids": ids}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return ctx, db, func(more ...string) {
		mu.Lock()
		defer mu.Unlock()
		ids = append(ids, more...)
	}
}

// randomName is a value no other test uses (the Person and Country labels
// are shared, and a unique constraint on them may be installed).
func randomName(t testing.TB, prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// race runs fn(i) for i in [0, racers) in as many goroutines, released at
// the same moment.
func race(fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

// TestRaceUniqueCreate: 100 creates of the same unique name; exactly one
// wins and every other gets the typed constraint error. The node type is
// the generated Person under a label of the test's own, with its own
// uniqueness constraint, so the test needs no shared schema.
func TestRaceUniqueCreate(t *testing.T) {
	ctx, db, _ := raceDB(t)
	label := testenv.Label(t)
	typ := *PersonType
	typ.Label, typ.Labels = label, []string{label}
	constraint := "constraint_unique_" + label + "_name"
	if _, err := db.Cypher(ctx, "CREATE CONSTRAINT "+ogm.Quote(constraint)+" FOR (n:"+ogm.Quote(label)+") REQUIRE n.name IS UNIQUE", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") DETACH DELETE n", nil)
		if _, err := db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(constraint)+" IF EXISTS", nil); err != nil {
			t.Errorf("drop constraint: %v", err)
		}
	})

	var mu sync.Mutex
	var winners []*Person
	var refused int
	race(func(i int) {
		p, err := ogm.NewNodes[*Person](db, &typ).Create(ctx, &Person{Name: "Same", Age: i})
		mu.Lock()
		defer mu.Unlock()
		var oe *ogm.Error
		switch {
		case err == nil:
			winners = append(winners, p)
		case errors.Is(err, ogm.ErrConstraint) && errors.As(err, &oe) && oe.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" && !oe.Retryable:
			refused++
			if p != nil {
				t.Errorf("racer %d: a node returned with the error", i)
			}
		default:
			t.Errorf("racer %d: %v", i, err)
		}
	})
	if len(winners) != 1 || refused != racers-1 {
		t.Fatalf("%d creates won, %d refused with ErrConstraint; want 1 and %d", len(winners), refused, racers-1)
	}
	got, err := ogm.NewNodes[*Person](db, &typ).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ElementID() != winners[0].ElementID() || got[0].Age != winners[0].Age {
		t.Fatalf("stored %d nodes (%+v); want the winner %+v", len(got), got, winners[0])
	}
}

// TestRaceConnectToOne: 100 concurrent connects on zero_or_one and one
// relationships; the cardinality is never exceeded, and every refusal is a
// typed cardinality error.
func TestRaceConnectToOne(t *testing.T) {
	ctx, db, track := raceDB(t)
	countries := make([]*Country, racers)
	for i := range countries {
		c, err := CountryNodes(db).Create(ctx, &Country{Code: randomName(t, "C")})
		if err != nil {
			t.Fatal(err)
		}
		track(c.ElementID())
		countries[i] = c
	}
	// check races connect; one racer succeeds, every other is refused with
	// refusal (the pair or the limit taken).
	check := func(t *testing.T, what string, refusal error, connect func(i int) error, stored func() int64) {
		var mu sync.Mutex
		var ok, refused int
		race(func(i int) {
			err := connect(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, refusal):
				refused++
			default:
				t.Errorf("%s, racer %d: %v", what, i, err)
			}
		})
		if ok != 1 || refused != racers-1 {
			t.Errorf("%s: %d connects succeeded, %d refused; want 1 and %d", what, ok, refused, racers-1)
		}
		if n := stored(); n != 1 {
			t.Errorf("%s: %d relationships stored; want 1", what, n)
		}
	}
	count := func(query, id string) func() int64 {
		return func() int64 {
			res, err := db.Cypher(ctx, query, map[string]any{"id": id})
			if err != nil {
				t.Fatal(err)
			}
			return res.Rows[0][0].(int64)
		}
	}

	t.Run("zero_or_one to distinct targets", func(t *testing.T) {
		jim, err := PersonNodes(db).Create(ctx, &Person{Name: randomName(t, "jim")})
		if err != nil {
			t.Fatal(err)
		}
		track(jim.ElementID())
		check(t, "Person.country", ogm.ErrCardinality, func(i int) error {
			if i%2 == 0 {
				return jim.Country().Connect(ctx, countries[i])
			}
			return countries[i].Inhabitant().Connect(ctx, jim) // from the other end
		}, count("MATCH (p)-[r:IS_FROM]->(:Country) WHERE elementId(p) = $id RETURN count(r)", jim.ElementID()))
	})
	t.Run("zero_or_one to the same target", func(t *testing.T) {
		ann, err := PersonNodes(db).Create(ctx, &Person{Name: randomName(t, "ann")})
		if err != nil {
			t.Fatal(err)
		}
		track(ann.ElementID())
		check(t, "Person.country, same country", ogm.ErrAlreadyConnected, func(i int) error {
			return ann.Country().Connect(ctx, countries[0])
		}, count("MATCH (p)-[r:IS_FROM]->(:Country) WHERE elementId(p) = $id RETURN count(r)", ann.ElementID()))
	})
	t.Run("one", func(t *testing.T) {
		city, err := CityNodes(db).Create(ctx, &City{Name: randomName(t, "city")})
		if err != nil {
			t.Fatal(err)
		}
		track(city.ElementID())
		check(t, "City.country", ogm.ErrCardinality, func(i int) error {
			return city.Country().Connect(ctx, countries[i])
		}, count("MATCH (c)-[r:FROM_COUNTRY]->(:Country) WHERE elementId(c) = $id RETURN count(r)", city.ElementID()))
		if got, err := city.Country().Single(ctx); err != nil || got == nil {
			t.Errorf("Single after the race: %v, %v", got, err)
		}
	})
}

// TestRaceSave: 100 goroutines each load the same node and Save their own
// version of it. Every Save succeeds; the stored node is one racer's
// version whole (no mix of two), it is a version whose Save no other Save
// began after (last write wins), and the properties no racer changed, as
// well as one the type does not declare, are all still there.
func TestRaceSave(t *testing.T) {
	ctx, db, track := raceDB(t)
	name := randomName(t, "saved")
	born := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	p, err := PersonNodes(db).Create(ctx, &Person{Name: name, Age: 1, Born: born, Tags: []string{"initial"}})
	if err != nil {
		t.Fatal(err)
	}
	track(p.ElementID())
	if _, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id SET n.undeclared = 'keep'", map[string]any{"id": p.ElementID()}); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	began := make([]time.Time, racers)
	ended := make([]time.Time, racers)
	race(func(i int) {
		mine, err := PersonNodes(db).Get(ctx, PersonName.Eq(name))
		if err != nil {
			t.Errorf("racer %d: get: %v", i, err)
			return
		}
		mine.Age = 100 + i
		mine.Tags = []string{fmt.Sprint(i), "racer"}
		mine.Sex = []string{"M", "F"}[i%2]
		start := time.Now()
		err = mine.Save(ctx)
		end := time.Now()
		mu.Lock()
		defer mu.Unlock()
		began[i], ended[i] = start, end
		if err != nil {
			t.Errorf("racer %d: save: %v", i, err)
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	w := p.Age - 100
	if w < 0 || w >= racers {
		t.Fatalf("stored age %d is no racer's", p.Age)
	}
	if !slices.Equal(p.Tags, []string{fmt.Sprint(w), "racer"}) || p.Sex != []string{"M", "F"}[w%2] {
		t.Errorf("stored node mixes versions: age of racer %d, tags %q, sex %q", w, p.Tags, p.Sex)
	}
	if p.Name != name || !p.Born.Equal(born) || p.UID == "" {
		t.Errorf("unchanged properties lost: name %q, born %v, uid %q", p.Name, p.Born, p.UID)
	}
	for j := range racers {
		if began[j].After(ended[w]) {
			t.Errorf("racer %d's Save began after racer %d's ended, yet racer %d's version is stored", j, w, w)
			break
		}
	}
	res, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id RETURN n.undeclared, n.uid", map[string]any{"id": p.ElementID()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != "keep" || res.Rows[0][1] != p.UID {
		t.Errorf("properties lost by Save: undeclared %v, uid %v", res.Rows[0][0], res.Rows[0][1])
	}
}

// TestRaceGetOrCreate: 100 concurrent GetOrCreate calls with the same
// unique name, under a uniqueness constraint (GetOrCreate's documented
// condition for its promise): every call succeeds, all return the one node,
// and one node is stored.
func TestRaceGetOrCreate(t *testing.T) {
	ctx, db, _ := raceDB(t)
	label := testenv.Label(t)
	typ := *PersonType
	typ.Label, typ.Labels = label, []string{label}
	constraint := "constraint_unique_" + label + "_name"
	if _, err := db.Cypher(ctx, "CREATE CONSTRAINT "+ogm.Quote(constraint)+" FOR (n:"+ogm.Quote(label)+") REQUIRE n.name IS UNIQUE", nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") DETACH DELETE n", nil)
		if _, err := db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(constraint)+" IF EXISTS", nil); err != nil {
			t.Errorf("drop constraint: %v", err)
		}
	})

	ids := make([]string, racers)
	race(func(i int) {
		p, err := ogm.NewNodes[*Person](db, &typ).GetOrCreate(ctx, &Person{Name: "Same", Age: i})
		if err != nil {
			t.Errorf("racer %d: %v", i, err)
			return
		}
		ids[i] = p.ElementID()
	})
	if t.Failed() {
		t.FailNow()
	}
	for i, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("racer %d got node %q, racer 0 %q", i, id, ids[0])
		}
	}
	got, err := ogm.NewNodes[*Person](db, &typ).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ElementID() != ids[0] {
		t.Fatalf("%d nodes stored; want 1", len(got))
	}
}
