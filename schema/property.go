package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gonode/gonode/ogm"
	"gopkg.in/yaml.v3"
)

// kindByName maps the YAML spelling of each kind to it.
var kindByName = map[string]Kind{}

func init() {
	for k := KindString; k <= KindPoint3D; k++ {
		kindByName[k.String()] = k
	}
}

// typeHints maps type names of other languages to the schema language's.
var typeHints = map[string]string{
	"integer": "int", "int64": "int", "int32": "int", "long": "int", "str": "string",
	"text": "string", "varchar": "string", "boolean": "bool", "double": "float",
	"float64": "float", "number": "float", "decimal": "float", "timestamp": "datetime",
	"time": "datetime", "zoneddatetime": "datetime", "date_time": "datetime",
	"local_datetime": "localdatetime", "localdate_time": "localdatetime",
	"uuid": "uid", "unique_id": "uid", "dict": "json", "map": "json", "object": "json",
	"jsonb": "json", "list": "[string]", "array": "[string]", "spatial": "point",
	"location": "point", "mail": "email", "emailaddress": "email",
	"point3": "point3d", "point_3d": "point3d",
}

// arrayKinds are the kinds allowed as array elements: Neo4j stores
// homogeneous lists of these. json (already a document) and uid (one
// generated identifier) are refused.
var arrayKinds = map[Kind]bool{
	KindString: true, KindEmail: true, KindInt: true, KindFloat: true,
	KindBool: true, KindDate: true, KindDateTime: true, KindLocalDateTime: true,
	KindDuration: true, KindPoint: true, KindPoint3D: true,
}

// parseType reads a "type:" value: a kind name, "[kind]", or a YAML flow
// sequence [kind].
func parseType(s *src, n *yaml.Node) (Type, bool) {
	r := resolve(n)
	var text string
	array := false
	switch {
	case r != nil && r.Kind == yaml.SequenceNode:
		if len(r.Content) != 1 {
			s.errorf(n, "an array type names one element type, e.g. [string]")
			return Type{}, false
		}
		inner := resolve(r.Content[0])
		if inner != nil && inner.Kind == yaml.SequenceNode {
			s.errorf(n, "arrays of arrays are not supported")
			return Type{}, false
		}
		v, ok := s.str(r.Content[0], "an array element type")
		if !ok {
			return Type{}, false
		}
		text, array = v, true
	default:
		v, ok := s.str(n, "type")
		if !ok {
			return Type{}, false
		}
		text = strings.TrimSpace(v)
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
			text, array = strings.TrimSpace(text[1:len(text)-1]), true
			if strings.HasPrefix(text, "[") {
				s.errorf(n, "arrays of arrays are not supported")
				return Type{}, false
			}
		}
	}
	k, ok := kindByName[text]
	if !ok {
		hint := ""
		if h, ok := typeHints[strings.ToLower(text)]; ok {
			hint = "; did you mean " + quote(h) + "?"
		} else {
			hint = didYouMean(text, keysOf(kindByName))
		}
		if hint == "" {
			hint = " (types: string int float bool date datetime localdatetime duration uid email json point point3d, or [T] for an array)"
		}
		s.errorf(n, "unknown type %s%s", quote(text), hint)
		return Type{}, false
	}
	if array && !arrayKinds[k] {
		switch k {
		case KindJSON:
			s.errorf(n, "%s", msgJSONArray)
		case KindUID:
			s.errorf(n, "%s", msgUIDArray)
		}
		return Type{}, false
	}
	return Type{Kind: k, Array: array}, true
}

