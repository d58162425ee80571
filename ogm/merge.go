package ogm

import (
	"context"
	"errors"
	"sort"
	"strings"
)

// ErrNoMergeKey: GetOrCreate or CreateOrUpdate was given a node with none of
// its unique or required properties set, so there is nothing to look it up
// by.
var ErrNoMergeKey = errorString("no unique or required property set to look the node up by")

// mergeRow is one node of a merge: its key, the properties to write on
// create and (for CreateOrUpdate) on match.
type mergeRow struct {
	keys    []string // sorted key properties
	key     map[string]any
	create  map[string]any
	onMatch map[string]any
}

// merge is GetOrCreate (update false) and CreateOrUpdate of nodes.
func (q *query) merge(ctx context.Context, op string, nodes []Entity, update bool) error {
	if q.invalid != nil {
		return q.invalid
	}
	if err := q.unfiltered(op); err != nil {
		return err
	}
	created := make([]bool, len(nodes))
	err := q.db.changing(ctx, func(u *undoLog) error {
		rows := make([]mergeRow, len(nodes))
		for i, v := range nodes {
			u.remember(v)
			r, err := mergeRowOf(ctx, q.typ, op, v, update)
			if err != nil {
				return err
			}
			rows[i] = r
		}
		return q.mergeRows(ctx, op, rows, nodes, update, created)
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

// mergeRows merges the rows of nodes in one transaction, one query per key
// shape, and records which nodes were created.
func (q *query) mergeRows(ctx context.Context, op string, rows []mergeRow, nodes []Entity, update bool, created []bool) error {
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
	return q.db.Write(ctx, func(ctx context.Context) error {
		for _, k := range order {
			if err := q.mergeGroup(ctx, op, rows, groups[k], update, nodes, created); err != nil {
				return err
			}
		}
		return nil
	})
}

func (q *query) mergeGroup(ctx context.Context, op string, rows []mergeRow, idx []int, update bool, nodes []Entity, created []bool) error {
	keys := rows[idx[0]].keys
	info := q.typ.info()
	var b strings.Builder
	b.WriteString("UNWIND $rows AS row MERGE (n" + labelExpr([]string{info.Label}) + " {")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Quote(k) + ": row.key." + Quote(k))
	}
	// A token of this query's and row's own marks the node a row creates,
	// and only such nodes lose it again: a property of that name already
	// on a node (the caller's data) is left alone, and a later row of the
	// batch merging into the node an earlier one created does not read as
	// having created it.
	b.WriteString("}) ON CREATE SET n += row.create, n.`_gonode_new` = $token + row.i")
	if len(info.Labels) > 1 {
		// The others of the type's labels; setting the one MERGE matched on
		// again changes nothing.
		b.WriteString(", n" + labelExpr(info.Labels))
	}
	if update {
		b.WriteString(" ON MATCH SET n += row.update")
	}
	b.WriteString(" WITH row, n, coalesce(n.`_gonode_new` = $token + row.i, false) AS created" +
		" FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | REMOVE n.`_gonode_new`)" +
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
	res, err := q.db.query(ctx, op, writes, b.String(), map[string]any{"rows": list, "token": NewUID()})
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		i := int(row[0].(int64))
		if created[i] = row[2].(bool); created[i] && !update {
			bind(nodes[i].nodeBase(), q.at, row[1].(Node).ElementId)
			continue
		}
		fresh, err := loadNode(q.at, row[1].(Node))
		if err != nil {
			return err
		}
		replace(nodes[i], fresh)
	}
	return nil
}

// mergeRowOf validates v, a node of type t, for a merge and splits its
// properties; with update, it also keeps those to write on match.
func mergeRowOf(ctx context.Context, t AnyNodeType, op string, v Entity, update bool) (mergeRow, error) {
	b := v.nodeBase()
	if b.deleted {
		return mergeRow{}, &NodeError{Op: op, Type: t.info().Name, ID: b.elementID, Kind: ErrDeleted}
	}
	var r mergeRow
	before, err := mergeKey(t, op, v, &r)
	if err != nil {
		return mergeRow{}, err
	}
	if r.create, err = prepareCreate(ctx, t, v); err != nil {
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
// set (and its unique_together combinations set in full), and returns all
// of v's encoded properties.
func mergeKey(t AnyNodeType, op string, v Entity, r *mergeRow) (map[string]any, error) {
	before, err := t.encodeEntity(v)
	if err != nil {
		return nil, err
	}
	r.key = map[string]any{}
	info := t.info()
	for _, p := range info.Props {
		if (p.Unique || p.Required) && before[p.Key] != nil {
			r.keys = append(r.keys, p.Key)
			r.key[p.Key] = before[p.Key]
		}
	}
	togetherKeys(info, before, r)
	if len(r.keys) == 0 {
		return nil, &NodeError{Op: op, Type: info.Name, Kind: ErrNoMergeKey}
	}
	sort.Strings(r.keys)
	return before, nil
}

// getOrCreate is RelManager.GetOrCreate of v (with the model value props,
// nil when none).
func (m *relCore) getOrCreate(ctx context.Context, v Entity, props any) error {
	if err := m.check("get or create"); err != nil {
		return err
	}
	var r mergeRow
	if _, err := mergeKey(m.target, "get or create", v, &r); err != nil {
		return err
	}
	return m.from.at.db.Write(ctx, func(ctx context.Context) error {
		q := m.nodes(nil)
		for _, k := range r.keys {
			q.where = append(q.where, opCond{key: k, op: opEq, val: r.key[k]})
		}
		found, err := q.collect(ctx, "get or create", 1)
		if err != nil {
			return err
		}
		if len(found) == 1 {
			m.from.at.db.remember(ctx, v)
			replace(v, found[0])
			return nil
		}
		if err := newQuery(m.from.at.db, m.target).merge(ctx, "get or create", []Entity{v}, false); err != nil {
			return err
		}
		// Connected meanwhile by another caller: it is there, as asked.
		if err := m.connectOne(ctx, v, props); err != nil && !errors.Is(err, ErrAlreadyConnected) {
			return err
		}
		return nil
	})
}
