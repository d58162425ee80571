package people_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	wipe := func() {
		db.Cypher(ctx, "MATCH (n) WHERE n:Person OR n:City OR n:Country DETACH DELETE n", nil)
	}
	wipe()
	defer wipe()

	de, err := CountryNodes(db).Create(ctx, &Country{Code: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	us, _ := CountryNodes(db).Create(ctx, &Country{Code: "US"})
	berlin, _ := CityNodes(db).Create(ctx, &City{Name: "Berlin"})
	if err := berlin.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	jim, err := PersonNodes(db).Create(ctx, &Person{Name: "Jim", Age: 3, Born: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Tags: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if jim.UID == "" || jim.ElementID() == "" {
		t.Fatalf("uid %q id %q", jim.UID, jim.ElementID())
	}
	bob, _ := PersonNodes(db).Create(ctx, &Person{Name: "Bob", Sex: "M"})
	jim.Age = 4
	if err := jim.Save(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := PersonNodes(db).Get(ctx, PersonName.Eq("Jim"))
	if err != nil || got.Age != 4 || got.Born.Day() != 2 || len(got.Tags) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := PersonNodes(db).Get(ctx, PersonName.Eq("nobody")); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatal(err)
	}
	n, err := PersonNodes(db).Filter(ogm.Or(PersonAge.Gt(3), ogm.Not(PersonName.StartsWith("J"))), PersonTags.Contains("a")).Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("count %d %v", n, err)
	}
	if err := jim.Country().Connect(ctx, de); err != nil {
		t.Fatal(err)
	}
	if err := jim.Country().Connect(ctx, us); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second connect: %v", err)
	}
	t.Log(err)
	if err := us.Inhabitant().Connect(ctx, jim); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("reverse connect: %v", err)
	}
	if err := jim.City().Connect(ctx, berlin); err != nil {
		t.Fatal(err)
	}
	if err := jim.Knows().Connect(ctx, bob, &Knows{}); err != nil {
		t.Fatal(err)
	}
	if err := bob.Knows().Connect(ctx, jim); !errors.Is(err, ogm.ErrAlreadyConnected) {
		t.Fatalf("connecting the pair the other way round: %v", err)
	}
	if c, _ := jim.Knows().Count(ctx); c != 1 {
		t.Fatalf("knows count %d", c)
	}
	r, err := jim.Knows().Relationship(ctx, bob)
	if err != nil || r.Since.IsZero() {
		t.Fatalf("rel %+v %v", r, err)
	}
	inh, err := de.Inhabitant().Filter(PersonName.Eq("Jim")).All(ctx)
	if err != nil || len(inh) != 1 {
		t.Fatalf("inhabitants %v %v", inh, err)
	}
	if err := jim.Country().Reconnect(ctx, de, us); err != nil {
		t.Fatal(err)
	}
	rows, err := PersonNodes(db).FetchRelations(PersonCity.With(CityCountry), ogm.Optional(PersonCountry)).All(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("fetch: %v %v", rows, err)
	}
	p := rows[0]
	if p.Fetched.City[0].Fetched.Country.Code != "DE" || p.Fetched.Country.Code != "US" {
		t.Fatalf("fetched %+v", p.Fetched)
	}
	all, err := PersonNodes(db).FetchRelations(ogm.Optional(PersonCity)).OrderBy(PersonName.Asc()).All(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "Bob" || len(all[0].Fetched.City) != 0 || len(all[1].Fetched.City) != 1 {
		t.Fatalf("optional fetch %v %v", all, err)
	}
	if err := berlin.Country().Disconnect(ctx, de); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("disconnect last of one: %v", err)
	}
	if err := jim.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jim.Save(ctx); !errors.Is(err, ogm.ErrDeleted) {
		t.Fatalf("save deleted: %v", err)
	}
	if _, err := PersonNodes(db).Create(ctx, &Person{Name: "X", Sex: "Q", Age: -1}); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("validation: %v", err)
	} else {
		t.Log(err)
	}
}
