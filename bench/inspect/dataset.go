package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gonode/gonode/ogm"
)

// batchSize is the number of nodes or relationships created per transaction.
const batchSize = 10_000

// nodeSet is one part of the dataset: count nodes created with one
// parameterised CREATE over UNWIND range($from, $to - 1) AS i.
type nodeSet struct {
	labels string // label expression written as is, e.g. "BenchPerson:BenchEmployee"
	count  int
	props  string // the property map, an expression of i
	// where selects the i of range(0, count) this set creates (for the
	// employees, a subset of the people); "" for all.
	where string
}

// relSet is one part of the relationships: count relationships j, each from
// the node of label from whose uid is the expression src of j to the node of
// label to whose uid is dst of j.
type relSet struct {
	typ      string
	from, to string
	count    int
	src, dst string
	props    string // "" for none
}

// Node counts. People are 150,000 nodes, 30,000 of which are also
// employees: 500,000 nodes over 10 labels in all.
const (
	nPeople     = 150_000
	nCompanies  = 20_000
	nCities     = 10_000
	nCountries  = 250
	nProducts   = 100_000
	nOrders     = 150_000
	nReviews    = 60_000
	nTags       = 5_000
	nCategories = 4_750
)

// nodeSets is the whole node part of the dataset. Properties mix every type
// the schema language has, optional ones, a property holding integers and
// floats, one holding strings and integers, keys that are no Go identifiers
// ("vat-id", "type", "display name") and a LOCAL TIME, which no schema type
// holds.
var nodeSets = []nodeSet{
	{labels: "BenchPerson", count: nPeople, where: "i % 5 <> 0", props: "{" + personProps + "}"},
	{labels: "BenchPerson:BenchEmployee", count: nPeople, where: "i % 5 = 0", props: "{" + personProps + `,
		salary: 30000.0 + (i % 70) * 1000.0,
		hired: datetime({year: 2000 + i % 24, month: 1 + i % 12, day: 1 + i % 28, hour: i % 24, timezone: '+01:00'}),
		employee_no: 'E' + i}`},
	{labels: "BenchCompany", count: nCompanies, props: `{uid: i, name: 'Company ' + i,
		founded: date({year: 1900 + i % 120, month: 1 + i % 12, day: 1 + i % 28}),
		revenue: toFloat(i) * 1234.5, public: i % 4 = 0,
		hq: point({longitude: -180.0 + (i % 360), latitude: -80.0 + (i % 160)}),
		` + "`vat-id`" + `: 'VAT' + i}`},
	{labels: "BenchCity", count: nCities, props: `{uid: i, name: 'City ' + i, population: i * 97,
		location: point({x: toFloat(i), y: toFloat(i % 100)}),
		founded: localdatetime({year: 1000 + i % 1000, month: 1 + i % 12, day: 1 + i % 28})}`},
	{labels: "BenchCountry", count: nCountries, props: `{uid: i, code: 'C' + i, name: 'Country ' + i,
		languages: ['l' + (i % 7), 'l' + (i % 11)]}`},
	{labels: "BenchProduct", count: nProducts, props: `{uid: i, sku: 'SKU-' + i, title: 'Product number ' + i,
		price: 0.99 + (i % 1000), stock: i % 500, weights: [toFloat(i % 10), 0.5], dims: [i % 10, i % 20, i % 30],
		released: date({year: 2010 + i % 14, month: 1 + i % 12, day: 1 + i % 28}),
		type: CASE i % 3 WHEN 0 THEN 'book' WHEN 1 THEN 'toy' ELSE 'food' END,
		warranty: duration({months: i % 36})}`},
	{labels: "BenchOrder", count: nOrders, props: `{uid: i,
		placed: datetime({year: 2020 + i % 4, month: 1 + i % 12, day: 1 + i % 28, timezone: 'UTC'}),
		total: toFloat(i % 5000) / 10.0, status: CASE WHEN i % 10 = 0 THEN 'open' ELSE 'done' END,
		items: 1 + i % 9,
		note: CASE WHEN i % 2 = 0 THEN 'note ' + i ELSE i END,
		delivered: CASE WHEN i % 3 = 0 THEN localdatetime({year: 2024, month: 1 + i % 12, day: 1 + i % 28}) END}`},
	{labels: "BenchReview", count: nReviews, props: `{uid: i, stars: 1 + i % 5, text: 'Review text ' + i,
		at: datetime({year: 2023, month: 1 + i % 12, day: 1 + i % 28, timezone: 'Europe/Paris'}),
		helpful: [i % 2 = 0, i % 3 = 0]}`},
	{labels: "BenchTag", count: nTags, props: `{uid: i, name: 'tag' + i}`},
	{labels: "BenchCategory", count: nCategories, props: `{uid: i, name: 'Category ' + i,
		` + "`display name`" + `: 'Category #' + i, opens: localtime({hour: i % 24})}`},
}

