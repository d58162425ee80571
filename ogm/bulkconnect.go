package ogm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Pair is one relationship for ConnectMany to create, from From to To.
// Props holds the relationship model's properties, as the props of Connect
// (nil: none given; the model's defaults still apply); M is the
// relationship's model, or *Rel for a relationship without one. A pair
// made with PairOf (M *Rel) fits any relationship and gives no properties.
type Pair[R, X, M any] struct {
	From  R
	To    X
	Props M
}

// PairOf is the pair from → to without relationship properties.
func PairOf[R, X any](from R, to X) Pair[R, X, *Rel] { return Pair[R, X, *Rel]{From: from, To: to} }

// PairWith is the pair from → to with the relationship properties props.
func PairWith[R, X, M any](from R, to X, props M) Pair[R, X, M] {
	return Pair[R, X, M]{From: from, To: to, Props: props}
}

// ConnectMany connects each pair by the relationship rel (a generated
// handle such as people.PersonCountry, one relationship without Match or
// Where), in one query (UNWIND) and one transaction, with the rules of
// Connect: both ends' cardinality checked in the writing transaction after
// the nodes are locked (in the order of their element ids, so that two
// batches cannot deadlock each other), the MERGE rule for a pair connected
// already, a new relationship per pair for multiple. A node at a limited
// end given in two pairs is refused before anything is sent.
//
// The first result has one entry per pair, in order: nil when the
// relationship was created, a *NodeError of kind ErrAlreadyConnected when
// the two nodes were connected already (the relationship is left as it is;
// the same pair twice in one call is connected once, the second reported
// so). Every pair's Props, when given, is filled with the stored
// relationship, created or found.
//
// The second result fails the whole call, and then nothing is written and
// every Props is as it was: an *ItemError naming the pair (Index) that
// broke a rule, wrapping a *CardinalityError (a limit the batch would
// exceed, counted with every pair of the batch: two pairs giving one
// Person two countries fail), a *ValidationError of its properties, or a
// *NodeError for a node that is not saved, deleted or gone. The nodes must
// all be on one database.
func ConnectMany[R, X, M any](ctx context.Context, rel *Path[R, X], pairs []Pair[R, X, M]) ([]error, error) {
	ps := make([]bulkPair, len(pairs))
	for i, p := range pairs {
		ps[i] = bulkPair{from: entity(p.From), to: entity(p.To), props: firstModel([]M{p.Props})}
	}
	return connectMany(ctx, rel.hops, reflect.TypeFor[M](), ps)
}

// ItemError is a call given many values (ConnectMany, SaveMany) refused
// because of one of them, at position Index: nothing was written.
// errors.Is and errors.As see the error it wraps (a *CardinalityError, a
// *ValidationError, a *NodeError).
type ItemError struct {
	Op    string // "connect many", "save many"
	Index int    // the position of the value in the call's slice
	Err   error
}

// Error implements error.
func (e *ItemError) Error() string {
	return fmt.Sprintf("ogm: %s: item %d: %s", e.Op, e.Index, strings.TrimPrefix(e.Err.Error(), "ogm: "))
}

// Unwrap exposes the item's own error.
func (e *ItemError) Unwrap() error { return e.Err }

// bulkPair is a Pair as the runtime sees it.
type bulkPair struct {
	from, to Entity
	props    any // nil: none given
}

