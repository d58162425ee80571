package ogm

// Hop is a path from R nodes to X nodes: the generated path handles
// (people.PersonCity, people.PersonCity.Country()) are Hops, with X their
// target type.
type Hop[R, X any] interface {
	Fetchable[R]
	// TargetType is the node type the path ends at.
	TargetType() *NodeType[X]
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
func Traverse[R, X any](from *Nodes[R], path Hop[R, X]) *Nodes[X] {
	n := NewNodes(from.db, path.TargetType())
	n.scope = &traverseScope{from: from.startVar, hops: path.fetchPath().hops}
	return n
}

// traverseScope binds the nodes reached along hops from a node set.
type traverseScope struct {
	from func(p *params, v string) string
	hops []hop
}

func (s *traverseScope) match(p *params, _ string, v string) string {
	start := v + "_s"
	return s.from(p, start) + " " + pattern(p, start, s.hops, v) + " WITH DISTINCT " + v
}

// startVar renders the node set bound to variable v, ready to be followed:
// its filters, then its order and window if it has them.
func (n *Nodes[T]) startVar(p *params, v string) string {
	q := n.matchVar(p, v)
	if t := n.tailVar(p, v); t != "" {
		q += " WITH " + v + t
	}
	return q
}
