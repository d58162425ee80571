package ogm

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// strftime formats, as Python's datetime.strftime writes them and
// strptime reads them, for the properties stored as formatted text
// (DateTimeFormat). Go's layouts cannot say everything strftime can, and
// literal text in a format could read as a Go layout element, so the
// format is compiled into directives of its own.

// strftimeDirectives are the directives supported, with what they mean.
var strftimeDirectives = map[byte]string{
	'Y': "year, 4 digits", 'y': "year without century", 'm': "month 01-12", 'd': "day 01-31",
	'H': "hour 00-23", 'I': "hour 01-12", 'p': "AM or PM", 'M': "minute", 'S': "second",
	'f': "microseconds, 6 digits", 'j': "day of the year 001-366", 'b': "month name, abbreviated",
	'B': "month name", 'a': "weekday name, abbreviated", 'A': "weekday name", 'z': "UTC offset +HHMM",
	'Z': "time zone name", '%': "a literal %",
}

// CheckStrftime reports whether format is a strftime format the stored
// forms support: the directives %Y %y %m %d %H %I %p %M %S %f %j %b %B %a
// %A %z %Z and %%, and literal text.
func CheckStrftime(format string) error {
	_, err := parseStrftime(format)
	return err
}

type strftimeItem struct {
	dir byte   // 0: literal
	lit string // the literal text
}

type strftimeLayout struct {
	items []strftimeItem
	zoned bool // has %z: the offset is written and read
}

