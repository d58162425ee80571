package people_test

// Bulk writes (issue #20 item 5): ConnectMany, SaveMany, a node set's
// Delete and Update, each one query.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// relCount counts the relationships matched by pattern, e.g.
// "(:Person)-[r:IS_FROM]->()".
func relCount(t *testing.T, ctx context.Context, db *ogm.DB, pattern string) int64 {
	t.Helper()
	res, err := db.Cypher(ctx, "MATCH "+pattern+" RETURN count(r)", nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows[0][0].(int64)
}

func createPeople(t *testing.T, ctx context.Context, db *ogm.DB, names ...string) []*Person {
	t.Helper()
	ps := make([]*Person, len(names))
	for i, n := range names {
		ps[i] = &Person{Name: n}
	}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestConnectManyReportsWhatExisted(t *testing.T) {
	ctx, db := fixture(t)
	ps := createPeople(t, ctx, db, "Jim", "Ann")
	jim, ann := ps[0], ps[1]
	rome := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Rome"}))
	oslo := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Oslo"}))
	if err := jim.City().Connect(ctx, rome); err != nil {
		t.Fatal(err)
	}
	res, err := ogm.ConnectMany(ctx, PersonCity, []ogm.Pair[*Person, *City, *ogm.Rel]{
		ogm.PairOf(jim, rome), // connected before
		ogm.PairOf(ann, rome),
		ogm.PairOf(jim, oslo),
		ogm.PairOf(ann, rome), // twice in the call
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || !errors.Is(res[0], ogm.ErrAlreadyConnected) || res[1] != nil || res[2] != nil || !errors.Is(res[3], ogm.ErrAlreadyConnected) {
		t.Fatalf("results: %v", res)
	}
	var ne *ogm.NodeError
	if !errors.As(res[0], &ne) || ne.ID != jim.ElementID() {
		t.Errorf("already connected names %v, want jim", res[0])
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:LIVES_IN]->(:City)"); n != 3 {
		t.Errorf("%d LIVES_IN stored, want 3", n)
	}

	// With a model: the defaults apply, each value is bound to its
	// relationship; an undirected pair given both ways is one pair.
	k1, k2 := &Knows{}, &Knows{}
	res, err = ogm.ConnectMany(ctx, PersonKnows, []ogm.Pair[*Person, *Person, *Knows]{ogm.PairWith(jim, ann, k1), ogm.PairWith(ann, jim, k2)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != nil || !errors.Is(res[1], ogm.ErrAlreadyConnected) {
		t.Fatalf("knows results: %v", res)
	}
	if k1.ElementID() == "" || k1.ElementID() != k2.ElementID() || k1.Since.IsZero() || !k1.Since.Equal(k2.Since) {
		t.Errorf("relationship values not filled: %+v %+v", k1, k2)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:KNOWS]->(:Person)"); n != 1 {
		t.Errorf("%d KNOWS stored, want 1", n)
	}
	// multiple: every pair is a relationship of its own.
	on := day(2024, 3, 1)
	res, err = ogm.ConnectMany(ctx, PersonVisited, []ogm.Pair[*Person, *City, *Visit]{ogm.PairWith(jim, rome, &Visit{On: on}), ogm.PairWith(jim, rome, &Visit{On: on})})
	if err != nil || res[0] != nil || res[1] != nil {
		t.Fatalf("visits: %v %v", res, err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:VISITED]->(:City)"); n != 2 {
		t.Errorf("%d VISITED stored, want 2", n)
	}
	// A model's rules are checked before anything is sent.
	_, err = ogm.ConnectMany(ctx, PersonVisited, []ogm.Pair[*Person, *City, *Visit]{ogm.PairWith(ann, oslo, &Visit{On: on}), ogm.PairWith(ann, oslo, &Visit{})})
	var ie *ogm.ItemError
	if !errors.Is(err, ogm.ErrValidation) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Fatalf("visit without a date: %v", err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:VISITED]->(:City)"); n != 2 {
		t.Errorf("%d VISITED stored after the refused call, want 2", n)
	}
	// A pair whose model is not the relationship's is refused.
	if _, err := ogm.ConnectMany(ctx, PersonKnows, []ogm.Pair[*Person, *Person, *Visit]{ogm.PairWith(jim, ann, &Visit{})}); !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("wrong model: %v", err)
	}
	// A path is not a relationship.
	if _, err := ogm.ConnectMany(ctx, ogm.Then(PersonCity, CityCountry), []ogm.Pair[*Person, *Country, *ogm.Rel]{}); !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("a path: %v", err)
	}
	// An unsaved node fails the call before anything is sent.
	if _, err := ogm.ConnectMany(ctx, PersonCity, []ogm.Pair[*Person, *City, *ogm.Rel]{ogm.PairOf(ann, oslo), ogm.PairOf(&Person{}, oslo)}); !errors.Is(err, ogm.ErrNotSaved) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Errorf("unsaved: %v", err)
	}
}

