// Quickstart is neomodel's getting-started guide done with gonode, one step
// per paragraph of the guide, printing what it does. Run it with
// `make demo` (which starts the repo's local Neo4j), or with
// `go run ./examples/quickstart` and NEO4J_BOLT_URL set.
//
// It installs the schema's constraints and indexes, writes a few countries,
// cities and people (named so that they do not clash with other data), and
// deletes them again at the end.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/gonode/gonode/examples/quickstart/people"
	"github.com/gonode/gonode/ogm"
)

func main() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // "" reads $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	if err := run(ctx, db, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// The names the quickstart writes, so that it can clean up after itself
// (and after an earlier run that stopped half-way).
var (
	codes  = []string{"QS-DE", "QS-US", "QS-FR"}
	cities = []string{"Berlin (qs)", "Hamburg (qs)", "Paris (qs)"}
	names  = []string{"Jim (qs)", "Bob (qs)", "Ann (qs)", "Eve (qs)", "Tim (qs)"}
)

func cleanup(ctx context.Context, db *ogm.DB) error {
	_, err := db.Cypher(ctx, `
		OPTIONAL MATCH (k:Country) WHERE k.code IN $codes DETACH DELETE k
		WITH count(*) AS _ OPTIONAL MATCH (c:City) WHERE c.name IN $cities DETACH DELETE c
		WITH count(*) AS _ OPTIONAL MATCH (p:Person) WHERE p.name IN $names DETACH DELETE p`,
		map[string]any{"codes": codes, "cities": cities, "names": names})
	return err
}

