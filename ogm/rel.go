package ogm

import (
	"context"
	"fmt"
	"strings"
)

// Direction is the direction of a relationship seen from its owner.
type Direction int

// The directions of the schema language.
const (
	Out  Direction = iota // (owner)-[:TYPE]->(target)
	In                    // (owner)<-[:TYPE]-(target)
	Both                  // (owner)-[:TYPE]-(target): either way, connected once
)

// Cardinality is how many targets a node may have through one relationship.
type Cardinality int

// The cardinalities of the schema language.
const (
	ZeroOrMore Cardinality = iota
	ZeroOrOne
	One
	OneOrMore
)

var cardinalityNames = [...]string{"zero_or_more", "zero_or_one", "one", "one_or_more"}

func (c Cardinality) String() string { return cardinalityNames[c] }

// max is the most targets allowed, 0 meaning no limit.
func (c Cardinality) max() int {
	if c == ZeroOrOne || c == One {
		return 1
	}
	return 0
}

// min is the fewest targets a saved node must keep.
func (c Cardinality) min() int {
	if c == One || c == OneOrMore {
		return 1
	}
	return 0
}

// RelSpec describes one relationship accessor of a node type. Generated code
// declares one per relationship and per reverse accessor.
type RelSpec struct {
	Owner       string      // node type owning the accessor, e.g. "Person"
	OwnerLabel  string      // its label
	Name        string      // accessor name in the schema, e.g. "country"
	Type        string      // relationship type, e.g. "IS_FROM"
	Direction   Direction   // seen from the owner
	Cardinality Cardinality // how many targets an owner may have
	// OtherCardinality is how many owners a target may have through this
	// relationship: the cardinality declared on the other end (for a reverse
	// accessor, the declaring side's), enforced on connects from this end.
	OtherCardinality Cardinality
	Target           AnyNodeType
	// Multiple: every Connect creates a relationship; without it Connect
	// to a node already connected leaves the one relationship as it is.
	Multiple bool
	// Model is the relationship model, nil when the schema gives none.
	Model AnyRelType
	// SetFetched stores targets loaded by FetchRelations in the owner's
	// Fetched field. The slice is only valid during the call (the flat
	// plan reuses it): keep its elements, not the slice.
	SetFetched func(owner any, targets []any)
	// SetFetchedRels, when set, stores the relationships FetchRelations
	// followed (model values, in the order of the targets) in the owner's
	// Fetched field: relationships with a model only.
	SetFetchedRels func(owner any, rels []any)
}

// arrow renders the relationship as seen from the owner, e.g. -[:IS_FROM]->.
func (r *RelSpec) arrow() string {
	t := "[:" + Quote(r.Type) + "]"
	switch r.Direction {
	case In:
		return "<-" + t + "-"
	case Both:
		return "-" + t + "-"
	}
	return "-" + t + "->"
}

// arrowVar is arrow with the relationship bound to variable v.
func (r *RelSpec) arrowVar(v string) string {
	return strings.Replace(r.arrow(), "[:", "["+v+":", 1)
}

// AnyRelType is a *RelType[M] of any M.
type AnyRelType interface {
	loadAny(db *DB, r Relationship) (any, error)
}

func (t *RelType[M]) loadAny(db *DB, r Relationship) (any, error) { return t.load(db, r) }

// AnyNodeType is a *NodeType[T] of any T: what a relationship needs of its
// target type.
type AnyNodeType interface {
	label() string
	labelSet() []string
	typeName() string
	isValue(v any) bool
	loadAny(db *DB, n Node) (any, error)
}

func (t *NodeType[T]) label() string      { return t.Label }
func (t *NodeType[T]) labelSet() []string { return t.Labels }
func (t *NodeType[T]) typeName() string   { return t.Name }
func (t *NodeType[T]) isValue(v any) bool { _, ok := v.(*T); return ok }
func (t *NodeType[T]) loadAny(db *DB, n Node) (any, error) {
	return t.load(db, n)
}

// CardinalityError is a write or read that would break (or found broken) the
// cardinality of a relationship. errors.Is(err, ErrCardinality) matches it.
type CardinalityError struct {
	Rel    *RelSpec
	NodeID string // element id of the node whose count is wrong
	Found  int    // the count found (or that the write would make)
	Hint   string // what to do instead, if anything
}

// ErrCardinality is the kind of every *CardinalityError.
var ErrCardinality = errorString("cardinality violation")

// Error implements error.
func (e *CardinalityError) Error() string {
	dir := map[Direction]string{Out: "outgoing", In: "incoming", Both: "undirected"}[e.Rel.Direction]
	s := fmt.Sprintf("ogm: %s.%s (%s %s to %s) is %s, found %d",
		e.Rel.Owner, e.Rel.Name, dir, e.Rel.Type, e.Rel.Target.typeName(), e.Rel.Cardinality, e.Found)
	if e.NodeID != "" {
		s += " on node " + e.NodeID
	}
	if e.Hint != "" {
		s += ": " + e.Hint
	}
	return s
}

