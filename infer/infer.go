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
// to names it takes, keeping the stored name exactly in the option that
// holds it (label, labels, db_property, type: any stored name, control
// characters included, see schema.StoredName), and what cannot be
// expressed is written as a YAML comment at the place it concerns.
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
//   - required: true when every node (relationship) has the key, except
//     for a string some of them hold as "" (inspect.Property.EmptyString):
//     generated code holds "" for unset, so required would refuse to save
//     those nodes; a comment says so. unique
//     and index (true for range and point indexes, text, fulltext) from
//     single-property constraints and indexes; others are comments.
//   - Relationships are given on their source node type, direction out,
//     named after their type (plus the target's name when one type leads
//     to several node types). The cardinality is measured: at most one per
//     node and every node has one: one; at most one: zero_or_one; every
//     node has one: one_or_more; else zero_or_more. A relationship type
//     with properties gets a relationship model <Type>Rel.
//   - Every relationship not of direction both gets a reverse accessor on
//     its target, <source>_<type> (Company.person_works_at for Person
//     -[:WORKS_AT]-> Company), so both node types traverse it; a name that
//     would clash is left out with a comment and a notice (reverse.go).
//   - A stored name with control characters is kept as it is (label:
//     "a\nb", written with YAML's escapes), never replaced by another name.
//     A stored name that no schema can hold (only white space, empty, or
//     with a NUL character, which Neo4j itself refuses) is left out with
//     what depends on it, with a comment and an Options.Warn warning: a
//     label (the node type, and the relationships to and from it), an
//     extra label (generated code does not write it), a relationship type
//     (the relationship), a property key (the property).
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
	// Warn, when set, is called once for each element of the database
	// that the schema leaves out because no schema can name it (see the
	// package documentation), with a message that names it; the file has
	// a comment about each too. gonode inspect-database prints them on
	// stderr.
	Warn func(msg string)
	// BothDirections are relationship types to declare with direction:
	// both, read either way (neomodel's Relationship): the database stores
	// each relationship one way, so it cannot tell. Their cardinality is
	// zero_or_more (the degrees measured count one direction). A type
	// between nodes of one type that is not listed gets a comment saying
	// so, and a notice through Notice.
	BothDirections []string
	// Notice, when set, is called with what the data cannot tell and the
	// schema guesses (the direction a relationship type is read in);
	// gonode inspect-database prints them on stderr.
	Notice func(msg string)
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
		return nil, errors.New("no database schema")
	}
	pkg := opts.Package
	if pkg == "" {
		pkg = "models"
	}
	if err := CheckPackage(pkg); err != nil {
		return nil, err
	}
	b := newBuilder(db, pkg, opts.Warn)
	b.notice = opts.Notice
	b.both = map[string]bool{}
	for _, t := range opts.BothDirections {
		b.both[t] = true
	}
	f := b.build()
	if err := schema.Validate(&schema.Schema{Files: []*schema.File{f}}); err != nil {
		return nil, invalidError{"is not valid", err}
	}
	return f, nil
}

// invalidError is a schema error of an inferred schema, a bug of
// inference: its message is one short line (the first problems), and it
// unwraps to the schema.ErrorList.
type invalidError struct {
	what string // "is not valid", "does not load"
	err  error
}

// maxShown is how many problems invalidError's message shows.
const maxShown = 3

func (e invalidError) Error() string {
	lines := strings.Split(e.err.Error(), "\n")
	msg := "the inferred schema " + e.what + " (a bug in gonode): " + strings.Join(lines[:min(len(lines), maxShown)], "; ")
	if len(lines) > maxShown {
		msg += fmt.Sprintf("; and %d more", len(lines)-maxShown)
	}
	return msg
}

func (e invalidError) Unwrap() error { return e.err }

// YAML is File written by schema.Print: what gonode inspect-database
// writes. The text is loaded again before it is returned: text that does
// not load is an error (a bug of inference), never returned.
func YAML(db *inspect.Schema, opts Options) ([]byte, error) {
	f, err := File(db, opts)
	if err != nil {
		return nil, err
	}
	text := schema.Print(f)
	if _, err := schema.LoadBytes(Path, text); err != nil {
		return nil, invalidError{"does not load", err}
	}
	return text, nil
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
	db    *inspect.Schema
	f     *schema.File
	warn  func(string) // Options.Warn, or nil
	names *namer
	// nodes are the node types of db.Nodes, by index: nil for one left out.
	nodes   []*schema.Node
	byLabel map[string]*schema.Node
	leftOut map[string]bool             // the labels of the node types left out
	models  map[string]*schema.RelModel // by relationship type
	// indexNotes are the constraints and indexes no property shows, by the
	// node type they concern (nil: the file).
	indexNotes map[*schema.Node][]string
	// both are Options.BothDirections; notice is Options.Notice, or nil.
	both   map[string]bool
	notice func(string)
}

func newBuilder(db *inspect.Schema, pkg string, warn func(string)) *builder {
	return &builder{
		db:      db,
		f:       &schema.File{Path: Path, Package: pkg, Root: true},
		warn:    warn,
		names:   newNamer(),
		byLabel: map[string]*schema.Node{},
		leftOut: map[string]bool{},
		models:  map[string]*schema.RelModel{},
	}
}

// leaveOut records that what (a phrase naming an element of the database)
// is left out of the schema because of why: a comment in c, and a warning.
func (b *builder) leaveOut(c *schema.Comments, what, why string) {
	c.Above = append(c.Above, "Left out: "+what+": "+why+".")
	if b.warn != nil {
		b.warn("left out " + what + ": " + why)
	}
}

// unnamable says why stored name s, at w (e.g. "the label"), cannot be
// named by any schema, or "".
func unnamable(w schema.StoredName, what, s string) string {
	if p := w.Problem(s); p != "" {
		return what + " " + p + "; no schema can name it"
	}
	return ""
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
	b.reverses()
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
