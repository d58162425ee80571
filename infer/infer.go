// Package infer writes a schema describing what inspect.Database found in
// a database: the schema gonode inspect-database prints.
//
// File builds the schema as a model (package schema), choosing every name
// up front so that none clashes: the names the schema language takes, and
// the Go identifiers generated code derives from them (schema/derived.go),
// are the ones the validator checks. It then validates the model once with
// schema.Validate; an error there is a bug of inference, returned as an
// error. YAML prints the model with schema.Print. The output is
// deterministic: node types, properties and relationships come sorted by
// name, and it always loads with schema.Load and generates with
// codegen.Generate. Names that the schema language does not take are mapped
// to names it takes, keeping the stored name in the option that holds it
// (label, labels, db_property, type: any stored name without control
// characters), and what cannot be expressed is written as a YAML comment at
// the place it concerns.
//
// Inference rules:
//
//   - Node names are the labels when they are CamelCase identifiers, else
//     a CamelCase spelling of their letters and digits ("my label" →
//     MyLabel, "1st" → Node1st), made unique; when the name is not the
//     label, label: keeps the label. A node type extends its Parent; its
//     extra Labels are written as labels:.
//   - Property names are snake_case spellings of the keys ("firstName" →
//     first_name, "a-b" → a_b, "1st" → prop_1st); a name that is a Go
//     keyword or that generated code reserves (type, func, save, …) gets a
//     "_prop" suffix. When the name is not the key, db_property keeps the
//     key.
//   - Types come from the values: STRING string, INTEGER int, FLOAT float,
//     BOOLEAN bool, DATE date, ZONED DATETIME datetime, LOCAL DATETIME
//     localdatetime, DURATION duration, POINT point (2D), POINT 3D point3d
//     (inspect.Database's name for a 3D point), and lists of them as [T].
//     Integers mixed with floats are float (the runtime reads an
//     integer into a float); any other mix is string, with a comment
//     listing the types (reading a value that is not a string then fails
//     with ogm.ErrPropertyType). A key whose values have no schema type
//     (LOCAL TIME, ZONED TIME) is a comment. Lists only ever seen empty are
//     [string].
//   - required: true when every node (relationship) has the key; unique
//     and index (true for range and point indexes, text, fulltext) from
//     single-property constraints and indexes; others are comments.
//   - Relationships are given on their source node type, direction out,
//     named after their type (plus the target's name when one type leads
//     to several node types). The cardinality is measured: at most one per
//     node and every node has one: one; at most one: zero_or_one; every
//     node has one: one_or_more; else zero_or_more. A relationship type
//     with properties gets a relationship model <Type>Rel.
//   - A stored name with control characters, or only white space, which no
//     option takes, is a comment: a label (generated code uses the node's
//     name as its label), an extra label, a property key (the property is
//     not declared); a relationship type is written with its letters and
//     digits ("HAS\nPART" → HAS_PART), with a comment.
package infer

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// Options tune File and YAML.
type Options struct {
	// Package is the schema's "package:", the Go package name of the
	// generated code; "models" when empty.
	Package string
}

// Path is the display path of the file File returns, the name
// inspect-database writes it under.
const Path = "schema.yaml"

// File infers the schema of the database db describes: one validated
// root file, whose Path is Path, with the comments YAML writes attached to
// its elements (schema.Comments). See the package documentation for the
// rules.
func File(db *inspect.Schema, opts Options) (*schema.File, error) {
	if db == nil {
		return nil, errors.New("gonode: no database schema")
	}
	pkg := opts.Package
	if pkg == "" {
		pkg = "models"
	}
	if err := CheckPackage(pkg); err != nil {
		return nil, err
	}
	f := newBuilder(db, pkg).build()
	if err := schema.Validate(&schema.Schema{Files: []*schema.File{f}}); err != nil {
		return nil, fmt.Errorf("gonode: the inferred schema is not valid (a bug in gonode):\n%w", err)
	}
	return f, nil
}

// YAML is File written by schema.Print: what gonode inspect-database
// writes.
func YAML(db *inspect.Schema, opts Options) ([]byte, error) {
	f, err := File(db, opts)
	if err != nil {
		return nil, err
	}
	return schema.Print(f), nil
}

// CheckPackage refuses a package name File cannot write: one that is not a
// lower-case Go package name, is a Go keyword, or is reserved (main, or a
// package generated code imports).
func CheckPackage(pkg string) error {
	if !schema.IsPackageName(pkg) {
		return fmt.Errorf("package %s is not a lower-case Go package name", schema.Quote(pkg))
	}
	if why := schema.ReservedPackageName(pkg); why != "" {
		return fmt.Errorf("package %s cannot be used: %s", schema.Quote(pkg), why)
	}
	return nil
}

// builder builds the inferred file.
type builder struct {
	db      *inspect.Schema
	f       *schema.File
	names   *namer
	byLabel map[string]*schema.Node
	models  map[string]*schema.RelModel // by relationship type
	// indexNotes are the constraints and indexes no property shows, by the
	// node type they concern (nil: the file).
	indexNotes map[*schema.Node][]string
}

func newBuilder(db *inspect.Schema, pkg string) *builder {
	return &builder{
		db:      db,
		f:       &schema.File{Path: Path, Package: pkg, Root: true},
		names:   newNamer(),
		byLabel: map[string]*schema.Node{},
		models:  map[string]*schema.RelModel{},
	}
}

// build maps the database description to the file: node types and
// relationship models first (their names), then the properties and
// relationships of each node type, parents first so that children avoid
// the names they inherit; then it sorts the file as it is printed.
func (b *builder) build() *schema.File {
	b.f.Comments.Above = b.header()
	b.nodeTypes()
	b.relModels()
	b.indexNotes = b.unplacedIndexes()
	done := map[*schema.Node]bool{}
	for i := range b.db.Nodes {
		b.members(i, done)
	}
	b.f.Comments.Above = append(b.f.Comments.Above, b.indexNotes[nil]...)
	slices.SortStableFunc(b.f.Nodes, func(x, y *schema.Node) int { return strings.Compare(x.Name, y.Name) })
	slices.SortStableFunc(b.f.RelModels, func(x, y *schema.RelModel) int { return strings.Compare(x.Name, y.Name) })
	return b.f
}

// header is the comment at the top of the file: where it comes from, the
// counts, and the notes of the inspection.
func (b *builder) header() []string {
	how := "every node and relationship read"
	if b.db.Sample > 0 {
		how = fmt.Sprintf("a sample of %d nodes per label and relationships per type read", b.db.Sample)
	}
	return append([]string{
		"Schema inferred from the database by gonode inspect-database.",
		fmt.Sprintf("%d nodes, %d relationships; %s.", b.db.NodeCount, b.db.RelCount, how),
	}, b.db.Notes...)
}
