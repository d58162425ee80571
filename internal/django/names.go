// Package django holds what gonode copies from Django's naming rules, for
// the packages that must agree on them (schema, which generates the
// permission constants, and auth, which installs the permissions).
package django

import "strings"

// CamelCaseToSpaces is Django's camel_case_to_spaces, which makes a model's
// default verbose name: "TwitterUser" → "twitter user", "HTTPServer" →
// "http server".
func CamelCaseToSpaces(s string) string {
	var b strings.Builder
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	isLower := func(c byte) bool { return 'a' <= c && c <= 'z' }
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUpper(c) && (i > 0 && isLower(s[i-1]) || !(i+1 < len(s) && isUpper(s[i+1])) && i+1 < len(s)) {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
	}
	return strings.ToLower(strings.TrimSpace(b.String()))
}
