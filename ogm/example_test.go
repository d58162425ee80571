package ogm_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/ogm/internal/example/people"
)

// TestMain gives the Example functions, which have no *testing.T, the test
// server through $NEO4J_BOLT_URL: ogm.Open(ctx, "") reads it.
func TestMain(m *testing.M) {
	testenv.SetEnvURL()
	os.Exit(m.Run())
}

// openExample connects as an application would, and removes the nodes an example
// wrote when it is done.
func openExample(ctx context.Context) (*ogm.DB, func()) {
	db, err := ogm.Open(ctx, "") // "" reads $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	clean := func() {
		db.Cypher(ctx, "MATCH (n) WHERE n.name STARTS WITH 'ex-' OR n.code STARTS WITH 'ex-' DETACH DELETE n", nil)
	}
	clean()
	return db, func() { clean(); db.Close(ctx) }
}

func Example() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // "" reads $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	res, err := db.Cypher(ctx, "RETURN $greeting AS message", map[string]any{"greeting": "Hello World"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Keys[0], res.Rows[0][0])
	// Output: message Hello World
}

func ExampleNodes_Filter() {
	ctx := context.Background()
	db, done := openExample(ctx)
	defer done()
	err := people.PersonNodes(db).CreateMany(ctx, []*people.Person{
		{Name: "ex-Jim", Age: 3}, {Name: "ex-Ann", Age: 30}, {Name: "ex-Bob", Age: 41},
	})
	if err != nil {
		log.Fatal(err)
	}
	mine := people.PersonNodes(db).Filter(people.PersonName.StartsWith("ex-"))
	older, err := mine.Filter(ogm.Or(people.PersonAge.Gt(35), people.PersonName.IEndsWith("JIM"))).
		OrderBy(people.PersonAge.Desc()).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range older {
		fmt.Println(p.Name, p.Age)
	}
	// Output:
	// ex-Bob 41
	// ex-Jim 3
}

func ExampleNodes_FetchRelations() {
	ctx := context.Background()
	db, done := openExample(ctx)
	defer done()
	de, _ := people.CountryNodes(db).Create(ctx, &people.Country{Code: "ex-DE"})
	berlin, _ := people.CityNodes(db).Create(ctx, &people.City{Name: "ex-Berlin"})
	jim, _ := people.PersonNodes(db).Create(ctx, &people.Person{Name: "ex-Jim"})
	if err := berlin.Country().Connect(ctx, de); err != nil {
		log.Fatal(err)
	}
	if err := jim.City().Connect(ctx, berlin); err != nil {
		log.Fatal(err)
	}
	// One query, whatever the number of people: cities and their countries
	// land in typed Fetched fields.
	ps, err := people.PersonNodes(db).Filter(people.PersonName.Eq("ex-Jim")).
		FetchRelations(people.PersonCity.With(people.CityCountry), ogm.Optional(people.PersonCountry)).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range ps {
		city := p.Fetched.City[0]
		fmt.Println(p.Name, city.Name, city.Fetched.Country.Code, p.Fetched.Country == nil)
	}
	// Output: ex-Jim ex-Berlin ex-DE true
}

func ExampleTraverse() {
	ctx := context.Background()
	db, done := openExample(ctx)
	defer done()
	for _, c := range []struct{ person, country string }{{"ex-Jim", "ex-DE"}, {"ex-Ann", "ex-US"}, {"ex-Bob", "ex-DE"}} {
		k, err := people.CountryNodes(db).GetOrCreate(ctx, &people.Country{Code: c.country})
		if err != nil {
			log.Fatal(err)
		}
		p, _ := people.PersonNodes(db).Create(ctx, &people.Person{Name: c.person, Age: len(c.person) * 10})
		if err := p.Country().Connect(ctx, k); err != nil {
			log.Fatal(err)
		}
	}
	// The countries people named ex-… come from: one query, each once.
	from := people.PersonNodes(db).Filter(people.PersonName.StartsWith("ex-"))
	countries, err := ogm.Traverse(from, people.PersonCountry).OrderBy(people.CountryCode.Asc()).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range countries {
		fmt.Println(k.Code)
	}
	// Output:
	// ex-DE
	// ex-US
}

func ExampleDB_Write() {
	ctx := context.Background()
	db, done := openExample(ctx)
	defer done()
	// Both nodes or neither: an error from the function rolls back.
	err := db.Write(ctx, func(ctx context.Context) error {
		if _, err := people.PersonNodes(db).Create(ctx, &people.Person{Name: "ex-Ann"}); err != nil {
			return err
		}
		_, err := people.CityNodes(db).Create(ctx, &people.City{}) // name is required
		return err
	})
	fmt.Println(err)
	n, _ := people.PersonNodes(db).Filter(people.PersonName.Eq("ex-Ann")).Count(ctx)
	fmt.Println(n)
	// Output:
	// ogm: City.name: required
	// 0
}
