package types_test

// The JSON encoding of every property type, against the real database:
// each value is created, read back, encoded, decoded, created again from
// what was decoded, read back and encoded again, and the two encodings
// compared; durations and date-times are compared with Neo4j's own
// printing of them.

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"

	"example.com/gen/types"
)

// withoutIDs blanks the element ids and generated uids of a JSON
// encoding, which differ between two nodes of the same values.
func withoutIDs(b []byte) string {
	s := regexp.MustCompile(`"element_id":"[^"]*",?`).ReplaceAllString(string(b), "")
	return regexp.MustCompile(`"(id|uid_uuid|uid_implied|s_uuid)":"[0-9a-f]{32}"`).ReplaceAllString(s, `"$1":"UID"`)
}

// roundTrip encodes got (a node read back), decodes the encoding into a
// new value, checks that it equals got field by field (element id and
// Fetched aside), creates it as a new node with create, reads that back
// (Refresh) and checks that it encodes as got did. It returns got's
// encoding.
func roundTrip[T any, P interface {
	*T
	ogm.Entity
	Refresh(context.Context) error
	ElementID() string
}](t *testing.T, got P, create func(P) error) []byte {
	t.Helper()
	enc, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	conformsToJSONSchema(t, reflect.TypeFor[T]().Name(), enc)
	if byValue, err := json.Marshal(*got); err != nil || string(byValue) != string(enc) {
		t.Errorf("a value encodes as %s, its pointer as %s (%v)", byValue, enc, err)
	}
	back := P(new(T))
	if err := json.Unmarshal(enc, back); err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	if back.ElementID() != "" {
		t.Errorf("decoding read the element id %q", back.ElementID())
	}
	if diff := differ(reflect.ValueOf(got).Elem(), reflect.ValueOf(back).Elem(), ""); diff != "" {
		t.Errorf("decoded value differs at %s:\n%s", diff, enc)
	}
	if err := create(back); err != nil {
		t.Fatalf("creating the decoded value: %v", err)
	}
	if back.ElementID() == got.ElementID() {
		t.Fatal("create did not create a new node")
	}
	if err := back.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	enc2, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if withoutIDs(enc2) != withoutIDs(enc) {
		t.Errorf("after a round trip through the database:\n%s\nwant\n%s", enc2, enc)
	}
	return enc
}

