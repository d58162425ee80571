package ogm

import (
	"context"
	"strings"

	"github.com/gonode/gonode/ogm/internal/bolt"
)

// Plan is one operator of the execution plan the server reports for a
// query (EXPLAIN, PROFILE): a tree whose root is the operator that
// produces the result rows (ProduceResults) and whose leaves read the
// graph (NodeByLabelScan, NodeIndexSeek, …).
type Plan struct {
	// Operator is the operator's name, e.g. "ProduceResults", "Expand(All)"
	// (without the "@database" the server adds to some).
	Operator string
	// Identifiers are the variables the operator has in scope.
	Identifiers []string
	// Arguments are the operator's details as the server reports them
	// ("Details", "EstimatedRows", "planner", …).
	Arguments map[string]any
	// EstimatedRows is the planner's estimate of the rows the operator
	// produces.
	EstimatedRows float64
	// Profiled is true for a plan from Profile: the query ran, and DBHits
	// and Rows were measured.
	Profiled bool
	// DBHits counts the operator's accesses to the store (Profile only).
	DBHits int64
	// Rows is the number of rows the operator produced (Profile only).
	Rows int64
	// Children are the operators whose rows this one consumes.
	Children []*Plan
}

// Walk calls fn for p and every operator below it, depth first, parents
// before children.
func (p *Plan) Walk(fn func(*Plan)) {
	fn(p)
	for _, c := range p.Children {
		c.Walk(fn)
	}
}

func planFrom(n *bolt.PlanNode) *Plan {
	op, _, _ := strings.Cut(n.Operator, "@")
	p := &Plan{Operator: op, Identifiers: n.Identifiers, Arguments: n.Arguments,
		Profiled: n.Profiled, DBHits: n.DbHits, Rows: n.Records}
	if e, ok := n.Arguments["EstimatedRows"].(float64); ok {
		p.EstimatedRows = e
	}
	for _, c := range n.Children {
		p.Children = append(p.Children, planFrom(c))
	}
	return p
}

// Explain asks the server for the plan of s without running it: nothing is
// read or written, whatever s does. It runs as a read (inside Write or
// Read, in the transaction ctx carries).
func (db *DB) Explain(ctx context.Context, s Statement) (*Plan, error) {
	return db.plan(ctx, "explain", reads, "EXPLAIN ", s)
}

// Profile runs s with PROFILE and returns its plan with the rows and
// database hits each operator had; the rows themselves are discarded. s
// runs for real: a write writes (outside a transaction in a write
// transaction of its own, like Cypher).
func (db *DB) Profile(ctx context.Context, s Statement) (*Plan, error) {
	return db.plan(ctx, "profile", mayWrite, "PROFILE ", s)
}

func (db *DB) plan(ctx context.Context, op string, acc access, prefix string, s Statement) (*Plan, error) {
	var out *Plan
	err := db.run(ctx, op, acc, func(tx *txRunner) error {
		n, err := tx.RunPlan(ctx, prefix+s.Cypher, s.Params)
		if err != nil {
			return err
		}
		if n == nil {
			return &errFromWork{&Error{Op: op, Kind: ErrQuery, Msg: "the server sent no plan"}}
		}
		out = planFrom(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// statement is what All sends first: the flat plan where it applies (the
// nested one is sent only when a to-one relationship turns out to be
// stored twice).
func (q *query) statement() (Statement, error) {
	if q.invalid != nil {
		return Statement{}, q.invalid
	}
	text, params, _, err := q.plan(true)
	if err != nil {
		return Statement{}, err
	}
	return Statement{Cypher: text, Params: params}, nil
}

// explain asks for the plan of the query All would send (profile: runs it
// with PROFILE, as a read).
func (q *query) explain(ctx context.Context, profile bool) (*Plan, error) {
	s, err := q.statement()
	return q.planOf(ctx, s, err, profile)
}

// planOf is explain of s, a statement of q's (err: the statement could
// not be made).
func (q *query) planOf(ctx context.Context, s Statement, err error, profile bool) (*Plan, error) {
	if err != nil {
		return nil, err
	}
	if profile {
		return q.db.plan(ctx, "profile", reads, "PROFILE ", s)
	}
	return q.db.Explain(ctx, s)
}
