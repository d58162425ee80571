package ogm_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

func TestInstallAndRemoveLabels(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	label := testenv.Label(t)
	relType := "REL_" + strings.ToUpper(label)
	odd := label + " odd`label" // a label that needs quoting
	schema := &ogm.Schema{
		Package: "test",
		Nodes: []ogm.SchemaNode{
			{Name: "Thing", Label: label, Labels: []string{label}, Props: []ogm.PropInfo{
				{Name: "code", Key: "code", Type: "string", Unique: true},
				{Name: "age", Key: "age", Type: "int", Index: ogm.RangeIndex},
				{Name: "bio", Key: "bio", Type: "string", Index: ogm.TextIndex},
				{Name: "body", Key: "body", Type: "string", Index: ogm.FulltextIndex},
				{Name: "plain", Key: "plain", Type: "string"},
				{Name: "home", Key: "home", Type: "point", Index: ogm.RangeIndex},
			}},
			{Name: "Base", Abstract: true, Props: []ogm.PropInfo{{Name: "x", Key: "x", Unique: true}}},
			{Name: "Odd", Label: odd, Labels: []string{odd}, Props: []ogm.PropInfo{
				{Name: "type_", Key: "type", Type: "string", Unique: true},
			}},
		},
		RelModels: []ogm.SchemaRel{{Type: relType, Model: "Since", Props: []ogm.PropInfo{
			{Name: "since", Key: "since", Type: "datetime", Index: ogm.RangeIndex},
			{Name: "key", Key: "key", Type: "string", Unique: true},
		}}},
	}
	want := map[string]string{ // name → SHOW's type
		"constraint_unique_" + label + "_code":  "UNIQUENESS",
		"index_" + label + "_age":               "RANGE",
		"index_" + label + "_home":              "POINT",
		"text_index_" + label + "_bio":          "TEXT",
		"fulltext_index_" + label + "_body":     "FULLTEXT",
		"constraint_unique_" + odd + "_type":    "UNIQUENESS",
		"index_" + relType + "_since":           "RANGE",
		"constraint_unique_" + relType + "_key": "RELATIONSHIP_UNIQUENESS",
	}
	if _, err := ogm.RemoveLabels(ctx, db); err != nil {
		t.Fatal(err)
	}
	items, err := ogm.InstallLabels(ctx, db, schema)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(want) {
		t.Fatalf("%d items: %v", len(items), items)
	}
	for _, it := range items {
		if !it.Created {
			t.Errorf("first run: %s", it)
		}
	}
	got := map[string]string{}
	for _, q := range []string{
		"SHOW CONSTRAINTS YIELD name, type RETURN name, type",
		"SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name, type",
	} {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range res.Rows {
			got[row[0].(string)] = row[1].(string)
		}
	}
	for name, typ := range want {
		if got[name] != typ {
			t.Errorf("%s: type %q; want %q (all: %v)", name, got[name], typ, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("database has %v; want exactly %v", got, want)
	}

	// The constraint enforces uniqueness on the quoted label and key.
	if _, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(odd)+" {type: 'a'})", nil); err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, odd)
	_, err = db.Cypher(ctx, "CREATE (:"+ogm.Quote(odd)+" {type: 'a'})", nil)
	if err == nil || !strings.Contains(err.Error(), "constraint") {
		t.Fatalf("duplicate under the odd label: %v", err)
	}

	again, err := ogm.InstallLabels(ctx, db, schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range again {
		if it.Created || !strings.HasPrefix(it.String(), "found ") {
			t.Errorf("second run changed something: %s", it)
		}
	}

	removed, err := ogm.RemoveLabels(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range removed {
		names = append(names, r.Name)
	}
	for name := range want {
		if !slices.Contains(names, name) {
			t.Errorf("RemoveLabels did not report %s (removed %v)", name, names)
		}
	}
	res, err := db.Cypher(ctx, "SHOW INDEXES YIELD type RETURN collect(DISTINCT type)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if types := res.Rows[0][0].([]any); len(types) != 1 || types[0] != "LOOKUP" {
		t.Fatalf("after RemoveLabels: index types %v; want only LOOKUP", types)
	}
	res, _ = db.Cypher(ctx, "SHOW CONSTRAINTS YIELD name RETURN count(*)", nil)
	if n := res.Rows[0][0].(int64); n != 0 {
		t.Fatalf("%d constraints left", n)
	}
}

func TestInstallLabelsInsideTransactionFails(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	err := db.Write(ctx, func(ctx context.Context) error {
		_, err := ogm.InstallLabels(ctx, db, &ogm.Schema{})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "inside a transaction") {
		t.Fatalf("got %v", err)
	}
}
