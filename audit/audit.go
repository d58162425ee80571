// Package audit checks the data of a live database against a schema
// (gonode check-database, issue #21): per node type, the nodes missing a
// required property, values that do not fit the declared type, choices,
// min, max, lengths and patterns broken, relationship cardinalities broken,
// duplicates that would block a declared unique constraint, and the labels
// and relationship types the schema does not know.
//
// It scales with the number of types, not of nodes: one pass per node
// type (one aggregate query for all its property and cardinality checks),
// one per unique property or combination that no uniqueness constraint
// covers, and count-store lookups (relationship ends, unknown labels and
// types). Every value of the schema (choices, bounds, patterns)
// is a parameter; labels, types and keys are quoted with ogm.Quote.
package audit

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// The checks a Finding reports.
const (
	CheckRequired     = "missing required"
	CheckType         = "wrong type"
	CheckChoices      = "not a choice"
	CheckMin          = "below min"
	CheckMax          = "above max"
	CheckMinLength    = "shorter than min_length"
	CheckMaxLength    = "longer than max_length"
	CheckPattern      = "pattern not matched"
	CheckTooMany      = "cardinality: too many"
	CheckMissing      = "cardinality: missing"
	CheckDuplicates   = "duplicates"
	CheckUnknownLabel = "unknown label"
	CheckUnknownType  = "unknown relationship type"
)

// Finding is one kind of violation and how many nodes (or relationships)
// show it.
type Finding struct {
	Type    string `json:"type"`    // node type; the label or relationship type for unknown ones
	Check   string `json:"check"`   // one of the Check constants
	Subject string `json:"subject"` // the property, relationship or combination
	Count   int64  `json:"count"`   // nodes (relationships, for unknown types) found
	Detail  string `json:"detail,omitempty"`
}

// Report is what Check found.
type Report struct {
	// Nodes counts the nodes of each node type checked.
	Nodes    map[string]int64 `json:"nodes"`
	Findings []Finding        `json:"findings"`
}

// Options changes what Check looks at.
type Options struct {
	// Progress, when set, receives a line per step ("checking Person (2/7)").
	Progress io.Writer
	// IgnoreUnknown, when set, tells which labels and relationship types
	// the schema does not declare are not to be reported (another
	// application's).
	IgnoreUnknown func(name string) bool
}

// Check audits the database behind db against s.
func Check(ctx context.Context, db *ogm.DB, s *schema.Schema, opts Options) (*Report, error) {
	r := &Report{Nodes: map[string]int64{}, Findings: []Finding{}}
	var nodes []*schema.Node
	labels, types := map[string]bool{}, map[string]bool{}
	for _, f := range s.Files {
		for _, n := range f.Nodes {
			for _, l := range n.LabelChain() {
				labels[l] = true
			}
			for _, rel := range n.Relationships {
				types[rel.Type] = true
			}
			if !n.Abstract {
				nodes = append(nodes, n)
			}
		}
	}
	cons, err := loadConstraints(ctx, db)
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		fmt.Fprintln(opts.Progress, "checking relationship ends")
	}
	exact, err := strayEnds(ctx, db, nodes)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "checking %s (%d/%d)\n", n.Name, i+1, len(nodes))
		}
		if err := checkNode(ctx, db, n, exact, cons, r); err != nil {
			return nil, fmt.Errorf("check %s: %w", n.Name, err)
		}
	}
	if opts.Progress != nil {
		fmt.Fprintln(opts.Progress, "checking relationship properties")
	}
	if err := checkRelModels(ctx, db, nodes, r); err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		fmt.Fprintln(opts.Progress, "checking labels and relationship types")
	}
	if err := checkUnknown(ctx, db, labels, types, opts.IgnoreUnknown, r); err != nil {
		return nil, err
	}
	return r, nil
}

// cypherType is the Cypher type (for IS ::) of values of kind k.
func cypherType(k schema.Kind) string {
	switch k {
	case schema.KindInt:
		return "INTEGER"
	case schema.KindFloat:
		return "FLOAT"
	case schema.KindBool:
		return "BOOLEAN"
	case schema.KindDate:
		return "DATE"
	case schema.KindDateTime:
		return "ZONED DATETIME"
	case schema.KindLocalDateTime:
		return "LOCAL DATETIME"
	case schema.KindDuration:
		return "DURATION"
	case schema.KindPoint, schema.KindPoint3D:
		return "POINT"
	}
	return "STRING" // string, email, uid, json
}

