package stored_test

// Tests of the code generated from schema.yaml in this directory, against
// the real database ($NEO4J_BOLT_URL). codegen's TestGeneratedCode runs them
// (go test ./... in the module of codegen/testdata/gen).

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"github.com/gonode/gonode/ogm"

	stored "example.com/gen/stored"
)

func TestStoredNames(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	wipe := func() {
		for _, l := range []string{stored.WidgetType.Label, stored.PartType.Label} {
			db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") DETACH DELETE n", nil)
		}
	}
	wipe()
	defer wipe()

	if stored.WidgetType.Label != "gonode stored: my label 😀" || stored.GizmoType.Label != "gonode stored gizmo: 2nd" {
		t.Fatalf("labels %q %q", stored.WidgetType.Label, stored.GizmoType.Label)
	}
	w, err := stored.WidgetNodes(db).Create(ctx, &stored.Widget{Ab: "x", First: ogm.Ptr(1), DisplayName: "The Widget", Tags: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	g := &stored.Gizmo{Widget: stored.Widget{Ab: "y", First: ogm.Ptr(2)}}
	if _, err := stored.GizmoNodes(db).Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	p, err := stored.PartNodes(db).Create(ctx, &stored.Part{Name: "bolt"})
	if err != nil {
		t.Fatal(err)
	}

	// What the database holds: the stored labels and keys.
	res, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id RETURN labels(n), n.`a-b`, n.`1st`, n.`display name`, n.`the tags`",
		map[string]any{"id": g.ElementID()})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, l := range res.Rows[0][0].([]any) {
		labels = append(labels, l.(string))
	}
	sort.Strings(labels)
	want := []string{"gonode `stored` tick", "gonode stored extra", "gonode stored gizmo: 2nd", "gonode stored: my label 😀"}
	if !reflect.DeepEqual(labels, want) {
		t.Fatalf("labels %q, want %q", labels, want)
	}
	if row := res.Rows[0]; row[1] != "y" || row[2] != int64(2) || row[3] != nil || row[4] != nil {
		t.Fatalf("stored %v", row)
	}
	res, err = db.Cypher(ctx, "MATCH (n:`gonode stored: my label 😀`) WHERE elementId(n) = $id RETURN n.`a-b`, n.`1st`, n.`display name`, n.`the tags`",
		map[string]any{"id": w.ElementID()})
	if err != nil || len(res.Rows) != 1 || !reflect.DeepEqual(res.Rows[0], []any{"x", int64(1), "The Widget", []any{"a"}}) {
		t.Fatalf("stored widget %v %v", res, err)
	}

	// Queries, filters and ordering on the stored keys.
	ws, err := stored.WidgetNodes(db).OrderBy(stored.WidgetFirst.Asc()).All(ctx)
	if err != nil || len(ws) != 2 || ws[0].Ab != "x" || ws[1].Ab != "y" || ws[0].DisplayName != "The Widget" || !reflect.DeepEqual(ws[0].Tags, []string{"a"}) {
		t.Fatalf("widgets %+v %v", ws, err)
	}
	if got, err := stored.WidgetNodes(db).Get(ctx, stored.WidgetDisplayName.Eq("The Widget")); err != nil || got.ElementID() != w.ElementID() {
		t.Fatalf("get %+v %v", got, err)
	}
	if n, err := stored.GizmoNodes(db).Filter(stored.GizmoAb.Eq("y")).Count(ctx); err != nil || n != 1 {
		t.Fatalf("gizmos %d %v", n, err)
	}
	if gz, err := stored.GizmoFromModel(ctx, ws[1]); err != nil || gz.ElementID() != g.ElementID() {
		t.Fatalf("from model %+v %v", gz, err)
	}

	// Updates.
	w.DisplayName = "renamed"
	w.First = nil
	if err := w.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Refresh(ctx); err != nil || w.DisplayName != "renamed" || w.First != nil {
		t.Fatalf("refresh %+v %v", w, err)
	}

	// A relationship type with a space, a model with a stored key, and the
	// reverse accessor.
	if err := w.Parts().Connect(ctx, p, &stored.Fit{How: "snug"}); err != nil {
		t.Fatal(err)
	}
	if err := g.Parts().Connect(ctx, p); err != nil {
		t.Fatal(err)
	}
	if ws, err := p.Widgets().All(ctx); err != nil || len(ws) != 2 {
		t.Fatalf("reverse %v %v", ws, err)
	}
	if fits, err := w.Parts().Match(stored.FitHow.Eq("snug")).All(ctx); err != nil || len(fits) != 1 || fits[0].Name != "bolt" {
		t.Fatalf("match %v %v", fits, err)
	}
	rows, err := stored.WidgetNodes(db).FetchRelations(stored.WidgetParts).Filter(stored.WidgetAb.Eq("x")).All(ctx)
	if err != nil || len(rows) != 1 || len(rows[0].Fetched.Parts) != 1 || rows[0].Fetched.Parts[0].Name != "bolt" {
		t.Fatalf("fetch %v %v", rows, err)
	}
	res, err = db.Cypher(ctx, "MATCH (:`gonode stored: my label 😀`)-[r:`HAS PART`]->(:`gonode stored part`) RETURN r.`how it fits` ORDER BY r.`how it fits`", nil)
	if err != nil || len(res.Rows) != 2 || res.Rows[0][0] != "snug" || res.Rows[1][0] != nil {
		t.Fatalf("edges %v %v", res, err)
	}

	// install-labels installs constraints and indexes named after the
	// stored label and keys (dropped again: the database is shared).
	defer func() {
		for _, s := range []string{
			"DROP CONSTRAINT `constraint_unique_gonode stored: my label 😀_a-b` IF EXISTS",
			"DROP CONSTRAINT `constraint_unique_gonode stored gizmo: 2nd_a-b` IF EXISTS",
			"DROP INDEX `index_gonode stored: my label 😀_1st` IF EXISTS",
			"DROP INDEX `index_gonode stored gizmo: 2nd_1st` IF EXISTS",
			"DROP INDEX `text_index_gonode stored: my label 😀_display name` IF EXISTS",
			"DROP INDEX `text_index_gonode stored gizmo: 2nd_display name` IF EXISTS",
		} {
			if _, err := db.Cypher(ctx, s, nil); err != nil {
				t.Error(err)
			}
		}
	}()
	items, err := ogm.InstallLabels(ctx, db, stored.Schema)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, it := range items {
		names[it.Name] = true
	}
	for _, n := range []string{"constraint_unique_gonode stored: my label 😀_a-b", "index_gonode stored: my label 😀_1st", "text_index_gonode stored: my label 😀_display name"} {
		if !names[n] {
			t.Errorf("install-labels lacks %q: %v", n, items)
		}
	}
	if _, err := stored.WidgetNodes(db).Create(ctx, &stored.Widget{Ab: "x"}); err == nil {
		t.Error("the uniqueness constraint on a-b does not hold")
	}
}
