// Command compare benchmarks gonode's generated API against hand-written
// neo4j-go-driver v5 code (the floor) and against neomodel 6 (Python), on
// the same Neo4j server and the same data (issue #9):
//
//  1. create 10,000 nodes;
//  2. get one node by a unique property 10,000 times, sequentially and from
//     16 concurrent goroutines (neomodel: asyncio tasks);
//  3. a filter returning 1,000 nodes of 8 mixed-type properties, as structs;
//  4. 1,000 people with their city and the city's country (FetchRelations;
//     also the naive loop it replaces);
//  5. connect 10,000 relationships with cardinality checks (zero_or_one);
//     5b. the same in one ConnectMany (neomodel: one at a time, 1,000);
//  6. authenticate an existing and a missing user, with a cheap hasher;
//  7. 1,000 cities each with the number and average age of its residents
//     (aggregates, issue #20).
//
// Run it from the repository root:
//
//	go run ./bench/compare [-db URL] [-reps 5] [-neomodel-reps 3] [-o bench/RESULTS.md]
//
// Without -db (and without $NEO4J_BOLT_URL) it starts a Neo4j of its own with
// tools/neo4j (state in $GONODE_BENCH_NEO4J_DIR, default
// /tmp/gonode-bench-compare-neo4j; Bolt on $GONODE_BENCH_NEO4J_PORT, default
// 17695) and stops it at the end unless -keep is given or it was running
// before. neomodel runs from a virtual env under .build/bench-venv, which is
// created with pip on the first run. The results table goes to stdout and
// to bench/RESULTS.md. See bench/README.md.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/ogm"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/compare:", err)
		os.Exit(1)
	}
}

// scenario is one row of the results: each side's job and its targets.
type scenario struct {
	id, key string // key names it for neomodel_bench.py
	title   string
	op      string // what one operation is
	ops     int    // operations per repetition
	batch   bool   // one timed call per repetition (latency = the batch)
	gonode  func(*gonodeSide) job
	driver  func(*driverSide) job // nil: gonode only
	neo     bool                  // neomodel runs it too
	neoOps  int                   // neomodel's operations per repetition (0: ops); compared by throughput
	// maxVsDriver is the target of gonode's time over the driver's;
	// minVsNeomodel the target of neomodel's time over gonode's.
	maxVsDriver, minVsNeomodel float64
}

type config struct {
	reps, warmup, nmReps, nmWarmup int
	scale                          float64
	workers                        int
}

func scenarios(c config) []scenario {
	n := func(ops int) int { return max(1, int(math.Round(float64(ops)*c.scale))) }
	return []scenario{
		{id: "1", key: "create", title: "create 10,000 nodes", op: "node created (10,000 per call)", ops: n(10000), batch: true,
			gonode: func(g *gonodeSide) job { return g.create(n(10000)) }, driver: func(d *driverSide) job { return d.create(n(10000)) },
			neo: true, maxVsDriver: 1.25, minVsNeomodel: 5},
		{id: "2a", key: "get", title: "get by unique property, sequential", op: "get", ops: n(10000),
			gonode: func(g *gonodeSide) job { return g.get(1) }, driver: func(d *driverSide) job { return d.get(1) },
			neo: true, maxVsDriver: 1.10, minVsNeomodel: 1},
		{id: "2b", key: "get_concurrent", title: fmt.Sprintf("get by unique property, %d concurrent", c.workers), op: "get", ops: n(10000),
			gonode: func(g *gonodeSide) job { return g.get(c.workers) }, driver: func(d *driverSide) job { return d.get(c.workers) },
			neo: true, maxVsDriver: 1.10, minVsNeomodel: 1},
		{id: "3", key: "filter", title: "filter → 1,000 structs (8 mixed props)", op: "query of 1,000 nodes", ops: n(20),
			gonode: (*gonodeSide).filter, driver: (*driverSide).filter,
			neo: true, maxVsDriver: 1.10, minVsNeomodel: 5},
		{id: "4", key: "fetch", title: "FetchRelations: 1,000 people + city + country", op: "query of 1,000 roots", ops: n(20),
			gonode: (*gonodeSide).fetch, driver: (*driverSide).fetch,
			neo: true, maxVsDriver: 1.25, minVsNeomodel: 5},
		{id: "4n", key: "fetch_naive", title: "the same as a naive loop (2,001 queries)", op: "load of 1,000 roots", ops: 1,
			gonode: (*gonodeSide).fetchNaive},
		{id: "5", key: "connect", title: "connect 10,000 (zero_or_one), one transaction", op: "connect", ops: n(10000),
			gonode: func(g *gonodeSide) job { return g.connect(n(10000)) }, driver: func(d *driverSide) job { return d.connect(n(10000)) },
			neo: true, maxVsDriver: 1.25, minVsNeomodel: 1},
		{id: "5b", key: "connect_many", title: "connect 10,000 (zero_or_one), one ConnectMany", op: "connect (10,000 per call)", ops: n(10000), batch: true,
			gonode: func(g *gonodeSide) job { return g.connectMany(n(10000)) }, driver: func(d *driverSide) job { return d.connectMany(n(10000)) },
			neo: true, neoOps: n(1000), maxVsDriver: 1.10, minVsNeomodel: 5},
		{id: "6a", key: "auth_existing", title: "authenticate, existing user", op: "login", ops: n(200),
			gonode: func(g *gonodeSide) job { return g.authenticate(true) }, driver: func(d *driverSide) job { return d.authenticate(true) },
			neo: true, maxVsDriver: 1.25, minVsNeomodel: 1},
		{id: "6b", key: "auth_missing", title: "authenticate, missing user", op: "login", ops: n(200),
			gonode: func(g *gonodeSide) job { return g.authenticate(false) }, driver: func(d *driverSide) job { return d.authenticate(false) },
			neo: true, maxVsDriver: 1.25, minVsNeomodel: 1},
		{id: "7", key: "aggregate", title: "aggregates: 1,000 cities + count and avg of residents", op: "query of 1,000 roots", ops: n(20),
			gonode: (*gonodeSide).aggregate, driver: (*driverSide).aggregate,
			neo: true, maxVsDriver: 1.10, minVsNeomodel: 5},
	}
}

