package ogm

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ErrValidation is the kind of every *ValidationError.
var ErrValidation = errors.New("validation failed")

// ValidationError is a property value that breaks a rule of the schema,
// found before anything was written. For a sensitive property (a password
// hash, a token) it holds no value, and its message shows none.
type ValidationError struct {
	Type  string // node or relationship model type, e.g. "Person"
	Prop  string // schema property name
	Rule  string // required, choices, max_length, min_length, min, max, pattern, email
	Value any    // the offending value (nil for required, and for a sensitive property)
	Msg   string // the rule in words
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("ogm: %s.%s: %s", e.Type, e.Prop, e.Msg)
}

// Is makes errors.Is(err, ogm.ErrValidation) match.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// ValidationErrors is every rule a value broke; errors.As finds each
// *ValidationError in it.
type ValidationErrors []*ValidationError

// Error implements error.
func (es ValidationErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap exposes each error to errors.Is and errors.As.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Validator collects rule violations for generated Validate functions.
type Validator struct {
	Type string
	errs ValidationErrors
	// props are the type's declared properties, when the runtime made
	// the Validator: the violations of a sensitive one keep no value.
	props []PropInfo
}

// add records a violation of rule by value of prop, described by format
// and args; safe is the description without the value, used for a
// sensitive property.
func (v *Validator) add(prop, rule string, value any, safe, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if v.sensitive(prop) {
		value, msg = nil, safe
	}
	v.errs = append(v.errs, &ValidationError{Type: v.Type, Prop: prop, Rule: rule, Value: value, Msg: msg})
}

// sensitive reports whether the property called name is sensitive.
func (v *Validator) sensitive(name string) bool {
	for i := range v.props {
		if v.props[i].Name == name {
			return v.props[i].Sensitive
		}
	}
	return false
}

// Err returns the violations found, or nil.
func (v *Validator) Err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// Required reports prop as missing unless set.
func (v *Validator) Required(prop string, set bool) {
	if !set {
		v.add(prop, "required", nil, "required", "required")
	}
}

// Choice reports value unless ok (it is one of the declared choices).
func (v *Validator) Choice(prop string, value any, ok bool) {
	if !ok {
		v.add(prop, "choices", value, "the value is not one of the choices", "%v is not one of the choices", value)
	}
}

// MaxLength checks that s has at most n characters.
func (v *Validator) MaxLength(prop, s string, n int) {
	if c := utf8.RuneCountInString(s); c > n {
		v.add(prop, "max_length", s, fmt.Sprintf("too long: at most %d characters allowed", n), "%d characters, at most %d allowed", c, n)
	}
}

// MinLength checks that s has at least n characters.
func (v *Validator) MinLength(prop, s string, n int) {
	if c := utf8.RuneCountInString(s); c < n {
		v.add(prop, "min_length", s, fmt.Sprintf("too short: at least %d characters required", n), "%d characters, at least %d required", c, n)
	}
}

// Min checks that x is at least min.
func (v *Validator) Min(prop string, x, min float64) {
	if x < min {
		v.add(prop, "min", x, fmt.Sprintf("less than the minimum %v", min), "%v is less than the minimum %v", x, min)
	}
}

// Max checks that x is at most max.
func (v *Validator) Max(prop string, x, max float64) {
	if x > max {
		v.add(prop, "max", x, fmt.Sprintf("more than the maximum %v", max), "%v is more than the maximum %v", x, max)
	}
}

// Pattern checks that re matches s.
func (v *Validator) Pattern(prop, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		v.add(prop, "pattern", s, fmt.Sprintf("does not match %s", re), "%q does not match %s", s, re)
	}
}

// Email checks that s is a plain email address (local@domain, no display
// name).
func (v *Validator) Email(prop, s string) {
	if !IsEmail(s) {
		v.add(prop, "email", s, "not an email address", "%q is not an email address", s)
	}
}

// IsEmail reports whether s is a plain address such as jim@example.com.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
