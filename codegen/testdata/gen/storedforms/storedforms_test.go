package storedforms_test

// Tests of the code generated from schema.yaml in this directory, against
// the real database ($NEO4J_BOLT_URL): what each stored form writes (read
// with raw Cypher), what it reads back (from gonode and from values written
// as neomodel writes them), filters and ordering on the stored form, JSON
// in the Go type's encoding, and a misfit reported as ErrPropertyType.

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"

	"example.com/gen/storedforms"
)

func open(t *testing.T) (context.Context, *ogm.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wipe := func() {
		if _, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(storedforms.EventType.Label)+") DETACH DELETE n", nil); err != nil {
			t.Fatal(err)
		}
	}
	wipe()
	t.Cleanup(func() { wipe(); db.Close(ctx) })
	return ctx, db
}

var (
	plus2 = time.FixedZone("", 2*3600)
	at    = time.Date(2024, 2, 29, 13, 14, 15, 123456789, plus2)
	day   = time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
)

func TestWritesStoredForms(t *testing.T) {
	ctx, db := open(t)
	e := &storedforms.Event{
		Name: "a", At: at, Seen: []time.Time{at, at.Add(time.Hour)},
		Day: day, Days: []time.Time{day, day.AddDate(0, 0, 1)},
		Stamp: at, Zoned: at, Wall: time.Date(2024, 2, 29, 13, 14, 0, 0, time.UTC), Month: day,
		Doc: map[string]any{"k": []any{1.0, "x"}},
	}
	if _, err := storedforms.EventNodes(db).Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	res, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id RETURN n.at, n.seen, n.day, n.days, n.stamp, n.zoned, n.wall, n.month, n.doc, n.created",
		map[string]any{"id": e.ElementID()})
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	epoch := float64(at.Truncate(time.Microsecond).UnixMicro()) / 1e6
	want := []any{
		epoch, []any{epoch, epoch + 3600},
		"2024-02-29", []any{"2024-02-29", "2024-03-01"},
		"2024-02-29 11:14:15", "2024-02-29T13:14:15.123456+0200", "29/02/2024 01:14 PM", "February 2024",
		`{"k":[1,"x"]}`,
	}
	for i, w := range want {
		if !reflect.DeepEqual(row[i], w) {
			t.Errorf("column %d stored %#v, want %#v", i, row[i], w)
		}
	}
	if c, ok := row[9].(float64); !ok || c < float64(time.Now().Add(-time.Hour).Unix()) {
		t.Errorf("created (default now) stored %#v, want epoch seconds", row[9])
	}

	// Read back: the same instants (microseconds kept), in UTC for the
	// zoneless forms.
	got, err := storedforms.EventNodes(db).Get(ctx, storedforms.EventName.Eq("a"))
	if err != nil {
		t.Fatal(err)
	}
	us := at.Truncate(time.Microsecond)
	checks := []struct {
		name      string
		got, want time.Time
	}{
		{"at", got.At, us.UTC()}, {"seen[1]", got.Seen[1], us.Add(time.Hour).UTC()}, {"day", got.Day, day},
		{"days[1]", got.Days[1], day.AddDate(0, 0, 1)}, {"stamp", got.Stamp, at.Truncate(time.Second).UTC()},
		{"wall", got.Wall, e.Wall}, {"month", got.Month, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range checks {
		if !c.got.Equal(c.want) || c.got.Location() != time.UTC {
			t.Errorf("%s read back %v, want %v (UTC)", c.name, c.got, c.want)
		}
	}
	if !got.Zoned.Equal(us) {
		t.Errorf("zoned read back %v, want %v", got.Zoned, us)
	}
	if _, off := got.Zoned.Zone(); off != 2*3600 {
		t.Errorf("zoned read back with offset %d, want +02:00", off)
	}
	if !reflect.DeepEqual(got.Doc, e.Doc) {
		t.Errorf("doc %#v", got.Doc)
	}

	// JSON: the Go type's encoding, not the stored form, both ways.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"at":"2024-02-29T11:14:15.123456Z"`, `"day":"2024-02-29"`, `"days":["2024-02-29","2024-03-01"]`,
		`"stamp":"2024-02-29T11:14:15Z"`, `"zoned":"2024-02-29T13:14:15.123456+02:00"`, `"wall":"2024-02-29T13:14:00"`, `"month":"2024-02-01"`} {
		if !strings.Contains(string(b), frag) {
			t.Errorf("JSON %s lacks %s", b, frag)
		}
	}
	var back storedforms.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.At.Equal(got.At) || !back.Day.Equal(got.Day) || !back.Zoned.Equal(got.Zoned) || !back.Wall.Equal(got.Wall) || len(back.Seen) != 2 || !back.Seen[1].Equal(got.Seen[1]) {
		t.Errorf("JSON read back %+v, want %+v", back, got)
	}
}