// differ returns the path of the first field where a and b differ ("" if
// none): times are compared as instants with their offsets, the NodeBase
// and Fetched fields not at all.
func differ(a, b reflect.Value, path string) string {
	if a.Type() == reflect.TypeFor[time.Time]() {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if !ta.Equal(tb) || oa != ob {
			return path + " (" + ta.String() + " vs " + tb.String() + ")"
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() || f.Name == "NodeBase" || f.Name == "RelBase" || f.Name == "Fetched" {
				continue
			}
			if d := differ(a.Field(i), b.Field(i), path+"."+f.Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + " (nil and not)"
			}
			return ""
		}
		return differ(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return path + " (length or nil)"
		}
		for i := range a.Len() {
			if d := differ(a.Index(i), b.Index(i), path+"[]"); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return path
	}
	return ""
}

// neo4jStrings returns Neo4j's toString of the properties keys of the
// node with element id id, one string per key (a list property joined
// by " "), without the names of time zones ("2024-06-01T23:59:59Z[UTC]"
// is "2024-06-01T23:59:59Z").
func neo4jStrings(t *testing.T, db *ogm.DB, id string, keys ...string) []string {
	t.Helper()
	res, err := db.Cypher(t.Context(), "MATCH (n) WHERE elementId(n) = $id UNWIND $keys AS k "+
		"RETURN CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN reduce(s = '', x IN n[k] | s + ' ' + toString(x)) ELSE toString(n[k]) END",
		map[string]any{"id": id, "keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	zoneID := regexp.MustCompile(`\[[^\]]*\]`) // RFC 3339 has offsets only: a zone's name is not in JSON
	for _, r := range res.Rows {
		out = append(out, zoneID.ReplaceAllString(strings.TrimSpace(r[0].(string)), ""))
	}
	return out
}

// member returns the raw JSON of key in the object enc.
func member(t *testing.T, enc []byte, key string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(enc, &m); err != nil {
		t.Fatal(err)
	}
	return string(m[key])
}

func TestJSONScalars(t *testing.T) {
	db, ctx := open(t)
	plus2 := time.FixedZone("", 2*3600)
	s := &types.Scalars{
		S: "x \"quoted\" <b> ü\n", I: ogm.Ptr(-3), F: ogm.Ptr(1.5), B: ogm.Ptr(false),
		D:    time.Date(2024, 2, 29, 15, 0, 0, 0, plus2),
		Dt:   time.Date(2024, 1, 31, 12, 30, 0, 250000000, plus2),
		Ldt:  time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC),
		Dur:  &ogm.Duration{Months: 14, Days: 3, Seconds: 4*3600 + 5*60 + 6, Nanos: 500000000},
		Mail: "jim@example.com", Doc: map[string]any{"k": []any{1.0, "x", nil}},
		Where: &ogm.Point2D{SpatialRefId: 4326, X: 13.4, Y: 52.5}, Where3: &ogm.Point3D{SpatialRefId: 9157, X: 1, Y: 2, Z: 3},
	}
	if _, err := types.ScalarsNodes(db).Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := types.ScalarsNodes(db).Get(ctx, types.ScalarsID.Eq(s.ID))
	if err != nil {
		t.Fatal(err)
	}
	enc := roundTrip(t, got, func(v *types.Scalars) error {
		v.ID = "" // a uid is generated on create
		_, err := types.ScalarsNodes(db).Create(ctx, v)
		return err
	})
	want := `{"element_id":"` + got.ElementID() + `","s":"x \"quoted\" \u003cb\u003e ü\n","i":-3,"f":1.5,"b":false,"d":"2024-02-29",` +
		`"dt":"2024-01-31T12:30:00.25+02:00","ldt":"2024-01-02T03:04:05.5","dur":"P1Y2M3DT4H5M6.5S","id":"` + got.ID + `",` +
		`"mail":"jim@example.com","doc":{"k":[1,"x",null]},"where":{"srid":4326,"x":13.4,"y":52.5},"where3":{"srid":9157,"x":1,"y":2,"z":3}}`
	if string(enc) != want {
		t.Errorf("encoded\n%s\nwant\n%s", enc, want)
	}
	// Durations and date-times as Neo4j prints them.
	printed := neo4jStrings(t, db, got.ElementID(), "d", "dt", "ldt", "dur")
	for i, key := range []string{"d", "dt", "ldt", "dur"} {
		if m := member(t, enc, key); m != `"`+printed[i]+`"` {
			t.Errorf("%s: JSON %s, Neo4j prints %s", key, m, printed[i])
		}
	}
	// Unset values are absent, but for the uid generated on create.
	empty, err := types.ScalarsNodes(db).Create(ctx, &types.Scalars{})
	if err != nil {
		t.Fatal(err)
	}
	if enc, _ := json.Marshal(empty); string(enc) != `{"element_id":"`+empty.ElementID()+`","id":"`+empty.ID+`"}` {
		t.Errorf("unset values: %s", enc)
	}
	if enc, _ := json.Marshal(types.Scalars{}); string(enc) != `{}` {
		t.Errorf("a new value: %s", enc)
	}
	// A json value that is a typed nil is unset too: it reads back as nil.
	if enc, _ := json.Marshal(types.Scalars{Doc: []any(nil)}); string(enc) != `{}` {
		t.Errorf("a typed nil json value: %s", enc)
	}
}

func TestJSONRequiredPlainValues(t *testing.T) {
	db, ctx := open(t)
	r := &types.Required{
		S: "s", D: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Dt: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC),
		Ldt: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC), Mail: "a@example.com", Doc: "text",
		Where: ogm.Point2D{SpatialRefId: 7203, X: 1, Y: 2}, Where3: ogm.Point3D{SpatialRefId: 9157, X: 1, Y: 2, Z: 3}, Tags: []string{},
	}
	if _, err := types.RequiredNodes(db).Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := types.RequiredNodes(db).Get(ctx, types.RequiredS.Eq("s"))
	if err != nil {
		t.Fatal(err)
	}
	enc := roundTrip(t, got, func(v *types.Required) error { _, err := types.RequiredNodes(db).Create(ctx, v); return err })
	// Plain values are written although zero; an empty list is [].
	want := `{"element_id":"` + got.ElementID() + `","s":"s","i":0,"f":0,"b":false,"d":"2024-01-01","dt":"2024-01-01T08:00:00Z",` +
		`"ldt":"2024-01-01T08:00:00","dur":"PT0S","mail":"a@example.com","doc":"text","where":{"srid":7203,"x":1,"y":2},` +
		`"where3":{"srid":9157,"x":1,"y":2,"z":3},"tags":[]}`
	if string(enc) != want {
		t.Errorf("encoded\n%s\nwant\n%s", enc, want)
	}
}

