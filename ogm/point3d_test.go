package ogm_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestPoints3D stores 2D and 3D points (cartesian and WGS-84, single and in
// lists, on nodes and on a relationship), reads them back with the
// Decoder, stores a Point3D parameter, and installs a point index for a
// point3d property. (inspect's TestPoints3D inspects the same graph.)
func TestPoints3D(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	label := testenv.Label(t)
	rel := "NEAR_" + strings.ToUpper(strings.TrimPrefix(label, "Test_"))
	sub := label + "Sub" // a second label combination with the same keys
	q := ogm.Quote
	t.Cleanup(func() { _, _ = db.Cypher(ctx, "MATCH (n:"+q(label)+") DETACH DELETE n", nil) })
	if _, err := db.Cypher(ctx, "CREATE (:"+q(label)+":"+q(sub)+" {flat: point({x: 5.0, y: 6.0}), deep: point({x: 1.0, y: 1.0, z: 1.0}), "+
		"geo: point({longitude: 1.0, latitude: 2.0, height: 3.0}), path: [point({x: 1.0, y: 2.0, z: 3.0})], flats: [point({x: 1.0, y: 2.0})], "+
		"mixed: point({x: 1.0, y: 1.0, z: 1.0})})", nil); err != nil {
		t.Fatal(err)
	}
	res, err := db.Cypher(ctx, "CREATE (a:"+q(label)+" {flat: point({x: 1.0, y: 2.0}), deep: point({x: 1.0, y: 2.0, z: 3.0}), "+
		"geo: point({longitude: 12.5, latitude: 41.9, height: 21.0}), path: [point({x: 1.0, y: 2.0, z: 3.0}), point({x: 4.0, y: 5.0, z: 6.0})], "+
		"flats: [point({x: 1.0, y: 2.0})], mixed: point({x: 0.0, y: 0.0})})"+
		"-[:"+q(rel)+" {at: point({x: 7.0, y: 8.0, z: 9.0})}]->"+
		"(b:"+q(label)+" {flat: point({x: 3.0, y: 4.0}), deep: point({x: 5.0, y: 6.0, z: 7.0}), "+
		"geo: point({longitude: 2.35, latitude: 48.85, height: 35.0}), path: [point({x: 0.0, y: 0.0, z: 0.0})], "+
		"flats: [point({x: 0.0, y: 1.0})], mixed: point({x: 0.0, y: 0.0, z: 0.0})}) RETURN a", nil)
	if err != nil {
		t.Fatal(err)
	}

	// Decoding: 3D points read as ogm.Point3D; a 2D point is not one, nor
	// is a 3D point a 2D one.
	d := &ogm.Decoder{Type: "T", Props: res.Rows[0][0].(ogm.Node).Props}
	deep, geo, path := d.Point3D("deep"), d.Point3DPtr("geo"), d.Points3D("path")
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	if deep != (ogm.Point3D{X: 1, Y: 2, Z: 3, SpatialRefId: 9157}) || geo == nil || geo.SpatialRefId != 4979 || geo.Z != 21 ||
		!reflect.DeepEqual(path, []ogm.Point3D{{X: 1, Y: 2, Z: 3, SpatialRefId: 9157}, {X: 4, Y: 5, Z: 6, SpatialRefId: 9157}}) ||
		d.Point3DPtr("missing") != nil || d.Points3D("missing") != nil {
		t.Errorf("decoded %+v %+v %+v", deep, geo, path)
	}
	for key, read := range map[string]func(*ogm.Decoder){
		"flat":  func(d *ogm.Decoder) { d.Point3D("flat") },
		"flats": func(d *ogm.Decoder) { d.Points3D("flats") },
		"deep":  func(d *ogm.Decoder) { d.Point("deep") },
		"path":  func(d *ogm.Decoder) { d.Points("path") },
	} {
		d := &ogm.Decoder{Type: "T", Props: res.Rows[0][0].(ogm.Node).Props}
		read(d)
		var pe *ogm.PropertyTypeError
		if err := d.Err(); !errors.Is(err, ogm.ErrPropertyType) || !errors.As(err, &pe) || pe.Prop != key {
			t.Errorf("%s read as the other dimension: %v", key, err)
		}
	}
	// Encoding: a Point3D parameter is stored as a 3D point.
	if _, err := db.Cypher(ctx, "MATCH (n:"+q(label)+") SET n.param = $p", map[string]any{"p": ogm.Point3D{X: 1, Y: 1, Z: 1, SpatialRefId: 9157}}); err != nil {
		t.Fatal(err)
	}

	// install-labels gives a point3d property with index: true a POINT
	// index, as it does for a point.
	items, err := ogm.InstallLabels(ctx, db, &ogm.Schema{Package: "p", Nodes: []ogm.SchemaNode{{
		Name: "T", Label: label, Labels: []string{label},
		Props: []ogm.PropInfo{{Name: "deep", Key: "deep", Type: "point3d", Index: ogm.RangeIndex}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, it := range items {
			_, _ = db.Cypher(ctx, "DROP INDEX "+q(it.Name)+" IF EXISTS", nil)
		}
	})
	if len(items) != 1 || items[0].Kind != "point index" {
		t.Fatalf("installed %+v", items)
	}
	res, err = db.Cypher(ctx, "SHOW INDEXES YIELD name, type WHERE name = $n RETURN type", map[string]any{"n": items[0].Name})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != "POINT" {
		t.Errorf("index %v %v", res, err)
	}
}
