package ogm

// Path is a chain of relationships from R nodes to X nodes. Generated code
// declares one handle per relationship, typed by its two ends
// (people.PersonCity is a *Path[*Person, *City]); Then joins handles into
// longer paths, checking that each starts where the previous one ends:
//
//	ogm.Then(people.PersonCity, people.CityCountry) // *Path[*Person, *Country]
//
// Turn paths into conditions on R with Where, Has and HasNot, follow them
// with Traverse, and load what they reach with Nodes.FetchRelations (With
// fetches several relationships of the targets at once).
//
// The handles are typed by their ends only, never by the node type a chain
// started from, so the code compiled for a schema grows with its number of
// relationships (issue #16), not with the square of its number of types.
//
// Like the property handles (see props.go), a Path's operators are fields
// holding functions, so that nothing is compiled per pair of node types
// but its one method.
type Path[R, X any] struct {
	hops []hop
	// Where holds for the R nodes from which the path reaches at least one
	// X satisfying every pred (neomodel's city__country__code="DE"):
	//
	//	people.PersonCity.Where(people.CityCountry.Where(people.CountryCode.Eq("DE")))
	Where func(preds ...Pred[X]) Pred[R]
	// Has holds for the R nodes that have the whole path (neomodel's
	// has(rel=True)), with the conditions given by Match.
	Has func() Pred[R]
	// HasNot holds for the R nodes that do not have the path
	// (has(rel=False)).
	HasNot func() Pred[R]
	// With fetches, along with the path, the relationships next of the X
	// nodes it reaches: PersonCity.With(CityCountry, CityMayor) loads each
	// person's city with its country and mayor.
	With func(next ...Fetchable[X]) *Fetch[R]
	// OrderBy orders the targets FetchRelations loads along the path's last
	// relationship by their properties (OrderByRel: by the relationship's),
	// for each node it starts from; see fetchorder.go.
	OrderBy func(orders ...Order[X]) *Path[R, X]
	// Limit loads at most k targets along the path's last relationship for
	// each node it starts from (each root, for a handle): with OrderBy,
	// "each book with its 3 newest reviews". 0 is no limit.
	Limit func(k int) *Path[R, X]
}

// hop is one relationship of a path, with the conditions its relationship
// and its target must meet.
type hop struct {
	rel   *RelSpec
	relW  []cond // on the relationship (relationship model properties)
	nodeW []cond // on the target node
	// repeat is set by Repeat: the relationship followed min to max times
	// (varlength.go).
	repeat *repeatRange
	// order and limit are set by OrderBy, OrderByRel and Limit: which of a
	// node's targets FetchRelations loads (fetchorder.go).
	order []hopOrder
	limit int
	err   error // the hop cannot be sent (a bad Repeat); the query fails with it
}

func (h hop) plain() bool {
	return len(h.relW) == 0 && len(h.nodeW) == 0 && h.repeat == nil && len(h.order) == 0 && h.limit == 0 && h.err == nil
}

// NewPath is the handle of rel, a relationship from R to X nodes (both
// pointers to generated structs). For generated code.
func NewPath[R, X any](rel *RelSpec) *Path[R, X] { return newPath[R, X]([]hop{{rel: rel}}) }

// newPath makes the path along hops with its operators.
//
//go:noinline
func newPath[R, X any](hops []hop) *Path[R, X] {
	return &Path[R, X]{
		hops:   hops,
		Where:  func(preds ...Pred[X]) Pred[R] { return Pred[R]{existsPath(narrowed(hops, nil, conds(preds)))} },
		Has:    func() Pred[R] { return Pred[R]{existsPath(hops)} },
		HasNot: func() Pred[R] { return Pred[R]{notCond{existsPath(hops)}} },
		With: func(next ...Fetchable[X]) *Fetch[R] {
			n := &fetchNode{hops: hops}
			for _, f := range next {
				n.children = append(n.children, f.fetchNode(zero[X]()))
			}
			return &Fetch[R]{n}
		},
		OrderBy: func(orders ...Order[X]) *Path[R, X] { return newPath[R, X](orderedBy(hops, nodeOrders(orders), false)) },
		Limit:   func(k int) *Path[R, X] { return newPath[R, X](limited(hops, k)) },
	}
}

// Then is the path along first, then along next, which starts at the nodes
// first ends at.
func Then[R, X, Y any](first *Path[R, X], next *Path[X, Y]) *Path[R, Y] {
	return newPath[R, Y](append(append([]hop(nil), first.hops...), next.hops...))
}

// PathMatch narrows the last relationship of p to those whose properties
// satisfy preds. For generated <Rel>Match functions, which give it its type
// safety: M must be the model of p's last relationship.
func PathMatch[R, X, M any](p *Path[R, X], preds ...Pred[M]) *Path[R, X] {
	return newPath[R, X](narrowed(p.hops, conds(preds), nil))
}

// narrowed is a copy of hops whose last hop has the conditions relW and
// nodeW added.
func narrowed(hops []hop, relW, nodeW []cond) []hop {
	hops = append([]hop(nil), hops...)
	h := &hops[len(hops)-1]
	h.relW = append(append([]cond(nil), h.relW...), relW...)
	h.nodeW = append(append([]cond(nil), h.nodeW...), nodeW...)
	return hops
}

func (p *Path[R, X]) fetchNode(R) *fetchNode { return &fetchNode{hops: p.hops} }

// Fetch is a tree of relationships to load from R nodes, made by With and
// Optional.
type Fetch[R any] struct{ n *fetchNode }

func (f *Fetch[R]) fetchNode(R) *fetchNode { return f.n }

// Fetchable is anything FetchRelations takes for R nodes: a relationship
// handle, a path made with Then, or a tree made with With or Optional. (The
// method's argument is never used: it only makes the interface depend on
// R, so that a City path does not fit a Person query.)
type Fetchable[R any] interface{ fetchNode(R) *fetchNode }

// Optional fetches f where it exists and keeps the nodes where it does
// not (neomodel's Optional; OPTIONAL MATCH). Without it FetchRelations
// returns only nodes that have the whole path. Inside With it makes one
// branch optional: PersonCity.With(ogm.Optional(CityMayor)).
func Optional[R any](f Fetchable[R]) *Fetch[R] {
	n := *f.fetchNode(zero[R]())
	n.optional = true
	return &Fetch[R]{&n}
}

// Traverse follows path from the nodes of from to the nodes it reaches:
// "the countries of the people older than 30" is
//
//	ogm.Traverse(people.PersonNodes(db).Filter(people.PersonAge.Gt(30)), people.PersonCountry)
//
// The result is a node set like any other: filter, order, count or fetch it
// further; it runs as one query, and each target appears once however many
// paths reach it. The filters, order, Skip and Limit of from select the
// start nodes; the conditions of path (Match, Where) apply on the way.
func Traverse[R, X any](from *Nodes[R], path *Path[R, X]) *Nodes[X] {
	last := path.hops[len(path.hops)-1].rel.Target
	q := newQuery(from.q.db, last)
	q.scope = &traverseScope{from: from.q, hops: path.hops}
	return &Nodes[X]{q}
}

// traverseScope binds the nodes reached along hops from a node set.
type traverseScope struct {
	from *query
	hops []hop
}

func (s *traverseScope) match(p *params, _ string, v string) string {
	start := v + "_s"
	return s.from.startVar(p, start) + " " + pattern(p, start, s.hops, v) + " WITH DISTINCT " + v
}