// connectMany is ConnectMany without its types; model is M.
func connectMany(ctx context.Context, hops []hop, model reflect.Type, pairs []bulkPair) ([]error, error) {
	const op = "connect many"
	if len(hops) != 1 || !hops[0].plain() {
		return nil, &Error{Op: op, Kind: ErrQuery, Msg: "give one relationship handle (not a path made with Then, Match or Where)"}
	}
	rel := hops[0].rel
	rt := rel.Model
	if rt == nil {
		rt = PlainRel
	}
	if want := reflect.TypeOf(rt.newRel()); model != want && model != reflect.TypeFor[*Rel]() {
		return nil, &Error{Op: op, Kind: ErrQuery, Msg: fmt.Sprintf("%s.%s has relationship model %s, not %s", rel.Owner, rel.Name, want, model)}
	}
	results := make([]error, len(pairs))
	if len(pairs) == 0 {
		return results, nil
	}
	var db *DB
	for i, p := range pairs {
		fb, tb := p.from.nodeBase(), p.to.nodeBase()
		if err := usable(fb, "connect", rel.Owner); err != nil {
			return nil, &ItemError{Op: op, Index: i, Err: err}
		}
		if err := usable(tb, "connect", rel.Target.info().Name); err != nil {
			return nil, &ItemError{Op: op, Index: i, Err: err}
		}
		if p.props != nil && reflect.TypeOf(p.props) != reflect.TypeOf(rt.newRel()) {
			return nil, &ItemError{Op: op, Index: i, Err: &Error{Op: op, Kind: ErrQuery, Msg: fmt.Sprintf("properties of %s.%s are a %T, not a %T", rel.Owner, rel.Name, rt.newRel(), p.props)}}
		}
		if db == nil {
			db = fb.at.db
		}
		if fb.at.db != db || tb.at.db != db {
			return nil, &ItemError{Op: op, Index: i, Err: &Error{Op: op, Kind: ErrQuery, Msg: "the nodes of one ConnectMany must be on one database"}}
		}
	}
	// A pair given twice is written once (Multiple aside: each connect is
	// a relationship of its own); the repeats report the relationship the
	// first found or created. An undirected pair is the same either way.
	first := make([]int, len(pairs))
	seen := map[[2]string]int{}
	for i, p := range pairs {
		first[i] = i
		if rel.Multiple {
			continue
		}
		key := [2]string{p.from.nodeBase().elementID, p.to.nodeBase().elementID}
		if rel.Direction == Both && key[1] < key[0] {
			key[0], key[1] = key[1], key[0]
		}
		if j, ok := seen[key]; ok {
			first[i] = j
		} else {
			seen[key] = i
		}
	}
	if err := repeatedLimited(rel, pairs, first); err != nil {
		return nil, err
	}
	props := "row.props"
	if rt == AnyRelType(PlainRel) {
		props = "" // no model: nothing to set on each relationship
	}
	c := rel.connectClauses(props, "row, ")
	// With one end to lock, each row locks its node as it comes, the rows
	// sorted by that node's element id (the order every batch locks in);
	// with both, all are locked first, in that order, and an aggregate
	// ends the locking before anything is read.
	inline := len(c.locks) == 1
	fill := false
	err := db.changing(ctx, func(u *undoLog) error {
		type row struct {
			key string
			m   map[string]any
		}
		rs := make([]row, 0, len(seen))
		locked := map[string]bool{}
		for i, p := range pairs {
			if p.props != nil {
				u.remember(p.props)
				fill = true
			}
			if first[i] != i {
				continue
			}
			values, err := prepareRel(rt, p.props)
			if err != nil {
				return &ItemError{Op: op, Index: i, Err: err}
			}
			ends := map[string]string{"a": p.from.nodeBase().elementID, "b": p.to.nodeBase().elementID}
			r := row{m: map[string]any{"i": int64(i), "from": ends["a"], "to": ends["b"]}}
			if props != "" {
				r.m["props"] = values
			}
			for _, v := range c.locks {
				locked[ends[v]] = true
				r.key = ends[v]
			}
			rs = append(rs, r)
		}
		query := ""
		match := "MATCH (a) WHERE elementId(a) = row.from MATCH (b) WHERE elementId(b) = row.to "
		if inline {
			slices.SortStableFunc(rs, func(x, y row) int { return strings.Compare(x.key, y.key) })
			match = "MATCH (a) WHERE elementId(a) = row.from " + map[string]string{"a": "SET a += {} WITH * ", "b": ""}[c.locks[0]] +
				"MATCH (b) WHERE elementId(b) = row.to " + map[string]string{"a": "", "b": "SET b += {} WITH * "}[c.locks[0]]
		} else if len(locked) > 0 {
			query = "UNWIND $locks AS id MATCH (n) WHERE elementId(n) = id SET n += {} WITH count(*) AS locked "
		}
		locks := make([]string, 0, len(locked))
		if !inline {
			for id := range locked {
				locks = append(locks, id)
			}
			slices.Sort(locks)
		}
		rows := make([]any, len(rs))
		for k, r := range rs {
			rows[k] = r.m
		}
		// Each limited node is in one pair of the batch (repeatedLimited),
		// so its count, taken as its row is written, is the one after the
		// batch. Only the rows worth reporting come back (found, over a
		// limit, or every one when values are to be filled), in one row;
		// the relationships created only when the batch failed, to undo it.
		viol := func(na, nb string) string {
			var vs []string
			if rel.Cardinality.max() > 0 {
				vs = append(vs, na+" > "+itoa(rel.Cardinality.max()))
			}
			if max := rel.otherEnd().max(); max > 0 {
				vs = append(vs, nb+" > "+itoa(max))
			}
			if len(vs) == 0 {
				return "false"
			}
			return strings.Join(vs, " OR ")
		}
		keep := "NOT created OR " + viol("na", "nb")
		ret := "null"
		if fill {
			keep, ret = "true", "r"
		}
		write := c.write
		// Without values to fill, a limited relationship needs no
		// relationship back: the pair is tested and created in a FOREACH
		// (measured cheaper than the OPTIONAL CALL that binds it), and a
		// failed batch deletes by pair what it created.
		byPair := !fill && !rel.Multiple && (rel.Cardinality.max() > 0 || rel.otherEnd().max() > 0)
		counts := " WITH row.i AS i, r, created, " + c.countA + " AS na, " + c.countB + " AS nb"
		if byPair {
			// Counted before the write, which adds one to each end of a
			// pair not found (each limited node is in one pair): no read
			// of the relationships after the writes of every row.
			write = "WITH row, a, b, EXISTS { (a)" + rel.arrow() + "(b) } AS found, " + c.countA + " AS na0, " + c.countB + " AS nb0" +
				" FOREACH (_ IN CASE WHEN found THEN [] ELSE [1] END | CREATE (a)" + rel.directed().arrowVar("r") + "(b)" + map[bool]string{true: " SET r = row.props", false: ""}[props != ""] + ")"
			counts = " WITH row.i AS i, null AS r, NOT found AS created, na0 + CASE WHEN found THEN 0 ELSE 1 END AS na, nb0 + CASE WHEN found THEN 0 ELSE 1 END AS nb"
		}
		query += "UNWIND $rows AS row " + match + write + counts +
			" WITH collect(CASE WHEN " + keep + " THEN [i, created, elementId(r), na, nb, " + ret + "] END) AS kept," +
			" collect(CASE WHEN created THEN r END) AS made, count(*) AS written" +
			" WITH kept, made, written < size($rows) AS missing, size([k IN kept WHERE " + viol("k[3]", "k[4]") + "]) > 0 AS broken" +
			" RETURN kept, CASE WHEN missing OR broken THEN [m IN made | elementId(m)] END, missing, broken"
		params := map[string]any{"rows": rows, "locks": locks, "token": NewUID()}
		return db.run(ctx, op, writes, func(tx *txRunner) error {
			stored := make([]*Relationship, len(pairs))
			created := make([]bool, len(pairs))
			for i := range pairs {
				created[i] = first[i] == i // unless reported found
			}
			var kept, made []any
			var missing, broken bool
			_, err := tx.Run(ctx, query, params, func(row []any) error {
				kept, _ = row[0].([]any)
				made, _ = row[1].([]any)
				missing, broken = row[2].(bool), row[3].(bool)
				return nil
			})
			if err != nil {
				return err
			}
			var violation error
			vAt := -1
			for _, k := range kept {
				k := k.([]any)
				i := int(k[0].(int64))
				created[i] = k[1].(bool)
				if fill {
					r := k[5].(Relationship)
					stored[i] = &r
				}
				// A pair that created its relationship is blamed before one
				// that found it: a limit broken before the call is not the
				// batch's doing, but it is still reported, as Connect does.
				if v := cardinalityViolation(rel, pairs[i], k[3].(int64), k[4].(int64)); v != nil &&
					(vAt < 0 || (created[i] && !created[vAt]) || (created[i] == created[vAt] && i < vAt)) {
					violation, vAt = v, i
				}
			}
			if missing || broken {
				// The batch failed: undo it here, since inside a caller's
				// transaction the error alone would not roll it back.
				if len(made) > 0 {
					if _, err := tx.Run(ctx, "UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r", map[string]any{"ids": made}, nil); err != nil {
						return err
					}
				}
				if byPair {
					// Each pair not found had no relationship before: what
					// it has now (written from a to b) is the batch's.
					var ps []any
					for i, p := range pairs {
						if first[i] == i && created[i] {
							ps = append(ps, []any{p.from.nodeBase().elementID, p.to.nodeBase().elementID})
						}
					}
					if _, err := tx.Run(ctx, "UNWIND $ps AS p MATCH (a)"+rel.directed().arrowVar("r")+"(b) WHERE elementId(a) = p[0] AND elementId(b) = p[1] DELETE r",
						map[string]any{"ps": ps}, nil); err != nil {
						return err
					}
				}
				// Returned as the call's own errors, not the server's.
				if missing {
					if err := missingEnd(ctx, tx, rel, pairs, first); err != nil {
						var ie *ItemError
						if errors.As(err, &ie) {
							return &errFromWork{err}
						}
						return err
					}
					return &errFromWork{&Error{Op: op, Kind: ErrDatabase, Msg: "fewer pairs written than given, and no node missing"}}
				}
				if violation == nil {
					return &errFromWork{&Error{Op: op, Kind: ErrDatabase, Msg: "the batch reported a failure it did not name"}}
				}
				return &errFromWork{&ItemError{Op: op, Index: vAt, Err: violation}}
			}
			if violation != nil { // the query reports the relationships to undo then: not reached
				return &errFromWork{&Error{Op: op, Kind: ErrDatabase, Msg: "the batch broke a limit it did not report"}}
			}
			for i := range pairs {
				j := first[i]
				results[i] = nil
				if j != i || !created[i] {
					results[i] = &NodeError{Op: "connect", Type: rel.Owner, ID: pairs[i].from.nodeBase().elementID, Kind: ErrAlreadyConnected,
						Hint: "the value given holds the relationship found"}
				}
				if p := pairs[i].props; p != nil {
					v, err := loadRel(db, rt, *stored[j])
					if err != nil {
						return err
					}
					replace(p, v)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// cardinalityViolation is the limit of rel that the pair's ends break with
// na and nb relationships (counted 0 on an unlimited end), or nil.
func cardinalityViolation(rel *RelSpec, p bulkPair, na, nb int64) error {
	if max := rel.Cardinality.max(); max > 0 && na > int64(max) {
		return &CardinalityError{Rel: rel, NodeID: p.from.nodeBase().elementID, Found: int(na),
			Hint: "already connected, or connected twice by this batch; use Reconnect or Replace to change the target"}
	}
	if max := rel.otherEnd().max(); max > 0 && nb > int64(max) {
		return &CardinalityError{Rel: rel, NodeID: p.to.nodeBase().elementID, Found: int(nb),
			Hint: fmt.Sprintf("the %s is already connected by %s, or twice by this batch (%s on that end)", rel.Target.info().Name, rel.Type, rel.otherEnd())}
	}
	return nil
}

// repeatedLimited refuses a batch in which one node at a limited end (at
// most one target, or one owner) is in two pairs: whatever is stored, both
// pairs cannot hold, so nothing is sent. first maps each pair to the first
// of its repeats, which are one pair.
func repeatedLimited(rel *RelSpec, pairs []bulkPair, first []int) error {
	limA, limB := rel.Cardinality.max() > 0, rel.otherEnd().max() > 0
	if !limA && !limB {
		return nil
	}
	// An undirected relationship between nodes of one type is one end:
	// a node is limited wherever it stands.
	same := rel.Direction == Both && rel.Target != nil && rel.Target.info().Label == rel.OwnerLabel
	type at struct {
		id  string
		end byte
	}
	seen := map[at]int{}
	for i, p := range pairs {
		if first[i] != i {
			continue
		}
		check := func(b *NodeBase, end byte) error {
			if same {
				end = 'a'
			}
			k := at{b.elementID, end}
			j, ok := seen[k]
			if !ok {
				seen[k] = i
				return nil
			}
			hint := fmt.Sprintf("pairs %d and %d of this batch both connect it (%s)", j, i, rel.Cardinality)
			if end == 'b' && !same {
				hint = fmt.Sprintf("pairs %d and %d of this batch both connect the %s (%s on that end)", j, i, rel.Target.info().Name, rel.otherEnd())
			}
			return &ItemError{Op: "connect many", Index: i, Err: &CardinalityError{Rel: rel, NodeID: b.elementID, Found: 2, Hint: hint}}
		}
		if limA || same {
			if err := check(p.from.nodeBase(), 'a'); err != nil {
				return err
			}
		}
		if limB || (same && p.to.nodeBase().elementID != p.from.nodeBase().elementID) {
			if err := check(p.to.nodeBase(), 'b'); err != nil {
				return err
			}
		}
	}
	return nil
}

// missingEnd names the first pair with a node that is gone (a batch whose
// query wrote fewer rows than it was given): an *ItemError, or the
// server's error, or nil when every node is there.
func missingEnd(ctx context.Context, tx *txRunner, rel *RelSpec, pairs []bulkPair, first []int) error {
	ids := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		ids = append(ids, p.from.nodeBase().elementID, p.to.nodeBase().elementID)
	}
	gone := map[string]bool{}
	_, err := tx.Run(ctx, "UNWIND $ids AS id OPTIONAL MATCH (n) WHERE elementId(n) = id WITH id, n WHERE n IS NULL RETURN id", map[string]any{"ids": ids}, func(row []any) error {
		gone[row[0].(string)] = true
		return nil
	})
	if err != nil {
		return err
	}
	for i, p := range pairs {
		if first[i] != i {
			continue
		}
		if from := p.from.nodeBase().elementID; gone[from] {
			return &ItemError{Op: "connect many", Index: i, Err: &NodeError{Op: "connect", Type: rel.Owner, ID: from, Kind: ErrDoesNotExist}}
		}
		if to := p.to.nodeBase().elementID; gone[to] {
			return &ItemError{Op: "connect many", Index: i, Err: &NodeError{Op: "connect", Type: rel.Target.info().Name, ID: to, Kind: ErrDoesNotExist}}
		}
	}
	return nil
}
