package ogm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The JSON encoding of generated types. Every generated node type, its
// Fetched struct and every relationship model has a MarshalJSON method
// (value receiver) and an UnmarshalJSON method (pointer receiver) that call
// the functions of this file with the type's descriptor, so that plain
// encoding/json gives one shape for all of them:
//
//	{"element_id": "4:…:12", "name": "Jim", "born": "1990-05-01",
//	 "seen": "2024-01-31T12:30:00.25+02:00", "alarm": "2024-01-31T07:00:00",
//	 "wait": "PT1H30M", "home": {"srid": 4326, "x": 13.4, "y": 52.5},
//	 "doc": {"any": "json"}, "tags": ["a"], "extra": {"undeclared": 1},
//	 "fetched": {"city": {…}, "knows": [{"node": {…}, "rel": {…}}], "friends": []}}
//
// Keys are the schema's property names, in schema order; element_id comes
// first (absent until the node is saved), extra (semi_structured nodes,
// absent when empty) and fetched (absent when nothing was fetched) last.
// Unset values are absent; plain (non-pointer) values are always written.
// Sensitive properties are never written and never read. A relationship
// model is {"element_id", "type", "start_element_id", "end_element_id",
// its properties}, the ids and type absent while it is unsaved.
//
// Decoding (a request body) reads properties only, never element ids,
// ends, fetched relations or sensitive properties; a property absent from
// the input keeps its value; a value of the wrong type is a *JSONError
// naming the property.

// ErrJSON is the kind of *JSONError.
var ErrJSON = errors.New("value does not fit its JSON encoding")

// JSONError is a property that cannot be encoded as JSON (a float that is
// NaN or infinite, a time outside the years 0 to 9999) or a JSON value that
// does not fit the property's declared type. It never holds the value.
type JSONError struct {
	Type string // node or relationship model type, e.g. "Person"
	Prop string // schema property name (the JSON key); "" for the whole value
	Msg  string // what is wrong
}

// Error implements error.
func (e *JSONError) Error() string {
	if e.Prop == "" {
		return fmt.Sprintf("ogm: %s: %s", e.Type, e.Msg)
	}
	return fmt.Sprintf("ogm: %s.%s: %s", e.Type, e.Prop, e.Msg)
}

// Is makes errors.Is(err, ogm.ErrJSON) match.
func (e *JSONError) Is(target error) bool { return target == ErrJSON }

// MarshalNode encodes v, a node of type t, as JSON, fetched (its Fetched
// struct, nil for a type without relationships) included. Generated
// MarshalJSON methods call it.
func MarshalNode(t AnyNodeType, v Entity, fetched json.Marshaler) ([]byte, error) {
	info := t.info()
	props, err := t.encodeEntity(v)
	if err != nil {
		return nil, err
	}
	w := jsonObject{buf: make([]byte, 0, 64+32*len(info.Props))}
	w.buf = append(w.buf, '{')
	if id := v.nodeBase().elementID; id != "" {
		w.key("element_id")
		w.buf = appendJSONString(w.buf, id)
	}
	if err := w.props(info.Name, info.Props, props); err != nil {
		return nil, err
	}
	if info.SemiStructured {
		if err := w.extra(info.Name, info.Props, props); err != nil {
			return nil, err
		}
	}
	if fetched != nil {
		b, err := fetched.MarshalJSON()
		if err != nil {
			return nil, err
		}
		if string(b) != "{}" {
			w.key("fetched")
			w.buf = append(w.buf, b...)
		}
	}
	return append(w.buf, '}'), nil
}

// MarshalRel encodes v, a relationship of model t (a pointer to it), as
// JSON: its element id, type and the element ids of its ends (absent while
// it is unsaved), then its properties. Generated MarshalJSON methods call
// it.
func MarshalRel(t AnyRelType, v any) ([]byte, error) {
	info := t.info()
	props, err := t.encodeRel(v)
	if err != nil {
		return nil, err
	}
	b := v.(relEntity).relBase()
	w := jsonObject{buf: make([]byte, 0, 128+32*len(info.Props))}
	w.buf = append(w.buf, '{')
	for _, kv := range [...][2]string{{"element_id", b.elementID}, {"type", b.relType}, {"start_element_id", b.startID}, {"end_element_id", b.endID}} {
		if kv[1] != "" {
			w.key(kv[0])
			w.buf = appendJSONString(w.buf, kv[1])
		}
	}
	if err := w.props(info.Name, info.Props, props); err != nil {
		return nil, err
	}
	return append(w.buf, '}'), nil
}

