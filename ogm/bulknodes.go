package ogm

import (
	"context"
	"fmt"
	"strings"
)

// The bulk writes of a node set (issue #20): SaveMany, Delete and Update,
// one query each. Like the rest of Nodes, the methods only convert into
// the type-independent cores below.

// SaveMany saves nodes, values of the set's type that were created or
// loaded, in one query (UNWIND by element id and label) and one
// transaction, with Save's rules: each node's BeforeSave hook runs, then
// its validation, and AfterSave runs after the write for each node. A
// failure of any node (a hook's error, a rule broken, a node deleted behind
// the program's back: an *ItemError naming it; a unique value taken:
// ErrUnique) writes nothing, and leaves every value as it was. A new value
// is refused (ErrNotSaved): create it with Create or CreateMany. The set
// must be the type's manager, not a filtered set (ErrFilteredSet).
func (n *Nodes[P]) SaveMany(ctx context.Context, nodes []P) error {
	return n.q.saveMany(ctx, entities(nodes))
}

// Delete removes the nodes of the set (its filters, and its OrderBy, Skip
// and Limit: the nodes All would return) with their relationships, in one
// query and one transaction, and returns how many it removed. Like the
// node's own Delete it refuses to leave a node without a target it must
// keep (an accessor of cardinality one or one_or_more): then it returns a
// *CardinalityError naming that node and deletes nothing; the nodes and
// those owners are locked, in the order of their element ids, before
// they are counted. The Go values of the nodes removed are not marked
// deleted (the set never loaded them).
//
// No hooks run: the nodes are not loaded. A type with a BeforeDelete or
// AfterDelete hook is refused (ErrHooks, nothing deleted): delete its
// nodes one by one with their Delete so that the hooks run.
func (n *Nodes[P]) Delete(ctx context.Context) (int, error) { return n.q.deleteSet(ctx) }

// Update sets properties of every node of the set (its filters, OrderBy,
// Skip and Limit, as for Delete) to the values given, made by the property
// handles' Set (people.PersonAge.Set(31)), in one query, and returns how
// many nodes it updated. The values are checked against the properties'
// rules (required, choices, lengths, bounds, patterns) before anything is
// sent: a broken rule is a ValidationError and nothing is written. A
// unique property set on several nodes fails with ErrUnique, and nothing
// is written.
//
// No hooks run (BeforeSave, AfterSave), as with Django's QuerySet.update:
// the nodes are not loaded. Go values already loaded keep their old
// fields; Refresh them.
func (n *Nodes[P]) Update(ctx context.Context, sets ...Assignment[P]) (int, error) {
	as := make([]assignment, len(sets))
	for i, s := range sets {
		as[i] = s.a
	}
	return n.q.update(ctx, as)
}

// Assignment is a property of T set to a value, for Nodes.Update; the
// property handles' Set makes them.
type Assignment[T any] struct{ a assignment }

// assignment is an Assignment without its type: the stored key and the
// value as the handle encodes it.
type assignment struct {
	key string
	val any
}

func (p prop) assign(v any) assignment { return assignment{key: p.key, val: v} }

// ErrHooks: a bulk write that would skip the type's hooks (a set's
// Delete of a type with BeforeDelete or AfterDelete) was refused.
var ErrHooks = errorString("the type has hooks that this bulk write would not run")

