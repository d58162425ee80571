// Command inspect benchmarks gonode inspect-database (and, where it is
// installed, neomodel_inspect_database) on a dataset of 500,000 nodes over
// 10 labels and 1,300,000 relationships over 8 types.
//
//	go run ./bench/inspect [-db URL] [-runs 5] [-neomodel PATH] [-keep]
//
// Without -db it starts (or reuses) a Neo4j of its own with tools/neo4j,
// never the one of $NEO4J_BOLT_URL: state in $GONODE_BENCH_NEO4J_DIR
// (default /tmp/gonode-bench-neo4j), Bolt on port 17688, with APOC for
// neomodel. It stops that server at the end unless -keep is given or it was
// running before. The dataset is loaded once (in batches of 10,000, each in
// a transaction of its own) and reused while its counts match. The results
// go to stdout and to bench/inspect/RESULTS.md. See README.md.
package main

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/inspect:", err)
		os.Exit(1)
	}
}

// variant is one way of running inspect-database that is timed.
type variant struct {
	name string
	args []string
}

// options are the benchmark's command line.
type options struct {
	url          string // "" for a dedicated server
	runs         int
	neomodel     string // "" for the default installation, if present
	neomodelRuns int
	keep         bool
	out          string // "" for bench/inspect/RESULTS.md
}

// parseFlags reads the command line.
func parseFlags() options {
	url := flag.String("db", "", "Neo4j URL of a server holding nothing but this benchmark's data (default: start a dedicated one)")
	runs := flag.Int("runs", 5, "timed runs of each variant (after one warm-up run)")
	neomodel := flag.String("neomodel", "", "neomodel_inspect_database to compare with (default .build/neomodel/bin/neomodel_inspect_database if present)")
	neomodelRuns := flag.Int("neomodel-runs", 3, "timed runs of neomodel_inspect_database")
	keep := flag.Bool("keep", false, "leave the dedicated server running")
	out := flag.String("o", "", "results file (default bench/inspect/RESULTS.md)")
	flag.Parse()
	return options{url: *url, runs: *runs, neomodel: *neomodel, neomodelRuns: *neomodelRuns, keep: *keep, out: *out}
}

// setup is what the timed runs and the results file need from the
// preparation: the repository, the server and the gonode binary.
type setup struct {
	root    string
	url     string
	version string // the server's, for the results file
	tmp     string // scratch directory: the binary, generated code, neomodel's output
	bin     string // the gonode binary built for the runs
	load    string // load average before the runs
}

func run() error {
	o := parseFlags()
	root, err := benchutil.RepoRoot()
	if err != nil {
		return err
	}
	s := setup{root: root, url: o.url}
	if s.url == "" {
		// With APOC, for neomodel.
		dir := cmp.Or(os.Getenv("GONODE_BENCH_NEO4J_DIR"), "/tmp/gonode-bench-neo4j")
		u, stop, err := benchutil.StartServer(root, dir, "17688", []string{"NEO4J_WITH_APOC=1"}, o.keep)
		if err != nil {
			return err
		}
		defer stop()
		s.url = u
	}
	if s.version, err = ensureDataset(context.Background(), s.url); err != nil {
		return err
	}
	if s.tmp, err = os.MkdirTemp("", "gonode-bench-inspect"); err != nil {
		return err
	}
	defer os.RemoveAll(s.tmp)
	if s.bin, err = buildGonode(root, s.tmp); err != nil {
		return err
	}
	s.load, _ = benchutil.LoadAvg()

	results, schemaText, err := timeVariants(s, o.runs)
	if err != nil {
		return err
	}
	nm := timeNeomodel(s, o.neomodel, o.neomodelRuns, results[0].median)
	path := cmp.Or(o.out, filepath.Join(root, "bench", "inspect", "RESULTS.md"))
	if err := os.WriteFile(path, []byte(resultsFile(s, o.runs, results, nm, schemaText)), 0o644); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}

