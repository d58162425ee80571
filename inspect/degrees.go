package inspect

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/gonode/gonode/ogm"
)

// pairKey identifies one relationship: source node type, type, target node
// type.
type pairKey struct {
	source, typ, target string
}

// relPlan is where the relationships of one type go.
type relPlan struct {
	typ     string
	sources []*class // node types the relationship is given on
	targets []*class // one per tree of node types reached
	split   bool     // several targets: degrees are measured per target
	foreign []string // end labels that are no inspected node type
}

// planRelationships decides, from the count store, on which node types each
// relationship type is given and which node types it reaches.
func (in *inspector) planRelationships(set *classSet) []*relPlan {
	var plans []*relPlan
	for _, t := range in.counts.types {
		if in.counts.relCount[t] == 0 {
			continue
		}
		out := func(c *class) int64 { return in.counts.out[[2]string{c.label, t}] }
		inc := func(c *class) int64 { return in.counts.in[[2]string{t, c.label}] }
		direct := func(c *class, f func(*class) int64) int64 {
			n := f(c)
			for _, ch := range c.children {
				n -= f(ch)
			}
			return max(n, 0)
		}
		p := &relPlan{typ: t}
		for _, c := range set.list {
			if direct(c, out) == 0 {
				continue
			}
			covered := false
			for a := c.parent; a != nil; a = a.parent {
				if direct(a, out) > 0 {
					covered = true
					break
				}
			}
			if !covered {
				p.sources = append(p.sources, c)
			}
		}
		// A source whose own nodes have none of them, but whose subtypes
		// do, is found through those subtypes above; a type with sources
		// whose counts all cancel out (overlapping subtypes) falls back to
		// the node types that have any.
		if len(p.sources) == 0 {
			for _, c := range set.list {
				if out(c) > 0 && (c.parent == nil || out(c.parent) == 0) {
					p.sources = append(p.sources, c)
				}
			}
		}
		if len(p.sources) == 0 {
			continue
		}
		for _, root := range set.list {
			if root.parent != nil || inc(root) == 0 {
				continue
			}
			var ends []*class
			for _, c := range root.subtree() {
				if direct(c, inc) > 0 {
					ends = append(ends, c)
				}
			}
			p.targets = append(p.targets, lca(root, ends))
		}
		// End labels that no inspected node carries (with a label filter).
		for _, l := range in.counts.labels {
			if in.counts.in[[2]string{t, l}] > 0 && set.byLabel[l] == nil && !set.seen[l] {
				p.foreign = append(p.foreign, l)
			}
		}
		p.split = len(p.targets) > 1 || (len(p.foreign) > 0 && len(p.targets) > 0)
		plans = append(plans, p)
	}
	return plans
}

// lca is the nearest common ancestor of cs within the tree of root (root
// when cs is empty).
func lca(root *class, cs []*class) *class {
	if len(cs) == 0 {
		return root
	}
	cur := cs[0]
	for _, c := range cs[1:] {
		for cur != nil && !cur.isAncestorOf(c) {
			cur = cur.parent
		}
		if cur == nil {
			return root
		}
	}
	return cur
}

