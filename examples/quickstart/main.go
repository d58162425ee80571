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

// run walks through the guide on db, printing to out. It clears the
// quickstart's names first (an earlier run may have stopped half-way) and
// again at the end, then takes the guide's sections in order: each one
// builds on the nodes the earlier ones made.
func run(ctx context.Context, db *ogm.DB, out io.Writer) (err error) {
	if err := cleanup(ctx, db); err != nil {
		return err
	}
	defer func() {
		if cerr := cleanup(ctx, db); err == nil {
			err = cerr
		}
	}()
	g := &guide{db: db, out: out}
	for _, s := range []struct {
		title string
		do    func(context.Context) error
	}{
		{"Connecting and raw Cypher", g.connect},
		{"Installing constraints and indexes", g.installLabels},
		{"Creating, updating, refreshing", g.createJim},
		{"Batch create, get or create", g.createMore},
		{"Retrieving nodes", g.retrieve},
		{"Relationships", g.relationships},
		{"Relationship models", g.relationshipModels},
		{"Fetching relations without N+1", g.fetchRelations},
		{"Transactions", g.transactions},
		{"Deleting", g.delete},
	} {
		fmt.Fprintf(out, "\n== %s\n", s.title)
		if err := s.do(ctx); err != nil {
			return err
		}
	}
	return nil
}

// guide is what the sections of the guide share: where they read and print,
// and the nodes that the earlier sections made for the later ones to use.
type guide struct {
	db  *ogm.DB
	out io.Writer

	jim, bob, ann, eve *people.Person
	de, us, fr         *people.Country
}

// say prints one line of the walk-through.
func (g *guide) say(format string, args ...any) { fmt.Fprintf(g.out, format+"\n", args...) }

// mine is every person the quickstart wrote, and none of anyone else's, so
// that the queries' answers do not depend on what else is in the database.
func (g *guide) mine() *ogm.Nodes[*people.Person] {
	return people.PersonNodes(g.db).Filter(people.PersonName.EndsWith("(qs)"))
}

// connect runs a Cypher query of its own, the guide's first check that the
// server answers.
func (g *guide) connect(ctx context.Context) error {
	// neomodel: results, meta = db.cypher_query("RETURN 'Hello World' as message")
	res, err := g.db.Cypher(ctx, "RETURN 'Hello World' AS message", nil)
	if err != nil {
		return err
	}
	g.say("%s: %v", res.Keys[0], res.Rows[0][0])
	return nil
}

// installLabels installs the schema's constraints and indexes, which the
// unique checks below rely on.
func (g *guide) installLabels(ctx context.Context) error {
	// neomodel: install_all_labels() / neomodel_install_labels
	items, err := ogm.InstallLabels(ctx, g.db, people.Schema)
	if err != nil {
		return err
	}
	for _, it := range items {
		g.say("%s on %s: %s", it.Kind, it.Owner, it.Name)
	}
	return nil
}

// createJim makes one node and takes it through save and refresh, then shows
// the two ways a write is refused: validation and a unique constraint.
func (g *guide) createJim(ctx context.Context) error {
	// neomodel: jim = Person(name='Jim', age=3).save()
	jim, err := people.PersonNodes(g.db).Create(ctx, &people.Person{Name: "Jim (qs)", Age: 3})
	if err != nil {
		return err
	}
	g.jim = jim
	g.say("created %s, age %d, uid set: %v, element id set: %v", jim.Name, jim.Age, jim.UID != "", jim.ElementID() != "")
	// neomodel: jim.age = 4; jim.save()
	jim.Age = 4
	if err := jim.Save(ctx); err != nil {
		return err
	}
	// Another handle changes jim; neomodel: jim.refresh()
	if _, err := g.db.Cypher(ctx, "MATCH (p:Person {uid: $uid}) SET p.age = 5", map[string]any{"uid": jim.UID}); err != nil {
		return err
	}
	if err := jim.Refresh(ctx); err != nil {
		return err
	}
	g.say("after save and refresh: age %d", jim.Age)
	// Validation happens before anything is sent.
	if _, err := people.CityNodes(g.db).Create(ctx, &people.City{}); errors.Is(err, ogm.ErrValidation) {
		g.say("refused before writing: %v", err)
	}
	// Unique constraints come back as typed errors.
	_, err = people.PersonNodes(g.db).Create(ctx, &people.Person{Name: "Jim (qs)"})
	var uerr *ogm.Error
	if errors.As(err, &uerr) && errors.Is(err, ogm.ErrUnique) {
		g.say("second Jim refused: unique %s.%s", uerr.Label, strings.Join(uerr.Properties, ","))
	}
	return nil
}

