package ogm

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// Stored forms. A date, datetime or localdatetime property is stored as
// Neo4j's own temporal value unless the schema says otherwise ("stored_as:"):
// another app on the same graph (neomodel) may store times as epoch
// seconds or as formatted strings. The Go field keeps its type (a
// time.Time) and its JSON encoding; only what is written to and read from
// the database, and what filters compare against, changes.

// TimeForm is how a temporal property is stored when it is not stored as
// Neo4j's temporal value: generated code names one of the package's forms
// (DateTimeEpoch, DateISOString) or makes one with DateFormat,
// DateTimeFormat or LocalDateTimeFormat. Its Param method is the encoder
// of the property's values, Decoder.TimeAs reads them back.
type TimeForm struct {
	kind  string // the schema type the form stores: "date", "datetime", "localdatetime"
	name  string // as the schema writes it: "epoch", "iso_string", `format "%Y"`
	param func(time.Time) any
	read  func(any) (time.Time, bool)
}

// Param is t in the stored form, as Encode writes it and filters compare
// it.
func (f *TimeForm) Param(t time.Time) any { return f.param(t) }

// String names the form for messages, e.g. `datetime stored as epoch`.
func (f *TimeForm) String() string { return f.kind + " stored as " + f.name }

// MarshalJSON writes the form as String names it, for the runtime views
// of a schema.
func (f *TimeForm) MarshalJSON() ([]byte, error) { return appendJSONString(nil, f.String()), nil }

// DateTimeEpoch stores a datetime as a float of seconds since 1970-01-01
// UTC, microseconds kept (neomodel's DateTimeProperty); it reads back in
// UTC. Integers written by another client are read too.
var DateTimeEpoch = &TimeForm{kind: "datetime", name: "epoch", param: epochParam, read: readEpoch}

// DateISOString stores a date as its ISO 8601 text, "2006-01-02"
// (neomodel's DateProperty). It also reads what neomodel reads: a text
// with a time after "T" (the time is ignored), a Neo4j DATE or DATETIME.
var DateISOString = &TimeForm{kind: "date", name: "iso_string", param: isoDateParam, read: readISODate}

func epochParam(t time.Time) any {
	return float64(t.Truncate(time.Microsecond).UnixMicro()) / 1e6
}

// readEpoch reads seconds since the epoch, rounded to the microsecond half
// to even (as Python's datetime.fromtimestamp does).
func readEpoch(v any) (time.Time, bool) {
	f, ok := convFloat(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e14 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	us := int64(math.RoundToEven(frac * 1e6))
	return time.Unix(int64(sec), us*1000).UTC(), true
}

func isoDateParam(t time.Time) any {
	y, m, d := t.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func readISODate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case Date:
		return x.Time(), true
	case time.Time:
		y, m, d := x.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case string:
		if i := strings.IndexByte(x, 'T'); i >= 0 {
			x = x[:i]
		}
		t, err := time.Parse("2006-01-02", x)
		return t, err == nil
	}
	return time.Time{}, false
}

// formCache holds the forms made from strftime formats, one per kind and
// format, so that generated code can name a form by its format at every
// call.
var formCache sync.Map // [2]string{kind, format} → *TimeForm

// DateFormat stores a date as text in a strftime format (neomodel's
// DateTimeFormatProperty holding days); it reads back as midnight UTC of
// the day. It panics on a format CheckStrftime refuses (the schema loader
// checks them).
func DateFormat(format string) *TimeForm { return strftimeForm("date", format) }

// DateTimeFormat stores a datetime as text in a strftime format
// (neomodel's DateTimeFormatProperty). A format without %z holds no zone:
// the time is written as its UTC wall clock and read back as UTC; with %z
// the offset is written and read. It panics on a format CheckStrftime
// refuses.
func DateTimeFormat(format string) *TimeForm { return strftimeForm("datetime", format) }

// LocalDateTimeFormat stores a localdatetime (a wall clock) as text in a
// strftime format. It panics on a format CheckStrftime refuses.
func LocalDateTimeFormat(format string) *TimeForm { return strftimeForm("localdatetime", format) }

func strftimeForm(kind, format string) *TimeForm {
	key := [2]string{kind, format}
	if f, ok := formCache.Load(key); ok {
		return f.(*TimeForm)
	}
	layout, err := parseStrftime(format)
	if err != nil {
		panic("ogm: " + err.Error())
	}
	f := &TimeForm{kind: kind, name: fmt.Sprintf("format %q", format)}
	f.param = func(t time.Time) any {
		switch {
		case kind == "date":
			y, m, d := t.Date()
			t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		case kind == "localdatetime":
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		case !layout.zoned:
			t = t.UTC()
		}
		return layout.format(t)
	}
	f.read = func(v any) (time.Time, bool) {
		s, ok := v.(string)
		if !ok {
			return time.Time{}, false
		}
		t, ok := layout.parse(s)
		if ok && kind != "datetime" {
			// No zone in a date or a wall clock: drop an offset read.
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			if kind == "date" {
				y, m, d := t.Date()
				t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			}
		}
		return t, ok
	}
	actual, _ := formCache.LoadOrStore(key, f)
	return actual.(*TimeForm)
}

// TimeAs reads a temporal property stored in form f.
func (d *Decoder) TimeAs(key string, f *TimeForm) time.Time {
	v, _ := decode(d, key, f.String(), f.read)
	return v
}

// TimesAs reads an array of a temporal kind stored element by element in
// form f.
func (d *Decoder) TimesAs(key string, f *TimeForm) []time.Time {
	return list(d, key, "["+f.kind+"] stored as "+f.name, f.read)
}

// nativeOfStored converts x, a value in form f as Encode returns it (an
// element or, for a list, a []any), into the Neo4j temporal value of the
// form's kind, so that JSON writes it as it writes any property of the
// kind.
func nativeOfStored(f *TimeForm, x any) (any, bool) {
	if items, ok := x.([]any); ok {
		out := make([]any, len(items))
		for i, it := range items {
			if out[i], ok = nativeOfStored(f, it); !ok {
				return nil, false
			}
		}
		return out, true
	}
	t, ok := f.read(x)
	if !ok {
		return nil, false
	}
	switch f.kind {
	case "date":
		return DateParam(t), true
	case "localdatetime":
		return LocalDateTimeParam(t), true
	}
	return t, true
}

// storedOfNative converts x, the Neo4j temporal value (or list of them)
// JSON decoding made, into form f.
func storedOfNative(f *TimeForm, x any) any {
	if items, ok := x.([]any); ok {
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = storedOfNative(f, it)
		}
		return out
	}
	switch v := x.(type) {
	case time.Time:
		return f.param(v)
	case Date:
		return f.param(v.Time())
	case LocalDateTime:
		return f.param(v.Time())
	}
	return x
}

// jsonNativeOf is the stored value x of property p (which has a Form) as
// the Neo4j temporal value JSON writes.
func jsonNativeOf(p *PropInfo, x any) (any, error) {
	v, ok := nativeOfStored(p.Form, x)
	if !ok {
		return nil, fmt.Errorf("the stored value does not fit %s", p.Form)
	}
	return v, nil
}