func TestJSONArrays(t *testing.T) {
	db, ctx := open(t)
	minus5 := time.FixedZone("", -5*3600)
	a := &types.Arrays{
		Ss: []string{"a", ""}, Is: []int{1, -2}, Fs: []float64{0.5, 1e-7, 2e21}, Bs: []bool{true, false},
		Ds:       []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		Dts:      []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 1, minus5), time.Date(2024, 6, 1, 23, 59, 59, 0, time.UTC)},
		Ldts:     []time.Time{time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)},
		Durs:     []ogm.Duration{{}, {Seconds: -2, Nanos: 500000000}, {Months: -14, Days: -3}, {Seconds: -3661, Nanos: 250000000}, {Nanos: 7}, {Months: 12, Seconds: 3600}},
		Mails:    []string{"a@example.com"},
		Points:   []ogm.Point2D{{SpatialRefId: 7203, X: 1, Y: 2}},
		Points3:  []ogm.Point3D{{SpatialRefId: 4979, X: 13.4, Y: 52.5, Z: 34}},
		Keywords: []string{"ab"}, Scores: []int{0, 100}, Ratios: []float64{0.5}, Sizes: []string{"L"}, Levels: []int{2},
	}
	if _, err := types.ArraysNodes(db).Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := types.ArraysNodes(db).Get(ctx, types.ArraysKeywords.Contains("ab"))
	if err != nil {
		t.Fatal(err)
	}
	enc := roundTrip(t, got, func(v *types.Arrays) error { _, err := types.ArraysNodes(db).Create(ctx, v); return err })
	for key, want := range map[string]string{
		"ss":      `["a",""]`,
		"fs":      `[0.5,1e-7,2e+21]`,
		"ds":      `["2024-01-01","1999-12-31"]`,
		"dts":     `["2024-01-01T00:00:00.000000001-05:00","2024-06-01T23:59:59Z"]`,
		"durs":    `["PT0S","PT-1.5S","P-1Y-2M-3D","PT-1H-1M-0.75S","PT0.000000007S","P1YT1H"]`,
		"points3": `[{"srid":4979,"x":13.4,"y":52.5,"z":34}]`,
	} {
		if got := member(t, enc, key); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	// Each element as Neo4j prints it.
	printed := neo4jStrings(t, db, got.ElementID(), "ds", "dts", "ldts", "durs")
	for i, key := range []string{"ds", "dts", "ldts", "durs"} {
		var elems []string
		if err := json.Unmarshal([]byte(member(t, enc, key)), &elems); err != nil {
			t.Fatal(err)
		}
		if strings.Join(elems, " ") != printed[i] {
			t.Errorf("%s: JSON %q, Neo4j prints %q", key, elems, printed[i])
		}
	}
}