func TestReadsWhatNeomodelWrites(t *testing.T) {
	ctx, db := open(t)
	// As neomodel 6/7 stores them: DateTimeProperty a float (or an int
	// another client wrote), DateProperty an ISO string (neomodel reads one
	// with a time after T too), DateTimeFormatProperty its strftime text,
	// JSONProperty json.dumps' text.
	_, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(storedforms.EventType.Label)+
		" {name: 'py', at: 1709212455.5, seen: [0.000001, 1.0], day: '2024-02-29T10:00:00', days: ['2024-01-01'],"+
		" stamp: '2024-02-29 13:14:15', wall: '01/03/2024 12:05 AM', month: 'March 2024', doc: '{\"a\": [1, 2], \"b\": null}', created: 1700000000})", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := storedforms.EventNodes(db).Get(ctx, storedforms.EventName.Eq("py"))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Unix(1709212455, 5e8).UTC(); !got.At.Equal(want) {
		t.Errorf("at %v, want %v", got.At, want)
	}
	if !got.Seen[0].Equal(time.Unix(0, 1000)) || !got.Seen[1].Equal(time.Unix(1, 0)) {
		t.Errorf("seen %v", got.Seen)
	}
	if !got.Day.Equal(day) || !got.Days[0].Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day %v days %v", got.Day, got.Days)
	}
	if !got.Stamp.Equal(time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)) {
		t.Errorf("stamp %v", got.Stamp)
	}
	if !got.Wall.Equal(time.Date(2024, 3, 1, 0, 5, 0, 0, time.UTC)) {
		t.Errorf("wall %v", got.Wall)
	}
	if !got.Created.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("created %v", got.Created)
	}
	if !reflect.DeepEqual(got.Doc, map[string]any{"a": []any{1.0, 2.0}, "b": nil}) {
		t.Errorf("doc %#v", got.Doc)
	}

	// A value in another form is a typed misfit that names the form.
	if _, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(storedforms.EventType.Label)+" {name: 'native', at: datetime()})", nil); err != nil {
		t.Fatal(err)
	}
	_, err = storedforms.EventNodes(db).Get(ctx, storedforms.EventName.Eq("native"))
	var pte *ogm.PropertyTypeError
	if !errors.Is(err, ogm.ErrPropertyType) || !errors.As(err, &pte) || pte.Want != "datetime stored as epoch" || pte.Prop != "at" {
		t.Errorf("a native datetime under an epoch property: %v", err)
	}
}

