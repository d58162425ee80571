package main

import (
	"fmt"
	"strings"

	"github.com/gonode/gonode/bench/internal/benchutil"
)

// markdown renders bench/RESULTS.md.
func markdown(e environment, c config, results []result) string {
	var pg page
	pg.method(e, c)
	pg.timeTable(results)
	pg.latencyTable(results)
	pg.fetchVsNaive(results)
	pg.failures(results)
	return pg.b.String()
}

// page is RESULTS.md as it is written.
type page struct{ b strings.Builder }

// p appends formatted text.
func (pg *page) p(format string, args ...any) { fmt.Fprintf(&pg.b, format, args...) }

// method is the head of the page: where the numbers come from and how they
// were taken, so that a reader can judge them.
func (pg *page) method(e environment, c config) {
	p := pg.p
	p("# Benchmarks: gonode, the driver floor and neomodel\n\n")
	p("Written by `make bench` (`go run ./bench/compare`) on %s. Re-run that command to regenerate this file; ", e.date)
	p("[README.md](README.md) describes each scenario and side.\n\n")
	p("- Machine: %d CPUs (`nproc`), %s (`lscpu`), %s RAM, shared: other engineers' test runs and Neo4j servers may run at the same time. ", e.cpus, e.cpuModel, e.memory)
	p("Load average %s before the run, %s after (the benchmark itself keeps about two cores busy: client and server). ", e.loadBefore, e.loadAfter)
	p("Wall times move by 10–30%% from run to run here; the client CPU column is the steadier measure of gonode's own overhead.\n")
	p("- Server: %s on the same machine, over Bolt on 127.0.0.1 (tools/neo4j: 1 GiB heap, 512 MiB page cache).\n", e.server)
	p("- Go sides: %s, neo4j-go-driver %s, in one process. neomodel side: ", e.goVersion, e.driverVersion)
	if e.neomodel != "" {
		p("%s, %s.\n", e.neomodel, e.python)
	} else {
		p("not run.\n")
	}
	p("- Method: per scenario, %d warm-up and %d timed repetitions of each Go side; scenarios of single calls (2a, 3, 4, 4n, 6a, 6b, 7) interleave the sides call by call, ", c.warmup, c.reps)
	p("the others (1, 2b, 5, 5b) alternate whole repetitions. ")
	if e.neomodel != "" {
		p("Then neomodel in a process of its own (%d warm-up repetition of a tenth of the operations, %d timed). ", c.nmWarmup, c.nmReps)
	}
	p("ops/s is the operations of one repetition over the median repetition time; latency is the median of every timed operation ")
	p("(scenario 1: of the whole 10,000-node call); client CPU is the Go process's CPU time (`getrusage`) per operation; ")
	p("allocations are the Go heap's (`runtime.MemStats`) per operation.")
	if c.scale != 1 {
		p(" Operation counts scaled by %g.", c.scale)
	}
	p("\n\n")
}

// timeTable is the main table: each side's throughput and the ratios
// against their targets, for the scenarios that have a driver side to
// compare with.
func (pg *page) timeTable(results []result) {
	p := pg.p
	p("| # | scenario | one op | gonode ops/s | driver ops/s | neomodel ops/s | gonode/driver time (target) | gonode/driver client CPU | neomodel/gonode time (target) |\n")
	p("|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		if r.driver == nil {
			continue
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.id, r.title, r.op,
			opsCell(r.gonode), opsCell(r.driver), opsCell(r.neomodel),
			ratioCell(r.gonode, r.driver, r.maxVsDriver, false), cpuRatioCell(r.gonode, r.driver),
			ratioCell(r.neomodel, r.gonode, r.minVsNeomodel, true))
	}
	p("\ngonode/driver is gonode's time over the floor's (1.00× = as fast as hand-written driver code; lower is better); ")
	p("client CPU is the Go process's CPU time per operation (`getrusage`), which leaves out the server and depends little on the machine's other load: ")
	p("it is gonode's own overhead over the driver. ")
	p("neomodel/gonode is neomodel's time over gonode's (how many times faster gonode is). ✓/✗: target met or missed.\n\n")
}