// parseProperty reads one property of a node or relationship model. It
// returns nil when the property cannot be used at all (bad name or type).
func (l *loader) parseProperty(s *src, e entry, what string) *Property {
	p := &Property{Name: e.key, GoName: GoName(e.key), DBName: e.key, Pos: s.pos(e.k)}
	nameOK := !s.report(e.k, snakeNameProblem(what+" name", e.key))
	opts, ok := s.propertyOptions(e)
	if !ok || !s.readPropertyBasics(p, e, &opts) {
		// Options whose meaning depends on the type cannot be checked.
		return nil
	}
	at := opts.at(s)
	if p.Type.Kind == KindUID && opts.uniqueFalse {
		s.errs.add(at("unique", true), "type uid is always unique; remove unique: false")
	}
	uidRule(p, at, s.errs)
	indexRule(p, at, s.errs)
	s.readVectorOptions(p, opts)
	vectorRule(p, at, s.errs)
	re := s.readStringOptions(p, opts)
	p.Min = s.boundOpt(opts, "min", p.Type)
	p.Max = s.boundOpt(opts, "max", p.Type)
	boundOrderRule(p, at, s.errs)
	if o, ok := opts.m["choices"]; ok {
		p.Choices = s.parseChoices(o, p.Type)
	}
	if o, ok := opts.m["default"]; ok {
		s.parseDefault(p, o, re)
	}
	s.readStoredAs(p, opts)
	if !nameOK {
		return nil
	}
	return p
}

// propOpts are the options of a property as written, by key.
type propOpts struct {
	m map[string]entry
	// uniqueFalse is set when unique: false is written.
	uniqueFalse bool
}

// at is where the option key is written (the position of its value when
// value is set), for the rules property options share with Validate.
func (o propOpts) at(s *src) optionAt {
	return func(key string, value bool) Pos {
		e := o.m[key]
		if value {
			return s.pos(e.v)
		}
		return s.pos(e.k)
	}
}

// propertyOptions reads the mapping of property e, refusing unknown keys.
// ok is false when e's value is not a mapping.
func (s *src) propertyOptions(e entry) (propOpts, bool) {
	r := resolve(e.v)
	if r != nil && r.Kind != yaml.MappingNode && !isNull(r) {
		example := "string"
		if r.Kind == yaml.ScalarNode {
			example = quoteShort(r.Value)
		} else if r.Kind == yaml.SequenceNode && len(r.Content) == 1 && resolve(r.Content[0]) != nil && resolve(r.Content[0]).Kind == yaml.ScalarNode {
			example = "\"[" + quoteShort(resolve(r.Content[0]).Value) + "]\""
		}
		s.errorf(e.v, "property %s must be a mapping such as {type: %s}, found %s", quote(e.key), example, describe(r))
		return propOpts{}, false
	}
	entries, ok := s.mapping(e.v, "property "+quote(e.key))
	if !ok {
		return propOpts{}, false
	}
	opts := propOpts{m: map[string]entry{}}
	for _, o := range entries {
		if !slices.Contains(propertyKeys, o.key) {
			s.unknownKey(o, "property "+quote(e.key), propertyKeys)
			continue
		}
		opts.m[o.key] = o
	}
	return opts, true
}

// readPropertyBasics reads the options of p whose meaning does not depend
// on its type: type itself, help, required, sensitive, unique, db_property
// and index.
// It reports whether the type could be read.
func (s *src) readPropertyBasics(p *Property, e entry, opts *propOpts) bool {
	typeOK := false
	if o, ok := opts.m["type"]; ok {
		p.Type, typeOK = parseType(s, o.v)
	} else {
		s.errorf(e.k, "%s", needsPropertyType(e.key))
	}
	if o, ok := opts.m["help"]; ok {
		p.Help, _ = s.str(o.v, "help")
	}
	if o, ok := opts.m["required"]; ok {
		p.Required, _ = s.boolean(o.v, "required")
	}
	if o, ok := opts.m["sensitive"]; ok {
		p.Sensitive, _ = s.boolean(o.v, "sensitive")
	}
	if o, ok := opts.m["unique"]; ok {
		var read bool
		p.Unique, read = s.boolean(o.v, "unique")
		opts.uniqueFalse = read && !p.Unique
	}
	if o, ok := opts.m["db_property"]; ok {
		if v, ok := s.str(o.v, "db_property"); ok {
			if !s.report(o.v, StoredKey.Check(v)) {
				p.DBName, p.DBNamePos = v, s.pos(o.v)
			}
		}
	}
	if o, ok := opts.m["index"]; ok {
		p.Index = parseIndex(s, o.v)
	}
	return typeOK
}