// MarshalJSON encodes the relationship as {"element_id", "type",
// "start_element_id", "end_element_id"}, as a relationship model without
// properties.
func (r Rel) MarshalJSON() ([]byte, error) { return MarshalRel(PlainRel, &r) }

// jsonObject writes the members of a JSON object.
type jsonObject struct {
	buf []byte
	n   int // members written
}

func (w *jsonObject) key(k string) {
	if w.n > 0 {
		w.buf = append(w.buf, ',')
	}
	w.n++
	w.buf = appendJSONString(w.buf, k)
	w.buf = append(w.buf, ':')
}

// props writes the encoded properties props (keyed by stored key) of the
// declared props, in order, under their schema names: unset ones (nil) and
// sensitive ones left out.
func (w *jsonObject) props(typ string, infos []PropInfo, props map[string]any) error {
	for i := range infos {
		p := &infos[i]
		x := props[p.Key]
		if p.Sensitive || x == nil || p.Type == "json" && x == "null" {
			continue // unset (a json value that is a typed nil reads back as nil)
		}
		w.key(p.Name)
		var err error
		if p.Form != nil {
			if x, err = jsonNativeOf(p, x); err != nil {
				return &JSONError{Type: typ, Prop: p.Name, Msg: err.Error()}
			}
		}
		if p.Type == "json" {
			s, _ := x.(string) // JSONParam's output: JSON text
			w.buf = append(w.buf, s...)
		} else if w.buf, err = appendJSONValue(w.buf, x); err != nil {
			return &JSONError{Type: typ, Prop: p.Name, Msg: err.Error()}
		}
	}
	return nil
}

