package inspect

import (
	"fmt"
	"sort"

	"github.com/gonode/gonode/ogm"
)

// assemble puts the findings together.
func (in *inspector) assemble(set *classSet, nodeProps map[string]map[string]*propStat, relProps map[string]*relPropStat,
	degrees map[pairKey]*Relationship, indexes []Index) *Schema {
	s := &Schema{Sample: max(in.opts.Sample, 0)}
	for _, cb := range set.combos.list {
		if len(cb.labels) == 0 && !in.filtered {
			s.Unlabelled += cb.count
		}
	}
	// Node count: every selected node once. Without a filter the count
	// store's total less the unlabelled; with one, the sum over the
	// combinations (exact unless sampled; then an upper bound from counts).
	if !in.filtered {
		s.NodeCount = in.counts.nodes - s.Unlabelled
	} else if in.opts.Sample > 0 {
		for _, c := range set.list {
			if c.parent == nil {
				s.NodeCount += c.count
			}
		}
	} else {
		for _, cb := range set.combos.list {
			s.NodeCount += cb.count
		}
	}

	// Properties: given on each node type whose own nodes have the key,
	// unless an ancestor already has it.
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
			covered := false
			for a := c.parent; a != nil; a = a.parent {
				if classes[a] {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
			p := Property{Key: k, Required: true}
			types := map[string]bool{}
			for _, d := range c.subtree() {
				for _, cb := range d.combos {
					st := nodeProps[cb.key][k]
					if st == nil {
						p.Required = false
						continue
					}
					if !st.mandatory {
						p.Required = false
					}
					for t := range st.types {
						types[t] = true
					}
				}
			}
			p.Types = sortedKeys(types)
			props[c] = append(props[c], p)
		}
	}

	// Constraints and indexes onto the properties.
	relTypes := map[string]bool{}
	for k := range degrees {
		relTypes[k.typ] = true
	}
	var relTypeList []*RelType
	relTypeByName := map[string]*RelType{}
	for _, t := range in.counts.types {
		if !relTypes[t] {
			continue
		}
		rt := &RelType{Type: t, Count: in.counts.relCount[t]}
		if rs := relProps[t]; rs != nil {
			for k, st := range rs.props {
				rt.Properties = append(rt.Properties, Property{Key: k, Types: sortedKeys(st.types), Required: st.mandatory})
			}
			sort.Slice(rt.Properties, func(i, j int) bool { return rt.Properties[i].Key < rt.Properties[j].Key })
		}
		relTypeList = append(relTypeList, rt)
		relTypeByName[t] = rt
		s.RelCount += rt.Count
	}
	for _, c := range set.list {
		sort.Slice(props[c], func(i, j int) bool { return props[c][i].Key < props[c][j].Key })
	}
	findDeclared := func(c *class, key string) (*Property, *class) {
		for x := c; x != nil; x = x.parent {
			for i := range props[x] {
				if props[x][i].Key == key {
					return &props[x][i], x
				}
			}
		}
		return nil, nil
	}
	indexKinds := map[string]ogm.IndexKind{"range": ogm.RangeIndex, "text": ogm.TextIndex, "fulltext": ogm.FulltextIndex, "point": PointIndex}
	for i := range indexes {
		ix := &indexes[i]
		concerns := false
		for _, l := range ix.LabelsOrTypes {
			if (!ix.Rel && set.byLabel[l] != nil) || (ix.Rel && relTypeByName[l] != nil) {
				concerns = true
			}
		}
		if !concerns {
			ix.Name = "" // dropped below
		}
	}
	// Own properties first, then the constraints and indexes that repeat
	// an inherited property's on a node type that extends it.
	for _, inheritedPass := range []bool{false, true} {
		for i := range indexes {
			ix := &indexes[i]
			if ix.Name == "" || len(ix.LabelsOrTypes) != 1 || len(ix.Properties) != 1 {
				continue
			}
			owner, key := ix.LabelsOrTypes[0], ix.Properties[0]
			var p *Property
			inherited := false
			if ix.Rel {
				if rt := relTypeByName[owner]; rt != nil {
					p = rt.Property(key)
				}
			} else if c := set.byLabel[owner]; c != nil && c.label == owner {
				var at *class
				p, at = findDeclared(c, key)
				inherited = at != nil && at != c
			}
			if p == nil || inherited != inheritedPass {
				continue
			}
			switch {
			case ix.Kind == "unique" || ix.Kind == "key":
				if inherited {
					ix.Placed = p.Unique
				} else {
					p.Unique, ix.Placed = true, true
				}
			case indexKinds[ix.Kind] != ogm.NoIndex:
				if inherited {
					ix.Placed = p.Index == indexKinds[ix.Kind]
				} else if p.Index == ogm.NoIndex {
					p.Index, ix.Placed = indexKinds[ix.Kind], true
				}
			case ix.Kind == "exists":
				ix.Placed = p.Required
			}
		}
	}
	for _, ix := range indexes {
		if ix.Name != "" {
			s.Indexes = append(s.Indexes, ix)
		}
	}
	for _, c := range set.list {
		n := Node{Label: c.label, Labels: c.extra, Count: c.count, Properties: props[c], Notes: c.notes}
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
		s.Nodes = append(s.Nodes, n)
	}
	for _, rt := range relTypeList {
		s.RelTypes = append(s.RelTypes, *rt)
	}
	sort.Slice(s.RelTypes, func(i, j int) bool { return s.RelTypes[i].Type < s.RelTypes[j].Type })
	if s.Unlabelled > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d node(s) have no label; no node type describes them", s.Unlabelled))
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
