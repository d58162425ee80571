package inspect_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestPoints3D inspects 2D and 3D points (cartesian and WGS-84, single and
// in lists, on nodes and on a relationship, one key holding both, one set
// from an ogm.Point3D parameter) both ways: Cypher tells a 3D point from a
// 2D one only by its coordinate reference system, and the procedures not
// at all. (ogm's TestPoints3D decodes the same graph.)
func TestPoints3D(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	label := testenv.Label(t)
	rel := "NEAR_" + strings.ToUpper(strings.TrimPrefix(label, "Test_"))
	sub := label + "Sub" // a second label combination with the same keys
	q := ogm.Quote
	t.Cleanup(func() { _, _ = db.Cypher(ctx, "MATCH (n:"+q(label)+") DETACH DELETE n", nil) })
	for _, stmt := range []string{
		"CREATE (:" + q(label) + ":" + q(sub) + " {flat: point({x: 5.0, y: 6.0}), deep: point({x: 1.0, y: 1.0, z: 1.0}), " +
			"geo: point({longitude: 1.0, latitude: 2.0, height: 3.0}), path: [point({x: 1.0, y: 2.0, z: 3.0})], flats: [point({x: 1.0, y: 2.0})], " +
			"mixed: point({x: 1.0, y: 1.0, z: 1.0})})",
		"CREATE (:" + q(label) + " {flat: point({x: 1.0, y: 2.0}), deep: point({x: 1.0, y: 2.0, z: 3.0}), " +
			"geo: point({longitude: 12.5, latitude: 41.9, height: 21.0}), path: [point({x: 1.0, y: 2.0, z: 3.0}), point({x: 4.0, y: 5.0, z: 6.0})], " +
			"flats: [point({x: 1.0, y: 2.0})], mixed: point({x: 0.0, y: 0.0})})" +
			"-[:" + q(rel) + " {at: point({x: 7.0, y: 8.0, z: 9.0})}]->" +
			"(:" + q(label) + " {flat: point({x: 3.0, y: 4.0}), deep: point({x: 5.0, y: 6.0, z: 7.0}), " +
			"geo: point({longitude: 2.35, latitude: 48.85, height: 35.0}), path: [point({x: 0.0, y: 0.0, z: 0.0})], " +
			"flats: [point({x: 0.0, y: 1.0})], mixed: point({x: 0.0, y: 0.0, z: 0.0})})",
		"MATCH (n:" + q(label) + ") SET n.param = $p",
	} {
		if _, err := db.Cypher(ctx, stmt, map[string]any{"p": ogm.Point3D{X: 1, Y: 1, Z: 1, SpatialRefId: 9157}}); err != nil {
			t.Fatal(err)
		}
	}

	want := map[string][]string{
		"flat": {"POINT"}, "deep": {"POINT 3D"}, "geo": {"POINT 3D"}, "path": {"LIST<POINT 3D>"},
		"flats": {"LIST<POINT>"}, "mixed": {"POINT", "POINT 3D"}, "param": {"POINT 3D"},
	}
	for _, mode := range []string{"cypher", "procedures"} {
		t.Run(mode, func(t *testing.T) {
			opts := inspect.Options{Labels: []string{label + "*"}}
			inspect.SetScan(&opts, mode)
			s, err := inspect.Database(ctx, db, opts)
			if err != nil {
				t.Fatal(err)
			}
			n := s.Node(label)
			if n == nil || len(n.Properties) != len(want) || len(s.Nodes) != 2 || s.Node(sub) == nil || s.Node(sub).Parent != label || len(s.Node(sub).Properties) != 0 {
				t.Fatalf("inspected %s", jsonOf(s))
			}
			for _, p := range n.Properties {
				if !reflect.DeepEqual(p.Types, want[p.Key]) || !p.Required {
					t.Errorf("%s: types %q required %v, want %q", p.Key, p.Types, p.Required, want[p.Key])
				}
			}
			if rt := s.RelType(rel); rt == nil || len(rt.Properties) != 1 || !reflect.DeepEqual(rt.Properties[0].Types, []string{"POINT 3D"}) {
				t.Errorf("relationship %s", jsonOf(rt))
			}
		})
	}

}