// Is makes errors.Is(err, ogm.ErrCardinality) match.
func (e *CardinalityError) Is(target error) bool { return target == ErrCardinality }

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

// RelManager manages one node's relationship of one kind: generated
// accessors return it (jim.Country()). To is the target node type, M the
// relationship model (Rel when the schema names none).
type RelManager[To, M any] struct {
	from   *NodeBase
	rel    *RelSpec
	target *NodeType[To]
	model  *RelType[M]
}

// NewRelManager is for generated accessors.
func NewRelManager[To, M any](from *NodeBase, rel *RelSpec, target *NodeType[To], model *RelType[M]) *RelManager[To, M] {
	return &RelManager[To, M]{from: from, rel: rel, target: target, model: model}
}

func (m *RelManager[To, M]) check(op string) error {
	return m.from.usable(op, m.rel.Owner)
}

func (m *RelManager[To, M]) targetBase(op string, to *To) (*NodeBase, error) {
	b := m.target.Base(to)
	if err := b.usable(op, m.target.Name); err != nil {
		return nil, err
	}
	return b, nil
}

// nodes is the query over this relationship's targets.
func (m *RelManager[To, M]) nodes() *Nodes[To] {
	n := NewNodes(m.from.db, m.target)
	n.scope = &relScope{from: m.from, rel: m.rel}
	return n
}

// Connect creates the relationship to target, with props when the
// relationship has a model (defaults applied, validated first). It checks
// the cardinality of both ends in the same transaction as the write, so
// concurrent connects cannot exceed it.
//
// The MERGE rule: two nodes have at most one relationship of an accessor,
// so Connect to a node already connected changes nothing (not even the
// properties: change them with Relationship and Save). A relationship
// declared with `multiple: true` is created anew by every Connect (one per
// purchase, visit, …; AllRelationships lists them). zero_or_one and one
// refuse a second Connect instead, even to the same node.
func (m *RelManager[To, M]) Connect(ctx context.Context, target *To, props ...*M) error {
	if err := m.check("connect"); err != nil {
		return err
	}
	tb, err := m.targetBase("connect", target)
	if err != nil {
		return err
	}
	values, err := m.model.prepare(props)
	if err != nil {
		return err
	}
	return m.from.db.run(ctx, "connect", writes, func(tx *txRunner) error {
		_, err := m.connect(ctx, tx, tb, values)
		return err
	})
}

// connect writes one relationship with encoded properties and checks both
// ends' cardinality.
func (m *RelManager[To, M]) connect(ctx context.Context, tx *txRunner, tb *NodeBase, values map[string]any) (string, error) {
	rel := m.rel
	limited := rel.Cardinality.max() > 0 || rel.OtherCardinality.max() > 0
	write := "MERGE (a)" + rel.arrowVar("r") + "(b) ON CREATE SET r = $props"
	if limited || rel.Multiple {
		// A second relationship must be refused even to the same node, so
		// it is created and counted, never merged away.
		write = "CREATE (a)" + rel.arrowVar("r") + "(b) SET r = $props"
	}
	back := &RelSpec{Type: rel.Type, Direction: map[Direction]Direction{Out: In, In: Out, Both: Both}[rel.Direction]}
	var locks []string
	if rel.Cardinality.max() > 0 {
		locks = append(locks, "a")
	}
	if rel.OtherCardinality.max() > 0 {
		locks = append(locks, "b")
	}
	// Each end is counted only when it has a limit: counting an unlimited
	// end would walk all its relationships for nothing.
	countA, countB := "0", "0"
	if rel.Cardinality.max() > 0 {
		countA = "COUNT { (a)" + rel.arrow() + "(" + labelExpr([]string{rel.Target.label()}) + ") }"
	}
	if rel.OtherCardinality.max() > 0 {
		countB = "COUNT { (b)" + back.arrow() + "(" + labelExpr([]string{rel.OwnerLabel}) + ") }"
	}
	query := "MATCH (a) WHERE elementId(a) = $from MATCH (b) WHERE elementId(b) = $to " + lockNodes(locks...) + write +
		" RETURN elementId(r), " + countA + " AS na, " + countB + " AS nb"
	var relID string
	var na, nb int64
	found := false
	_, err := tx.Run(ctx, query, map[string]any{"from": m.from.elementID, "to": tb.elementID, "props": values}, func(row []any) error {
		found = true
		relID, na, nb = row[0].(string), row[1].(int64), row[2].(int64)
		return nil
	})
	if err != nil {
		return "", err
	}
	if !found {
		return "", &NodeError{Op: "connect", Type: rel.Owner, ID: m.from.elementID, Kind: ErrDoesNotExist}
	}
	var violation error
	if max := rel.Cardinality.max(); max > 0 && na > int64(max) {
		violation = &CardinalityError{Rel: rel, NodeID: m.from.elementID, Found: int(na),
			Hint: "already connected; use Reconnect or Replace to change the target"}
	} else if max := rel.OtherCardinality.max(); max > 0 && nb > int64(max) {
		violation = &CardinalityError{Rel: rel, NodeID: tb.elementID, Found: int(nb),
			Hint: fmt.Sprintf("the %s is already connected by %s (%s on that end)", m.target.Name, rel.Type, rel.OtherCardinality)}
	}
	if violation != nil {
		// Undo the write: inside a caller's transaction the error alone would
		// not roll it back if the caller went on and committed.
		if _, err := tx.Run(ctx, "MATCH ()-[r]->() WHERE elementId(r) = $id DELETE r", map[string]any{"id": relID}, nil); err != nil {
			return "", err
		}
		return "", violation
	}
	return relID, nil
}

