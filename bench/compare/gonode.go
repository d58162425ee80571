package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/bench/compare/model"
	"github.com/gonode/gonode/ogm"
)

// gonodeSide runs the scenarios through the generated API of package model
// (and package auth), as an application would.
type gonodeSide struct {
	db      *ogm.DB
	cfg     *auth.Config
	members []*model.Member // the values scenarios 1 and 5 create
	cities  []*model.City   // scenario 5's targets, loaded once
}

func newGonodeSide(ctx context.Context, url string) (*gonodeSide, error) {
	db, err := ogm.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	cfg, err := authConfig()
	if err != nil {
		db.Close(ctx)
		return nil, err
	}
	return &gonodeSide{db: db, cfg: cfg}, nil
}

func (g *gonodeSide) close(ctx context.Context) { g.db.Close(ctx) }

// newMembers builds the Go values of n members (the application's data).
func (g *gonodeSide) newMembers(n int) {
	g.members = make([]*model.Member, n)
	for i := range g.members {
		g.members[i] = memberAt(i)
	}
}

func (g *gonodeSide) cleanupMembers(ctx context.Context) error {
	g.members = nil
	return deleteMembers(ctx, g.db)
}

// create: one CreateMany of n members.
func (g *gonodeSide) create(n int) job {
	return job{
		prepare: func(context.Context) error { g.newMembers(n); return nil },
		run: func(ctx context.Context, lat []time.Duration) error {
			return batch(ctx, lat, func(ctx context.Context) error {
				return model.MemberNodes(g.db).CreateMany(ctx, g.members)
			})
		},
		cleanup: g.cleanupMembers,
	}
}

// get: Get by the unique name, on workers goroutines (1: sequential).
func (g *gonodeSide) get(workers int) job {
	op := func(ctx context.Context, i int) error {
		p, err := model.PersonNodes(g.db).Get(ctx, model.PersonName.Eq(personName(spread(i))))
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

// filter: 1,000 people by an indexed range, mapped to structs.
func (g *gonodeSide) filter() job {
	return job{op: func(ctx context.Context, _ int) error {
		people, err := model.PersonNodes(g.db).Filter(model.PersonAge.Gte(filterLo), model.PersonAge.Lt(filterHi)).All(ctx)
		return expectPeople(len(people), err)
	}}
}

// fetch: 1,000 people with their city and the city's country, one query.
func (g *gonodeSide) fetch() job {
	return job{op: func(ctx context.Context, _ int) error {
		people, err := model.PersonNodes(g.db).Filter(model.PersonAge.Gte(fetchLo), model.PersonAge.Lt(fetchHi)).
			FetchRelations(model.PersonCity.With(model.CityCountry)).All(ctx)
		if err == nil {
			for _, p := range people {
				if p.Fetched.City == nil || p.Fetched.City.Fetched.Country == nil {
					return errors.New("fetch: a person without city or country")
				}
			}
		}
		return expectPeople(len(people), err)
	}}
}

// fetchNaive: the same as fetch written as the loop FetchRelations
// replaces: the people, then for each one its city, then the city's
// country (2,001 queries).
func (g *gonodeSide) fetchNaive() job {
	return job{op: func(ctx context.Context, _ int) error {
		people, err := model.PersonNodes(g.db).Filter(model.PersonAge.Gte(fetchLo), model.PersonAge.Lt(fetchHi)).All(ctx)
		if err != nil {
			return err
		}
		for _, p := range people {
			city, err := p.City().Single(ctx)
			if err != nil {
				return err
			}
			country, err := city.Country().Single(ctx)
			if err != nil {
				return err
			}
			p.Fetched.City, city.Fetched.Country = city, country
		}
		return expectPeople(len(people), nil)
	}}
}

// connect: each of n new members connected to a city (zero_or_one, so
// every Connect checks the cardinality), in one transaction.
func (g *gonodeSide) connect(n int) job {
	return job{
		prepare: g.prepareConnect(n),
		run: func(ctx context.Context, lat []time.Duration) error {
			return g.db.Write(ctx, func(ctx context.Context) error {
				return sequential(ctx, lat, func(ctx context.Context, i int) error {
					return g.members[i].City().Connect(ctx, g.cities[i%len(g.cities)])
				})
			})
		},
		cleanup: g.cleanupMembers,
	}
}

// prepareConnect creates the n members that scenarios 5 and 5b connect,
// and loads the cities once.
func (g *gonodeSide) prepareConnect(n int) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if g.cities == nil {
			cities, err := model.CityNodes(g.db).OrderBy(model.CityName.Asc()).All(ctx)
			if err != nil {
				return err
			}
			g.cities = cities
		}
		g.newMembers(n)
		return model.MemberNodes(g.db).CreateMany(ctx, g.members)
	}
}

