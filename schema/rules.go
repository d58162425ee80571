package schema

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gonode/gonode/ogm"
)

// The rules of single elements. Each says what is wrong with a name or a
// value, or "" when nothing is, in the words of the message refusing it:
// the parser applies them as it reads (at the positions of the YAML), and
// Validate to a model built any other way (at the positions it holds).

// typeNameProblem refuses a node or relationship model name (what says
// which) that is not an exported CamelCase Go identifier.
func typeNameProblem(what, name string) string {
	return nameProblem(nodeNameRe, camelHint, name, "%s name %s must be CamelCase, starting with an upper-case letter ([A-Z][A-Za-z0-9]*)", what)
}

// snakeNameProblem refuses a property, relationship, reverse or permission
// name (what says which) that is not snake_case.
func snakeNameProblem(what, name string) string {
	return nameProblem(snakeRe, snakeHint, name, "%s %s must be snake_case ([a-z][a-z0-9_]*, no leading, trailing or double _)", what)
}

// nameProblem refuses a name that re does not match, with format (of what
// and the quoted name) and the spelling hint suggests.
func nameProblem(re *regexp.Regexp, hint func(string) string, name, format, what string) string {
	if re.MatchString(name) {
		return ""
	}
	msg := fmt.Sprintf(format, what, quote(name))
	if h := hint(name); h != "" && h != name {
		msg += "; did you mean " + quote(h) + "?"
	}
	return msg
}

// packageNameProblem refuses a "package:" value Go would refuse or that
// would break generated code.
func packageNameProblem(v string) string {
	switch {
	case isGoKeyword(v):
		return fmt.Sprintf("package name %s is a Go keyword", quote(v))
	case !packageRe.MatchString(v):
		msg := fmt.Sprintf("package name %s is not a valid Go package name (lower case letters, digits and _, starting with a letter)", quote(v))
		if h := strings.ReplaceAll(snakeHint(v), "_", ""); h != "" && h != v && !isGoKeyword(h) {
			msg += "; did you mean " + quote(h) + "?"
		}
		return msg
	}
	if why, ok := reservedPackageNames[v]; ok {
		return fmt.Sprintf("package name %s is not allowed: %s", quote(v), why)
	}
	return ""
}

