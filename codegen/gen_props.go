package codegen

import (
	"encoding/json"
	"fmt"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"
)

// isPointer reports whether p's Go field is a pointer (nil = unset): an
// int, float, bool, duration, point or point3d that is neither required nor
// defaulted to the zero value.
func isPointer(p *schema.Property) bool {
	if p.Type.Array {
		return false
	}
	switch p.Type.Kind {
	case schema.KindInt, schema.KindFloat, schema.KindBool, schema.KindDuration, schema.KindPoint, schema.KindPoint3D:
	default:
		return false
	}
	if p.Required {
		return false
	}
	return !(p.Default != nil && p.Default.Kind == schema.DefaultLiteral && isZeroLiteral(p.Default.Value))
}

// isZeroLiteral reports whether a default is the zero value of its type.
func isZeroLiteral(v any) bool {
	switch x := v.(type) {
	case int64:
		return x == 0
	case float64:
		return x == 0
	case bool:
		return !x
	case time.Duration:
		return x == 0
	}
	return false
}

// elemType is the Go type of a value of kind k.
func elemType(k schema.Kind) *jen.Statement {
	switch k {
	case schema.KindString, schema.KindEmail, schema.KindUID:
		return jen.String()
	case schema.KindInt:
		return jen.Int()
	case schema.KindFloat:
		return jen.Float64()
	case schema.KindBool:
		return jen.Bool()
	case schema.KindDate, schema.KindDateTime, schema.KindLocalDateTime:
		return jen.Qual("time", "Time")
	case schema.KindDuration:
		return rtm("Duration")
	case schema.KindPoint:
		return rtm("Point2D")
	case schema.KindPoint3D:
		return rtm("Point3D")
	case schema.KindJSON:
		return jen.Any()
	}
	panic("codegen: no Go type for kind " + k.String())
}

// goType is the Go type of p's field.
func goType(p *schema.Property) *jen.Statement {
	switch {
	case p.Type.Array:
		return jen.Index().Add(elemType(p.Type.Kind))
	case isPointer(p):
		return jen.Op("*").Add(elemType(p.Type.Kind))
	}
	return elemType(p.Type.Kind)
}

// timeParam is the ogm encoder of values of kind k: that of a temporal
// kind, nil for any other kind (its values need none).
func timeParam(k schema.Kind) *jen.Statement {
	switch k {
	case schema.KindDate:
		return rtm("DateParam")
	case schema.KindDateTime:
		return rtm("DateTimeParam")
	case schema.KindLocalDateTime:
		return rtm("LocalDateTimeParam")
	}
	return jen.Nil()
}

// decoderMethod is the ogm.Decoder method reading p.
func decoderMethod(p *schema.Property) string {
	if p.Type.Array {
		return map[schema.Kind]string{
			schema.KindString: "Strings", schema.KindEmail: "Strings", schema.KindInt: "Ints", schema.KindFloat: "Floats",
			schema.KindBool: "Bools", schema.KindDate: "Dates", schema.KindDateTime: "DateTimes",
			schema.KindLocalDateTime: "LocalDateTimes", schema.KindDuration: "Durations", schema.KindPoint: "Points", schema.KindPoint3D: "Points3D",
		}[p.Type.Kind]
	}
	m := map[schema.Kind]string{
		schema.KindString: "String", schema.KindEmail: "String", schema.KindUID: "String", schema.KindInt: "Int",
		schema.KindFloat: "Float", schema.KindBool: "Bool", schema.KindDate: "Date", schema.KindDateTime: "DateTime",
		schema.KindLocalDateTime: "LocalDateTime", schema.KindDuration: "Duration", schema.KindPoint: "Point", schema.KindPoint3D: "Point3D", schema.KindJSON: "JSON",
	}[p.Type.Kind]
	if isPointer(p) {
		m += "Ptr"
	}
	return m
}

// field is the expression of p's field on receiver recv.
func field(recv string, p *schema.Property) *jen.Statement { return jen.Id(recv).Dot(p.GoName) }

// encodeExpr is the stored value of p (nil when unset); json properties are
// encoded beforehand into the local variable jsonVar.
func encodeExpr(recv string, p *schema.Property, jsonVar string) *jen.Statement {
	f := field(recv, p)
	switch {
	case p.Type.Array:
		return rtm("List").Call(f, storedParam(p))
	case p.Type.Kind.IsStringLike():
		return rtm("OptString").Call(f)
	case p.Type.Kind.IsTemporal():
		return rtm("OptTime").Call(f, storedParam(p))
	case p.Type.Kind == schema.KindJSON:
		return jen.Id(jsonVar)
	case isPointer(p):
		return rtm("Opt").Call(f)
	}
	return f
}

