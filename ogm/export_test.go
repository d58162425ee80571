package ogm

// FilterQuery renders the MATCH … RETURN … query that All runs for n
// (without FetchRelations), and its parameters: for the fuzz tests, which
// check that no value enters the query text.
func FilterQuery[P any](n *Nodes[P]) (string, map[string]any) {
	var p params
	text := n.q.matchVar(&p, "n") + " RETURN n" + n.q.tailVar(&p, "n")
	return text, p.m
}
