package ogm

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Node-level indexes and constraints (issue #21): full-text indexes over
// several properties, and uniqueness of several properties together.

// FulltextInfo is a full-text index a node type declares (fulltext:).
type FulltextInfo struct {
	Name     string   // the index's name in the schema, e.g. "text"
	Keys     []string // the stored keys indexed
	Analyzer string   // Lucene analyzer; "" for the server's default
	// EventuallyConsistent indexes are updated in the background after
	// each commit: searches may miss the latest writes.
	EventuallyConsistent bool `json:",omitempty"`
}

// FulltextIndexName is the name install-labels gives the full-text index
// name of label: fulltext_index_<label>_<name>, as neomodel names the
// full-text index of one property.
func FulltextIndexName(label, name string) string { return "fulltext_index_" + label + "_" + name }

// UniqueTogetherName is the name of the constraint that makes keys unique
// together on label: constraint_unique_<label>_<key1>_<key2>…, neomodel's
// name for one key extended to several.
func UniqueTogetherName(label string, keys []string) string {
	return "constraint_unique_" + label + "_" + strings.Join(keys, "_")
}

// analyzerRe is what an analyzer name may be: it is written into the
// index's OPTIONS, which take no parameters.
var analyzerRe = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)

// nodeStatements are the full-text indexes and composite constraints of n.
func nodeStatements(n SchemaNode) []schemaStatement {
	var out []schemaStatement
	pattern := "(n:" + Quote(n.Label) + ")"
	for _, f := range n.Fulltext {
		name := FulltextIndexName(n.Label, f.Name)
		props := make([]string, len(f.Keys))
		for i, k := range f.Keys {
			props[i] = "n." + Quote(k)
		}
		cypher := "CREATE FULLTEXT INDEX " + Quote(name) + " IF NOT EXISTS FOR " + pattern + " ON EACH [" + strings.Join(props, ", ") + "]"
		var cfg []string
		if f.Analyzer != "" {
			cfg = append(cfg, "`fulltext.analyzer`: '"+f.Analyzer+"'")
		}
		if f.EventuallyConsistent {
			cfg = append(cfg, "`fulltext.eventually_consistent`: true")
		}
		if len(cfg) > 0 {
			cypher += " OPTIONS {indexConfig: {" + strings.Join(cfg, ", ") + "}}"
		}
		out = append(out, schemaStatement{owner: n.Label, name: name, kind: "fulltext index", cypher: cypher,
			shape: schemaShape{typ: "FULLTEXT", owner: n.Label, keys: f.Keys, config: fulltextConfig(f.Analyzer, f.EventuallyConsistent)}})
	}
	for _, keys := range n.UniqueTogether {
		name := UniqueTogetherName(n.Label, keys)
		props := make([]string, len(keys))
		for i, k := range keys {
			props[i] = "n." + Quote(k)
		}
		out = append(out, schemaStatement{owner: n.Label, name: name, kind: "unique constraint",
			cypher: "CREATE CONSTRAINT " + Quote(name) + " IF NOT EXISTS FOR " + pattern + " REQUIRE (" + strings.Join(props, ", ") + ") IS UNIQUE",
			shape:  schemaShape{constraint: true, typ: "UNIQUENESS", owner: n.Label, keys: keys}})
	}
	return out
}

// checkNodeIndexes refuses an analyzer that cannot be written into
// OPTIONS: schemas built by hand rather than generated.
func checkNodeIndexes(schemas []*Schema) error {
	for _, s := range schemas {
		for _, n := range s.Nodes {
			for _, f := range n.Fulltext {
				if f.Analyzer != "" && !analyzerRe.MatchString(f.Analyzer) {
					return &Error{Op: "install labels", Kind: ErrValidation, Msg: fmt.Sprintf("full-text index %s of %s: analyzer %q is not an analyzer name", f.Name, n.Name, f.Analyzer)}
				}
				if len(f.Keys) == 0 {
					return &Error{Op: "install labels", Kind: ErrValidation, Msg: fmt.Sprintf("full-text index %s of %s indexes no property", f.Name, n.Name)}
				}
			}
		}
	}
	return nil
}