const personProps = `uid: i, name: 'Person ' + i, email: 'p' + i + '@example.com', age: i % 90,
		score: CASE WHEN i % 2 = 0 THEN i % 100 ELSE (i % 100) + 0.5 END,
		born: date({year: 1950 + i % 50, month: 1 + i % 12, day: 1 + i % 28}),
		active: i % 3 <> 0,
		tags: CASE WHEN i % 4 = 0 THEN ['a', 'b'] END,
		home: CASE WHEN i % 10 = 0 THEN point({longitude: toFloat(i % 360) - 180.0, latitude: toFloat(i % 180) - 90.0}) END`

// relSets is the relationship part: 1,300,000 relationships over 8 types,
// with every cardinality the data can show (one, zero_or_one, one_or_more,
// zero_or_more), a type with two source labels (LOCATED_IN, TAGGED) and
// properties on three types.
var relSets = []relSet{
	{typ: "LIVES_IN", from: "BenchPerson", to: "BenchCity", count: nPeople, src: "j", dst: "j % 10000"},
	{typ: "WORKS_AT", from: "BenchEmployee", to: "BenchCompany", count: nPeople / 5, src: "j * 5", dst: "j % 20000"},
	{typ: "KNOWS", from: "BenchPerson", to: "BenchPerson", count: 400_000, src: "(j * 7) % 130000", dst: "(j * 13 + 1) % 150000",
		props: "{since: date({year: 2000 + j % 24, month: 1 + j % 12, day: 1}), weight: toFloat(j % 100) / 100.0}"},
	{typ: "LOCATED_IN", from: "BenchCity", to: "BenchCountry", count: nCities, src: "j", dst: "j % 250"},
	{typ: "LOCATED_IN", from: "BenchCompany", to: "BenchCity", count: nCompanies, src: "j", dst: "j % 10000"},
	{typ: "PLACED", from: "BenchPerson", to: "BenchOrder", count: nOrders, src: "(j * 11) % 100000", dst: "j",
		props: "{at: datetime({year: 2020 + j % 4, month: 1 + j % 12, day: 1, timezone: 'UTC'})}"},
	{typ: "CONTAINS", from: "BenchOrder", to: "BenchProduct", count: 350_000, src: "j % 150000", dst: "(j * 31) % 100000",
		props: "{quantity: 1 + j % 5, price: 0.99 + (j % 1000)}"},
	{typ: "REVIEWS", from: "BenchReview", to: "BenchProduct", count: nReviews, src: "j", dst: "(j * 17) % 100000"},
	{typ: "TAGGED", from: "BenchProduct", to: "BenchTag", count: nProducts, src: "j", dst: "(j * 3) % 5000"},
	{typ: "TAGGED", from: "BenchReview", to: "BenchTag", count: 30_000, src: "j * 2", dst: "j % 5000"},
}

// benchLabels are the dataset's labels.
var benchLabels = []string{"BenchPerson", "BenchEmployee", "BenchCompany", "BenchCity", "BenchCountry",
	"BenchProduct", "BenchOrder", "BenchReview", "BenchTag", "BenchCategory"}

// expectedCounts is what the count store holds once the dataset is loaded:
// nodes per label and relationships per type.
func expectedCounts() (labels, types map[string]int) {
	labels, types = map[string]int{}, map[string]int{}
	for _, s := range nodeSets {
		n := s.count
		switch s.where {
		case "i % 5 <> 0":
			n = s.count - s.count/5
		case "i % 5 = 0":
			n = s.count / 5
		}
		for _, l := range strings.Split(s.labels, ":") {
			labels[l] += n
		}
	}
	for _, r := range relSets {
		types[r.typ] += r.count
	}
	return labels, types
}

// loaded reports whether the database holds exactly the dataset (by the
// count store, which answers at once).
func loaded(ctx context.Context, db *ogm.DB) (bool, error) {
	labels, types := expectedCounts()
	for l, want := range labels {
		res, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") RETURN count(n)", nil)
		if err != nil {
			return false, err
		}
		if res.Rows[0][0].(int64) != int64(want) {
			return false, nil
		}
	}
	for t, want := range types {
		res, err := db.Cypher(ctx, "MATCH ()-[r:"+ogm.Quote(t)+"]->() RETURN count(r)", nil)
		if err != nil {
			return false, err
		}
		if res.Rows[0][0].(int64) != int64(want) {
			return false, nil
		}
	}
	res, err := db.Cypher(ctx, "MATCH (n) RETURN count(n)", nil)
	if err != nil {
		return false, err
	}
	return res.Rows[0][0].(int64) == 500_000, nil
}

