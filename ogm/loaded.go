package ogm

import "errors"

// Loaded records which relationships of a generated Fetched struct
// FetchRelations stored, so that "not fetched" and "fetched, none" can be
// told apart: a to-one relationship fetched with no target is nil, as one
// never fetched is. Generated code keeps one in an unexported field of each
// Fetched struct, which the setters FetchRelations calls set; relationship
// i is the i-th field of the struct (not counting the fields of
// relationship models). The zero value records none.
type Loaded struct {
	bits uint64   // relationships 0 to 63
	more []uint64 // 64 and on
}

// Set records relationship i as loaded.
func (l *Loaded) Set(i int) {
	if i < 64 {
		l.bits |= 1 << i
		return
	}
	l.setMore(i)
}

// setMore records relationship i >= 64, out of line: Set is inlined into
// every generated setter.
//
//go:noinline
func (l *Loaded) setMore(i int) {
	w := i/64 - 1
	for len(l.more) <= w {
		l.more = append(l.more, 0)
	}
	l.more[w] |= 1 << (i % 64)
}

// Has reports whether relationship i was recorded as loaded.
func (l Loaded) Has(i int) bool {
	if i < 64 {
		return l.bits&(1<<i) != 0
	}
	w := i/64 - 1
	return w < len(l.more) && l.more[w]&(1<<(i%64)) != 0
}

// Err is nil when relationship i, called rel, of the Fetched struct of
// node type typ was fetched (Has(i)) or set (set: its field is not nil),
// and a *NotLoadedError otherwise. The generated <Rel>OrErr methods call
// it.
//
//go:noinline
func (l *Loaded) Err(i int, set bool, typ, rel string) error {
	if set || l.Has(i) {
		return nil
	}
	return &NotLoadedError{Type: typ, Rel: rel}
}

// ErrNotLoaded is the kind of *NotLoadedError.
var ErrNotLoaded = errors.New("relationship not fetched")

// NotLoadedError is a relationship of a node's Fetched struct read through
// its <Rel>OrErr method when it was neither fetched by FetchRelations nor
// set. errors.Is(err, ogm.ErrNotLoaded) matches it.
type NotLoadedError struct {
	Type string // the node type, e.g. "Person"
	Rel  string // the relationship (accessor) name, e.g. "city"
}

// Error implements error.
func (e *NotLoadedError) Error() string {
	return "ogm: " + e.Type + "." + e.Rel + " was not fetched (FetchRelations loads it)"
}

// Is makes errors.Is(err, ogm.ErrNotLoaded) match.
func (e *NotLoadedError) Is(target error) bool { return target == ErrNotLoaded }