// latencyTable gives every scenario's latency, client CPU and allocations.
func (pg *page) latencyTable(results []result) {
	p := pg.p
	p("## Latency and allocations\n\n")
	p("| # | gonode median | driver median | neomodel median | gonode CPU/op | driver CPU/op | gonode allocs/op | driver allocs/op | gonode B/op | driver B/op |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range results {
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.id,
			latCell(r.gonode), latCell(r.driver), latCell(r.neomodel), cpuCell(r.gonode), cpuCell(r.driver),
			allocCell(r.gonode, false), allocCell(r.driver, false), allocCell(r.gonode, true), allocCell(r.driver, true))
	}
}

// fetchVsNaive compares FetchRelations (scenario 4) with the loop of
// queries it replaces (4n), when both ran and succeeded.
func (pg *page) fetchVsNaive(results []result) {
	var fetch, naive *result
	for i := range results {
		switch results[i].id {
		case "4":
			fetch = &results[i]
		case "4n":
			naive = &results[i]
		}
	}
	if fetch == nil || naive == nil || !fetch.gonode.ok() || !naive.gonode.ok() {
		return
	}
	p := pg.p
	f, n := fetch.gonode.medianLatency(), naive.gonode.medianLatency()
	p("\n## FetchRelations against the naive loop (issue #5)\n\n")
	p("Loading 1,000 people with their city and the city's country: `FetchRelations(model.PersonCity.With(model.CityCountry))`, one query, median **%v**; ", benchutil.Round(f))
	p("the naive loop (the people, then `City().Single` and `Country().Single` for each: 2,001 queries), median **%v**: ", benchutil.Round(n))
	p("FetchRelations is **%.0f× faster** (%s allocs against %s).\n", float64(n)/float64(f), allocCell(fetch.gonode, false), allocCell(naive.gonode, false))
}

// failures lists every side that failed, if any did: their cells above
// are "–".
func (pg *page) failures(results []result) {
	var failed []string
	for _, r := range results {
		for _, m := range []struct {
			side string
			m    *measurement
		}{{"gonode", r.gonode}, {"driver", r.driver}, {"neomodel", r.neomodel}} {
			if m.m != nil && m.m.err != nil {
				failed = append(failed, fmt.Sprintf("- %s, %s: %v", r.id, m.side, m.m.err))
			}
		}
	}
	if len(failed) > 0 {
		pg.p("\n## Failures\n\n%s\n", strings.Join(failed, "\n"))
	}
}

func opsCell(m *measurement) string {
	if !m.ok() {
		return "–"
	}
	return thousands(m.opsPerSec())
}

// ratioCell is a's time over b's (b's ops/s over a's), with the target:
// at most target, or at least target when atLeast.
func ratioCell(a, b *measurement, target float64, atLeast bool) string {
	if !a.ok() || !b.ok() {
		return "–"
	}
	r := b.opsPerSec() / a.opsPerSec()
	ok := r <= target
	cmp := "≤"
	if atLeast {
		ok = r >= target
		cmp = "≥"
		if target == 1 {
			cmp, ok = ">", r > 1
		}
	}
	mark := "✓"
	if !ok {
		mark = "✗"
	}
	return fmt.Sprintf("%.2f× %s (%s%g)", r, mark, cmp, target)
}

func cpuRatioCell(a, b *measurement) string {
	if !a.ok() || !b.ok() || b.cpuPerOp() == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a.cpuPerOp())/float64(b.cpuPerOp()))
}

func cpuCell(m *measurement) string {
	if !m.ok() || m.nmOpsPerSec > 0 || m.cpu == 0 {
		return "–"
	}
	return benchutil.Round(m.cpuPerOp()).String()
}

func latCell(m *measurement) string {
	if !m.ok() {
		return "–"
	}
	return benchutil.Round(m.medianLatency()).String()
}

func allocCell(m *measurement, bytes bool) string {
	if !m.ok() || m.nmOpsPerSec > 0 {
		return "–"
	}
	if bytes {
		return thousands(m.bytesPerOp())
	}
	return thousands(m.allocsPerOp())
}

// thousands formats v with thousands separators, one decimal under 100.
func thousands(v float64) string {
	if v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	s := fmt.Sprintf("%.0f", v)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