// measure finds the relationships between node types and, unless
// NoRelCardinality, their degrees: per source node type one query that
// reads each node's degrees (from the degree store when the relationship
// type leads to one node type only).
func (in *inspector) measure(ctx context.Context, set *classSet) (map[pairKey]*Relationship, error) {
	plans := in.planRelationships(set)
	sources, bySource := in.degreeItems(plans)
	out := map[pairKey]*Relationship{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	// Each query reads every node of its source type: two at a time, beside
	// the property scans that run meanwhile.
	g.SetLimit(2)
	for _, s := range sources {
		items := bySource[s]
		g.Go(func() error {
			query := in.measureDegrees
			if in.opts.NoRelCardinality {
				query = in.checkExistence
			}
			found, err := query(gctx, s, items)
			if err != nil {
				return err
			}
			mu.Lock()
			for _, r := range found {
				out[r.key] = r.rel
			}
			mu.Unlock()
			if !in.opts.NoRelCardinality {
				in.progress("measured the relationships of %s", s.label)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// With NoRelCardinality, a type leading to one node type needs no check.
	if in.opts.NoRelCardinality {
		for _, p := range plans {
			if p.split {
				continue
			}
			for _, s := range p.sources {
				for _, tg := range p.targets {
					k := pairKey{s.label, p.typ, tg.label}
					out[k] = &Relationship{Type: p.typ, Target: tg.label}
				}
			}
		}
	}
	return out, nil
}

// degreeItem is one relationship that a query on its source node type
// looks for.
type degreeItem struct {
	key     pairKey
	pattern string // the COUNT { } pattern from a
}

// foundRel is a relationship a query found.
type foundRel struct {
	key pairKey
	rel *Relationship
}

// degreeItems groups the relationships to query by source node type, the
// sources in the order they first appear, and notes on the sources where
// their relationships lead to nodes no node type describes.
func (in *inspector) degreeItems(plans []*relPlan) ([]*class, map[*class][]degreeItem) {
	bySource := map[*class][]degreeItem{}
	var sources []*class
	for _, p := range plans {
		// With NoRelCardinality, a type leading to one node type needs no
		// query: measure records its relationships after the queries.
		queried := !in.opts.NoRelCardinality || p.split
		for _, s := range p.sources {
			if queried {
				for _, tg := range p.targets {
					pat := "(a)-[:" + ogm.Quote(p.typ) + "]->()"
					if p.split {
						pat = "(a)-[:" + ogm.Quote(p.typ) + "]->(:" + ogm.Quote(tg.label) + ")"
					}
					if _, ok := bySource[s]; !ok {
						sources = append(sources, s)
					}
					bySource[s] = append(bySource[s], degreeItem{pairKey{s.label, p.typ, tg.label}, pat})
				}
			}
			for _, f := range p.foreign {
				s.notes = append(s.notes, fmt.Sprintf("relationships %q also lead to nodes labelled %q, which were not inspected", p.typ, f))
			}
			if len(p.targets) == 0 && len(p.foreign) == 0 {
				s.notes = append(s.notes, fmt.Sprintf("relationships %q lead to nodes without labels, which no node type describes", p.typ))
			}
		}
	}
	return sources, bySource
}

// checkExistence finds which of the items some node of s has, without
// degrees (NoRelCardinality; items hold only types leading to several node
// types): one row, each check stopping at the first match.
func (in *inspector) checkExistence(ctx context.Context, s *class, items []degreeItem) ([]foundRel, error) {
	var checks []string
	for i, it := range items {
		checks = append(checks, fmt.Sprintf("EXISTS { MATCH %s } AS e%d", strings.Replace(it.pattern, "(a)", "(:"+ogm.Quote(s.label)+")", 1), i))
	}
	rows, err := in.rows(ctx, "RETURN "+strings.Join(checks, ", "), nil)
	if err != nil {
		return nil, err
	}
	var out []foundRel
	for i, it := range items {
		if found, _ := rows[0][i].(bool); found {
			out = append(out, foundRel{it.key, &Relationship{Type: it.key.typ, Target: it.key.target}})
		}
	}
	return out, nil
}

// measureDegrees reads, over the nodes of s (or a sample of them), how
// many have each item's relationships and the most one of them has.
func (in *inspector) measureDegrees(ctx context.Context, s *class, items []degreeItem) ([]foundRel, error) {
	var q strings.Builder
	q.WriteString("MATCH (a:" + ogm.Quote(s.label) + ") ")
	if in.opts.Sample > 0 {
		q.WriteString("WITH a LIMIT $sample ")
	}
	q.WriteString("WITH ")
	for i, it := range items {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "COUNT { %s } AS d%d", it.pattern, i)
	}
	q.WriteString(" RETURN count(*) AS n")
	for i := range items {
		fmt.Fprintf(&q, ", max(d%d), sum(sign(d%d))", i, i)
	}
	rows, err := in.rows(ctx, q.String(), in.params())
	if err != nil {
		return nil, err
	}
	r := rows[0]
	n, _ := r[0].(int64)
	var out []foundRel
	for i, it := range items {
		maxOut, _ := r[1+2*i].(int64)
		withAny, _ := r[2+2*i].(int64)
		if withAny == 0 {
			continue
		}
		out = append(out, foundRel{it.key, &Relationship{Type: it.key.typ, Target: it.key.target, Measured: true,
			Sources: n, WithAny: withAny, MaxOut: maxOut}})
	}
	return out, nil
}