// extra writes the undeclared properties of a semi-structured node (the
// keys of props that no declared property is stored under), sorted, as
// "extra", unless there are none.
func (w *jsonObject) extra(typ string, infos []PropInfo, props map[string]any) error {
	var keys []string
	for k, x := range props {
		if x != nil && !declaredKey(infos, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	w.key("extra")
	inner := jsonObject{buf: append(w.buf, '{')}
	for _, k := range keys {
		inner.key(k)
		var err error
		if inner.buf, err = appendJSONValue(inner.buf, props[k]); err != nil {
			return &JSONError{Type: typ, Prop: "extra", Msg: fmt.Sprintf("%s: %v", strconv.Quote(k), err)}
		}
	}
	w.buf = append(inner.buf, '}')
	return nil
}

// appendJSONValue appends x, a stored property value (as Encode returns
// them, or as Neo4j returns an undeclared one), in its JSON encoding.
func appendJSONValue(b []byte, x any) ([]byte, error) {
	switch v := x.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case int8, int16, int32:
		return strconv.AppendInt(b, reflect.ValueOf(v).Int(), 10), nil
	case uint8, uint16, uint32:
		return strconv.AppendUint(b, reflect.ValueOf(v).Uint(), 10), nil
	case float64:
		return appendJSONFloat(b, v)
	case float32:
		return appendJSONFloat(b, float64(v))
	case time.Time:
		return appendTime(b, v, time.RFC3339Nano)
	case Date:
		return appendTime(b, v.Time(), dateLayout)
	case LocalDateTime:
		return appendTime(b, v.Time(), localDateTimeLayout)
	case LocalTime:
		return appendTime(b, v.Time(), "15:04:05.999999999")
	case Time:
		return appendTime(b, v.Time(), "15:04:05.999999999Z07:00")
	case Duration:
		return appendJSONString(b, FormatDuration(v)), nil
	case time.Duration:
		return appendJSONString(b, FormatDuration(Duration{Seconds: int64(v / time.Second), Nanos: int(v % time.Second)})), nil
	case Point2D:
		return appendPoint(b, v.SpatialRefId, v.X, v.Y, nil)
	case Point3D:
		return appendPoint(b, v.SpatialRefId, v.X, v.Y, &v.Z)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	// Anything else (a []byte, a []string of an Extra map): as
	// encoding/json writes it.
	rv := reflect.ValueOf(x)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
		items := make([]any, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
		return appendJSONValue(b, items)
	}
	enc, err := json.Marshal(x)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// The layouts of the temporal types' JSON strings.
const (
	dateLayout          = "2006-01-02"
	localDateTimeLayout = "2006-01-02T15:04:05.999999999"
)

// appendTime appends t formatted with layout as a JSON string. A year
// outside 0 to 9999 has no such form (encoding/json refuses it too).
func appendTime(b []byte, t time.Time, layout string) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, errors.New("a year outside 0 to 9999 has no JSON form")
	}
	b = append(b, '"')
	b = t.AppendFormat(b, layout)
	return append(b, '"'), nil
}

// appendPoint appends a point as {"srid": …, "x": …, "y": …(, "z": …)}.
func appendPoint(b []byte, srid uint32, x, y float64, z *float64) ([]byte, error) {
	b = append(b, `{"srid":`...)
	b = strconv.AppendUint(b, uint64(srid), 10)
	coords := [][2]any{{"x", x}, {"y", y}}
	if z != nil {
		coords = append(coords, [2]any{"z", *z})
	}
	for _, c := range coords {
		b = append(b, `,"`...)
		b = append(b, c[0].(string)...)
		b = append(b, `":`...)
		var err error
		if b, err = appendJSONFloat(b, c[1].(float64)); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONFloat appends f as encoding/json writes a float64; NaN and the
// infinities have no JSON form.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%v cannot be written as JSON", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped (as encoding/json does; the encoder that calls a
// MarshalJSON method escapes <, > and & itself when it is asked to).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// FormatDuration writes d in ISO 8601 as Neo4j prints a duration
// (toString): "P1Y2M3DT4H5M6.5S", "PT-1.5S", "PT0S" for none.
func FormatDuration(d Duration) string {
	months, days, secs, nanos := d.Months, d.Days, d.Seconds, int64(d.Nanos)
	secs += nanos / 1e9
	if nanos %= 1e9; nanos < 0 {
		nanos += 1e9
		secs--
	}
	if months == 0 && days == 0 && secs == 0 && nanos == 0 {
		return "PT0S"
	}
	b := []byte{'P'}
	part := func(n int64, unit byte) {
		if n != 0 {
			b = strconv.AppendInt(b, n, 10)
			b = append(b, unit)
		}
	}
	part(months/12, 'Y')
	part(months%12, 'M')
	part(days, 'D')
	if secs != 0 || nanos != 0 {
		s, n := secs, nanos
		if s < 0 && n != 0 {
			s++
			n -= 1e9
		}
		b = append(b, 'T')
		part(s/3600, 'H')
		s %= 3600
		part(s/60, 'M')
		s %= 60
		if s != 0 || n != 0 {
			if s == 0 && n < 0 {
				b = append(b, '-')
			}
			b = strconv.AppendInt(b, s, 10)
			if n != 0 {
				frac := strconv.AppendInt(nil, 1e9+abs64(n), 10)[1:] // nine digits
				b = append(b, '.')
				b = append(b, bytes.TrimRight(frac, "0")...)
			}
			b = append(b, 'S')
		}
	}
	return string(b)
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// ParseDuration reads an ISO 8601 duration as FormatDuration writes it
// (and as Neo4j prints one): P, then optional years (Y), months (M), weeks
// (W) and days (D), then optionally T and hours (H), minutes (M) and
// seconds (S); each an integer, possibly negative, the seconds with up to
// nine decimals.
func ParseDuration(s string) (Duration, error) {
	bad := fmt.Errorf("%q is not an ISO 8601 duration such as P1Y2M3DT4H5M6.5S", s)
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" || rest == "T" {
		return Duration{}, bad
	}
	var months, days, secs, nanos int64
	inTime := false
	units := "YMWD"
	for rest != "" {
		if rest[0] == 'T' && !inTime {
			inTime, units = true, "HMS"
			rest = rest[1:]
			if rest == "" {
				return Duration{}, bad
			}
			continue
		}
		i := 0
		if i < len(rest) && rest[i] == '-' {
			i++
		}
		digits := i
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		intEnd := i
		frac := ""
		if i < len(rest) && rest[i] == '.' {
			j := i + 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			frac, i = rest[i+1:j], j
		}
		if intEnd == digits || intEnd-digits > 18 || i >= len(rest) || len(frac) > 9 {
			return Duration{}, bad
		}
		unit := rest[i]
		u := strings.IndexByte(units, unit)
		if u < 0 || (frac != "" && !(inTime && unit == 'S')) || (rest[intEnd] == '.' && frac == "") {
			return Duration{}, bad
		}
		units = units[u+1:] // each unit once, in order
		n, _ := strconv.ParseInt(rest[:intEnd], 10, 64)
		neg := rest[0] == '-'
		switch {
		case !inTime && unit == 'Y':
			months += n * 12
		case !inTime && unit == 'M':
			months += n
		case unit == 'W':
			days += n * 7
		case unit == 'D':
			days += n
		case unit == 'H':
			secs += n * 3600
		case unit == 'M':
			secs += n * 60
		case unit == 'S':
			secs += n
			if frac != "" {
				f, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
				if neg {
					f = -f
				}
				nanos += f
			}
		}
		rest = rest[i+1:]
	}
	secs += nanos / 1e9
	if nanos %= 1e9; nanos < 0 {
		nanos += 1e9
		secs--
	}
	return Duration{Months: months, Days: days, Seconds: secs, Nanos: int(nanos)}, nil
}

// UnmarshalNode decodes data, a JSON object, into v, a node of type t: the
// properties it holds, under their schema names, each checked against its
// declared type (a misfit is a *JSONError naming it); for a
// semi_structured type, "extra" replaces the Extra map (its values as
// AddExtra takes them: a key that is a declared property's or a value
// Neo4j cannot store is a ValidationError). Element ids, fetched relations
// and sensitive properties are never read, other keys are ignored, and the
// properties absent from data keep their values. JSON null leaves v as it
// is. Generated UnmarshalJSON methods call it.
func UnmarshalNode(t AnyNodeType, v Entity, data []byte) error {
	info := t.info()
	obj, err := jsonObjectOf(info.Name, data)
	if obj == nil {
		return err
	}
	props, present, err := propsFromJSON(info.Name, info.Props, obj)
	if err != nil {
		return err
	}
	var extra map[string]any
	rawExtra, hasExtra := obj["extra"]
	if info.SemiStructured && hasExtra {
		if extra, err = extraFromJSON(info.Name, info.Props, rawExtra); err != nil {
			return err
		}
	}
	fresh := t.newEntity()
	d := Decoder{Type: info.Name, Props: props, props: info.Props}
	t.decodeEntity(fresh, &d)
	if err := d.Err(); err != nil {
		return err
	}
	copyFields(v, fresh, present)
	if info.SemiStructured && hasExtra {
		setExtra(v, extra)
	}
	return nil
}

// UnmarshalRel decodes data, a JSON object, into v, a relationship of
// model t (a pointer to it): its properties only, as UnmarshalNode does;
// its element id, type and ends are never read. Generated UnmarshalJSON
// methods call it.
func UnmarshalRel(t AnyRelType, v any, data []byte) error {
	info := t.info()
	obj, err := jsonObjectOf(info.Name, data)
	if obj == nil {
		return err
	}
	props, present, err := propsFromJSON(info.Name, info.Props, obj)
	if err != nil {
		return err
	}
	fresh := t.newRel()
	d := Decoder{Type: info.Name, Props: props, props: info.Props}
	t.decodeRel(fresh, &d)
	if err := d.Err(); err != nil {
		return err
	}
	copyFields(v, fresh, present)
	return nil
}

// jsonObjectOf reads data as a JSON object, numbers kept as json.Number;
// nil and no error for null.
func jsonObjectOf(typ string, data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &JSONError{Type: typ, Msg: err.Error()}
	}
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &JSONError{Type: typ, Msg: "want a JSON object, got " + jsonKind(v)}
	}
	return obj, nil
}

// propsFromJSON converts the members of obj that are declared, not
// sensitive properties into stored values (as Neo4j returns them), keyed by
// stored key, and lists the schema names of those present.
func propsFromJSON(typ string, infos []PropInfo, obj map[string]any) (map[string]any, []string, error) {
	props := make(map[string]any, len(obj))
	var present []string
	for i := range infos {
		p := &infos[i]
		x, ok := obj[p.Name]
		if !ok || p.Sensitive {
			continue
		}
		v, msg := propFromJSON(p.Type, x)
		if msg != "" {
			return nil, nil, &JSONError{Type: typ, Prop: p.Name, Msg: msg}
		}
		if p.Form != nil {
			v = storedOfNative(p.Form, v)
		}
		props[p.Key] = v
		present = append(present, p.Name)
	}
	return props, present, nil
}

// propFromJSON converts x, a JSON value, into the stored value of a
// property of schema type typ, or says why it does not fit ("" when it
// does). null is unset (nil).
func propFromJSON(typ string, x any) (any, string) {
	if x == nil {
		return nil, ""
	}
	if elem, ok := strings.CutPrefix(typ, "["); ok {
		elem = strings.TrimSuffix(elem, "]")
		items, ok := x.([]any)
		if !ok {
			return nil, fmt.Sprintf("want a JSON array (%s), got %s", typ, jsonKind(x))
		}
		out := make([]any, len(items))
		for i, it := range items {
			if it == nil {
				return nil, fmt.Sprintf("element %d: a list cannot hold null", i)
			}
			v, msg := propFromJSON(elem, it)
			if msg != "" {
				return nil, fmt.Sprintf("element %d: %s", i, msg)
			}
			out[i] = v
		}
		return out, ""
	}
	want := func(what string) (any, string) { return nil, "want " + what + ", got " + jsonKind(x) }
	switch typ {
	case "string", "email", "uid":
		if s, ok := x.(string); ok {
			return s, ""
		}
		return want("a string")
	case "int":
		n, ok := x.(json.Number)
		if !ok {
			return want("an integer")
		}
		i, ok := jsonInteger(n)
		if !ok {
			return nil, "want an integer, got " + string(n)
		}
		return i, ""
	case "float":
		n, ok := x.(json.Number)
		if !ok {
			return want("a number")
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, "want a float64, got " + string(n)
		}
		return f, ""
	case "bool":
		if b, ok := x.(bool); ok {
			return b, ""
		}
		return want("true or false")
	case "date", "datetime", "localdatetime", "duration":
		s, ok := x.(string)
		if !ok {
			return want("a string (" + typ + ")")
		}
		return temporalFromJSON(typ, s)
	case "point", "point3d":
		return pointFromJSON(typ, x)
	case "json":
		b, err := json.Marshal(x)
		if err != nil {
			return nil, err.Error()
		}
		return string(b), ""
	}
	return nil, "unknown property type " + typ
}

// jsonInteger is n as an int64 when it is a whole number that fits an int
// (as JSON Schema's integer: 3, 3.0 and 3e2 are whole).
func jsonInteger(n json.Number) (int64, bool) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, int64(int(i)) == i
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), int64(int(f)) == int64(f)
}