func TestJSONDefaultsAndOptions(t *testing.T) {
	db, ctx := open(t)
	d, err := types.DefaultsNodes(db).Create(ctx, &types.Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := types.DefaultsNodes(db).Get(ctx, types.DefaultsUIDUUID.Eq(d.UIDUUID))
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, got, func(v *types.Defaults) error { _, err := types.DefaultsNodes(db).Create(ctx, v); return err })
	o := &types.Options{Code: "AB", Stored: "s", GradeReq: 2, StoredInt: ogm.Ptr(5), StoredList: []time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		StoredDoc: []any{"x"}, Size: "XL", Level: ogm.Ptr(0.5), Coords: &ogm.Point2D{SpatialRefId: 7203, X: 1, Y: 1}}
	if _, err := types.OptionsNodes(db).Create(ctx, o); err != nil {
		t.Fatal(err)
	}
	gotO, err := types.OptionsNodes(db).Get(ctx, types.OptionsStored.Eq("s"))
	if err != nil {
		t.Fatal(err)
	}
	enc := roundTrip(t, gotO, func(v *types.Options) error { _, err := types.OptionsNodes(db).Create(ctx, v); return err })
	// Keys are the schema's names, not the stored ones.
	for key, want := range map[string]string{"stored": `"s"`, "stored_int": `5`, "stored_list": `["2024-01-01"]`, "stored_doc": `["x"]`, "storedAs": ``, "n": ``, "days": ``} {
		if got := member(t, enc, key); got != want {
			t.Errorf("%s: %q, want %q in %s", key, got, want, enc)
		}
	}
}

