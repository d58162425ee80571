package inherit_test

// Tests of the code generated from schema.yaml in this directory, against
// the real database ($NEO4J_BOLT_URL). codegen's TestGeneratedCode runs them
// (go test ./... in the module of codegen/testdata/gen).

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/gonode/gonode/ogm"

	inherit "example.com/gen/inheritance"
)

func labels(t *testing.T, ctx context.Context, db *ogm.DB, id string) []string {
	t.Helper()
	res, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id RETURN labels(n)", map[string]any{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range res.Rows[0][0].([]any) {
		out = append(out, l.(string))
	}
	sort.Strings(out)
	return out
}

func TestInheritance(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	wipe := func() {
		db.Cypher(ctx, "MATCH (n) WHERE n:Tracked OR n:Document OR n:Device OR n:Leaf DETACH DELETE n", nil)
	}
	wipe()
	defer wipe()

	boss := &inherit.Manager{}
	boss.Name = "boss"
	boss.Salary = ogm.Ptr(10.0)
	if _, err := inherit.ManagerNodes(db).Create(ctx, boss); err != nil {
		t.Fatal(err)
	}
	if got := labels(t, ctx, db, boss.ElementID()); !reflect.DeepEqual(got, []string{"Boss", "Employee", "Human", "Manager", "Person", "Tracked"}) {
		t.Fatalf("labels %v", got)
	}
	if boss.UID == "" || boss.Status != "new" || boss.StatusDisplay() != "new" || boss.Reports != 0 {
		t.Fatalf("defaults %+v", boss)
	}
	emp, _ := inherit.EmployeeNodes(db).Create(ctx, &inherit.Employee{Person: inherit.Person{Name: "emp"}})
	plain, _ := inherit.PersonNodes(db).Create(ctx, &inherit.Person{Name: "plain"})

	// Person queries return the subclasses too; FromModel turns them back.
	people, err := inherit.PersonNodes(db).OrderBy(inherit.PersonName.Asc()).All(ctx)
	if err != nil || len(people) != 3 || people[0].Name != "boss" {
		t.Fatalf("people %v %v", people, err)
	}
	m, err := inherit.ManagerFromModel(ctx, people[0])
	if err != nil || m.Name != "boss" || *m.Salary != 10 || m.ElementID() != boss.ElementID() {
		t.Fatalf("from model %+v %v", m, err)
	}
	if _, err := inherit.EmployeeFromModel(ctx, plain); !errors.Is(err, ogm.ErrWrongType) {
		t.Fatalf("plain person as employee: %v", err)
	}
	if n, err := inherit.EmployeeNodes(db).Count(ctx); err != nil || n != 2 {
		t.Fatalf("employees %d %v", n, err)
	}
	// Relationships declared on ancestors (abstract or not) work on every
	// subclass, and so do their reverse accessors.
	if err := boss.Team().Connect(ctx, emp); err != nil {
		t.Fatal(err)
	}
	if mgr, err := emp.Manager().All(ctx); err != nil || len(mgr) != 1 || mgr[0].Name != "boss" {
		t.Fatalf("manager %v %v", mgr, err)
	}
	if err := emp.Creator().Connect(ctx, &boss.Person); err != nil {
		t.Fatal(err)
	}
	if err := emp.Creator().Connect(ctx, plain); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second creator: %v", err)
	}
	// The reverse of a relationship declared on an abstract node lists
	// every subclass, read as the abstract type (matched by its label).
	created, err := boss.Created().All(ctx)
	if err != nil || len(created) != 1 || created[0].UID != emp.UID {
		t.Fatalf("created %v %v", created, err)
	}
	if err := boss.Friends().Connect(ctx, plain); err != nil {
		t.Fatal(err)
	}
	rows, err := inherit.ManagerNodes(db).FetchRelations(inherit.ManagerTeam.With(inherit.EmployeeCreator), inherit.ManagerFriends).All(ctx)
	if err != nil || len(rows) != 1 || rows[0].Fetched.Team[0].Fetched.Creator.Name != "boss" || rows[0].Fetched.Friends[0].Name != "plain" {
		t.Fatalf("fetch %v %v", rows, err)
	}
	// Validation of inherited properties.
	bad := &inherit.Manager{}
	bad.Status, bad.Code = "gone", "UPPER"
	err = bad.Validate()
	var verrs ogm.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) != 3 {
		t.Fatalf("validation %v", err)
	}

	// Semi-structured nodes keep undeclared properties in Extra.
	memo := &inherit.Memo{Document: inherit.Document{Extra: map[string]any{"color": "red", "n": int64(3)}}}
	memo.Title = "t"
	if _, err := inherit.MemoNodes(db).Create(ctx, memo); err != nil {
		t.Fatal(err)
	}
	if got := labels(t, ctx, db, memo.ElementID()); !slices.Equal(got, []string{"Document", "Memo"}) {
		t.Fatalf("labels %v", got)
	}
	back, err := inherit.MemoNodes(db).Get(ctx, inherit.MemoTitle.Eq("t"))
	if err != nil || !reflect.DeepEqual(back.Extra, map[string]any{"color": "red", "n": int64(3)}) || back.Urgent {
		t.Fatalf("memo %+v %v", back, err)
	}
	back.Extra["title"] = "clash"
	if err := back.Save(ctx); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("extra clashing with a declared property: %v", err)
	}
	g := &inherit.Gadget{Thing: inherit.Thing{Extra: map[string]any{"volts": 5.0}}}
	if _, err := inherit.GadgetNodes(db).Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	if got, err := inherit.GadgetNodes(db).Get(ctx); err != nil || got.Extra["volts"] != 5.0 {
		t.Fatalf("gadget %+v %v", got, err)
	}
	// A required plain property inherited through two abstract levels.
	leaf := &inherit.Leaf{}
	leaf.Level = 2
	if _, err := inherit.LeafNodes(db).Create(ctx, leaf); err != nil {
		t.Fatal(err)
	}
	if n, err := inherit.LeafNodes(db).Filter(inherit.LeafLevel.Eq(2)).Count(ctx); err != nil || n != 1 {
		t.Fatalf("leaf %d %v", n, err)
	}
}
