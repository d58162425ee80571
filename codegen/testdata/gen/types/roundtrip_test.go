package types_test

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
	"time"

	"github.com/gonode/gonode/ogm"

	"example.com/gen/types"
)

func open(t *testing.T) (*ogm.DB, context.Context) {
	t.Helper()
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wipe := func() {
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE n:Scalars OR n:Required OR n:Arrays OR n:Defaults OR n:Options DETACH DELETE n", nil); err != nil {
			t.Fatal(err)
		}
	}
	wipe()
	t.Cleanup(func() { wipe(); db.Close(ctx) })
	return db, ctx
}

// storedKeys returns the sorted property keys stored on the node with id.
func storedKeys(t *testing.T, ctx context.Context, db *ogm.DB, id string) []string {
	t.Helper()
	res, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id RETURN keys(n)", map[string]any{"id": id})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("keys: %v %v", res, err)
	}
	var keys []string
	for _, k := range res.Rows[0][0].([]any) {
		keys = append(keys, k.(string))
	}
	sort.Strings(keys)
	return keys
}

func TestScalarsUnsetAndSet(t *testing.T) {
	db, ctx := open(t)
	s, err := types.ScalarsNodes(db).Create(ctx, &types.Scalars{})
	if err != nil {
		t.Fatal(err)
	}
	// Unset values are not stored; the uid is generated.
	if got := storedKeys(t, ctx, db, s.ElementID()); !reflect.DeepEqual(got, []string{"id"}) || len(s.ID) != 32 {
		t.Fatalf("stored %v, uid %q", got, s.ID)
	}
	zone := time.FixedZone("", 3600)
	s.S = "x"
	s.I = ogm.Ptr(3)
	s.F = ogm.Ptr(1.5)
	s.B = ogm.Ptr(false)
	s.D = time.Date(2024, 2, 29, 15, 0, 0, 0, zone) // stored as its calendar day
	s.Dt = time.Date(2024, 1, 2, 3, 4, 5, 6000, zone)
	s.Ldt = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Dur = &ogm.Duration{Months: 1, Days: 2, Seconds: 3, Nanos: 4}
	s.Mail = "jim@example.com"
	s.Doc = map[string]any{"k": []any{1.0, "x", nil}}
	s.Where = &ogm.Point2D{X: 1, Y: 2, SpatialRefId: 7203}
	s.Where3 = &ogm.Point3D{X: 1, Y: 2, Z: 3, SpatialRefId: 9157}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := types.ScalarsNodes(db).Get(ctx, types.ScalarsID.Eq(s.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got.S != "x" || *got.I != 3 || *got.F != 1.5 || *got.B != false || got.Mail != s.Mail ||
		!got.D.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || !got.Dt.Equal(s.Dt) ||
		got.Ldt.Format("2006-01-02T15:04:05") != "2024-01-02T03:04:05" ||
		*got.Dur != *s.Dur || *got.Where != *s.Where || *got.Where3 != *s.Where3 || !reflect.DeepEqual(got.Doc, s.Doc) {
		t.Fatalf("read back %+v", got)
	}
	// Every handle filters.
	for name, pred := range map[string]ogm.Pred[*types.Scalars]{
		"string":   types.ScalarsS.StartsWith("x"),
		"int":      types.ScalarsI.Gte(3),
		"float":    types.ScalarsF.Lt(2),
		"bool":     types.ScalarsB.Eq(false),
		"date":     types.ScalarsD.Eq(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)),
		"datetime": types.ScalarsDt.Gt(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
		"local":    types.ScalarsLdt.Lt(time.Date(2024, 1, 2, 4, 0, 0, 0, time.UTC)),
		"duration": types.ScalarsDur.Eq(*s.Dur),
		"email":    types.ScalarsMail.IEndsWith("EXAMPLE.COM"),
		"json":     types.ScalarsDoc.Eq(`{"k":[1,"x",null]}`),
		"point":    types.ScalarsWhere.Eq(*s.Where),
		"point3d":  types.ScalarsWhere3.Eq(*s.Where3),
		"isnull":   types.ScalarsS.IsNull(false),
	} {
		if n, err := types.ScalarsNodes(db).Filter(pred).Count(ctx); err != nil || n != 1 {
			t.Errorf("filter %s: %d %v", name, n, err)
		}
	}
	// Setting a value back to its unset value removes it.
	got.S, got.I, got.Doc, got.Where, got.Where3, got.Dt = "", nil, nil, nil, nil, time.Time{}
	if err := got.Save(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"b", "d", "dur", "f", "id", "ldt", "mail"}
	if keys := storedKeys(t, ctx, db, s.ElementID()); !reflect.DeepEqual(keys, want) {
		t.Fatalf("after unsetting: %v, want %v", keys, want)
	}
	// A 2D point where a point3d is declared (and a 3D one where a point
	// is) does not fit.
	for _, set := range []string{"n.where3 = point({x: 1, y: 2})", "n.where = point({x: 1, y: 2, z: 3})"} {
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id REMOVE n.where, n.where3 SET "+set, map[string]any{"id": s.ElementID()}); err != nil {
			t.Fatal(err)
		}
		if _, err := types.ScalarsNodes(db).Get(ctx, types.ScalarsID.Eq(s.ID)); !errors.Is(err, ogm.ErrPropertyType) {
			t.Errorf("%s: read %v, want ogm.ErrPropertyType", set, err)
		}
	}
}

func TestRequired(t *testing.T) {
	db, ctx := open(t)
	_, err := types.RequiredNodes(db).Create(ctx, &types.Required{})
	var verrs ogm.ValidationErrors
	if !errors.As(err, &verrs) {
		t.Fatalf("want validation errors, got %v", err)
	}
	var props []string
	for _, e := range verrs {
		if e.Rule != "required" {
			t.Errorf("rule %s", e.Rule)
		}
		props = append(props, e.Prop)
	}
	// Plain numbers, bools, durations and points are always set.
	// A plain point without a coordinate reference system is refused.
	want := []string{"s", "d", "dt", "ldt", "mail", "doc", "where", "where3", "tags"}
	if !reflect.DeepEqual(props, want) {
		t.Fatalf("required %v, want %v", props, want)
	}
	now := time.Now()
	r := &types.Required{S: "s", D: now, Dt: now, Ldt: now, Mail: "a@example.com", Doc: "x", Tags: []string{}, Where: ogm.Point2D{X: 1, Y: 2, SpatialRefId: 7203}, Where3: ogm.Point3D{X: 1, Y: 2, Z: 3, SpatialRefId: 4979}}
	if _, err := types.RequiredNodes(db).Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	keys := storedKeys(t, ctx, db, r.ElementID())
	if len(keys) != 13 {
		t.Fatalf("plain zero values are stored too: %v", keys)
	}
	back, err := types.RequiredNodes(db).Get(ctx, types.RequiredI.Eq(0), types.RequiredB.Eq(false))
	if err != nil || back.Tags == nil || len(back.Tags) != 0 || back.Doc != "x" || back.Where3 != r.Where3 {
		t.Fatalf("%+v %v", back, err)
	}
}

func TestArrays(t *testing.T) {
	db, ctx := open(t)
	day := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	a := &types.Arrays{
		Ss: []string{"a", "b"}, Is: []int{1, 2}, Fs: []float64{0.5}, Bs: []bool{true, false},
		Ds: []time.Time{day}, Dts: []time.Time{day.Add(time.Hour)}, Ldts: []time.Time{day.Add(2 * time.Hour)},
		Durs: []ogm.Duration{{Seconds: 60}}, Mails: []string{"a@example.com"},
		Points:   []ogm.Point2D{{X: 1, Y: 2, SpatialRefId: 7203}},
		Points3:  []ogm.Point3D{{X: 1, Y: 2, Z: 3, SpatialRefId: 9157}, {X: 4, Y: 5, Z: 6, SpatialRefId: 9157}},
		Keywords: []string{"go", "neo"}, Scores: []int{0, 100}, Ratios: []float64{1},
		Levels: []int{1, 2},
	}
	if _, err := types.ArraysNodes(db).Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Sizes, []string{"S", "M"}) {
		t.Fatalf("default %v", a.Sizes)
	}
	got, err := types.ArraysNodes(db).Filter(
		types.ArraysSs.Contains("b"), types.ArraysDs.Contains(day), types.ArraysIs.ContainsAll(1, 2),
		types.ArraysSizes.ContainsAny("M", "L"), types.ArraysPoints.Contains(ogm.Point2D{X: 1, Y: 2, SpatialRefId: 7203}),
		types.ArraysPoints3.Contains(ogm.Point3D{X: 4, Y: 5, Z: 6, SpatialRefId: 9157}),
	).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Is, a.Is) || !got.Ds[0].Equal(day) || !got.Dts[0].Equal(a.Dts[0]) || got.Durs[0] != a.Durs[0] ||
		!slices.Equal(got.Mails, a.Mails) || got.Points[0] != a.Points[0] || !slices.Equal(got.Points3, a.Points3) || !slices.Equal(got.Bs, a.Bs) ||
		!slices.Equal(got.SizesDisplay(), []string{"S", "M"}) || !slices.Equal(got.LevelsDisplay(), []string{"Low", "High"}) {
		t.Fatalf("read back %+v", got)
	}
	// Each element is validated.
	bad := &types.Arrays{Keywords: []string{"x", "UPPER"}, Scores: []int{-1, 101}, Ratios: []float64{2}, Sizes: []string{"XXL"}, Mails: []string{"nope"}, Levels: []int{3}}
	err = bad.Validate()
	var verrs ogm.ValidationErrors
	if !errors.As(err, &verrs) {
		t.Fatalf("%v", err)
	}
	var rules []string
	for _, e := range verrs {
		rules = append(rules, e.Prop+":"+e.Rule)
	}
	want := []string{"keywords:min_length", "keywords:pattern", "scores:min", "scores:max", "ratios:max", "sizes:choices", "levels:choices", "mails:email"}
	sort.Strings(rules)
	sort.Strings(want)
	if !reflect.DeepEqual(rules, want) {
		t.Fatalf("rules %v, want %v", rules, want)
	}
}