// setExpr is the condition under which p is set, or nil when it always is.
// A plain point is always stored, but its zero value has no coordinate
// reference system (the database refuses it): it is set when it has one.
func setExpr(recv string, p *schema.Property) *jen.Statement {
	f := field(recv, p)
	switch {
	case p.Type.Array || p.Type.Kind == schema.KindJSON || isPointer(p):
		return f.Op("!=").Nil()
	case p.Type.Kind.IsPoint():
		return f.Dot("SpatialRefId").Op("!=").Lit(0)
	case p.Type.Kind.IsStringLike():
		return f.Op("!=").Lit("")
	case p.Type.Kind.IsTemporal():
		return jen.Op("!").Add(f).Dot("IsZero").Call()
	}
	return nil
}

// unsetExpr is the condition under which p is unset (for defaults).
func unsetExpr(recv string, p *schema.Property) *jen.Statement {
	f := field(recv, p)
	switch {
	case p.Type.Array || p.Type.Kind == schema.KindJSON || isPointer(p):
		return f.Op("==").Nil()
	case p.Type.Kind.IsStringLike():
		return f.Op("==").Lit("")
	case p.Type.Kind.IsTemporal():
		return f.Dot("IsZero").Call()
	}
	return nil
}

// valueExpr is p's value when set (dereferenced for a pointer).
func valueExpr(recv string, p *schema.Property) *jen.Statement {
	if isPointer(p) {
		return jen.Op("*").Add(field(recv, p))
	}
	return field(recv, p)
}

// handleExpr is the constructor of p's filter handle on type t.
func handleExpr(t *jen.Statement, p *schema.Property) *jen.Statement {
	key := jen.Lit(p.DBName)
	if p.Type.Array {
		return rtm("NewListProp").Types(t, elemType(p.Type.Kind)).Call(key, storedParam(p))
	}
	switch k := p.Type.Kind; {
	case k.IsStringLike():
		return rtm("NewStringProp").Types(t).Call(key)
	case k == schema.KindInt || k == schema.KindFloat || k.IsTemporal():
		return rtm("NewOrderedProp").Types(t, elemType(k)).Call(key, storedParam(p))
	case k == schema.KindJSON:
		return rtm("NewProp").Types(t, jen.String()).Call(key, jen.Nil())
	default: // bool, duration, point, point3d
		return rtm("NewProp").Types(t, elemType(k)).Call(key, jen.Nil())
	}
}

// handleKind describes the operators of p's handle, for its comment.
func handleKind(p *schema.Property) string {
	if p.Type.Array {
		return "list operators: Contains, ContainsAny, ContainsAll"
	}
	switch k := p.Type.Kind; {
	case k.IsStringLike():
		return "string operators"
	case k == schema.KindInt || k == schema.KindFloat || k.IsTemporal():
		return "ordered: Lt, Lte, Gt, Gte"
	case k == schema.KindJSON:
		return "compares the stored JSON text"
	}
	return ""
}

// propInfo is p's ogm.PropInfo literal, zero fields left out.
func propInfo(p *schema.Property) jen.Code {
	info := p.PropInfo()
	items := []jen.Code{kv("Name", jen.Lit(info.Name)), kv("Key", jen.Lit(info.Key)), kv("Type", jen.Lit(info.Type))}
	if info.Required {
		items = append(items, kv("Required", jen.True()))
	}
	if info.Unique {
		items = append(items, kv("Unique", jen.True()))
	}
	if info.Index != ogm.NoIndex {
		items = append(items, kv("Index", rtm(indexIDs[info.Index])))
	}
	if info.Dimensions != 0 {
		items = append(items, kv("Dimensions", jen.Lit(info.Dimensions)), kv("Similarity", jen.Lit(info.Similarity)))
	}
	if info.NoQuantization {
		items = append(items, kv("NoQuantization", jen.True()))
	}
	if info.Sensitive {
		items = append(items, kv("Sensitive", jen.True()))
	}
	if form := timeForm(p); form != nil {
		items = append(items, kv("Form", form))
	}
	return jen.Values(items...)
}

