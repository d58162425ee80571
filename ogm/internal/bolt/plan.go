package bolt

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// PlanNode is one operator of the plan the server reports for a query run
// with EXPLAIN or PROFILE, copied out of the driver's summary types.
type PlanNode struct {
	Operator    string
	Arguments   map[string]any
	Identifiers []string
	Children    []*PlanNode
	// Profiled: DbHits and Records were measured (PROFILE).
	Profiled bool
	DbHits   int64
	Records  int64
}

// RunPlan runs query (which starts with EXPLAIN or PROFILE), discards its
// rows and returns the plan of its summary: the profiled plan when the
// server measured one, else the planned one. nil when the server sent none.
func (t *Tx) RunPlan(ctx context.Context, query string, params map[string]any) (*PlanNode, error) {
	if t.observe != nil {
		t.observe(query, params)
	}
	params, _ = fixParams(params)
	res, err := t.tx.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	if p := sum.Profile(); p != nil {
		return profiled(p), nil
	}
	if p := sum.Plan(); p != nil {
		return planned(p), nil
	}
	return nil, nil
}

func planned(p neo4j.Plan) *PlanNode {
	n := &PlanNode{Operator: p.Operator(), Arguments: p.Arguments(), Identifiers: p.Identifiers()}
	for _, c := range p.Children() {
		n.Children = append(n.Children, planned(c))
	}
	return n
}

func profiled(p neo4j.ProfiledPlan) *PlanNode {
	n := &PlanNode{Operator: p.Operator(), Arguments: p.Arguments(), Identifiers: p.Identifiers(),
		Profiled: true, DbHits: p.DbHits(), Records: p.Records()}
	for _, c := range p.Children() {
		n.Children = append(n.Children, profiled(c))
	}
	return n
}