// Fulltext is the handle of a full-text index of node type P, for
// Nodes.Search. Generated code declares one per fulltext: entry
// (search.DocTextIndex).
type Fulltext[P any] struct{ name string }

// NewFulltext is the handle of the full-text index named name (its
// database name, FulltextIndexName). For generated code.
func NewFulltext[P any](name string) *Fulltext[P] { return &Fulltext[P]{name: name} }

// Name is the index's database name.
func (f *Fulltext[P]) Name() string { return f.name }

// Search returns the nodes of the set that the full-text index matches for
// query (Lucene syntax: words, "phrases", AND/OR/NOT, field:word, fuzzy~,
// prefix*), best first, at most k, with their relevance scores. The query
// is a parameter, never part of the Cypher text; a malformed one fails
// with ErrQuery. The set's filters apply to the index's matches before the
// k best are kept (pre-filtering: the index returns every match in score
// order); MinScore drops weaker matches; FetchRelations loads as for All.
// The results are the nodes of the set's type among the index's (an index
// of another label, made with NewFulltext, is filtered by the set's label).
// A missing index is ErrNoIndex.
//
//	hits, err := search.DocNodes(db).Filter(search.DocTopic.Eq("go")).
//		Search(ctx, search.DocTextIndex, `graph AND "query planner"`, 10)
func (n *Nodes[P]) Search(ctx context.Context, index *Fulltext[P], query string, k int, opts ...SearchOption) ([]Scored[P], error) {
	found, err := n.q.fulltext(ctx, index.name, query, k, searchOpts(opts))
	return scoredAs[P](found), err
}

// fulltext is Nodes.Search on the type-independent query.
func (q *query) fulltext(ctx context.Context, index, query string, k int, o searchOptions) ([]scored, error) {
	const op = "search"
	if q.invalid != nil {
		return nil, q.invalid
	}
	switch {
	case k < 1 || k > maxK:
		return nil, &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("k must be 1 to %d, found %d", maxK, k)}
	case strings.TrimSpace(query) == "":
		return nil, &Error{Op: op, Kind: ErrValidation, Msg: "the full-text query is empty"}
	}
	if err := q.searchable(op, false); err != nil {
		return nil, err
	}
	var ps params
	var b strings.Builder
	b.WriteString("CALL db.index.fulltext.queryNodes(" + ps.add(index) + ", " + ps.add(query) + ") YIELD node AS n, score")
	c := q
	if !strings.HasPrefix(index, FulltextIndexName(q.label(), "")) {
		// An index of another label (a supertype's, or one shared by
		// several): keep the set's own nodes. The type's own index holds
		// nothing else, and the test would cost a label read per match.
		c = q.filter([]cond{labelCond(q.label())})
	}
	c.scoreWhere(&b, &ps, o.minScore)
	b.WriteString(" WITH n, score ORDER BY score DESC LIMIT " + ps.add(int64(k)))
	return c.runScored(ctx, op, &b, &ps)
}

// labelCond holds for the nodes with a label (Quote'd: labels come from
// the schema).
type labelCond string

func (l labelCond) cypher(_ *params, v string) string { return v + ":" + Quote(string(l)) }

// togetherKeys adds to r's merge key the properties of each of info's
// unique_together combinations that before (the encoded node) sets in
// full: together they identify the node as a unique property does.
func togetherKeys(info *NodeInfo, before map[string]any, r *mergeRow) {
	for _, keys := range info.UniqueTogether {
		full := true
		for _, k := range keys {
			if before[k] == nil {
				full = false
				break
			}
		}
		if !full {
			continue
		}
		for _, k := range keys {
			if _, in := r.key[k]; !in {
				r.keys = append(r.keys, k)
				r.key[k] = before[k]
			}
		}
	}
}