// temporalFromJSON parses s, the JSON string of a value of temporal type
// typ.
func temporalFromJSON(typ, s string) (any, string) {
	switch typ {
	case "date":
		t, err := time.Parse(dateLayout, s)
		if err != nil {
			return nil, fmt.Sprintf("%s is not a date (YYYY-MM-DD)", strconv.Quote(s))
		}
		return DateParam(t), ""
	case "datetime":
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Sprintf("%s is not an RFC 3339 date and time with an offset (2024-01-31T12:30:00+02:00)", strconv.Quote(s))
		}
		return t, ""
	case "localdatetime":
		t, err := time.Parse(localDateTimeLayout, s)
		if err != nil {
			return nil, fmt.Sprintf("%s is not a local date and time (2024-01-31T07:00:00)", strconv.Quote(s))
		}
		return LocalDateTime(t), ""
	}
	d, err := ParseDuration(s)
	if err != nil {
		return nil, err.Error()
	}
	return d, ""
}

// pointFromJSON reads {"srid": N, "x": …, "y": …} (and "z" for point3d).
func pointFromJSON(typ string, x any) (any, string) {
	obj, ok := x.(map[string]any)
	keys := []string{"srid", "x", "y"}
	if typ == "point3d" {
		keys = append(keys, "z")
	}
	shape := `{"srid": N, "x": X, "y": Y}`
	if typ == "point3d" {
		shape = `{"srid": N, "x": X, "y": Y, "z": Z}`
	}
	if !ok || len(obj) != len(keys) {
		return nil, "want a " + typ + " " + shape + ", got " + jsonKind(x)
	}
	var nums [4]float64
	for i, k := range keys {
		n, ok := obj[k].(json.Number)
		if !ok {
			return nil, "want a " + typ + " " + shape + ": " + strconv.Quote(k) + " missing or not a number"
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, "want a " + typ + " " + shape + ": " + strconv.Quote(k) + " is " + string(n)
		}
		nums[i] = f
	}
	srid, ok := jsonInteger(obj["srid"].(json.Number))
	if !ok || srid < 0 || srid > math.MaxUint32 {
		return nil, "want a " + typ + " " + shape + ": srid is not a spatial reference id"
	}
	if typ == "point3d" {
		return Point3D{SpatialRefId: uint32(srid), X: nums[1], Y: nums[2], Z: nums[3]}, ""
	}
	return Point2D{SpatialRefId: uint32(srid), X: nums[1], Y: nums[2]}, ""
}