func TestFiltersCompareStoredForms(t *testing.T) {
	ctx, db := open(t)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"e0", "e1", "e2", "e3"} {
		d := base.AddDate(0, 0, i*40) // 2020-01-01, 02-10, 03-21, 04-30
		e := &storedforms.Event{Name: name, At: d.Add(time.Duration(i) * time.Minute), Day: d, Stamp: d, Days: []time.Time{d}}
		if _, err := storedforms.EventNodes(db).Create(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	names := func(es []*storedforms.Event, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, e := range es {
			ns = append(ns, e.Name)
		}
		return strings.Join(ns, ",")
	}
	q := storedforms.EventNodes(db)
	// The filter value, a time.Time in any zone, is compared as epoch
	// seconds.
	cut := base.AddDate(0, 0, 40).In(plus2)
	cases := []struct {
		what string
		got  string
		want string
	}{
		{"at > cut", names(q.Filter(storedforms.EventAt.Gt(cut)).OrderBy(storedforms.EventAt.Asc()).All(ctx)), "e1,e2,e3"},
		{"at desc", names(q.OrderBy(storedforms.EventAt.Desc()).All(ctx)), "e3,e2,e1,e0"},
		{"day = 03-21", names(q.Filter(storedforms.EventDay.Eq(base.AddDate(0, 0, 80))).All(ctx)), "e2"},
		{"day < 03-01", names(q.Filter(storedforms.EventDay.Lt(time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC))).OrderBy(storedforms.EventDay.Asc()).All(ctx)), "e0,e1"},
		{"stamp >= 03-21", names(q.Filter(storedforms.EventStamp.Gte(base.AddDate(0, 0, 80))).OrderBy(storedforms.EventStamp.Desc()).All(ctx)), "e3,e2"},
		{"at in", names(q.Filter(storedforms.EventAt.In(base, base.AddDate(0, 0, 120).Add(3*time.Minute))).OrderBy(storedforms.EventName.Asc()).All(ctx)), "e0,e3"},
		{"days contains", names(q.Filter(storedforms.EventDays.Contains(base.AddDate(0, 0, 40))).All(ctx)), "e1"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.what, c.got, c.want)
		}
	}
}

func TestRelationshipModelStoredForms(t *testing.T) {
	ctx, db := open(t)
	a, err := storedforms.EventNodes(db).Create(ctx, &storedforms.Event{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := storedforms.EventNodes(db).Create(ctx, &storedforms.Event{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Next().Connect(ctx, b, &storedforms.Link{Since: at, On: day}); err != nil {
		t.Fatal(err)
	}
	res, err := db.Cypher(ctx, "MATCH (:"+ogm.Quote(storedforms.EventType.Label)+")-[r:NEXT]->() RETURN r.since, r.on", nil)
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	if want := float64(at.Truncate(time.Microsecond).UnixMicro()) / 1e6; res.Rows[0][0] != want || res.Rows[0][1] != "2024-02-29" {
		t.Errorf("stored %#v", res.Rows[0])
	}
	l, err := a.Next().Relationship(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Since.Equal(at.Truncate(time.Microsecond)) || !l.On.Equal(day) {
		t.Errorf("read back %v %v", l.Since, l.On)
	}
	if got, err := a.Next().Match(storedforms.LinkSince.Lt(at.Add(time.Second))).All(ctx); err != nil || len(got) != 1 {
		t.Errorf("match on the stored form: %v %v", got, err)
	}
}

// Min, Max and Collect read the values as the database holds them, which
// for a stored form is not the Go type (epoch seconds, text): they refuse a
// stored-form property, naming it, before anything is sent, instead of
// failing to decode (or, for text, ordering by it). Count, and filters on
// the other aggregates, are unaffected.
func TestAggregatesOfStoredForms(t *testing.T) {
	ctx, db := open(t)
	a := &storedforms.Event{Name: "a", At: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	b := &storedforms.Event{Name: "b", At: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := storedforms.EventNodes(db).CreateMany(ctx, []*storedforms.Event{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := a.Next().Connect(ctx, b, &storedforms.Link{Since: b.At}); err != nil {
		t.Fatal(err)
	}
	for name, agg := range map[string]ogm.Annotation[*storedforms.Event]{
		"max of a target's epoch": ogm.Max(storedforms.EventNext, storedforms.EventAt),
		"min of a model's epoch":  ogm.Min(storedforms.EventNext, storedforms.LinkSince),
		"collect of a text form":  ogm.Collect(storedforms.EventNext, storedforms.EventStamp),
	} {
		_, err := ogm.Annotate(storedforms.EventNodes(db), agg).All(ctx)
		if !errors.Is(err, ogm.ErrValidation) || !strings.Contains(err.Error(), "stored as") {
			t.Errorf("%s: %v", name, err)
		}
	}
	next := ogm.Count(storedforms.EventNext)
	rows, err := ogm.Annotate(storedforms.EventNodes(db).OrderBy(storedforms.EventName.Asc()), next).All(ctx)
	if err != nil || len(rows) != 2 || next.Of(rows[0]) != 1 || next.Of(rows[1]) != 0 {
		t.Fatalf("count over a stored-form type: %v %v", rows, err)
	}
}