// readStringOptions reads the options of strings and emails: max_length,
// min_length and pattern, returning the compiled pattern.
func (s *src) readStringOptions(p *Property, opts propOpts) *regexp.Regexp {
	stringish := p.Type.Kind.isStringish()
	p.MaxLength = s.lengthOpt(opts, "max_length", stringish, p.Type, 1)
	p.MinLength = s.lengthOpt(opts, "min_length", stringish, p.Type, 0)
	lengthOrderRule(p, opts.at(s), s.errs)
	o, ok := opts.m["pattern"]
	if !ok {
		return nil
	}
	v, ok := s.str(o.v, "pattern")
	if !ok {
		return nil
	}
	if !stringish {
		s.errorf(o.k, "%s", patternNotApplicable(p.Type))
		return nil
	}
	re, err := regexp.Compile(v)
	if err != nil {
		s.errorf(o.v, "%s", patternProblem(err))
		return nil
	}
	p.Pattern, p.PatternPos = v, s.pos(o.v)
	return re
}

// parseIndex reads an "index:" value: true, false, text, fulltext or vector.
func parseIndex(s *src, n *yaml.Node) ogm.IndexKind {
	r := resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode {
		switch {
		case r.ShortTag() == tagBool:
			var b bool
			if r.Decode(&b) == nil {
				if b {
					return ogm.RangeIndex
				}
				return ogm.NoIndex
			}
		case r.ShortTag() == tagStr && r.Value == "text":
			return ogm.TextIndex
		case r.ShortTag() == tagStr && r.Value == "fulltext":
			return ogm.FulltextIndex
		case r.ShortTag() == tagStr && r.Value == "vector":
			return ogm.VectorIndex
		}
	}
	hint := ""
	if r != nil && r.Kind == yaml.ScalarNode {
		hint = enumHint(r.Value, map[string]string{"yes": "true", "range": "true", "full_text": "fulltext", "no": "false"}, []string{"true", "false", "text", "fulltext", "vector"})
	}
	s.errorf(n, "index must be true, false, text, fulltext or vector, found %s%s", describe(r), hint)
	return ogm.NoIndex
}

// indexText is the YAML spelling of k: "true" for a range index, "text",
// "fulltext", or "false" for none.
func indexText(k ogm.IndexKind) string {
	switch k {
	case ogm.NoIndex:
		return "false"
	case ogm.RangeIndex:
		return "true"
	}
	return string(k)
}

// lengthOpt reads max_length or min_length: a whole number >= least, on a
// string-like type.
func (s *src) lengthOpt(opts propOpts, key string, applies bool, t Type, least int) *int {
	o, ok := opts.m[key]
	if !ok {
		return nil
	}
	if !applies {
		s.errorf(o.k, "%s", lengthNotApplicable(key, t))
		return nil
	}
	r := resolve(o.v)
	var v int
	if r == nil || r.Kind != yaml.ScalarNode || r.ShortTag() != tagInt || r.Decode(&v) != nil {
		s.errorf(o.v, "%s must be a whole number, found %s", key, describe(r))
		return nil
	}
	if s.report(o.v, lengthValueProblem(key, v, least)) {
		return nil
	}
	return &v
}

// boundOpt reads min or max: a finite number on an int or float type (a
// whole one for int).
func (s *src) boundOpt(opts propOpts, key string, t Type) *float64 {
	o, ok := opts.m[key]
	if !ok {
		return nil
	}
	if !t.Kind.IsNumeric() {
		s.errorf(o.k, "%s", boundNotApplicable(key, t))
		return nil
	}
	r := resolve(o.v)
	var v float64
	if r == nil || r.Kind != yaml.ScalarNode || (r.ShortTag() != tagInt && r.ShortTag() != tagFloat) || r.Decode(&v) != nil {
		s.errorf(o.v, "%s must be a number, found %s", key, describe(r))
		return nil
	}
	if s.report(o.v, boundValueProblem(key, v, r.Value, t)) {
		return nil
	}
	return &v
}