// createMore writes the rest of the people in one query, and shows that
// get-or-create does not make a node twice.
func (g *guide) createMore(ctx context.Context) error {
	more := []*people.Person{{Name: "Bob (qs)", Age: 30}, {Name: "Ann (qs)", Age: 41}, {Name: "Eve (qs)", Age: 25}}
	if err := people.PersonNodes(g.db).CreateMany(ctx, more); err != nil { // one query
		return err
	}
	g.bob, g.ann, g.eve = more[0], more[1], more[2]
	// neomodel: Person.get_or_create({"name": "Tim"}): twice, one node.
	for range 2 {
		if _, err := people.PersonNodes(g.db).GetOrCreate(ctx, &people.Person{Name: "Tim (qs)", Age: 12}); err != nil {
			return err
		}
	}
	tims, _ := people.PersonNodes(g.db).Filter(people.PersonName.Eq("Tim (qs)")).Count(ctx)
	g.say("created %d people in one query; Tim exists %d time(s)", len(more), tims)
	return nil
}

// retrieve reads the people back: single nodes first, then filtered and
// ordered sets.
func (g *guide) retrieve(ctx context.Context) error {
	if err := g.getNodes(ctx); err != nil {
		return err
	}
	return g.querySets(ctx)
}

// getNodes reads all the people, then single ones by get and first, and shows
// what each does when there is no such node.
func (g *guide) getNodes(ctx context.Context) error {
	// neomodel: Person.nodes.all()
	all, err := g.mine().OrderBy(people.PersonName.Asc()).All(ctx)
	if err != nil {
		return err
	}
	g.say("all: %s", nameList(all))
	// neomodel: Person.nodes.get(name='Jim')
	got, err := people.PersonNodes(g.db).Get(ctx, people.PersonName.Eq("Jim (qs)"))
	if err != nil {
		return err
	}
	g.say("get: %s, same node: %v", got.Name, got.ElementID() == g.jim.ElementID())
	// neomodel: Person.nodes.get_or_none(name='Nobody'), and get raising DoesNotExist
	none, err := people.PersonNodes(g.db).GetOrNone(ctx, people.PersonName.Eq("Nobody (qs)"))
	g.say("get_or_none: %v (%v)", none, err)
	_, err = people.PersonNodes(g.db).Get(ctx, people.PersonName.Eq("Nobody (qs)"))
	g.say("get of nobody: does not exist: %v", errors.Is(err, ogm.ErrDoesNotExist))
	// neomodel: Person.nodes.first(name='Jim'), first_or_none(name='Nobody')
	first, _ := g.mine().OrderBy(people.PersonAge.Desc()).First(ctx)
	g.say("oldest: %s", first.Name)
	if p, _ := g.mine().FirstOrNone(ctx, people.PersonAge.Gt(100)); p == nil {
		g.say("first_or_none of age > 100: none")
	}
	return nil
}

// querySets narrows, orders, slices and streams the quickstart's people.
func (g *guide) querySets(ctx context.Context) error {
	mine := g.mine()
	// neomodel: Person.nodes.filter(age__gt=10).exclude(name__startswith='A').order_by('-age')
	adults, _ := mine.Filter(people.PersonAge.Gt(10)).Exclude(people.PersonName.StartsWith("A")).OrderBy(people.PersonAge.Desc()).All(ctx)
	g.say("older than 10, not starting with A: %s", nameList(adults))
	// neomodel: Q(age__lt=5) | ~Q(name__icontains='b')
	n, _ := mine.Filter(ogm.Or(people.PersonAge.Lt(5), ogm.Not(people.PersonName.IContains("b")))).Count(ctx)
	g.say("age < 5 or no b in the name: %d", n)
	// neomodel: Person.nodes.order_by('age')[1:3]
	window, _ := mine.OrderBy(people.PersonAge.Asc()).Skip(1).Limit(2).All(ctx)
	g.say("second and third youngest: %s", nameList(window))
	// neomodel: jim in Person.nodes.filter(age__lt=10)
	in, _ := mine.Filter(people.PersonAge.Lt(10)).Contains(ctx, g.jim)
	g.say("jim among the under-10s: %v", in)
	// Streaming, for results too large to hold: rows arrive as the server sends them.
	total := 0
	for p, err := range mine.Iter(ctx) {
		if err != nil {
			return err
		}
		total += p.Age
	}
	g.say("sum of ages, streamed: %d", total)
	return nil
}