// jsonKind names the kind of a decoded JSON value, for messages.
func jsonKind(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}

// extraFromJSON reads the "extra" member of a semi-structured node: an
// object whose values are JSON scalars (numbers become int64 when they are
// whole, else float64) or arrays of one kind, checked as AddExtra checks
// them; null is no Extra.
func extraFromJSON(typ string, infos []PropInfo, x any) (map[string]any, error) {
	if x == nil {
		return nil, nil
	}
	obj, ok := x.(map[string]any)
	if !ok {
		return nil, &JSONError{Type: typ, Prop: "extra", Msg: "want a JSON object, got " + jsonKind(x)}
	}
	extra := make(map[string]any, len(obj))
	for k, v := range obj {
		extra[k] = extraValue(v)
	}
	declared := make(map[string]any, len(infos))
	for _, p := range infos {
		declared[p.Key] = true
	}
	if err := AddExtra(typ, declared, extra); err != nil {
		return nil, err
	}
	return extra, nil
}

// extraValue is the Go value of a JSON value in Extra: numbers as int64
// when whole, else float64.
func extraValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i // written as an integer; 2.0 stays a float
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = extraValue(e)
		}
		return out
	}
	return v
}

// structFields caches, per generated struct type, the index of the field
// of each JSON key (the name in its json tag), embedded structs' fields
// included (the shallowest wins, as in encoding/json).
var structFields sync.Map // reflect.Type → map[string][]int