// fmtNum formats a bound for messages.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// choiceKinds are the kinds that may have choices.
var choiceKinds = map[Kind]bool{KindString: true, KindEmail: true, KindInt: true, KindFloat: true}

// parseChoices reads "choices:": a mapping value → label or a sequence of
// values, each value of the property's (element) type.
func (s *src) parseChoices(o entry, t Type) []Choice {
	if !choiceKinds[t.Kind] {
		s.errorf(o.k, "%s", choicesNotApplicable(t))
		return nil
	}
	elem := t.Elem()
	r := resolve(o.v)
	var out []Choice
	seen := map[any]int{}
	count := 0
	add := func(valNode *yaml.Node, label string) {
		v, problem := literal(valNode, elem)
		if problem != "" {
			s.errorf(valNode, "choice %s", problem)
			return
		}
		if line, dup := seen[v]; dup {
			s.errorf(valNode, "duplicate choice %s (the same value as the choice at line %d)", valueText(valNode), line)
			return
		}
		seen[v] = s.pos(valNode).Line
		out = append(out, Choice{Value: v, Label: label})
	}
	switch {
	case r != nil && r.Kind == yaml.MappingNode:
		entries, _ := s.mapping(o.v, "choices")
		for _, e := range entries {
			count++
			label, ok := s.str(e.v, "a choice label")
			if !ok {
				continue
			}
			add(e.k, label)
		}
	case r != nil && r.Kind == yaml.SequenceNode:
		for _, c := range r.Content {
			count++
			rc := resolve(c)
			if rc == nil || rc.Kind != yaml.ScalarNode {
				s.errorf(c, "choice must be a single value, found %s", describe(rc))
				continue
			}
			add(c, rc.Value)
		}
	default:
		s.errorf(o.v, "choices must be a mapping (value: label) or a sequence of values, found %s", describe(r))
		return nil
	}
	if count == 0 {
		s.errorf(o.v, "choices must not be empty")
	}
	return out
}

// parseDefault reads "default:" and checks it against the other options.
func (s *src) parseDefault(p *Property, o entry, re *regexp.Regexp) {
	t := p.Type
	r := resolve(o.v)
	if p.Required {
		s.errorf(o.k, "%s", msgRequiredDefault)
	}
	if isNull(o.v) {
		s.errorf(o.v, "default must not be null; remove it for no default")
		return
	}
	plain := r.Kind == yaml.ScalarNode && r.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	if plain && r.Value == "now" && !t.Kind.IsStringLike() {
		if !t.Kind.IsTemporal() || t.Array {
			s.errorf(o.v, "%s", nowNotApplicable(t))
			return
		}
		p.Default = &Default{Kind: DefaultNow}
		return
	}
	if plain && r.Value == "uuid" && !t.Array && (t.Kind == KindString || t.Kind == KindUID) {
		p.Default = &Default{Kind: DefaultUUID}
		return
	}
	switch t.Kind {
	case KindUID:
		s.errorf(o.v, "%s", msgUIDDefault)
		return
	case KindPoint, KindPoint3D:
		s.errorf(o.k, "%s", pointDefault(t.Kind))
		return
	}
	if plain && r.Value == "uuid" {
		s.errorf(o.v, "%s", uuidNotApplicable(t))
		return
	}
	v, problem := literal(o.v, t)
	if problem != "" {
		s.errorf(o.v, "default %s", problem)
		return
	}
	p.Default = &Default{Kind: DefaultLiteral, Value: v}
	// The default must pass the property's own checks.
	var elems []any
	var nodes []*yaml.Node
	if t.Array {
		elems = sliceElems(v)
		nodes = r.Content
	} else {
		elems, nodes = []any{v}, []*yaml.Node{o.v}
	}
	for i, ev := range elems {
		at := o.v
		if i < len(nodes) {
			at = nodes[i]
		}
		if msg := checkValue(p, ev, re); msg != "" {
			s.errorf(at, "default %s %s", valueText(at), msg)
		}
	}
}

