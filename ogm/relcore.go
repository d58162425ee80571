package ogm

import (
	"context"
	"fmt"
	"strings"
)

// relScope restricts a node query to the targets of one node's relationship.
type relScope struct {
	from *NodeBase
	rel  *RelSpec
	relW []cond // conditions on the relationship itself (Match)
}

func (s *relScope) match(p *params, label, v string) string {
	o, r := v+"_o", v+"_r"
	q := "MATCH (" + o + ") WHERE elementId(" + o + ") = " + p.add(s.from.elementID) +
		" MATCH (" + o + ")" + s.rel.arrowVar(r) + "(" + v + labelExpr([]string{label}) + ")"
	if len(s.relW) > 0 {
		q += " WHERE " + joinCond{"AND", s.relW}.cypher(p, r)
	}
	return q + " WITH DISTINCT " + v
}

// relCore is the type-independent part of a RelManager: one node's
// relationship of one kind, with the target type and the relationship
// model (PlainRel when the schema names none).
type relCore struct {
	from   *NodeBase
	rel    *RelSpec
	target AnyNodeType
	model  AnyRelType
}

func (m *relCore) check(op string) error {
	return usable(m.from, op, m.rel.Owner)
}

func (m *relCore) targetBase(op string, to Entity) (*NodeBase, error) {
	b := to.nodeBase()
	if err := usable(b, op, m.target.info().Name); err != nil {
		return nil, err
	}
	return b, nil
}

// nodes is the query over this relationship's targets, those whose
// relationship satisfies relW.
func (m *relCore) nodes(relW []cond) *query {
	q := newQuery(dbOf(m.from), m.target)
	q.scope = &relScope{from: m.from, rel: m.rel, relW: relW}
	if err := m.check("query"); err != nil {
		q.invalid = err // the node's own error (not saved, deleted), not the database's
	}
	return q
}

// connectOne is Connect: one relationship to target, with the model
// value props (nil: none given). props, when given, is filled with the
// stored relationship: the one created, or the one found (then the error
// is ErrAlreadyConnected).
func (m *relCore) connectOne(ctx context.Context, target Entity, props any) error {
	if err := m.check("connect"); err != nil {
		return err
	}
	tb, err := m.targetBase("connect", target)
	if err != nil {
		return err
	}
	created := false
	err = m.writeRel(ctx, "connect", props, func(tx *txRunner, values map[string]any) (stored Relationship, err error) {
		stored, created, err = m.connect(ctx, tx, tb, values)
		return stored, err
	})
	if err != nil {
		return err
	}
	if !created {
		return &NodeError{Op: "connect", Type: m.rel.Owner, ID: m.from.elementID, Kind: ErrAlreadyConnected,
			Hint: "the value given holds the relationship found"}
	}
	return nil
}

// writeRel runs write, which stores one relationship with the encoded
// properties of props (defaults applied, validated; nil: none given), in
// a transaction of op's own or the caller's, then fills props with the
// stored relationship so that it is bound to it and can be saved. props is
// as it was if the write fails or its transaction rolls back.
func (m *relCore) writeRel(ctx context.Context, op string, props any, write func(*txRunner, map[string]any) (Relationship, error)) error {
	db := m.from.at.db
	return db.changing(ctx, func(u *undoLog) error {
		if props != nil {
			u.remember(props)
		}
		values, err := prepareRel(m.model, props)
		if err != nil {
			return err
		}
		var stored Relationship
		err = db.run(ctx, op, writes, func(tx *txRunner) error {
			stored, err = write(tx, values)
			return err
		})
		if err != nil || props == nil {
			return err
		}
		v, err := loadRel(db, m.model, stored)
		if err != nil {
			return err
		}
		replace(props, v)
		return nil
	})
}