// result is one scenario's measurements.
type result struct {
	scenario
	gonode, driver, neomodel *measurement
}

// options is the command line: the scenarios' config and what to run them
// on.
type options struct {
	config
	dbURL      string // "" for $NEO4J_BOLT_URL, else a dedicated server
	only       string // comma-separated scenario ids, "" for all
	python     string // "" for the benchmark's virtual env
	noNeomodel bool
	keep       bool
	out        string // "" for bench/RESULTS.md, "-" for none
}

// parseArgs reads the command line; -h gives flag.ErrHelp.
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.StringVar(&o.dbURL, "db", "", "Neo4j URL (default $NEO4J_BOLT_URL, else a dedicated local server started with tools/neo4j)")
	fs.IntVar(&o.reps, "reps", 5, "timed repetitions of each scenario on the Go sides")
	fs.IntVar(&o.warmup, "warmup", 1, "warm-up repetitions on the Go sides")
	fs.IntVar(&o.nmReps, "neomodel-reps", 3, "timed repetitions for neomodel")
	fs.IntVar(&o.nmWarmup, "neomodel-warmup", 1, "warm-up repetitions for neomodel")
	fs.Float64Var(&o.scale, "scale", 1, "scale the operation counts (0.1 for a quick trial run)")
	fs.IntVar(&o.workers, "workers", 16, "concurrent goroutines (asyncio tasks) of scenario 2b")
	fs.StringVar(&o.only, "only", "", "comma-separated scenario ids to run (default all)")
	fs.StringVar(&o.python, "python", "", "Python with neomodel 6 (default .build/bench-venv/bin/python, created with pip when missing)")
	fs.BoolVar(&o.noNeomodel, "no-neomodel", false, "skip neomodel")
	fs.BoolVar(&o.keep, "keep", false, "leave a server this run started running")
	fs.StringVar(&o.out, "o", "", "results file (default bench/RESULTS.md; - for none)")
	err := fs.Parse(args)
	return o, err
}

// bench is what the scenarios run with: both Go sides on one server, and
// neomodel's Python ("" when neomodel is skipped).
type bench struct {
	config
	root, dbURL, py string
	g               *gonodeSide
	d               *driverSide
	stdout          io.Writer
}