func TestConnectManyCardinalityFailsWhole(t *testing.T) {
	ctx, db := fixture(t)
	ps := createPeople(t, ctx, db, "Jim", "Ann", "Bob", "Eve")
	jim, ann, bob, eve := ps[0], ps[1], ps[2], ps[3]
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	fr := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "FR"}))
	if err := jim.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	var ie *ogm.ItemError
	var ce *ogm.CardinalityError
	_, err := ogm.ConnectMany(ctx, PersonCountry, []ogm.Pair[*Person, *Country, *ogm.Rel]{ogm.PairOf(ann, fr), ogm.PairOf(jim, fr)})
	if !errors.As(err, &ie) || ie.Index != 1 || !errors.As(err, &ce) || ce.NodeID != jim.ElementID() {
		t.Fatalf("jim's second country: %v", err)
	}
	// Two pairs of one batch giving Bob two countries.
	_, err = ogm.ConnectMany(ctx, PersonCountry, []ogm.Pair[*Person, *Country, *ogm.Rel]{ogm.PairOf(bob, de), ogm.PairOf(ann, de), ogm.PairOf(bob, fr)})
	if !errors.Is(err, ogm.ErrCardinality) || !errors.As(err, &ce) || ce.NodeID != bob.ElementID() {
		t.Fatalf("bob's two countries: %v", err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:IS_FROM]->(:Country)"); n != 1 {
		t.Errorf("%d IS_FROM stored after refused batches, want jim's 1", n)
	}

	// The undirected zero_or_one partner (both ends limited), with values
	// that stay as they were.
	k1, k2 := &Knows{}, &Knows{}
	_, err = ogm.ConnectMany(ctx, PersonPartner, []ogm.Pair[*Person, *Person, *Knows]{ogm.PairWith(jim, ann, k1), ogm.PairWith(eve, ann, k2)})
	if !errors.As(err, &ce) || ce.NodeID != ann.ElementID() {
		t.Errorf("ann's two partners: %v", err)
	}
	if k1.ElementID() != "" || !k1.Since.IsZero() || k2.ElementID() != "" || !k2.Since.IsZero() {
		t.Errorf("values changed by a refused batch: %+v %+v", k1, k2)
	}
	// Inside a transaction whose function goes on after the error and
	// commits, nothing of the batch is kept either: Bob and Eve's
	// relationship, written before Ann was found taken, is deleted again.
	zed := createPeople(t, ctx, db, "Zed")[0]
	if err := jim.Partner().Connect(ctx, ann); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(ctx context.Context) error {
		_, err := ogm.ConnectMany(ctx, PersonPartner, []ogm.Pair[*Person, *Person, *ogm.Rel]{ogm.PairOf(bob, eve), ogm.PairOf(zed, ann)})
		if !errors.As(err, &ie) || ie.Index != 1 || !errors.As(err, &ce) || ce.NodeID != ann.ElementID() {
			t.Errorf("ann taken: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:PARTNER_OF]-(:Person)"); n != 2 { // jim and ann, both ways
		t.Errorf("%d PARTNER_OF matched after the refused batch, want jim and ann's (2 ways)", n)
	}
	if err := jim.Partner().Disconnect(ctx, ann); err != nil {
		t.Fatal(err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:PARTNER_OF]-(:Person)"); n != 0 {
		t.Errorf("%d PARTNER_OF kept after the refused batches", n)
	}

	// A node gone behind the program's back fails the whole call too.
	if _, err := db.Cypher(ctx, "MATCH (p) WHERE elementId(p) = $id DETACH DELETE p", map[string]any{"id": eve.ElementID()}); err != nil {
		t.Fatal(err)
	}
	_, err = ogm.ConnectMany(ctx, PersonCity, []ogm.Pair[*Person, *City, *ogm.Rel]{
		ogm.PairOf(ann, must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Rome"}))),
		ogm.PairOf(eve, must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Oslo"}))),
	})
	if !errors.Is(err, ogm.ErrDoesNotExist) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Fatalf("a deleted node: %v", err)
	}
	if n := relCount(t, ctx, db, "(:Person)-[r:LIVES_IN]->(:City)"); n != 0 {
		t.Errorf("%d LIVES_IN kept after the refused batch", n)
	}
}

// TestRaceConnectManyAndConnect: a batch and a single Connect race to give
// a person (zero_or_one country) a country; exactly one wins, and a
// losing batch leaves nothing, its other pair included.
func TestRaceConnectManyAndConnect(t *testing.T) {
	ctx, db, track := raceDB(t)
	const rounds = 20
	batchWon, singleWon := 0, 0
	for round := range rounds {
		p := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: randomName(t, "p")}))
		q := must[*Person](t)(PersonNodes(db).Create(ctx, &Person{Name: randomName(t, "q")}))
		c1 := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: randomName(t, "C")}))
		c2 := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: randomName(t, "C")}))
		track(p.ElementID(), q.ElementID(), c1.ElementID(), c2.ElementID())
		var wg sync.WaitGroup
		var batchErr, singleErr error
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			_, batchErr = ogm.ConnectMany(ctx, PersonCountry, []ogm.Pair[*Person, *Country, *ogm.Rel]{ogm.PairOf(q, c1), ogm.PairOf(p, c1)})
		}()
		go func() {
			defer wg.Done()
			<-start
			// From the other end: the single connect locks the country's
			// end too (Country.inhabitant is limited on the person's).
			if round%2 == 0 {
				singleErr = p.Country().Connect(ctx, c2)
			} else {
				singleErr = c2.Inhabitant().Connect(ctx, p)
			}
		}()
		close(start)
		wg.Wait()
		switch {
		case batchErr == nil && errors.Is(singleErr, ogm.ErrCardinality):
			batchWon++
		case singleErr == nil && errors.Is(batchErr, ogm.ErrCardinality):
			singleWon++
		default:
			t.Fatalf("round %d: batch %v, single %v; want one to win, the other refused", round, batchErr, singleErr)
		}
		res, err := db.Cypher(ctx, "MATCH (x)-[r:IS_FROM]->(:Country) WHERE elementId(x) IN $ids RETURN elementId(x), count(r)",
			map[string]any{"ids": []string{p.ElementID(), q.ElementID()}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, row := range res.Rows {
			got[row[0].(string)] = row[1].(int64)
		}
		wantQ := int64(0)
		if batchErr == nil {
			wantQ = 1
		}
		if got[p.ElementID()] != 1 || got[q.ElementID()] != wantQ {
			t.Fatalf("round %d: stored %v; want p 1, q %d", round, got, wantQ)
		}
	}
	t.Logf("batch won %d rounds, single connect %d", batchWon, singleWon)
}

