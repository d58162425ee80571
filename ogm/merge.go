package ogm

import (
	"context"
	"sort"
	"strings"
)

// ErrNoMergeKey: GetOrCreate or CreateOrUpdate was given a node with none of
// its unique or required properties set, so there is nothing to look it up
// by.
var ErrNoMergeKey = errorString("no unique or required property set to look the node up by")

// GetOrCreate returns the stored node that has v's key, creating v when
// there is none (neomodel's get_or_create). The key is v's unique and
// required properties that are set before defaults apply: a uid (or any
// default) the call would generate is never part of it, so calling
// GetOrCreate twice with the same values gives one node (neomodel issues
// 788 and 812). v itself is bound to the node and, when the node existed,
// filled with its stored values. Concurrent calls cannot create two nodes
// when a unique constraint covers the key (install-labels creates them);
// without one, the database's MERGE gives no such promise.
func (n *Nodes[T]) GetOrCreate(ctx context.Context, v *T) (*T, error) {
	if err := n.GetOrCreateMany(ctx, []*T{v}); err != nil {
		return nil, err
	}
	return v, nil
}

// GetOrCreateMany is GetOrCreate for many nodes, in one query per set of
// key properties (UNWIND), all in one transaction.
func (n *Nodes[T]) GetOrCreateMany(ctx context.Context, nodes []*T) error {
	return n.merge(ctx, "get or create", nodes, false)
}

// CreateOrUpdate creates v, or updates the stored node with v's key (see
// GetOrCreate) with every property of v (neomodel's create_or_update).
// Defaults fill only a node being created: an existing node keeps its uid.
func (n *Nodes[T]) CreateOrUpdate(ctx context.Context, v *T) (*T, error) {
	if err := n.CreateOrUpdateMany(ctx, []*T{v}); err != nil {
		return nil, err
	}
	return v, nil
}

// CreateOrUpdateMany is CreateOrUpdate for many nodes, in one query per set
// of key properties (UNWIND), all in one transaction.
func (n *Nodes[T]) CreateOrUpdateMany(ctx context.Context, nodes []*T) error {
	return n.merge(ctx, "create or update", nodes, true)
}

// mergeRow is one node of a merge: its key, the properties to write on
// create and (for CreateOrUpdate) on match.
type mergeRow struct {
	keys    []string // sorted key properties
	key     map[string]any
	create  map[string]any
	onMatch map[string]any
}

