package ogm

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Printing a value with sensitive properties. The node types and
// relationship models with a sensitive property (own or inherited) have
// generated Format and LogValue methods that call FormatRedacted and
// NodeLogValue (RelLogValue): fmt prints them as any struct, every verb,
// with each sensitive field replaced by Redacted, and log/slog gets the
// values of their JSON encoding, sensitive properties left out. Their
// JSON encoding (MarshalJSON) never has them.
//
// One limit remains, Go's own: fmt does not call the methods of a value it
// reaches through an unexported struct field (it can only read it by
// reflection). A pointer there prints as an address, which shows nothing;
// a node value there prints raw. Keep nodes in exported fields, or hold
// them by pointer.

// Redacted stands for the value of a sensitive property wherever a value
// is printed.
const Redacted = "[redacted]"

// sensitiveTag marks the field of a sensitive property in a generated
// struct: ogm:"sensitive".
const sensitiveTag = "sensitive"

// FormatRedacted prints v, a pointer to a generated node or relationship
// model struct, as fmt prints a struct with the directive of f and verb
// (%v, %+v, %#v, %s, %q, …), each field of a sensitive property (tagged
// ogm:"sensitive") replaced by Redacted unless it is unset. The other
// fields print with their own methods: an embedded parent type with
// sensitive properties redacts its own, and the nodes of a Fetched struct
// print through their Format when they have one. %#v names v's type.
// Generated Format methods call it.
//
// Values nested in the Fetched of values printed by FormatRedacted are
// printed down to 8 levels; deeper ones print as {…}, so that a cycle
// made by hand (u.Fetched.Follows = []*User{u}) does not recurse without
// end.
func FormatRedacted(f fmt.State, verb rune, v any) { formatRedacted(f, verb, v) }

// maxFormatDepth is how many FormatRedacted calls may be under way on one
// goroutine's stack, the value printed first included, before the next
// prints {…}.
const maxFormatDepth = 8

var formatRedactedPC uintptr

func init() { formatRedactedPC = reflect.ValueOf(formatRedacted).Pointer() }

//go:noinline
func formatRedacted(f fmt.State, verb rune, v any) {
	p, typeName := redactedCopy(v)
	var s string
	if framesOf(formatRedactedPC) > maxFormatDepth {
		s = "{…}"
		if verb == 'v' && f.Flag('#') {
			s = typeName + s
		}
	} else {
		s = fmt.Sprintf(fmt.FormatString(f, verb), p.Interface())
		if verb == 'v' && f.Flag('#') {
			s = strings.Replace(s, p.Type().String()+"{", typeName+"{", 1)
		}
	}
	fmt.Fprint(f, s)
}

// plainType is a struct type with the exported fields of another, none
// embedded and so none promoting a method, each sensitive one a string;
// field i is the field index[i] of the other.
type plainType struct {
	typ       reflect.Type
	index     []int
	sensitive []bool
}

var plainTypes sync.Map // reflect.Type → *plainType

func plainOf(t reflect.Type) *plainType {
	if c, ok := plainTypes.Load(t); ok {
		return c.(*plainType)
	}
	pt := &plainType{}
	var fields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		sf := reflect.StructField{Name: f.Name, Type: f.Type}
		sensitive := f.Tag.Get("ogm") == sensitiveTag
		if sensitive {
			sf.Type = reflect.TypeFor[string]()
		}
		fields = append(fields, sf)
		pt.index = append(pt.index, i)
		pt.sensitive = append(pt.sensitive, sensitive)
	}
	pt.typ = reflect.StructOf(fields)
	c, _ := plainTypes.LoadOrStore(t, pt)
	return c.(*plainType)
}

// redactedCopy returns the struct v (or *v) as a value of its plain type,
// sensitive fields redacted, and the name of v's type
// ("twitter.TwitterUser").
func redactedCopy(v any) (reflect.Value, string) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	pt := plainOf(rv.Type())
	p := reflect.New(pt.typ).Elem()
	for i, j := range pt.index {
		switch f := rv.Field(j); {
		case !pt.sensitive[i]:
			p.Field(i).Set(f)
		case !f.IsZero():
			p.Field(i).SetString(Redacted)
		}
	}
	return p, rv.Type().String()
}

