package jsonschema

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gonode/gonode/schema"
)

// The patterns of the values no JSON Schema format describes. Both are
// written in the syntax ECMA-262 and Go's RE2 share.
const (
	// LocalDateTimePattern is the encoding of a localdatetime:
	// YYYY-MM-DDTHH:MM:SS with an optional fraction of up to nine digits
	// and no zone (format date-time requires one).
	LocalDateTimePattern = `^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?$`
	// DurationPattern is the encoding of a duration, ISO 8601 as Neo4j
	// prints it: P, then years, months, weeks and days, then T and hours,
	// minutes and seconds; each part optional but at least one (and one
	// after T), in that order, each possibly negative, the seconds with a
	// fraction of up to nine digits (P1Y2M3DT4H5M6.5S, PT-1H-30M, PT0S).
	// Format duration (RFC 3339's grammar) has neither fractions nor signs.
	// Each alternative below is one part that is present, then the later
	// ones, optional.
	DurationPattern = `^P(?:(?:-?[0-9]+Y(?:-?[0-9]+M)?(?:-?[0-9]+W)?(?:-?[0-9]+D)?|-?[0-9]+M(?:-?[0-9]+W)?(?:-?[0-9]+D)?|-?[0-9]+W(?:-?[0-9]+D)?|-?[0-9]+D)(?:T(?:-?[0-9]+H(?:-?[0-9]+M)?(?:-?[0-9]+(?:\.[0-9]{1,9})?S)?|-?[0-9]+M(?:-?[0-9]+(?:\.[0-9]{1,9})?S)?|-?[0-9]+(?:\.[0-9]{1,9})?S))?|T(?:-?[0-9]+H(?:-?[0-9]+M)?(?:-?[0-9]+(?:\.[0-9]{1,9})?S)?|-?[0-9]+M(?:-?[0-9]+(?:\.[0-9]{1,9})?S)?|-?[0-9]+(?:\.[0-9]{1,9})?S))$`
)

// alwaysWritten reports whether the encoding of a valid value has p: a
// required property (Validate refuses a value without it: "", the zero
// time, a nil slice or json, a point without a coordinate system), or a
// plain Go field, which the encoding always writes (an int, float, bool or
// duration whose default is the zero value; see codegen's Go types).
func alwaysWritten(p *schema.Property) bool {
	if p.Sensitive {
		return false
	}
	if p.Required {
		return true
	}
	if p.Type.Array || p.Default == nil || p.Default.Kind != schema.DefaultLiteral {
		return false
	}
	switch x := p.Default.Value.(type) {
	case int64:
		return p.Type.Kind == schema.KindInt && x == 0
	case float64:
		return p.Type.Kind == schema.KindFloat && x == 0
	case bool:
		return p.Type.Kind == schema.KindBool && !x
	case time.Duration:
		return p.Type.Kind == schema.KindDuration && x == 0
	}
	return false
}

// property is the schema of property p: its description, the schema of
// its value (of each element, for an array) and its default.
func (g *gen) property(p *schema.Property, defs *object) *object {
	o := newObject()
	o.setIf(p.Help != "", "description", p.Help)
	elem := g.value(p, defs)
	if p.Type.Array {
		o.set("type", "array").set("items", elem)
	} else {
		for _, k := range elem.keys {
			o.set(k, elem.vals[k])
		}
	}
	if p.Default != nil && p.Default.Kind == schema.DefaultLiteral {
		if v, ok := g.jsonValue(p, p.Default.Value); ok {
			o.set("default", v)
		}
	}
	return o
}

