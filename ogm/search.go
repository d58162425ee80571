package ogm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// Similarity search on vector indexes (neomodel's VectorFilter), issue #21.
//
// Nearest asks the vector index (db.index.vector.queryNodes) for the k
// nearest nodes, then applies the node set's filters to those k: filters
// narrow the top k, so fewer than k nodes may come back (the index is
// approximate and knows nothing of the filters). Exact() turns it around:
// the filters select the candidates first and every candidate is scored
// (vector.similarity.cosine or .euclidean), so the result is the exact top
// k of the filtered set, at the cost of reading every candidate. The index
// name, k, the vector and the minimum score are always parameters.

// Scored is a search result: a node (or a relationship model) and its
// score, larger is closer. For a vector index the score is in [0, 1]:
// (1 + cos θ) / 2 for cosine, 1 / (1 + d²) for euclidean. For full-text
// search it is Lucene's relevance score.
type Scored[P any] struct {
	Node  P
	Score float64
}

// ErrNoIndex: the search needs an index the database does not have (run
// install-labels), or the property declares none.
var ErrNoIndex = errors.New("no such index")

// SearchOption changes how Nearest, NearestRels and Search search.
type SearchOption func(*searchOptions)

type searchOptions struct {
	minScore   *float64
	exact      bool
	candidates int
}

// MinScore keeps the results whose score is at least s.
func MinScore(s float64) SearchOption { return func(o *searchOptions) { o.minScore = &s } }

// Exact makes Nearest rank every node of the set that passes its filters
// (pre-filtering, brute force, no index needed) instead of filtering the
// index's top k (post-filtering). Use it when the filters are selective or
// the answer must be exact; it reads every candidate.
func Exact() SearchOption { return func(o *searchOptions) { o.exact = true } }

// Candidates asks the vector index for the n nearest (n above k) and
// keeps the best k of them that pass the filters and the minimum score.
// The index is approximate (HNSW): a larger candidate list raises its
// recall, and leaves k results after filters more often. Exact ignores it.
func Candidates(n int) SearchOption { return func(o *searchOptions) { o.candidates = n } }

// indexK is how many neighbours to ask the index for.
func (o searchOptions) indexK(k int) int { return max(k, o.candidates) }

func searchOpts(opts []SearchOption) searchOptions {
	var o searchOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// scored is a search result before it is converted to its generated type.
type scored struct {
	v     any
	score float64
}

// Nearest returns the k nodes of the set whose vector property prop is
// nearest to vector, closest first, with their scores. prop must declare a
// vector index (index: vector); vector must have its dimensions. The set's
// filters (Filter, Exclude, FetchRelations' required paths) apply to the
// index's k nearest, unless Exact is given (see Exact); FetchRelations
// loads relationships as for All. OrderBy, Skip and Limit are refused: the
// result is ordered by score and k bounds it.
//
//	hits, err := search.DocNodes(db).Filter(search.DocTopic.Eq("go")).
//		Nearest(ctx, search.DocEmbedding, vec, 10, ogm.MinScore(0.8))
func (n *Nodes[P]) Nearest(ctx context.Context, prop *ListProp[P, float64], vector []float64, k int, opts ...SearchOption) ([]Scored[P], error) {
	found, err := n.q.nearest(ctx, prop.Key(), vector, k, searchOpts(opts))
	return scoredAs[P](found), err
}

// NearestRels returns the k relationships along path (one relationship of
// a model, e.g. search.DocCites, or search.DocCitesMatch(preds...) to
// filter on the model's properties) whose vector property prop is nearest
// to vector, closest first, with their scores: the vector index of the
// relationship type (db.index.vector.queryRelationships), its filters
// applied to the index's k nearest; with Exact, every relationship from an
// owner to a target of the path's types that passes them is ranked. The
// values are bound: their StartID and EndID name the nodes they connect.
func NearestRels[R, X, M any](ctx context.Context, db *DB, path *Path[R, X], prop *ListProp[M, float64], vector []float64, k int, opts ...SearchOption) ([]Scored[M], error) {
	found, err := nearestRels(ctx, db, path.hops, prop.Key(), reflect.TypeFor[M](), vector, k, searchOpts(opts))
	return scoredAs[M](found), err
}

// scoredAs converts search results to their generated type.
func scoredAs[P any](found []scored) []Scored[P] {
	if found == nil {
		return nil
	}
	out := make([]Scored[P], len(found))
	for i, s := range found {
		out[i] = Scored[P]{Node: s.v.(P), Score: s.score}
	}
	return out
}

// vectorProp finds the declared vector property stored as key.
func vectorProp(op, typ string, props []PropInfo, key string) (PropInfo, error) {
	for _, p := range props {
		if p.Key == key {
			if p.Index != VectorIndex {
				return p, &Error{Op: op, Kind: ErrNoIndex, Msg: fmt.Sprintf("%s.%s declares no vector index (index: vector)", typ, key)}
			}
			return p, nil
		}
	}
	return PropInfo{}, &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("%s has no property %s", typ, Quote(key))}
}