// TestConnectManyOneQuery: 1,000 pairs, one query (whatever the rules:
// merged, limited, multiple).
func TestConnectManyOneQuery(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	const n = 1000
	ps := make([]*Person, n)
	cs := make([]*Country, n)
	for i := range ps {
		ps[i] = &Person{Name: fmt.Sprintf("p%d", i)}
		cs[i] = &Country{Code: fmt.Sprintf("C%d", i)}
	}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if err := CountryNodes(db).CreateMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	// Loaded through the counted handle, so the nodes are bound to it.
	ps = must[[]*Person](t)(PersonNodes(cdb).OrderBy(PersonName.Asc()).All(ctx))
	cs = must[[]*Country](t)(CountryNodes(cdb).OrderBy(CountryCode.Asc()).All(ctx))
	c.take()
	country := make([]ogm.Pair[*Person, *Country, *ogm.Rel], n)
	knows := make([]ogm.Pair[*Person, *Person, *Knows], n)
	for i := range n {
		country[i] = ogm.PairOf(ps[i], cs[i])
		knows[i] = ogm.Pair[*Person, *Person, *Knows]{From: ps[i], To: ps[(i+1)%n], Props: &Knows{}}
	}
	for _, run := range []func() ([]error, error){
		func() ([]error, error) { return ogm.ConnectMany(ctx, PersonCountry, country) },
		func() ([]error, error) { return ogm.ConnectMany(ctx, PersonKnows, knows) },
	} {
		res, err := run()
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range res {
			if e != nil {
				t.Fatalf("pair %d: %v", i, e)
			}
		}
		if q := c.take(); len(q) != 1 {
			t.Fatalf("%d queries for %d pairs, want 1:\n%s", len(q), n, strings.Join(q, "\n"))
		}
	}
	if got := relCount(t, ctx, db, "(:Person)-[r:IS_FROM]->(:Country)"); got != n {
		t.Errorf("%d IS_FROM stored, want %d", got, n)
	}
	if got := relCount(t, ctx, db, "(:Person)-[r:KNOWS]->(:Person)"); got != n {
		t.Errorf("%d KNOWS stored, want %d", got, n)
	}
}