func TestDefaults(t *testing.T) {
	db, ctx := open(t)
	before := time.Now().Add(-time.Second)
	d, err := types.DefaultsNodes(db).Create(ctx, &types.Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := types.DefaultsNodes(db).Get(ctx, types.DefaultsUIDUUID.Eq(d.UIDUUID))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []*types.Defaults{d, got} {
		if v.S != "hello" || v.SNow != "now" || len(v.SUUID) != 32 || *v.I != 42 || v.IZero != 0 || *v.INeg != -7 ||
			*v.F != 1.5 || *v.FInt != 2 || v.FZero != 0 || v.B || !*v.BTrue ||
			!v.D.Equal(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)) || v.DNow.Before(before.Truncate(24*time.Hour)) ||
			!v.Dt.Equal(time.Date(2024, 1, 31, 10, 30, 0, 0, time.UTC)) || v.DtNow.Before(before) ||
			v.Ldt.Format("15:04:05.0") != "12:30:00.5" || *v.Dur != (ogm.Duration{Seconds: 5400}) ||
			*v.DurFrac != (ogm.Duration{Seconds: -2, Nanos: 500000000}) || v.DurZero != (ogm.Duration{}) ||
			v.Mail != "nobody@example.com" || v.UIDImplied == "" ||
			!reflect.DeepEqual(v.Doc, map[string]any{"a": 1.0, "b": []any{true, nil, "x"}, "c": map[string]any{"d": 2.5}}) ||
			!reflect.DeepEqual(v.DocList, []any{1.0, 2.0}) || v.DocScalar != "text" ||
			!slices.Equal(v.Is, []int{1, 2, 3}) || !slices.Equal(v.Fs, []float64{1, 2.5}) || !v.Ds[0].Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) ||
			v.Durs[1] != (ogm.Duration{Seconds: 120}) || v.Empty == nil || len(v.Empty) != 0 ||
			*v.Bounded != 10 || v.Chosen != "b" || v.Shaped != "xyz" || v.ChosenDisplay() != "b" {
			t.Fatalf("defaults %+v", v)
		}
	}
	// A value given is kept.
	e := &types.Defaults{S: "mine", I: ogm.Ptr(0), BTrue: ogm.Ptr(false)}
	if _, err := types.DefaultsNodes(db).Create(ctx, e); err != nil || e.S != "mine" || *e.I != 0 || *e.BTrue {
		t.Fatalf("%+v %v", e, err)
	}
}