// multi renders items as a composite literal body, one item per line when
// there are more than three.
func multi(items []jen.Code) *jen.Statement {
	if len(items) <= 3 {
		return jen.Values(items...)
	}
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, items...)
}

// propSummary is the short description of p in its field comment, e.g.
// "string, required, unique, max_length 100".
func propSummary(p *schema.Property) string {
	parts := []string{p.Type.String()}
	if p.Type.Kind == schema.KindUID {
		parts[0] = "uid: generated on create"
	}
	if p.Required {
		parts = append(parts, "required")
	}
	if p.Unique {
		parts = append(parts, "unique")
	}
	switch p.Index {
	case ogm.RangeIndex:
		parts = append(parts, "indexed")
	case ogm.TextIndex:
		parts = append(parts, "text index")
	case ogm.FulltextIndex:
		parts = append(parts, "fulltext index")
	case ogm.VectorIndex:
		if p.Vector != nil {
			parts = append(parts, fmt.Sprintf("vector index: %d dimensions, %s", p.Vector.Dimensions, p.PropInfo().Similarity))
		}
	}
	if p.Default != nil && p.Type.Kind != schema.KindUID {
		parts = append(parts, "default "+defaultText(p))
	}
	if len(p.Choices) > 0 {
		var vs []string
		for _, c := range p.Choices {
			vs = append(vs, fmt.Sprint(c.Value))
		}
		parts = append(parts, "choices "+strings.Join(vs, ", "))
	}
	if p.MinLength != nil {
		parts = append(parts, fmt.Sprintf("min_length %d", *p.MinLength))
	}
	if p.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("max_length %d", *p.MaxLength))
	}
	if p.Min != nil {
		parts = append(parts, "min "+fmtNum(*p.Min))
	}
	if p.Max != nil {
		parts = append(parts, "max "+fmtNum(*p.Max))
	}
	if p.Pattern != "" {
		parts = append(parts, "pattern "+strconv.Quote(p.Pattern))
	}
	if p.DBName != p.Name {
		parts = append(parts, "stored as "+strconv.Quote(p.DBName))
	}
	if p.Sensitive {
		parts = append(parts, "sensitive: never in JSON, fmt or log output")
	}
	if s := storedSummary(p); s != "" {
		parts = append(parts, s)
	}
	s := strings.Join(parts, ", ")
	switch {
	case p.Type.Array || p.Type.Kind == schema.KindJSON || isPointer(p):
		s += "; nil means unset"
	case p.Type.Kind.IsTemporal() && !p.Required:
		s += "; the zero time means unset"
	case p.Type.Kind.IsStringLike() && !p.Required && p.Type.Kind != schema.KindUID:
		s += `; "" means unset`
	}
	return s
}