func TestSaveMany(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	const n = 1000
	ps := make([]*Person, n)
	for i := range ps {
		ps[i] = &Person{Name: fmt.Sprintf("p%04d", i), Age: i}
	}
	if err := PersonNodes(cdb).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	c.take()
	for _, p := range ps {
		p.Age++
		p.Tags = []string{"saved"}
	}
	if err := PersonNodes(cdb).SaveMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries to save %d nodes, want 1", len(q), n)
	}
	if got, err := PersonNodes(db).Filter(PersonTags.Contains("saved"), PersonAge.Gte(1)).Count(ctx); err != nil || got != n {
		t.Fatalf("%d saved (%v), want %d", got, err, n)
	}

	// A rule broken by one node writes nothing and leaves the values as
	// they were (uid, the BeforeSave-changed fields).
	a, b := ps[0], ps[1]
	a.Age, b.Age = 100, -1
	err := PersonNodes(cdb).SaveMany(ctx, []*Person{a, b})
	var ie *ogm.ItemError
	if !errors.Is(err, ogm.ErrValidation) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Fatalf("negative age: %v", err)
	}
	if got := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq(a.Name))); got.Age != 1 {
		t.Errorf("a refused batch wrote %d", got.Age)
	}
	// A node deleted behind the program's back: nothing written.
	if _, err := db.Cypher(ctx, "MATCH (p) WHERE elementId(p) = $id DETACH DELETE p", map[string]any{"id": ps[3].ElementID()}); err != nil {
		t.Fatal(err)
	}
	ps[2].Age = 77
	err = cdb.Write(ctx, func(ctx context.Context) error {
		err := PersonNodes(cdb).SaveMany(ctx, []*Person{ps[2], ps[3]})
		if !errors.Is(err, ogm.ErrDoesNotExist) || !errors.As(err, &ie) || ie.Index != 1 {
			t.Errorf("a deleted node: %v", err)
		}
		return nil // committed: still nothing of the batch is written
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq(ps[2].Name))); got.Age != 3 {
		t.Errorf("a refused batch wrote age %d", got.Age)
	}
	// New values and filtered sets are refused.
	if err := PersonNodes(cdb).SaveMany(ctx, []*Person{{Name: "new"}}); !errors.Is(err, ogm.ErrNotSaved) {
		t.Errorf("a new value: %v", err)
	}
	if err := PersonNodes(cdb).Filter(PersonAge.Gt(3)).SaveMany(ctx, ps[4:5]); !errors.Is(err, ogm.ErrFilteredSet) {
		t.Errorf("a filtered set: %v", err)
	}
	// Two values of one node are refused; the same value twice is saved once.
	twin := must[*Person](t)(PersonNodes(cdb).Get(ctx, PersonName.Eq(ps[4].Name)))
	if err := PersonNodes(cdb).SaveMany(ctx, []*Person{ps[4], twin}); !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("two values of one node: %v", err)
	}
	if err := PersonNodes(cdb).SaveMany(ctx, []*Person{ps[4], ps[4]}); err != nil {
		t.Errorf("one value twice: %v", err)
	}
}