// value is the schema of one value of p's kind (an element, for an
// array), with p's rules: choices, bounds, lengths and pattern.
func (g *gen) value(p *schema.Property, defs *object) *object {
	o := newObject()
	switch p.Type.Kind {
	case schema.KindString, schema.KindUID:
		o.set("type", "string")
	case schema.KindEmail:
		o.set("type", "string").set("format", "email")
	case schema.KindInt:
		o.set("type", "integer")
	case schema.KindFloat:
		o.set("type", "number")
	case schema.KindBool:
		o.set("type", "boolean")
	case schema.KindDate:
		o.set("type", "string").set("format", "date")
	case schema.KindDateTime:
		o.set("type", "string").set("format", "date-time")
	case schema.KindLocalDateTime:
		o.set("type", "string").set("pattern", LocalDateTimePattern)
	case schema.KindDuration:
		o.set("type", "string").set("pattern", DurationPattern)
	case schema.KindJSON:
		// Any JSON value but null: a nil json is unset, and absent.
		o.set("type", []any{"object", "array", "string", "number", "boolean"})
	case schema.KindPoint, schema.KindPoint3D:
		return pointRef(p.Type.Kind, defs)
	}
	if p.Pattern != "" {
		if pat, ok := g.pattern(p); ok {
			o.set("pattern", pat)
		}
	}
	if p.MinLength != nil {
		o.set("minLength", int64(*p.MinLength))
	}
	if p.MaxLength != nil {
		o.set("maxLength", int64(*p.MaxLength))
	}
	if p.Min != nil {
		if v, ok := g.number(p, *p.Min); ok {
			o.set("minimum", v)
		}
	}
	if p.Max != nil {
		if v, ok := g.number(p, *p.Max); ok {
			o.set("maximum", v)
		}
	}
	if len(p.Choices) > 0 {
		var enum []any
		for _, c := range p.Choices {
			if v, ok := g.jsonValue(p, c.Value); ok {
				enum = append(enum, v)
			}
		}
		o.set("enum", enum)
	}
	return o
}

// pattern is p's pattern in JSON Schema's dialect; a pattern that has
// none is an error at the pattern.
func (g *gen) pattern(p *schema.Property) (string, bool) {
	if pat, ok := g.patterns[p]; ok {
		return pat, pat != ""
	}
	pat, err := Pattern(p.Pattern)
	if err != nil {
		pos := p.PatternPos
		if !pos.IsValid() {
			pos = p.Pos
		}
		g.errs = append(g.errs, &schema.Error{Pos: pos, Msg: fmt.Sprintf("pattern of property %q cannot be written as a JSON Schema pattern: %v", p.Name, err)})
	}
	g.patterns[p] = pat
	return pat, err == nil
}

// number is a bound of p as a JSON number: an integer for an int property.
func (g *gen) number(p *schema.Property, x float64) (any, bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		g.errs = append(g.errs, &schema.Error{Pos: p.Pos, Msg: fmt.Sprintf("property %q: %v is not a JSON number", p.Name, x)})
		return nil, false
	}
	if p.Type.Kind == schema.KindInt && x == math.Trunc(x) && math.Abs(x) < 1<<63 {
		return int64(x), true
	}
	return x, true
}

// jsonValue is a value of p (a default or a choice, as package schema holds
// it) in p's JSON encoding. ok is false for a value with none (a NaN
// reported as an error).
func (g *gen) jsonValue(p *schema.Property, v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case string, bool, int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		return g.number(p, x)
	case time.Time:
		switch p.Type.Kind {
		case schema.KindDate:
			return x.Format(time.DateOnly), true
		case schema.KindLocalDateTime:
			return x.Format("2006-01-02T15:04:05.999999999"), true
		}
		return x.Format(time.RFC3339Nano), true
	case time.Duration:
		return isoDuration(x), true
	case []string:
		return list(g, p, x)
	case []int64:
		return list(g, p, x)
	case []float64:
		return list(g, p, x)
	case []bool:
		return list(g, p, x)
	case []time.Time:
		return list(g, p, x)
	case []time.Duration:
		return list(g, p, x)
	case []any:
		return list(g, p, x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			j, ok := g.jsonValue(p, e)
			if !ok {
				if e != nil {
					return nil, false
				}
				j = nil
			}
			out[k] = j
		}
		return out, true
	}
	return nil, false
}

