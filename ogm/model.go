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

// FromModel loads the node behind m (a value of an ancestor type, such as
// the *auth.User that Authenticate returned) as a *T: same node, the
// subclass's fields. Generated <Type>FromModel functions call it.
func (t *NodeType[T]) FromModel(ctx context.Context, m Entity) (*T, error) {
	b := m.nodeBase()
	if err := b.usable("from model", t.Name); err != nil {
		return nil, err
	}
	node, err := b.reread(ctx, "from model", t.Name)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(node.Labels, t.Label) {
		return nil, &NodeError{Op: "from model", Type: t.Name, ID: b.elementID, Kind: ErrWrongType}
	}
	return t.load(b.db, node)
}

// reread reads the node behind b again (for op, on a value of the type
// named typ), failing with ErrDoesNotExist when it is gone.
func (b *NodeBase) reread(ctx context.Context, op, typ string) (Node, error) {
	res, err := b.db.query(ctx, op, reads, "MATCH (n) WHERE elementId(n) = $id RETURN n", map[string]any{"id": b.elementID})
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
// and inspection. Generated code declares it as <package>.Schema.
type Schema struct {
	Package   string       // Go package name
	Nodes     []SchemaNode // in schema order
	RelModels []SchemaRel  // relationship types that carry a model
}

// SchemaNode is one node type of a Schema.
type SchemaNode struct {
	Name        string     // Go type name
	Label       string     // own label ("" for abstract types)
	Labels      []string   // every label written
	Abstract    bool       // no label, no manager
	Props       []PropInfo // every property, inherited ones included
	Permissions []Permission
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
