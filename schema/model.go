package schema

import "github.com/gonode/gonode/ogm"

// Schema is a set of schema files, as Load returns it (resolved and
// validated) or as a program builds it (see Validate): the files named by
// the caller (Root) first, in the order given, then the files they import, in
// the order they were first imported. Each file appears once, however many
// files import it; the shipped auth schema is the single file "builtin:auth".
type Schema struct {
	Files []*File // roots first, then imported files
}

// Roots returns the files that were named by the caller, in order.
func (s *Schema) Roots() []*File {
	var out []*File
	for _, f := range s.Files {
		if f.Root {
			out = append(out, f)
		}
	}
	return out
}

// File returns the file with the given display path, or nil.
func (s *Schema) File(path string) *File {
	for _, f := range s.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// File is one schema file: one Go package of generated code.
type File struct {
	// Path is the display path used in positions: the path as given by the
	// caller for roots, the importing file's directory joined with the
	// import target for imports, or "builtin:auth".
	Path string
	// Package is the Go package name of the generated code.
	Package string
	// GoPackage is the Go import path of the generated code; it may be empty
	// for a file that no other schema imports.
	GoPackage string
	// AppLabel is the app label of the file's permissions ("app_label:",
	// Django's AppConfig.label): the prefix of "app_label.codename". Empty
	// means the package name (see PermissionAppLabel), so renaming the
	// package renames the permissions unless the file sets app_label.
	AppLabel string
	// AppLabelPos is the position of the app_label: value.
	AppLabelPos Pos
	// Imports lists the file's imports in YAML order.
	Imports []*Import
	// Nodes lists the node types in YAML order.
	Nodes []*Node
	// RelModels lists the relationship models (top-level "relationships:")
	// in YAML order.
	RelModels []*RelModel
	// Builtin is true for a schema shipped with gonode (builtin:auth).
	Builtin bool
	// Root is true for a file named by the caller rather than only imported.
	Root bool
	// Comments are written by Print above "package:".
	Comments Comments
	// broken is set by the loader on a file it could not read, or whose
	// structure it could not parse: references into it are not reported
	// as unknown (the file's own error says why).
	broken bool
}

// Node returns the node type called name declared in f, or nil.
func (f *File) Node(name string) *Node {
	for _, n := range f.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// RelModel returns the relationship model called name declared in f, or nil.
func (f *File) RelModel(name string) *RelModel {
	for _, m := range f.RelModels {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Import returns f's import with the given alias, or nil.
func (f *File) Import(alias string) *Import {
	for _, im := range f.Imports {
		if im.Alias == alias {
			return im
		}
	}
	return nil
}

// ImportOf returns the import through which f reaches other, or nil when
// other is f itself or is not imported by f.
func (f *File) ImportOf(other *File) *Import {
	for _, im := range f.Imports {
		if im.File == other {
			return im
		}
	}
	return nil
}

// Import is one entry of a file's "imports:" mapping.
type Import struct {
	// Alias is the mapping key: references read "Alias.Name".
	Alias string
	// Target is the value as written: "builtin:auth" or a path relative to
	// the importing file.
	Target string
	// File is the imported file.
	File *File
	// Pos is the position of Target.
	Pos Pos
}

// Node is a node type: a Go struct, a label and a manager in generated code.
type Node struct {
	Name string // the Go type name, e.g. "Person"; the label unless "label:" says otherwise
	Pos  Pos    // position of the node's name
	File *File  // the file declaring the node
	Help string // documentation ("help:"), for the generated godoc
	// Comments are written by Print above the node, and in and after its
	// properties.
	Comments Comments
	// Label is the database label declared with "label:", or "" when the
	// label is the node's name; see DBLabel. Abstract nodes have none.
	Label string
	// Labels are the extra labels declared with "labels:" (own only, in
	// YAML order); see LabelChain for the full set.
	Labels []string
	// LabelPos is the position of the label: value, and LabelsPos[i] that
	// of Labels[i].
	LabelPos  Pos
	LabelsPos []Pos
	// Extends is the node this one extends, possibly in another file; nil
	// when it extends nothing. ExtendsRef is the reference as written, at
	// ExtendsPos: Load and Validate resolve it (a model built in Go may
	// set Extends alone).
	Extends    *Node  // the resolved parent, or nil
	ExtendsRef string // the parent as written, or ""
	ExtendsPos Pos    // position of the extends: value
	// Abstract nodes have no label of their own and no manager; they only
	// exist to be extended.
	Abstract bool
	// SemiStructured is the value declared on this node; IsSemiStructured
	// also looks at the ancestors.
	SemiStructured bool
	// Properties are the node's own properties, in YAML order; see
	// AllProperties for the inherited ones.
	Properties []*Property
	// Relationships are the node's own relationships, in YAML order.
	Relationships []*Relationship
	// Permissions are the node's custom permissions, in YAML order.
	Permissions []Permission
	// Fulltext and UniqueTogether are the node's own full-text indexes and
	// combinations of unique properties (nodeindexes.go).
	Fulltext       []*FulltextIndex
	UniqueTogether []*UniqueTogether
	// UsernameField and RequiredFields are the node's own "username_field:"
	// and "required_fields:" as written (Django's USERNAME_FIELD and
	// REQUIRED_FIELDS): "" and nil when the node does not declare them (an
	// empty "required_fields: []" is an empty, non-nil slice). UserModel
	// holds what applies to the node, inherited values included.
	UsernameField  string
	RequiredFields []string
	// UserPos is where username_field and required_fields are written.
	UserPos UserModelPos
	// UserModel is set, by Load and Validate, on auth.User and on every
	// node type that extends it, directly or not: those are the user
	// types, which package auth creates and authenticates. It is nil for
	// every other node.
	UserModel *UserModel
	// Reverse lists the relationships, declared anywhere in the schema, whose
	// To is this node and that name a reverse accessor (filled by Load and
	// Validate). Order: schema file order, then YAML order within a file.
	Reverse []*Relationship
}

// DBLabel returns the database label of a concrete node type: its
// "label:", else its name. It returns "" for an abstract node, which has no
// label of its own.
func (n *Node) DBLabel() string {
	switch {
	case n.Abstract:
		return ""
	case n.Label != "":
		return n.Label
	}
	return n.Name
}

// Chain returns the inheritance chain from the root ancestor down to n
// itself.
func (n *Node) Chain() []*Node {
	anc := n.Ancestors()
	out := make([]*Node, 0, len(anc)+1)
	for i := len(anc) - 1; i >= 0; i-- {
		out = append(out, anc[i])
	}
	return append(out, n)
}

// Ancestors returns the nodes n extends, nearest first. It stops at a cycle
// (which a validated schema never has).
func (n *Node) Ancestors() []*Node {
	var out []*Node
	seen := map[*Node]bool{n: true}
	for a := n.Extends; a != nil && !seen[a]; a = a.Extends {
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// IsA reports whether n is other or extends it, directly or not.
func (n *Node) IsA(other *Node) bool {
	if n == other {
		return true
	}
	for _, a := range n.Ancestors() {
		if a == other {
			return true
		}
	}
	return false
}

// AllProperties returns the inherited properties (root ancestor first) then
// n's own, each list in YAML order.
func (n *Node) AllProperties() []*Property {
	var out []*Property
	for _, c := range n.Chain() {
		out = append(out, c.Properties...)
	}
	return out
}

// AllRelationships returns the inherited relationships (root ancestor first)
// then n's own, each list in YAML order.
func (n *Node) AllRelationships() []*Relationship {
	var out []*Relationship
	for _, c := range n.Chain() {
		out = append(out, c.Relationships...)
	}
	return out
}

// AllReverse returns the reverse accessors n has, inherited ones (pointing
// at an ancestor) first.
func (n *Node) AllReverse() []*Relationship {
	var out []*Relationship
	for _, c := range n.Chain() {
		out = append(out, c.Reverse...)
	}
	return out
}

// AllPermissions returns the custom permissions of the chain, root first.
func (n *Node) AllPermissions() []Permission {
	var out []Permission
	for _, c := range n.Chain() {
		out = append(out, c.Permissions...)
	}
	return out
}

// IsSemiStructured reports whether n or one of its ancestors is
// semi_structured.
func (n *Node) IsSemiStructured() bool {
	for _, c := range n.Chain() {
		if c.SemiStructured {
			return true
		}
	}
	return false
}

// LabelChain returns the labels written with a node of this type: the
// database labels (DBLabel) of the non-abstract nodes of the chain (root first, n last unless n is
// abstract), then the extra labels of the chain (root first), without
// duplicates.
func (n *Node) LabelChain() []string {
	var out []string
	seen := map[string]bool{}
	addLabel := func(l string) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	chain := n.Chain()
	for _, c := range chain {
		if !c.Abstract {
			addLabel(c.DBLabel())
		}
	}
	for _, c := range chain {
		for _, l := range c.Labels {
			addLabel(l)
		}
	}
	return out
}

// Permission is a custom permission of a node type ("permissions:" entry).
type Permission struct {
	Codename string // snake_case key, e.g. "publish_post"
	Name     string // human-readable name, e.g. "Can publish posts"
	Pos      Pos    // position of the codename
}

// Property is a property of a node type or of a relationship model.
type Property struct {
	Name   string // as written in YAML (snake_case)
	GoName string // CamelCase Go name with initialisms: "user_id" → "UserID"
	DBName string // key stored in the database: db_property (any string), else Name
	Pos    Pos    // position of the property's name
	// DBNamePos is the position of the db_property: value.
	DBNamePos Pos
	Type      Type // the property type
	// Required properties must have a value when saved.
	Required bool
	// Unique properties get a uniqueness constraint (which is also an index);
	// always true for type uid.
	Unique bool
	// Index is the index declared with "index:": ogm.NoIndex (false, or
	// absent), ogm.RangeIndex (true: a RANGE index, POINT for point and
	// point3d), ogm.TextIndex (text), ogm.FulltextIndex (fulltext) or
	// ogm.VectorIndex (vector, with Vector's options).
	Index ogm.IndexKind
	// Vector holds the options of a vector index ("dimensions:",
	// "similarity:"); nil unless Index is ogm.VectorIndex.
	Vector *VectorOptions
	// Default is nil when the property has none. Type uid always has a
	// DefaultUUID default.
	Default *Default
	// Choices restricts the values (elements, for an array type); nil when
	// unrestricted. In YAML order.
	Choices []Choice
	// MaxLength and MinLength bound the length in characters of a string or
	// email (of each element for an array).
	MaxLength, MinLength *int
	// Min and Max bound an int or float (each element for an array). For an
	// int property they hold whole numbers.
	Min, Max *float64
	// Pattern is a Go regexp (checked to compile) a string or email must
	// match (each element for an array); "" when none. PatternPos is the
	// position of the pattern: value (zero in a model built in Go).
	Pattern    string
	PatternPos Pos
	// Sensitive properties ("sensitive: true": a password hash, a token)
	// are never written by the generated code's JSON, fmt, slog or error
	// output, nor read from JSON.
	Sensitive bool
	// StoredAs is the form the database holds the values in
	// ("stored_as:"); the zero value is Neo4j's own form of the type.
	StoredAs StoredForm
	Help     string // documentation ("help:")
	// Comments are written by Print after the property, on its line.
	Comments Comments
}

// Kind is the scalar kind of a property type.
type Kind int

// The property kinds, spelled in YAML as their String().
const (
	KindInvalid       Kind = iota
	KindString             // string
	KindInt                // int (int64)
	KindFloat              // float (float64)
	KindBool               // bool
	KindDate               // date (Neo4j Date)
	KindDateTime           // datetime (Neo4j DateTime, zoned)
	KindLocalDateTime      // localdatetime (Neo4j LocalDateTime)
	KindDuration           // duration (Neo4j Duration)
	KindUID                // uid: a string generated on create, unique
	KindEmail              // email: a string validated as an address
	KindJSON               // json: any JSON value, stored as a string
	KindPoint              // point (Neo4j Point, 2D: x and y, or longitude and latitude)
	KindPoint3D            // point3d (Neo4j Point, 3D: x, y and z, or longitude, latitude and height)
)

var kindNames = [...]string{
	KindInvalid:       "invalid",
	KindString:        "string",
	KindInt:           "int",
	KindFloat:         "float",
	KindBool:          "bool",
	KindDate:          "date",
	KindDateTime:      "datetime",
	KindLocalDateTime: "localdatetime",
	KindDuration:      "duration",
	KindUID:           "uid",
	KindEmail:         "email",
	KindJSON:          "json",
	KindPoint:         "point",
	KindPoint3D:       "point3d",
}

// String returns the YAML spelling of k.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "invalid"
	}
	return kindNames[k]
}

// IsStringLike reports whether values of kind k are Go strings (string,
// email, uid).
func (k Kind) IsStringLike() bool {
	return k == KindString || k == KindEmail || k == KindUID
}

// IsNumeric reports whether k is int or float.
func (k Kind) IsNumeric() bool { return k == KindInt || k == KindFloat }

// IsPoint reports whether k is point or point3d.
func (k Kind) IsPoint() bool { return k == KindPoint || k == KindPoint3D }

// IsTemporal reports whether k is date, datetime or localdatetime.
func (k Kind) IsTemporal() bool {
	return k == KindDate || k == KindDateTime || k == KindLocalDateTime
}

// Type is a property type: a kind, or an array ("[kind]") of one.
type Type struct {
	Kind  Kind // the kind, or the element kind of an array
	Array bool // "[kind]": a list of values of Kind
}

// String returns the YAML spelling of t, e.g. "string" or "[int]".
func (t Type) String() string {
	if t.Array {
		return "[" + t.Kind.String() + "]"
	}
	return t.Kind.String()
}

// Elem returns the element type of an array type, or t itself.
func (t Type) Elem() Type { return Type{Kind: t.Kind} }

// DefaultKind says how a default value is produced.
type DefaultKind int

// The default kinds.
const (
	DefaultLiteral DefaultKind = iota // a literal value, in Default.Value
	DefaultNow                        // the current date/time ("now")
	DefaultUUID                       // a new random UUID string ("uuid")
)

// String returns "literal", "now" or "uuid".
func (k DefaultKind) String() string {
	switch k {
	case DefaultNow:
		return "now"
	case DefaultUUID:
		return "uuid"
	}
	return "literal"
}

// Default is a property's default value.
//
// For DefaultLiteral, Value holds a Go value of the property type: string
// (string, email, uid), int64, float64, bool, time.Time (date: midnight UTC;
// datetime: with its offset; localdatetime: wall clock in time.UTC),
// time.Duration, the decoded YAML value for json (map[string]any, []any,
// string, int, float64, bool, nil), and for an array type a typed slice of the
// element Go type ([]string, []int64, []float64, []bool, []time.Time,
// []time.Duration). Value is nil for DefaultNow and DefaultUUID.
type Default struct {
	Kind  DefaultKind // how the default is produced
	Value any         // the literal value (DefaultLiteral only)
}

// Choice is one allowed value of a property with "choices:". Value has the Go
// type of the property's element kind (see Default); Label is the
// human-readable label (the value's text when choices are given as a list).
type Choice struct {
	Value any    // the allowed (stored) value
	Label string // its human-readable label
}

// Relationship is a relationship declared on a node type.
type Relationship struct {
	Name   string // as written in YAML (snake_case)
	GoName string // CamelCase Go name
	Pos    Pos    // position of the relationship's name
	Owner  *Node  // the node declaring it
	// To is the target node, possibly in another file; ToRef is the
	// reference as written ("Country" or "auth.User"), at ToPos: Load and
	// Validate resolve it (a model built in Go may set To alone).
	To    *Node  // the resolved target
	ToRef string // the target as written
	ToPos Pos    // position of the to: value
	// Type is the Neo4j relationship type, e.g. "IS_FROM" (any stored
	// name, see StoredName), written at TypePos.
	Type        string
	TypePos     Pos
	Direction   ogm.Direction   // ogm.Out (out, the default), ogm.In (in) or ogm.Both (both)
	Cardinality ogm.Cardinality // zero_or_more (the default), zero_or_one, one or one_or_more
	// Model is the relationship model holding the edge's properties, or nil;
	// ModelRef is the reference as written, at ModelPos.
	Model    *RelModel // the resolved relationship model, or nil
	ModelRef string    // the model as written, or ""
	ModelPos Pos       // position of the model: value
	// Reverse names the accessor generated on the target side ("" for none);
	// ReverseGoName is its CamelCase form and ReversePos its position.
	Reverse       string
	ReverseGoName string // CamelCase form of Reverse
	ReversePos    Pos    // position of the reverse value
	// Multiple: every Connect creates a relationship, even between two
	// nodes already connected (one per purchase, visit, …). Without it two
	// nodes have at most one relationship of this accessor.
	Multiple bool
	Help     string // documentation ("help:")
	// Comments are written by Print after the relationship, on its line.
	Comments Comments
}

// RelModel is a relationship model: properties stored on the edge.
type RelModel struct {
	Name       string      // the Go type name, e.g. "Knows"
	Pos        Pos         // position of the name
	File       *File       // the file declaring it
	Properties []*Property // in YAML order
	Help       string      // documentation ("help:")
	// Comments are written by Print above the model, and in its
	// properties.
	Comments Comments
}

// Comments are YAML comments Print writes with an element, one line each:
// what a program writing a schema (inspect-database) says about what the
// schema declares, or cannot declare. They are not part of the language:
// Load leaves them empty, and nothing but Print reads them. Which lists an
// element uses is said where it has Comments.
type Comments struct {
	// Above are written on lines of their own above the element (above
	// "package:" for a file).
	Above []string
	// Line are written after the element on its line, joined by "; " (a
	// property or a relationship, written on one line).
	Line []string
	// Undeclared are written in the element's properties: section, after
	// the properties (under a commented-out "properties:" when it declares
	// none): one line for each property the schema does not declare.
	Undeclared []string
	// End are written after Undeclared, or on their own under a node that
	// declares nothing at all.
	End []string
}
