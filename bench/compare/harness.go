package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gonode/gonode/bench/internal/benchutil"
)

// job is one side's implementation of one scenario. A repetition performs
// ops operations: op(ctx, i) for each i, timed one by one, unless run is
// set, which then performs the whole repetition itself (a batch, a
// transaction, concurrent workers), recording each operation's latency in
// lat (len(lat) == ops; for a batch, lat has one entry: the whole call).
// prepare and cleanup run before and after every repetition, untimed.
type job struct {
	prepare func(ctx context.Context) error
	op      func(ctx context.Context, i int) error
	run     func(ctx context.Context, lat []time.Duration) error
	cleanup func(ctx context.Context) error
}

// repetition runs j's repetition, filling lat.
func (j job) repetition(ctx context.Context, lat []time.Duration) error {
	if j.run != nil {
		return j.run(ctx, lat)
	}
	return sequential(ctx, lat, j.op)
}

// interleavable: j is a sequence of single operations.
func (j job) interleavable() bool { return j.run == nil && j.op != nil }

// measurement is what one side measured in one scenario: the wall time of
// each timed repetition, the latency of every timed operation, and the Go
// heap allocations of the timed repetitions (from runtime.MemStats).
type measurement struct {
	ops  int // operations per repetition
	reps []time.Duration
	lat  []time.Duration
	cpu  time.Duration // this process's CPU time over the timed repetitions
	// allocations of allocReps repetitions
	mallocs, bytes uint64
	allocReps      int
	// Python sides report their figures themselves.
	nmOpsPerSec float64
	nmLatency   time.Duration
	err         error
}

func (m *measurement) ok() bool {
	return m != nil && m.err == nil && (len(m.reps) > 0 || m.nmOpsPerSec > 0)
}

// opsPerSec is the operations per repetition over the median repetition.
func (m *measurement) opsPerSec() float64 {
	if m.nmOpsPerSec > 0 {
		return m.nmOpsPerSec
	}
	return float64(m.ops) / benchutil.Median(m.reps).Seconds()
}

// medianLatency is the median latency of one operation (or batch).
func (m *measurement) medianLatency() time.Duration {
	if m.nmLatency > 0 {
		return m.nmLatency
	}
	return benchutil.Median(m.lat)
}

// cpuPerOp is the Go process's CPU time per operation: the client's own
// work, which the server's load and the machine's other users do not
// change much (unlike the wall time).
func (m *measurement) cpuPerOp() time.Duration {
	return m.cpu / time.Duration(m.ops*len(m.reps))
}

// allocsPerOp and bytesPerOp are the heap allocations of the timed
// repetitions per operation.
func (m *measurement) allocsPerOp() float64 {
	return float64(m.mallocs) / float64(m.ops*m.allocReps)
}

func (m *measurement) bytesPerOp() float64 {
	return float64(m.bytes) / float64(m.ops*m.allocReps)
}

// mode is what measure records of a repetition.
type mode int

const (
	warmUp    mode = iota // nothing
	allocOnly             // the allocations only
	timed                 // the time, the latencies and the allocations
)

// measure runs one repetition of j alone and adds it to m as md says.
func measure(ctx context.Context, j job, m *measurement, latLen int, md mode) error {
	if j.prepare != nil {
		if err := j.prepare(ctx); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	lat := make([]time.Duration, latLen)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu := time.Now(), benchutil.ProcessCPU()
	err := j.repetition(ctx, lat)
	d, cpu := time.Since(start), benchutil.ProcessCPU()-cpu
	runtime.ReadMemStats(&after)
	if err != nil {
		return err
	}
	if j.cleanup != nil {
		if err := j.cleanup(ctx); err != nil {
			return fmt.Errorf("cleanup: %w", err)
		}
	}
	if md == warmUp {
		return nil
	}
	m.allocReps++
	m.mallocs += after.Mallocs - before.Mallocs
	m.bytes += after.TotalAlloc - before.TotalAlloc
	if md == timed {
		m.reps = append(m.reps, d)
		m.lat = append(m.lat, lat...)
		m.cpu += cpu
	}
	return nil
}

// interleaved runs one timed repetition of every job together, operation
// by operation: the i-th operation of each job, the side going first
// alternating with i, so that the load of a shared machine hits all sides
// alike. A side's repetition time is the sum of its operations' latencies.
func interleaved(ctx context.Context, jobs []job, ms []*measurement, ops int) error {
	for _, j := range jobs {
		if j.prepare != nil {
			if err := j.prepare(ctx); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
		}
	}
	lats, cpus := make([][]time.Duration, len(jobs)), make([]time.Duration, len(jobs))
	for k := range lats {
		lats[k] = make([]time.Duration, ops)
	}
	for i := range ops {
		for n := range jobs {
			k := (n + i) % len(jobs)
			t, c := time.Now(), benchutil.ProcessCPU()
			if err := jobs[k].op(ctx, i); err != nil {
				return err
			}
			lats[k][i], cpus[k] = time.Since(t), cpus[k]+benchutil.ProcessCPU()-c
		}
	}
	for k, j := range jobs {
		if j.cleanup != nil {
			if err := j.cleanup(ctx); err != nil {
				return fmt.Errorf("cleanup: %w", err)
			}
		}
		var sum time.Duration
		for _, d := range lats[k] {
			sum += d
		}
		ms[k].reps = append(ms[k].reps, sum)
		ms[k].lat = append(ms[k].lat, lats[k]...)
		ms[k].cpu += cpus[k]
	}
	return nil
}

// sequential runs op for i in [0, len(lat)), one after the other, timing
// each.
func sequential(ctx context.Context, lat []time.Duration, op func(ctx context.Context, i int) error) error {
	for i := range lat {
		t := time.Now()
		if err := op(ctx, i); err != nil {
			return err
		}
		lat[i] = time.Since(t)
	}
	return nil
}

// concurrent runs op for i in [0, len(lat)) on workers goroutines that
// take the next i as they finish, timing each call.
func concurrent(ctx context.Context, workers int, lat []time.Duration, op func(ctx context.Context, i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(lat) {
					return
				}
				t := time.Now()
				if err := op(ctx, i); err != nil {
					errs[w] = err
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// batch times one call as the repetition's only latency.
func batch(ctx context.Context, lat []time.Duration, op func(ctx context.Context) error) error {
	t := time.Now()
	if err := op(ctx); err != nil {
		return err
	}
	lat[0] = time.Since(t)
	return nil
}