// relationships makes the countries, connects people to them and reads the
// connections from both ends, then moves people between countries.
func (g *guide) relationships(ctx context.Context) error {
	if err := g.connectCountries(ctx); err != nil {
		return err
	}
	return g.moveCountries(ctx)
}

// connectCountries connects jim and bob to Germany, shows the cardinality
// check refusing a second country, and reads Germany's inhabitants.
func (g *guide) connectCountries(ctx context.Context) error {
	de, err := people.CountryNodes(g.db).Create(ctx, &people.Country{Code: "QS-DE"})
	if err != nil {
		return err
	}
	g.de = de
	g.us, _ = people.CountryNodes(g.db).Create(ctx, &people.Country{Code: "QS-US"})
	g.fr, _ = people.CountryNodes(g.db).Create(ctx, &people.Country{Code: "QS-FR"})
	jim := g.jim
	// neomodel: jim.country.connect(germany)
	if err := jim.Country().Connect(ctx, de); err != nil {
		return err
	}
	if err := g.bob.Country().Connect(ctx, de); err != nil {
		return err
	}
	// neomodel: if jim.country.is_connected(germany)
	ok, _ := jim.Country().IsConnected(ctx, de)
	g.say("jim is from DE: %v", ok)
	// zero_or_one refuses a second country, and says what to do instead.
	var cerr *ogm.CardinalityError
	if err := jim.Country().Connect(ctx, g.us); errors.As(err, &cerr) {
		g.say("second country refused (%s is %s): %s", cerr.Rel.Name, cerr.Rel.Cardinality, cerr.Hint)
	}
	// neomodel: germany.inhabitant.all(), .filter(name='Jim'), .exclude(...), len(...)
	inh, _ := de.Inhabitant().OrderBy(people.PersonName.Asc()).All(ctx)
	cnt, _ := de.Inhabitant().Count(ctx)
	only, _ := de.Inhabitant().Filter(people.PersonName.Eq("Jim (qs)")).All(ctx)
	others, _ := de.Inhabitant().Exclude(people.PersonName.Eq("Jim (qs)")).All(ctx)
	g.say("inhabitants of DE: %s (%d); filtered: %s; excluded: %s", nameList(inh), cnt, nameList(only), nameList(others))
	return nil
}

// moveCountries changes connections in place: reconnect, disconnect one or
// all, and replace.
func (g *guide) moveCountries(ctx context.Context) error {
	jim, bob, ann := g.jim, g.bob, g.ann
	// neomodel: jim.country.reconnect(germany, usa); jim.country.single()
	if err := jim.Country().Reconnect(ctx, g.de, g.us); err != nil {
		return err
	}
	c, _ := jim.Country().Single(ctx)
	g.say("jim moved to %s", c.Code)
	// neomodel: jim.country.disconnect(usa); bob.country.disconnect_all(); replace
	if err := jim.Country().Disconnect(ctx, g.us); err != nil {
		return err
	}
	if err := bob.Country().DisconnectAll(ctx); err != nil {
		return err
	}
	if err := ann.Country().Connect(ctx, g.us); err != nil {
		return err
	}
	if err := ann.Country().Replace(ctx, g.fr); err != nil {
		return err
	}
	c, _ = ann.Country().Single(ctx)
	jc, _ := jim.Country().Count(ctx)
	bc, _ := bob.Country().Count(ctx)
	g.say("after disconnects: jim %d, bob %d countries; ann replaced hers with %s", jc, bc, c.Code)
	return nil
}

// relationshipModels connects friends with properties on the relationship
// and filters on them.
func (g *guide) relationshipModels(ctx context.Context) error {
	jim, bob := g.jim, g.bob
	since := time.Date(2001, 9, 1, 0, 0, 0, 0, time.UTC)
	if err := jim.Friends().Connect(ctx, bob, &people.Knows{Since: since}); err != nil {
		return err
	}
	if err := jim.Friends().Connect(ctx, g.eve); err != nil { // since defaults to now
		return err
	}
	rel, _ := jim.Friends().Relationship(ctx, bob)
	g.say("jim knows bob since %s", rel.Since.Format("2006-01-02"))
	old, _ := jim.Friends().Match(people.KnowsSince.Lt(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC))).All(ctx)
	g.say("friends since before 2010: %s", nameList(old))
	// Undirected: bob sees jim too.
	back, _ := bob.Friends().IsConnected(ctx, jim)
	g.say("bob knows jim: %v", back)
	return nil
}