func (n *Nodes[T]) merge(ctx context.Context, op string, nodes []*T, update bool) error {
	if n.scope != nil {
		return &NodeError{Op: op, Type: n.typ.Name, Kind: errorString("only on a type's manager or a relationship manager")}
	}
	rows := make([]mergeRow, len(nodes))
	for i, v := range nodes {
		r, err := n.typ.mergeRow(ctx, op, v, update)
		if err != nil {
			return err
		}
		rows[i] = r
	}
	// One query per key shape, in the order the shapes first appear.
	groups := map[string][]int{}
	var order []string
	for i, r := range rows {
		k := strings.Join(r.keys, "\x00")
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	created := make([]bool, len(nodes))
	err := n.db.Write(ctx, func(ctx context.Context) error {
		for _, k := range order {
			idx := groups[k]
			if err := n.mergeGroup(ctx, op, rows, idx, update, nodes, created); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, v := range nodes {
		var err error
		switch {
		case created[i]:
			err = afterCreate(ctx, v)
		case update:
			err = afterSave(ctx, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (n *Nodes[T]) mergeGroup(ctx context.Context, op string, rows []mergeRow, idx []int, update bool, nodes []*T, created []bool) error {
	keys := rows[idx[0]].keys
	var b strings.Builder
	b.WriteString("UNWIND $rows AS row MERGE (n" + labelExpr([]string{n.typ.Label}) + " {")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Quote(k) + ": row.key." + Quote(k))
	}
	b.WriteString("}) ON CREATE SET n += row.create, n.`_gonode_new` = true")
	if len(n.typ.Labels) > 1 {
		// The others of the type's labels; setting the one MERGE matched on
		// again changes nothing.
		b.WriteString(", n" + labelExpr(n.typ.Labels))
	}
	if update {
		b.WriteString(" ON MATCH SET n += row.update")
	}
	b.WriteString(" WITH row, n, n.`_gonode_new` IS NOT NULL AS created REMOVE n.`_gonode_new`" +
		" RETURN row.i, n, created")
	list := make([]any, len(idx))
	for j, i := range idx {
		r := rows[i]
		row := map[string]any{"i": int64(i), "key": r.key, "create": r.create}
		if update {
			row["update"] = r.onMatch
		}
		list[j] = row
	}
	res, err := n.db.query(ctx, op, writes, b.String(), map[string]any{"rows": list})
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		i := int(row[0].(int64))
		if created[i] = row[2].(bool); created[i] && !update {
			n.typ.Base(nodes[i]).bind(n.db, row[1].(Node).ElementId)
			continue
		}
		fresh, err := n.typ.load(n.db, row[1].(Node))
		if err != nil {
			return err
		}
		*nodes[i] = *fresh
	}
	return nil
}

// mergeRow validates v for a merge and splits its properties; with update,
// it also keeps those to write on match.
func (t *NodeType[T]) mergeRow(ctx context.Context, op string, v *T, update bool) (mergeRow, error) {
	b := t.Base(v)
	if b.deleted {
		return mergeRow{}, &NodeError{Op: op, Type: t.Name, ID: b.elementID, Kind: ErrDeleted}
	}
	var r mergeRow
	before, err := t.mergeKey(op, v, &r)
	if err != nil {
		return mergeRow{}, err
	}
	if r.create, err = t.prepareCreate(ctx, v); err != nil {
		return mergeRow{}, err
	}
	if update {
		// On match, write what the caller set, not what Init just generated.
		r.onMatch = map[string]any{}
	}
	for k, val := range r.create {
		if update && (before[k] != nil || val == nil) {
			r.onMatch[k] = val
		}
		if val == nil {
			delete(r.create, k)
		}
	}
	return r, nil
}

// mergeKey sets r's key from v's unique and required properties that are
// set, and returns all of v's encoded properties.
func (t *NodeType[T]) mergeKey(op string, v *T, r *mergeRow) (map[string]any, error) {
	before, err := t.Encode(v)
	if err != nil {
		return nil, err
	}
	r.key = map[string]any{}
	for _, p := range t.Props {
		if (p.Unique || p.Required) && before[p.Key] != nil {
			r.keys = append(r.keys, p.Key)
			r.key[p.Key] = before[p.Key]
		}
	}
	if len(r.keys) == 0 {
		return nil, &NodeError{Op: op, Type: t.Name, Kind: ErrNoMergeKey}
	}
	sort.Strings(r.keys)
	return before, nil
}

// GetOrCreate returns the target connected to this node that has v's key
// (see Nodes.GetOrCreate); when there is none, it gets or creates that node
// and connects it, with props, checking cardinality as Connect does
// (neomodel's get_or_create(..., relationship=rel)). All in one
// transaction.
func (m *RelManager[To, M]) GetOrCreate(ctx context.Context, v *To, props ...*M) (*To, error) {
	if err := m.check("get or create"); err != nil {
		return nil, err
	}
	var r mergeRow
	if _, err := m.target.mergeKey("get or create", v, &r); err != nil {
		return nil, err
	}
	err := m.from.db.Write(ctx, func(ctx context.Context) error {
		q := m.nodes()
		for _, k := range r.keys {
			q.where = append(q.where, opCond{key: k, render: infix("="), val: r.key[k]})
		}
		found, err := q.fetch(ctx, "get or create", 1)
		if err != nil {
			return err
		}
		if len(found) == 1 {
			*v = *found[0]
			return nil
		}
		if _, err := NewNodes(m.from.db, m.target).GetOrCreate(ctx, v); err != nil {
			return err
		}
		return m.Connect(ctx, v, props...)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
