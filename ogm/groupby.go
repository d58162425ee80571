package ogm

import (
	"context"
	"reflect"
)

// Group is one row of GroupBy: the nodes whose property has the value Key,
// and how many they are. The nodes without the property form one group of
// their own, with Unset true (and Key the zero value).
type Group[V any] struct {
	Key   V
	Unset bool
	Count int
}

// Groups is a GroupBy query; All runs it.
type Groups[V any] struct {
	q    *query
	key  string
	conv func(any) (any, bool)
}

// GroupBy counts the nodes of nodes (with its filters; Skip and Limit
// select the nodes first) by the value of prop, in one query: "books per
// genre" is
//
//	genres, err := ogm.GroupBy(books.BookNodes(db), books.BookGenre).All(ctx)
//
// The groups come largest first, ties in the order of their keys (the
// unset group after the others).
func GroupBy[P any](nodes *Nodes[P], prop *StringProp[P]) *Groups[string] {
	return &Groups[string]{q: nodes.q, key: prop.Key(), conv: convAny[string]}
}

// GroupByValue is GroupBy of a number, date or time property.
func GroupByValue[P, V any](nodes *Nodes[P], prop *OrderedProp[P, V]) *Groups[V] {
	return &Groups[V]{q: nodes.q, key: prop.Key(), conv: convAny[V]}
}

// All returns the groups.
func (g *Groups[V]) All(ctx context.Context) ([]Group[V], error) {
	out := []Group[V]{}
	err := g.q.groups(ctx, g.key, func(key any, n int) bool {
		k, ok := g.conv(key)
		if !ok {
			return false
		}
		v, _ := k.(V)
		out = append(out, Group[V]{Key: v, Unset: key == nil, Count: n})
		return true
	}, reflect.TypeFor[V]().String())
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Statement returns the query All would send, without running it.
func (g *Groups[V]) Statement() (Statement, error) { return g.q.groupStatement(g.key) }

// Explain returns the server's plan for the query All would send, without
// running it.
func (g *Groups[V]) Explain(ctx context.Context) (*Plan, error) {
	s, err := g.q.groupStatement(g.key)
	return g.q.planOf(ctx, s, err, false)
}

// Profile runs the query All would send with PROFILE and returns its plan.
func (g *Groups[V]) Profile(ctx context.Context) (*Plan, error) {
	s, err := g.q.groupStatement(g.key)
	return g.q.planOf(ctx, s, err, true)
}

func (q *query) groupStatement(key string) (Statement, error) {
	if q.invalid != nil {
		return Statement{}, q.invalid
	}
	var p params
	text := q.matchVar(&p, "n") + " WITH n" + q.tailVar(&p, "n") +
		" RETURN n." + Quote(key) + " AS _key, count(n) AS _count ORDER BY _count DESC, _key"
	return Statement{Cypher: text, Params: p.m}, p.err
}

// groups runs the GroupBy of the property stored under key, handing add
// each group's key and size; add returns false for a key that does not
// convert to want.
func (q *query) groups(ctx context.Context, key string, add func(key any, n int) bool, want string) error {
	s, err := q.groupStatement(key)
	if err != nil {
		return err
	}
	res, err := q.db.query(ctx, "group by", reads, s.Cypher, s.Params)
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		if !add(row[0], int(row[1].(int64))) {
			return &PropertyTypeError{Type: q.typeName(), Prop: key, Want: want, Value: row[0]}
		}
	}
	return nil
}
