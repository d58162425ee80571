// Command scale measures gonode against hand-written neo4j-go-driver code
// (the floor) as results grow: 1,000, 10,000 and 100,000 rows of
// Filter→All and of FetchRelations along to-one and to-many relationships
// (issue #16), with each side's time, client CPU and peak heap.
//
//	go run ./bench/scale [-db URL] [-sizes 1000,10000,100000] [-reps 5] [-o bench/RESULTS.md]
//
// Without -db (or $NEO4J_BOLT_URL) it starts a Neo4j of its own with
// tools/neo4j (state in $GONODE_BENCH_NEO4J_DIR, default
// /tmp/gonode-bench-scale-neo4j; Bolt on 127.0.0.1:17697) and stops it at
// the end. The dataset (labels Scl…) is loaded once and reused. The
// results replace the "scale" section of bench/RESULTS.md. See
// bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/ogm"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	db      string
	sizes   []int
	reps    int
	only    map[string]bool
	out     string
	keep    bool
	cpuProf string
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	c := &config{}
	fs.StringVar(&c.db, "db", os.Getenv("NEO4J_BOLT_URL"), "server URL (default: a server of the benchmark's own)")
	sizes := fs.String("sizes", "1000,10000,100000", "result sizes, comma-separated")
	fs.IntVar(&c.reps, "reps", 5, "timed calls per side, size and scenario")
	only := fs.String("only", "", "scenarios to run (all, fetch-one, fetch-many), comma-separated")
	fs.StringVar(&c.out, "o", "", "results file (default bench/RESULTS.md; - for none)")
	fs.BoolVar(&c.keep, "keep", false, "leave the benchmark's own server running")
	fs.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of the timed calls to this file")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad size %q", s)
		}
		c.sizes = append(c.sizes, n)
	}
	if c.reps < 1 {
		return nil, fmt.Errorf("-reps must be at least 1")
	}
	if *only != "" {
		c.only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			c.only[strings.TrimSpace(s)] = true
		}
	}
	return c, nil
}

// run is the command with its arguments; each result goes to stdout as it
// is measured.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	root, err := benchutil.RepoRoot()
	if err != nil {
		return err
	}
	if c.db == "" {
		dir := os.Getenv("GONODE_BENCH_NEO4J_DIR")
		if dir == "" {
			dir = "/tmp/gonode-bench-scale-neo4j"
		}
		url, stop, err := benchutil.StartServer(root, dir, "17697", nil, c.keep)
		if err != nil {
			return err
		}
		defer stop()
		c.db = url
	}
	db, err := ogm.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	d, err := newDriverSide(ctx, c.db)
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	if err := loadDataset(ctx, d, slices.Max(c.sizes), stdout); err != nil {
		return err
	}
	before, _ := benchutil.LoadAvg()
	stopProfile, err := startCPUProfile(c.cpuProf)
	if err != nil {
		return err
	}
	defer stopProfile()
	results, err := measureAll(ctx, c, db, d, stdout)
	if err != nil {
		return err
	}
	after, _ := benchutil.LoadAvg()
	report := markdown(results, benchutil.ServerVersion(ctx, db), before, after, c.reps)
	return writeReport(stdout, report, c.out, root)
}

// loadDataset loads people people (and their cities, countries and
// friends) unless the server has exactly that dataset already, and says how
// long a load took.
func loadDataset(ctx context.Context, d *driverSide, people int, stdout io.Writer) error {
	start := time.Now()
	loaded, err := d.load(ctx, people)
	if err != nil {
		return fmt.Errorf("loading the dataset: %w", err)
	}
	if loaded {
		fmt.Fprintf(stdout, "loaded %d people in %s\n", people, time.Since(start).Round(time.Second))
	}
	return nil
}

// startCPUProfile starts a CPU profile into path, none when path is "",
// and returns what stops it and closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// measureAll measures the scenarios that c selects at every size, printing
// each result as it comes.
func measureAll(ctx context.Context, c *config, db *ogm.DB, d *driverSide, stdout io.Writer) ([]result, error) {
	var results []result
	for _, s := range scenarios(db, d) {
		if c.only != nil && !c.only[s.name] {
			continue
		}
		for _, n := range c.sizes {
			r, err := measureScenario(ctx, s, n, c.reps)
			if err != nil {
				return nil, fmt.Errorf("%s at %d: %w", s.name, n, err)
			}
			fmt.Fprintln(stdout, r.line())
			results = append(results, r)
		}
	}
	return results, nil
}

// writeReport puts report in the "scale" section of out (bench/RESULTS.md
// below root when out is ""; nowhere when it is "-").
func writeReport(stdout io.Writer, report, out, root string) error {
	if out == "" {
		out = filepath.Join(root, "bench", "RESULTS.md")
	}
	if out == "-" {
		return nil
	}
	if err := benchutil.WriteSection(out, "scale", report); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", out)
	return nil
}

