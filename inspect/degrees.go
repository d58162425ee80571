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
	type item struct {
		key     pairKey
		pattern string // the COUNT { } pattern from a
	}
	bySource := map[*class][]item{}
	var sources []*class
	for _, p := range plans {
		// With NoRelCardinality, a type leading to one node type needs no
		// query: the loop after the queries records its relationships.
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
					bySource[s] = append(bySource[s], item{pairKey{s.label, p.typ, tg.label}, pat})
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
	out := map[pairKey]*Relationship{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	// Each query reads every node of its source type: two at a time, beside
	// the property scans that run meanwhile.
	g.SetLimit(2)
	for _, s := range sources {
		items := bySource[s]
		g.Go(func() error {
			if in.opts.NoRelCardinality {
				// Existence only (items hold only types leading to several
				// node types): one row, stopping at the first match.
				var checks []string
				for i, it := range items {
					checks = append(checks, fmt.Sprintf("EXISTS { MATCH %s } AS e%d", strings.Replace(it.pattern, "(a)", "(:"+ogm.Quote(s.label)+")", 1), i))
				}
				rows, err := in.rows(gctx, "RETURN "+strings.Join(checks, ", "), nil)
				if err != nil {
					return err
				}
				mu.Lock()
				for i, it := range items {
					if found, _ := rows[0][i].(bool); found {
						out[it.key] = &Relationship{Type: it.key.typ, Target: it.key.target}
					}
				}
				mu.Unlock()
				return nil
			}
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
			rows, err := in.rows(gctx, q.String(), in.params())
			if err != nil {
				return err
			}
			r := rows[0]
			n, _ := r[0].(int64)
			mu.Lock()
			for i, it := range items {
				maxOut, _ := r[1+2*i].(int64)
				withAny, _ := r[2+2*i].(int64)
				if withAny == 0 {
					continue
				}
				out[it.key] = &Relationship{Type: it.key.typ, Target: it.key.target, Measured: true,
					Sources: n, WithAny: withAny, MaxOut: maxOut}
			}
			mu.Unlock()
			in.progress("measured the relationships of %s", s.label)
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