// list is a slice of values in JSON.
func list[T any](g *gen, p *schema.Property, xs []T) (any, bool) {
	out := make([]any, len(xs))
	for i, x := range xs {
		var v any = x
		j, ok := g.jsonValue(p, v)
		if !ok && v != nil {
			return nil, false
		}
		out[i] = j
	}
	return out, true
}

// isoDuration writes d as Neo4j prints a duration of d seconds: hours,
// minutes and seconds with a fraction, each component with d's sign, PT0S
// for zero.
func isoDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	sign := ""
	if d < 0 {
		sign = "-"
	}
	abs := uint64(d)
	if d < 0 {
		abs = uint64(-(d + 1)) + 1
	}
	const ns = uint64(time.Second)
	h, rest := abs/(3600*ns), abs%(3600*ns)
	m, rest := rest/(60*ns), rest%(60*ns)
	s, frac := rest/ns, rest%ns
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		fmt.Fprintf(&b, "%s%dH", sign, h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%s%dM", sign, m)
	}
	if s > 0 || frac > 0 {
		fmt.Fprintf(&b, "%s%d", sign, s)
		if frac > 0 {
			b.WriteString(strings.TrimRight(fmt.Sprintf(".%09d", frac), "0"))
		}
		b.WriteByte('S')
	}
	return b.String()
}

// extra is the schema of a semi-structured node's extra key: the stored
// properties the schema does not declare, by stored key, each a value
// Neo4j can store (a string — temporal values included —, a number, a
// boolean, a point, or a list of one kind of those), never a declared
// stored key.
func extra(n *schema.Node, defs *object) *object {
	point := newObject().set("anyOf", []any{pointRef(schema.KindPoint, defs), pointRef(schema.KindPoint3D, defs)})
	scalar := func(t string) *object { return newObject().set("type", t) }
	value := newObject().set("anyOf", []any{
		scalar("string"), scalar("number"), scalar("boolean"), point,
		newObject().set("type", "array").set("items", scalar("string")),
		newObject().set("type", "array").set("items", scalar("number")),
		newObject().set("type", "array").set("items", scalar("boolean")),
		newObject().set("type", "array").set("items", point),
	})
	var declared []any
	for _, p := range n.AllProperties() {
		declared = append(declared, p.DBName)
	}
	o := newObject().
		set("description", "The stored properties the schema does not declare (semi_structured), by stored key; absent when there are none.").
		set("type", "object")
	if len(declared) > 0 {
		o.set("propertyNames", newObject().set("not", newObject().set("enum", declared)))
	}
	return o.set("additionalProperties", value).set("minProperties", 1)
}

// pointRef refers to the definition of a point (point3d), adding it to
// defs.
func pointRef(k schema.Kind, defs *object) *object {
	name := k.String()
	if defs.get(name) == nil {
		props := newObject().
			set("srid", newObject().set("type", "integer")).
			set("x", newObject().set("type", "number")).
			set("y", newObject().set("type", "number"))
		req := []any{"srid", "x", "y"}
		desc := "A Neo4j 2D point: srid is its coordinate reference system, 7203 (cartesian: x, y) or 4326 (WGS-84: x is the longitude, y the latitude)."
		srids := []any{int64(7203), int64(4326)}
		if k == schema.KindPoint3D {
			props.set("z", newObject().set("type", "number"))
			req = append(req, "z")
			desc = "A Neo4j 3D point: srid is its coordinate reference system, 9157 (cartesian: x, y, z) or 4979 (WGS-84: x is the longitude, y the latitude, z the height)."
			srids = []any{int64(9157), int64(4979)}
		}
		props.get("srid").(*object).set("enum", srids)
		defs.set(name, newObject().
			set("description", desc).
			set("type", "object").
			set("properties", props).
			set("required", req).
			set("additionalProperties", false))
	}
	return newObject().set("$ref", "#/$defs/"+name)
}