// typeOf is the Cypher type of p's values.
func typeOf(p *schema.Property) string {
	if p.Type.Array {
		return "LIST<" + cypherType(p.Type.Kind) + " NOT NULL>"
	}
	return cypherType(p.Type.Kind)
}

// params numbers the parameters of one query.
type params map[string]any

func (ps params) add(v any) string {
	name := fmt.Sprintf("p%d", len(ps))
	ps[name] = v
	return "$" + name
}

// column is one count of the property query: a check of a property.
type column struct {
	check, subject, detail, cond string
}

// propertyColumns are the checks of p on the node or relationship in the
// variable v.
func propertyColumns(v string, p *schema.Property, ps params) []column {
	k := v + "." + ogm.Quote(p.DBName)
	t := typeOf(p)
	var out []column
	add := func(check, detail, cond string) {
		out = append(out, column{check: check, subject: p.Name, detail: detail, cond: cond})
	}
	// each holds when f holds for the value (each element of an array)
	// of the right type.
	each := func(f func(x string) string) string {
		if p.Type.Array {
			return k + " IS :: " + t + " AND any(x IN " + k + " WHERE " + f("x") + ")"
		}
		return k + " IS :: " + t + " AND " + f(k)
	}
	if p.Required {
		add(CheckRequired, "", k+" IS NULL")
	}
	add(CheckType, "declared "+p.Type.String(), k+" IS NOT NULL AND NOT "+k+" IS :: "+t)
	if len(p.Choices) > 0 {
		vals := make([]any, len(p.Choices))
		for i, c := range p.Choices {
			vals[i] = c.Value
		}
		c := ps.add(vals)
		add(CheckChoices, "", each(func(x string) string { return "NOT " + x + " IN " + c }))
	}
	if p.Min != nil {
		m := ps.add(*p.Min)
		add(CheckMin, fmt.Sprintf("min %v", *p.Min), each(func(x string) string { return x + " < " + m }))
	}
	if p.Max != nil {
		m := ps.add(*p.Max)
		add(CheckMax, fmt.Sprintf("max %v", *p.Max), each(func(x string) string { return x + " > " + m }))
	}
	if p.MinLength != nil {
		m := ps.add(int64(*p.MinLength))
		add(CheckMinLength, fmt.Sprintf("min_length %d", *p.MinLength), each(func(x string) string { return "size(" + x + ") < " + m }))
	}
	if p.MaxLength != nil {
		m := ps.add(int64(*p.MaxLength))
		add(CheckMaxLength, fmt.Sprintf("max_length %d", *p.MaxLength), each(func(x string) string { return "size(" + x + ") > " + m }))
	}
	if p.Pattern != "" {
		// Validate matches anywhere in the value (Go's MatchString); the
		// server's =~ matches the whole value.
		m := ps.add("(?s).*(?:" + p.Pattern + ").*")
		add(CheckPattern, p.Pattern, each(func(x string) string { return "NOT " + x + " =~ " + m }))
	}
	return out
}

// checkNode runs the checks of node type n in one pass over its nodes:
// every property check and every relationship cardinality in a single
// aggregate query, then the unique checks no constraint covers.
func checkNode(ctx context.Context, db *ogm.DB, n *schema.Node, exact map[relKey]bool, cons constraints, r *Report) error {
	label := "(n:" + ogm.Quote(n.DBLabel()) + ")"
	ps := params{}
	var cols []column
	for _, p := range n.AllProperties() {
		cols = append(cols, propertyColumns("n", p, ps)...)
	}
	with, limits := cardinalityColumns(n, exact)
	cols = append(cols, limits...)
	var b strings.Builder
	b.WriteString("MATCH " + label)
	if len(with) > 0 {
		b.WriteString(" WITH n, " + strings.Join(with, ", "))
	}
	b.WriteString(" RETURN count(n)")
	for _, c := range cols {
		b.WriteString(", count(CASE WHEN " + c.cond + " THEN 1 END)")
	}
	res, err := db.Cypher(ctx, b.String(), ps)
	if err != nil {
		return err
	}
	row := res.Rows[0]
	r.Nodes[n.Name] = row[0].(int64)
	for i, c := range cols {
		if v := row[i+1].(int64); v > 0 {
			r.Findings = append(r.Findings, Finding{Type: n.Name, Check: c.check, Subject: c.subject, Count: v, Detail: c.detail})
		}
	}
	return checkUnique(ctx, db, n, label, cons, r)
}