// defaultText is the default of p as written in the schema.
func defaultText(p *schema.Property) string {
	switch p.Default.Kind {
	case schema.DefaultNow:
		return "now"
	case schema.DefaultUUID:
		return "uuid"
	}
	switch v := p.Default.Value.(type) {
	case string:
		return strconv.Quote(v)
	case time.Time:
		switch p.Type.Kind {
		case schema.KindDate:
			return v.Format("2006-01-02")
		case schema.KindLocalDateTime:
			return v.Format("2006-01-02T15:04:05.999999999")
		}
		return v.Format(time.RFC3339Nano)
	case float64:
		return fmtNum(v)
	}
	if p.Type.Kind == schema.KindJSON || p.Type.Array {
		if b, err := json.Marshal(p.Default.Value); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(p.Default.Value)
}

// defaultExpr is the Go expression of p's default, of p's field type.
func defaultExpr(p *schema.Property) *jen.Statement {
	d := p.Default
	switch d.Kind {
	case schema.DefaultNow:
		return jen.Qual("time", "Now").Call()
	case schema.DefaultUUID:
		return rtm("NewUID").Call()
	}
	if p.Type.Array {
		var items []jen.Code
		switch vs := d.Value.(type) {
		case []string:
			for _, v := range vs {
				items = append(items, jen.Lit(v))
			}
		case []int64:
			for _, v := range vs {
				items = append(items, intLit(v))
			}
		case []float64:
			for _, v := range vs {
				items = append(items, jen.Lit(v))
			}
		case []bool:
			for _, v := range vs {
				items = append(items, jen.Lit(v))
			}
		case []time.Time:
			for _, v := range vs {
				items = append(items, timeLit(v))
			}
		case []time.Duration:
			for _, v := range vs {
				items = append(items, jen.Values(durationFields(v)...))
			}
		}
		return jen.Index().Add(elemType(p.Type.Kind)).Values(items...)
	}
	lit := scalarLit(p.Type.Kind, d.Value)
	if isPointer(p) {
		return rtm("Ptr").Call(lit)
	}
	return lit
}

// scalarLit is the Go literal of a value of kind k (see Default).
func scalarLit(k schema.Kind, v any) *jen.Statement {
	switch k {
	case schema.KindJSON:
		return jsonLit(v)
	case schema.KindFloat:
		f, _ := v.(float64)
		return jen.Lit(f)
	case schema.KindInt:
		i, _ := v.(int64)
		return intLit(i)
	case schema.KindDate, schema.KindDateTime, schema.KindLocalDateTime:
		t, _ := v.(time.Time)
		return timeLit(t)
	case schema.KindDuration:
		dur, _ := v.(time.Duration)
		return durationLit(dur)
	}
	return jen.Lit(v)
}

// intLit is an int literal (an untyped constant that fits int on 64-bit
// platforms).
func intLit(i int64) *jen.Statement {
	return jen.Op(strconv.FormatInt(i, 10))
}

// numLit is a float64 bound as an untyped constant: whole numbers without
// a fraction.
func numLit(f float64) *jen.Statement {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return jen.Op(strconv.FormatInt(int64(f), 10))
	}
	return jen.Lit(f)
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// timeLit is a time.Date call giving t.
func timeLit(t time.Time) *jen.Statement {
	loc := jen.Qual("time", "UTC")
	if name, off := t.Zone(); t.Location() != time.UTC && !(name == "UTC" && off == 0) {
		loc = jen.Qual("time", "FixedZone").Call(jen.Lit(name), jen.Lit(off))
	}
	return jen.Qual("time", "Date").Call(
		jen.Lit(t.Year()), jen.Qual("time", monthNames[t.Month()]), jen.Lit(t.Day()),
		jen.Lit(t.Hour()), jen.Lit(t.Minute()), jen.Lit(t.Second()), jen.Lit(t.Nanosecond()), loc)
}

// durationLit is the ogm.Duration of d (seconds and nanoseconds).
func durationLit(d time.Duration) *jen.Statement {
	return rtm("Duration").Values(durationFields(d)...)
}

// durationFields are the keyed fields of the ogm.Duration of d.
func durationFields(d time.Duration) []jen.Code {
	secs := int64(d / time.Second)
	nanos := int64(d % time.Second)
	if nanos < 0 {
		nanos += int64(time.Second)
		secs--
	}
	var items []jen.Code
	if secs != 0 {
		items = append(items, jen.Id("Seconds").Op(":").Add(intLit(secs)))
	}
	if nanos != 0 {
		items = append(items, jen.Id("Nanos").Op(":").Add(intLit(nanos)))
	}
	return items
}

// jsonLit is the Go value json.Unmarshal would give for v's JSON text, so
// that a defaulted value equals what the node reads back.
func jsonLit(v any) *jen.Statement {
	b, err := json.Marshal(v)
	if err != nil {
		return jen.Nil()
	}
	var norm any
	if err := json.Unmarshal(b, &norm); err != nil {
		return jen.Nil()
	}
	return jsonValue(norm)
}

func jsonValue(v any) *jen.Statement {
	switch x := v.(type) {
	case nil:
		return jen.Nil()
	case bool:
		return jen.Lit(x)
	case string:
		return jen.Lit(x)
	case float64:
		return jen.Lit(x)
	case []any:
		var items []jen.Code
		for _, e := range x {
			items = append(items, jsonValue(e))
		}
		return jen.Index().Any().Values(items...)
	case map[string]any:
		var items []jen.Code
		for _, k := range sortedKeys(x) {
			items = append(items, jen.Lit(k).Op(":").Add(jsonValue(x[k])))
		}
		return jen.Map(jen.String()).Any().Values(items...)
	}
	return jen.Nil()
}

// choiceKey is the Go literal of a choice value.
func choiceKey(k schema.Kind, v any) *jen.Statement {
	switch k {
	case schema.KindInt:
		i, _ := v.(int64)
		return intLit(i)
	case schema.KindFloat:
		f, _ := v.(float64)
		return jen.Lit(f)
	}
	s, _ := v.(string)
	return jen.Lit(s)
}

// fmtNum formats a bound for comments, as the schema writes it.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
