package inspect

import (
	"fmt"
	"sort"

	"github.com/gonode/gonode/ogm"
)

// assemble puts the findings together: the node counts, the properties on
// the node types that own them, the relationship types, the constraints and
// indexes onto the properties they concern, and the node types with their
// relationships. The constraints and indexes are placed before the node
// and relationship types are copied into the Schema, as placing them marks
// the properties (Unique, Index).
func (in *inspector) assemble(set *classSet, nodeProps map[string]map[string]*propStat, relProps map[string]*relPropStat,
	degrees map[pairKey]*Relationship, indexes []Index) *Schema {
	s := &Schema{Sample: max(in.opts.Sample, 0)}
	s.NodeCount, s.Unlabelled = in.nodeCounts(set)
	props := placeProperties(set, nodeProps)
	relTypes := in.relTypes(degrees, relProps)
	byName := map[string]*RelType{}
	for _, rt := range relTypes {
		byName[rt.Type] = rt
		s.RelCount += rt.Count
	}
	s.Indexes = concerning(indexes, set, byName)
	// Own properties first, then the constraints and indexes that repeat
	// an inherited property's on a node type that extends it: whether those
	// are placed depends on what the first pass put on the property.
	for _, inheritedPass := range []bool{false, true} {
		for i := range s.Indexes {
			placeIndex(&s.Indexes[i], set, props, byName, inheritedPass)
		}
	}
	for _, c := range set.list {
		s.Nodes = append(s.Nodes, nodeOf(c, props[c], degrees))
	}
	for _, rt := range relTypes {
		s.RelTypes = append(s.RelTypes, *rt)
	}
	sort.Slice(s.RelTypes, func(i, j int) bool { return s.RelTypes[i].Type < s.RelTypes[j].Type })
	if s.Unlabelled > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d node(s) have no label; no node type describes them", s.Unlabelled))
	}
	return s
}

// nodeCounts counts every selected node once. Without a filter the count
// store's total less the unlabelled; with one, the sum over the
// combinations (exact unless sampled; then an upper bound from counts).
// The unlabelled nodes are counted without a filter only: with one, no
// unlabelled node is selected.
func (in *inspector) nodeCounts(set *classSet) (nodes, unlabelled int64) {
	for _, cb := range set.combos.list {
		if len(cb.labels) == 0 && !in.filtered {
			unlabelled += cb.count
		}
	}
	switch {
	case !in.filtered:
		nodes = in.counts.nodes - unlabelled
	case in.opts.Sample > 0:
		for _, c := range set.list {
			if c.parent == nil {
				nodes += c.count
			}
		}
	default:
		for _, cb := range set.combos.list {
			nodes += cb.count
		}
	}
	return nodes, unlabelled
}

// placeProperties gives each property key to each node type whose own
// nodes have it, unless an ancestor already has it, with the value types
// seen on the type and the types that extend it, and Required when all
// their nodes have it. Each node type's properties are sorted by key.
func placeProperties(set *classSet, nodeProps map[string]map[string]*propStat) map[*class][]Property {
	keys := map[string]map[*class]bool{} // key → node types whose own nodes have it
	for _, cb := range set.combos.list {
		c := set.direct[cb.key]
		if c == nil {
			continue
		}
		for k := range nodeProps[cb.key] {
			if keys[k] == nil {
				keys[k] = map[*class]bool{}
			}
			keys[k][c] = true
		}
	}
	props := map[*class][]Property{}
	for k, classes := range keys {
		for c := range classes {
			if !hasAncestorIn(c, classes) {
				props[c] = append(props[c], propertyOf(c, k, nodeProps))
			}
		}
	}
	for _, c := range set.list {
		sort.Slice(props[c], func(i, j int) bool { return props[c][i].Key < props[c][j].Key })
	}
	return props
}

// hasAncestorIn reports whether one of c's ancestors (not c) is in classes.
func hasAncestorIn(c *class, classes map[*class]bool) bool {
	for a := c.parent; a != nil; a = a.parent {
		if classes[a] {
			return true
		}
	}
	return false
}

// propertyOf is the property key of node type c, over the combinations of c
// and of the types that extend it.
func propertyOf(c *class, key string, nodeProps map[string]map[string]*propStat) Property {
	p := Property{Key: key, Required: true}
	types := map[string]bool{}
	for _, d := range c.subtree() {
		for _, cb := range d.combos {
			st := nodeProps[cb.key][key]
			if st == nil {
				p.Required = false
				continue
			}
			if !st.mandatory {
				p.Required = false
			}
			p.EmptyString = p.EmptyString || st.empty
			for t := range st.types {
				types[t] = true
			}
		}
	}
	p.Types = sortedKeys(types)
	p.EmptyString = p.EmptyString && p.Required
	return p
}