// load (re)creates the dataset: it deletes every node with a Bench label,
// creates the indexes the relationship loading matches on, then the nodes
// and the relationships in batches of batchSize, each in a transaction of
// its own, two at a time.
func load(ctx context.Context, db *ogm.DB, log io.Writer) error {
	start := time.Now()
	for _, l := range benchLabels {
		for {
			res, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") WITH n LIMIT $n DETACH DELETE n RETURN count(*)", map[string]any{"n": batchSize})
			if err != nil {
				return err
			}
			if res.Rows[0][0].(int64) == 0 {
				break
			}
		}
	}
	// Every label gets an index on uid (relationships are loaded by it);
	// a few properties get the other kinds of constraints and indexes.
	stmts := []string{
		"CREATE CONSTRAINT constraint_unique_BenchPerson_uid IF NOT EXISTS FOR (n:BenchPerson) REQUIRE n.uid IS UNIQUE",
		"CREATE CONSTRAINT constraint_unique_BenchCountry_code IF NOT EXISTS FOR (n:BenchCountry) REQUIRE n.code IS UNIQUE",
		"CREATE CONSTRAINT constraint_unique_BenchProduct_sku IF NOT EXISTS FOR (n:BenchProduct) REQUIRE n.sku IS UNIQUE",
		"CREATE CONSTRAINT constraint_unique_BenchTag_name IF NOT EXISTS FOR (n:BenchTag) REQUIRE n.name IS UNIQUE",
		"CREATE TEXT INDEX text_index_BenchCompany_name IF NOT EXISTS FOR (n:BenchCompany) ON (n.name)",
		"CREATE FULLTEXT INDEX fulltext_index_BenchProduct_title IF NOT EXISTS FOR (n:BenchProduct) ON EACH [n.title]",
		"CREATE POINT INDEX index_BenchCity_location IF NOT EXISTS FOR (n:BenchCity) ON (n.location)",
		"CREATE INDEX index_BenchOrder_placed_status IF NOT EXISTS FOR (n:BenchOrder) ON (n.placed, n.status)",
		"CREATE INDEX index_KNOWS_since IF NOT EXISTS FOR ()-[r:KNOWS]-() ON (r.since)",
	}
	for _, l := range benchLabels {
		if l != "BenchPerson" {
			stmts = append(stmts, "CREATE INDEX index_"+l+"_uid IF NOT EXISTS FOR (n:"+l+") ON (n.uid)")
		}
	}
	for _, s := range stmts {
		if _, err := db.Cypher(ctx, s, nil); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	if _, err := db.Cypher(ctx, "CALL db.awaitIndexes(300)", nil); err != nil {
		return err
	}
	var jobs []job
	for _, s := range nodeSets {
		where := ""
		if s.where != "" {
			where = " WITH i WHERE " + s.where
		}
		q := "UNWIND range($from, $to - 1) AS i" + where + " CREATE (:" + s.labels + " " + s.props + ")"
		jobs = append(jobs, batches(q, s.count)...)
	}
	if err := runJobs(ctx, db, jobs, log, "nodes"); err != nil {
		return err
	}
	jobs = nil
	for _, r := range relSets {
		props := ""
		if r.props != "" {
			props = " " + r.props
		}
		q := "UNWIND range($from, $to - 1) AS j MATCH (a:" + r.from + " {uid: " + r.src + "}) MATCH (b:" + r.to + " {uid: " + r.dst + "}) CREATE (a)-[:" + r.typ + props + "]->(b)"
		jobs = append(jobs, batches(q, r.count)...)
	}
	if err := runJobs(ctx, db, jobs, log, "relationships"); err != nil {
		return err
	}
	fmt.Fprintf(log, "loaded the dataset in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// job is one batch: a query and its range parameters.
type job struct {
	query    string
	from, to int
}

func batches(q string, count int) []job {
	var out []job
	for from := 0; from < count; from += batchSize {
		out = append(out, job{q, from, min(from+batchSize, count)})
	}
	return out
}

// runJobs runs the batches, two at a time (the creates of different
// batches touch different nodes, but relationship creation locks both ends:
// the driver retries on the rare deadlock).
func runJobs(ctx context.Context, db *ogm.DB, jobs []job, log io.Writer, what string) error {
	ch := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	done := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				_, err := db.Cypher(ctx, j.query, map[string]any{"from": j.from, "to": j.to})
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				done++
				if done%20 == 0 || done == len(jobs) {
					fmt.Fprintf(log, "  %s: %d/%d batches\n", what, done, len(jobs))
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	return firstErr
}