func (q *query) saveMany(ctx context.Context, nodes []Entity) error {
	const op = "save many"
	if q.invalid != nil {
		return q.invalid
	}
	if q.scope != nil || len(q.where) > 0 {
		return &NodeError{Op: op, Type: q.typeName(), Kind: ErrFilteredSet, Hint: "call it on " + q.typeName() + "Nodes(db)"}
	}
	if len(nodes) == 0 {
		return nil
	}
	info := q.typ.info()
	at := map[string]int{}
	for i, e := range nodes {
		b := e.nodeBase()
		if err := usable(b, "save", info.Name); err != nil {
			if b.elementID == "" && !b.deleted {
				err.(*NodeError).Hint = "create new values with " + info.Name + "Nodes(db).Create or CreateMany"
			}
			return &ItemError{Op: op, Index: i, Err: err}
		}
		if b.at.db != q.db {
			return &ItemError{Op: op, Index: i, Err: &NodeError{Op: "save", Type: info.Name, ID: b.elementID, Kind: ErrNoDB, Hint: "bound to another database than the set's"}}
		}
		if j, ok := at[b.elementID]; ok && nodes[j] != e {
			return &ItemError{Op: op, Index: i, Err: &Error{Op: op, Kind: ErrQuery, Msg: fmt.Sprintf("two values of node %s (items %d and %d): which to write?", printableID(b.elementID), j, i)}}
		}
		at[b.elementID] = i
	}
	set := "SET n += row.props"
	if info.SemiStructured {
		set = "SET n = row.props" // as Save: a key gone from Extra goes from the node
	}
	// Every node is looked for first, and written only when all are
	// there, so that a missing one leaves the others unwritten inside a
	// caller's transaction too.
	text := "UNWIND $rows AS row OPTIONAL MATCH (n" + labelExpr([]string{info.Label}) + ") WHERE elementId(n) = row.id" +
		" WITH collect([row, n]) AS found WITH found, [f IN found WHERE f[1] IS NULL | f[0].i] AS missing" +
		" CALL (found, missing) { UNWIND CASE WHEN size(missing) = 0 THEN found ELSE [] END AS f WITH f[0] AS row, f[1] AS n " + set + " }" +
		" RETURN missing"
	err := q.db.changing(ctx, func(u *undoLog) error {
		rows := make([]any, 0, len(nodes))
		for i, e := range nodes {
			if at[e.nodeBase().elementID] != i {
				continue // the same value given again
			}
			u.remember(e)
			if err := beforeSave(ctx, e); err != nil {
				return &ItemError{Op: op, Index: i, Err: err}
			}
			if err := validateNode(q.typ, e); err != nil {
				return &ItemError{Op: op, Index: i, Err: err}
			}
			props, err := q.typ.encodeEntity(e)
			if err != nil {
				return &ItemError{Op: op, Index: i, Err: err}
			}
			rows = append(rows, map[string]any{"i": int64(i), "id": e.nodeBase().elementID, "props": props})
		}
		res, err := q.db.query(ctx, op, writes, text, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		if missing, _ := res.Rows[0][0].([]any); len(missing) > 0 {
			i := int(missing[0].(int64))
			return &ItemError{Op: op, Index: i, Err: &NodeError{Op: "save", Type: info.Name, ID: nodes[i].nodeBase().elementID, Kind: ErrDoesNotExist}}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, e := range nodes {
		if at[e.nodeBase().elementID] != i {
			continue
		}
		if err := afterSave(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (q *query) deleteSet(ctx context.Context) (int, error) {
	if q.invalid != nil {
		return 0, q.invalid
	}
	info := q.typ.info()
	probe := q.typ.newEntity()
	_, before := probe.(BeforeDeleter)
	_, after := probe.(AfterDeleter)
	if before || after {
		return 0, &NodeError{Op: "delete", Type: info.Name, Kind: ErrHooks,
			Hint: "a set's Delete does not load its nodes; delete each with its Delete so that BeforeDelete and AfterDelete run"}
	}
	var p params
	specs := dependents(info.Labels)
	var b strings.Builder
	b.WriteString(q.startVar(&p, "n"))
	if len(specs) > 0 {
		// Locked in one order, then each owner that may need one of them,
		// as Delete does for one node.
		b.WriteString(" WITH n ORDER BY elementId(n) SET n += {}")
	}
	b.WriteString(" WITH collect(n) AS doomed")
	var found, ok []string
	for k, s := range specs {
		v := "v" + itoa(k)
		b.WriteString(" CALL (doomed) { UNWIND doomed AS n MATCH (o" + labelExpr([]string{s.OwnerLabel}) + ")" + s.arrow() + "(n)" +
			" WITH DISTINCT o ORDER BY elementId(o) SET o += {}" +
			" WITH o, COUNT { (o)" + s.arrow() + "(x" + labelExpr([]string{s.Target.info().Label}) + ") WHERE NOT x IN doomed } AS others" +
			" WHERE others < " + p.add(int64(s.Cardinality.min())) +
			" RETURN head(collect([elementId(o), others])) AS " + v + " }")
		found = append(found, v)
		ok = append(ok, v+" IS NULL")
	}
	cond := "true"
	if len(ok) > 0 {
		cond = strings.Join(ok, " AND ")
	}
	b.WriteString(" FOREACH (n IN CASE WHEN " + cond + " THEN doomed ELSE [] END | DETACH DELETE n) RETURN size(doomed)")
	for _, v := range found {
		b.WriteString(", " + v)
	}
	if p.err != nil {
		return 0, p.err
	}
	res, err := q.db.query(ctx, "delete", writes, b.String(), p.m)
	if err != nil {
		return 0, err
	}
	row := res.Rows[0]
	for k, s := range specs {
		if v, _ := row[1+k].([]any); v != nil {
			return 0, &CardinalityError{Rel: s, NodeID: v[0].(string), Found: int(v[1].(int64)),
				Hint: "deleting these " + info.Name + " nodes would leave it without; connect it to another first (Reconnect or Replace)"}
		}
	}
	return int(row[0].(int64)), nil
}

func (q *query) update(ctx context.Context, as []assignment) (int, error) {
	const op = "update"
	if q.invalid != nil {
		return 0, q.invalid
	}
	info := q.typ.info()
	if len(as) == 0 {
		return 0, &Error{Op: op, Kind: ErrQuery, Msg: "Update needs at least one property to set (a handle's Set)"}
	}
	props := make(map[string]any, len(as))
	keys := make([]string, 0, len(as))
	for _, a := range as {
		if _, twice := props[a.key]; twice || a.key == "" {
			return 0, &Error{Op: op, Kind: ErrQuery, Msg: fmt.Sprintf("property %s set twice, or by a zero Assignment", Quote(a.key))}
		}
		props[a.key] = asStored(a.val)
		keys = append(keys, a.key)
	}
	// The values go through the type's own code: decoded into a fresh
	// value, checked by its rules (those of the properties set only), and
	// encoded again, so that they are stored as Save would store them
	// (an unset value removes the property).
	fresh := q.typ.newEntity()
	d := Decoder{Type: info.Name, Props: props, props: info.Props}
	q.typ.decodeEntity(fresh, &d)
	if err := d.Err(); err != nil {
		return 0, err
	}
	if err := validateOnly(q.typ, fresh, keys); err != nil {
		return 0, err
	}
	enc, err := q.typ.encodeEntity(fresh)
	if err != nil {
		return 0, err
	}
	set := make(map[string]any, len(keys))
	for _, k := range keys {
		v, declared := enc[k]
		if !declared {
			return 0, &Error{Op: op, Kind: ErrQuery, Msg: fmt.Sprintf("%s has no property stored as %s", info.Name, Quote(k))}
		}
		set[k] = v
	}
	var p params
	text := q.startVar(&p, "n") + " SET n += " + p.add(set) + " RETURN count(n)"
	if p.err != nil {
		return 0, p.err
	}
	res, err := q.db.query(ctx, op, writes, text, p.m)
	if err != nil {
		return 0, err
	}
	return int(res.Rows[0][0].(int64)), nil
}

// asStored is a value as the handles encode it in the form the driver
// reads back from the server (int64, float64, []any), for the Decoder.
func asStored(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = asStored(e)
		}
		return out
	}
	return v
}
