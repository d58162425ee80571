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
	members  []string // every selected label of the class, by token order
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

// isAncestorOf reports whether a is c or one of c's ancestors.
func (a *class) isAncestorOf(c *class) bool {
	for x := c; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}

// depth is the number of c's ancestors.
func (c *class) depth() int {
	d := 0
	for x := c.parent; x != nil; x = x.parent {
		d++
	}
	return d
}

// buildClasses groups the selected labels into node types and finds which
// extends which, from the label combinations. Each step reads what the
// ones before it set, in set.list's order (the token order of the labels
// the node types were found from), so that the choices and notes come out
// the same on every run; the list is sorted by label at the end.
func (in *inspector) buildClasses(cs *comboSet, indexes []Index) *classSet {
	b := newClassBuilder(in, cs)
	b.group(labelsWithSchema(indexes))
	b.findParents()
	b.breakCycles()
	for _, c := range b.set.list {
		if c.parent != nil {
			c.parent.children = append(c.parent.children, c)
		}
	}
	b.noteUnrelatedLabels()
	b.setExtraLabels()
	for _, cb := range cs.list {
		b.placeCombo(cb)
	}
	sort.Slice(b.set.list, func(i, j int) bool { return b.set.list[i].label < b.set.list[j].label })
	return b.set
}

// labelsWithSchema are the labels that a constraint or an index of nodes
// is on.
func labelsWithSchema(indexes []Index) map[string]bool {
	has := map[string]bool{}
	for _, ix := range indexes {
		if !ix.Rel {
			for _, l := range ix.LabelsOrTypes {
				has[l] = true
			}
		}
	}
	return has
}

// classBuilder is the state of one buildClasses: which labels occur
// together, and the node types found so far.
type classBuilder struct {
	in     *inspector
	order  map[string]int            // label → token order
	occurs map[string]int            // label → combinations with it
	co     map[string]map[string]int // label → label → combinations with both
	all    []string                  // every label of the inspected nodes, by token order
	set    *classSet
}

// newClassBuilder counts, over the label combinations, which labels occur
// together.
func newClassBuilder(in *inspector, cs *comboSet) *classBuilder {
	b := &classBuilder{in: in, order: map[string]int{}, occurs: map[string]int{}, co: map[string]map[string]int{},
		set: &classSet{byLabel: map[string]*class{}, direct: map[string]*class{}, combos: cs, seen: map[string]bool{}}}
	for i, l := range in.counts.labels {
		b.order[l] = i
	}
	for _, c := range cs.list {
		for _, l := range c.labels {
			b.occurs[l]++
			if b.co[l] == nil {
				b.co[l] = map[string]int{}
			}
			for _, m := range c.labels {
				b.co[l][m]++
			}
		}
	}
	for l := range b.occurs {
		b.all = append(b.all, l)
		b.set.seen[l] = true
	}
	sort.Slice(b.all, func(i, j int) bool { return labelLess(b.order, b.all[i], b.all[j]) })
	return b
}

// implies reports whether every node with label l (in the combinations
// read) also has label m.
func (b *classBuilder) implies(l, m string) bool {
	return b.occurs[l] > 0 && b.co[l][m] == b.occurs[l]
}

// group makes the node types: each is the selected labels that imply each
// other and have as many nodes, named by pickName.
func (b *classBuilder) group(hasSchema map[string]bool) {
	in, set := b.in, b.set
	for _, l := range b.all {
		if !in.selected[l] || set.byLabel[l] != nil {
			continue
		}
		c := &class{}
		for _, m := range b.all {
			if in.selected[m] && b.implies(l, m) && b.implies(m, l) && in.counts.labelCount[l] == in.counts.labelCount[m] {
				c.members = append(c.members, m)
				set.byLabel[m] = c
			}
		}
		c.label = pickName(c.members, b.order, hasSchema)
		c.count = in.counts.labelCount[c.label]
		c.order = b.order[c.label]
		set.list = append(set.list, c)
	}
}

// findParents gives each node type the nearest strict superset among the
// node types as its parent.
func (b *classBuilder) findParents() {
	for _, c := range b.set.list {
		var cands []*class
		for _, d := range b.set.list {
			if d != c && b.implies(c.label, d.label) && (!b.implies(d.label, c.label) || d.count > c.count) {
				cands = append(cands, d)
			}
		}
		if len(cands) > 0 {
			c.parent = b.nearest(cands)
		}
	}
}

