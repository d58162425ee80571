package main

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// The Benchmark functions run one operation of a scenario per iteration, on
// one side, for profiling (they never run in a plain go test):
//
//	export NEO4J_BOLT_URL=bolt://neo4j:pw@localhost:7687   # a server the benchmark may load
//	go test ./bench/compare -run '^$' -bench 'Filter/gonode' -benchmem -cpuprofile /tmp/cpu.out
//	go tool pprof -top /tmp/cpu.out
//
// The data is loaded as `go run ./bench/compare` loads it.

var (
	benchOnce  sync.Once
	benchErr   error
	benchG     *gonodeSide
	benchD     *driverSide
	benchSides = []string{"gonode", "driver"}
)

func sides(b *testing.B) (*gonodeSide, *driverSide) {
	benchOnce.Do(func() {
		ctx := context.Background()
		url := os.Getenv("NEO4J_BOLT_URL")
		if benchG, benchErr = newGonodeSide(ctx, url); benchErr != nil {
			return
		}
		if benchD, benchErr = newDriverSide(ctx, url); benchErr != nil {
			return
		}
		benchErr = load(ctx, benchG.db, b.Logf)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchG, benchD
}

// benchOps runs the op of each side's job once per iteration.
func benchOps(b *testing.B, g func(*gonodeSide) job, d func(*driverSide) job) {
	gs, ds := sides(b)
	jobs := map[string]job{"gonode": g(gs), "driver": d(ds)}
	for _, name := range benchSides {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			j := jobs[name]
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := j.op(ctx, i); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	benchOps(b, func(g *gonodeSide) job { return g.get(1) }, func(d *driverSide) job { return d.get(1) })
}

func BenchmarkFilter(b *testing.B) {
	benchOps(b, (*gonodeSide).filter, (*driverSide).filter)
}

func BenchmarkFetch(b *testing.B) {
	benchOps(b, (*gonodeSide).fetch, (*driverSide).fetch)
}

func BenchmarkAuthenticate(b *testing.B) {
	benchOps(b, func(g *gonodeSide) job { return g.authenticate(true) }, func(d *driverSide) job { return d.authenticate(true) })
}

// BenchmarkCreate times the whole 10,000-node call of scenario 1 per
// iteration (its cleanup untimed).
func BenchmarkCreate(b *testing.B) {
	gs, ds := sides(b)
	jobs := map[string]job{"gonode": gs.create(10000), "driver": ds.create(10000)}
	for _, name := range benchSides {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			j := jobs[name]
			b.ReportAllocs()
			lat := make([]time.Duration, 1)
			for b.Loop() {
				b.StopTimer()
				if err := j.prepare(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := j.run(ctx, lat); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := j.cleanup(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

func BenchmarkAggregate(b *testing.B) {
	benchOps(b, (*gonodeSide).aggregate, (*driverSide).aggregate)
}