// lockNodes takes a write lock on each node variable, held until the
// transaction ends. Neo4j 5 creates and deletes relationships without
// locking their end nodes exclusively, so two transactions could each count
// the other's relationship out and both commit; writing a property (and
// removing it again) serialises them on the node.
func lockNodes(vars ...string) string {
	var b strings.Builder
	for _, v := range vars {
		b.WriteString("SET " + v + ".`_gonode_lock` = true REMOVE " + v + ".`_gonode_lock` ")
	}
	if b.Len() > 0 {
		b.WriteString("WITH * ")
	}
	return b.String()
}

// Disconnect removes every relationship of this kind between the node and
// target. It refuses to remove the last one of a one/one_or_more
// relationship.
func (m *RelManager[To, M]) Disconnect(ctx context.Context, target *To) error {
	if err := m.check("disconnect"); err != nil {
		return err
	}
	tb, err := m.targetBase("disconnect", target)
	if err != nil {
		return err
	}
	return m.disconnect(ctx, "disconnect", "AND elementId(b) = $to", map[string]any{"to": tb.elementID})
}

// DisconnectAll removes every relationship of this kind from the node.
func (m *RelManager[To, M]) DisconnectAll(ctx context.Context) error {
	if err := m.check("disconnect all"); err != nil {
		return err
	}
	return m.disconnect(ctx, "disconnect all", "", map[string]any{})
}

