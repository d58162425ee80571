// Command compile measures what a generated package costs to build (issue
// #16): it writes a synthetic connected schema of N node types, generates
// it with gonode, and builds the generated package alone, dependencies
// already compiled, recording the wall time, the CPU time of the build's
// processes and their peak memory.
//
//	go run ./bench/compile [-types 20,200,1000] [-reps 3] [-repo DIR] [-gopls 200] [-o bench/RESULTS.md]
//
// Each type has 8 properties of mixed types and 2 relationships: a
// zero_or_one ring to the next type with a reverse accessor, and a link to
// the type 7 further on, so every type reaches every other one. -repo
// measures another checkout of gonode (say, an older commit in a git
// worktree) with this command. -gopls N also times gopls's first
// diagnostics on the package of N types. The results replace the "compile"
// section of bench/RESULTS.md (-o - prints them only).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "compile:", err)
		os.Exit(1)
	}
}

type config struct {
	types []int
	reps  int
	repo  string
	gopls int // the size to time gopls on (0: none)
	out   string
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("compile", flag.ContinueOnError)
	c := &config{}
	types := fs.String("types", "20,200,1000", "schema sizes (node types), comma-separated")
	fs.IntVar(&c.reps, "reps", 3, "builds per size (the median is reported); sizes of 1,000 types and more build once")
	fs.StringVar(&c.repo, "repo", "", "the gonode checkout to measure (default: this one)")
	fs.IntVar(&c.gopls, "gopls", 0, "also time gopls's first diagnostics on the package of this many types (one of -types)")
	fs.StringVar(&c.out, "o", "", "results file (default bench/RESULTS.md of this checkout; - for none)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(*types, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 8 {
			return nil, fmt.Errorf("bad size %q (at least 8 types)", s)
		}
		c.types = append(c.types, n)
	}
	if c.reps < 1 {
		return nil, fmt.Errorf("-reps must be at least 1")
	}
	return c, nil
}

// measurement is one size.
type measurement struct {
	types     int
	lines     int
	generate  time.Duration
	wall, cpu time.Duration
	rss       int64 // bytes
	goplsCold time.Duration
	goplsWarm time.Duration
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	self, err := benchutil.RepoRoot()
	if err != nil {
		return err
	}
	repo := c.repo
	if repo == "" {
		repo = self
	}
	if repo, err = filepath.Abs(repo); err != nil {
		return err
	}
	work := filepath.Join(repo, ".build", "compile-bench")
	gonode := filepath.Join(work, "gonode")
	if err := goCmd(ctx, repo, nil, "build", "-o", gonode, "./cmd/gonode"); err != nil {
		return err
	}
	// The dependencies are compiled once, outside the measurements.
	if err := goCmd(ctx, repo, nil, "build", "./ogm"); err != nil {
		return err
	}
	var ms []measurement
	for _, n := range c.types {
		m, err := measureSize(ctx, repo, work, gonode, n, c.reps)
		if err != nil {
			return fmt.Errorf("%d types: %w", n, err)
		}
		if c.gopls == n {
			if m.goplsCold, m.goplsWarm, err = timeGopls(ctx, self, repo, work, n); err != nil {
				return fmt.Errorf("gopls: %w", err)
			}
		}
		fmt.Fprintln(stdout, m.line())
		ms = append(ms, m)
	}
	out := c.out
	if out == "" {
		out = filepath.Join(self, "bench", "RESULTS.md")
	}
	if out == "-" {
		return nil
	}
	if err := benchutil.WriteSection(out, "compile", markdown(ms, repo, self)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", out)
	return nil
}

// measureSize generates the schema of n types and builds it reps times.
func measureSize(ctx context.Context, repo, work, gonode string, n, reps int) (measurement, error) {
	m := measurement{types: n}
	dir := filepath.Join(work, fmt.Sprintf("synth%d", n))
	if err := os.RemoveAll(dir); err != nil {
		return m, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return m, err
	}
	schema := filepath.Join(dir, "schema.yaml")
	if err := os.WriteFile(schema, synthetic(n), 0o644); err != nil {
		return m, err
	}
	start := time.Now()
	gen := exec.CommandContext(ctx, gonode, "generate", schema)
	if out, err := gen.CombinedOutput(); err != nil {
		return m, fmt.Errorf("gonode generate: %v\n%s", err, out)
	}
	m.generate = time.Since(start)
	code, err := os.ReadFile(filepath.Join(dir, "schema_gonode.go"))
	if err != nil {
		return m, err
	}
	m.lines = bytes.Count(code, []byte("\n"))
	if n >= 1000 {
		reps = 1
	}
	var walls, cpus []time.Duration
	var rsss []int64
	for i := range reps {
		// A new constant each time: the build cache must not answer.
		stamp := fmt.Sprintf("package synth\n\nconst benchStamp = %q\n", fmt.Sprint(time.Now().UnixNano(), i))
		if err := os.WriteFile(filepath.Join(dir, "zz_stamp.go"), []byte(stamp), 0o644); err != nil {
			return m, err
		}
		wall, cpu, rss, err := build(ctx, repo, "./"+filepath.ToSlash(must(filepath.Rel(repo, dir))))
		if err != nil {
			return m, err
		}
		walls, cpus, rsss = append(walls, wall), append(cpus, cpu), append(rsss, rss)
	}
	slices.Sort(rsss)
	m.wall, m.cpu, m.rss = benchutil.Median(walls), benchutil.Median(cpus), rsss[len(rsss)/2]
	return m, nil
}

// build runs go build on pkg, returning the wall time, the CPU time (user
// and system) of go and the compiler, and the peak resident memory of the
// largest of them (wait4's rusage covers the waited-for descendants).
func build(ctx context.Context, repo, pkg string) (time.Duration, time.Duration, int64, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", os.DevNull, pkg)
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("go build: %v\n%s", err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return wall, 0, 0, nil
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, ru.Maxrss * 1024, nil
}

// timeGopls times `gopls check` of the generated file of n types: with an
// empty gopls cache (the first diagnostics of a fresh editor session), then
// again with the cache it left.
func timeGopls(ctx context.Context, self, repo, work string, n int) (cold, warm time.Duration, err error) {
	bin := filepath.Join(work, "bin")
	if err := goCmd(ctx, self, []string{"GOBIN=" + bin}, "install", "golang.org/x/tools/gopls@v0.23.0"); err != nil {
		return 0, 0, err
	}
	cache, err := os.MkdirTemp("", "gonode-gopls-cache-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(cache)
	file := filepath.Join(work, fmt.Sprintf("synth%d", n), "schema_gonode.go")
	check := func() (time.Duration, error) {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "gopls"), "check", file)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GOPLSCACHE="+cache)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("gopls check: %v\n%s", err, out)
		}
		if len(bytes.TrimSpace(out)) > 0 {
			return 0, fmt.Errorf("gopls reports problems in the generated code:\n%s", out)
		}
		return time.Since(start), nil
	}
	if cold, err = check(); err != nil {
		return 0, 0, err
	}
	warm, err = check()
	return cold, warm, err
}

