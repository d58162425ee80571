package bolt

import (
	"context"
	"reflect"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/db"
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
		if raw := rawPlan(p); raw != nil {
			return fromRaw(raw), nil
		}
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

// rawPlan works around the driver's Plan.Children (v5.28.4): it takes the
// address of its range variable, which before Go 1.22's loop semantics
// (the driver's go.mod says 1.18) is one variable for the whole loop, so
// every child it returns is the last one (neo4j-go-driver PR 249 fixed
// the same in ProfiledPlan only). The summary's own tree, a *db.Plan
// behind the interface, is read instead; nil when the driver's type no
// longer has that shape, and planned reads the interface then.
func rawPlan(p neo4j.Plan) *db.Plan {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().NumField() != 1 {
		return nil
	}
	f := v.Elem().Field(0)
	if f.Type() != reflect.TypeFor[*db.Plan]() || f.IsNil() {
		return nil
	}
	return (*db.Plan)(f.UnsafePointer())
}

func fromRaw(p *db.Plan) *PlanNode {
	n := &PlanNode{Operator: p.Operator, Arguments: p.Arguments, Identifiers: p.Identifiers}
	for i := range p.Children {
		n.Children = append(n.Children, fromRaw(&p.Children[i]))
	}
	return n
}
