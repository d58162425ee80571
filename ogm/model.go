package ogm

import (
	"context"
	"slices"
)

// Entity is any generated node value (*Person, *auth.User, …): they all
// embed NodeBase.
type Entity interface{ nodeBase() *NodeBase }

func (b *NodeBase) nodeBase() *NodeBase { return b }

// ErrWrongType: FromModel was given a node that does not have the target
// type's label.
var ErrWrongType = errorString("node is not of the requested type")

// fromModel loads the node behind m as a value of t.
func fromModel(ctx context.Context, t AnyNodeType, m Entity) (Entity, error) {
	b, info := m.nodeBase(), t.info()
	if err := usable(b, "from model", info.Name); err != nil {
		return nil, err
	}
	node, err := reread(ctx, b, "from model", info.Name)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(node.Labels, info.Label) {
		return nil, &NodeError{Op: "from model", Type: info.Name, ID: b.elementID, Kind: ErrWrongType}
	}
	return loadNode(bindingOf(b.at.db, t), node)
}

// reread reads the node behind b again (for op, on a value of the type
// named typ), failing with ErrDoesNotExist when it is gone.
func reread(ctx context.Context, b *NodeBase, op, typ string) (Node, error) {
	res, err := b.at.db.query(ctx, op, reads, "MATCH (n) WHERE elementId(n) = $id RETURN n", map[string]any{"id": b.elementID})
	if err != nil {
		return Node{}, err
	}
	if len(res.Rows) == 0 {
		return Node{}, &NodeError{Op: op, Type: typ, ID: b.elementID, Kind: ErrDoesNotExist}
	}
	return res.Rows[0][0].(Node), nil
}

// Ptr returns a pointer to v, for optional properties:
// &people.Person{Age: ogm.Ptr(3)}.
func Ptr[V any](v V) *V { return &v }

// Schema describes what one generated package declares, for install-labels
// and inspection. Generated code declares it as <package>.Schema, built
// with NewSchema.
type Schema struct {
	Package string // Go package name
	// AppLabel is the app label of the schema's permissions (its
	// app_label: option); empty means Package. See PermissionAppLabel.
	AppLabel  string       `json:",omitempty"`
	Nodes     []SchemaNode // in schema order
	RelModels []SchemaRel  // relationship types that carry a model
}

// PermissionAppLabel is the app label of s's permissions (auth's
// "app_label.codename"): AppLabel, else Package.
func (s *Schema) PermissionAppLabel() string {
	if s.AppLabel != "" {
		return s.AppLabel
	}
	return s.Package
}

// WithAppLabel sets s.AppLabel and returns s: for generated code, whose
// schema declares app_label, at package initialisation.
func (s *Schema) WithAppLabel(label string) *Schema {
	s.AppLabel = label
	return s
}

// SchemaNode is one node type of a Schema.
type SchemaNode struct {
	Name        string     // Go type name
	Label       string     // own label ("" for abstract types)
	Labels      []string   // every label written
	Abstract    bool       // no label, no manager
	Props       []PropInfo // every property, inherited ones included
	Permissions []Permission
	// Fulltext and UniqueTogether are the type's own node-level indexes
	// and constraints (NodeInfo).
	Fulltext       []FulltextInfo `json:",omitempty"`
	UniqueTogether [][]string     `json:",omitempty"`
	// Type is the node type's descriptor (nil for abstract types), for
	// resolving nodes by their labels (Registry).
	Type AnyNodeType `json:"-"`
}

// SchemaRel is a relationship type with a model: its properties may carry
// indexes and constraints too.
type SchemaRel struct {
	Type  string // relationship type, e.g. "KNOWS"
	Model string // model name, e.g. "Knows"
	Props []PropInfo
	// ModelType is the model's descriptor, for resolving relationships of
	// this type (Registry).
	ModelType AnyRelType `json:"-"`
}

// Permission is a custom permission a node type declares (auth).
type Permission struct {
	Codename string
	Name     string
}

// NewSchema describes package pkg from its node type descriptors (in schema
// order), its relationship types with a model (each SchemaRel needs only
// Type and ModelType; the rest is read from the model) and the
// relationship accessors whose owners must keep a target (cardinality one
// or one_or_more). For generated code. The accessors are registered, so
// that Delete refuses to remove a node such an owner needs.
func NewSchema(pkg string, nodes []AnyNodeType, rels []SchemaRel, required []*RelSpec) *Schema {
	requireAccessors(required)
	s := &Schema{Package: pkg}
	for _, t := range nodes {
		info := t.info()
		n := SchemaNode{Name: info.Name, Abstract: info.Abstract, Props: info.Props, Permissions: info.Permissions,
			Fulltext: info.Fulltext, UniqueTogether: info.UniqueTogether}
		if !info.Abstract {
			n.Label, n.Labels, n.Type = info.Label, info.Labels, t
		}
		s.Nodes = append(s.Nodes, n)
	}
	for _, r := range rels {
		if r.ModelType != nil {
			info := r.ModelType.info()
			r.Model, r.Props = info.Name, info.Props
		}
		s.RelModels = append(s.RelModels, r)
	}
	return s
}