// checkVector refuses a vector the index cannot compare, and a k below 1,
// before anything is sent.
func checkVector(op string, p PropInfo, vector []float64, k int) error {
	switch {
	case k < 1:
		return &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("k must be at least 1, found %d", k)}
	case k > maxK:
		return &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("k must be at most %d, found %d", maxK, k)}
	case len(vector) != p.Dimensions:
		return &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("the vector has %d dimensions; %s has %d", len(vector), p.Key, p.Dimensions)}
	}
	for i, x := range vector {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("the vector's element %d is %v; only finite numbers compare", i, x)}
		}
	}
	return nil
}

// maxK bounds k and Candidates: a search returns what it finds at once.
const maxK = 100_000

// similarityFn is the Cypher function that scores p's vectors as its index
// does.
func similarityFn(p PropInfo) string {
	if similarityOf(p) == Euclidean {
		return "vector.similarity.euclidean"
	}
	return "vector.similarity.cosine"
}

// nearest is Nodes.Nearest on the type-independent query.
func (q *query) nearest(ctx context.Context, key string, vector []float64, k int, o searchOptions) ([]scored, error) {
	const op = "nearest"
	if q.invalid != nil {
		return nil, q.invalid
	}
	info := q.typ.info()
	p, err := vectorProp(op, info.Name, info.Props, key)
	if err != nil {
		return nil, err
	}
	if err := checkVector(op, p, vector, k); err != nil {
		return nil, err
	}
	if o.candidates > maxK {
		return nil, &Error{Op: op, Kind: ErrValidation, Msg: fmt.Sprintf("Candidates must be at most %d, found %d", maxK, o.candidates)}
	}
	if err := q.searchable(op, o.exact); err != nil {
		return nil, err
	}
	var ps params
	var b strings.Builder
	vec := ps.add(vector)
	if o.exact {
		b.WriteString(q.matchVar(&ps, "n"))
		prop := "n." + Quote(key)
		b.WriteString(" WITH n, " + similarityFn(p) + "(" + prop + ", " + vec + ") AS score WHERE size(" + prop + ") = " + ps.add(int64(p.Dimensions)))
		if o.minScore != nil {
			b.WriteString(" AND score >= " + ps.add(*o.minScore))
		}
		b.WriteString(" WITH n, score ORDER BY score DESC LIMIT " + ps.add(int64(k)))
	} else {
		index := ps.add(VectorIndexName(q.label(), key))
		b.WriteString("CALL db.index.vector.queryNodes(" + index + ", " + ps.add(int64(o.indexK(k))) + ", " + vec + ") YIELD node AS n, score")
		q.scoreWhere(&b, &ps, o.minScore)
		if len(q.fetches) > 0 || o.indexK(k) > k {
			b.WriteString(" WITH n, score ORDER BY score DESC")
			if o.indexK(k) > k {
				b.WriteString(" LIMIT " + ps.add(int64(k)))
			}
		}
	}
	return q.runScored(ctx, op, &b, &ps)
}

// searchable refuses what a search cannot honour: an order or a window
// (the result is ordered by score and bounded by k), and, for an index
// search, a set that does not start at all nodes of the type (a
// relationship manager's targets): the index knows only the label.
func (q *query) searchable(op string, exact bool) error {
	if len(q.orders) > 0 || q.skip > 0 || q.limit > 0 {
		return &Error{Op: op, Kind: ErrValidation, Msg: "a search orders by score and returns at most k nodes: remove OrderBy, Skip and Limit"}
	}
	if q.scope != nil && !exact {
		return &Error{Op: op, Kind: ErrValidation, Msg: "an index search starts at all nodes of the type; search a relationship's targets with ogm.Exact()"}
	}
	return nil
}

// scoreWhere writes the WHERE after an index call's YIELD: the minimum
// score and the set's filters.
func (q *query) scoreWhere(b *strings.Builder, ps *params, min *float64) {
	var parts []string
	if min != nil {
		parts = append(parts, "score >= "+ps.add(*min))
	}
	if len(q.where) > 0 {
		parts = append(parts, joinCond{"AND", q.where}.cypher(ps, "n"))
	}
	if len(parts) > 0 {
		b.WriteString(" WHERE " + strings.Join(parts, " AND "))
	}
}

