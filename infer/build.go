package infer

import (
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// nodeTypes adds a node type per node type of the database, in its order
// (by label), with the names they are written with; then sets what they
// extend. A node type whose label no schema can name is left out.
func (b *builder) nodeTypes() {
	for _, dn := range b.db.Nodes {
		if why := unnamable(schema.StoredLabel, "the label", dn.Label); why != "" {
			b.leaveOut(&b.f.Comments, fmt.Sprintf("%s labelled %s, and their relationships", plural(dn.Count, "node"), strconv.Quote(dn.Label)), why)
			b.leftOut[dn.Label] = true
			b.nodes = append(b.nodes, nil)
			continue
		}
		n := &schema.Node{File: b.f}
		n.Name = uniqueName(camelName(dn.Label, "Node"), "", b.names.typeFree)
		b.names.takeType(n.Name)
		n.Comments.Above = append([]string{plural(dn.Count, "node") + "."}, dn.Notes...)
		if n.Name != dn.Label {
			n.Label = dn.Label
		}
		b.byLabel[dn.Label] = n
		b.nodes = append(b.nodes, n)
		b.f.Nodes = append(b.f.Nodes, n)
	}
	for i, dn := range b.db.Nodes {
		if n, p := b.nodes[i], b.byLabel[dn.Parent]; n != nil && dn.Parent != "" && p != nil {
			n.Extends, n.ExtendsRef = p, p.Name
		}
	}
	for i, dn := range b.db.Nodes {
		if n := b.nodes[i]; n != nil {
			b.extraLabels(n, dn.Label, dn.Labels)
		}
	}
}

// extraLabels sets the labels: of n (labelled label), except the labels no
// entry of labels: takes: one that no schema can name, which is left out,
// or the label of a node type that n does not extend, a comment.
func (b *builder) extraLabels(n *schema.Node, label string, labels []string) {
	for _, l := range labels {
		if why := unnamable(schema.StoredExtraLabel, "the label", l); why != "" {
			b.leaveOut(&n.Comments, fmt.Sprintf("the extra label %s of the nodes labelled %s, which generated code does not write", strconv.Quote(l), strconv.Quote(label)), why)
			continue
		}
		if o := b.labelled(l); o != nil && !n.IsA(o) {
			n.Comments.Above = append(n.Comments.Above, fmt.Sprintf("Every node also has the label %s, which labels: cannot name (it is the label of node %s).", strconv.Quote(l), o.Name))
			continue
		}
		n.Labels = append(n.Labels, l)
	}
}

// labelled is the node type whose database label is l, or nil.
func (b *builder) labelled(l string) *schema.Node {
	for _, n := range b.f.Nodes {
		if n.DBLabel() == l {
			return n
		}
	}
	return nil
}

// relModels adds a relationship model <Type>Rel per relationship type with
// properties.
func (b *builder) relModels() {
	for _, t := range b.db.RelTypes {
		if len(t.Properties) == 0 || schema.StoredRelType.Problem(t.Type) != "" {
			continue // no properties, or left out (relationships)
		}
		m := &schema.RelModel{File: b.f}
		m.Name = uniqueName(schema.GoName(snakeName(t.Type, "rel"))+"Rel", "", func(s string) bool {
			return b.names.typeFree(s) && !b.names.taken[(&schema.RelModel{Name: s}).DescriptorName()]
		})
		b.names.taken[m.Name], b.names.taken[m.DescriptorName()] = true, true
		m.Comments.Above = []string{fmt.Sprintf("Properties of the %s relationships (%s).", strconv.Quote(t.Type), plural(t.Count, "relationship"))}
		members := map[string]bool{}
		var refused []int
		m.Properties, m.Comments.Undeclared, refused = properties(t.Properties, map[string]string{}, func(p *schema.Property) bool {
			return !schema.ReservedRelMember(p.GoName) && !schema.ReservedRelJSONKey(p.Name) && !token.IsKeyword(p.Name) && !members[p.GoName] && !b.names.taken[p.HandleName(m.Name)]
		}, func(p *schema.Property) {
			members[p.GoName] = true
			b.names.taken[p.HandleName(m.Name)] = true
		})
		for _, i := range refused {
			b.warnKey(t.Properties[i].Key, "the "+strconv.Quote(t.Type)+" relationships")
		}
		b.models[t.Type] = m
		b.f.RelModels = append(b.f.RelModels, m)
	}
}

// members gives the properties and relationships of the database's node
// type i to its node type, after its parent's.
func (b *builder) members(i int, done map[*schema.Node]bool) {
	n := b.nodes[i]
	if n == nil || done[n] {
		return
	}
	done[n] = true
	if n.Extends != nil {
		for j, o := range b.nodes {
			if o == n.Extends {
				b.members(j, done)
			}
		}
	}
	dn := b.db.Nodes[i]
	sc := b.names.scope(n, b.f.Nodes)
	keys := map[string]string{}
	for _, a := range n.Ancestors() {
		for _, p := range a.Properties {
			keys[p.DBName] = p.Name + " inherited from " + a.Name
		}
	}
	var refused []int
	n.Properties, n.Comments.Undeclared, refused = properties(dn.Properties, keys, func(p *schema.Property) bool {
		return sc.free(propertyMember(p), schema.ReservedNodeMember)
	}, func(p *schema.Property) { sc.claim(propertyMember(p)) })
	for _, i := range refused {
		b.warnKey(dn.Properties[i].Key, "the nodes labelled "+strconv.Quote(dn.Label))
	}
	for _, u := range n.Comments.Undeclared {
		if strings.Contains(u, ": not declared: "+mixedTypes+" ") {
			n.SemiStructured = true // keeps the mixed values readable in Extra
		}
	}
	b.relationships(n, dn, sc)
	n.Comments.End = b.indexNotes[n]
}

// relationships gives n the relationships of dn, named in scope sc.
func (b *builder) relationships(n *schema.Node, dn inspect.Node, sc *scope) {
	perType := map[string]int{}
	for _, r := range dn.Relationships {
		perType[r.Type]++
	}
	for _, dr := range dn.Relationships {
		what := fmt.Sprintf("the %s relationships to the nodes labelled %s", strconv.Quote(dr.Type), strconv.Quote(dr.Target))
		if why := unnamable(schema.StoredRelType, "the type", dr.Type); why != "" {
			b.leaveOut(&n.Comments, what, why)
			continue
		}
		to := b.byLabel[dr.Target]
		if to == nil {
			if b.leftOut[dr.Target] {
				b.leaveOut(&n.Comments, what, "their target is left out")
			}
			continue
		}
		r := &schema.Relationship{Owner: n, To: to, ToRef: to.Name, Type: dr.Type, Model: b.models[dr.Type]}
		if r.Model != nil {
			r.ModelRef = r.Model.Name
		}
		base := snakeName(dr.Type, "rel")
		if perType[dr.Type] > 1 {
			base += "_" + snakeName(to.Name, "node")
		}
		r.Name = uniqueName(base, "_rel", func(s string) bool {
			r.Name, r.GoName = s, schema.GoName(s)
			return sc.free(accessorMember(r), schema.ReservedNodeMember)
		})
		r.GoName = schema.GoName(r.Name)
		sc.claim(accessorMember(r))
		r.Cardinality, r.Comments.Line = cardinality(dr)
		b.direction(n, r)
		n.Relationships = append(n.Relationships, r)
	}
}

// properties maps the properties of a node or relationship type (see
// newProperty), in order: the declared ones, and a note for each other. Each
// declared one is named with uniqueName(…, "_prop", free), and claim takes
// its name. Keys that are names already claim them first: a_b keeps its
// name, and a-b becomes a_b_prop. A key that no db_property takes is named
// and claimed too, then written as a note, and its index is in refused; a
// key that keys (by stored key, the property that has it) or an earlier
// property has is a note.
func properties(props []inspect.Property, keys map[string]string, free func(*schema.Property) bool, claim func(*schema.Property)) (declared []*schema.Property, undeclared []string, refused []int) {
	out := make([]*schema.Property, len(props))
	notes := make([]string, len(props))
	for _, pass := range []bool{true, false} {
		for i, dp := range props {
			if schema.IsSnakeName(dp.Key) != pass {
				continue
			}
			p, why := newProperty(dp)
			if other, dup := keys[dp.Key]; dup && why == "" {
				why = "the key of property " + other
			}
			if why != "" {
				notes[i] = why
				continue
			}
			p.Name = uniqueName(p.Name, "_prop", func(s string) bool {
				p.Name, p.GoName = s, schema.GoName(s)
				return free(p)
			})
			p.GoName = schema.GoName(p.Name)
			claim(p)
			keys[p.DBName] = p.Name
			if msg := schema.StoredKey.Check(p.DBName); msg != "" {
				notes[i] = fmt.Sprintf("would be %s: {type: %s, db_property: %s}, but %s", p.Name, schema.Scalar(p.Type.String()), schema.Scalar(p.DBName), msg)
				refused = append(refused, i)
				continue
			}
			out[i] = p
		}
	}
	for i, p := range out {
		if p != nil {
			declared = append(declared, p)
		} else {
			undeclared = append(undeclared, fmt.Sprintf("%s: not declared: %s", strconv.Quote(props[i].Key), notes[i]))
		}
	}
	slices.Sort(refused)
	return declared, undeclared, refused
}

// warnKey warns that the property key of whose (the nodes or
// relationships that have it) is left out; the note is written already.
func (b *builder) warnKey(key, whose string) {
	if b.warn != nil {
		b.warn(fmt.Sprintf("left out the property %s of %s: %s", strconv.Quote(key), whose, unnamable(schema.StoredKey, "the key", key)))
	}
}

// unplacedIndexes describes the constraints and indexes no property shows,
// by the node type they concern (nil: the file).
func (b *builder) unplacedIndexes() map[*schema.Node][]string {
	out := map[*schema.Node][]string{}
	for _, ix := range b.db.Indexes {
		if ix.Placed {
			continue
		}
		what := ix.Kind + " index"
		switch ix.Kind {
		case "unique":
			what = "uniqueness constraint"
		case "key":
			what = "key constraint"
		case "exists":
			what = "existence constraint"
		case "type":
			what = "property type constraint"
		}
		on := "nodes"
		if ix.Rel {
			on = "relationships"
		}
		line := fmt.Sprintf("not expressed: %s %s on %s %s (%s)", what, strconv.Quote(ix.Name), on,
			quoteNames(ix.LabelsOrTypes), quoteNames(ix.Properties))
		var owner *schema.Node
		if !ix.Rel && len(ix.LabelsOrTypes) == 1 {
			owner = b.byLabel[ix.LabelsOrTypes[0]]
		}
		out[owner] = append(out[owner], line)
	}
	return out
}

func quoteNames(ls []string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = strconv.Quote(l)
	}
	return strings.Join(q, ", ")
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.FormatInt(n, 10) + " " + what + "s"
}