// connect writes one relationship with encoded properties and checks both
// ends' cardinality. It returns the stored relationship and whether it was
// created (false: the pair was connected already, and nothing changed).
//
// The nodes are locked first (both, or the limited ends), so that
// concurrent connects of one pair serialise and exactly one creates the
// relationship; the others find it (ErrAlreadyConnected, also on a limited
// relationship). Without a limit the relationship is merged, and a per-call
// token written on creation (and removed again) tells which happened; with
// one, the pair is looked for and created when missing, the limited ends
// counted after the write, and a relationship that breaks a limit deleted
// again. With multiple, every connect keeps a relationship of its own, so
// it is created, never looked for.
func (m *relCore) connect(ctx context.Context, tx *txRunner, tb *NodeBase, values map[string]any) (Relationship, bool, error) {
	rel := m.rel
	other := rel.otherEnd()
	c := rel.connectClauses("$props", "")
	query := "MATCH (a) WHERE elementId(a) = $from MATCH (b) WHERE elementId(b) = $to " + lockNodes(c.locks...) + c.write +
		" RETURN r, created, " + c.countA + " AS na, " + c.countB + " AS nb"
	var r Relationship
	var created bool
	var na, nb int64
	found := false
	params := map[string]any{"from": m.from.elementID, "to": tb.elementID, "props": values, "token": NewUID()}
	_, err := tx.Run(ctx, query, params, func(row []any) error {
		found = true
		r, created, na, nb = row[0].(Relationship), row[1].(bool), row[2].(int64), row[3].(int64)
		return nil
	})
	if err != nil {
		return Relationship{}, false, err
	}
	if !found {
		return Relationship{}, false, &NodeError{Op: "connect", Type: rel.Owner, ID: m.from.elementID, Kind: ErrDoesNotExist}
	}
	var violation error
	if max := rel.Cardinality.max(); max > 0 && na > int64(max) {
		violation = &CardinalityError{Rel: rel, NodeID: m.from.elementID, Found: int(na),
			Hint: "already connected; use Reconnect or Replace to change the target"}
	} else if max := other.max(); max > 0 && nb > int64(max) {
		violation = &CardinalityError{Rel: rel, NodeID: tb.elementID, Found: int(nb),
			Hint: fmt.Sprintf("the %s is already connected by %s (%s on that end)", m.target.info().Name, rel.Type, other)}
	}
	if violation != nil {
		// Undo the write: inside a caller's transaction the error alone would
		// not roll it back if the caller went on and committed.
		if _, err := tx.Run(ctx, "MATCH ()-[r]->() WHERE elementId(r) = $id DELETE r", map[string]any{"id": r.ElementId}, nil); err != nil {
			return Relationship{}, false, err
		}
		return Relationship{}, false, violation
	}
	return r, created, nil
}

// lockNodes takes a write lock on each node variable, held until the
// transaction ends. Neo4j 5 creates and deletes relationships without
// locking their end nodes exclusively, so two transactions could each count
// the other's relationship out and both commit. Setting the properties of a
// node from an empty map changes nothing but takes the node's write lock
// (checked against the server: a second transaction doing the same waits).
func lockNodes(vars ...string) string {
	var b strings.Builder
	for _, v := range vars {
		b.WriteString("SET " + v + " += {} ")
	}
	if b.Len() > 0 {
		b.WriteString("WITH * ")
	}
	return b.String()
}

// disconnectFrom removes every relationship of this kind between the node
// and target.
func (m *relCore) disconnectFrom(ctx context.Context, target Entity) error {
	if err := m.check("disconnect"); err != nil {
		return err
	}
	tb, err := m.targetBase("disconnect", target)
	if err != nil {
		return err
	}
	return m.disconnect(ctx, "disconnect", "AND elementId(b) = $to", map[string]any{"to": tb.elementID})
}

func (m *relCore) disconnectAll(ctx context.Context) error {
	if err := m.check("disconnect all"); err != nil {
		return err
	}
	return m.disconnect(ctx, "disconnect all", "", map[string]any{})
}

func (m *relCore) disconnect(ctx context.Context, op, extra string, args map[string]any) error {
	args["from"] = m.from.elementID
	rel := m.rel
	lock := ""
	if rel.Cardinality.min() > 0 {
		lock = lockNodes("a")
	}
	query := "MATCH (a) WHERE elementId(a) = $from " + lock + "OPTIONAL MATCH (a)" + rel.arrowVar("r") +
		"(b" + labelExpr([]string{rel.Target.info().Label}) + ") WHERE r IS NOT NULL " + extra +
		" DELETE r WITH a, count(r) AS removed RETURN removed, COUNT { (a)" + rel.arrow() +
		"(" + labelExpr([]string{rel.Target.info().Label}) + ") }"
	return m.from.at.db.run(ctx, op, writes, func(tx *txRunner) error {
		var left int64 = -1
		_, err := tx.Run(ctx, query, args, func(row []any) error {
			left = row[1].(int64)
			return nil
		})
		if err != nil {
			return err
		}
		if left < 0 {
			return &NodeError{Op: op, Type: rel.Owner, ID: m.from.elementID, Kind: ErrDoesNotExist}
		}
		if min := rel.Cardinality.min(); left < int64(min) {
			return &CardinalityError{Rel: rel, NodeID: m.from.elementID, Found: int(left),
				Hint: "cannot remove the last relationship; use Reconnect or Replace"}
		}
		return nil
	})
}

