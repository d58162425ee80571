package search_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// inventory is every constraint and index name with its type and
// properties, for comparing the database before and after a plan.
func inventory(t *testing.T, ctx context.Context, db *ogm.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range []string{
		"SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties",
		"SHOW INDEXES YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties",
	} {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range res.Rows {
			out[row[0].(string)] = strings.TrimSpace(strings.Join([]string{toString(row[1]), toString(row[2]), toString(row[3])}, " "))
		}
	}
	return out
}

func toString(v any) string {
	if l, ok := v.([]any); ok {
		var parts []string
		for _, x := range l {
			parts = append(parts, toString(x))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	if v == nil {
		return ""
	}
	return v.(string)
}

// TestSyncPlan: install-labels compares kind and properties, not only
// names (a RANGE index named as the declared POINT index differs); a
// pruning plan lists the strays of gonode's naming scheme and the index to
// replace and, computed (the dry run), changes nothing; applied, it
// removes exactly the names it listed and creates exactly the declared
// ones.
func TestSyncPlan(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	l := testenv.Label(t)
	t.Cleanup(func() {
		for name := range inventory(t, ctx, db) {
			if strings.Contains(name, l) {
				db.Cypher(ctx, "DROP CONSTRAINT "+ogm.Quote(name)+" IF EXISTS", nil)
				db.Cypher(ctx, "DROP INDEX "+ogm.Quote(name)+" IF EXISTS", nil)
			}
		}
	})
	s := &ogm.Schema{Package: "sync", Nodes: []ogm.SchemaNode{{Name: "Thing", Label: l, Props: []ogm.PropInfo{
		{Name: "a", Key: "a", Type: "int", Index: ogm.RangeIndex},
		{Name: "p", Key: "p", Type: "point", Index: ogm.RangeIndex},
		{Name: "v", Key: "v", Type: "[float]", Index: ogm.VectorIndex, Dimensions: 3, Similarity: ogm.Cosine},
		{Name: "u", Key: "u", Type: "string", Unique: true},
	}}}}
	q := ogm.Quote(l)
	for _, c := range []string{
		"CREATE INDEX " + ogm.Quote("index_"+l+"_p") + " FOR (n:" + q + ") ON (n.p)", // RANGE, declared POINT
		"CREATE INDEX " + ogm.Quote("index_"+l+"_gone") + " FOR (n:" + q + ") ON (n.gone)",
		"CREATE CONSTRAINT " + ogm.Quote("constraint_unique_"+l+"_old") + " FOR (n:" + q + ") REQUIRE n.old IS UNIQUE",
		"CREATE INDEX " + ogm.Quote("mine_"+l) + " FOR (n:" + q + ") ON (n.mine)", // not gonode's: never pruned
	} {
		if _, err := db.Cypher(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}

	items, err := ogm.InstallLabels(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	var differs []string
	for _, it := range items {
		if it.Differs != "" {
			differs = append(differs, it.String())
		}
	}
	if len(differs) != 1 || !strings.Contains(differs[0], "index_"+l+"_p") || !strings.Contains(differs[0], "RANGE index") {
		t.Fatalf("differs %q; items %v", differs, items)
	}

	before := inventory(t, ctx, db)
	plan, err := ogm.PlanSync(ctx, db, ogm.SyncOptions{Prune: true, PruneOwners: []string{l}}, s)
	if err != nil {
		t.Fatal(err)
	}
	var drops, replaced, created []string
	for _, st := range plan.Steps {
		switch st.Action {
		case ogm.PlanDrop:
			drops = append(drops, st.Name)
		case ogm.PlanReplace:
			replaced = append(replaced, st.Name)
		case ogm.PlanCreate:
			created = append(created, st.Name)
		}
	}
	sort.Strings(drops)
	if want := []string{"constraint_unique_" + l + "_old", "index_" + l + "_gone"}; !slices.Equal(drops, want) {
		t.Fatalf("drops %q, want %q (plan %v)", drops, want, plan.Steps)
	}
	if !slices.Equal(replaced, []string{"index_" + l + "_p"}) || len(created) != 0 || !plan.Changes() {
		t.Fatalf("replaced %q created %q (plan %v)", replaced, created, plan.Steps)
	}
	if after := inventory(t, ctx, db); !mapsEqual(before, after) {
		t.Fatalf("the dry run changed the database:\n%v\n%v", before, after)
	}

	if _, err := plan.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	after := inventory(t, ctx, db)
	var gone []string
	for n := range before {
		if _, ok := after[n]; !ok {
			gone = append(gone, n)
		}
	}
	sort.Strings(gone)
	if !slices.Equal(gone, drops) {
		t.Errorf("removed %q, the plan listed %q", gone, drops)
	}
	if !strings.HasPrefix(after["index_"+l+"_p"], "POINT") {
		t.Errorf("index_%s_p is %q after the replacement", l, after["index_"+l+"_p"])
	}
	if _, ok := after["mine_"+l]; !ok {
		t.Errorf("an index outside gonode's naming scheme was dropped")
	}
	again, err := ogm.PlanSync(ctx, db, ogm.SyncOptions{Prune: true, PruneOwners: []string{l}}, s)
	if err != nil || again.Changes() {
		t.Fatalf("after Apply the plan still changes: %v %v", again.Steps, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
