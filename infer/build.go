package infer

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// nodeTypes adds a node type per node type of the database, in its order
// (by label), with the names they are written with; then sets what they
// extend.
func (b *builder) nodeTypes() {
	labels := map[string]bool{}
	for _, dn := range b.db.Nodes {
		labels[dn.Label] = true
	}
	for _, dn := range b.db.Nodes {
		n := &schema.Node{File: b.f}
		labelProblem := schema.StoredLabel.Check(dn.Label)
		n.Name = uniqueName(camelName(dn.Label, "Node"), "", func(s string) bool {
			// A node whose label no label: takes is labelled by its
			// name, which must then be no other node type's label.
			return b.names.typeFree(s) && (labelProblem == "" || !labels[s])
		})
		b.names.takeType(n.Name)
		n.Comments.Above = append([]string{plural(dn.Count, "node") + "."}, dn.Notes...)
		switch {
		case n.Name == dn.Label:
		case labelProblem != "":
			n.Comments.Above = append(n.Comments.Above, fmt.Sprintf("Stored label %s, which label: cannot name (%s): generated code uses the label %s.", strconv.Quote(dn.Label), labelProblem, n.Name))
		default:
			n.Label = dn.Label
		}
		b.byLabel[dn.Label] = n
		b.f.Nodes = append(b.f.Nodes, n)
	}
	for i, dn := range b.db.Nodes {
		if p := b.byLabel[dn.Parent]; dn.Parent != "" && p != nil {
			b.f.Nodes[i].Extends, b.f.Nodes[i].ExtendsRef = p, p.Name
		}
	}
	for i, dn := range b.db.Nodes {
		b.extraLabels(b.f.Nodes[i], dn.Labels)
	}
}

// extraLabels sets n's labels:, except the labels no entry of labels:
// takes (a stored name it refuses, or the label of a node type that n does
// not extend), which are comments.
func (b *builder) extraLabels(n *schema.Node, labels []string) {
	for _, l := range labels {
		why := schema.StoredExtraLabel.Check(l)
		if o := b.labelled(l); why == "" && o != nil && !n.IsA(o) {
			why = fmt.Sprintf("it is the label of node %s", o.Name)
		}
		if why != "" {
			n.Comments.Above = append(n.Comments.Above, fmt.Sprintf("Every node also has the label %s, which labels: cannot name (%s).", strconv.Quote(l), why))
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
		if len(t.Properties) == 0 {
			continue
		}
		m := &schema.RelModel{File: b.f}
		m.Name = uniqueName(schema.GoName(snakeName(t.Type, "rel"))+"Rel", "", func(s string) bool {
			return b.names.typeFree(s) && !b.names.taken[(&schema.RelModel{Name: s}).DescriptorName()]
		})
		b.names.taken[m.Name], b.names.taken[m.DescriptorName()] = true, true
		m.Comments.Above = []string{fmt.Sprintf("Properties of the %s relationships (%s).", strconv.Quote(t.Type), plural(t.Count, "relationship"))}
		members := map[string]bool{}
		m.Properties, m.Comments.Undeclared = properties(t.Properties, map[string]string{}, func(p *schema.Property) bool {
			return !schema.ReservedRelMember(p.GoName) && !token.IsKeyword(p.Name) && !members[p.GoName] && !b.names.taken[p.HandleName(m.Name)]
		}, func(p *schema.Property) {
			members[p.GoName] = true
			b.names.taken[p.HandleName(m.Name)] = true
		})
		b.models[t.Type] = m
		b.f.RelModels = append(b.f.RelModels, m)
	}
}

// members gives the properties and relationships of the database's node
// type i to its node type, after its parent's.
func (b *builder) members(i int, done map[*schema.Node]bool) {
	n := b.f.Nodes[i]
	if done[n] {
		return
	}
	done[n] = true
	if n.Extends != nil {
		for j, o := range b.f.Nodes {
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
	n.Properties, n.Comments.Undeclared = properties(dn.Properties, keys, func(p *schema.Property) bool {
		return sc.free(propertyMember(p), schema.ReservedNodeMember)
	}, func(p *schema.Property) { sc.claim(propertyMember(p)) })
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
		to := b.byLabel[dr.Target]
		if to == nil {
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
		if why := schema.StoredRelType.Check(dr.Type); why != "" {
			r.Type = sanitizeType(dr.Type)
			note := "stored type " + strconv.Quote(dr.Type) + ", which type: cannot name (" + why + "): generated code uses " + r.Type
			r.Comments.Line = append([]string{note}, r.Comments.Line...)
		}
		n.Relationships = append(n.Relationships, r)
	}
}

// properties maps the properties of a node or relationship type (see
// newProperty), in order: the declared ones, and a note for each other. Each
// declared one is named with uniqueName(…, "_prop", free), and claim takes
// its name. Keys that are names already claim them first: a_b keeps its
// name, and a-b becomes a_b_prop. A key that no db_property takes is named
// and claimed too, then written as a note; a key that keys (by stored key,
// the property that has it) or an earlier property has is a note.
func properties(props []inspect.Property, keys map[string]string, free func(*schema.Property) bool, claim func(*schema.Property)) ([]*schema.Property, []string) {
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
				continue
			}
			out[i] = p
		}
	}
	var declared []*schema.Property
	var undeclared []string
	for i, p := range out {
		if p != nil {
			declared = append(declared, p)
		} else {
			undeclared = append(undeclared, fmt.Sprintf("%s: not declared: %s", strconv.Quote(props[i].Key), notes[i]))
		}
	}
	return declared, undeclared
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