// sliceElems returns the elements of a typed slice built by literal.
func sliceElems(v any) []any {
	var out []any
	switch xs := v.(type) {
	case []string:
		for _, x := range xs {
			out = append(out, x)
		}
	case []int64:
		for _, x := range xs {
			out = append(out, x)
		}
	case []float64:
		for _, x := range xs {
			out = append(out, x)
		}
	case []bool:
		for _, x := range xs {
			out = append(out, x)
		}
	case []time.Time:
		for _, x := range xs {
			out = append(out, x)
		}
	case []time.Duration:
		for _, x := range xs {
			out = append(out, x)
		}
	}
	return out
}

// checkValue checks one value (one element for an array) against the
// property's choices, bounds, length and pattern; it returns what is wrong
// or "".
func checkValue(p *Property, v any, re *regexp.Regexp) string {
	if len(p.Choices) > 0 {
		found := false
		for _, c := range p.Choices {
			if c.Value == v {
				found = true
				break
			}
		}
		if !found {
			return "is not one of the choices"
		}
	}
	var num *float64
	switch x := v.(type) {
	case int64:
		f := float64(x)
		num = &f
	case float64:
		num = &x
	case string:
		n := utf8.RuneCountInString(x)
		if p.MaxLength != nil && n > *p.MaxLength {
			return fmt.Sprintf("is longer than max_length %d", *p.MaxLength)
		}
		if p.MinLength != nil && n < *p.MinLength {
			return fmt.Sprintf("is shorter than min_length %d", *p.MinLength)
		}
		if re != nil && !re.MatchString(x) {
			return fmt.Sprintf("does not match pattern %s", quote(p.Pattern))
		}
	}
	if num != nil {
		if p.Min != nil && *num < *p.Min {
			return "is less than min " + fmtNum(*p.Min)
		}
		if p.Max != nil && *num > *p.Max {
			return "is greater than max " + fmtNum(*p.Max)
		}
	}
	return ""
}

// Layouts accepted for temporal literals.
const (
	dateLayout          = "2006-01-02"
	localDateTimeLayout = "2006-01-02T15:04:05.999999999"
)

// literal converts a YAML value to a Go value of type t (see Default). It
// returns a description of the problem ("is not …") when it does not fit.
func literal(n *yaml.Node, t Type) (any, string) {
	r := resolve(n)
	switch {
	case r == nil:
		return nil, "is missing"
	case t.Array:
		return arrayLiteral(r, t)
	case t.Kind == KindJSON:
		return jsonLiteral(r)
	case r.Kind != yaml.ScalarNode || r.ShortTag() == tagNull:
		return nil, fmt.Sprintf("must be a single %s value, found %s", t.Kind, describe(r))
	case t.Kind.IsTemporal() || t.Kind == KindDuration:
		return timeLiteral(r, t.Kind)
	}
	return scalarLiteral(r, t)
}

// arrayLiteral converts the sequence r to a typed slice of array type t.
func arrayLiteral(r *yaml.Node, t Type) (any, string) {
	if r.Kind != yaml.SequenceNode {
		return nil, fmt.Sprintf("must be a sequence of %s values for type %s, found %s", t.Kind, t, describe(r))
	}
	var vals []any
	for i, c := range r.Content {
		v, problem := literal(c, t.Elem())
		if problem != "" {
			return nil, fmt.Sprintf("element %d %s", i+1, problem)
		}
		vals = append(vals, v)
	}
	return typedSlice(t.Kind, vals), ""
}

// jsonLiteral decodes r as a json value.
func jsonLiteral(r *yaml.Node) (any, string) {
	var v any
	if err := r.Decode(&v); err != nil {
		return nil, "is not a JSON value: " + errText(err)
	}
	if !stringKeys(v) {
		return nil, "is not a JSON value: JSON object keys must be strings (quote them)"
	}
	if _, err := json.Marshal(v); err != nil {
		return nil, "is not representable as JSON: " + errText(err)
	}
	return v, ""
}

