package schema

import (
	"go/token"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The identifier rules of the schema language.
var (
	// snakeRe: property, relationship, reverse and permission names, and
	// import aliases: lower snake_case, no leading, trailing or doubled
	// underscore.
	snakeRe = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	// nodeNameRe: node and relationship model names (exported Go type names).
	nodeNameRe = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	// packageRe: Go package names, lower case.
	packageRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// goPackagePathRe: one element of a go_package import path.
	goPathElemRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~+-]*$`)
)

// commonInitialisms are the words GoName writes in upper case, as golint
// and staticcheck expect.
var commonInitialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true,
	"dns": true, "eof": true, "guid": true, "html": true, "http": true,
	"https": true, "id": true, "ip": true, "json": true, "lhs": true,
	"qps": true, "ram": true, "rhs": true, "rpc": true, "sla": true,
	"smtp": true, "sql": true, "ssh": true, "tcp": true, "tls": true,
	"ttl": true, "udp": true, "ui": true, "uid": true, "uuid": true,
	"uri": true, "url": true, "utf8": true, "vm": true, "xml": true,
	"xmpp": true, "xsrf": true, "xss": true,
}

// GoName converts a snake_case schema name to an exported CamelCase Go name,
// writing common initialisms in upper case: "user_id" → "UserID",
// "home_url" → "HomeURL", "api_keys" → "APIKeys", "ids" → "IDs".
func GoName(snake string) string {
	var b strings.Builder
	for _, part := range strings.Split(snake, "_") {
		if part == "" {
			continue
		}
		switch {
		case commonInitialisms[part]:
			b.WriteString(strings.ToUpper(part))
		case len(part) > 2 && strings.HasSuffix(part, "s") && commonInitialisms[part[:len(part)-1]]:
			b.WriteString(strings.ToUpper(part[:len(part)-1]) + "s")
		default:
			r, n := utf8.DecodeRuneInString(part)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(part[n:])
		}
	}
	return b.String()
}

// snakeHint suggests a snake_case spelling of a name that is not one.
func snakeHint(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case r == '-' || r == ' ' || r == '_' || r == '.':
			b.WriteByte('_')
			prevLower = false
		case r < utf8.RuneSelf && (unicode.IsLower(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			prevLower = true
		}
	}
	h := b.String()
	for strings.Contains(h, "__") {
		h = strings.ReplaceAll(h, "__", "_")
	}
	h = strings.Trim(h, "_")
	for h != "" && !(h[0] >= 'a' && h[0] <= 'z') {
		h = h[1:]
	}
	if !snakeRe.MatchString(h) {
		return ""
	}
	return h
}

// camelHint suggests a CamelCase spelling of a node name that is not one.
func camelHint(s string) string {
	if snakeRe.MatchString(s) {
		return GoName(s)
	}
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			up = true
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		}
	}
	h := b.String()
	if !nodeNameRe.MatchString(h) {
		return ""
	}
	return h
}

// reservedNodeMembers are the Go names every generated node struct has
// (its methods, MarshalJSON and UnmarshalJSON included, and the fields of
// it and of the ogm.NodeBase it embeds); a
// property, relationship or reverse accessor whose Go name is one of them is
// refused. The generator adds no other member to every node; the members it
// adds for some schema elements (<Prop>Display for a property with choices)
// are checked as members of their own.
var reservedNodeMembers = map[string]string{
	"Save":      "a method",
	"Refresh":   "a method",
	"Delete":    "a method",
	"Validate":  "a method",
	"ElementID": "a method",
	"IsSaved":   "a method",
	"IsDeleted": "a method",
	"Labels":    "a method",
	"NodeBase":  "an embedded field",
	"Extra":     "a field (semi_structured properties)",
	"Fetched":   "a field (fetched relations)",
	// The JSON encoding.
	"MarshalJSON":   "a method",
	"UnmarshalJSON": "a method",
}

// reservedUserMembers are the Go names of the methods of *auth.User that
// its schema does not name: those package auth declares by hand
// (SetPassword, String, …) and Format and LogValue, generated because its
// password is sensitive (those promoted from ogm.NodeBase, and the JSON
// methods of every node, are in reservedNodeMembers). The struct of every
// node type extending auth.User has them by promotion, and declares
// String, Format and LogValue of its own. A property, relationship or
// reverse accessor of a user type whose Go name is one of them is refused
// (checkUserMembers). auth's TestReservedNamesMatchMethodSets compares the
// list with the method set of *auth.User.
var reservedUserMembers = map[string]string{
	"SetPassword":         "a method",
	"CheckPassword":       "a method",
	"SetUnusablePassword": "a method",
	"HasUsablePassword":   "a method",
	"UserAttr":            "a method",
	"TokenState":          "a method",
	"Format":              "a method",
	"String":              "a method",
	"LogValue":            "a method",
}

// reservedSensitiveMembers are the Go names of the methods generated for
// every node type and relationship model with a sensitive property (its
// own or inherited), which print it redacted: a member with one of them is
// refused on such a type (checkSensitiveMembers).
var reservedSensitiveMembers = map[string]string{
	"Format":   "a method",
	"LogValue": "a method",
}

// reservedRelJSONKeys are the keys the JSON encoding of every relationship
// model writes besides its properties (element_id is refused as the Go
// name ElementID): a property of that name is refused.
var reservedRelJSONKeys = map[string]bool{
	"type":             true,
	"start_element_id": true,
	"end_element_id":   true,
}

// reservedRelMembers are the Go names every generated relationship model
// struct has (its Save, MarshalJSON and UnmarshalJSON methods, and the
// members of the ogm.RelBase it embeds); a relationship model property
// whose Go name is one of them is refused.
var reservedRelMembers = map[string]string{
	"Save":          "a method",
	"MarshalJSON":   "a method",
	"UnmarshalJSON": "a method",
	"ElementID":     "a method",
	"RelType":       "a method",
	"StartID":       "a method",
	"EndID":         "a method",
	"RelBase":       "an embedded field",
}

// reservedTypeNames are package-level identifiers every generated package
// declares: a node or relationship model may not be named after them.
var reservedTypeNames = map[string]string{
	"Schema": "the generated package variable describing the package's node types",
}

// reservedPackageNames are refused as "package:" values even though Go
// accepts them: main cannot be imported, and the others would shadow the
// packages generated code uses.
var reservedPackageNames = map[string]string{
	"main":    "a main package cannot be imported",
	"ogm":     "it would shadow the gonode runtime package imported by generated code",
	"context": "it would shadow the standard package imported by generated code",
	"time":    "it would shadow the standard package imported by generated code",
	"neo4j":   "it would shadow the driver package imported by generated code",
}

// isGoKeyword reports whether s is a Go keyword.
func isGoKeyword(s string) bool { return token.IsKeyword(s) }

// suggest returns the candidate closest to s (case-insensitive
// Damerau-Levenshtein distance), or "" when none is close enough.
func suggest(s string, candidates []string) string {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	limit := utf8.RuneCountInString(s) / 3
	if limit < 1 {
		limit = 1
	}
	if limit > 3 {
		limit = 3
	}
	n := utf8.RuneCountInString(ls)
	for _, c := range candidates {
		if c == s {
			continue
		}
		if diff := utf8.RuneCountInString(c) - n; diff > limit || -diff > limit {
			continue
		}
		d := distance(ls, strings.ToLower(c))
		if d <= limit && (bestD < 0 || d < bestD || (d == bestD && c < best)) {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean formats a "; did you mean %q?" hint, or "" when there is none.
func didYouMean(s string, candidates []string) string {
	if h := suggest(s, candidates); h != "" {
		return "; did you mean " + quote(h) + "?"
	}
	return ""
}

// distance is the optimal-string-alignment edit distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions), in
// runes. Long inputs are capped to keep it cheap.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 100
	}
	w := len(rb) + 1
	flat := make([]int, (len(ra)+1)*w)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = flat[i*w : (i+1)*w]
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// quote quotes s for a message, keeping it short and printable.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

// IsTypeName reports whether s may name a node type or relationship model:
// an exported CamelCase Go identifier, [A-Z][A-Za-z0-9]*.
func IsTypeName(s string) bool { return nodeNameRe.MatchString(s) }

// IsSnakeName reports whether s may name a property, relationship, reverse
// accessor or permission: lower snake_case, [a-z][a-z0-9]* words joined by
// single underscores.
func IsSnakeName(s string) bool { return snakeRe.MatchString(s) }

// IsPackageName reports whether s has the form of a "package:" value: a
// lower-case Go package name that is not a keyword (ReservedPackageName
// lists the few such names that are refused all the same).
func IsPackageName(s string) bool { return packageRe.MatchString(s) && !isGoKeyword(s) }

// ReservedPackageName says why s is refused as a "package:" value although
// Go takes it (main, and the packages generated code imports), or "".
func ReservedPackageName(s string) string { return reservedPackageNames[s] }

// ReservedTypeName reports whether name is a package-level identifier every
// generated package declares (Schema), which no node type or relationship
// model may take.
func ReservedTypeName(name string) bool {
	_, ok := reservedTypeNames[name]
	return ok
}

// ReservedNodeMember reports whether goName is a member every generated
// node struct has (Save, Fetched, …), which no property, relationship or
// reverse accessor may take as its Go name.
func ReservedNodeMember(goName string) bool {
	_, ok := reservedNodeMembers[goName]
	return ok
}

// ReservedNodeMembers lists, sorted, the Go names ReservedNodeMember
// refuses.
func ReservedNodeMembers() []string { return slices.Sorted(maps.Keys(reservedNodeMembers)) }

// ReservedUserMembers lists, sorted, the Go names refused as members of
// auth.User and of the node types extending it, besides
// ReservedNodeMembers: the methods package auth declares by hand on
// *auth.User (SetPassword, Format, …), which those types have by promotion.
func ReservedUserMembers() []string { return slices.Sorted(maps.Keys(reservedUserMembers)) }

// ReservedRelJSONKey reports whether name, a relationship model property's
// schema name, is a key the JSON encoding of every relationship writes
// besides its properties (type, start_element_id, end_element_id), which
// no property may take.
func ReservedRelJSONKey(name string) bool { return reservedRelJSONKeys[name] }

// ReservedRelMember reports whether goName is a member every generated
// relationship model struct has (Save, RelBase, …), which no property of a
// relationship model may take as its Go name.
func ReservedRelMember(goName string) bool {
	_, ok := reservedRelMembers[goName]
	return ok
}

// Quote quotes s as the messages of the schema language do: Go-quoted (so
// that control characters show as escapes), cut to 60 characters.
func Quote(s string) string { return quote(s) }