func TestSaveManyHooks(t *testing.T) {
	ctx, db := fixture(t)
	calls := func() []string {
		HookLog.Lock()
		defer HookLog.Unlock()
		out := HookLog.Calls
		HookLog.Calls = nil
		return out
	}
	cs := []*City{{Name: "A"}, {Name: "B"}}
	if err := CityNodes(db).CreateMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	calls()
	cs[0].Name, cs[1].Name = " A2 ", "B2"
	if err := CityNodes(db).SaveMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls(), ", "); got != "before save:A2, before save:B2, after save:A2, after save:B2" {
		t.Fatalf("hooks: %s", got)
	}
	if n, _ := CityNodes(db).Filter(CityName.Eq("A2")).Count(ctx); n != 1 {
		t.Error("BeforeSave's trimmed name was not stored")
	}
	// A Before hook's refusal stops the batch; the values are restored.
	cs[0].Name, cs[1].Name = "A3", "Forbidden"
	if err := CityNodes(db).SaveMany(ctx, cs); !errors.Is(err, ErrForbiddenCity) {
		t.Fatalf("refused by BeforeSave: %v", err)
	}
	if cs[0].Name != "A3" {
		t.Errorf("value not restored: %q", cs[0].Name)
	}
	if n, _ := CityNodes(db).Filter(CityName.Eq("A3")).Count(ctx); n != 0 {
		t.Error("a batch refused by BeforeSave was written")
	}
}

func TestSetDelete(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	const n = 1000
	ps := make([]*Person, n)
	for i := range ps {
		ps[i] = &Person{Name: fmt.Sprintf("p%04d", i), Age: i % 10}
	}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	rome := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Rome"}))
	for _, p := range ps[:3] {
		if err := p.City().Connect(ctx, rome); err != nil {
			t.Fatal(err)
		}
	}
	got, err := PersonNodes(cdb).Filter(PersonAge.Lt(5)).Delete(ctx)
	if err != nil || got != n/2 {
		t.Fatalf("deleted %d (%v), want %d", got, err, n/2)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries, want 1", len(q))
	}
	if left, _ := PersonNodes(db).Count(ctx); left != n/2 {
		t.Errorf("%d left, want %d", left, n/2)
	}
	if r := relCount(t, ctx, db, "()-[r:LIVES_IN]->()"); r != 0 {
		t.Errorf("%d relationships of deleted nodes left", r)
	}
	// OrderBy, Skip and Limit choose the nodes, as All does.
	want := names(must[[]*Person](t)(PersonNodes(db).OrderBy(PersonName.Desc()).Skip(2).Limit(3).All(ctx)))
	if got, err := PersonNodes(db).OrderBy(PersonName.Desc()).Skip(2).Limit(3).Delete(ctx); err != nil || got != 3 {
		t.Fatalf("windowed delete: %d, %v", got, err)
	}
	if n, _ := PersonNodes(db).Filter(PersonName.In(want...)).Count(ctx); n != 0 {
		t.Errorf("windowed delete left %v", want)
	}
	if left, _ := PersonNodes(db).Count(ctx); left != n/2-3 {
		t.Errorf("windowed delete: %d left, want %d", left, n/2-3)
	}
	// Nothing matching: 0, no error.
	if got, err := PersonNodes(db).Filter(PersonName.Eq("nobody")).Delete(ctx); err != nil || got != 0 {
		t.Errorf("empty set: %d, %v", got, err)
	}
	// A type with delete hooks is refused.
	if _, err := CityNodes(db).Delete(ctx); !errors.Is(err, ogm.ErrHooks) {
		t.Errorf("a type with hooks: %v", err)
	}
	if n, _ := CityNodes(db).Count(ctx); n != 1 {
		t.Errorf("%d cities after the refused delete", n)
	}
}