// sample is one call of one side: its wall time, this process's CPU time
// and the highest live heap reached above the heap before it.
type sample struct {
	wall, cpu time.Duration
	peak      uint64
}

// result is one scenario at one size, both sides.
type result struct {
	scenario      scenario
	n             int
	gonode, floor []sample
}

// measureScenario runs s at size n: one warm-up call per side, then reps
// timed calls each, alternating which side goes first.
func measureScenario(ctx context.Context, s scenario, n, reps int) (result, error) {
	r := result{scenario: s, n: n}
	sides := []func(context.Context, int) (int, error){s.gonode, s.driver}
	for _, f := range sides {
		if _, err := call(ctx, f, n); err != nil {
			return r, err
		}
	}
	for i := range reps {
		order := []int{0, 1}
		if i%2 == 1 {
			order = []int{1, 0}
		}
		for _, side := range order {
			sm, err := call(ctx, sides[side], n)
			if err != nil {
				return r, err
			}
			if side == 0 {
				r.gonode = append(r.gonode, sm)
			} else {
				r.floor = append(r.floor, sm)
			}
		}
	}
	return r, nil
}

// call runs f once from a collected heap and measures it.
func call(ctx context.Context, f func(context.Context, int) (int, error), n int) (sample, error) {
	runtime.GC()
	base := heapObjects()
	stop, peak := watchHeap()
	cpu := benchutil.ProcessCPU()
	start := time.Now()
	got, err := f(ctx, n)
	wall := time.Since(start)
	cpu = benchutil.ProcessCPU() - cpu
	stop()
	if err != nil {
		return sample{}, err
	}
	if got != n {
		return sample{}, fmt.Errorf("loaded %d people, want %d", got, n)
	}
	p := *peak
	if p < base {
		p = base
	}
	return sample{wall: wall, cpu: cpu, peak: p - base}, nil
}

// heapObjects is the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples the heap every 250µs until stop is called, keeping the
// highest value in *peak.
func watchHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(250 * time.Microsecond)
		defer t.Stop()
		for {
			if h := heapObjects(); h > *peak {
				*peak = h
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-exited
		if h := heapObjects(); h > *peak {
			*peak = h
		}
	}, peak
}

func medians(ss []sample) (wall, cpu time.Duration, peak uint64) {
	var ws, cs []time.Duration
	var ps []uint64
	for _, s := range ss {
		ws, cs, ps = append(ws, s.wall), append(cs, s.cpu), append(ps, s.peak)
	}
	slices.Sort(ps)
	return benchutil.Median(ws), benchutil.Median(cs), ps[len(ps)/2]
}

func (r result) line() string {
	gw, gc, gp := medians(r.gonode)
	fw, fc, fp := medians(r.floor)
	return fmt.Sprintf("%-10s %7d  gonode %9s (cpu %9s, heap %6.1f MiB)  driver %9s (cpu %9s, heap %6.1f MiB)  time %.2fx  cpu %.2fx  heap %.2fx",
		r.scenario.name, r.n, benchutil.Round(gw), benchutil.Round(gc), mib(gp), benchutil.Round(fw), benchutil.Round(fc), mib(fp),
		ratio(gw, fw), ratio(gc, fc), float64(gp)/float64(fp))
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// markdown renders the "scale" section of bench/RESULTS.md.
func markdown(rs []result, server, before, after string, reps int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Scale: 1k / 10k / 100k rows (issue #16)\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/scale` on %s. Server: %s, same machine. Load average %s before, %s after. "+
		"Each side: one warm-up call, then %d timed calls per size, the sides alternating which goes first; medians. "+
		"Client CPU is this process's CPU time (`getrusage`); peak heap is the highest live heap (`/memory/classes/heap/objects:bytes`, sampled every 250µs) above the heap before the call, after a GC.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), server, before, after, reps)
	b.WriteString("| scenario | rows | gonode | driver | time | client CPU | gonode heap | driver heap | heap |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		gw, gc, gp := medians(r.gonode)
		fw, fc, fp := medians(r.floor)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %.2f× | %.2f× | %.1f MiB | %.1f MiB | %.2f× |\n",
			r.scenario.name, r.n, benchutil.Round(gw), benchutil.Round(fw), ratio(gw, fw), ratio(gc, fc), mib(gp), mib(fp), float64(gp)/float64(fp))
	}
	b.WriteString("\n")
	for _, s := range dedupe(rs) {
		fmt.Fprintf(&b, "- **%s**: %s.\n", s.name, s.what)
	}
	return b.String()
}

func dedupe(rs []result) []scenario {
	var out []scenario
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.scenario.name] {
			seen[r.scenario.name] = true
			out = append(out, r.scenario)
		}
	}
	return out
}
