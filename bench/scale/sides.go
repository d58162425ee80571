package main

import (
	"context"
	"fmt"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/bench/scale/model"
	"github.com/gonode/gonode/ogm"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// scenario is one query run at several sizes by both sides: run returns
// the number of people it loaded (checked against the size).
type scenario struct {
	name, what string
	gonode     func(ctx context.Context, n int) (int, error)
	driver     func(ctx context.Context, n int) (int, error)
}

func scenarios(g *ogm.DB, d *driverSide) []scenario {
	people := func(n int) *ogm.Nodes[*model.Person] {
		return model.PersonNodes(g).Filter(model.PersonSeq.Lt(n))
	}
	return []scenario{
		{
			name: "all", what: "Filter(seq < n) → All: n structs of 9 properties",
			gonode: func(ctx context.Context, n int) (int, error) {
				ps, err := people(n).All(ctx)
				return len(ps), err
			},
			driver: d.all,
		},
		{
			name: "fetch-one", what: "FetchRelations(PersonCity.With(CityCountry)): n people, each with city and country (to-one, flat MATCH)",
			gonode: func(ctx context.Context, n int) (int, error) {
				ps, err := people(n).FetchRelations(model.PersonCity.With(model.CityCountry)).All(ctx)
				for _, p := range ps {
					if p.Fetched.City == nil || p.Fetched.City.Fetched.Country == nil {
						return 0, fmt.Errorf("person %d without city or country", p.Seq)
					}
				}
				return len(ps), err
			},
			driver: d.fetchOne,
		},
		{
			name: "fetch-many", what: "FetchRelations(PersonFriends): n people, each with its 2 friends (to-many, nested list)",
			gonode: func(ctx context.Context, n int) (int, error) {
				ps, err := people(n).FetchRelations(model.PersonFriends).All(ctx)
				for _, p := range ps {
					if len(p.Fetched.Friends) != friendsPer {
						return 0, fmt.Errorf("person %d with %d friends", p.Seq, len(p.Fetched.Friends))
					}
				}
				return len(ps), err
			},
			driver: d.fetchMany,
		},
	}
}

// driverSide is the floor: the same queries written by hand on
// neo4j-go-driver v5 (managed transactions, parameterised Cypher), rows
// decoded straight into plain structs as they arrive.
type driverSide struct{ *benchutil.Floor }

// person, city and country are the floor's hand-written structs.
type person struct {
	ID           string
	Seq, Age     int
	Name, Email  string
	Score        float64
	Active       bool
	Born, Joined time.Time
	Tags         []string
	City         *city
	Friends      []*person
}

type city struct {
	ID, Name string
	Country  *country
}

type country struct{ ID, Code, Name string }

func newDriverSide(ctx context.Context, rawURL string) (*driverSide, error) {
	f, err := benchutil.DialFloor(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	return &driverSide{f}, nil
}

// rows runs query and hands each record to row as it arrives.
func (d *driverSide) rows(ctx context.Context, query string, n int, row func([]any) error) error {
	return d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, query, map[string]any{"n": int64(n)})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			if err := row(res.Record().Values); err != nil {
				return err
			}
		}
		return res.Err()
	})
}

func (d *driverSide) all(ctx context.Context, n int) (int, error) {
	var out []*person
	err := d.rows(ctx, "MATCH (n:SclPerson) WHERE n.seq < $n RETURN n", n, func(v []any) error {
		out = append(out, decodePerson(v[0].(dbtype.Node)))
		return nil
	})
	return len(out), err
}

func (d *driverSide) fetchOne(ctx context.Context, n int) (int, error) {
	var out []*person
	err := d.rows(ctx, "MATCH (n:SclPerson) WHERE n.seq < $n MATCH (n)-[:SCL_LIVES_IN]->(c:SclCity) MATCH (c)-[:SCL_IN_COUNTRY]->(k:SclCountry) RETURN n, c, k", n,
		func(v []any) error {
			p := decodePerson(v[0].(dbtype.Node))
			p.City = decodeCity(v[1].(dbtype.Node))
			p.City.Country = decodeCountry(v[2].(dbtype.Node))
			out = append(out, p)
			return nil
		})
	return len(out), err
}

func (d *driverSide) fetchMany(ctx context.Context, n int) (int, error) {
	var out []*person
	err := d.rows(ctx, "MATCH (n:SclPerson) WHERE n.seq < $n RETURN n, [(n)-[:SCL_KNOWS]->(f:SclPerson) | f]", n,
		func(v []any) error {
			p := decodePerson(v[0].(dbtype.Node))
			fs := v[1].([]any)
			p.Friends = make([]*person, len(fs))
			for i, f := range fs {
				p.Friends[i] = decodePerson(f.(dbtype.Node))
			}
			if len(p.Friends) != friendsPer {
				return fmt.Errorf("person %d with %d friends", p.Seq, len(p.Friends))
			}
			out = append(out, p)
			return nil
		})
	return len(out), err
}

func decodePerson(n dbtype.Node) *person {
	p := &person{ID: n.ElementId}
	m := n.Props
	p.Seq = int(m["seq"].(int64))
	p.Age = int(m["age"].(int64))
	p.Name, _ = m["name"].(string)
	p.Email, _ = m["email"].(string)
	p.Score, _ = m["score"].(float64)
	p.Active, _ = m["active"].(bool)
	if b, ok := m["born"].(dbtype.Date); ok {
		p.Born = b.Time()
	}
	p.Joined, _ = m["joined"].(time.Time)
	if ts, ok := m["tags"].([]any); ok {
		p.Tags = make([]string, len(ts))
		for i, t := range ts {
			p.Tags[i], _ = t.(string)
		}
	}
	return p
}

func decodeCity(n dbtype.Node) *city {
	name, _ := n.Props["name"].(string)
	return &city{ID: n.ElementId, Name: name}
}

func decodeCountry(n dbtype.Node) *country {
	code, _ := n.Props["code"].(string)
	name, _ := n.Props["name"].(string)
	return &country{ID: n.ElementId, Code: code, Name: name}
}