func parseStrftime(format string) (*strftimeLayout, error) {
	if format == "" {
		return nil, fmt.Errorf("an empty strftime format stores nothing of the time")
	}
	l := &strftimeLayout{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			l.items = append(l.items, strftimeItem{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		if i+1 == len(format) {
			return nil, fmt.Errorf("strftime format %q ends in a lone %%", format)
		}
		i++
		d := format[i]
		if _, ok := strftimeDirectives[d]; !ok {
			return nil, fmt.Errorf("strftime directive %%%c is not supported (only %%Y %%y %%m %%d %%H %%I %%p %%M %%S %%f %%j %%b %%B %%a %%A %%z %%Z %%%%)", d)
		}
		if d == '%' {
			lit.WriteByte('%')
			continue
		}
		flush()
		l.items = append(l.items, strftimeItem{dir: d})
		if d == 'z' {
			l.zoned = true
		}
	}
	flush()
	return l, nil
}

var (
	monthAbbr = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dayAbbr   = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
)

// format writes t as strftime does (the C locale).
func (l *strftimeLayout) format(t time.Time) string {
	var b []byte
	pad := func(n, w int) { b = append(b, fmt.Sprintf("%0*d", w, n)...) }
	for _, it := range l.items {
		switch it.dir {
		case 0:
			b = append(b, it.lit...)
		case 'Y':
			pad(t.Year(), 4)
		case 'y':
			pad(t.Year()%100, 2)
		case 'm':
			pad(int(t.Month()), 2)
		case 'd':
			pad(t.Day(), 2)
		case 'H':
			pad(t.Hour(), 2)
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			pad(h, 2)
		case 'p':
			if t.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 'M':
			pad(t.Minute(), 2)
		case 'S':
			pad(t.Second(), 2)
		case 'f':
			pad(t.Nanosecond()/1000, 6)
		case 'j':
			pad(t.YearDay(), 3)
		case 'b':
			b = append(b, monthAbbr[t.Month()-1]...)
		case 'B':
			b = append(b, t.Month().String()...)
		case 'a':
			b = append(b, dayAbbr[t.Weekday()]...)
		case 'A':
			b = append(b, t.Weekday().String()...)
		case 'z':
			_, off := t.Zone()
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			b = append(b, sign)
			pad(off/3600, 2)
			pad(off/60%60, 2)
		case 'Z':
			if l.zoned {
				name, _ := t.Zone()
				b = append(b, name...)
			} else {
				b = append(b, "UTC"...)
			}
		}
	}
	return string(b)
}

// parse reads s as strptime does: numbers of one up to their width of
// digits, names ignoring case, the date 1900-01-01 for what the format
// does not hold, UTC unless %z gives an offset.
func (l *strftimeLayout) parse(s string) (time.Time, bool) {
	year, month, day, hour, minute, sec, micro, yday := 1900, 1, 1, 0, 0, 0, 0, 0
	hour12, pm, hasPM := 0, false, false
	loc := time.UTC
	num := func(width int) (int, bool) {
		i := 0
		for i < len(s) && i < width && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		return n, true
	}
	name := func(names []string) (int, bool) {
		for i, n := range names {
			if len(s) >= len(n) && strings.EqualFold(s[:len(n)], n) {
				s = s[len(n):]
				return i, true
			}
		}
		return 0, false
	}
	longMonths := make([]string, 12)
	for i := range longMonths {
		longMonths[i] = time.Month(i + 1).String()
	}
	longDays := make([]string, 7)
	for i := range longDays {
		longDays[i] = time.Weekday(i).String()
	}
	for _, it := range l.items {
		ok := true
		switch it.dir {
		case 0:
			if !strings.HasPrefix(s, it.lit) {
				return time.Time{}, false
			}
			s = s[len(it.lit):]
		case 'Y':
			year, ok = num(4)
		case 'y':
			var y int
			if y, ok = num(2); y < 69 {
				year = 2000 + y
			} else {
				year = 1900 + y
			}
		case 'm':
			month, ok = num(2)
		case 'd':
			day, ok = num(2)
		case 'H':
			hour, ok = num(2)
		case 'I':
			hour12, ok = num(2)
			ok = ok && hour12 >= 1 && hour12 <= 12
		case 'p':
			var i int
			i, ok = name([]string{"AM", "PM"})
			pm, hasPM = i == 1, true
		case 'M':
			minute, ok = num(2)
		case 'S':
			sec, ok = num(2)
		case 'f':
			start := len(s)
			micro, ok = num(6)
			for n := start - len(s); ok && n < 6; n++ {
				micro *= 10
			}
		case 'j':
			yday, ok = num(3)
		case 'b':
			var i int
			i, ok = name(monthAbbr)
			month = i + 1
		case 'B':
			var i int
			i, ok = name(longMonths)
			month = i + 1
		case 'a':
			_, ok = name(dayAbbr)
		case 'A':
			_, ok = name(longDays)
		case 'z':
			loc, ok = parseOffset(&s)
		case 'Z':
			i := 0
			for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
				i++
			}
			ok = i > 0
			s = s[i:]
		}
		if !ok {
			return time.Time{}, false
		}
	}
	if s != "" || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 61 {
		return time.Time{}, false
	}
	if hour12 != 0 {
		hour = hour12 % 12
		if hasPM && pm {
			hour += 12
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, loc)
	if yday > 0 {
		t = time.Date(year, 1, yday, hour, minute, sec, micro*1000, loc)
	}
	if yday == 0 && t.Day() != day {
		return time.Time{}, false // 31 February
	}
	return t, true
}

// parseOffset reads a UTC offset as strptime's %z does: Z, or a sign and
// HHMM, HH:MM, with optional seconds.
func parseOffset(s *string) (*time.Location, bool) {
	v := *s
	if strings.HasPrefix(v, "Z") {
		*s = v[1:]
		return time.UTC, true
	}
	if v == "" || v[0] != '+' && v[0] != '-' {
		return nil, false
	}
	sign := 1
	if v[0] == '-' {
		sign = -1
	}
	v = v[1:]
	digits := func() (int, bool) {
		if len(v) < 2 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' {
			return 0, false
		}
		n := int(v[0]-'0')*10 + int(v[1]-'0')
		v = v[2:]
		return n, true
	}
	h, ok := digits()
	if !ok {
		return nil, false
	}
	colon := strings.HasPrefix(v, ":")
	if colon {
		v = v[1:]
	}
	m, ok := digits()
	if !ok {
		return nil, false
	}
	secs := 0
	if !colon || strings.HasPrefix(v, ":") {
		if colon {
			v = v[1:]
		}
		if n, ok := digits(); ok {
			secs = n
		}
	}
	*s = v
	off := sign * (h*3600 + m*60 + secs)
	if off == 0 {
		return time.UTC, true
	}
	return time.FixedZone("", off), true
}
