package schema

import "github.com/gonode/gonode/ogm"

// RuntimeSchema describes f's node types and relationship models as the ogm
// runtime sees them (labels, stored keys, constraints, indexes,
// permissions): what install-labels installs and what the generated
// package's Schema variable holds.
func (f *File) RuntimeSchema() *ogm.Schema {
	s := &ogm.Schema{Package: f.Package, AppLabel: f.AppLabel}
	for _, n := range f.Nodes {
		sn := ogm.SchemaNode{Name: n.Name, Abstract: n.Abstract}
		if !n.Abstract {
			sn.Label = n.DBLabel()
			sn.Labels = n.LabelChain()
		}
		for _, p := range n.AllProperties() {
			sn.Props = append(sn.Props, p.PropInfo())
		}
		for _, perm := range n.Permissions {
			sn.Permissions = append(sn.Permissions, ogm.Permission{Codename: perm.Codename, Name: perm.Name})
		}
		s.Nodes = append(s.Nodes, sn)
	}
	// A model may serve several relationship types; each type gets the
	// model's constraints and indexes.
	seen := map[[2]string]bool{}
	for _, n := range f.Nodes {
		for _, r := range n.Relationships {
			if r.Model == nil || seen[[2]string{r.Type, r.Model.Name}] {
				continue
			}
			seen[[2]string{r.Type, r.Model.Name}] = true
			sr := ogm.SchemaRel{Type: r.Type, Model: r.Model.Name}
			for _, p := range r.Model.Properties {
				sr.Props = append(sr.Props, p.PropInfo())
			}
			s.RelModels = append(s.RelModels, sr)
		}
	}
	return s
}

// PropInfo is the runtime's description of p.
func (p *Property) PropInfo() ogm.PropInfo {
	info := ogm.PropInfo{
		Name:      p.Name,
		Key:       p.DBName,
		Type:      p.Type.String(),
		Required:  p.Required,
		Unique:    p.Unique || p.Type.Kind == KindUID && !p.Type.Array,
		Index:     p.Index,
		Sensitive: p.Sensitive,
		Form:      p.TimeForm(),
	}
	if p.Vector != nil && p.Index == ogm.VectorIndex {
		info.Dimensions, info.Similarity = p.Vector.Dimensions, p.Vector.similarity()
		info.NoQuantization = p.Vector.NoQuantization
	}
	return info
}