// TestSetDeleteRefusedLikeDelete: a City must keep its one country, so
// deleting the set of countries that holds a city's only one is refused
// as the country's own Delete is, and nothing is deleted; once the city
// has another country outside the set, the set goes.
func TestSetDeleteRefusedLikeDelete(t *testing.T) {
	ctx, db := fixture(t)
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	at := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "AT"}))
	ch := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "CH"}))
	berlin := must[*City](t)(CityNodes(db).Create(ctx, &City{Name: "Berlin"}))
	if err := berlin.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if err := de.Delete(ctx); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("single delete: %v", err)
	}
	var ce *ogm.CardinalityError
	got, err := CountryNodes(db).Filter(CountryCode.In("DE", "AT")).Delete(ctx)
	if !errors.As(err, &ce) || ce.NodeID != berlin.ElementID() || got != 0 {
		t.Fatalf("set delete: %d, %v", got, err)
	}
	if n, _ := CountryNodes(db).Count(ctx); n != 3 {
		t.Errorf("%d countries after the refused delete, want 3", n)
	}
	// Inside a transaction that commits anyway, still nothing is deleted.
	err = db.Write(ctx, func(ctx context.Context) error {
		if _, err := CountryNodes(db).Delete(ctx); !errors.Is(err, ogm.ErrCardinality) {
			t.Errorf("all countries: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := CountryNodes(db).Count(ctx); n != 3 {
		t.Errorf("%d countries after the refused delete in a transaction, want 3", n)
	}
	_ = ch
	_ = at
}

func TestUpdate(t *testing.T) {
	ctx, db := fixture(t)
	cdb, c := counted(t, ctx)
	const n = 1000
	ps := make([]*Person, n)
	for i := range ps {
		ps[i] = &Person{Name: fmt.Sprintf("p%04d", i), Age: i % 10, Sex: "M", Tags: []string{"x"}}
	}
	if err := PersonNodes(db).CreateMany(ctx, ps); err != nil {
		t.Fatal(err)
	}
	got, err := PersonNodes(cdb).Filter(PersonAge.Lt(5)).Update(ctx, PersonAge.Set(31), PersonSex.Set("F"), PersonBorn.Set(day(1990, 1, 2)))
	if err != nil || got != n/2 {
		t.Fatalf("updated %d (%v), want %d", got, err, n/2)
	}
	if q := c.take(); len(q) != 1 {
		t.Fatalf("%d queries, want 1", len(q))
	}
	if k, _ := PersonNodes(db).Filter(PersonAge.Eq(31), PersonSex.Eq("F"), PersonBorn.Eq(day(1990, 1, 2))).Count(ctx); k != n/2 {
		t.Errorf("%d updated nodes found, want %d", k, n/2)
	}
	p := must[*Person](t)(PersonNodes(db).Get(ctx, PersonName.Eq("p0001")))
	if p.Age != 31 || p.Sex != "F" || !p.Born.Equal(day(1990, 1, 2)) || len(p.Tags) != 1 || p.UID == "" {
		t.Errorf("updated node read back as %+v", p)
	}
	// The zero of an optional property, and a nil list, remove it.
	if _, err := PersonNodes(db).Filter(PersonName.Eq("p0001")).Update(ctx, PersonSex.Set(""), PersonTags.Set(nil)); err != nil {
		t.Fatal(err)
	}
	if k, _ := PersonNodes(db).Filter(PersonName.Eq("p0001"), PersonSex.IsNull(true), PersonTags.IsNull(true)).Count(ctx); k != 1 {
		t.Error("Set of the unset value did not remove the properties")
	}
	// OrderBy and Limit choose the nodes.
	if got, err := PersonNodes(db).OrderBy(PersonName.Asc()).Limit(7).Update(ctx, PersonTags.Set([]string{"first"})); err != nil || got != 7 {
		t.Fatalf("windowed update: %d, %v", got, err)
	}
	if k, _ := PersonNodes(db).Filter(PersonTags.Contains("first"), PersonName.Lt("p0007")).Count(ctx); k != 7 {
		t.Errorf("windowed update reached %d of the first 7", k)
	}

	// The properties' rules, before anything is sent: nothing written.
	c.take()
	for _, bad := range []ogm.Assignment[*Person]{PersonAge.Set(-1), PersonSex.Set("X"), PersonName.Set(strings.Repeat("n", 101))} {
		if _, err := PersonNodes(cdb).Update(ctx, PersonTags.Set([]string{"bad"}), bad); !errors.Is(err, ogm.ErrValidation) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if q := c.take(); len(q) != 0 {
		t.Errorf("invalid updates sent %d queries", len(q))
	}
	if k, _ := PersonNodes(db).Filter(PersonTags.Contains("bad")).Count(ctx); k != 0 {
		t.Errorf("an invalid update wrote %d nodes", k)
	}
	// required: a City's name cannot be unset.
	if err := CityNodes(db).CreateMany(ctx, []*City{{Name: "Rome"}}); err != nil {
		t.Fatal(err)
	}
	var ve *ogm.ValidationError
	if _, err := CityNodes(db).Update(ctx, CityName.Set("")); !errors.As(err, &ve) || ve.Rule != "required" {
		t.Errorf("unsetting a required property: %v", err)
	}
	if _, err := PersonNodes(db).Update(ctx); !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("no assignment: %v", err)
	}
	if _, err := PersonNodes(db).Update(ctx, PersonAge.Set(1), PersonAge.Set(2)); !errors.Is(err, ogm.ErrQuery) {
		t.Errorf("one property twice: %v", err)
	}

	// A unique property set on several nodes: ErrUnique, nothing written.
	items, err := ogm.InstallLabels(ctx, db, Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, it := range items {
			if it.Created {
				db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(it.Name)+" IF EXISTS", nil)
				db.Cypher(ctx, "DROP INDEX "+ogm.Quote(it.Name)+" IF EXISTS", nil)
			}
		}
	})
	if _, err := PersonNodes(db).Filter(PersonName.In("p0002", "p0003")).Update(ctx, PersonName.Set("same"), PersonTags.Set([]string{"unique"})); !errors.Is(err, ogm.ErrUnique) {
		t.Fatalf("one name for two: %v", err)
	}
	if k, _ := PersonNodes(db).Filter(PersonTags.Contains("unique")).Count(ctx); k != 0 {
		t.Errorf("a failed unique update wrote %d nodes", k)
	}
	// The values never appear in the query text.
	c.take()
	hostile := "x' }) DETACH DELETE n //"
	if _, err := PersonNodes(cdb).Filter(PersonName.Eq("p0009")).Update(ctx, PersonName.Set(hostile)); err != nil {
		t.Fatal(err)
	}
	for _, q := range c.take() {
		if strings.Contains(q, hostile) {
			t.Errorf("a value in the query text: %s", q)
		}
	}
}

