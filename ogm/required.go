package ogm

import (
	"context"
	"slices"
	"sync"
)

// required holds, by target label, the accessors whose owners must keep at
// least one target (cardinality one or one_or_more): deleting a target must
// not leave an owner without. Generated schemas register theirs (NewSchema)
// when their package is initialised.
var required struct {
	sync.RWMutex
	byLabel map[string][]*RelSpec
}

// requireAccessors registers the accessors among specs whose owners need a
// target.
func requireAccessors(specs []*RelSpec) {
	required.Lock()
	defer required.Unlock()
	for _, s := range specs {
		if s.Cardinality.min() == 0 {
			continue
		}
		if required.byLabel == nil {
			required.byLabel = map[string][]*RelSpec{}
		}
		l := s.Target.info().Label
		if !slices.Contains(required.byLabel[l], s) {
			required.byLabel[l] = append(required.byLabel[l], s)
		}
	}
}

// dependents lists the registered accessors whose targets carry one of
// labels: the owners a node with those labels may be the required target of.
func dependents(labels []string) []*RelSpec {
	required.RLock()
	defer required.RUnlock()
	var out []*RelSpec
	for _, l := range labels {
		out = append(out, required.byLabel[l]...)
	}
	return out
}

// detachDelete deletes b, a node of type t, with its relationships, unless
// that would leave a node that must have a target through one of them
// without one (a City whose one country this is): then it returns a
// CardinalityError naming that node, and deletes nothing.
//
// The node is locked first, then each such owner, so that a concurrent
// Connect of a required relationship to this node (which locks its target)
// or Disconnect from an owner waits for the delete or is waited for, and no
// owner is counted before a change it could not see.
func detachDelete(ctx context.Context, tx *txRunner, t AnyNodeType, b *NodeBase) error {
	info := t.info()
	id := map[string]any{"id": b.elementID}
	specs := dependents(info.Labels)
	gone := &NodeError{Op: "delete", Type: info.Name, ID: b.elementID, Kind: ErrDoesNotExist}
	if len(specs) > 0 {
		found := false
		if _, err := tx.Run(ctx, nodeByID(t, "n")+"SET n += {} RETURN 1", id, func([]any) error { found = true; return nil }); err != nil {
			return err
		}
		if !found {
			return gone
		}
	}
	for _, s := range specs {
		owner := "o" + labelExpr([]string{s.OwnerLabel})
		q := nodeByID(t, "n") + "MATCH (" + owner + ")" + s.arrow() + "(n) WITH DISTINCT n, o SET o += {} " +
			"WITH n, o, COUNT { (o)" + s.arrow() + "(x" + labelExpr([]string{s.Target.info().Label}) + ") WHERE x <> n } AS others " +
			"WHERE others < $min RETURN elementId(o), others LIMIT 1"
		var violation *CardinalityError
		_, err := tx.Run(ctx, q, map[string]any{"id": b.elementID, "min": int64(s.Cardinality.min())}, func(row []any) error {
			violation = &CardinalityError{Rel: s, NodeID: row[0].(string), Found: int(row[1].(int64)),
				Hint: "deleting " + info.Name + " " + b.elementID + " would leave it without; connect it to another first (Reconnect or Replace)"}
			return nil
		})
		if err != nil {
			return err
		}
		if violation != nil {
			return violation
		}
	}
	found := false
	_, err := tx.Run(ctx, nodeByID(t, "n")+"DETACH DELETE n RETURN 1", id, func([]any) error { found = true; return nil })
	if err == nil && !found {
		return gone
	}
	return err
}
