package people_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

// TestGetByElementID: the lookup an API makes from an id in its URL
// returns the node, eagerly loaded where asked, and only a node of the
// manager's type within the set's filters; any other id (another type's
// node, a deleted one, garbage, an injection attempt) is ErrDoesNotExist.
func TestGetByElementID(t *testing.T) {
	ctx, db := fixture(t)
	people := seed(t, ctx, db)
	jim := people["Jim"]
	nodes := PersonNodes(db)

	got, err := nodes.GetByElementID(ctx, jim.ElementID())
	if err != nil || got.Name != "Jim" || got.ElementID() != jim.ElementID() || got.Age != 3 {
		t.Fatalf("GetByElementID: %+v %v", got, err)
	}

	// Subtypes are Persons too: an Admin is found through PersonNodes and
	// comes back as an *Admin's Person (Resolve gives the Admin).
	admin, err := AdminNodes(db).Create(ctx, &Admin{Person: Person{Name: "Root"}, Level: ogm.Ptr(9)})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := nodes.GetByElementID(ctx, admin.ElementID()); err != nil || p.Name != "Root" {
		t.Fatalf("admin through PersonNodes: %v %v", p, err)
	}
	if _, err := AdminNodes(db).GetByElementID(ctx, jim.ElementID()); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("a Person that is not an Admin through AdminNodes: %v", err)
	}

	// The label is checked: a City's id is not a Person.
	de, err := CountryNodes(db).Create(ctx, &Country{Code: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	berlin := &City{Name: "Berlin"}
	if err := db.Write(ctx, func(ctx context.Context) error {
		if _, err := CityNodes(db).Create(ctx, berlin); err != nil {
			return err
		}
		return berlin.Country().Connect(ctx, de)
	}); err != nil {
		t.Fatal(err)
	}
	if p, err := nodes.GetByElementID(ctx, berlin.ElementID()); !errors.Is(err, ogm.ErrDoesNotExist) || p != nil {
		t.Fatalf("a City's id through PersonNodes: %v %v", p, err)
	}
	var ne *ogm.NodeError
	if _, err := nodes.GetByElementID(ctx, berlin.ElementID()); !errors.As(err, &ne) || ne.Type != "Person" {
		t.Fatalf("error names the type: %#v", err)
	}

	// The set's filters apply.
	if _, err := nodes.Filter(PersonAge.Gt(10)).GetByElementID(ctx, jim.ElementID()); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Fatalf("filtered out: %v", err)
	}
	if p, err := nodes.Filter(PersonAge.Lt(10)).GetByElementID(ctx, jim.ElementID()); err != nil || p.Name != "Jim" {
		t.Fatalf("filtered in: %v %v", p, err)
	}

	// FetchRelations loads in the same query.
	if err := db.Write(ctx, func(ctx context.Context) error { return jim.City().Connect(ctx, berlin) }); err != nil {
		t.Fatal(err)
	}
	p, err := nodes.FetchRelations(ogm.Then(PersonCity, CityCountry)).GetByElementID(ctx, jim.ElementID())
	if err != nil || len(p.Fetched.City) != 1 || p.Fetched.City[0].Name != "Berlin" || p.Fetched.City[0].Fetched.Country.Code != "DE" {
		t.Fatalf("fetched: %+v %v", p, err)
	}

	// Ids that name nothing.
	gone := people["Ann"]
	annID := gone.ElementID()
	if err := gone.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{annID, "", "4:no-such-db:1", "x' OR 1=1 //", jim.ElementID() + " "} {
		if p, err := nodes.GetByElementID(ctx, id); !errors.Is(err, ogm.ErrDoesNotExist) || p != nil {
			t.Errorf("GetByElementID(%q): %v %v", id, p, err)
		}
	}
}

// TestNodeErrorQuotesForeignIDs: an id taken from a request is printed
// quoted when it could forge a log line.
func TestNodeErrorQuotesForeignIDs(t *testing.T) {
	ctx, db := fixture(t)
	_, err := PersonNodes(db).GetByElementID(ctx, "4:x:1\nlevel=ERROR msg=forged")
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), `"4:x:1\nlevel=ERROR msg=forged"`) {
		t.Fatalf("error text: %q", err)
	}
	if _, err := PersonNodes(db).GetByElementID(ctx, "4:abc:7"); err == nil || !strings.HasSuffix(err.Error(), "get Person 4:abc:7: node does not exist") {
		t.Fatalf("plain id: %q", err)
	}
}
