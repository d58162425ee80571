package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// driverSide is the floor: the same work written by hand on
// neo4j-go-driver v5, with the Cypher a careful developer would write and
// results decoded straight into plain structs. It uses managed
// transactions, as gonode does, but no bookmark manager.
type driverSide struct {
	*benchutil.Floor
	hashers *hashers.Registry
	members []member // scenarios 1 and 5: the values to create
	ids     []string // their element ids once created
	cities  []string // element ids of the cities, by name
}

// member and person are the hand-written structs of the floor.
type member struct {
	ID string
	profile
}

type person struct {
	ID string
	profile
	City *city
}

type city struct {
	ID      string
	Name    string
	Country *country
}

type country struct {
	ID, Code, Name string
}

func newDriverSide(ctx context.Context, rawURL string) (*driverSide, error) {
	f, err := benchutil.DialFloor(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := authConfig()
	if err != nil {
		f.Close(ctx)
		return nil, err
	}
	return &driverSide{Floor: f, hashers: cfg.Hashers}, nil
}

func (d *driverSide) newMembers(n int) {
	d.members = make([]member, n)
	for i := range d.members {
		d.members[i] = member{profile: profileAt("member", i)}
	}
}

// createMembers writes d.members with one UNWIND and keeps their element
// ids.
func (d *driverSide) createMembers(ctx context.Context) error {
	rows := make([]any, len(d.members))
	for i, m := range d.members {
		rows[i] = map[string]any{
			"name": m.Name, "age": m.Age, "score": m.Score, "active": m.Active,
			"born": neo4j.DateOf(m.Born), "joined": m.Joined, "email": m.Email, "tags": m.Tags,
		}
	}
	return d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, "UNWIND $rows AS row CREATE (n:CmpMember) SET n = row RETURN elementId(n)", map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		d.ids = d.ids[:0]
		for res.Next(ctx) {
			d.ids = append(d.ids, res.Record().Values[0].(string))
		}
		return res.Err()
	})
}

func (d *driverSide) cleanupMembers(ctx context.Context) error {
	d.members, d.ids = nil, nil
	return d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
		_, err := tx.Run(ctx, "MATCH (n:CmpMember) DETACH DELETE n", nil)
		return err
	})
}

func (d *driverSide) create(n int) job {
	return job{
		prepare: func(context.Context) error { d.newMembers(n); return nil },
		run: func(ctx context.Context, lat []time.Duration) error {
			return batch(ctx, lat, d.createMembers)
		},
		cleanup: d.cleanupMembers,
	}
}

// personFrom decodes a person node's properties.
func personFrom(n dbtype.Node) *person {
	p := &person{ID: n.ElementId}
	props := n.Props
	p.Name, _ = props["name"].(string)
	age, _ := props["age"].(int64)
	p.Age = int(age)
	p.Score, _ = props["score"].(float64)
	p.Active, _ = props["active"].(bool)
	if born, ok := props["born"].(dbtype.Date); ok {
		p.Born = born.Time()
	}
	p.Joined, _ = props["joined"].(time.Time)
	p.Email, _ = props["email"].(string)
	if tags, ok := props["tags"].([]any); ok {
		p.Tags = make([]string, len(tags))
		for i, t := range tags {
			p.Tags[i], _ = t.(string)
		}
	}
	return p
}

func (d *driverSide) get(workers int) job {
	op := func(ctx context.Context, i int) error {
		var p *person
		err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, "MATCH (n:CmpPerson {name: $name}) RETURN n", map[string]any{"name": personName(spread(i))})
			if err != nil {
				return err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return err
			}
			p = personFrom(rec.Values[0].(dbtype.Node))
			return nil
		})
		if err == nil && p.Age != spread(i)%100 {
			err = fmt.Errorf("get %s: wrong node", personName(spread(i)))
		}
		return err
	}
	if workers == 1 {
		return job{op: op}
	}
	return job{run: func(ctx context.Context, lat []time.Duration) error {
		return concurrent(ctx, workers, lat, op)
	}}
}

