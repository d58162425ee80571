package ogm

import (
	"hash/maphash"
	"slices"
)

// loader turns the driver's nodes and relationships of one query run into
// generated values. It reuses one Decoder for all of them (handed to the
// generated Decode functions through an interface, a Decoder per node would
// escape to the heap: 100,000 allocations for 100,000 rows), and holds the
// flat plan's set of the nodes seen so far. A loader belongs to one
// goroutine.
type loader struct {
	d    Decoder
	seen idSet
}

// node decodes n as a value of at's type, bound to at.
func (l *loader) node(at *binding, n Node) (Entity, error) {
	t := at.typ
	info := t.info()
	e := t.newEntity()
	l.d = Decoder{Type: info.Name, Props: n.Props, props: info.Props}
	t.decodeEntity(e, &l.d)
	if err := l.d.Err(); err != nil {
		return nil, err
	}
	b := e.nodeBase()
	bind(b, at, n.ElementId)
	b.empty = l.d.emptyRead()
	if slices.Equal(n.Labels, info.Labels) {
		b.labels = &info.Labels // the common case, kept once
	} else {
		labels := n.Labels
		b.labels = &labels
	}
	return e, nil
}

// rel decodes r as a value of model t bound to db.
func (l *loader) rel(db *DB, t AnyRelType, r Relationship) (any, error) {
	v := t.newRel()
	info := t.info()
	l.d = Decoder{Type: info.Name, Props: r.Props, props: info.Props}
	t.decodeRel(v, &l.d)
	if err := l.d.Err(); err != nil {
		return nil, err
	}
	*v.relBase() = RelBase{elementID: r.ElementId, relType: r.Type, startID: r.StartElementId, endID: r.EndElementId, db: db, empty: l.d.emptyRead()}
	return v, nil
}

// loadNode decodes one node outside a query run.
func loadNode(at *binding, n Node) (Entity, error) { return new(loader).node(at, n) }

// loadRel decodes one relationship outside a query run.
func loadRel(db *DB, t AnyRelType, r Relationship) (any, error) { return new(loader).rel(db, t, r) }

// idSet remembers element ids by a 64-bit hash, in an open-addressing
// table: the flat plan checks every row's node against it, and a map of
// strings cost that check as much as decoding the node (issue #16). Two
// ids with the same hash (about one chance in 10^10 among 100,000 ids)
// read as a repeat, which only makes the query run again with the nested
// plan: the result is exact either way.
type idSet struct {
	seed  maphash.Seed
	slots []uint64 // 0: empty (a hash of 0 is stored as 1)
	n     int
}

// add records id and reports whether it was recorded before.
func (s *idSet) add(id string) (seen bool) {
	if s.slots == nil {
		s.seed = maphash.MakeSeed()
		s.slots = make([]uint64, 1024)
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	h := maphash.String(s.seed, id) | 1
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return false
		case h:
			return true
		}
	}
}

func (s *idSet) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
}