// scalarLiteral converts the scalar r to a string, email, int, float or
// bool of type t.
func scalarLiteral(r *yaml.Node, t Type) (any, string) {
	tag := r.ShortTag()
	switch t.Kind {
	case KindString, KindEmail:
		if tag != tagStr {
			return nil, fmt.Sprintf("must be a string for type %s, found %s; quote it: %s", t.Kind, describe(r), strconv.Quote(r.Value))
		}
		if t.Kind == KindEmail {
			if msg := emailProblem(r.Value); msg != "" {
				return nil, msg
			}
		}
		return r.Value, ""
	case KindInt:
		var v int64
		if tag != tagInt || r.Decode(&v) != nil {
			return nil, fmt.Sprintf("must be a whole number for type int, found %s", describe(r))
		}
		return v, ""
	case KindFloat:
		var v float64
		if (tag != tagInt && tag != tagFloat) || r.Decode(&v) != nil {
			return nil, fmt.Sprintf("must be a number for type float, found %s", describe(r))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Sprintf("must be a finite number, found %s", r.Value)
		}
		return v, ""
	case KindBool:
		var v bool
		if tag != tagBool || r.Decode(&v) != nil {
			return nil, fmt.Sprintf("must be true or false for type bool, found %s", describe(r))
		}
		return v, ""
	}
	return nil, fmt.Sprintf("cannot be given for type %s", t)
}

// timeLiteral converts the scalar r to a date, datetime, localdatetime
// (time.Time) or duration (time.Duration) of kind k.
func timeLiteral(r *yaml.Node, k Kind) (any, string) {
	text := r.ShortTag() == tagStr || r.ShortTag() == tagTimestamp && k != KindDuration
	switch k {
	case KindDate:
		if v, err := time.Parse(dateLayout, r.Value); text && err == nil {
			return v, ""
		}
		return nil, fmt.Sprintf("%s is not a date: want YYYY-MM-DD such as \"2024-01-31\"", quote(r.Value))
	case KindDateTime:
		if v, err := time.Parse(time.RFC3339Nano, r.Value); text && err == nil {
			return v, ""
		}
		return nil, fmt.Sprintf("%s is not a datetime: want RFC 3339 with a zone such as \"2024-01-31T12:00:00Z\", or now", quote(r.Value))
	case KindLocalDateTime:
		if v, err := time.ParseInLocation(localDateTimeLayout, r.Value, time.UTC); text && err == nil {
			return v, ""
		}
		return nil, fmt.Sprintf("%s is not a localdatetime: want \"2024-01-31T12:00:00\" (no zone), or now", quote(r.Value))
	}
	if v, err := time.ParseDuration(r.Value); text && err == nil {
		return v, ""
	}
	return nil, fmt.Sprintf("%s is not a duration: want a Go duration such as \"1h30m\"", quote(r.Value))
}

// stringKeys reports whether every mapping in a decoded YAML value has
// string keys, as JSON objects need.
func stringKeys(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if !stringKeys(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !stringKeys(e) {
				return false
			}
		}
	case map[any]any:
		return false
	}
	return true
}

// typedSlice converts literal element values to the typed slice of kind k.
func typedSlice(k Kind, vals []any) any {
	switch k {
	case KindString, KindEmail:
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = v.(string)
		}
		return out
	case KindInt:
		out := make([]int64, len(vals))
		for i, v := range vals {
			out[i] = v.(int64)
		}
		return out
	case KindFloat:
		out := make([]float64, len(vals))
		for i, v := range vals {
			out[i] = v.(float64)
		}
		return out
	case KindBool:
		out := make([]bool, len(vals))
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return out
	case KindDate, KindDateTime, KindLocalDateTime:
		out := make([]time.Time, len(vals))
		for i, v := range vals {
			out[i] = v.(time.Time)
		}
		return out
	case KindDuration:
		out := make([]time.Duration, len(vals))
		for i, v := range vals {
			out[i] = v.(time.Duration)
		}
		return out
	}
	return vals
}
