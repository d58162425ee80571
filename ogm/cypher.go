package ogm

import (
	"strconv"
	"strings"
)

// Quote returns name as a Cypher identifier (label, relationship type,
// property key): bare when it is a plain identifier, else in backticks with
// backticks doubled, so that any string names exactly itself.
//
// Cypher turns \uXXXX escapes into characters anywhere in a query before it
// parses it, even between backticks: unescaped, the name `\u0041` would be
// "A", and `\u0060` a backtick that ends the identifier. So every backslash
// is written as \u005C, the escape of a backslash, whose result is not
// escaped again. (Found by FuzzQuote.)
func Quote(name string) string {
	if isPlainIdent(name) {
		return name
	}
	return "`" + quoteEscaper.Replace(name) + "`"
}

var quoteEscaper = strings.NewReplacer("`", "``", `\`, `\u005C`)

func isPlainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return !cypherKeywords[strings.ToUpper(s)]
}

// cypherKeywords are quoted even though they are plain identifiers, so a
// property named "order" or "count" never changes a query's meaning.
var cypherKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`ALL AND AS ASC ASCENDING BY CALL CASE COUNT CREATE DELETE DESC
		DESCENDING DETACH DISTINCT ELSE END ENDS EXISTS FALSE FOREACH IN IS LIMIT MATCH MERGE NOT
		NULL ON OPTIONAL OR ORDER REMOVE RETURN SET SKIP STARTS THEN TRUE UNION UNWIND WHEN WHERE
		WITH XOR YIELD CONTAINS`) {
		cypherKeywords[k] = true
	}
}

// labelExpr is ":A:B" for the labels, each quoted. Empty labels are left
// out: an abstract type without labels of its own matches any node.
func labelExpr(labels []string) string {
	var b strings.Builder
	for _, l := range labels {
		if l == "" {
			continue
		}
		b.WriteByte(':')
		b.WriteString(Quote(l))
	}
	return b.String()
}

// params collects the parameters of one query as it is built, naming them
// $p0, $p1, …: values never enter the query text.
type params struct {
	m   map[string]any
	err error // the first condition that cannot be sent (see failed)
	// aggs are the aggregates computed for the nodes whose conditions are
	// being rendered (aggregate.go: aggCond).
	aggs []*aggSpec
}

// fail records err, a condition that must not reach the server; the query
// is not run and returns the first such error.
func (p *params) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *params) add(v any) string {
	if p.m == nil {
		p.m = map[string]any{}
	}
	name := "p" + strconv.Itoa(len(p.m))
	p.m[name] = v
	return "$" + name
}
