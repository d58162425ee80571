package ogm

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrPropertyType is the kind of *PropertyTypeError.
var ErrPropertyType = errors.New("stored value does not fit the declared type")

// PropertyTypeError is a stored value that does not fit the property's
// declared type, found while reading a node or relationship.
type PropertyTypeError struct {
	Type  string // node or relationship model type, e.g. "Person"
	Prop  string // stored key
	Want  string // declared schema type, e.g. "int"
	Value any    // what was stored; nil for a sensitive property, whose value is never shown
}

// Error implements error.
func (e *PropertyTypeError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("ogm: %s.%s: the stored value (of a sensitive property, not shown) does not fit %s", e.Type, e.Prop, e.Want)
	}
	return fmt.Sprintf("ogm: %s.%s: stored value %v of type %T does not fit %s", e.Type, e.Prop, e.Value, e.Value, e.Want)
}

// Is makes errors.Is(err, ogm.ErrPropertyType) match.
func (e *PropertyTypeError) Is(target error) bool { return target == ErrPropertyType }

// Decoder reads stored properties into typed values for generated Decode
// functions. Each getter returns the zero value for a missing key; the
// first value that does not fit is remembered and returned by Err.
type Decoder struct {
	Type  string
	Props map[string]any
	err   error
	// props are the type's declared properties, when the runtime made
	// the Decoder: a misfit of a sensitive one does not keep its value.
	props []PropInfo
	// empty are the keys of string properties read as "" (emptystrings.go).
	empty []string
}

// Err is the first misfit found, or nil.
func (d *Decoder) Err() error { return d.err }

func (d *Decoder) fail(key, want string, v any) {
	if d.err == nil {
		if sensitiveKey(d.props, key) {
			v = nil
		}
		d.err = &PropertyTypeError{Type: d.Type, Prop: key, Want: want, Value: v}
	}
}

// sensitiveKey reports whether the property of props stored under key is
// sensitive.
func sensitiveKey(props []PropInfo, key string) bool {
	for i := range props {
		if props[i].Key == key {
			return props[i].Sensitive
		}
	}
	return false
}

// get is the value under key and whether it is set (null counts as unset).
func (d *Decoder) get(key string) (any, bool) {
	v, ok := d.Props[key]
	return v, ok && v != nil
}

// decode reads key with conv, reporting a misfit as want.
func decode[V any](d *Decoder, key, want string, conv func(any) (V, bool)) (V, bool) {
	var zero V
	raw, ok := d.get(key)
	if !ok {
		return zero, false
	}
	v, ok := conv(raw)
	if !ok {
		d.fail(key, want, raw)
		return zero, false
	}
	return v, true
}

func ptr[V any](v V, ok bool) *V {
	if !ok {
		return nil
	}
	return &v
}

func convString(v any) (string, bool) { s, ok := v.(string); return s, ok }
func convInt(v any) (int, bool)       { i, ok := v.(int64); return int(i), ok }
func convBool(v any) (bool, bool)     { b, ok := v.(bool); return b, ok }
func convFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64: // written as an integer by another client; exact up to 2^53
		return float64(x), true
	}
	return 0, false
}
func convDate(v any) (time.Time, bool) { d, ok := v.(Date); return d.Time(), ok }
func convDateTime(v any) (time.Time, bool) {
	t, ok := v.(time.Time)
	return t, ok
}
func convLocalDateTime(v any) (time.Time, bool) {
	t, ok := v.(LocalDateTime)
	return t.Time(), ok
}
func convDuration(v any) (Duration, bool) { d, ok := v.(Duration); return d, ok }
func convPoint(v any) (Point2D, bool)     { p, ok := v.(Point2D); return p, ok }
func convPoint3D(v any) (Point3D, bool)   { p, ok := v.(Point3D); return p, ok }

// String reads a string property.
func (d *Decoder) String(key string) string {
	v, ok := decode(d, key, "string", convString)
	if ok && v == "" {
		d.noteEmpty(key)
	}
	return v
}

// Int reads an int property.
func (d *Decoder) Int(key string) int { v, _ := decode(d, key, "int", convInt); return v }

// IntPtr reads an optional int property (nil when unset).
func (d *Decoder) IntPtr(key string) *int { return ptr(decode(d, key, "int", convInt)) }

// Float reads a float property (integers are accepted).
func (d *Decoder) Float(key string) float64 { v, _ := decode(d, key, "float", convFloat); return v }

// FloatPtr reads an optional float property.
func (d *Decoder) FloatPtr(key string) *float64 { return ptr(decode(d, key, "float", convFloat)) }

// Bool reads a bool property.
func (d *Decoder) Bool(key string) bool { v, _ := decode(d, key, "bool", convBool); return v }

// BoolPtr reads an optional bool property.
func (d *Decoder) BoolPtr(key string) *bool { return ptr(decode(d, key, "bool", convBool)) }

// Date reads a date property as midnight UTC of that day.
func (d *Decoder) Date(key string) time.Time { v, _ := decode(d, key, "date", convDate); return v }

// DateTime reads a datetime property with its time zone.
func (d *Decoder) DateTime(key string) time.Time {
	v, _ := decode(d, key, "datetime", convDateTime)
	return v
}

