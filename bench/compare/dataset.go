package main

import (
	"context"
	"fmt"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/bench/compare/model"
	"github.com/gonode/gonode/ogm"
)

// The data every side reads: countries, cities (each in one country) and
// people (each living in one city), plus one user to log in as. neomodel's
// script declares the same labels, keys and relationship types.
const (
	nCountries = 100
	nCities    = 1000
	nPeople    = 10000

	// Scenario 3 filters people with filterLo <= age < filterHi, scenario 4
	// those with fetchLo <= age < fetchHi: 1,000 each (age is i % 100).
	filterLo, filterHi = 10, 20
	fetchLo, fetchHi   = 20, 30

	benchUser     = "cmp_bench_user"
	benchMissing  = "cmp_bench_missing"
	benchPassword = "cmp bench password"
	// hasherIterations is the fixed, cheap cost of scenario 6's hasher
	// (pbkdf2_sha256), so that the database's share is visible.
	hasherIterations = 1000
)

// profile is the eight properties of a Person or a Member, mixed types.
type profile struct {
	Name   string
	Age    int
	Score  float64
	Active bool
	Born   time.Time // a date
	Joined time.Time // a datetime
	Email  string
	Tags   []string
}

// profileAt is the profile of the i-th node named with prefix ("person",
// "member").
func profileAt(prefix string, i int) profile {
	name := fmt.Sprintf("%s%05d", prefix, i)
	return profile{
		Name:   name,
		Age:    i % 100,
		Score:  float64(i)*0.5 + 0.25,
		Active: i%2 == 0,
		Born:   time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		Joined: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		Email:  name + "@example.com",
		Tags:   []string{"tag" + fmt.Sprint(i%7), "group" + fmt.Sprint(i%3)},
	}
}

// params is the profile as Cypher parameters (a map for SET n = row).
func (p profile) params() map[string]any {
	return map[string]any{
		"name": p.Name, "age": int64(p.Age), "score": p.Score, "active": p.Active,
		"born": ogm.DateParam(p.Born), "joined": p.Joined, "email": p.Email, "tags": p.Tags,
	}
}

func personName(i int) string  { return fmt.Sprintf("person%05d", i) }
func cityName(i int) string    { return fmt.Sprintf("city%04d", i) }
func countryCode(i int) string { return fmt.Sprintf("C%03d", i) }

// memberAt is the i-th member of a repetition as a gonode value.
func memberAt(i int) *model.Member {
	p := profileAt("member", i)
	return &model.Member{Name: p.Name, Age: p.Age, Score: p.Score, Active: p.Active,
		Born: p.Born, Joined: p.Joined, Email: p.Email, Tags: p.Tags}
}

// load installs the constraints and indexes (neomodel's names, so both
// sides use the same) and loads the data unless it is there already. It
// removes members left over from an interrupted run.
func load(ctx context.Context, db *ogm.DB, logf func(string, ...any)) error {
	for _, s := range []*ogm.Schema{model.Schema, auth.Schema} {
		if _, err := ogm.InstallLabels(ctx, db, s); err != nil {
			return err
		}
	}
	if err := deleteMembers(ctx, db); err != nil {
		return err
	}
	res, err := db.Cypher(ctx, `RETURN COUNT { (:CmpCountry) }, COUNT { (:CmpCity)-[:CMP_IN_COUNTRY]->(:CmpCountry) },
		COUNT { (:CmpPerson)-[:CMP_LIVES_IN]->(:CmpCity) }, COUNT { (:CmpPerson) }, COUNT { (:CmpCity) }`, nil)
	if err != nil {
		return err
	}
	r := res.Rows[0]
	if r[0] == int64(nCountries) && r[1] == int64(nCities) && r[2] == int64(nPeople) && r[3] == int64(nPeople) && r[4] == int64(nCities) {
		logf("dataset already loaded: %d countries, %d cities, %d people", nCountries, nCities, nPeople)
	} else {
		logf("loading %d countries, %d cities, %d people…", nCountries, nCities, nPeople)
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE n:CmpCountry OR n:CmpCity OR n:CmpPerson DETACH DELETE n", nil); err != nil {
			return err
		}
		var countries, cities, people []any
		for i := range nCountries {
			countries = append(countries, map[string]any{"code": countryCode(i), "name": fmt.Sprintf("Country %d", i)})
		}
		for i := range nCities {
			cities = append(cities, map[string]any{"name": cityName(i), "country": countryCode(i % nCountries)})
		}
		for i := range nPeople {
			people = append(people, map[string]any{"props": profileAt("person", i).params(), "city": cityName(i % nCities)})
		}
		for _, q := range []struct {
			query string
			rows  []any
		}{
			{"UNWIND $rows AS row CREATE (c:CmpCountry) SET c = row", countries},
			{"UNWIND $rows AS row MATCH (k:CmpCountry {code: row.country}) CREATE (c:CmpCity {name: row.name})-[:CMP_IN_COUNTRY]->(k)", cities},
			{"UNWIND $rows AS row MATCH (c:CmpCity {name: row.city}) CREATE (p:CmpPerson)-[:CMP_LIVES_IN]->(c) SET p = row.props", people},
		} {
			if _, err := db.Cypher(ctx, q.query, map[string]any{"rows": q.rows}); err != nil {
				return err
			}
		}
	}
	// The user of scenario 6, with a hash of the benchmark's fixed cost.
	if _, err := db.Cypher(ctx, "MATCH (u:User) WHERE u.username IN [$u, $m] DETACH DELETE u",
		map[string]any{"u": benchUser, "m": benchMissing}); err != nil {
		return err
	}
	cfg, err := authConfig()
	if err != nil {
		return err
	}
	_, err = cfg.CreateUser(ctx, db, benchUser, "", ogm.Ptr(benchPassword))
	return err
}

// authConfig is the auth configuration of scenario 6: pbkdf2_sha256 with a
// fixed, cheap iteration count.
func authConfig() (*auth.Config, error) {
	reg, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: hasherIterations})
	if err != nil {
		return nil, err
	}
	return &auth.Config{Hashers: reg}, nil
}

// deleteMembers removes the nodes scenarios 1 and 5 create.
func deleteMembers(ctx context.Context, db *ogm.DB) error {
	_, err := db.Cypher(ctx, "MATCH (n:CmpMember) DETACH DELETE n", nil)
	return err
}

// dropBenchUser removes the user of scenario 6 at the end.
func dropBenchUser(ctx context.Context, db *ogm.DB) error {
	_, err := db.Cypher(ctx, "MATCH (u:User {username: $u}) DETACH DELETE u", map[string]any{"u": benchUser})
	return err
}