// ensureDataset loads the dataset unless the server has it already, and
// returns the server's version.
func ensureDataset(ctx context.Context, url string) (string, error) {
	db, err := ogm.Open(ctx, url)
	if err != nil {
		return "", err
	}
	defer db.Close(ctx)
	ok, err := loaded(ctx, db)
	if err != nil {
		return "", err
	}
	if ok {
		fmt.Println("dataset already loaded: 500,000 nodes, 1,300,000 relationships")
	} else {
		fmt.Println("loading the dataset…")
		if err := load(ctx, db, os.Stdout); err != nil {
			return "", err
		}
	}
	return benchutil.ServerVersion(ctx, db), nil
}

// buildGonode builds cmd/gonode into dir: the runs time the binary as a
// user runs it, not go run.
func buildGonode(root, dir string) (string, error) {
	bin := filepath.Join(dir, "gonode")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gonode")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gonode: %v\n%s", err, out)
	}
	return bin, nil
}

// variants are the ways of running inspect-database that are timed; the
// first, the default options, is the one compared with neomodel.
var variants = []variant{
	{"default (every node and relationship)", nil},
	{"--label 'Bench*'", []string{"--label", "Bench*"}},
	{"--no-rel-props --no-rel-cardinality", []string{"--no-rel-props", "--no-rel-cardinality"}},
	{"--sample 1000", []string{"--sample", "1000"}},
}

// result is how one variant did.
type result struct {
	variant
	first  time.Duration // the warm-up run, not in the median
	times  []time.Duration
	median time.Duration
}

// timeVariants times every variant, printing each one's result, and returns
// the results with the schema that the default options inferred.
func timeVariants(s setup, runs int) ([]result, []byte, error) {
	var results []result
	var schemaText []byte
	for i, v := range variants {
		r, stdout, err := timeVariant(s, v, runs)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			schemaText = stdout
		}
		fmt.Printf("gonode inspect-database %-40s median %6.2fs  (first run %.2fs; runs %s)\n", v.name, r.median.Seconds(), r.first.Seconds(), fmtTimes(r.times))
		results = append(results, r)
	}
	return results, schemaText, nil
}

// timeVariant runs v once to warm up, checking that its output loads and
// generates (a fast but wrong inspection is no result), then runs times
// more, timed. It returns the warm-up run's output.
func timeVariant(s setup, v variant, runs int) (result, []byte, error) {
	r := result{variant: v}
	var output []byte
	for n := 0; n <= runs; n++ {
		args := append([]string{"inspect-database", "--db", s.url}, v.args...)
		d, stdout, err := timeCmd(exec.Command(s.bin, args...), "")
		if err != nil {
			return r, nil, fmt.Errorf("gonode %s: %w", strings.Join(v.args, " "), err)
		}
		if n == 0 {
			r.first, output = d, stdout
			// Every output must load and generate.
			sch, err := schema.LoadBytes("bench.yaml", stdout)
			if err != nil {
				return r, nil, fmt.Errorf("the output of %s does not load: %v", v.name, err)
			}
			if _, err := codegen.Generate(sch, codegen.Options{OutDir: s.tmp}); err != nil {
				return r, nil, err
			}
			continue
		}
		r.times = append(r.times, d)
	}
	r.median = benchutil.Median(r.times)
	return r, output, nil
}

// neomodelResult is how neomodel_inspect_database did.
type neomodelResult struct {
	path   string          // "" when it is not installed and was not run
	times  []time.Duration // the timed runs, up to the first that failed
	median time.Duration   // of times
	err    error           // the failure, if a run failed
	parses string          // whether its output parses as Python ("" when unknown)
}

// timeNeomodel times neomodel_inspect_database (path, or the repository's
// installation when path is "") on the same server and data, when it is
// installed, printing its result and how it compares with gonode's median
// with the default options.
func timeNeomodel(s setup, path string, runs int, gonode time.Duration) neomodelResult {
	nm := neomodelResult{path: path}
	if nm.path == "" {
		if p := filepath.Join(s.root, ".build", "neomodel", "bin", "neomodel_inspect_database"); benchutil.FileExists(p) {
			nm.path = p
		}
	}
	if nm.path == "" {
		return nm
	}
	dir := filepath.Join(s.tmp, "neomodel")
	for range runs {
		_ = os.MkdirAll(dir, 0o755)
		// neomodel writes only below its working directory.
		cmd := exec.Command(nm.path, "--db", s.url, "--write-to", "models.py")
		d, _, err := timeCmd(cmd, dir)
		if err != nil {
			nm.err = err
			break
		}
		nm.times = append(nm.times, d)
	}
	nm.median = benchutil.Median(nm.times)
	nm.parses = checkPython(nm.path, filepath.Join(dir, "models.py"), nm.err == nil)
	if nm.err != nil {
		fmt.Printf("neomodel_inspect_database failed: %v\n", nm.err)
		return nm
	}
	fmt.Printf("neomodel_inspect_database median %.2fs (runs %s)\n", nm.median.Seconds(), fmtTimes(nm.times))
	if len(nm.times) > 0 {
		fmt.Printf("ratio: neomodel / gonode = %.1f\n", nm.median.Seconds()/gonode.Seconds())
		if nm.parses != "" {
			fmt.Println("neomodel:", nm.parses)
		}
	}
	return nm
}