// TestJSONDecoding: decoding reads the properties present and leaves the
// others as they were, never reads the element id, and refuses a value of
// the wrong type with an error naming the property.
func TestJSONDecoding(t *testing.T) {
	db, ctx := open(t)
	s, err := types.ScalarsNodes(db).Create(ctx, &types.Scalars{S: "keep", I: ogm.Ptr(1), D: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	id := s.ElementID()
	body := `{"element_id": "4:forged:1", "i": 7, "f": null, "b": true, "where": {"srid": 7203, "x": 1, "y": 2}, "fetched": {}, "unknown": 1}`
	if err := json.Unmarshal([]byte(body), s); err != nil {
		t.Fatal(err)
	}
	if s.ElementID() != id || s.S != "keep" || *s.I != 7 || s.F != nil || !*s.B || !s.D.Equal(time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)) || *s.Where != (ogm.Point2D{SpatialRefId: 7203, X: 1, Y: 2}) {
		t.Fatalf("decoded into %+v", s)
	}
	// The value is still bound: Save writes what was decoded.
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := types.ScalarsNodes(db).Get(ctx, types.ScalarsID.Eq(s.ID)); err != nil || *got.I != 7 || got.S != "keep" {
		t.Fatalf("saved %+v %v", got, err)
	}
	// A whole number is an integer however it is written (as JSON
	// Schema's integer).
	if err := json.Unmarshal([]byte(`{"i": 4.0, "where": {"srid": 7.203e3, "x": 1, "y": 2}}`), s); err != nil || *s.I != 4 || s.Where.SpatialRefId != 7203 {
		t.Fatalf("4.0: %v %+v", err, s)
	}
	if err := json.Unmarshal([]byte(`{"i": 3e2}`), s); err != nil || *s.I != 300 {
		t.Fatalf("3e2: %v %+v", err, s)
	}
	// null is no change at all, as for any Go value.
	if err := json.Unmarshal([]byte(`null`), s); err != nil || s.S != "keep" {
		t.Fatalf("null: %v %+v", err, s)
	}
	for body, prop := range map[string]string{
		`{"s": 3}`:                           "s",
		`{"i": "3"}`:                         "i",
		`{"i": 1.5}`:                         "i",
		`{"i": 1e100}`:                       "i",
		`{"i": 9223372036854775808}`:         "i",
		`{"f": "x"}`:                         "f",
		`{"b": 1}`:                           "b",
		`{"d": "2024-13-01"}`:                "d",
		`{"d": "2024-01-01T00:00:00Z"}`:      "d",
		`{"dt": "2024-01-31T12:30:00"}`:      "dt",
		`{"ldt": "2024-01-31"}`:              "ldt",
		`{"ldt": "2024-01-31T07:00:00Z"}`:    "ldt",
		`{"dur": "1h30m"}`:                   "dur",
		`{"dur": "P1.5D"}`:                   "dur",
		`{"mail": true}`:                     "mail",
		`{"where": {"x": 1, "y": 2}}`:        "where",
		`{"where": [1, 2]}`:                  "where",
		`{"where3": {"srid": 9157, "x": 1}}`: "where3",
		`{"doc": 1, "id": 5}`:                "id",
	} {
		err := json.Unmarshal([]byte(body), &types.Scalars{})
		var je *ogm.JSONError
		if !errors.As(err, &je) || je.Prop != prop || je.Type != "Scalars" || !errors.Is(err, ogm.ErrJSON) {
			t.Errorf("%s: %v, want a JSONError on %s", body, err, prop)
		}
	}
	for body, prop := range map[string]string{
		`{"ss": "a"}`:         "ss",
		`{"ss": ["a", null]}`: "ss",
		`{"is": [1, "2"]}`:    "is",
		`{"ds": ["x"]}`:       "ds",
		`{"durs": [3]}`:       "durs",
	} {
		err := json.Unmarshal([]byte(body), &types.Arrays{})
		var je *ogm.JSONError
		if !errors.As(err, &je) || je.Prop != prop {
			t.Errorf("%s: %v, want a JSONError on %s", body, err, prop)
		}
	}
	if err := json.Unmarshal([]byte(`[1]`), &types.Scalars{}); !errors.Is(err, ogm.ErrJSON) {
		t.Errorf("an array: %v", err)
	}
	// What has no JSON form is an error naming the property.
	for _, v := range []any{
		types.Scalars{F: ogm.Ptr(math.NaN())},
		&types.Arrays{Fs: []float64{1, math.Inf(1)}},
		types.Scalars{Where: &ogm.Point2D{SpatialRefId: 7203, X: math.NaN()}},
		types.Scalars{Dt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err := json.Marshal(v)
		var je *ogm.JSONError
		if !errors.As(err, &je) || je.Prop == "" {
			t.Errorf("%+v encoded: %v", v, err)
		}
	}
}

// TestDurationText: FormatDuration and ParseDuration agree with Neo4j's
// duration() and toString() on values of every sign and size.
func TestDurationText(t *testing.T) {
	db, ctx := open(t)
	ds := []ogm.Duration{{}, {Nanos: 1}, {Seconds: -1, Nanos: 999999999}, {Seconds: 59, Nanos: 120000000}, {Months: 25, Days: -4, Seconds: 90061},
		{Months: -1}, {Days: 400}, {Seconds: -86400 * 3}, {Seconds: 1 << 40, Nanos: 5}, {Months: -11, Seconds: -1, Nanos: 500000000}}
	res, err := db.Cypher(ctx, "UNWIND $ds AS d RETURN d, toString(d), duration(toString(d)) = d", map[string]any{"ds": ds})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Rows {
		text := FormatDuration(t, r[0].(ogm.Duration))
		if text != r[1].(string) || r[2] != true {
			t.Errorf("%+v: %q, Neo4j prints %q", ds[i], text, r[1])
		}
		back, err := ogm.ParseDuration(text)
		if err != nil || back != r[0].(ogm.Duration) {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", text, back, err, r[0])
		}
	}
	// Neo4j's weeks, and what is refused.
	if d, err := ogm.ParseDuration("P2W1DT-0.5S"); err != nil || d != (ogm.Duration{Days: 15, Seconds: -1, Nanos: 500000000}) {
		t.Errorf("P2W1DT-0.5S: %+v %v", d, err)
	}
	for _, bad := range []string{"", "P", "PT", "1D", "P1", "PT1D", "P1H", "P1DT", "P1S", "PT1.S", "PT1.0000000001S", "P1M1Y", "P1Y1Y", "PT1.5M", "P+1D"} {
		if _, err := ogm.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
}

// FormatDuration is ogm.FormatDuration, checked not to depend on how the
// value was normalised.
func FormatDuration(t *testing.T, d ogm.Duration) string {
	t.Helper()
	s := ogm.FormatDuration(d)
	if odd := ogm.FormatDuration(ogm.Duration{Months: d.Months, Days: d.Days, Seconds: d.Seconds + 1, Nanos: d.Nanos - 1e9}); odd != s {
		t.Errorf("%+v prints %q, unnormalised %q", d, s, odd)
	}
	return s
}