func (m *relCore) reconnect(ctx context.Context, old, new Entity) error {
	if err := m.check("reconnect"); err != nil {
		return err
	}
	ob, err := m.targetBase("reconnect", old)
	if err != nil {
		return err
	}
	nb, err := m.targetBase("reconnect", new)
	if err != nil {
		return err
	}
	rel := m.rel
	return m.from.at.db.run(ctx, "reconnect", writes, func(tx *txRunner) error {
		var props map[string]any
		found := false
		_, err := tx.Run(ctx, "MATCH (a) WHERE elementId(a) = $from "+lockNodes("a")+"MATCH (a)"+rel.arrowVar("r")+"(b) WHERE elementId(b) = $old "+
			"WITH r, properties(r) AS props DELETE r RETURN props",
			map[string]any{"from": m.from.elementID, "old": ob.elementID}, func(row []any) error {
				if !found {
					props, _ = row[0].(map[string]any)
				}
				found = true
				return nil
			})
		if err != nil {
			return err
		}
		if !found {
			return &NodeError{Op: "reconnect", Type: m.target.info().Name, ID: ob.elementID, Kind: ErrNotConnected}
		}
		if props == nil {
			props = map[string]any{}
		}
		// Should the new target be connected already, it stays so, once.
		_, _, err = m.connect(ctx, tx, nb, props)
		return err
	})
}

// ErrNotConnected: the nodes are not connected by the relationship.
var ErrNotConnected = errorString("not connected")

func (m *relCore) replace(ctx context.Context, target Entity, props any) error {
	if err := m.check("replace"); err != nil {
		return err
	}
	tb, err := m.targetBase("replace", target)
	if err != nil {
		return err
	}
	rel := m.rel
	return m.writeRel(ctx, "replace", props, func(tx *txRunner, values map[string]any) (Relationship, error) {
		_, err := tx.Run(ctx, "MATCH (a) WHERE elementId(a) = $from "+lockNodes("a")+"OPTIONAL MATCH (a)"+rel.arrowVar("r")+"("+labelExpr([]string{rel.Target.info().Label})+") DELETE r",
			map[string]any{"from": m.from.elementID}, nil)
		if err != nil {
			return Relationship{}, err
		}
		stored, _, err := m.connect(ctx, tx, tb, values)
		return stored, err
	})
}

func (m *relCore) isConnected(ctx context.Context, target Entity) (bool, error) {
	if err := m.check("is connected"); err != nil {
		return false, err
	}
	tb, err := m.targetBase("is connected", target)
	if err != nil {
		return false, err
	}
	res, err := m.from.at.db.query(ctx, "is connected", reads,
		"MATCH (a) WHERE elementId(a) = $from MATCH (b) WHERE elementId(b) = $to RETURN EXISTS { (a)"+m.rel.arrow()+"(b) }",
		map[string]any{"from": m.from.elementID, "to": tb.elementID})
	if err != nil || len(res.Rows) == 0 {
		return false, err
	}
	return res.Rows[0][0].(bool), nil
}

func (m *relCore) all(ctx context.Context) ([]Entity, error) {
	if err := m.check("all"); err != nil {
		return nil, err
	}
	out, err := m.nodes(nil).collect(ctx, "all", 0)
	if err != nil {
		return nil, err
	}
	return out, m.checkRead(len(out))
}

// checkRead reports a stored state that breaks the cardinality.
func (m *relCore) checkRead(n int) error {
	c := m.rel.Cardinality
	if (c.max() > 0 && n > c.max()) || n < c.min() {
		return &CardinalityError{Rel: m.rel, NodeID: m.from.elementID, Found: n}
	}
	return nil
}

func (m *relCore) single(ctx context.Context) (Entity, error) {
	if err := m.check("single"); err != nil {
		return nil, err
	}
	out, err := m.nodes(nil).collect(ctx, "all", 2)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && m.rel.Cardinality.min() == 0 {
		return nil, nil
	}
	if len(out) != 1 && (m.rel.Cardinality.max() == 1 || len(out) == 0) {
		return nil, &CardinalityError{Rel: m.rel, NodeID: m.from.elementID, Found: len(out)}
	}
	return out[0], nil
}

func (m *relCore) count(ctx context.Context) (int, error) {
	if err := m.check("count"); err != nil {
		return 0, err
	}
	return m.nodes(nil).count(ctx)
}

// relationships lists the relationships between the node and target, as
// model values, at most limit of them (0: all).
func (m *relCore) relationships(ctx context.Context, op string, target Entity, limit int) ([]any, error) {
	if err := m.check(op); err != nil {
		return nil, err
	}
	tb, err := m.targetBase(op, target)
	if err != nil {
		return nil, err
	}
	query := "MATCH (a) WHERE elementId(a) = $from MATCH (a)" + m.rel.arrowVar("r") + "(b) WHERE elementId(b) = $to RETURN r ORDER BY elementId(r)"
	if limit > 0 {
		query += " LIMIT " + itoa(limit)
	}
	res, err := m.from.at.db.query(ctx, op, reads, query, map[string]any{"from": m.from.elementID, "to": tb.elementID})
	if err != nil {
		return nil, err
	}
	out := make([]any, len(res.Rows))
	for i, row := range res.Rows {
		if out[i], err = loadRel(m.from.at.db, m.model, row[0].(Relationship)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
