package storedforms_test

// A "" another app stored is data gonode did not set: reading the node and
// saving it keeps it, whatever else Save changes. gonode itself stores an
// unset string as no property at all, and a field set to "" over a
// non-empty value still removes it.

import (
	"testing"

	"github.com/gonode/gonode/ogm"

	"example.com/gen/storedforms"
)

func TestSaveKeepsEmptyStringsOthersWrote(t *testing.T) {
	ctx, db := open(t)
	label := ogm.Quote(storedforms.EventType.Label)
	if _, err := db.Cypher(ctx, "CREATE (a:"+label+" {name: 'py', note: '', mail: ''})-[:NEXT {label: ''}]->(:"+label+" {name: 'b', note: 'x'})", nil); err != nil {
		t.Fatal(err)
	}
	stored := func(name string) []any {
		t.Helper()
		res, err := db.Cypher(ctx, "MATCH (n:"+label+" {name: $name}) RETURN n.note, n.mail, 'note' IN keys(n), 'mail' IN keys(n)", map[string]any{"name": name})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("%v %v", res, err)
		}
		return res.Rows[0]
	}
	e, err := storedforms.EventNodes(db).Get(ctx, storedforms.EventName.Eq("py"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Note != "" || e.Mail != "" {
		t.Fatalf("read %q %q", e.Note, e.Mail)
	}
	e.Stamp = at
	if err := e.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if row := stored("py"); row[0] != "" || row[1] != "" || row[2] != true || row[3] != true {
		t.Errorf("after Save the stored strings are %#v, want both \"\" kept", row)
	}
	// After Refresh too.
	if err := e.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if row := stored("py"); row[2] != true || row[3] != true {
		t.Errorf("after Refresh and Save the stored strings are %#v", row)
	}
	// A value set over the "" is written; setting "" again removes it, as
	// for any string gonode set.
	e.Note = "set"
	if err := e.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if row := stored("py"); row[0] != "set" {
		t.Errorf("note %#v", row)
	}
	b, err := storedforms.EventNodes(db).Get(ctx, storedforms.EventName.Eq("b"))
	if err != nil {
		t.Fatal(err)
	}
	b.Note = ""
	if err := b.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if row := stored("b"); row[2] != false {
		t.Errorf("a note set to \"\" over %q is still stored: %#v", "x", row)
	}
	// gonode creates no key for an unset string.
	c, err := storedforms.EventNodes(db).Create(ctx, &storedforms.Event{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if row := stored("c"); row[2] != false || row[3] != false {
		t.Errorf("created with unset strings: %#v", row)
	}
	_ = c

	// A relationship model's "" is kept by its Save as well.
	l, err := e.Next().Relationship(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	l.Since = at
	if err := l.Save(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := db.Cypher(ctx, "MATCH (:"+label+")-[r:NEXT]->() RETURN r.label, 'label' IN keys(r)", nil)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "" || res.Rows[0][1] != true {
		t.Errorf("relationship label after Save: %v %v", res, err)
	}
}