// LocalDateTime reads a localdatetime property (location UTC, meaning
// "no zone").
func (d *Decoder) LocalDateTime(key string) time.Time {
	v, _ := decode(d, key, "localdatetime", convLocalDateTime)
	return v
}

// Duration reads a duration property.
func (d *Decoder) Duration(key string) Duration {
	v, _ := decode(d, key, "duration", convDuration)
	return v
}

// DurationPtr reads an optional duration property.
func (d *Decoder) DurationPtr(key string) *Duration {
	return ptr(decode(d, key, "duration", convDuration))
}

// Point reads a point property.
func (d *Decoder) Point(key string) Point2D { v, _ := decode(d, key, "point", convPoint); return v }

// PointPtr reads an optional point property.
func (d *Decoder) PointPtr(key string) *Point2D { return ptr(decode(d, key, "point", convPoint)) }

// Point3D reads a point3d property (a point with x, y and z).
func (d *Decoder) Point3D(key string) Point3D {
	v, _ := decode(d, key, "point3d", convPoint3D)
	return v
}

// Point3DPtr reads an optional point3d property.
func (d *Decoder) Point3DPtr(key string) *Point3D {
	return ptr(decode(d, key, "point3d", convPoint3D))
}

// JSON reads a json property (stored as a JSON string) into a value of
// json.Unmarshal's types.
func (d *Decoder) JSON(key string) any {
	s, ok := decode(d, key, "json", convString)
	if !ok {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		d.fail(key, "json", s)
		return nil
	}
	return v
}

// list reads an array property element by element.
func list[E any](d *Decoder, key, want string, conv func(any) (E, bool)) []E {
	raw, ok := d.get(key)
	if !ok {
		return nil
	}
	items, ok := raw.([]any)
	if !ok {
		d.fail(key, want, raw)
		return nil
	}
	out := make([]E, len(items))
	for i, it := range items {
		if out[i], ok = conv(it); !ok {
			d.fail(key, want, raw)
			return nil
		}
	}
	return out
}

// Strings reads a [string] property.
func (d *Decoder) Strings(key string) []string { return list(d, key, "[string]", convString) }

// Ints reads an [int] property.
func (d *Decoder) Ints(key string) []int { return list(d, key, "[int]", convInt) }

// Floats reads a [float] property.
func (d *Decoder) Floats(key string) []float64 { return list(d, key, "[float]", convFloat) }

// Bools reads a [bool] property.
func (d *Decoder) Bools(key string) []bool { return list(d, key, "[bool]", convBool) }

// Dates reads a [date] property.
func (d *Decoder) Dates(key string) []time.Time { return list(d, key, "[date]", convDate) }

// DateTimes reads a [datetime] property.
func (d *Decoder) DateTimes(key string) []time.Time {
	return list(d, key, "[datetime]", convDateTime)
}

// LocalDateTimes reads a [localdatetime] property.
func (d *Decoder) LocalDateTimes(key string) []time.Time {
	return list(d, key, "[localdatetime]", convLocalDateTime)
}

// Durations reads a [duration] property.
func (d *Decoder) Durations(key string) []Duration {
	return list(d, key, "[duration]", convDuration)
}

// Points reads a [point] property.
func (d *Decoder) Points(key string) []Point2D { return list(d, key, "[point]", convPoint) }

// Points3D reads a [point3d] property.
func (d *Decoder) Points3D(key string) []Point3D { return list(d, key, "[point3d]", convPoint3D) }

// Extra returns the stored properties whose keys are not among declared, for
// semi-structured nodes (nil when there are none).
func (d *Decoder) Extra(declared ...string) map[string]any {
	var out map[string]any
next:
	for k, v := range d.Props {
		for _, dk := range declared {
			if k == dk {
				continue next
			}
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = v
	}
	return out
}

// Encoding helpers for generated Encode functions and filter handles. Each
// returns nil for an unset value, which Save turns into a removed property.

// OptString is s, or nil when s is empty.
func OptString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Opt is *p, or nil when p is nil.
func Opt[V any](p *V) any {
	if p == nil {
		return nil
	}
	return *p
}

// DateParam is t as a Cypher DATE (its calendar day in its own location).
func DateParam(t time.Time) any {
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// LocalDateTimeParam is t's wall clock as a Cypher LOCAL DATETIME.
func LocalDateTimeParam(t time.Time) any { return LocalDateTime(t) }

// DateTimeParam is t as a Cypher DATETIME, zone kept.
func DateTimeParam(t time.Time) any { return t }

// OptTime is enc(t), or nil when t is the zero time.
func OptTime(t time.Time, enc func(time.Time) any) any {
	if t.IsZero() {
		return nil
	}
	return enc(t)
}

// List is the array property s, each element converted with enc (nil: as
// it is), or nil when s is nil.
func List[E any](s []E, enc func(E) any) any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, e := range s {
		if enc != nil {
			out[i] = enc(e)
		} else {
			out[i] = e
		}
	}
	return out
}

// JSONParam marshals v into the JSON string a json property stores, or
// returns nil for a nil v.
func JSONParam(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// NewUID returns a random 32-character hex identifier for uid properties
// (as neomodel's UniqueIdProperty: a version 4 UUID without dashes).
func NewUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ogm: no randomness for a uid: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[:])
}
