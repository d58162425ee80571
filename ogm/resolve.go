package ogm

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Registry knows the generated types of one or more packages, to turn the
// nodes and relationships of raw Cypher results into them (neomodel's
// resolve_objects) and to find the most specific type of a node:
//
//	reg := ogm.NewRegistry(people.Schema, auth.Schema)
//	res, err := db.Cypher(ctx, "MATCH (p:Person) RETURN p", nil, ogm.ResolveWith(reg))
//	p := res.Rows[0][0].(*people.Person)
type Registry struct {
	nodes []AnyNodeType         // concrete node types, in registration order
	rels  map[string]AnyRelType // relationship type → model
}

// NewRegistry returns the registry of the node types and relationship
// models of schemas (each generated package's Schema).
func NewRegistry(schemas ...*Schema) *Registry {
	r := &Registry{rels: map[string]AnyRelType{}}
	seen := map[AnyNodeType]bool{}
	for _, s := range schemas {
		for _, n := range s.Nodes {
			if n.Type == nil {
				continue
			}
			if !seen[n.Type] {
				seen[n.Type] = true
				r.nodes = append(r.nodes, n.Type)
			}
		}
		for _, m := range s.RelModels {
			if _, dup := r.rels[m.Type]; !dup && m.ModelType != nil {
				r.rels[m.Type] = m.ModelType
			}
		}
	}
	return r
}

// ErrUnknownLabels: a node's labels match no generated type of the
// registry.
var ErrUnknownLabels = errorString("no generated type matches the node's labels")

// ResolveError is a node no registered type matches.
type ResolveError struct {
	Labels []string
}

// Error implements error.
func (e *ResolveError) Error() string {
	return fmt.Sprintf("ogm: resolve: %s: %v", ErrUnknownLabels, e.Labels)
}

// Is makes errors.Is(err, ogm.ErrUnknownLabels) match.
func (e *ResolveError) Is(target error) bool { return target == ErrUnknownLabels }

// typeFor returns the most specific type whose labels the node has all of:
// the one writing the most labels (a subclass writes its parents' labels
// and its own). A tie goes to the type registered first.
func (r *Registry) typeFor(labels []string) (AnyNodeType, error) {
	var best AnyNodeType
	for _, t := range r.nodes {
		want := t.info().Labels
		if !containsAll(labels, want) {
			continue
		}
		if best == nil || len(want) > len(best.info().Labels) {
			best = t
		}
	}
	if best == nil {
		return nil, &ResolveError{Labels: slices.Clone(labels)}
	}
	return best, nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Node turns a driver node into a value of its most specific registered
// type (a *people.Person, …) bound to db.
func (r *Registry) Node(db *DB, n Node) (any, error) {
	t, err := r.typeFor(n.Labels)
	if err != nil {
		return nil, err
	}
	return loadNode(bindingOf(db, t), n)
}

// Specific returns the node behind v (a value loaded as some ancestor type,
// such as a *people.Person that is also an Admin) as its most specific
// registered type: v itself when that is v's own type, else the node read
// again as the subclass (one query).
func (r *Registry) Specific(ctx context.Context, v Entity) (any, error) {
	b := v.nodeBase()
	if err := usable(b, "specific", fmt.Sprintf("%T", v)); err != nil {
		return nil, err
	}
	t, err := r.typeFor(labelsOf(b))
	if err != nil {
		return nil, err
	}
	if b.at.typ == t {
		return v, nil
	}
	node, err := reread(ctx, b, "specific", t.info().Name)
	if err != nil {
		return nil, err
	}
	return r.Node(b.at.db, node)
}

// ResolvedPath is a path of a resolved result: its nodes and relationships
// as generated types, in path order.
type ResolvedPath struct {
	Nodes []any
	Rels  []any
}

// Resolve converts a value of a raw result: nodes to their most specific
// registered type, relationships to their model (*ogm.Rel when the type has
// none), paths to ResolvedPath, recursively inside lists and maps. Other
// values are returned as they are.
func (r *Registry) Resolve(db *DB, v any) (any, error) {
	switch x := v.(type) {
	case Node:
		return r.Node(db, x)
	case Relationship:
		t, ok := r.rels[x.Type]
		if !ok {
			t = PlainRel
		}
		return loadRel(db, t, x)
	case GraphPath:
		p := ResolvedPath{Nodes: make([]any, len(x.Nodes)), Rels: make([]any, len(x.Relationships))}
		for i, n := range x.Nodes {
			var err error
			if p.Nodes[i], err = r.Resolve(db, n); err != nil {
				return nil, err
			}
		}
		for i, rel := range x.Relationships {
			var err error
			if p.Rels[i], err = r.Resolve(db, rel); err != nil {
				return nil, err
			}
		}
		return p, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = r.Resolve(db, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = r.Resolve(db, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// CypherOption changes what DB.Cypher returns.
type CypherOption func(*cypherOptions)

type cypherOptions struct {
	reg        *Registry
	autoCommit bool
}

// AutoCommit makes DB.Cypher run the query in an auto-commit (implicit)
// transaction, which the server commits itself: what CALL { … } IN
// TRANSACTIONS needs, to commit its batches one by one. Such a query is
// not retried (part of it may have committed), and cannot join DB.Write or
// DB.Read: there it fails with ErrQuery. It runs as a write.
func AutoCommit() CypherOption {
	return func(o *cypherOptions) { o.autoCommit = true }
}

// ResolveWith makes DB.Cypher resolve every value of the result with reg
// (Registry.Resolve): nodes and relationships come back as generated types.
func ResolveWith(reg *Registry) CypherOption {
	return func(o *cypherOptions) { o.reg = reg }
}

func (r *Registry) resolveResult(db *DB, res *Result) error {
	for _, row := range res.Rows {
		for i, v := range row {
			var err error
			if row[i], err = r.Resolve(db, v); err != nil {
				return fmt.Errorf("column %s: %w", strings.TrimSpace(res.Keys[i]), err)
			}
		}
	}
	return nil
}