func goCmd(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// synthetic is the schema of n connected types.
func synthetic(n int) []byte {
	var b strings.Builder
	b.WriteString("# A synthetic connected schema for bench/compile: every type has 8\n# properties and 2 relationships.\npackage: synth\nnodes:\n")
	for i := range n {
		fmt.Fprintf(&b, "  T%d:\n    properties:\n", i)
		b.WriteString("      name: {type: string, unique: true, required: true}\n")
		b.WriteString("      age: {type: int, index: true}\n")
		b.WriteString("      score: {type: float}\n")
		b.WriteString("      active: {type: bool, default: true}\n")
		b.WriteString("      born: {type: date}\n")
		b.WriteString("      seen: {type: datetime}\n")
		b.WriteString("      email: {type: email}\n")
		b.WriteString("      tags: {type: \"[string]\"}\n")
		b.WriteString("    relationships:\n")
		fmt.Fprintf(&b, "      next: {to: T%d, type: NEXT, cardinality: zero_or_one, reverse: prev_%d}\n", (i+1)%n, i)
		fmt.Fprintf(&b, "      link: {to: T%d, type: LINK}\n", (i+7)%n)
	}
	return []byte(b.String())
}

func (m measurement) line() string {
	s := fmt.Sprintf("%5d types: %7d lines, generate %8s, build %8s wall, %8s CPU (%s per type), peak %s",
		m.types, m.lines, benchutil.Round(m.generate), benchutil.Round(m.wall), benchutil.Round(m.cpu),
		benchutil.Round(m.cpu/time.Duration(m.types)), mem(m.rss))
	if m.goplsCold > 0 {
		s += fmt.Sprintf(", gopls check %s cold / %s warm", benchutil.Round(m.goplsCold), benchutil.Round(m.goplsWarm))
	}
	return s
}

func mem(b int64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.2f GB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

func markdown(ms []measurement, repo, self string) string {
	var b strings.Builder
	b.WriteString("## Compile cost of generated code (issue #16)\n\n")
	which := "this checkout"
	if repo != self {
		which = "the checkout at " + repo
	}
	la, _ := benchutil.LoadAvg()
	fmt.Fprintf(&b, "Written by `go run ./bench/compile` on %s, measuring %s. A synthetic connected schema of N node types "+
		"(8 properties and 2 relationships each: a zero_or_one ring with a reverse, a link 7 types on), generated with gonode, "+
		"then `go build` of the generated package alone with its dependencies compiled (median of the builds; one build at 1,000 types). "+
		"CPU is the user and system time of go and the compiler; memory the peak resident set of the largest process. Load average %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), which, la)
	b.WriteString("| node types | generated lines | gonode generate | build wall | build CPU | CPU per type | peak memory |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range ms {
		fmt.Fprintf(&b, "| %d | %d | %s | %s | %s | %s | %s |\n", m.types, m.lines, benchutil.Round(m.generate),
			benchutil.Round(m.wall), benchutil.Round(m.cpu), benchutil.Round(m.cpu/time.Duration(m.types)), mem(m.rss))
	}
	for _, m := range ms {
		if m.goplsCold > 0 {
			fmt.Fprintf(&b, "\ngopls v0.23.0 on the %d-type package: `gopls check` reports no problem after %s with an empty cache (a fresh editor session's first diagnostics), %s with a warm one.\n",
				m.types, benchutil.Round(m.goplsCold), benchutil.Round(m.goplsWarm))
		}
	}
	return b.String()
}
