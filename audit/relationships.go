package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// relKey names one accessor of one node type.
type relKey struct{ node, accessor string }

// arrow is the pattern of a's relationship seen from its owner.
func arrow(a schema.Accessor) string {
	t := "[:" + ogm.Quote(a.Rel.Type) + "]"
	switch a.Direction() {
	case ogm.In:
		return "<-" + t + "-"
	case ogm.Both:
		return "-" + t + "-"
	}
	return "-" + t + "->"
}

// checked reports whether a's cardinality is checked from its owner: a
// declared (not reverse) to-one or at-least-one relationship.
func checked(a schema.Accessor) bool {
	return !a.Reverse && a.Cardinality() != ogm.ZeroOrMore
}

// labelledTarget is the label a's far end must carry, or "" when any node
// counts (an abstract target, whose label no node carries by itself).
func labelledTarget(a schema.Accessor) string {
	if t := a.Target(); t != nil && !t.Abstract {
		return t.DBLabel()
	}
	return ""
}

// strayEnds finds the accessors whose relationship type, in the
// database, also reaches nodes without the target's label at the target's
// end: only for those must the cardinality count look at the far node (an
// Expand and a label check per relationship); the others are counted from
// the node's degree, which the server reads without leaving the node. It
// compares two count-store lookups per accessor (the relationships of the
// type, and those of the type whose target end carries the label), so it
// reads no node and no relationship.
func strayEnds(ctx context.Context, db *ogm.DB, nodes []*schema.Node) (map[relKey]bool, error) {
	exact := map[relKey]bool{}
	counts := map[string]int64{}
	count := func(q string) (int64, error) {
		if v, ok := counts[q]; ok {
			return v, nil
		}
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			return 0, err
		}
		v := res.Rows[0][0].(int64)
		counts[q] = v
		return v, nil
	}
	for _, n := range nodes {
		for _, a := range n.Accessors() {
			tl := labelledTarget(a)
			if !checked(a) || tl == "" {
				continue
			}
			key := relKey{n.Name, a.Name()}
			t, far := ogm.Quote(a.Rel.Type), ogm.Quote(tl)
			var labelled string
			switch a.Direction() {
			case ogm.Out:
				labelled = "MATCH ()-[r:" + t + "]->(:" + far + ") RETURN count(r)"
			case ogm.In:
				labelled = "MATCH (:" + far + ")-[r:" + t + "]->() RETURN count(r)"
			default:
				exact[key] = true // either end may be the far one: count exactly
				continue
			}
			all, err := count("MATCH ()-[r:" + t + "]->() RETURN count(r)")
			if err != nil {
				return nil, fmt.Errorf("count %s: %w", a.Rel.Type, err)
			}
			some, err := count(labelled)
			if err != nil {
				return nil, fmt.Errorf("count %s: %w", a.Rel.Type, err)
			}
			if some != all {
				exact[key] = true
			}
		}
	}
	return exact, nil
}

// cardinalityColumns are the relationship checks of n for its one-pass
// query: the counts to compute per node (WITH items) and the checks on
// them. Every relationship n declares or inherits is counted from n in its
// direction (a relationship declared on the other node type is checked
// there, so both ends are); the far node's label is only looked at for the
// accessors in exact.
func cardinalityColumns(n *schema.Node, exact map[relKey]bool) (with []string, cols []column) {
	for i, a := range n.Accessors() {
		if !checked(a) {
			continue
		}
		far := ""
		if tl := labelledTarget(a); tl != "" && exact[relKey{n.Name, a.Name()}] {
			far = ":" + ogm.Quote(tl)
		}
		d := fmt.Sprintf("d%d", i)
		with = append(with, "COUNT { (n)"+arrow(a)+"("+far+") } AS "+d)
		c := a.Cardinality()
		if c == ogm.ZeroOrOne || c == ogm.One {
			cols = append(cols, column{check: CheckTooMany, subject: a.Name(), cond: d + " > 1"})
		}
		if c == ogm.One || c == ogm.OneOrMore {
			cols = append(cols, column{check: CheckMissing, subject: a.Name(), cond: d + " = 0"})
		}
	}
	return with, cols
}