func (d *driverSide) filter() job {
	return job{op: func(ctx context.Context, _ int) error {
		var people []*person
		err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, "MATCH (n:CmpPerson) WHERE n.age >= $lo AND n.age < $hi RETURN n",
				map[string]any{"lo": filterLo, "hi": filterHi})
			if err != nil {
				return err
			}
			people = people[:0]
			for res.Next(ctx) {
				people = append(people, personFrom(res.Record().Values[0].(dbtype.Node)))
			}
			return res.Err()
		})
		return expectPeople(len(people), err)
	}}
}

func (d *driverSide) fetch() job {
	return job{op: func(ctx context.Context, _ int) error {
		var people []*person
		err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, "MATCH (n:CmpPerson) WHERE n.age >= $lo AND n.age < $hi "+
				"MATCH (n)-[:CMP_LIVES_IN]->(c:CmpCity)-[:CMP_IN_COUNTRY]->(k:CmpCountry) RETURN n, c, k",
				map[string]any{"lo": fetchLo, "hi": fetchHi})
			if err != nil {
				return err
			}
			people = people[:0]
			for res.Next(ctx) {
				v := res.Record().Values
				p := personFrom(v[0].(dbtype.Node))
				c, k := v[1].(dbtype.Node), v[2].(dbtype.Node)
				p.City = &city{ID: c.ElementId}
				p.City.Name, _ = c.Props["name"].(string)
				p.City.Country = &country{ID: k.ElementId}
				p.City.Country.Code, _ = k.Props["code"].(string)
				p.City.Country.Name, _ = k.Props["name"].(string)
				people = append(people, p)
			}
			return res.Err()
		})
		return expectPeople(len(people), err)
	}}
}

// errCardinality: the member is already connected to a city.
var errCardinality = errors.New("member already has a city")

func (d *driverSide) connect(n int) job {
	// The check and the write in one query; the write lock on the member
	// (taken by setting and removing a property) keeps concurrent connects
	// from both passing the check.
	const query = "MATCH (a) WHERE elementId(a) = $a SET a.`_lock` = true REMOVE a.`_lock` " +
		"WITH a WHERE NOT EXISTS { (a)-[:CMP_MEMBER_OF]->(:CmpCity) } " +
		"MATCH (b) WHERE elementId(b) = $b CREATE (a)-[:CMP_MEMBER_OF]->(b) RETURN count(*)"
	return job{
		prepare: d.prepareConnect(n),
		run: func(ctx context.Context, lat []time.Duration) error {
			return d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
				return sequential(ctx, lat, func(ctx context.Context, i int) error {
					res, err := tx.Run(ctx, query, map[string]any{"a": d.ids[i], "b": d.cities[i%len(d.cities)]})
					if err != nil {
						return err
					}
					rec, err := res.Single(ctx)
					if err != nil {
						return err
					}
					if rec.Values[0].(int64) != 1 {
						return errCardinality
					}
					return nil
				})
			})
		},
		cleanup: d.cleanupMembers,
	}
}

// prepareConnect creates the n members that scenarios 5 and 5b connect,
// and loads the cities once.
func (d *driverSide) prepareConnect(n int) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if d.cities == nil {
			err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
				res, err := tx.Run(ctx, "MATCH (c:CmpCity) RETURN elementId(c) ORDER BY c.name", nil)
				if err != nil {
					return err
				}
				for res.Next(ctx) {
					d.cities = append(d.cities, res.Record().Values[0].(string))
				}
				return res.Err()
			})
			if err != nil {
				return err
			}
		}
		d.newMembers(n)
		return d.createMembers(ctx)
	}
}