func TestOptions(t *testing.T) {
	db, ctx := open(t)
	o := &types.Options{Code: "AB", Stored: "s", GradeReq: 2, StoredInt: ogm.Ptr(5), StoredList: []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, StoredDoc: []any{"x"}, Size: "XL", Level: ogm.Ptr(0.5)}
	if _, err := types.OptionsNodes(db).Create(ctx, o); err != nil {
		t.Fatal(err)
	}
	keys := storedKeys(t, ctx, db, o.ElementID())
	for _, k := range []string{"storedAs", "n", "days", "document"} {
		if !slices.Contains(keys, k) {
			t.Errorf("db_property %s not stored: %v", k, keys)
		}
	}
	got, err := types.OptionsNodes(db).Get(ctx, types.OptionsStored.Eq("s"), types.OptionsStoredInt.Gt(4), types.OptionsStoredList.Contains(o.StoredList[0]))
	if err != nil || got.StoredDoc.([]any)[0] != "x" || got.SizeDisplay() != "Extra large" || got.LevelDisplay() != "Half" || got.GradeDisplay() != "" || got.GradeReqDisplay() != "2" || got.RangedPlain != 0 || *got.Ratio != 0.5 {
		t.Fatalf("%+v %v", got, err)
	}
	if got.Quoted != `"x"` {
		t.Fatalf("quoted default %q", got.Quoted)
	}
	for name, c := range map[string]struct {
		o    types.Options
		rule string
	}{
		"pattern":    {types.Options{Code: "ab", Stored: "s", GradeReq: 1}, "pattern"},
		"max_length": {types.Options{Code: "ABCDEFGHIJK", Stored: "s", GradeReq: 1}, "max_length"},
		"min_length": {types.Options{Code: "A", Stored: "s", GradeReq: 1}, "min_length"},
		"min":        {types.Options{Code: "AB", Stored: "s", GradeReq: 1, Ranged: ogm.Ptr(-6)}, "min"},
		"max plain":  {types.Options{Code: "AB", Stored: "s", GradeReq: 1, RangedPlain: 6}, "max"},
		"max float":  {types.Options{Code: "AB", Stored: "s", GradeReq: 1, Ratio: ogm.Ptr(1.6)}, "max"},
		"choices":    {types.Options{Code: "AB", Stored: "s", GradeReq: 4}, "choices"},
		"choice ptr": {types.Options{Code: "AB", Stored: "s", GradeReq: 1, Grade: ogm.Ptr(9)}, "choices"},
		"float":      {types.Options{Code: "AB", Stored: "s", GradeReq: 1, Level: ogm.Ptr(0.7)}, "choices"},
		"email":      {types.Options{Code: "AB", Stored: "s", GradeReq: 1, Contact: "a@example"}, "choices"},
		"required":   {types.Options{Code: "AB", GradeReq: 1}, "required"},
	} {
		_, err := types.OptionsNodes(db).Create(ctx, &c.o)
		var ve *ogm.ValidationError
		if !errors.Is(err, ogm.ErrValidation) || !errors.As(err, &ve) || ve.Rule != c.rule {
			t.Errorf("%s: %v", name, err)
		}
	}
}
