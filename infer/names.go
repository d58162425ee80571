package infer

import (
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/gonode/gonode/schema"
)

// namer holds what the names chosen so far take: the package-level Go
// identifiers they derive, and the member names each node type claimed, so
// that the next names clash with none (the validator's rules, on the
// identifiers of schema/derived.go).
type namer struct {
	taken   map[string]bool
	claimed map[*schema.Node][]string // Go names of each node type's members
}

func newNamer() *namer {
	return &namer{taken: map[string]bool{}, claimed: map[*schema.Node][]string{}}
}

// typeIdents are the package-level identifiers a node type called s may
// declare besides those of its members.
func typeIdents(s string) []string {
	n := &schema.Node{Name: s}
	return []string{s, n.DescriptorName(), n.ManagerName(), n.FetchedName(), n.FromModelName()}
}

// typeFree reports whether a node type or relationship model can be called
// s: none of the identifiers it would declare is taken or reserved.
func (nm *namer) typeFree(s string) bool {
	for _, id := range typeIdents(s) {
		if nm.taken[id] || schema.ReservedTypeName(id) {
			return false
		}
	}
	return true
}

// takeType takes the identifiers of a node type called s.
func (nm *namer) takeType(s string) {
	for _, id := range typeIdents(s) {
		nm.taken[id] = true
	}
}

// scope names the members of node type n, which it shares with the node
// types extending it: a member of n is a member of each, with a handle on
// each.
type scope struct {
	nm *namer
	n  *schema.Node
	// members are the Go names of n's members, inherited ones included.
	members map[string]bool
	// subtree is n and the node types extending it, directly or not.
	subtree []*schema.Node
	// embedded are the names of the structs n embeds (its ancestors'),
	// which its own members may not take.
	embedded map[string]bool
}

// scope opens the scope of n, one of nodes, whose ancestors have their
// members already.
func (nm *namer) scope(n *schema.Node, nodes []*schema.Node) *scope {
	sc := &scope{nm: nm, n: n, members: map[string]bool{}, subtree: []*schema.Node{n}, embedded: map[string]bool{}}
	for _, a := range n.Ancestors() {
		sc.embedded[a.Name] = true
		for _, g := range nm.claimed[a] {
			sc.members[g] = true
		}
	}
	for i := 0; i < len(sc.subtree); i++ {
		for _, o := range nodes {
			if o.Extends == sc.subtree[i] && !slices.Contains(sc.subtree, o) {
				sc.subtree = append(sc.subtree, o)
			}
		}
	}
	return sc
}

// member is what a new member of the scope's node type would take: its
// schema name, its Go names (its field or method, and the Fetched field of
// an accessor with a model), and the package-level identifiers it derives
// on each node type of the subtree.
type member struct {
	name    string
	goNames []string
	idents  func(c *schema.Node) []string
}

func propertyMember(p *schema.Property) member {
	return member{p.Name, []string{p.GoName}, func(c *schema.Node) []string { return []string{p.HandleName(c.Name)} }}
}

func accessorMember(r *schema.Relationship) member {
	// Its Go name, and the <Acc>OrErr method of the Fetched struct, which
	// no other accessor may be called.
	m := member{r.Name, []string{r.GoName, schema.Accessor{Owner: r.Owner, Rel: r}.OrErrName()}, func(c *schema.Node) []string {
		a := schema.Accessor{Owner: c, Rel: r}
		if r.Model == nil {
			return []string{a.HandleName()}
		}
		return []string{a.HandleName(), a.MatchName()}
	}}
	if r.Model != nil {
		m.goNames = append(m.goNames, schema.Accessor{Owner: r.Owner, Rel: r}.RelsName())
	}
	return m
}

// free reports whether m can be added: its name is not a Go keyword, its
// Go names are not reserved, members already or embedded structs, and no
// identifier it derives is taken.
func (sc *scope) free(m member, reserved func(string) bool) bool {
	if token.IsKeyword(m.name) {
		return false
	}
	for _, g := range m.goNames {
		if reserved(g) || sc.members[g] || sc.embedded[g] {
			return false
		}
	}
	for _, c := range sc.subtree {
		for _, id := range m.idents(c) {
			if sc.nm.taken[id] {
				return false
			}
		}
	}
	return true
}

// claim adds m to the scope's node type.
func (sc *scope) claim(m member) {
	for _, g := range m.goNames {
		sc.members[g] = true
		sc.nm.claimed[sc.n] = append(sc.nm.claimed[sc.n], g)
	}
	for _, c := range sc.subtree {
		for _, id := range m.idents(c) {
			sc.nm.taken[id] = true
		}
	}
}

// uniqueName returns base if ok accepts it, else base with suffix (for
// snake_case names: save → save_prop), else base with the smallest number
// 2, 3, … (after an underscore for snake_case names) that ok accepts.
func uniqueName(base, suffix string, ok func(string) bool) string {
	if ok(base) {
		return base
	}
	sep := ""
	if schema.IsSnakeName(base) {
		sep = "_"
		if suffix != "" && ok(base+suffix) {
			return base + suffix
		}
	}
	for i := 2; ; i++ {
		if s := base + sep + strconv.Itoa(i); ok(s) {
			return s
		}
	}
}

// words splits a database name into ASCII words: runs of letters and
// digits, also split where a lower-case letter or digit is followed by an
// upper-case one ("firstName") and before the last capital of a run of
// capitals followed by a lower-case letter ("HTTPServer"). Every other
// character separates words.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	isUpper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	isLower := func(r rune) bool { return r >= 'a' && r <= 'z' }
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' }
	for i, r := range rs {
		if !isUpper(r) && !isLower(r) && !isDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && isUpper(r) {
			prev := cur[len(cur)-1]
			if isLower(prev) || isDigit(prev) {
				flush()
			} else if isUpper(prev) && i+1 < len(rs) && isLower(rs[i+1]) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// snakeName is a snake_case name for a database key or type: "firstName"
// → first_name, "a-b" → a_b, "1st" → prefix_1st, "🚀" → prefix.
func snakeName(s, prefix string) string {
	if schema.IsSnakeName(s) {
		return s
	}
	ws := words(s)
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	out := strings.Join(ws, "_")
	if out == "" {
		return prefix
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = prefix + "_" + out
	}
	return out
}

// camelName is a CamelCase name for a label: the label itself when it is
// one, else its words with capital initials ("my label" → MyLabel).
func camelName(s, prefix string) string {
	if schema.IsTypeName(s) {
		return s
	}
	var b strings.Builder
	for _, w := range words(s) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	out := b.String()
	if out == "" || out[0] < 'A' || out[0] > 'Z' {
		out = prefix + out
	}
	return out
}