// run walks through the guide on db, printing to out.
func run(ctx context.Context, db *ogm.DB, out io.Writer) (err error) {
	step := func(title string) { fmt.Fprintf(out, "\n== %s\n", title) }
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	if err := cleanup(ctx, db); err != nil {
		return err
	}
	defer func() {
		if cerr := cleanup(ctx, db); err == nil {
			err = cerr
		}
	}()

	step("Connecting and raw Cypher")
	// neomodel: results, meta = db.cypher_query("RETURN 'Hello World' as message")
	res, err := db.Cypher(ctx, "RETURN 'Hello World' AS message", nil)
	if err != nil {
		return err
	}
	say("%s: %v", res.Keys[0], res.Rows[0][0])

	step("Installing constraints and indexes")
	// neomodel: install_all_labels() / neomodel_install_labels
	items, err := ogm.InstallLabels(ctx, db, people.Schema)
	if err != nil {
		return err
	}
	for _, it := range items {
		say("%s on %s: %s", it.Kind, it.Owner, it.Name)
	}

	step("Creating, updating, refreshing")
	// neomodel: jim = Person(name='Jim', age=3).save()
	jim, err := people.PersonNodes(db).Create(ctx, &people.Person{Name: "Jim (qs)", Age: 3})
	if err != nil {
		return err
	}
	say("created %s, age %d, uid set: %v, element id set: %v", jim.Name, jim.Age, jim.UID != "", jim.ElementID() != "")
	// neomodel: jim.age = 4; jim.save()
	jim.Age = 4
	if err := jim.Save(ctx); err != nil {
		return err
	}
	// Another handle changes jim; neomodel: jim.refresh()
	if _, err := db.Cypher(ctx, "MATCH (p:Person {uid: $uid}) SET p.age = 5", map[string]any{"uid": jim.UID}); err != nil {
		return err
	}
	if err := jim.Refresh(ctx); err != nil {
		return err
	}
	say("after save and refresh: age %d", jim.Age)
	// Validation happens before anything is sent.
	if _, err := people.CityNodes(db).Create(ctx, &people.City{}); errors.Is(err, ogm.ErrValidation) {
		say("refused before writing: %v", err)
	}
	// Unique constraints come back as typed errors.
	_, err = people.PersonNodes(db).Create(ctx, &people.Person{Name: "Jim (qs)"})
	var uerr *ogm.Error
	if errors.As(err, &uerr) && errors.Is(err, ogm.ErrUnique) {
		say("second Jim refused: unique %s.%s", uerr.Label, strings.Join(uerr.Properties, ","))
	}

	step("Batch create, get or create")
	more := []*people.Person{{Name: "Bob (qs)", Age: 30}, {Name: "Ann (qs)", Age: 41}, {Name: "Eve (qs)", Age: 25}}
	if err := people.PersonNodes(db).CreateMany(ctx, more); err != nil { // one query
		return err
	}
	bob, ann, eve := more[0], more[1], more[2]
	// neomodel: Person.get_or_create({"name": "Tim"}): twice, one node.
	for range 2 {
		if _, err := people.PersonNodes(db).GetOrCreate(ctx, &people.Person{Name: "Tim (qs)", Age: 12}); err != nil {
			return err
		}
	}
	tims, _ := people.PersonNodes(db).Filter(people.PersonName.Eq("Tim (qs)")).Count(ctx)
	say("created %d people in one query; Tim exists %d time(s)", len(more), tims)

	step("Retrieving nodes")
	mine := people.PersonNodes(db).Filter(people.PersonName.EndsWith("(qs)"))
	// neomodel: Person.nodes.all()
	all, err := mine.OrderBy(people.PersonName.Asc()).All(ctx)
	if err != nil {
		return err
	}
	say("all: %s", nameList(all))
	// neomodel: Person.nodes.get(name='Jim')
	got, err := people.PersonNodes(db).Get(ctx, people.PersonName.Eq("Jim (qs)"))
	if err != nil {
		return err
	}
	say("get: %s, same node: %v", got.Name, got.ElementID() == jim.ElementID())
	// neomodel: Person.nodes.get_or_none(name='Nobody'), and get raising DoesNotExist
	none, err := people.PersonNodes(db).GetOrNone(ctx, people.PersonName.Eq("Nobody (qs)"))
	say("get_or_none: %v (%v)", none, err)
	_, err = people.PersonNodes(db).Get(ctx, people.PersonName.Eq("Nobody (qs)"))
	say("get of nobody: does not exist: %v", errors.Is(err, ogm.ErrDoesNotExist))
	// neomodel: Person.nodes.first(name='Jim'), first_or_none(name='Nobody')
	first, _ := mine.OrderBy(people.PersonAge.Desc()).First(ctx)
	say("oldest: %s", first.Name)
	if p, _ := mine.FirstOrNone(ctx, people.PersonAge.Gt(100)); p == nil {
		say("first_or_none of age > 100: none")
	}
	// neomodel: Person.nodes.filter(age__gt=10).exclude(name__startswith='A').order_by('-age')
	adults, _ := mine.Filter(people.PersonAge.Gt(10)).Exclude(people.PersonName.StartsWith("A")).OrderBy(people.PersonAge.Desc()).All(ctx)
	say("older than 10, not starting with A: %s", nameList(adults))
	// neomodel: Q(age__lt=5) | ~Q(name__icontains='b')
	n, _ := mine.Filter(ogm.Or(people.PersonAge.Lt(5), ogm.Not(people.PersonName.IContains("b")))).Count(ctx)
	say("age < 5 or no b in the name: %d", n)
	// neomodel: Person.nodes.order_by('age')[1:3]
	window, _ := mine.OrderBy(people.PersonAge.Asc()).Skip(1).Limit(2).All(ctx)
	say("second and third youngest: %s", nameList(window))
	// neomodel: jim in Person.nodes.filter(age__lt=10)
	in, _ := mine.Filter(people.PersonAge.Lt(10)).Contains(ctx, jim)
	say("jim among the under-10s: %v", in)
	// Streaming, for results too large to hold: rows arrive as the server sends them.
	total := 0
	for p, err := range mine.Iter(ctx) {
		if err != nil {
			return err
		}
		total += p.Age
	}
	say("sum of ages, streamed: %d", total)

	step("Relationships")
	de, err := people.CountryNodes(db).Create(ctx, &people.Country{Code: "QS-DE"})
	if err != nil {
		return err
	}
	us, _ := people.CountryNodes(db).Create(ctx, &people.Country{Code: "QS-US"})
	fr, _ := people.CountryNodes(db).Create(ctx, &people.Country{Code: "QS-FR"})
	// neomodel: jim.country.connect(germany)
	if err := jim.Country().Connect(ctx, de); err != nil {
		return err
	}
	if err := bob.Country().Connect(ctx, de); err != nil {
		return err
	}
	// neomodel: if jim.country.is_connected(germany)
	ok, _ := jim.Country().IsConnected(ctx, de)
	say("jim is from DE: %v", ok)
	// zero_or_one refuses a second country, and says what to do instead.
	var cerr *ogm.CardinalityError
	if err := jim.Country().Connect(ctx, us); errors.As(err, &cerr) {
		say("second country refused (%s is %s): %s", cerr.Rel.Name, cerr.Rel.Cardinality, cerr.Hint)
	}
	// neomodel: germany.inhabitant.all(), .filter(name='Jim'), .exclude(...), len(...)
	inh, _ := de.Inhabitant().OrderBy(people.PersonName.Asc()).All(ctx)
	cnt, _ := de.Inhabitant().Count(ctx)
	only, _ := de.Inhabitant().Filter(people.PersonName.Eq("Jim (qs)")).All(ctx)
	others, _ := de.Inhabitant().Exclude(people.PersonName.Eq("Jim (qs)")).All(ctx)
	say("inhabitants of DE: %s (%d); filtered: %s; excluded: %s", nameList(inh), cnt, nameList(only), nameList(others))
	// neomodel: jim.country.reconnect(germany, usa); jim.country.single()
	if err := jim.Country().Reconnect(ctx, de, us); err != nil {
		return err
	}
	c, _ := jim.Country().Single(ctx)
	say("jim moved to %s", c.Code)
	// neomodel: jim.country.disconnect(usa); bob.country.disconnect_all(); replace
	if err := jim.Country().Disconnect(ctx, us); err != nil {
		return err
	}
	if err := bob.Country().DisconnectAll(ctx); err != nil {
		return err
	}
	if err := ann.Country().Connect(ctx, us); err != nil {
		return err
	}
	if err := ann.Country().Replace(ctx, fr); err != nil {
		return err
	}
	c, _ = ann.Country().Single(ctx)
	jc, _ := jim.Country().Count(ctx)
	bc, _ := bob.Country().Count(ctx)
	say("after disconnects: jim %d, bob %d countries; ann replaced hers with %s", jc, bc, c.Code)

	step("Relationship models")
	since := time.Date(2001, 9, 1, 0, 0, 0, 0, time.UTC)
	if err := jim.Friends().Connect(ctx, bob, &people.Knows{Since: since}); err != nil {
		return err
	}
	if err := jim.Friends().Connect(ctx, eve); err != nil { // since defaults to now
		return err
	}
	rel, _ := jim.Friends().Relationship(ctx, bob)
	say("jim knows bob since %s", rel.Since.Format("2006-01-02"))
	old, _ := jim.Friends().Match(people.KnowsSince.Lt(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC))).All(ctx)
	say("friends since before 2010: %s", nameList(old))
	// Undirected: bob sees jim too.
	back, _ := bob.Friends().IsConnected(ctx, jim)
	say("bob knows jim: %v", back)

	step("Fetching relations without N+1")
	berlin, _ := people.CityNodes(db).Create(ctx, &people.City{Name: "Berlin (qs)"})
	hamburg, _ := people.CityNodes(db).Create(ctx, &people.City{Name: "Hamburg (qs)"})
	paris, _ := people.CityNodes(db).Create(ctx, &people.City{Name: "Paris (qs)"})
	for _, link := range []struct {
		city    *people.City
		country *people.Country
	}{{berlin, de}, {hamburg, de}, {paris, fr}} {
		if err := link.city.Country().Connect(ctx, link.country); err != nil {
			return err
		}
	}
	for _, link := range []struct {
		p *people.Person
		c *people.City
	}{{jim, berlin}, {bob, hamburg}, {ann, paris}} {
		if err := link.p.City().Connect(ctx, link.c); err != nil {
			return err
		}
	}
	if err := jim.Country().Connect(ctx, de); err != nil {
		return err
	}
	if err := eve.Country().Connect(ctx, us); err != nil {
		return err
	}
	// neomodel: Person.nodes.fetch_relations('city__country', Optional('country'))
	rows, err := mine.FetchRelations(people.PersonCity.With(people.CityCountry), ogm.Optional(people.PersonCountry)).
		OrderBy(people.PersonName.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, p := range rows { // one query, typed results
		from := "-"
		if p.Fetched.Country != nil {
			from = p.Fetched.Country.Code
		}
		say("%s lives in %s, %s; is from %s", p.Name, p.Fetched.City.Name, p.Fetched.City.Fetched.Country.Code, from)
	}
	// Filters across relationships: people whose city is in DE.
	inDE, _ := mine.Filter(people.PersonCity.Where(people.CityCountry.Where(people.CountryCode.Eq("QS-DE")))).OrderBy(people.PersonName.Asc()).All(ctx)
	say("living in DE: %s", nameList(inDE))
	noCountry, _ := mine.Filter(people.PersonCountry.HasNot()).OrderBy(people.PersonName.Asc()).All(ctx)
	say("without a country: %s", nameList(noCountry))
	// From a node set to another: the countries of the people over 20.
	ks, _ := ogm.Traverse(mine.Filter(people.PersonAge.Gt(20)), ogm.Then(people.PersonCity, people.CityCountry)).OrderBy(people.CountryCode.Asc()).All(ctx)
	codeList := make([]string, len(ks))
	for i, k := range ks {
		codeList[i] = k.Code
	}
	say("countries of the cities of people over 20: %s", strings.Join(codeList, ", "))

	step("Transactions")
	// neomodel: with db.transaction: …  Everything or nothing.
	err = db.Write(ctx, func(ctx context.Context) error {
		jim.Age = 99
		if err := jim.Save(ctx); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	_ = jim.Refresh(ctx)
	say("rolled back (%v): jim is %d", err, jim.Age)
	err = db.Write(ctx, func(ctx context.Context) error {
		if err := eve.Country().Disconnect(ctx, us); err != nil {
			return err
		}
		return eve.Country().Connect(ctx, fr)
	})
	if err != nil {
		return err
	}
	c, _ = eve.Country().Single(ctx)
	say("committed: eve is from %s", c.Code)

	step("Deleting")
	// neomodel: eve.delete()
	if err := eve.Delete(ctx); err != nil {
		return err
	}
	say("eve deleted; saving her again fails: %v", errors.Is(eve.Save(ctx), ogm.ErrDeleted))
	left, _ := mine.Count(ctx)
	say("people left: %d", left)
	return nil
}

func nameList(ps []*people.Person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}
