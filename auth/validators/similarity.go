package validators

import (
	"errors"
	"unicode"
)

// DefaultMaxSimilarity is UserAttributeSimilarity's default threshold.
const DefaultMaxSimilarity = 0.7

// ErrMaxSimilarity reports a UserAttributeSimilarity whose MaxSimilarity is
// below 0.1, which Django refuses.
var ErrMaxSimilarity = errors.New("validators: MaxSimilarity must be at least 0.1")

// Attribute names a user attribute and how messages call it (Django's field
// verbose_name).
type Attribute struct {
	Name        string // key passed to UserAttrs.UserAttr
	VerboseName string // used in "The password is too similar to the …."
}

// DefaultUserAttributes are the attributes Django compares passwords with.
var DefaultUserAttributes = []Attribute{
	{"username", "username"},
	{"first_name", "first name"},
	{"last_name", "last name"},
	{"email", "email address"},
}

// UserAttributeSimilarity refuses passwords too similar to one of the user's
// attributes, or to one of their parts (split at non-word characters, so
// both "jane.doe@example.com" and "jane", "doe", "example", "com"). The
// similarity is difflib.SequenceMatcher.quick_ratio of the lower-cased
// texts; the password is refused when it reaches MaxSimilarity.
//
// The zero value uses DefaultUserAttributes and DefaultMaxSimilarity. With
// a nil user it accepts every password.
type UserAttributeSimilarity struct {
	Attributes    []Attribute // nil means DefaultUserAttributes
	MaxSimilarity float64     // 0 means DefaultMaxSimilarity; must be >= 0.1
}

// Validate refuses a password too similar to the user's attributes.
func (v UserAttributeSimilarity) Validate(password string, user UserAttrs) error {
	maxSim := v.MaxSimilarity
	if maxSim == 0 {
		maxSim = DefaultMaxSimilarity
	}
	if maxSim < 0.1 {
		return ErrMaxSimilarity
	}
	if user == nil {
		return nil
	}
	attrs := v.Attributes
	if attrs == nil {
		attrs = DefaultUserAttributes
	}
	pw := []rune(pyLower(password))
	for _, attr := range attrs {
		value := user.UserAttr(attr.Name)
		if value == "" {
			continue
		}
		lower := pyLower(value)
		for _, part := range append(splitNonWord(lower), lower) {
			p := []rune(part)
			if exceedsMaximumLengthRatio(len(pw), maxSim, len(p)) {
				continue
			}
			if quickRatio(pw, p) >= maxSim {
				return &Error{Code: CodeTooSimilar, Message: "The password is too similar to the " + attr.VerboseName + "."}
			}
		}
	}
	return nil
}

// HelpText describes the rule.
func (UserAttributeSimilarity) HelpText() string {
	return "Your password can’t be too similar to your other personal information."
}

// exceedsMaximumLengthRatio reports whether a value is so much shorter than
// the password that their similarity cannot reach maxSim, which skips the
// comparison (Django's exceeds_maximum_length_ratio).
func exceedsMaximumLengthRatio(pwLen int, maxSim float64, valueLen int) bool {
	return pwLen >= 10*valueLen && float64(valueLen) < maxSim/2*float64(pwLen)
}

// quickRatio is Python's difflib.SequenceMatcher(a=a, b=b).quick_ratio():
// twice the size of the multiset intersection of the characters of a and b,
// over their total length (1 when both are empty).
func quickRatio(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	avail := make(map[rune]int, len(b))
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			matches++
		}
		avail[r]--
	}
	return 2.0 * float64(matches) / float64(len(a)+len(b))
}

// splitNonWord splits s at runs of non-word characters, as Python's
// re.split(r"\W+", s) does (with "" before a leading run and after a
// trailing one). Word characters are letters, numbers and '_'.
func splitNonWord(s string) []string {
	var parts []string
	start, inSep := 0, false
	for i, r := range s {
		word := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
		switch {
		case !word && !inSep:
			parts = append(parts, s[start:i])
			inSep = true
		case word && inSep:
			start, inSep = i, false
		}
	}
	if inSep {
		return append(parts, "")
	}
	return append(parts, s[start:])
}
