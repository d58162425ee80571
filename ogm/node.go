package ogm

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode"
)

// Errors of node operations, for errors.Is.
var (
	// ErrDoesNotExist: Get found no node, or Refresh found the node gone.
	ErrDoesNotExist = errors.New("node does not exist")
	// ErrMultipleNodes: Get matched more than one node.
	ErrMultipleNodes = errors.New("more than one node matched")
	// ErrNotSaved: the node has not been created in the database yet.
	ErrNotSaved = errors.New("node not saved")
	// ErrDeleted: the node was deleted; it can no longer be saved, refreshed
	// or connected.
	ErrDeleted = errors.New("node deleted")
	// ErrNoDB: the node was not created or loaded through a *DB, so Save and
	// friends do not know where to write (use <Type>Nodes(db).Create).
	ErrNoDB = errors.New("node not bound to a database")
)

// NodeBase is embedded in every generated node struct. It holds what the
// runtime knows of the stored node: its element id and the *DB it came from.
type NodeBase struct {
	elementID string
	at        *binding  // the database and type it was created or loaded through; nil before
	labels    *[]string // as last read from the database (the type's own slice when equal)
	deleted   bool
	// empty are the keys of string properties read as "", which Save
	// keeps (emptystrings.go); nil when none.
	empty *[]string
}

// binding is where a node lives and the type it was written or read as,
// shared by all the nodes one query reads or writes, so that a node value
// carries one pointer for both (issue #16: a 100,000-row result holds
// 100,000 NodeBases).
type binding struct {
	db  *DB
	typ AnyNodeType
}

// bindingOf is a binding of t on db, for the nodes of one query.
func bindingOf(db *DB, t AnyNodeType) *binding { return &binding{db: db, typ: t} }

// dbOf is the database the node is bound to, nil when it is not.
func dbOf(b *NodeBase) *DB {
	if b.at == nil {
		return nil
	}
	return b.at.db
}

// Labels are the node's labels as last read from the database (nil for a
// node created through this value: its type's labels are what was written).
// The slice is the caller's own.
func (b *NodeBase) Labels() []string { return slices.Clone(labelsOf(b)) }

// labelsOf is the node's labels for the runtime's own reading (often the
// slice of the node's type, shared by all its nodes: not to be changed).
func labelsOf(b *NodeBase) []string {
	if b.labels == nil {
		return nil
	}
	return *b.labels
}

// ElementID is the node's element id, empty until the node is saved.
func (b *NodeBase) ElementID() string { return b.elementID }

// IsSaved reports whether the node exists in the database (it was created
// or loaded, and not deleted since).
func (b *NodeBase) IsSaved() bool { return b.elementID != "" && !b.deleted }

// IsDeleted reports whether Delete removed the node.
func (b *NodeBase) IsDeleted() bool { return b.deleted }

// bind records where the node lives and the type it was written or read
// as.
func bind(b *NodeBase, at *binding, elementID string) {
	b.at, b.elementID, b.deleted = at, elementID, false
}

// usable checks that the node can be written to or read back.
func usable(b *NodeBase, op, typ string) error {
	switch {
	case b.deleted:
		return &NodeError{Op: op, Type: typ, ID: b.elementID, Kind: ErrDeleted}
	case b.elementID == "":
		return &NodeError{Op: op, Type: typ, Kind: ErrNotSaved}
	case b.at == nil:
		return &NodeError{Op: op, Type: typ, ID: b.elementID, Kind: ErrNoDB}
	}
	return nil
}

// NodeError is a node operation that failed for a reason of the node's own
// (not found, several found, not saved, deleted). Match Kind with errors.Is.
type NodeError struct {
	Op   string // "get", "save", "refresh", …
	Type string // the node type, e.g. "Person"
	ID   string // element id, when known
	Kind error
	Hint string // what to do instead, when there is something to say
}

// Error implements error.
func (e *NodeError) Error() string {
	s := fmt.Sprintf("ogm: %s %s", e.Op, e.Type)
	if e.ID != "" {
		s += " " + printableID(e.ID)
	}
	s += ": " + e.Kind.Error()
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is makes errors.Is(err, ogm.ErrDoesNotExist) and the like match.
func (e *NodeError) Is(target error) bool { return e.Kind == target }

// printableID is id as an error message shows it: as it is when it is made
// of printable characters without spaces, as element ids are, else quoted,
// so that an id taken from a request cannot forge a log line.
func printableID(id string) string {
	for _, r := range id {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return strconv.Quote(id)
		}
	}
	return id
}