// run is the command with its arguments; progress and the table go to
// stdout.
func run(args []string, stdout io.Writer) error {
	o, err := parseArgs(args)
	if err != nil {
		return err
	}
	root, err := benchutil.RepoRoot()
	if err != nil {
		return err
	}
	ctx := context.Background()
	b := &bench{config: o.config, root: root, dbURL: cmp.Or(o.dbURL, os.Getenv(ogm.EnvURL)), stdout: stdout}
	if b.dbURL == "" {
		dir := cmp.Or(os.Getenv("GONODE_BENCH_NEO4J_DIR"), "/tmp/gonode-bench-compare-neo4j")
		port := cmp.Or(os.Getenv("GONODE_BENCH_NEO4J_PORT"), "17695")
		u, stop, err := benchutil.StartServer(root, dir, port, nil, o.keep)
		if err != nil {
			return err
		}
		defer stop()
		b.dbURL = u
	}

	if b.g, err = newGonodeSide(ctx, b.dbURL); err != nil {
		return err
	}
	defer b.g.close(ctx)
	if b.d, err = newDriverSide(ctx, b.dbURL); err != nil {
		return err
	}
	defer b.d.Close(ctx)
	logf := func(format string, args ...any) { fmt.Fprintf(stdout, format+"\n", args...) }
	if err := load(ctx, b.g.db, logf); err != nil {
		return fmt.Errorf("loading the data: %w", err)
	}
	defer dropBenchUser(ctx, b.g.db)

	if !o.noNeomodel {
		if b.py, err = neomodelPython(root, o.python); err != nil {
			return err
		}
	}
	env := describe(ctx, b.g.db, b.py)
	fmt.Fprintf(stdout, "%s; Go %s; %d CPUs (%s); load average %s\n", env.server, env.goVersion, env.cpus, env.cpuModel, env.loadBefore)

	var results []result
	for _, s := range scenarios(o.config) {
		if o.only != "" && !contains(strings.Split(o.only, ","), s.id) {
			continue
		}
		r, err := b.scenario(ctx, s)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	env.loadAfter = loadAvg()
	return writeReport(stdout, markdown(env, o.config, results), cmp.Or(o.out, filepath.Join(root, "bench", "RESULTS.md")))
}

// side is one Go side of a scenario: its job and where its measurements go.
type side struct {
	name string
	j    job
	m    *measurement
}

// scenario measures s on the Go sides, then on neomodel where it runs it,
// printing each side's numbers.
func (b *bench) scenario(ctx context.Context, s scenario) (result, error) {
	fmt.Fprintf(b.stdout, "\n%s. %s (%d %s per repetition)\n", s.id, s.title, s.ops, s.op)
	r := result{scenario: s, gonode: &measurement{ops: s.ops}}
	sides := []side{{"gonode", s.gonode(b.g), r.gonode}}
	if s.driver != nil {
		r.driver = &measurement{ops: s.ops}
		sides = append(sides, side{"driver", s.driver(b.d), r.driver})
	}
	if err := b.measureSides(ctx, s, sides); err != nil {
		return r, err
	}
	for _, sd := range sides {
		fmt.Fprintf(b.stdout, "  %-8s %12.1f ops/s  median %-10v CPU %-10v %8.1f allocs/op\n", sd.name, sd.m.opsPerSec(),
			benchutil.Round(sd.m.medianLatency()), benchutil.Round(sd.m.cpuPerOp()), sd.m.allocsPerOp())
	}
	if s.neo && b.py != "" {
		r.neomodel = runNeomodel(b.root, b.py, b.dbURL, s, b.config)
		if r.neomodel.err != nil {
			fmt.Fprintf(b.stdout, "  neomodel failed: %v\n", r.neomodel.err)
		} else {
			fmt.Fprintf(b.stdout, "  %-8s %12.1f ops/s  median %v\n", "neomodel", r.neomodel.opsPerSec(), benchutil.Round(r.neomodel.medianLatency()))
		}
	}
	return r, nil
}

// measureSides runs the warm-up and timed repetitions of s on the sides.
// Where every side's job is a sequence of single operations, the timed
// repetitions interleave the sides call by call, so that the server's and
// the machine's drift hits them alike; otherwise whole repetitions alternate.
func (b *bench) measureSides(ctx context.Context, s scenario, sides []side) error {
	latLen := s.ops
	if s.batch {
		latLen = 1
	}
	inter := true
	for _, sd := range sides {
		inter = inter && sd.j.interleavable()
	}
	// each measures every side once, in turn from side first.
	each := func(first int, md mode) error {
		for k := range sides {
			sd := sides[(k+first)%len(sides)]
			if err := measure(ctx, sd.j, sd.m, latLen, md); err != nil {
				return fmt.Errorf("%s, %s: %w", s.id, sd.name, err)
			}
		}
		return nil
	}
	for rep := -b.warmup; rep < b.reps; rep++ {
		switch {
		case rep < 0:
			if err := each(0, warmUp); err != nil {
				return err
			}
		case inter:
			jobs, ms := make([]job, len(sides)), make([]*measurement, len(sides))
			for k, sd := range sides {
				jobs[k], ms[k] = sd.j, sd.m
			}
			if err := interleaved(ctx, jobs, ms, s.ops); err != nil {
				return fmt.Errorf("%s: %w", s.id, err)
			}
		default:
			// Alternate the order so that drift hits both sides alike.
			if err := each(rep, timed); err != nil {
				return err
			}
		}
	}
	if inter {
		// Interleaved repetitions mix the sides' allocations: count
		// them in one repetition of each side alone.
		return each(0, allocOnly)
	}
	return nil
}

// writeReport prints the report and makes it the "compare" section of the
// results file at path (the other benchmarks keep sections of their own),
// unless path is "-".
func writeReport(stdout io.Writer, report, path string) error {
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, report)
	if path == "-" {
		return nil
	}
	if err := benchutil.WriteSection(path, "compare", report); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", path)
	return nil
}