// constraints holds the node uniqueness constraints (and node keys) of
// the database, by label and sorted property names.
type constraints map[string]bool

func constraintKey(label string, props []string) string {
	props = slices.Clone(props)
	slices.Sort(props)
	return label + "\x00" + strings.Join(props, "\x00")
}

// loadConstraints reads the uniqueness constraints: a property set one
// covers cannot hold duplicates, so its scan is skipped.
func loadConstraints(ctx context.Context, db *ogm.DB) (constraints, error) {
	res, err := db.Cypher(ctx, "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties RETURN type, entityType, labelsOrTypes, properties", nil)
	if err != nil {
		return nil, err
	}
	out := constraints{}
	for _, row := range res.Rows {
		typ, _ := row[0].(string)
		if row[1] != "NODE" || (typ != "UNIQUENESS" && typ != "NODE_KEY") {
			continue
		}
		labels, props := names(row[2]), names(row[3])
		if len(labels) == 1 {
			out[constraintKey(labels[0], props)] = true
		}
	}
	return out, nil
}

// names are the strings of a list value.
func names(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// checkRelModels checks the properties of the relationships of every
// declared relationship with a model (required, type, choices, bounds,
// lengths, patterns), one aggregate query each. A relationship type the
// schema declares only once is read by a type scan (every relationship of
// the type); one declared more than once is matched between the owner's
// and the target's labels, in the declared direction.
func checkRelModels(ctx context.Context, db *ogm.DB, nodes []*schema.Node, r *Report) error {
	// A relationship declared on an abstract type is checked from each
	// node type inheriting it (matched by that type's label), or once by a
	// type scan.
	type use struct {
		owner *schema.Node
		rel   *schema.Relationship
	}
	declared := map[*schema.Relationship]bool{}
	uses := map[string]int{}
	var rels []use
	for _, n := range nodes {
		for _, rel := range n.AllRelationships() {
			if !declared[rel] {
				declared[rel] = true
				uses[rel.Type]++
			}
			if rel.Model != nil {
				rels = append(rels, use{n, rel})
			}
		}
	}
	scanned := map[*schema.Relationship]bool{}
	for _, u := range rels {
		rel, owner := u.rel, u.owner
		if uses[rel.Type] == 1 {
			if scanned[rel] {
				continue
			}
			scanned[rel] = true
		}
		ps := params{}
		var cols []column
		for _, p := range rel.Model.Properties {
			cols = append(cols, propertyColumns("r", p, ps)...)
		}
		if len(cols) == 0 {
			continue
		}
		pattern := "()-[r:" + ogm.Quote(rel.Type) + "]->()"
		if uses[rel.Type] > 1 {
			a := schema.Accessor{Owner: owner, Rel: rel}
			far := ""
			if tl := labelledTarget(a); tl != "" {
				far = ":" + ogm.Quote(tl)
			}
			t := "[r:" + ogm.Quote(rel.Type) + "]"
			switch rel.Direction {
			case ogm.In:
				pattern = "(:" + ogm.Quote(owner.DBLabel()) + ")<-" + t + "-(" + far + ")"
			case ogm.Both:
				pattern = "(:" + ogm.Quote(owner.DBLabel()) + ")-" + t + "-(" + far + ")"
			default:
				pattern = "(:" + ogm.Quote(owner.DBLabel()) + ")-" + t + "->(" + far + ")"
			}
		}
		var b strings.Builder
		b.WriteString("MATCH " + pattern + " RETURN count(r)")
		for _, c := range cols {
			b.WriteString(", count(CASE WHEN " + c.cond + " THEN 1 END)")
		}
		res, err := db.Cypher(ctx, b.String(), ps)
		if err != nil {
			return fmt.Errorf("check %s.%s: %w", owner.Name, rel.Name, err)
		}
		for i, c := range cols {
			if v := res.Rows[0][i+1].(int64); v > 0 {
				r.Findings = append(r.Findings, Finding{Type: rel.Model.Name, Check: c.check, Subject: c.subject, Count: v, Detail: c.detail})
			}
		}
	}
	return nil
}
