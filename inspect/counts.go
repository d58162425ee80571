package inspect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// graphCounts is the count store: nodes per label, relationships per type
// and per (start label, type) and (type, end label).
type graphCounts struct {
	labels     []string // in token order
	labelCount map[string]int64
	types      []string // in token order
	relCount   map[string]int64
	out        map[[2]string]int64 // (start label, type)
	in         map[[2]string]int64 // (type, end label)
	nodes      int64
	rels       int64
}

// graphCounts reads the count store: db.stats.retrieve('GRAPH COUNTS') gives
// it in one call; without the right to call it, count-store queries give
// the same numbers.
func (in *inspector) graphCounts(ctx context.Context) (*graphCounts, error) {
	gc := &graphCounts{labelCount: map[string]int64{}, relCount: map[string]int64{}, out: map[[2]string]int64{}, in: map[[2]string]int64{}}
	rows, err := in.rows(ctx, "CALL db.labels() YIELD label RETURN label", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		gc.labels = append(gc.labels, r[0].(string))
	}
	rows, err = in.rows(ctx, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		gc.types = append(gc.types, r[0].(string))
	}
	rows, err = in.rows(ctx, "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data", nil)
	if err == nil && len(rows) == 1 {
		data, _ := rows[0][0].(map[string]any)
		gc.addStats(data)
		return gc, nil
	}
	if err != nil && !refused(err) {
		return nil, err // not a refusal of the procedure: a real failure
	}
	return gc, in.countQueries(ctx, gc)
}

// addStats reads the data column of db.stats.retrieve('GRAPH COUNTS'): a
// node entry without a label is the total, a relationship entry without
// type nor labels the total, one with a type and a start (or end) label
// the count from (or to) that label.
func (gc *graphCounts) addStats(data map[string]any) {
	for _, n := range asList(data["nodes"]) {
		m, _ := n.(map[string]any)
		c, _ := m["count"].(int64)
		if l, ok := m["label"].(string); ok {
			gc.labelCount[l] = c
		} else {
			gc.nodes = c
		}
	}
	for _, n := range asList(data["relationships"]) {
		m, _ := n.(map[string]any)
		c, _ := m["count"].(int64)
		t, hasType := m["relationshipType"].(string)
		start, hasStart := m["startLabel"].(string)
		end, hasEnd := m["endLabel"].(string)
		switch {
		case !hasType && !hasStart && !hasEnd:
			gc.rels = c
		case hasType && hasStart:
			gc.out[[2]string{start, t}] = c
		case hasType && hasEnd:
			gc.in[[2]string{t, end}] = c
		case hasType:
			gc.relCount[t] = c
		}
	}
}

// countQueries fills gc with count-store queries (count(*) over a pattern
// with one label or one type, or a type and one end label), 200 to a query
// with UNION ALL. Each branch returns what it counts as (a, b):
// ("", "") all nodes, ("", "*") all relationships, (label, "") a label,
// ("", type) a type, (label, ">type") and (label, "<type") from and to a
// label.
func (in *inspector) countQueries(ctx context.Context, gc *graphCounts) error {
	var parts []string
	params := map[string]any{}
	add := func(q string, a, b string) {
		i := len(parts)
		params[fmt.Sprintf("a%d", i)] = a
		params[fmt.Sprintf("b%d", i)] = b
		parts = append(parts, fmt.Sprintf("%s RETURN $a%d AS a, $b%d AS b, count(*) AS c", q, i, i))
	}
	add("MATCH (n)", "", "")
	add("MATCH ()-[r]->()", "", "*")
	for _, l := range gc.labels {
		add("MATCH (n:"+ogm.Quote(l)+")", l, "")
	}
	for _, t := range gc.types {
		add("MATCH ()-[r:"+ogm.Quote(t)+"]->()", "", t)
		for _, l := range gc.labels {
			add("MATCH (:"+ogm.Quote(l)+")-[r:"+ogm.Quote(t)+"]->()", l, ">"+t)
			add("MATCH ()-[r:"+ogm.Quote(t)+"]->(:"+ogm.Quote(l)+")", l, "<"+t)
		}
	}
	for len(parts) > 0 {
		n := min(len(parts), 200)
		rows, err := in.rows(ctx, strings.Join(parts[:n], " UNION ALL "), params)
		if err != nil {
			return err
		}
		parts = parts[n:]
		for _, r := range rows {
			a, b, c := r[0].(string), r[1].(string), r[2].(int64)
			switch {
			case a == "" && b == "":
				gc.nodes = c
			case b == "*":
				gc.rels = c
			case b == "":
				gc.labelCount[a] = c
			case a == "":
				gc.relCount[b] = c
			case b[0] == '>':
				gc.out[[2]string{a, b[1:]}] = c
			default:
				gc.in[[2]string{b[1:], a}] = c
			}
		}
	}
	return nil
}

// refused reports whether err is the server refusing a query (a procedure
// that does not exist or that the user may not call), rather than a
// failure to reach it.
func refused(err error) bool {
	var e *ogm.Error
	return err != nil && errors.As(err, &e) && (e.Kind == ogm.ErrQuery || e.Kind == ogm.ErrDatabase)
}

// asList is v as a list, or nil: the driver gives lists as []any.
func asList(v any) []any { l, _ := v.([]any); return l }

// asStrings are the strings of the list v, skipping anything else.
func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