// runNeomodel runs neomodel_bench.py for one scenario and reads its JSON.
func runNeomodel(root, py, dbURL string, s scenario, c config) *measurement {
	ops := s.ops
	if s.neoOps > 0 {
		ops = s.neoOps
	}
	m := &measurement{ops: ops}
	args := []string{filepath.Join(root, "bench", "compare", "neomodel_bench.py"),
		"--scenario", s.key, "--ops", fmt.Sprint(ops), "--reps", fmt.Sprint(c.nmReps), "--warmup", fmt.Sprint(c.nmWarmup),
		"--workers", fmt.Sprint(c.workers), "--iterations", fmt.Sprint(hasherIterations)}
	cmd := exec.Command(py, args...)
	// The URL holds the password: pass it in the environment, not argv.
	cmd.Env = append(os.Environ(), "BENCH_NEO4J_URL="+dbURL)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		m.err = fmt.Errorf("%v: %s", err, lastLines(stderr.String(), 5))
		return m
	}
	var out struct {
		OpsPerSec     float64   `json:"ops_per_sec"`
		MedianLatency float64   `json:"median_latency_s"`
		Reps          []float64 `json:"reps_s"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		m.err = fmt.Errorf("reading its output: %v: %s", err, lastLines(stdout.String(), 3))
		return m
	}
	m.nmOpsPerSec = out.OpsPerSec
	m.nmLatency = time.Duration(out.MedianLatency * float64(time.Second))
	for _, r := range out.Reps {
		m.reps = append(m.reps, time.Duration(r*float64(time.Second)))
	}
	return m
}

// neomodelPython returns the Python of the benchmark's virtual env,
// creating it (python3 -m venv, pip install neomodel 6) when it is missing.
func neomodelPython(root, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	venv := filepath.Join(root, ".build", "bench-venv")
	py := filepath.Join(venv, "bin", "python")
	check := func() bool {
		return exec.Command(py, "-c", "import importlib.metadata as m, neomodel, sys; sys.exit(0 if m.version('neomodel').startswith('6.') else 1)").Run() == nil
	}
	if benchutil.FileExists(py) && check() {
		return py, nil
	}
	fmt.Println("installing neomodel 6 into .build/bench-venv (pip)…")
	for _, args := range [][]string{
		{"python3", "-m", "venv", venv},
		{filepath.Join(venv, "bin", "pip"), "install", "--quiet", "neomodel>=6,<7"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %w (or run with -no-neomodel)", strings.Join(args, " "), err)
		}
	}
	if !check() {
		return "", errors.New("neomodel 6 is not importable from .build/bench-venv")
	}
	return py, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// environment describes where the numbers come from.
type environment struct {
	server, goVersion, cpuModel, memory string
	driverVersion                       string
	cpus                                int
	loadBefore, loadAfter               string
	neomodel, python                    string
	date                                string
}

func describe(ctx context.Context, db *ogm.DB, py string) environment {
	e := environment{goVersion: runtime.Version(), cpus: runtime.NumCPU(), loadBefore: loadAvg(),
		cpuModel: "?", memory: "?", driverVersion: "v5", date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/neo4j/neo4j-go-driver/v5" {
				e.driverVersion = dep.Version
			}
		}
	}
	e.server = benchutil.ServerVersion(ctx, db)
	if out, err := exec.Command("lscpu").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(line, "Model name:"); ok {
				e.cpuModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			e.memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
		}
	}
	if py != "" {
		if out, err := exec.Command(py, "-c", "import importlib.metadata as m, platform; print(m.version('neomodel'), m.version('neo4j'), platform.python_version())").Output(); err == nil {
			f := strings.Fields(string(out))
			if len(f) == 3 {
				e.neomodel = fmt.Sprintf("neomodel %s (Python driver %s)", f[0], f[1])
				e.python = "Python " + f[2]
			}
		}
	}
	return e
}

// loadAvg is the load average, "?" when it cannot be read.
func loadAvg() string {
	l, err := benchutil.LoadAvg()
	if err != nil {
		return "?"
	}
	return l
}