// relTypes are the relationship types some found relationship has, in
// token order, with their properties sorted by key.
func (in *inspector) relTypes(degrees map[pairKey]*Relationship, relProps map[string]*relPropStat) []*RelType {
	used := map[string]bool{}
	for k := range degrees {
		used[k.typ] = true
	}
	var out []*RelType
	for _, t := range in.counts.types {
		if !used[t] {
			continue
		}
		rt := &RelType{Type: t, Count: in.counts.relCount[t]}
		if rs := relProps[t]; rs != nil {
			for k, st := range rs.props {
				rt.Properties = append(rt.Properties, Property{Key: k, Types: sortedKeys(st.types), Required: st.mandatory, EmptyString: st.empty})
			}
			sort.Slice(rt.Properties, func(i, j int) bool { return rt.Properties[i].Key < rt.Properties[j].Key })
		}
		out = append(out, rt)
	}
	return out
}

// concerning are the constraints and indexes on an inspected node type's
// label or on a relationship type found, in their order.
func concerning(indexes []Index, set *classSet, relTypes map[string]*RelType) []Index {
	var out []Index
	for _, ix := range indexes {
		for _, l := range ix.LabelsOrTypes {
			if (!ix.Rel && set.byLabel[l] != nil) || (ix.Rel && relTypes[l] != nil) {
				out = append(out, ix)
				break
			}
		}
	}
	return out
}

// indexKinds are the Index.Kinds that are indexes a property can show.
var indexKinds = map[string]ogm.IndexKind{"range": ogm.RangeIndex, "text": ogm.TextIndex, "fulltext": ogm.FulltextIndex, "point": PointIndex}

// placeIndex shows a single-property constraint or index on its property
// (Unique, Index) and marks it Placed. In the inherited pass it looks at
// those on a node type's label for a property the type inherits: they are
// Placed when the parent's property already shows the same (as
// install-labels creates them for inherited properties), and change no
// property.
func placeIndex(ix *Index, set *classSet, props map[*class][]Property, relTypes map[string]*RelType, inheritedPass bool) {
	if len(ix.LabelsOrTypes) != 1 || len(ix.Properties) != 1 {
		return
	}
	owner, key := ix.LabelsOrTypes[0], ix.Properties[0]
	var p *Property
	inherited := false
	if ix.Rel {
		if rt := relTypes[owner]; rt != nil {
			p = rt.Property(key)
		}
	} else if c := set.byLabel[owner]; c != nil && c.label == owner {
		var at *class
		p, at = declared(props, c, key)
		inherited = at != nil && at != c
	}
	if p == nil || inherited != inheritedPass {
		return
	}
	kind := indexKinds[ix.Kind]
	switch {
	case ix.Kind == "unique" || ix.Kind == "key":
		if inherited {
			ix.Placed = p.Unique
		} else {
			p.Unique, ix.Placed = true, true
		}
	case kind != ogm.NoIndex:
		if inherited {
			ix.Placed = p.Index == kind
		} else if p.Index == ogm.NoIndex {
			p.Index, ix.Placed = kind, true
		}
	case ix.Kind == "exists":
		ix.Placed = p.Required
	}
}

// declared finds the property key on c or the nearest ancestor that has
// it, and that node type.
func declared(props map[*class][]Property, c *class, key string) (*Property, *class) {
	for x := c; x != nil; x = x.parent {
		for i := range props[x] {
			if props[x][i].Key == key {
				return &props[x][i], x
			}
		}
	}
	return nil, nil
}

// nodeOf is the Node of c, with its relationships sorted by type and
// target.
func nodeOf(c *class, props []Property, degrees map[pairKey]*Relationship) Node {
	n := Node{Label: c.label, Labels: c.extra, Count: c.count, Properties: props, Notes: c.notes}
	if c.parent != nil {
		n.Parent = c.parent.label
	}
	for k, r := range degrees {
		if k.source == c.label {
			n.Relationships = append(n.Relationships, *r)
		}
	}
	sort.Slice(n.Relationships, func(i, j int) bool {
		a, b := n.Relationships[i], n.Relationships[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Target < b.Target
	})
	return n
}

// sortedKeys are the keys of m, sorted.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
