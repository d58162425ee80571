// Package validators checks new passwords the way Django 5.2's
// django.contrib.auth.password_validation does, with the same rules and
// messages: [MinimumLength], [UserAttributeSimilarity], [CommonPassword] and
// [NumericPassword], composed with [Validate] and described with
// [HelpTexts].
//
// Text is compared as Python does: lengths count code points, case is
// folded with Python's str.lower and the similarity is
// difflib.SequenceMatcher.quick_ratio. testdata/django_vectors.json holds
// Django's verdicts on a set of passwords, checked by the tests; README.md
// says how to regenerate it and where the common password list comes from.
package validators

import (
	"errors"
	"strings"
)

// Codes of the validation errors (Django's ValidationError codes).
const (
	CodeTooShort        = "password_too_short"
	CodeTooSimilar      = "password_too_similar"
	CodeTooCommon       = "password_too_common"
	CodeEntirelyNumeric = "password_entirely_numeric"
)

// Sentinels to test a validation error's code with errors.Is, for example
// errors.Is(err, validators.ErrTooCommon).
var (
	ErrTooShort        = &Error{Code: CodeTooShort}
	ErrTooSimilar      = &Error{Code: CodeTooSimilar}
	ErrTooCommon       = &Error{Code: CodeTooCommon}
	ErrEntirelyNumeric = &Error{Code: CodeEntirelyNumeric}
)

// Error is one reason a password was refused.
type Error struct {
	Code    string // one of the Code constants, or a custom validator's code
	Message string // Django's English message
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errors is every reason a password was refused, in validator order, as
// returned by [Validate].
type Errors []*Error

// Error returns the messages, one a line.
func (es Errors) Error() string { return strings.Join(es.Messages(), "\n") }

// Messages returns the messages in order.
func (es Errors) Messages() []string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Message
	}
	return msgs
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// UserAttrs gives the attributes of the user whose password is validated.
type UserAttrs interface {
	// UserAttr returns the value of the named attribute ("username",
	// "first_name", "last_name", "email", …), or "" when the user has
	// none.
	UserAttr(name string) string
}

// Attrs is a UserAttrs backed by a map.
type Attrs map[string]string

// UserAttr returns a[name].
func (a Attrs) UserAttr(name string) string { return a[name] }

// Validator checks one rule.
type Validator interface {
	// Validate returns nil when password passes, an *Error when it does
	// not, or another error when the validator is misconfigured. user may
	// be nil.
	Validate(password string, user UserAttrs) error
	// HelpText describes the rule to the user.
	HelpText() string
}

// Default returns the validators Django's project template enables:
// UserAttributeSimilarity, MinimumLength (8), CommonPassword and
// NumericPassword, with their defaults.
func Default() []Validator {
	return []Validator{UserAttributeSimilarity{}, MinimumLength{}, CommonPassword{}, NumericPassword{}}
}

// Validate runs validators (or [Default] when none are given) on password
// and returns nil if it passes them all, or an [Errors] with every failure
// (Django's validate_password). A validator's error that is not an *Error
// is a misconfiguration and is returned as it is.
func Validate(password string, user UserAttrs, validators ...Validator) error {
	if len(validators) == 0 {
		validators = Default()
	}
	var errs Errors
	for _, v := range validators {
		err := v.Validate(password, user)
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// HelpTexts returns the help text of each validator (or of [Default] when
// none are given), in order (Django's password_validators_help_texts).
func HelpTexts(validators ...Validator) []string {
	if len(validators) == 0 {
		validators = Default()
	}
	texts := make([]string, len(validators))
	for i, v := range validators {
		texts[i] = v.HelpText()
	}
	return texts
}