// goPackageProblem refuses a go_package that is not a plausible Go import
// path.
func goPackageProblem(v string) string {
	bad := v == "" || strings.HasPrefix(v, "/") || strings.HasSuffix(v, "/")
	if !bad {
		for _, elem := range strings.Split(v, "/") {
			if !goPathElemRe.MatchString(elem) || strings.HasSuffix(elem, ".") {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Sprintf("go_package %s is not a valid Go import path (e.g. \"example.com/app/people\")", quote(v))
	}
	return ""
}

// maxAppLabelLen is the most characters an app_label may have (Django's
// ContentType.app_label is a CharField of 100).
const maxAppLabelLen = 100

// appLabelProblem refuses an app_label that is not an identifier: Django
// requires app labels to be valid Python identifiers (AppConfig checks
// label.isidentifier()), and the "app_label.codename" strings that name
// permissions split at the first dot, so a label cannot hold one.
func appLabelProblem(v string) string {
	ok := v != ""
	for i, r := range v {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			ok = false
			break
		}
	}
	if !ok {
		msg := fmt.Sprintf("app_label %s is not an identifier (letters, digits and _, not starting with a digit), as Django's app labels must be", quote(v))
		if h := appLabelHint(v); h != "" && h != v {
			msg += "; did you mean " + quote(h) + "?"
		}
		return msg
	}
	if n := utf8.RuneCountInString(v); n > maxAppLabelLen {
		return fmt.Sprintf("app_label is %d characters long, at most %d allowed", n, maxAppLabelLen)
	}
	return ""
}

// appLabelHint turns the characters of v that an identifier cannot hold
// into _, and prefixes a leading digit with one.
func appLabelHint(v string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(v) {
		switch {
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			if i == 0 && unicode.IsDigit(r) {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// importAliasProblem refuses an import alias that generated code could not
// name a package by.
func importAliasProblem(alias string) string {
	switch {
	case isGoKeyword(alias):
		return fmt.Sprintf("import alias %s is a Go keyword", quote(alias))
	case !packageRe.MatchString(alias):
		return fmt.Sprintf("import alias %s is not a valid name (lower case letters, digits and _, starting with a letter)", quote(alias))
	}
	return ""
}

// importTargetProblem refuses the target of import alias that names no
// file (target is trimmed of white space).
func importTargetProblem(alias, target string) string {
	switch {
	case target == "":
		return fmt.Sprintf("import %s has an empty target; write builtin:auth or a path relative to this file", quote(alias))
	case strings.IndexFunc(target, unicode.IsControl) >= 0:
		return fmt.Sprintf("import %s: the target %s contains control characters", quote(alias), quote(target))
	}
	return ""
}

// msgMissingPackage refuses a file without "package:".
const msgMissingPackage = "missing \"package:\" (the Go package name of the generated code)"

// abstractLabel refuses a label: on abstract node n.
func abstractLabel(n *Node) string {
	return fmt.Sprintf("label is not allowed on the abstract node %s: abstract nodes have no label of their own (extra labels go under \"labels:\")", n.Name)
}

// needsTo and needsType refuse relationship name without a target or a
// relationship type.
func needsTo(name string) string {
	return fmt.Sprintf("relationship %s needs \"to:\" (the target node)", quote(name))
}

func needsType(name string) string {
	hint := ""
	if h := strings.ToUpper(snakeHint(name)); h != "" {
		hint = ", e.g. type: " + h
	}
	return fmt.Sprintf("relationship %s needs \"type:\" (the Neo4j relationship type%s)", quote(name), hint)
}

// msgReverseBoth refuses a reverse accessor on a relationship of direction
// both.
const msgReverseBoth = "reverse makes no sense with direction: both (the relationship reads the same from both ends); remove reverse"

// multipleProblem refuses multiple on a relationship to one target at most.
func multipleProblem(r *Relationship) string {
	if r.Multiple && (r.Cardinality == ogm.ZeroOrOne || r.Cardinality == ogm.One) {
		return fmt.Sprintf("multiple makes no sense with cardinality %s (at most one target, so at most one relationship); remove multiple", r.Cardinality)
	}
	return ""
}

// Django's limits on a permission's codename and name.
const (
	maxCodenameLen       = 100
	maxPermissionNameLen = 255
)

// codenameProblem refuses a permission codename Django would not take.
func codenameProblem(codename string) string {
	if msg := snakeNameProblem("permission codename", codename); msg != "" {
		return msg
	}
	if utf8.RuneCountInString(codename) > maxCodenameLen {
		return fmt.Sprintf("permission codename %s is longer than %d characters", quote(codename), maxCodenameLen)
	}
	return ""
}

// permissionNameProblem refuses the human-readable name of permission
// codename when Django would not take it.
func permissionNameProblem(codename, name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Sprintf("permission %s needs a human-readable name", quote(codename))
	case utf8.RuneCountInString(name) > maxPermissionNameLen:
		return fmt.Sprintf("permission name is longer than %d characters", maxPermissionNameLen)
	}
	return ""
}

// A StoredName is where a schema writes a name stored in the database.
// Such a name may be any non-empty string without a NUL character (Neo4j
// refuses both) that is not only white space: the runtime quotes every
// name it puts in a query (ogm.Quote), generated code holds it only in
// string literals (comments write it Go-quoted), Print writes it
// double-quoted with escapes, and messages escape control characters. So a
// name with a newline, a tab or another control character, which Neo4j
// stores, is kept as it is: label: "a\nb".
type StoredName int

// The places of stored names.
const (
	StoredLabel      StoredName = iota // the label: of a node type
	StoredExtraLabel                   // an entry of the labels: of a node type
	StoredRelType                      // the type: of a relationship
	StoredKey                          // the db_property: of a property (or its name)
)

// storedNameWords are, by place, how a message names a stored name and
// what it says such a name may be.
var storedNameWords = [...]struct{ what, may string }{
	StoredLabel:      {"label", "the database label of a node type may be any other string"},
	StoredExtraLabel: {"label", "a label may be any other string"},
	StoredRelType:    {"relationship type", "a relationship type may be any other string"},
	StoredKey:        {"db_property", "a stored property key may be any other string"},
}

// storedNameProblem says why s cannot be a name stored in the database, or
// "" when it can (see StoredName).
func storedNameProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.ContainsRune(s, 0):
		return "contains a NUL character, which Neo4j refuses in a name"
	case strings.TrimSpace(s) == "":
		return "is only white space"
	}
	return ""
}

// Problem says why name cannot be a stored name ("is empty", "is only
// white space", "contains a NUL character, …"), or "" when it can: the
// reason Check's message gives, the same at every place.
func (w StoredName) Problem(name string) string { return storedNameProblem(name) }

// Check returns the message Load and Validate refuse name with when it is
// written at w, or "" when it can be stored.
func (w StoredName) Check(name string) string {
	why := storedNameProblem(name)
	if why == "" {
		return ""
	}
	words := storedNameWords[w]
	return fmt.Sprintf("%s %s %s; %s", words.what, quote(name), why, words.may)
}