// fetchRelations gives people cities in countries, then reads them with
// their relations in one query and filters and traverses across them.
func (g *guide) fetchRelations(ctx context.Context) error {
	if err := g.placePeople(ctx); err != nil {
		return err
	}
	// neomodel: Person.nodes.fetch_relations('city__country', Optional('country'))
	rows, err := g.mine().FetchRelations(people.PersonCity.With(people.CityCountry), ogm.Optional(people.PersonCountry)).
		OrderBy(people.PersonName.Asc()).All(ctx)
	if err != nil {
		return err
	}
	for _, p := range rows { // one query, typed results
		from := "-"
		if p.Fetched.Country != nil {
			from = p.Fetched.Country.Code
		}
		g.say("%s lives in %s, %s; is from %s", p.Name, p.Fetched.City.Name, p.Fetched.City.Fetched.Country.Code, from)
	}
	g.acrossRelations(ctx)
	return nil
}

// placePeople writes the cities, puts them in countries and people in them,
// and gives jim and eve a country again, so that the fetches below have
// paths of two hops and an optional one that is sometimes missing.
func (g *guide) placePeople(ctx context.Context) error {
	berlin, _ := people.CityNodes(g.db).Create(ctx, &people.City{Name: "Berlin (qs)"})
	hamburg, _ := people.CityNodes(g.db).Create(ctx, &people.City{Name: "Hamburg (qs)"})
	paris, _ := people.CityNodes(g.db).Create(ctx, &people.City{Name: "Paris (qs)"})
	for _, link := range []struct {
		city    *people.City
		country *people.Country
	}{{berlin, g.de}, {hamburg, g.de}, {paris, g.fr}} {
		if err := link.city.Country().Connect(ctx, link.country); err != nil {
			return err
		}
	}
	for _, link := range []struct {
		p *people.Person
		c *people.City
	}{{g.jim, berlin}, {g.bob, hamburg}, {g.ann, paris}} {
		if err := link.p.City().Connect(ctx, link.c); err != nil {
			return err
		}
	}
	if err := g.jim.Country().Connect(ctx, g.de); err != nil {
		return err
	}
	return g.eve.Country().Connect(ctx, g.us)
}

// acrossRelations filters people by their relations, and goes from a set of
// people to the set of their countries.
func (g *guide) acrossRelations(ctx context.Context) {
	mine := g.mine()
	// Filters across relationships: people whose city is in DE.
	inDE, _ := mine.Filter(people.PersonCity.Where(people.CityCountry.Where(people.CountryCode.Eq("QS-DE")))).OrderBy(people.PersonName.Asc()).All(ctx)
	g.say("living in DE: %s", nameList(inDE))
	noCountry, _ := mine.Filter(people.PersonCountry.HasNot()).OrderBy(people.PersonName.Asc()).All(ctx)
	g.say("without a country: %s", nameList(noCountry))
	// From a node set to another: the countries of the people over 20.
	ks, _ := ogm.Traverse(mine.Filter(people.PersonAge.Gt(20)), ogm.Then(people.PersonCity, people.CityCountry)).OrderBy(people.CountryCode.Asc()).All(ctx)
	codeList := make([]string, len(ks))
	for i, k := range ks {
		codeList[i] = k.Code
	}
	g.say("countries of the cities of people over 20: %s", strings.Join(codeList, ", "))
}

// transactions shows a transaction rolled back by its function's error, and
// one committed.
func (g *guide) transactions(ctx context.Context) error {
	jim, eve := g.jim, g.eve
	// neomodel: with db.transaction: …  Everything or nothing.
	err := g.db.Write(ctx, func(ctx context.Context) error {
		jim.Age = 99
		if err := jim.Save(ctx); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	_ = jim.Refresh(ctx)
	g.say("rolled back (%v): jim is %d", err, jim.Age)
	err = g.db.Write(ctx, func(ctx context.Context) error {
		if err := eve.Country().Disconnect(ctx, g.us); err != nil {
			return err
		}
		return eve.Country().Connect(ctx, g.fr)
	})
	if err != nil {
		return err
	}
	c, _ := eve.Country().Single(ctx)
	g.say("committed: eve is from %s", c.Code)
	return nil
}

// delete deletes a node, and shows that its handle cannot write it back.
func (g *guide) delete(ctx context.Context) error {
	// neomodel: eve.delete()
	if err := g.eve.Delete(ctx); err != nil {
		return err
	}
	g.say("eve deleted; saving her again fails: %v", errors.Is(g.eve.Save(ctx), ogm.ErrDeleted))
	left, _ := g.mine().Count(ctx)
	g.say("people left: %d", left)
	return nil
}

func nameList(ps []*people.Person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}
