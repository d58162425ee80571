package inspect

import "github.com/gonode/gonode/ogm"

// PointIndex is the IndexKind of a property with a point index. The schema
// language has no kind of its own for it (install-labels creates a point
// index for a point property whose index is ogm.RangeIndex), so ogm does not
// declare it; an inspection reports the index the database has.
const PointIndex ogm.IndexKind = "point"

// Schema is what Database found in a database: the node types, the
// relationship types between them, their properties with the value types
// seen, and the constraints and indexes. It is a plain description of the
// data, in the database's own names; infer.YAML turns it into a
// schema file.
//
// A node type is a set of labels that always occur together (an
// equivalence class: every node with one has the others). Its Label names
// it; the others are extra Labels. A node type extends another (Parent)
// when every one of its nodes also carries the other's label and the other
// has more nodes. Properties and relationships are given on the most
// general node type whose own nodes (those of no more specific type) have
// them; node types that extend it inherit them.
type Schema struct {
	// Nodes are the node types, sorted by Label.
	Nodes []Node
	// RelTypes are the relationship types that Nodes' relationships use,
	// sorted by Type, with their properties.
	RelTypes []RelType
	// Indexes are the constraints and indexes of the database that concern
	// the inspected labels and relationship types, sorted by Name. Placed
	// ones are also shown on their property (Unique, Index).
	Indexes []Index
	// NodeCount is the number of nodes inspected (exact, from the count
	// store); Unlabelled the number of nodes without any label, which no
	// node type describes (0 with a label filter or a sample).
	NodeCount, Unlabelled int64
	// RelCount is the number of relationships of RelTypes.
	RelCount int64
	// Sample is Options.Sample: 0 when every node was looked at.
	Sample int
	// Notes are findings the data model cannot hold, one sentence each.
	Notes []string
}

// Node returns the node type whose Label is label, or nil.
func (s *Schema) Node(label string) *Node {
	for i := range s.Nodes {
		if s.Nodes[i].Label == label {
			return &s.Nodes[i]
		}
	}
	return nil
}

// RelType returns the relationship type typ, or nil.
func (s *Schema) RelType(typ string) *RelType {
	for i := range s.RelTypes {
		if s.RelTypes[i].Type == typ {
			return &s.RelTypes[i]
		}
	}
	return nil
}

// Node is a node type found in the database.
type Node struct {
	// Label is the label that names the node type.
	Label string
	// Labels are the other labels every node of the type carries that its
	// Parent's nodes do not all carry, sorted: labels that always occur
	// with Label, or (with a label filter) labels that were not selected.
	Labels []string
	// Parent is the Label of the node type this one extends, or "".
	Parent string
	// Count is the number of nodes with Label (the type and the types that
	// extend it), from the count store.
	Count int64
	// Properties are the type's own properties (not its Parent's), sorted
	// by Key.
	Properties []Property
	// Relationships are the relationships that start at nodes of this type
	// (and are not given on its Parent), sorted by Type then Target.
	Relationships []Relationship
	// Notes are findings about this node type that the data model cannot
	// hold, one sentence each.
	Notes []string
}

// Property returns the property with the given key, or nil.
func (n *Node) Property(key string) *Property { return findProp(n.Properties, key) }

// Relationship returns the relationship of type typ to the node type
// target, or nil.
func (n *Node) Relationship(typ, target string) *Relationship {
	for i := range n.Relationships {
		if n.Relationships[i].Type == typ && n.Relationships[i].Target == target {
			return &n.Relationships[i]
		}
	}
	return nil
}

// Property is a property key of a node type or relationship type.
type Property struct {
	// Key is the stored property key.
	Key string
	// Types are the value types seen, in Cypher's spelling without
	// "NOT NULL", sorted: "STRING", "INTEGER", "FLOAT", "BOOLEAN", "DATE",
	// "ZONED DATETIME", "LOCAL DATETIME", "LOCAL TIME", "ZONED TIME",
	// "DURATION", "POINT" (2D), "POINT 3D" (a 3D point, which Cypher also
	// calls POINT), and lists such as "LIST<INTEGER>" ("LIST<NOTHING>" for
	// an empty list, "LIST<POINT 3D>" for 3D points).
	Types []string
	// Required is true when every node of the type (every relationship of
	// the type) that was looked at has the key.
	Required bool
	// EmptyString is true when the key is Required and some of those
	// nodes (relationships) hold it as the empty string "" (it is not
	// looked for on other keys): a schema cannot declare such a string
	// required, since generated code holds "" for unset.
	EmptyString bool
	// Unique is true when a single-property uniqueness constraint (or node
	// or relationship key) holds on the type's label and this key.
	Unique bool
	// Index is the kind of a single-property index on the type's label and
	// this key that no constraint owns: ogm.RangeIndex, ogm.TextIndex,
	// ogm.FulltextIndex, PointIndex, or ogm.NoIndex for none.
	Index ogm.IndexKind
}

// Relationship is a relationship type seen going out of the nodes of a
// node type to the nodes of another.
type Relationship struct {
	// Type is the relationship type.
	Type string
	// Target is the Label of the node type at the end of the relationships.
	Target string
	// Measured is true when the degrees below were measured
	// (Options.NoRelCardinality unset).
	Measured bool
	// Sources is the number of nodes of the source type looked at;
	// WithAny how many of them have at least one such relationship; MaxOut
	// the most such relationships one of them has.
	Sources, WithAny, MaxOut int64
}

// RelType is a relationship type with the properties its relationships
// have.
type RelType struct {
	Type       string     // the relationship type
	Count      int64      // relationships of the type (count store)
	Properties []Property // sorted by Key; nil with NoRelProperties
}

// Property returns the property with the given key, or nil.
func (t *RelType) Property(key string) *Property { return findProp(t.Properties, key) }

// findProp is the property of props with the given key, or nil.
func findProp(props []Property, key string) *Property {
	for i := range props {
		if props[i].Key == key {
			return &props[i]
		}
	}
	return nil
}

// Index is a constraint or an index of the database.
type Index struct {
	Name string // its name
	// Kind is "unique" (uniqueness constraint), "key" (node or
	// relationship key), "exists" (property existence), "type" (property
	// type constraint), or an index type: "range", "text", "fulltext",
	// "point" (the same words as the ogm.IndexKind a placed one gives its
	// Property), "vector". It is a string, not an ogm.IndexKind, as most
	// of these are not indexes a property can ask for.
	Kind string
	// Rel is true for a constraint or index on relationships.
	Rel bool
	// LabelsOrTypes and Properties are what it covers.
	LabelsOrTypes, Properties []string
	// Placed is true when a Property shows it (Unique or Index), or when
	// it repeats on a node type what its Parent's property shows (as
	// install-labels creates it for inherited properties).
	Placed bool
}