// NodeLogValue gives log/slog v, a node of type t, as a group of the
// values its JSON encoding has (element_id, the properties that are set,
// extra, and fetched as its JSON when something was fetched), sensitive
// properties left out. Generated LogValue methods call it.
func NodeLogValue(t AnyNodeType, v Entity, fetched json.Marshaler) slog.Value {
	info := t.info()
	props, err := t.encodeEntity(v)
	if err != nil {
		return slog.GroupValue(slog.String("error", err.Error()))
	}
	var attrs []slog.Attr
	if id := v.nodeBase().elementID; id != "" {
		attrs = append(attrs, slog.String("element_id", id))
	}
	attrs = appendLogProps(attrs, info.Props, props)
	if info.SemiStructured {
		var extra []slog.Attr
		for k, x := range props {
			if x != nil && !declaredKey(info.Props, k) {
				extra = append(extra, logAttr(k, "", x))
			}
		}
		if len(extra) > 0 {
			slices.SortFunc(extra, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
			attrs = append(attrs, slog.Attr{Key: "extra", Value: slog.GroupValue(extra...)})
		}
	}
	if fetched != nil {
		b, err := fetched.MarshalJSON()
		switch {
		case err != nil:
			attrs = append(attrs, slog.String("fetched", "!ERROR "+err.Error()))
		case string(b) != "{}":
			attrs = append(attrs, slog.Any("fetched", logJSON(b)))
		}
	}
	return slog.GroupValue(attrs...)
}

// RelLogValue gives log/slog v, a relationship of model t (a pointer to
// it), as a group of the values of its JSON encoding, sensitive properties
// left out. Generated LogValue methods call it.
func RelLogValue(t AnyRelType, v any) slog.Value {
	info := t.info()
	props, err := t.encodeRel(v)
	if err != nil {
		return slog.GroupValue(slog.String("error", err.Error()))
	}
	b := v.(relEntity).relBase()
	var attrs []slog.Attr
	for _, kv := range [...][2]string{{"element_id", b.elementID}, {"type", b.relType}, {"start_element_id", b.startID}, {"end_element_id", b.endID}} {
		if kv[1] != "" {
			attrs = append(attrs, slog.String(kv[0], kv[1]))
		}
	}
	return slog.GroupValue(appendLogProps(attrs, info.Props, props)...)
}

// declaredKey reports whether a property of infos is stored under key.
func declaredKey(infos []PropInfo, key string) bool {
	for i := range infos {
		if infos[i].Key == key {
			return true
		}
	}
	return false
}

// appendLogProps appends the attributes of the set, not sensitive
// properties among props (encoded, by stored key), under their schema
// names.
func appendLogProps(attrs []slog.Attr, infos []PropInfo, props map[string]any) []slog.Attr {
	for i := range infos {
		p := &infos[i]
		if x := props[p.Key]; x != nil && !p.Sensitive {
			attrs = append(attrs, logAttr(p.Name, p.Type, x))
		}
	}
	return attrs
}

// logAttr is the attribute of a stored value x of schema type typ ("" for
// an undeclared property): slog's own kinds for strings, numbers, booleans
// and date-times, a group for a point, and the JSON text of the rest
// (dates, durations, lists, json) as the JSON encoding writes them.
func logAttr(name, typ string, x any) slog.Attr {
	switch v := x.(type) {
	case string:
		if typ == "json" {
			return slog.Any(name, logJSON(v))
		}
		return slog.String(name, v)
	case bool:
		return slog.Bool(name, v)
	case int:
		return slog.Int(name, v)
	case int64:
		return slog.Int64(name, v)
	case float64:
		return slog.Float64(name, v)
	case time.Time:
		return slog.Time(name, v)
	case Point2D:
		return slog.Group(name, "srid", v.SpatialRefId, "x", v.X, "y", v.Y)
	case Point3D:
		return slog.Group(name, "srid", v.SpatialRefId, "x", v.X, "y", v.Y, "z", v.Z)
	}
	b, err := appendJSONValue(nil, x)
	if err != nil {
		return slog.String(name, "!ERROR "+err.Error())
	}
	if len(b) > 1 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			return slog.String(name, s)
		}
	}
	return slog.Any(name, logJSON(b))
}

// logJSON is JSON text in a log record: log/slog's JSON handler writes it
// as it is, its text handler as a string.
type logJSON string

// MarshalJSON returns the text.
func (j logJSON) MarshalJSON() ([]byte, error) { return []byte(j), nil }

// String returns the text.
func (j logJSON) String() string { return string(j) }
