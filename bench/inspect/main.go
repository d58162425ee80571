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

func run() error {
	url := flag.String("db", "", "Neo4j URL of a server holding nothing but this benchmark's data (default: start a dedicated one)")
	runs := flag.Int("runs", 5, "timed runs of each variant (after one warm-up run)")
	neomodel := flag.String("neomodel", "", "neomodel_inspect_database to compare with (default .build/neomodel/bin/neomodel_inspect_database if present)")
	neomodelRuns := flag.Int("neomodel-runs", 3, "timed runs of neomodel_inspect_database")
	keep := flag.Bool("keep", false, "leave the dedicated server running")
	out := flag.String("o", "", "results file (default bench/inspect/RESULTS.md)")
	flag.Parse()

	root, err := benchutil.RepoRoot()
	if err != nil {
		return err
	}
	ctx := context.Background()
	if *url == "" {
		// With APOC, for neomodel.
		dir := cmp.Or(os.Getenv("GONODE_BENCH_NEO4J_DIR"), "/tmp/gonode-bench-neo4j")
		u, stop, err := benchutil.StartServer(root, dir, "17688", []string{"NEO4J_WITH_APOC=1"}, *keep)
		if err != nil {
			return err
		}
		defer stop()
		*url = u
	}
	db, err := ogm.Open(ctx, *url)
	if err != nil {
		return err
	}
	ok, err := loaded(ctx, db)
	if err != nil {
		db.Close(ctx)
		return err
	}
	if ok {
		fmt.Println("dataset already loaded: 500,000 nodes, 1,300,000 relationships")
	} else {
		fmt.Println("loading the dataset…")
		if err := load(ctx, db, os.Stdout); err != nil {
			db.Close(ctx)
			return err
		}
	}
	version := benchutil.ServerVersion(ctx, db)
	db.Close(ctx)

	tmp, err := os.MkdirTemp("", "gonode-bench-inspect")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "gonode")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gonode")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/gonode: %v\n%s", err, out)
	}

	load1, _ := benchutil.LoadAvg()

	variants := []variant{
		{"default (every node and relationship)", nil},
		{"--label 'Bench*'", []string{"--label", "Bench*"}},
		{"--no-rel-props --no-rel-cardinality", []string{"--no-rel-props", "--no-rel-cardinality"}},
		{"--sample 1000", []string{"--sample", "1000"}},
	}
	type result struct {
		variant
		first  time.Duration
		times  []time.Duration
		median time.Duration
	}
	var results []result
	var schemaText []byte
	for i, v := range variants {
		r := result{variant: v}
		for n := 0; n <= *runs; n++ {
			args := append([]string{"inspect-database", "--db", *url}, v.args...)
			d, stdout, err := timeCmd(exec.Command(bin, args...), "")
			if err != nil {
				return fmt.Errorf("gonode %s: %w", strings.Join(v.args, " "), err)
			}
			if n == 0 {
				r.first = d
				// Every output must load and generate.
				s, err := schema.LoadBytes("bench.yaml", stdout)
				if err != nil {
					return fmt.Errorf("the output of %s does not load: %v", v.name, err)
				}
				if _, err := codegen.Generate(s, codegen.Options{OutDir: tmp}); err != nil {
					return err
				}
				if i == 0 {
					schemaText = stdout
				}
				continue
			}
			r.times = append(r.times, d)
		}
		r.median = benchutil.Median(r.times)
		fmt.Printf("gonode inspect-database %-40s median %6.2fs  (first run %.2fs; runs %s)\n", v.name, r.median.Seconds(), r.first.Seconds(), fmtTimes(r.times))
		results = append(results, r)
	}

	// neomodel, on the same server and data.
	nmPath := *neomodel
	if nmPath == "" {
		if p := filepath.Join(root, ".build", "neomodel", "bin", "neomodel_inspect_database"); benchutil.FileExists(p) {
			nmPath = p
		}
	}
	var nmTimes []time.Duration
	var nmErr error
	nmParses := ""
	if nmPath != "" {
		for range *neomodelRuns {
			dir := filepath.Join(tmp, "neomodel")
			_ = os.MkdirAll(dir, 0o755)
			// neomodel writes only below its working directory.
			cmd := exec.Command(nmPath, "--db", *url, "--write-to", "models.py")
			d, _, err := timeCmd(cmd, dir)
			if err != nil {
				nmErr = err
				break
			}
			nmTimes = append(nmTimes, d)
		}
		// Does neomodel's output at least parse as Python?
		python := filepath.Join(filepath.Dir(nmPath), "python3")
		check := exec.Command(python, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", filepath.Join(tmp, "neomodel", "models.py"))
		if out, err := check.CombinedOutput(); err == nil {
			nmParses = "its output parses as Python"
		} else if nmErr == nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			nmParses = "its output does not parse as Python: " + lines[len(lines)-1]
		}
		if nmErr != nil {
			fmt.Printf("neomodel_inspect_database failed: %v\n", nmErr)
		} else {
			fmt.Printf("neomodel_inspect_database median %.2fs (runs %s)\n", benchutil.Median(nmTimes).Seconds(), fmtTimes(nmTimes))
		}
	}

	// RESULTS.md
	var b strings.Builder
	fmt.Fprintf(&b, "# inspect-database benchmark results\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/inspect` on %s.\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Server: %s, on 127.0.0.1 (tools/neo4j: 1 GiB heap, 512 MiB page cache)\n", version)
	fmt.Fprintf(&b, "- Machine: %d CPUs (%s/%s); load average before the runs: %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, load1)
	fmt.Fprintf(&b, "- Data: 500,000 nodes over 10 labels (`Bench*`, one extending another), 1,300,000 relationships over 8 types, mixed property types\n")
	fmt.Fprintf(&b, "- Each variant: one warm-up run, then %d timed runs of the `gonode` binary (process start, connection and output included); median reported\n\n", *runs)
	fmt.Fprintf(&b, "| command | median | runs | first run |\n|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| `%s` | **%.2f s** | %s | %.2f s |\n", strings.Join(append([]string{"gonode inspect-database"}, quoteArgs(r.args)...), " "), r.median.Seconds(), fmtTimes(r.times), r.first.Seconds())
	}
	if len(nmTimes) > 0 && nmErr == nil {
		nm := benchutil.Median(nmTimes)
		fmt.Fprintf(&b, "| `neomodel_inspect_database` (neomodel %s, APOC) | **%.2f s** | %s | |\n", neomodelVersion(nmPath), nm.Seconds(), fmtTimes(nmTimes))
		ratio := nm.Seconds() / results[0].median.Seconds()
		fmt.Fprintf(&b, "\ngonode (default options) is **%.1f× faster** than neomodel on the same server and data (%.2f s against %.2f s).\n", ratio, results[0].median.Seconds(), nm.Seconds())
		fmt.Printf("ratio: neomodel / gonode = %.1f\n", ratio)
		if nmParses != "" {
			fmt.Fprintf(&b, "neomodel: %s.\n", nmParses)
			fmt.Println("neomodel:", nmParses)
		}
	} else if nmPath == "" {
		fmt.Fprintf(&b, "\nneomodel was not run (install it: see README.md).\n")
	} else {
		fmt.Fprintf(&b, "\nneomodel_inspect_database failed: %v\n", nmErr)
	}
	fmt.Fprintf(&b, "\nTarget: at most 3 s with the default options.\n\n## The inferred schema (default options)\n\n```yaml\n%s```\n", schemaText)
	path := *out
	if path == "" {
		path = filepath.Join(root, "bench", "inspect", "RESULTS.md")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
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