// runScored finishes a search whose text so far binds n and score: it
// returns n (with what FetchRelations asks for) and score, closest first,
// and decodes the rows.
func (q *query) runScored(ctx context.Context, op string, b *strings.Builder, ps *params) ([]scored, error) {
	var decoder func() rowDecoder
	if len(q.fetches) == 0 {
		b.WriteString(" RETURN n, score")
		decoder = func() rowDecoder {
			l := new(loader)
			return func(row []any) (Entity, error) { return l.node(q.at, row[0].(Node)) }
		}
	} else {
		roots, required := buildTree(q.db, q.fetches)
		var ret string
		ret, decoder = q.fetchReturn(ps, roots, required, false)
		b.WriteString(ret + ", score")
	}
	b.WriteString(" ORDER BY score DESC")
	if ps.err != nil {
		return nil, ps.err
	}
	text := b.String()
	var out []scored
	err := eachRow(ctx, q.db, op, text, ps.m, decoder, func(e Entity, row []any) error {
		out = append(out, scored{v: e, score: toFloat(row[len(row)-1])})
		return nil
	}, func() { out = out[:0] })
	if err != nil {
		return nil, searchErr(err)
	}
	if out == nil {
		out = []scored{}
	}
	return out, nil
}

// nearestRels is NearestRels on the type-independent path; want is the
// type of the values asked for.
func nearestRels(ctx context.Context, db *DB, hops []hop, key string, want reflect.Type, vector []float64, k int, o searchOptions) ([]scored, error) {
	const op = "nearest relationships"
	if db == nil {
		return nil, &Error{Op: op, Kind: ErrNoDB}
	}
	if len(hops) != 1 || hops[0].rel.Model == nil || reflect.TypeOf(hops[0].rel.Model.newRel()) != want {
		return nil, &Error{Op: op, Kind: ErrValidation, Msg: "the path must be one relationship whose model has the property searched"}
	}
	h := hops[0]
	t := h.rel.Model
	info := t.info()
	p, err := vectorProp(op, info.Name, info.Props, key)
	if err != nil {
		return nil, err
	}
	if err := checkVector(op, p, vector, k); err != nil {
		return nil, err
	}
	var ps params
	var b strings.Builder
	vec := ps.add(vector)
	if o.exact {
		prop := "r." + Quote(key)
		b.WriteString("MATCH (a" + labelExpr([]string{h.rel.OwnerLabel}) + ")" + h.rel.arrowVar("r") + "(b" + labelExpr([]string{h.rel.Target.info().Label}) + ")")
		b.WriteString(h.whereClause(&ps, "r", "b"))
		b.WriteString(" WITH DISTINCT r WITH r, " + similarityFn(p) + "(" + prop + ", " + vec + ") AS score WHERE size(" + prop + ") = " + ps.add(int64(p.Dimensions)))
		if o.minScore != nil {
			b.WriteString(" AND score >= " + ps.add(*o.minScore))
		}
		b.WriteString(" RETURN r, score ORDER BY score DESC LIMIT " + ps.add(int64(k)))
	} else {
		index := ps.add(VectorIndexName(h.rel.Type, key))
		b.WriteString("CALL db.index.vector.queryRelationships(" + index + ", " + ps.add(int64(o.indexK(k))) + ", " + vec + ") YIELD relationship AS r, score")
		var w strings.Builder
		if o.minScore != nil {
			andWhere(&w, "score >= "+ps.add(*o.minScore))
		}
		if len(h.relW) > 0 || len(h.nodeW) > 0 {
			// The relationship's ends must be of the path's types for
			// conditions on its target to mean anything.
			var in strings.Builder
			h.where(&in, &ps, "r", "b")
			andWhere(&w, "EXISTS { MATCH (a"+labelExpr([]string{h.rel.OwnerLabel})+")"+h.rel.arrowVar("r")+"(b"+labelExpr([]string{h.rel.Target.info().Label})+") WHERE "+in.String()+" }")
		}
		if w.Len() > 0 {
			b.WriteString(" WHERE " + w.String())
		}
		b.WriteString(" RETURN r, score ORDER BY score DESC")
		if o.indexK(k) > k {
			b.WriteString(" LIMIT " + ps.add(int64(k)))
		}
	}
	if ps.err != nil {
		return nil, ps.err
	}
	text := b.String()
	var out []scored
	decoder := func() func([]any) (any, error) {
		l := new(loader)
		return func(row []any) (any, error) { return l.rel(db, t, row[0].(Relationship)) }
	}
	err = eachRow(ctx, db, op, text, ps.m, decoder, func(v any, row []any) error {
		out = append(out, scored{v: v, score: toFloat(row[1])})
		return nil
	}, func() { out = out[:0] })
	if err != nil {
		return nil, searchErr(err)
	}
	if out == nil {
		out = []scored{}
	}
	return out, nil
}

// searchErr reports a missing index as ErrNoIndex: the server says so in
// the message of a failed procedure call.
func searchErr(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Kind == ErrQuery || errors.As(err, &e) && e.Kind == ErrDatabase {
		msg := strings.ToLower(e.Msg)
		if strings.Contains(msg, "no such vector schema index") || strings.Contains(msg, "no such fulltext schema index") || strings.Contains(msg, "there is no such index") {
			c := *e
			c.Kind = ErrNoIndex
			c.Retryable = false
			return &c
		}
	}
	return err
}

// toFloat reads a score (the server sends a float; an integer is accepted).
func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return math.NaN()
}