func fieldsByJSONName(t reflect.Type) map[string][]int {
	if m, ok := structFields.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	depth := map[string]int{}
	for _, f := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		if d, ok := depth[name]; ok && d <= len(f.Index) {
			continue
		}
		m[name], depth[name] = f.Index, len(f.Index)
	}
	actual, _ := structFields.LoadOrStore(t, m)
	return actual.(map[string][]int)
}

// copyFields sets the fields of the properties named in names (their JSON
// keys) of *dst to those of *src, two values of one generated struct type.
func copyFields(dst, src any, names []string) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	fields := fieldsByJSONName(d.Type())
	for _, name := range names {
		if idx, ok := fields[name]; ok {
			d.FieldByIndex(idx).Set(s.FieldByIndex(idx))
		}
	}
}

// setExtra sets the Extra map of v, a semi-structured node.
func setExtra(v any, extra map[string]any) {
	d := reflect.ValueOf(v).Elem()
	if idx, ok := fieldsByJSONName(d.Type())["extra"]; ok {
		d.FieldByIndex(idx).Set(reflect.ValueOf(extra))
	}
}

// MarshalFetched encodes f, the Fetched struct of a generated node type,
// whose loaded field is l: {"<relationship>": …} with only the
// relationships that were fetched (l says so) or set by hand (not nil). A
// to-many relationship is a JSON array ([] when fetched with no target), a
// to-one one its target or null; with a relationship model, each target
// is paired with its relationship as {"node": …, "rel": …}. Generated
// MarshalJSON methods call it.
//
// The fields of f are read by position: each exported field is a
// relationship (a pointer for a to-one, a slice for a to-many) whose JSON
// key is its json tag, except that a field tagged json:"-" holds the
// relationship models of the field before it; the i-th relationship is
// loaded when l.Has(i). Nodes nested more than 32 Fetched levels deep (a
// cycle made by hand: u.Fetched.Follows = []*User{u}) fail the encoding, as
// encoding/json fails on a cycle.
func MarshalFetched(f any, l Loaded) ([]byte, error) { return marshalFetched(f, l) }

