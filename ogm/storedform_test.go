package ogm

// The stored forms without a database: strftime text both ways (as
// Python's strftime writes it and strptime reads it), epoch seconds to the
// microsecond, ISO dates as neomodel reads them.

import (
	"testing"
	"time"
)

func TestStrftimeForms(t *testing.T) {
	at := time.Date(2024, 2, 29, 0, 5, 9, 123456789, time.FixedZone("", -(3*3600+30*60)))
	for _, c := range []struct {
		format, text string
	}{
		{"%Y-%m-%d %H:%M:%S", "2024-02-29 03:35:09"}, // zoneless: the UTC wall clock
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2024-02-29T00:05:09.123456-0330"},
		{"%d/%m/%y %I:%M %p", "29/02/24 03:35 AM"},
		{"%a %d %b %Y, %j", "Thu 29 Feb 2024, 060"},
		{"%A %B %d %Y 100%%", "Thursday February 29 2024 100%"},
	} {
		f := DateTimeFormat(c.format)
		if got := f.Param(at); got != c.text {
			t.Errorf("%q writes %q, want %q", c.format, got, c.text)
		}
		back, ok := f.read(c.text)
		if !ok {
			t.Errorf("%q does not read %q", c.format, c.text)
			continue
		}
		if back != back.UTC() && c.format != "%Y-%m-%dT%H:%M:%S.%f%z" {
			t.Errorf("%q reads %q in %v, want UTC", c.format, c.text, back.Location())
		}
	}
	if got, _ := DateTimeFormat("%Y-%m-%dT%H:%M:%S.%f%z").read("2024-02-29T00:05:09.123456-0330"); !got.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("zoned read %v, want %v", got, at)
	}
	for _, c := range []struct{ format, text string }{
		{"%Y-%m-%d", "2024-02-30"},      // no such day
		{"%Y-%m-%d", "2024-02-29 x"},    // text left over
		{"%H:%M", "24:00"},              // no such hour
		{"%I %p", "13 PM"},              // a 12-hour clock
		{"%Y-%m-%d", "2024/02/29"},      // literal text
		{"%Y-%m-%d %z", "2024-02-29 +"}, // half an offset
	} {
		if _, ok := DateTimeFormat(c.format).read(c.text); ok {
			t.Errorf("%q reads %q", c.format, c.text)
		}
	}
	if got, _ := DateTimeFormat("%I:%M %p").read("12:30 AM"); got.Hour() != 0 || got.Year() != 1900 {
		t.Errorf("12:30 AM read %v, want 00:30 on 1900-01-01 (strptime's default date)", got)
	}
	if got, _ := DateTimeFormat("%S.%f").read("05.5"); got.Nanosecond() != 500000000 {
		t.Errorf("%%f of one digit read %d ns", got.Nanosecond())
	}
	for _, bad := range []string{"", "%c", "%Y %", "%U"} {
		if CheckStrftime(bad) == nil {
			t.Errorf("CheckStrftime(%q) accepted it", bad)
		}
	}
}

func TestEpochAndISODateForms(t *testing.T) {
	at := time.Date(1969, 12, 31, 23, 59, 59, 999999500, time.UTC)
	if got := DateTimeEpoch.Param(at); got != -0.000001 {
		t.Errorf("epoch of %v: %v (the microsecond below, as Python's datetime holds it)", at, got)
	}
	for _, c := range []struct {
		in   any
		want time.Time
	}{
		{1709212455.123456, time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)},
		{int64(86400), time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)},
		{-0.5, time.Date(1969, 12, 31, 23, 59, 59, 500000000, time.UTC)},
	} {
		if got, ok := readEpoch(c.in); !ok || !got.Equal(c.want) {
			t.Errorf("readEpoch(%v) = %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	if _, ok := readEpoch("1709212455"); ok {
		t.Error("readEpoch read a string")
	}
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	for _, in := range []any{"2024-02-29", "2024-02-29T13:00:00", Date(day), time.Date(2024, 2, 29, 23, 0, 0, 0, time.FixedZone("", 3600))} {
		if got, ok := readISODate(in); !ok || !got.Equal(day) {
			t.Errorf("readISODate(%v) = %v %v", in, got, ok)
		}
	}
	if got := DateISOString.Param(time.Date(2024, 2, 29, 23, 0, 0, 0, time.FixedZone("", -3600))); got != "2024-02-29" {
		t.Errorf("ISO date %v: the day in its own zone", got)
	}
}
