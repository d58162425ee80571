package inspect

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// class is a node type: an equivalence class of selected labels.
type class struct {
	label    string   // the label naming it
	members  []string // every selected label of the class, label first
	extra    []string // its labels other than label, and foreign labels it always has
	parent   *class
	children []*class
	count    int64
	order    int      // token order of label
	combos   []*combo // the combinations whose most specific type it is
	notes    []string
}

// classSet is the node types and how label combinations map to them.
type classSet struct {
	list    []*class // by label
	byLabel map[string]*class
	direct  map[string]*class // combo key → its most specific node type
	combos  *comboSet
	seen    map[string]bool // every label of the inspected nodes
}

// isAncestor reports whether a is c or one of c's ancestors.
func (a *class) isAncestorOf(c *class) bool {
	for x := c; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}

func (c *class) depth() int {
	d := 0
	for x := c.parent; x != nil; x = x.parent {
		d++
	}
	return d
}

// buildClasses groups the selected labels into node types and finds which
// extends which, from the label combinations.
func (in *inspector) buildClasses(cs *comboSet, indexes []Index) *classSet {
	hasSchema := map[string]bool{}
	for _, ix := range indexes {
		if !ix.Rel {
			for _, l := range ix.LabelsOrTypes {
				hasSchema[l] = true
			}
		}
	}
	order := map[string]int{}
	for i, l := range in.counts.labels {
		order[l] = i
	}
	// occurs[L]: combinations with L; co[L][M]: combinations with both.
	occurs := map[string]int{}
	co := map[string]map[string]int{}
	for _, c := range cs.list {
		if len(c.labels) == 0 {
			continue
		}
		for _, l := range c.labels {
			occurs[l]++
			if co[l] == nil {
				co[l] = map[string]int{}
			}
			for _, m := range c.labels {
				co[l][m]++
			}
		}
	}
	implies := func(l, m string) bool { return occurs[l] > 0 && co[l][m] == occurs[l] }
	all := make([]string, 0, len(occurs))
	for l := range occurs {
		all = append(all, l)
	}
	sort.Slice(all, func(i, j int) bool { return labelLess(order, all[i], all[j]) })

	set := &classSet{byLabel: map[string]*class{}, direct: map[string]*class{}, combos: cs, seen: map[string]bool{}}
	for _, l := range all {
		set.seen[l] = true
	}
	for _, l := range all {
		if !in.selected[l] || set.byLabel[l] != nil {
			continue
		}
		c := &class{}
		for _, m := range all {
			if in.selected[m] && implies(l, m) && implies(m, l) && in.counts.labelCount[l] == in.counts.labelCount[m] {
				c.members = append(c.members, m)
				set.byLabel[m] = c
			}
		}
		c.label = pickName(c.members, order, hasSchema)
		c.count = in.counts.labelCount[c.label]
		c.order = order[c.label]
		set.list = append(set.list, c)
	}
	// Parents: the nearest strict superset among the node types.
	for _, c := range set.list {
		var cands []*class
		for _, d := range set.list {
			if d != c && implies(c.label, d.label) && (!implies(d.label, c.label) || d.count > c.count) {
				cands = append(cands, d)
			}
		}
		if len(cands) == 0 {
			continue
		}
		var nearest *class
		for _, d := range cands {
			ok := true
			for _, e := range cands {
				if e != d && !implies(d.label, e.label) {
					ok = false
					break
				}
			}
			if ok {
				nearest = d
				break
			}
		}
		if nearest == nil {
			// Not a chain: every node has the labels of node types that
			// do not extend each other. Take the smallest.
			sort.Slice(cands, func(i, j int) bool {
				if cands[i].count != cands[j].count {
					return cands[i].count < cands[j].count
				}
				return cands[i].order < cands[j].order
			})
			nearest = cands[0]
		}
		c.parent = nearest
	}
	// Break any cycle (counts and combinations disagreeing under sampling).
	for _, c := range set.list {
		seen := map[*class]bool{c: true}
		for p := c.parent; p != nil; p = p.parent {
			if seen[p] {
				c.parent = nil
				break
			}
			seen[p] = true
		}
	}
	for _, c := range set.list {
		if c.parent != nil {
			c.parent.children = append(c.parent.children, c)
		}
	}
	// Labels of node types outside the chain that every node has.
	for _, c := range set.list {
		var also []string
		for _, d := range set.list {
			if d != c && implies(c.label, d.label) && !d.isAncestorOf(c) {
				also = append(also, d.label)
			}
		}
		if len(also) > 0 {
			c.notes = append(c.notes, fmt.Sprintf("every node also has the label(s) %s of node types it cannot extend (a node type extends one other)", quoteList(also)))
		}
	}
	// Extra labels: the other members, and foreign labels every node has
	// that the parent's nodes do not all have.
	for _, c := range set.list {
		for _, m := range c.members {
			if m != c.label {
				c.extra = append(c.extra, m)
			}
		}
		for _, f := range all {
			if in.selected[f] || !implies(c.label, f) {
				continue
			}
			if c.parent != nil && implies(c.parent.label, f) {
				continue
			}
			c.extra = append(c.extra, f)
		}
		sort.Strings(c.extra)
	}
	// The most specific node type of each combination.
	for _, cb := range cs.list {
		var in_ []*class
		for _, l := range cb.labels {
			if c := set.byLabel[l]; c != nil && !slices.Contains(in_, c) {
				in_ = append(in_, c)
			}
		}
		if len(in_) == 0 {
			continue
		}
		var best *class
		for _, c := range in_ {
			deepest := true
			for _, d := range in_ {
				if !d.isAncestorOf(c) {
					deepest = false
					break
				}
			}
			if deepest {
				best = c
				break
			}
		}
		if best == nil {
			sort.Slice(in_, func(i, j int) bool {
				if di, dj := in_[i].depth(), in_[j].depth(); di != dj {
					return di > dj
				}
				if in_[i].count != in_[j].count {
					return in_[i].count < in_[j].count
				}
				return in_[i].order < in_[j].order
			})
			best = in_[0]
			var others []string
			for _, d := range in_[1:] {
				if !d.isAncestorOf(best) {
					others = append(others, d.label)
				}
			}
			best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s of unrelated node types", cb.count, quoteList(others)))
		}
		set.direct[cb.key] = best
		best.combos = append(best.combos, cb)
		// Foreign labels on some nodes only.
		var some []string
		for _, l := range cb.labels {
			if !in.selected[l] && !slices.Contains(best.extra, l) && !inChainExtra(best, l) {
				some = append(some, l)
			}
		}
		if len(some) > 0 {
			best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s, which were not inspected", cb.count, quoteList(some)))
		}
	}
	sort.Slice(set.list, func(i, j int) bool { return set.list[i].label < set.list[j].label })
	return set
}

func inChainExtra(c *class, l string) bool {
	for x := c; x != nil; x = x.parent {
		if slices.Contains(x.extra, l) {
			return true
		}
	}
	return false
}

// pickName chooses the label that names a node type among labels that
// always occur together: one with a constraint or index if any
// (install-labels puts them on the type's own label), else the first one
// the database created (generated code writes the type's own label first).
func pickName(members []string, order map[string]int, hasSchema map[string]bool) string {
	best := members[0]
	for _, m := range members[1:] {
		if hasSchema[m] != hasSchema[best] {
			if hasSchema[m] {
				best = m
			}
			continue
		}
		if labelLess(order, m, best) {
			best = m
		}
	}
	return best
}

func labelLess(order map[string]int, a, b string) bool {
	oa, okA := order[a]
	ob, okB := order[b]
	if okA && okB && oa != ob {
		return oa < ob
	}
	return a < b
}

func quoteList(ls []string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = fmt.Sprintf("%q", l)
	}
	return strings.Join(q, ", ")
}

// subtree returns c and the node types that extend it, directly or not.
func (c *class) subtree() []*class {
	out := []*class{c}
	for i := 0; i < len(out); i++ {
		out = append(out, out[i].children...)
	}
	return out
}