// checkUnique counts the nodes of n sharing a value (or a combination of
// values) that a unique constraint would refuse.
// A set a uniqueness constraint of the database covers is not scanned:
// the server already refuses its duplicates.
func checkUnique(ctx context.Context, db *ogm.DB, n *schema.Node, label string, cons constraints, r *Report) error {
	byName := map[string]*schema.Property{}
	var sets [][]*schema.Property
	for _, p := range n.AllProperties() {
		byName[p.Name] = p
		if p.Unique || p.Type.Kind == schema.KindUID {
			sets = append(sets, []*schema.Property{p})
		}
	}
	for _, u := range n.UniqueTogether {
		var set []*schema.Property
		for _, name := range u.Properties {
			if p := byName[name]; p != nil {
				set = append(set, p)
			}
		}
		sets = append(sets, set)
	}
	for _, set := range sets {
		var keys, notNull, names, stored []string
		for _, p := range set {
			stored = append(stored, p.DBName)
			k := "n." + ogm.Quote(p.DBName)
			keys = append(keys, k)
			notNull = append(notNull, k+" IS NOT NULL")
			names = append(names, p.Name)
		}
		if len(set) == 0 || cons[constraintKey(n.DBLabel(), stored)] {
			continue
		}
		q := "MATCH " + label + " WHERE " + strings.Join(notNull, " AND ") +
			" WITH [" + strings.Join(keys, ", ") + "] AS v, count(*) AS c WHERE c > 1 RETURN count(v), sum(c)"
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			return err
		}
		if values := res.Rows[0][0].(int64); values > 0 {
			nodes, _ := res.Rows[0][1].(int64)
			r.Findings = append(r.Findings, Finding{Type: n.Name, Check: CheckDuplicates, Subject: strings.Join(names, ", "), Count: nodes,
				Detail: fmt.Sprintf("%d values shared", values)})
		}
	}
	return nil
}

// checkUnknown reports the labels and relationship types in use that the
// schema does not declare, with their counts (from the count store).
func checkUnknown(ctx context.Context, db *ogm.DB, labels, types map[string]bool, ignore func(string) bool, r *Report) error {
	for _, step := range []struct {
		list, count, check string
		known              map[string]bool
	}{
		{"CALL db.labels() YIELD label RETURN label", "MATCH (n:%s) RETURN count(n)", CheckUnknownLabel, labels},
		{"CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", "MATCH ()-[r:%s]->() RETURN count(r)", CheckUnknownType, types},
	} {
		res, err := db.Cypher(ctx, step.list, nil)
		if err != nil {
			return err
		}
		var names []string
		for _, row := range res.Rows {
			name := row[0].(string)
			if !step.known[name] && (ignore == nil || !ignore(name)) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			c, err := db.Cypher(ctx, fmt.Sprintf(step.count, ogm.Quote(name)), nil)
			if err != nil {
				return err
			}
			if v := c.Rows[0][0].(int64); v > 0 {
				r.Findings = append(r.Findings, Finding{Type: name, Check: step.check, Subject: "-", Count: v})
			}
		}
	}
	return nil
}

// Table writes the report as a summary table: one line per finding, then
// the totals.
func (r *Report) Table(w io.Writer) {
	types := make([]string, 0, len(r.Nodes))
	for t := range r.Nodes {
		types = append(types, t)
	}
	slices.Sort(types)
	if len(r.Findings) == 0 {
		fmt.Fprintf(w, "no violations: %d node types checked\n", len(types))
		return
	}
	width := [3]int{len("TYPE"), len("CHECK"), len("SUBJECT")}
	for _, f := range r.Findings {
		width[0] = max(width[0], len(f.Type))
		width[1] = max(width[1], len(f.Check))
		width[2] = max(width[2], len(f.Subject))
	}
	line := func(a, b, c, d, e string) {
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("%-*s  %-*s  %-*s  %8s  %s", width[0], a, width[1], b, width[2], c, d, e), " "))
	}
	line("TYPE", "CHECK", "SUBJECT", "COUNT", "DETAIL")
	var total int64
	for _, f := range r.Findings {
		line(f.Type, f.Check, f.Subject, fmt.Sprint(f.Count), f.Detail)
		total += f.Count
	}
	fmt.Fprintf(w, "%d findings (%d nodes or relationships) in %d node types checked\n", len(r.Findings), total, len(types))
}