// checkPython says whether file, neomodel's output, at least parses as
// Python, with the Python of neomodel's installation at bin. After a failed
// run the file may be missing or stale, so that it does not parse is said
// only when the runs went through.
func checkPython(bin, file string, ranThrough bool) string {
	python := filepath.Join(filepath.Dir(bin), "python3")
	check := exec.Command(python, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", file)
	if out, err := check.CombinedOutput(); err == nil {
		return "its output parses as Python"
	} else if ranThrough {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return "its output does not parse as Python: " + lines[len(lines)-1]
	}
	return ""
}

// resultsFile is the text of RESULTS.md: the setup, a table of the
// variants' times and neomodel's, the comparison, and the schema inferred
// with the default options.
func resultsFile(s setup, runs int, results []result, nm neomodelResult, schemaText []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# inspect-database benchmark results\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/inspect` on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Server: %s, on 127.0.0.1 (tools/neo4j: 1 GiB heap, 512 MiB page cache)\n", s.version)
	fmt.Fprintf(&b, "- Machine: %d CPUs (%s/%s); load average before the runs: %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, s.load)
	fmt.Fprintf(&b, "- Data: 500,000 nodes over 10 labels (`Bench*`, one extending another), 1,300,000 relationships over 8 types, mixed property types\n")
	fmt.Fprintf(&b, "- Each variant: one warm-up run, then %d timed runs of the `gonode` binary (process start, connection and output included); median reported\n\n", runs)
	fmt.Fprintf(&b, "| command | median | runs | first run |\n|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| `%s` | **%.2f s** | %s | %.2f s |\n", strings.Join(append([]string{"gonode inspect-database"}, quoteArgs(r.args)...), " "), r.median.Seconds(), fmtTimes(r.times), r.first.Seconds())
	}
	if len(nm.times) > 0 && nm.err == nil {
		fmt.Fprintf(&b, "| `neomodel_inspect_database` (neomodel %s, APOC) | **%.2f s** | %s | |\n", neomodelVersion(nm.path), nm.median.Seconds(), fmtTimes(nm.times))
		ratio := nm.median.Seconds() / results[0].median.Seconds()
		fmt.Fprintf(&b, "\ngonode (default options) is **%.1f× faster** than neomodel on the same server and data (%.2f s against %.2f s).\n", ratio, results[0].median.Seconds(), nm.median.Seconds())
		if nm.parses != "" {
			fmt.Fprintf(&b, "neomodel: %s.\n", nm.parses)
		}
	} else if nm.path == "" {
		fmt.Fprintf(&b, "\nneomodel was not run (install it: see README.md).\n")
	} else {
		fmt.Fprintf(&b, "\nneomodel_inspect_database failed: %v\n", nm.err)
	}
	fmt.Fprintf(&b, "\nTarget: at most 3 s with the default options.\n\n## The inferred schema (default options)\n\n```yaml\n%s```\n", schemaText)
	return b.String()
}

// timeCmd runs cmd (in dir when not "") and returns its wall time and
// stdout.
func timeCmd(cmd *exec.Cmd, dir string) (time.Duration, []byte, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if dir != "" {
		cmd.Dir = dir
	}
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return d, nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return d, stdout.Bytes(), nil
}

func fmtTimes(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return strings.Join(parts, ", ")
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "* ") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}

func neomodelVersion(bin string) string {
	pip := filepath.Join(filepath.Dir(bin), "pip")
	out, err := exec.Command(pip, "show", "neomodel").Output()
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Version: "); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