// fetchedField is one relationship of a Fetched struct.
type fetchedField struct {
	name  string
	index int // of the field
	rels  int // index of the field of its models, -1 if none
	one   bool
}

var fetchedLayouts sync.Map // reflect.Type → []fetchedField

func fetchedLayout(t reflect.Type) []fetchedField {
	if l, ok := fetchedLayouts.Load(t); ok {
		return l.([]fetchedField)
	}
	var out []fetchedField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && len(out) > 0 {
			out[len(out)-1].rels = i
			continue
		}
		out = append(out, fetchedField{name: name, index: i, rels: -1, one: f.Type.Kind() == reflect.Pointer})
	}
	actual, _ := fetchedLayouts.LoadOrStore(t, out)
	return actual.([]fetchedField)
}

// maxFetchedDepth is how many MarshalFetched calls may be under way on one
// goroutine's stack before the next fails.
const maxFetchedDepth = 32

// marshalFetchedPC is the entry of marshalFetched, which counts its own
// frames.
var marshalFetchedPC uintptr

func init() { marshalFetchedPC = reflect.ValueOf(marshalFetched).Pointer() }

//go:noinline
func marshalFetched(f any, l Loaded) ([]byte, error) {
	v := reflect.ValueOf(f)
	layout := fetchedLayout(v.Type())
	loaded := func(i int, fd fetchedField) bool { return l.Has(i) || !v.Field(fd.index).IsNil() }
	some := false
	for i, fd := range layout {
		some = some || loaded(i, fd)
	}
	if !some {
		return []byte("{}"), nil
	}
	if framesOf(marshalFetchedPC) > maxFetchedDepth {
		return nil, fmt.Errorf("ogm: %s: relations nested more than %d levels deep (a cycle?)", v.Type(), maxFetchedDepth)
	}
	w := jsonObject{buf: []byte{'{'}}
	for i, fd := range layout {
		if !loaded(i, fd) {
			continue
		}
		w.key(fd.name)
		targets := v.Field(fd.index)
		var rels reflect.Value
		if fd.rels >= 0 {
			rels = v.Field(fd.rels)
		}
		var err error
		switch {
		case fd.one && targets.IsNil():
			w.buf = append(w.buf, "null"...)
		case fd.one:
			w.buf, err = appendFetched(w.buf, targets, rels)
		default:
			w.buf = append(w.buf, '[')
			for j := range targets.Len() {
				if j > 0 {
					w.buf = append(w.buf, ',')
				}
				var rel reflect.Value
				if rels.IsValid() && j < rels.Len() {
					rel = rels.Index(j)
				} else if rels.IsValid() {
					rel = reflect.Zero(rels.Type().Elem())
				}
				if w.buf, err = appendFetched(w.buf, targets.Index(j), rel); err != nil {
					break
				}
			}
			w.buf = append(w.buf, ']')
		}
		if err != nil {
			return nil, err
		}
	}
	return append(w.buf, '}'), nil
}

// appendFetched appends one fetched target (a pointer, null when nil), or
// when rel is valid the pair {"node": target, "rel": rel}.
func appendFetched(b []byte, target, rel reflect.Value) ([]byte, error) {
	var err error
	if rel.IsValid() {
		b = append(b, `{"node":`...)
		if b, err = appendMarshaled(b, target); err != nil {
			return nil, err
		}
		b = append(b, `,"rel":`...)
		if b, err = appendMarshaled(b, rel); err != nil {
			return nil, err
		}
		return append(b, '}'), nil
	}
	return appendMarshaled(b, target)
}

// appendMarshaled appends the JSON of v, a pointer to a generated struct
// (null when nil), calling its MarshalJSON directly: its output needs no
// second check.
func appendMarshaled(b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	var enc []byte
	var err error
	if m, ok := v.Interface().(json.Marshaler); ok {
		enc, err = m.MarshalJSON()
	} else {
		enc, err = json.Marshal(v.Interface())
	}
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// framesOf counts the frames of the function whose entry is entry on the
// caller's stack (up to 1,024 frames deep).
func framesOf(entry uintptr) int {
	var pcs [1024]uintptr
	n := 0
	for _, pc := range pcs[:runtime.Callers(2, pcs[:])] {
		if f := runtime.FuncForPC(pc - 1); f != nil && f.Entry() == entry {
			n++
		}
	}
	return n
}
