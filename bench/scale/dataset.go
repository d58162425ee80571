package main

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The data: countries, cities (each in one country) and people (each living
// in one city and knowing the next two people), loaded once and reused
// while the counts match.
const (
	nCountries = 100
	nCities    = 1000
	friendsPer = 2
	loadBatch  = 10000
)

// personRow is the i-th person as parameters of the loading query.
func personRow(i int) map[string]any {
	name := fmt.Sprintf("scl%06d", i)
	return map[string]any{
		"seq": int64(i), "name": name, "age": int64(i % 100), "score": float64(i)*0.5 + 0.25,
		"active": i%2 == 0,
		"born":   neo4j.DateOf(time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)),
		"joined": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		"email":  name + "@example.com",
		"tags":   []string{fmt.Sprint("tag", i%7), fmt.Sprint("group", i%3)},
		"city":   fmt.Sprintf("sclcity%04d", i%nCities),
	}
}

// load makes sure the database holds the dataset for people people, and
// reports whether it had to write it.
func (d *driverSide) load(ctx context.Context, people int) (bool, error) {
	counts := map[string]int64{}
	for _, q := range []string{"SclCountry", "SclCity", "SclPerson"} {
		n, err := d.count(ctx, "MATCH (n:"+q+") RETURN count(n)")
		if err != nil {
			return false, err
		}
		counts[q] = n
	}
	knows, err := d.count(ctx, "MATCH (:SclPerson)-[r:SCL_KNOWS]->() RETURN count(r)")
	if err != nil {
		return false, err
	}
	if counts["SclCountry"] == nCountries && counts["SclCity"] == nCities && counts["SclPerson"] == int64(people) && knows == int64(people*friendsPer) {
		return false, nil
	}
	if err := d.drop(ctx); err != nil {
		return false, err
	}
	steps := []struct {
		query string
		rows  func(from, to int) []any
		n     int
	}{
		{"UNWIND $rows AS r CREATE (:SclCountry {code: r.code, name: r.name})", func(from, to int) []any {
			var rows []any
			for i := from; i < to; i++ {
				rows = append(rows, map[string]any{"code": fmt.Sprintf("S%03d", i), "name": fmt.Sprint("Country ", i)})
			}
			return rows
		}, nCountries},
		{"UNWIND $rows AS r MATCH (k:SclCountry {code: r.country}) CREATE (:SclCity {name: r.name})-[:SCL_IN_COUNTRY]->(k)", func(from, to int) []any {
			var rows []any
			for i := from; i < to; i++ {
				rows = append(rows, map[string]any{"name": fmt.Sprintf("sclcity%04d", i), "country": fmt.Sprintf("S%03d", i%nCountries)})
			}
			return rows
		}, nCities},
		{"UNWIND $rows AS r MATCH (c:SclCity {name: r.city}) CREATE (p:SclPerson) SET p = r REMOVE p.city CREATE (p)-[:SCL_LIVES_IN]->(c)", func(from, to int) []any {
			var rows []any
			for i := from; i < to; i++ {
				rows = append(rows, personRow(i))
			}
			return rows
		}, people},
		{"UNWIND $rows AS r MATCH (a:SclPerson {seq: r.a}), (b:SclPerson {seq: r.b}) CREATE (a)-[:SCL_KNOWS]->(b)", func(from, to int) []any {
			var rows []any
			for i := from; i < to; i++ {
				for k := 1; k <= friendsPer; k++ {
					rows = append(rows, map[string]any{"a": int64(i), "b": int64((i + k) % people)})
				}
			}
			return rows
		}, people},
	}
	for _, q := range []string{
		"CREATE CONSTRAINT scl_country IF NOT EXISTS FOR (n:SclCountry) REQUIRE n.code IS UNIQUE",
		"CREATE CONSTRAINT scl_city IF NOT EXISTS FOR (n:SclCity) REQUIRE n.name IS UNIQUE",
		"CREATE CONSTRAINT scl_person IF NOT EXISTS FOR (n:SclPerson) REQUIRE n.seq IS UNIQUE",
	} {
		if err := d.exec(ctx, q, nil); err != nil {
			return false, err
		}
	}
	for _, s := range steps {
		for from := 0; from < s.n; from += loadBatch {
			to := min(from+loadBatch, s.n)
			if err := d.exec(ctx, s.query, map[string]any{"rows": s.rows(from, to)}); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// drop deletes the dataset, a batch at a time.
func (d *driverSide) drop(ctx context.Context) error {
	for _, label := range []string{"SclPerson", "SclCity", "SclCountry"} {
		for range 1000 { // bounded: 1,000 batches of 10,000
			n, err := d.count(ctx, "MATCH (n:"+label+") WITH n LIMIT 10000 DETACH DELETE n RETURN count(*)")
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

func (d *driverSide) exec(ctx context.Context, query string, params map[string]any) error {
	return d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, query, params)
		if err != nil {
			return err
		}
		_, err = res.Consume(ctx)
		return err
	})
}

func (d *driverSide) count(ctx context.Context, query string) (int64, error) {
	var n int64
	err := d.Write(ctx, func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, query, nil)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		n = rec.Values[0].(int64)
		return nil
	})
	return n, err
}