// nearest is the candidate parent whose label every other candidate's
// label comes with: the bottom of the chain they form.
func (b *classBuilder) nearest(cands []*class) *class {
	for _, d := range cands {
		ok := true
		for _, e := range cands {
			if e != d && !b.implies(d.label, e.label) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	// Not a chain: every node has the labels of node types that do not
	// extend each other. Take the smallest.
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].count != cands[j].count {
			return cands[i].count < cands[j].count
		}
		return cands[i].order < cands[j].order
	})
	return cands[0]
}

// breakCycles drops the parent of a node type that is its own ancestor
// (counts and combinations disagreeing under sampling).
func (b *classBuilder) breakCycles() {
	for _, c := range b.set.list {
		seen := map[*class]bool{c: true}
		for p := c.parent; p != nil; p = p.parent {
			if seen[p] {
				c.parent = nil
				break
			}
			seen[p] = true
		}
	}
}

// noteUnrelatedLabels notes, on a node type, the labels of node types
// outside its chain of parents that every one of its nodes has.
func (b *classBuilder) noteUnrelatedLabels() {
	for _, c := range b.set.list {
		var also []string
		for _, d := range b.set.list {
			if d != c && b.implies(c.label, d.label) && !d.isAncestorOf(c) {
				also = append(also, d.label)
			}
		}
		if len(also) > 0 {
			c.notes = append(c.notes, fmt.Sprintf("every node also has the label(s) %s of node types it cannot extend (a node type extends one other)", quoteList(also)))
		}
	}
}

// setExtraLabels gives each node type its extra labels: the other members,
// and the labels that were not selected that every node has and the
// parent's nodes do not all have.
func (b *classBuilder) setExtraLabels() {
	for _, c := range b.set.list {
		for _, m := range c.members {
			if m != c.label {
				c.extra = append(c.extra, m)
			}
		}
		for _, f := range b.all {
			if b.in.selected[f] || !b.implies(c.label, f) {
				continue
			}
			if c.parent != nil && b.implies(c.parent.label, f) {
				continue
			}
			c.extra = append(c.extra, f)
		}
		sort.Strings(c.extra)
	}
}

// placeCombo finds the most specific node type of a label combination,
// whose own nodes its nodes are, and notes the labels of its nodes that
// neither that type nor its parents account for.
func (b *classBuilder) placeCombo(cb *combo) {
	var types []*class
	for _, l := range cb.labels {
		if c := b.set.byLabel[l]; c != nil && !slices.Contains(types, c) {
			types = append(types, c)
		}
	}
	if len(types) == 0 {
		return
	}
	best := deepest(types)
	if best == nil {
		best = deepestUnrelated(types, cb.count)
	}
	b.set.direct[cb.key] = best
	best.combos = append(best.combos, cb)
	// Foreign labels on some nodes only.
	var some []string
	for _, l := range cb.labels {
		if !b.in.selected[l] && !slices.Contains(best.extra, l) && !inChainExtra(best, l) {
			some = append(some, l)
		}
	}
	if len(some) > 0 {
		best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s, which were not inspected", cb.count, quoteList(some)))
	}
}

// deepest is the node type of types that extends all the others, or nil
// when they are not one chain.
func deepest(types []*class) *class {
	for _, c := range types {
		all := true
		for _, d := range types {
			if !d.isAncestorOf(c) {
				all = false
				break
			}
		}
		if all {
			return c
		}
	}
	return nil
}

// deepestUnrelated picks, among node types that are not one chain, the
// deepest (then the smallest) one, and notes on it the n nodes that also
// have the labels of the others.
func deepestUnrelated(types []*class, n int64) *class {
	sort.Slice(types, func(i, j int) bool {
		if di, dj := types[i].depth(), types[j].depth(); di != dj {
			return di > dj
		}
		if types[i].count != types[j].count {
			return types[i].count < types[j].count
		}
		return types[i].order < types[j].order
	})
	best := types[0]
	var others []string
	for _, d := range types[1:] {
		if !d.isAncestorOf(best) {
			others = append(others, d.label)
		}
	}
	best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s of unrelated node types", n, quoteList(others)))
	return best
}

// inChainExtra reports whether l is an extra label of c or of one of its
// ancestors: then every node of c has it, and it needs no note.
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

// labelLess orders labels by token order (the order the database created
// them in), then by name for labels the order does not know.
func labelLess(order map[string]int, a, b string) bool {
	oa, okA := order[a]
	ob, okB := order[b]
	if okA && okB && oa != ob {
		return oa < ob
	}
	return a < b
}

// quoteList is ls quoted and comma-separated, for notes.
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