// connectMany: the n members of connect, connected in one query (UNWIND)
// with the same check and lock per member, as hand-written code would.
func (d *driverSide) connectMany(n int) job {
	const query = "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a SET a.`_lock` = true REMOVE a.`_lock` " +
		"WITH a, row WHERE NOT EXISTS { (a)-[:CMP_MEMBER_OF]->(:CmpCity) } " +
		"MATCH (b) WHERE elementId(b) = row.b CREATE (a)-[:CMP_MEMBER_OF]->(b) RETURN count(*)"
	return job{
		prepare: d.prepareConnect(n),
		run: func(ctx context.Context, lat []time.Duration) error {
			return batch(ctx, lat, func(ctx context.Context) error {
				rows := make([]any, n)
				for i := range rows {
					rows[i] = map[string]any{"a": d.ids[i], "b": d.cities[i%len(d.cities)]}
				}
				return d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
					res, err := tx.Run(ctx, query, map[string]any{"rows": rows})
					if err != nil {
						return err
					}
					rec, err := res.Single(ctx)
					if err != nil {
						return err
					}
					if rec.Values[0].(int64) != int64(n) {
						return errCardinality
					}
					return nil
				})
			})
		},
		cleanup: d.cleanupMembers,
	}
}

// errInvalidCredentials: no such user, or the wrong password.
var errInvalidCredentials = errors.New("invalid credentials")

// login is Django's ModelBackend by hand: look the user up, check the
// password (running the hasher once when there is no user), and record the
// login.
func (d *driverSide) login(ctx context.Context, username, password string) (string, error) {
	var id, encoded string
	active, found := true, false
	err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, "MATCH (u:User {username: $u}) RETURN elementId(u), u.password, u.is_active", map[string]any{"u": username})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			found = true
			id, _ = v[0].(string)
			encoded, _ = v[1].(string)
			if a, ok := v[2].(bool); ok {
				active = a
			}
		}
		return res.Err()
	})
	if err != nil {
		return "", err
	}
	if !found {
		d.hashers.RunDefault(password)
		return "", errInvalidCredentials
	}
	ok, _, err := d.hashers.Check(password, encoded)
	if err != nil || !ok || !active {
		return "", errInvalidCredentials
	}
	err = d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
		_, err := tx.Run(ctx, "MATCH (u:User) WHERE elementId(u) = $id SET u.last_login = $now",
			map[string]any{"id": id, "now": time.Now().UTC()})
		return err
	})
	return id, err
}

func (d *driverSide) authenticate(existing bool) job {
	return job{op: func(ctx context.Context, _ int) error {
		if existing {
			_, err := d.login(ctx, benchUser, benchPassword)
			return err
		}
		if _, err := d.login(ctx, benchMissing, benchPassword); !errors.Is(err, errInvalidCredentials) {
			return fmt.Errorf("authenticate a missing user: %v", err)
		}
		return nil
	}}
}

// cityStats is a city with the number and average age of its residents.
type cityStats struct {
	City      city
	Residents int
	AvgAge    *float64 // nil: no residents
}

// aggregate: the query a Cypher user writes (grouping by the city), its
// rows decoded by hand.
func (d *driverSide) aggregate() job {
	return job{op: func(ctx context.Context, _ int) error {
		var out []cityStats
		err := d.Read(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, "MATCH (c:CmpCity) OPTIONAL MATCH (c)<-[:CMP_LIVES_IN]-(p:CmpPerson) RETURN c, count(p), avg(p.age)", nil)
			if err != nil {
				return err
			}
			out = out[:0]
			for res.Next(ctx) {
				v := res.Record().Values
				c := v[0].(dbtype.Node)
				s := cityStats{City: city{ID: c.ElementId}, Residents: int(v[1].(int64))}
				s.City.Name, _ = c.Props["name"].(string)
				if a, ok := v[2].(float64); ok {
					s.AvgAge = &a
				}
				out = append(out, s)
			}
			return res.Err()
		})
		if err != nil {
			return err
		}
		return expectCities(len(out), func(i int) (int, bool) { return out[i].Residents, out[i].AvgAge != nil })
	}}
}