// TestConnectManyErrorKinds: a refused batch is the call's own error, not
// a database failure.
func TestConnectManyErrorKinds(t *testing.T) {
	ctx, db := fixture(t)
	ps := createPeople(t, ctx, db, "Jim", "Ann")
	de := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "DE"}))
	fr := must[*Country](t)(CountryNodes(db).Create(ctx, &Country{Code: "FR"}))
	if err := ps[0].Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	_, err := ogm.ConnectMany(ctx, PersonCountry, []ogm.Pair[*Person, *Country, *ogm.Rel]{ogm.PairOf(ps[1], fr), ogm.PairOf(ps[0], fr)})
	if !errors.Is(err, ogm.ErrCardinality) || errors.Is(err, ogm.ErrDatabase) || !strings.HasPrefix(err.Error(), "ogm: connect many: item 1: ") {
		t.Errorf("limit: %v", err)
	}
	if _, err := db.Cypher(ctx, "MATCH (c) WHERE elementId(c) = $id DETACH DELETE c", map[string]any{"id": fr.ElementID()}); err != nil {
		t.Fatal(err)
	}
	_, err = ogm.ConnectMany(ctx, PersonCountry, []ogm.Pair[*Person, *Country, *ogm.Rel]{ogm.PairOf(ps[1], fr)})
	var ne *ogm.NodeError
	if !errors.As(err, &ne) || ne.ID != fr.ElementID() || errors.Is(err, ogm.ErrDatabase) {
		t.Errorf("gone: %v", err)
	}
}