func (m *RelManager[To, M]) disconnect(ctx context.Context, op, extra string, args map[string]any) error {
	args["from"] = m.from.elementID
	rel := m.rel
	lock := ""
	if rel.Cardinality.min() > 0 {
		lock = lockNodes("a")
	}
	query := "MATCH (a) WHERE elementId(a) = $from " + lock + "OPTIONAL MATCH (a)" + rel.arrowVar("r") +
		"(b" + labelExpr([]string{rel.Target.label()}) + ") WHERE r IS NOT NULL " + extra +
		" DELETE r WITH a, count(r) AS removed RETURN removed, COUNT { (a)" + rel.arrow() +
		"(" + labelExpr([]string{rel.Target.label()}) + ") }"
	return m.from.db.run(ctx, op, writes, func(tx *txRunner) error {
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

// Reconnect moves the relationship from old to new, keeping its
// properties, in one transaction.
func (m *RelManager[To, M]) Reconnect(ctx context.Context, old, new *To) error {
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
	return m.from.db.run(ctx, "reconnect", writes, func(tx *txRunner) error {
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
			return &NodeError{Op: "reconnect", Type: m.target.Name, ID: ob.elementID, Kind: ErrNotConnected}
		}
		if props == nil {
			props = map[string]any{}
		}
		_, err = m.connect(ctx, tx, nb, props)
		return err
	})
}

// ErrNotConnected: the nodes are not connected by the relationship.
var ErrNotConnected = errorString("not connected")

// Replace removes every relationship of this kind from the node and
// connects it to target instead, in one transaction.
func (m *RelManager[To, M]) Replace(ctx context.Context, target *To, props ...*M) error {
	if err := m.check("replace"); err != nil {
		return err
	}
	tb, err := m.targetBase("replace", target)
	if err != nil {
		return err
	}
	values, err := m.model.prepare(props)
	if err != nil {
		return err
	}
	rel := m.rel
	return m.from.db.run(ctx, "replace", writes, func(tx *txRunner) error {
		_, err := tx.Run(ctx, "MATCH (a) WHERE elementId(a) = $from "+lockNodes("a")+"OPTIONAL MATCH (a)"+rel.arrowVar("r")+"("+labelExpr([]string{rel.Target.label()})+") DELETE r",
			map[string]any{"from": m.from.elementID}, nil)
		if err != nil {
			return err
		}
		_, err = m.connect(ctx, tx, tb, values)
		return err
	})
}

// IsConnected reports whether the node and target are connected by this
// relationship.
func (m *RelManager[To, M]) IsConnected(ctx context.Context, target *To) (bool, error) {
	if err := m.check("is connected"); err != nil {
		return false, err
	}
	tb, err := m.targetBase("is connected", target)
	if err != nil {
		return false, err
	}
	res, err := m.from.db.query(ctx, "is connected", reads,
		"MATCH (a) WHERE elementId(a) = $from MATCH (b) WHERE elementId(b) = $to RETURN EXISTS { (a)"+m.rel.arrow()+"(b) }",
		map[string]any{"from": m.from.elementID, "to": tb.elementID})
	if err != nil || len(res.Rows) == 0 {
		return false, err
	}
	return res.Rows[0][0].(bool), nil
}

// All returns every target.
func (m *RelManager[To, M]) All(ctx context.Context) ([]*To, error) {
	if err := m.check("all"); err != nil {
		return nil, err
	}
	out, err := m.nodes().All(ctx)
	if err != nil {
		return nil, err
	}
	return out, m.checkRead(len(out))
}

// checkRead reports a stored state that breaks the cardinality.
func (m *RelManager[To, M]) checkRead(n int) error {
	c := m.rel.Cardinality
	if (c.max() > 0 && n > c.max()) || n < c.min() {
		return &CardinalityError{Rel: m.rel, NodeID: m.from.elementID, Found: n}
	}
	return nil
}

// Single returns the one target: nil when there is none (zero_or_one,
// zero_or_more), a *CardinalityError when a one relationship has none or a
// to-one relationship has several.
func (m *RelManager[To, M]) Single(ctx context.Context) (*To, error) {
	if err := m.check("single"); err != nil {
		return nil, err
	}
	out, err := m.nodes().Limit(2).All(ctx)
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

// Get returns the one target matching preds, or ErrDoesNotExist /
// ErrMultipleNodes.
func (m *RelManager[To, M]) Get(ctx context.Context, preds ...Pred[To]) (*To, error) {
	if err := m.check("get"); err != nil {
		return nil, err
	}
	return m.nodes().Get(ctx, preds...)
}

// Filter queries the targets matching preds.
func (m *RelManager[To, M]) Filter(preds ...Pred[To]) *Nodes[To] { return m.nodes().Filter(preds...) }

// Exclude queries the targets not matching preds.
func (m *RelManager[To, M]) Exclude(preds ...Pred[To]) *Nodes[To] {
	return m.nodes().Exclude(preds...)
}

// OrderBy queries the targets in order.
func (m *RelManager[To, M]) OrderBy(orders ...Order[To]) *Nodes[To] {
	return m.nodes().OrderBy(orders...)
}

// Match queries the targets whose relationship satisfies preds (conditions
// on the relationship model's properties).
func (m *RelManager[To, M]) Match(preds ...Pred[M]) *Nodes[To] {
	n := NewNodes(m.from.db, m.target)
	n.scope = &relScope{from: m.from, rel: m.rel, relW: conds(preds)}
	return n
}

// Count returns the number of targets.
func (m *RelManager[To, M]) Count(ctx context.Context) (int, error) {
	if err := m.check("count"); err != nil {
		return 0, err
	}
	return m.nodes().Count(ctx)
}

// Relationship returns the relationship between the node and target (the
// first, when there are several), or ErrNotConnected.
func (m *RelManager[To, M]) Relationship(ctx context.Context, target *To) (*M, error) {
	rels, err := m.relationships(ctx, "relationship", target, 1)
	if err != nil {
		return nil, err
	}
	if len(rels) == 0 {
		return nil, &NodeError{Op: "relationship", Type: m.target.Name, Kind: ErrNotConnected}
	}
	return rels[0], nil
}

// AllRelationships returns every relationship of this kind between the node
// and target.
func (m *RelManager[To, M]) AllRelationships(ctx context.Context, target *To) ([]*M, error) {
	return m.relationships(ctx, "all relationships", target, 0)
}

func (m *RelManager[To, M]) relationships(ctx context.Context, op string, target *To, limit int) ([]*M, error) {
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
	res, err := m.from.db.query(ctx, op, reads, query, map[string]any{"from": m.from.elementID, "to": tb.elementID})
	if err != nil {
		return nil, err
	}
	out := make([]*M, len(res.Rows))
	for i, row := range res.Rows {
		if out[i], err = m.model.load(m.from.db, row[0].(Relationship)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
