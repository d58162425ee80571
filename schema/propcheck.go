package schema

import (
	"fmt"
	"math"
	"net/mail"

	"github.com/gonode/gonode/ogm"
)

// The rules of a property's options that do not depend on how YAML wrote
// them. The parser applies them once it has read the options, at the
// positions of the YAML; Validate applies them to a model built any other
// way (checkProperty), at the property's position.

// optionAt says where an option of a property is written: its key, or its
// value when value is set.
type optionAt func(key string, value bool) Pos

// isStringish reports whether k holds text that lengths and patterns apply
// to: string or email.
func (k Kind) isStringish() bool { return k == KindString || k == KindEmail }

// The messages of rules the parser and checkProperty share.
const (
	msgJSONArray       = "arrays of json are not supported; use type json and give it a JSON array"
	msgUIDArray        = "arrays of uid are not supported (a uid is one generated identifier); use [string]"
	msgUIDRequired     = "type uid is generated on create; remove required"
	msgUIDDefault      = "type uid is generated on create; its only default is uuid (implied)"
	msgRequiredDefault = "required and default are mutually exclusive (a default already supplies the value)"
)

func needsPropertyType(name string) string {
	return fmt.Sprintf("property %s needs \"type:\"", quote(name))
}

func lengthNotApplicable(key string, t Type) string {
	return fmt.Sprintf("%s applies to string and email properties, not %s", key, t)
}

func patternNotApplicable(t Type) string {
	return fmt.Sprintf("pattern applies to string and email properties, not %s", t)
}

func patternProblem(err error) string { return "invalid pattern: " + errText(err) }

func boundNotApplicable(key string, t Type) string {
	hint := ""
	if t.Kind.isStringish() {
		hint = "; use " + key + "_length for the length of a string"
	}
	return fmt.Sprintf("%s applies to int and float properties, not %s%s", key, t, hint)
}

func choicesNotApplicable(t Type) string {
	return fmt.Sprintf("choices apply to string, email, int and float properties (or arrays of them), not %s", t)
}

func nowNotApplicable(t Type) string {
	return fmt.Sprintf("default now needs a date, datetime or localdatetime property, not %s", t)
}

func uuidNotApplicable(t Type) string {
	return fmt.Sprintf("default uuid needs a string or uid property, not %s", t)
}

func pointDefault(k Kind) string { return fmt.Sprintf("%s properties cannot have a default", k) }

// lengthValueProblem refuses a max_length or min_length (key) below least.
func lengthValueProblem(key string, v, least int) string {
	switch {
	case v >= least:
		return ""
	case least == 0:
		return fmt.Sprintf("%s must not be negative, found %d", key, v)
	}
	return fmt.Sprintf("%s must be at least %d, found %d", key, least, v)
}

// boundValueProblem refuses a min or max (key) of v, written text, that a
// property of type t cannot have.
func boundValueProblem(key string, v float64, text string, t Type) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("%s must be a finite number, found %s", key, text)
	case t.Kind == KindInt && v != math.Trunc(v):
		return fmt.Sprintf("%s must be a whole number for an int property, found %s", key, text)
	}
	return ""
}

// emailProblem refuses a literal of type email that is not one address.
func emailProblem(v string) string {
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || a.Name != "" {
		return fmt.Sprintf("%s is not a valid email address", quote(v))
	}
	return ""
}

// uidRule refuses required on a uid property, which is generated, and
// gives it the uniqueness and the uuid default its type implies.
func uidRule(p *Property, at optionAt, errs *ErrorList) {
	if p.Type.Kind != KindUID {
		return
	}
	if p.Required {
		errs.add(at("required", false), "%s", msgUIDRequired)
		p.Required = false
	}
	p.Unique = true
	p.Default = &Default{Kind: DefaultUUID}
}

// indexRule refuses, and drops, an index that unique already provides or
// that the property's type cannot have.
func indexRule(p *Property, at optionAt, errs *ErrorList) {
	if p.Unique && p.Index != ogm.NoIndex {
		if p.Type.Kind == KindUID {
			errs.add(at("index", false), "type uid is unique, and its uniqueness constraint is already an index; remove index")
		} else {
			errs.add(at("index", false), "unique already creates an index (its uniqueness constraint); remove index or unique")
		}
		p.Index = ogm.NoIndex
	}
	if p.Index != ogm.TextIndex && p.Index != ogm.FulltextIndex {
		return
	}
	if !p.Type.Kind.isStringish() || (p.Index == ogm.TextIndex && p.Type.Array) {
		allowed := "string or email"
		if p.Index == ogm.FulltextIndex {
			allowed = "string, email, [string] or [email]"
		}
		errs.add(at("index", true), "index: %s needs a %s property, not %s", p.Index, allowed, p.Type)
		p.Index = ogm.NoIndex
	}
}

// lengthOrderRule refuses a min_length greater than the max_length.
func lengthOrderRule(p *Property, at optionAt, errs *ErrorList) {
	if p.MinLength != nil && p.MaxLength != nil && *p.MinLength > *p.MaxLength {
		errs.add(at("min_length", true), "min_length %d is greater than max_length %d", *p.MinLength, *p.MaxLength)
	}
}

// boundOrderRule refuses a min greater than the max.
func boundOrderRule(p *Property, at optionAt, errs *ErrorList) {
	if p.Min != nil && p.Max != nil && *p.Min > *p.Max {
		errs.add(at("min", true), "min %s is greater than max %s", fmtNum(*p.Min), fmtNum(*p.Max))
	}
}