// connectMany: the n members of connect, connected by one
// ogm.ConnectMany (one query, the same locks and cardinality checks, a
// result per pair).
func (g *gonodeSide) connectMany(n int) job {
	return job{
		prepare: g.prepareConnect(n),
		run: func(ctx context.Context, lat []time.Duration) error {
			return batch(ctx, lat, func(ctx context.Context) error {
				pairs := make([]ogm.Pair[*model.Member, *model.City, *ogm.Rel], n)
				for i := range pairs {
					pairs[i] = ogm.PairOf(g.members[i], g.cities[i%len(g.cities)])
				}
				res, err := ogm.ConnectMany(ctx, model.MemberCity, pairs)
				if err != nil {
					return err
				}
				for _, e := range res {
					if e != nil {
						return e
					}
				}
				return nil
			})
		},
		cleanup: g.cleanupMembers,
	}
}

// authenticate: auth.Config.Authenticate of the existing user (right
// password: look-up, hash check, last_login write) or of a missing one
// (look-up, one hash).
func (g *gonodeSide) authenticate(existing bool) job {
	return job{op: func(ctx context.Context, _ int) error {
		if existing {
			u, err := g.cfg.Authenticate(ctx, g.db, auth.Credentials{Username: benchUser, Password: benchPassword})
			if err == nil && u.Username != benchUser {
				err = errors.New("authenticate: wrong user")
			}
			return err
		}
		_, err := g.cfg.Authenticate(ctx, g.db, auth.Credentials{Username: benchMissing, Password: benchPassword})
		if !errors.Is(err, auth.ErrInvalidCredentials) {
			return fmt.Errorf("authenticate a missing user: %v", err)
		}
		return nil
	}}
}

// spread maps the i-th get to a person, visiting all of them in a
// scattered order.
func spread(i int) int { return (i * 7919) % nPeople }

func expectPeople(n int, err error) error {
	if err == nil && n != 1000 {
		err = fmt.Errorf("got %d people, want 1000", n)
	}
	return err
}

// aggregate: every city with its number of residents and their average
// age (Annotate, issue #20), as typed values.
func (g *gonodeSide) aggregate() job {
	residents, age := ogm.Count(model.CityResidents), ogm.Avg(model.CityResidents, model.PersonAge)
	return job{op: func(ctx context.Context, _ int) error {
		rows, err := ogm.Annotate(model.CityNodes(g.db), residents, age).All(ctx)
		if err != nil {
			return err
		}
		return expectCities(len(rows), func(i int) (int, bool) {
			_, ok := age.Of(rows[i])
			return residents.Of(rows[i]), ok
		})
	}}
}

// expectCities checks an aggregate result: every city, each with
// nPeople/nCities residents and an average age (stats(i) gives the i-th
// row's count and whether its average is set).
func expectCities(n int, stats func(i int) (int, bool)) error {
	if n != nCities {
		return fmt.Errorf("got %d cities, want %d", n, nCities)
	}
	for i := range n {
		if c, ok := stats(i); c != nPeople/nCities || !ok {
			return fmt.Errorf("a city with %d residents (average set: %v), want %d", c, ok, nPeople/nCities)
		}
	}
	return nil
}
