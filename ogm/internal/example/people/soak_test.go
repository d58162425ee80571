package people_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/people"
)

var (
	soakFor     = flag.Duration("soak", 10*time.Second, "how long BenchmarkSoak runs (the README's soak: 10m)")
	soakWorkers = flag.Int("soak.workers", 4, "goroutines running the BenchmarkSoak workload")
)

// BenchmarkSoak runs the quickstart workload (create, connect, get, filter,
// save, refresh, fetch relations, delete in a transaction) from a few
// goroutines sharing one *ogm.DB for -soak (default 10s), and reports the
// goroutines, the open connections to the server and the live heap before
// and after, once the workers have stopped. It fails when goroutines or
// connections are left behind, or the heap more than doubles:
//
//	go test ./ogm/internal/example/people -run '^$' -bench Soak -benchtime 1x -soak 10m
func BenchmarkSoak(b *testing.B) {
	ctx := context.Background()
	dbURL := testenv.URL(b)
	u, err := url.Parse(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	db, err := ogm.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(ctx)
	prefix := randomName(b, "soak") + "-"
	defer func() {
		if _, err := db.Cypher(ctx, "MATCH (n) WHERE (n:Person AND n.name STARTS WITH $p) OR (n:Country AND n.code STARTS WITH $p) DETACH DELETE n",
			map[string]any{"p": prefix}); err != nil {
			b.Errorf("cleanup: %v", err)
		}
	}()

	var seq atomic.Int64
	round := func() error {
		name := prefix + strconv.FormatInt(seq.Add(1), 10)
		c, err := CountryNodes(db).Create(ctx, &Country{Code: name})
		if err != nil {
			return err
		}
		p, err := PersonNodes(db).Create(ctx, &Person{Name: name, Age: 30, Tags: []string{"soak"}})
		if err != nil {
			return err
		}
		if err := p.Country().Connect(ctx, c); err != nil {
			return err
		}
		if _, err := PersonNodes(db).Get(ctx, PersonName.Eq(name)); err != nil {
			return err
		}
		if _, err := PersonNodes(db).Filter(PersonName.StartsWith(prefix), PersonAge.Gt(3)).OrderBy(PersonName.Desc()).Limit(10).All(ctx); err != nil {
			return err
		}
		if got, err := c.Inhabitant().Filter(PersonName.Eq(name)).All(ctx); err != nil || len(got) != 1 {
			return fmt.Errorf("inhabitants: %d, %v", len(got), err)
		}
		p.Age++
		if err := p.Save(ctx); err != nil {
			return err
		}
		if err := p.Refresh(ctx); err != nil {
			return err
		}
		rows, err := PersonNodes(db).FetchRelations(ogm.Optional(PersonCountry)).Filter(PersonName.Eq(name)).All(ctx)
		if err != nil || len(rows) != 1 || rows[0].Fetched.Country == nil {
			return fmt.Errorf("fetch relations: %d rows, %v", len(rows), err)
		}
		return db.Write(ctx, func(ctx context.Context) error {
			if err := p.Delete(ctx); err != nil {
				return err
			}
			return c.Delete(ctx)
		})
	}

	type sample struct {
		goroutines, conns int
		heap              uint64
	}
	measure := func() sample {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return sample{runtime.NumGoroutine(), openConns(u.Port()), m.HeapAlloc}
	}
	for range 3 { // warm the pool and the server's query cache
		if err := round(); err != nil {
			b.Fatal(err)
		}
	}
	start := measure()

	b.ResetTimer()
	began := time.Now()
	var rounds, failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range *soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(began) < *soakFor {
				if err := round(); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				rounds.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	time.Sleep(100 * time.Millisecond) // let finished goroutines exit
	end := measure()

	b.ReportMetric(float64(rounds.Load())/elapsed.Seconds(), "rounds/s")
	b.ReportMetric(float64(end.goroutines-start.goroutines), "goroutines-growth")
	b.ReportMetric(float64(end.conns), "conns-end")
	b.ReportMetric(float64(end.heap)/float64(start.heap), "heap-end/start")
	b.Logf("%v, %d workers: %d rounds, %d failed; goroutines %d → %d, connections %d → %d, live heap %d KiB → %d KiB",
		elapsed.Round(time.Second), *soakWorkers, rounds.Load(), failures.Load(), start.goroutines, end.goroutines,
		start.conns, end.conns, start.heap>>10, end.heap>>10)
	if failures.Load() > 0 {
		b.Errorf("%d rounds failed; first: %v", failures.Load(), firstErr.Load())
	}
	if end.goroutines > start.goroutines+2 {
		b.Errorf("goroutines grew from %d to %d", start.goroutines, end.goroutines)
	}
	if end.conns > *soakWorkers+1 {
		b.Errorf("%d connections open after %d workers stopped", end.conns, *soakWorkers)
	}
	if end.heap > 2*start.heap+4<<20 {
		b.Errorf("live heap grew from %d KiB to %d KiB", start.heap>>10, end.heap>>10)
	}
}

// openConns counts this process's established TCP connections to port on
// the local machine, from /proc (Linux); -1 elsewhere.
func openConns(port string) int {
	want, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return -1
	}
	inodes := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			return -1
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "01" { // 01: ESTABLISHED
				continue
			}
			remote := fields[2]
			i := strings.LastIndex(remote, ":")
			p, err := strconv.ParseUint(remote[i+1:], 16, 16)
			if err == nil && p == want {
				inodes[fields[9]] = true
			}
		}
		f.Close()
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, "socket:[") && inodes[strings.TrimSuffix(strings.TrimPrefix(target, "socket:["), "]")] {
			n++
		}
	}
	return n
}
