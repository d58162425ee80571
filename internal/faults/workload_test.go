package faults

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"
)

const (
	callTimeout = 3 * time.Second // the context deadline of every call
	slack       = time.Second     // how far past its deadline a call may return
	// Every loop of a workload is bounded in count and in time, whatever
	// the server does.
	maxCalls   = 5000             // calls per goroutine
	maxRunTime = 90 * time.Second // since the workload started
)

// faultedDB skips the test under -short (it faults the server for about
// half a minute: what it does says how), and returns the server to fault,
// chosen by controlledServer, and a *ogm.DB on it that the test shares
// through the fault, closed when the test ends, after the cleanups the test
// registers.
func faultedDB(t *testing.T, what string) (*server, *ogm.DB) {
	t.Helper()
	if testing.Short() {
		t.Skip(what + " the database server (about 30 s)")
	}
	srv := controlledServer(t)
	db, err := ogm.Open(context.Background(), srv.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return srv, db
}

// deleteAtEnd runs query (a DETACH DELETE of what the test wrote) on db when
// the test ends.
func deleteAtEnd(t *testing.T, db *ogm.DB, query string, params map[string]any) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.Cypher(ctx, query, params); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}

// call is one operation of a workload and how it ended.
type call struct {
	writer, seq int
	began, took time.Duration // since the workload started
	err         error
}

// workload runs op again and again from a few goroutines, each call with its
// own deadline (callTimeout), and records how every call ended.
type workload struct {
	epoch time.Time
	done  chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	calls []call
}

// startWorkload starts n goroutines; goroutine w calls op(ctx, w, seq) with
// seq = 0, 1, …, waiting pace before each call (and at least 50 ms after a
// failure), until stop, maxCalls or maxRunTime.
func startWorkload(n int, pace time.Duration, op func(ctx context.Context, w, seq int) error) *workload {
	ws := &workload{epoch: time.Now(), done: make(chan struct{})}
	for w := range n {
		ws.wg.Add(1)
		go func() {
			defer ws.wg.Done()
			wait := pace
			for seq := 0; seq < maxCalls && ws.since() < maxRunTime; seq++ {
				select {
				case <-ws.done:
					return
				case <-time.After(wait):
				}
				ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
				began := ws.since()
				err := op(ctx, w, seq)
				cancel()
				ws.mu.Lock()
				ws.calls = append(ws.calls, call{writer: w, seq: seq, began: began, took: ws.since() - began, err: err})
				ws.mu.Unlock()
				wait = pace
				if err != nil {
					wait = max(pace, 50*time.Millisecond)
				}
			}
		}()
	}
	return ws
}

// since is the time since the workload started.
func (ws *workload) since() time.Duration { return time.Since(ws.epoch) }

// acked is the number of calls that have succeeded so far.
func (ws *workload) acked() int {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	n := 0
	for _, c := range ws.calls {
		if c.err == nil {
			n++
		}
	}
	return n
}

// stop ends the workload, waits for the calls under way and returns them all.
func (ws *workload) stop() []call {
	close(ws.done)
	ws.wg.Wait()
	return ws.calls
}

// outage is when a fault struck the server, relative to the workload's
// start, and how long the *ogm.DB took to serve again.
type outage struct {
	before                int           // calls acknowledged before the fault
	faultAt, downAt, upAt time.Duration // fault sent, server gone, server back
	recovered             time.Duration // from upAt to the first answer
}

// strike lets the workload warm up (a second and warm acknowledged calls,
// for 30 s at most; a fresh server is slow to start), then runs fault
// ("stop" or "kill") on srv, keeps the server down for 2 s while the
// workload goes on failing, starts it again and waits until probe, run on
// the same *ogm.DB, succeeds. The workload then runs for another second, so
// that calls begun after the restart are acknowledged too.
func strike(t *testing.T, srv *server, ws *workload, warm int, fault string, probe func(ctx context.Context) error) outage {
	t.Helper()
	time.Sleep(time.Second)
	for wait := time.Now(); ws.acked() < warm && time.Since(wait) < 30*time.Second; {
		time.Sleep(100 * time.Millisecond)
	}
	o := outage{before: ws.acked()}
	if o.before == 0 {
		t.Fatal("no write acknowledged before the fault")
	}
	o.faultAt = ws.since()
	if _, err := srv.run(fault); err != nil {
		t.Fatal(err)
	}
	o.downAt = ws.since()
	time.Sleep(2 * time.Second)
	if _, err := srv.run("start"); err != nil {
		t.Fatal(err)
	}
	o.upAt = ws.since()
	for try := 0; ; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		err := probe(ctx)
		cancel()
		if err == nil {
			o.recovered = ws.since() - o.upAt
			break
		}
		if ws.since()-o.upAt > 20*time.Second || try >= 200 {
			t.Fatalf("the *ogm.DB still fails %.1fs after the server came back: %v", (ws.since() - o.upAt).Seconds(), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	t.Logf("%s at %.1fs, server down at %.1fs, up again at %.1fs (restart %.1fs); the *ogm.DB answered %.2fs later",
		fault, o.faultAt.Seconds(), o.downAt.Seconds(), o.upAt.Seconds(), (o.upAt - o.downAt).Seconds(), o.recovered.Seconds())
	if o.recovered > 10*time.Second {
		t.Errorf("recovery took %v", o.recovered)
	}
	return o
}

// stored is what the database holds of one call's transaction.
type stored int

const (
	absent stored = iota // nothing of it
	whole                // all of it, once
	broken               // part of it, or more than once: the test says which
)

// tally is what became of a workload's transactions.
type tally struct {
	calls, acked, failed  int
	failedButStored, lost int // a failure committed all the same; an acknowledgement not kept
	broken, afterRestart  int // half or twice applied; acknowledged, begun after the restart
	kinds                 map[string]int
}

// judge checks each call against what the database holds of it (state
// reports on that, and describes a broken transaction itself): an
// acknowledged transaction is there whole, a failed one whole or absent, and
// every failure is a typed retryable *ogm.Error returned by its deadline.
// held is the number of transactions the database holds anything of: one
// for each call that committed, and no more. Calls that began after upAt are
// counted apart.
func judge(t *testing.T, calls []call, upAt time.Duration, held int, state func(c call) (stored, string)) tally {
	t.Helper()
	v := tally{calls: len(calls), kinds: map[string]int{}}
	for _, c := range calls {
		st, why := state(c)
		if st == broken {
			v.broken++
			t.Errorf("writer %d seq %d (began at %.2fs, %v): %s", c.writer, c.seq, c.began.Seconds(), c.err, why)
		}
		if c.err == nil {
			v.acked++
			if c.began > upAt {
				v.afterRestart++
			}
			if st == absent {
				v.lost++
				t.Errorf("writer %d seq %d: acknowledged at %.2fs, not in the database after the restart", c.writer, c.seq, (c.began + c.took).Seconds())
			}
			continue
		}
		v.failed++
		if st == whole {
			v.failedButStored++ // the commit succeeded, its acknowledgement was lost
		}
		v.kinds[checkFailure(t, fmt.Sprintf("writer %d seq %d", c.writer, c.seq), c)]++
	}
	if held != v.acked+v.failedButStored {
		t.Errorf("the database holds %d transactions; %d acknowledged + %d failed but committed", held, v.acked, v.failedButStored)
	}
	if v.failed == 0 {
		t.Error("no call failed: the outage was not observed")
	}
	if v.afterRestart == 0 {
		t.Error("no transaction begun after the restart was acknowledged")
	}
	return v
}

// checkFailure checks a failed call: a typed *ogm.Error that IsRetryable,
// returned no later than its deadline (plus slack). It returns its kind.
func checkFailure(t *testing.T, what string, c call) string {
	t.Helper()
	kind := "untyped"
	var oe *ogm.Error
	if !errors.As(c.err, &oe) {
		t.Errorf("%s: untyped error %T: %v", what, c.err, c.err)
	} else {
		kind = oe.Kind.Error()
	}
	if !ogm.IsRetryable(c.err) {
		t.Errorf("%s (at %.2fs): not retryable: %v", what, c.began.Seconds(), c.err)
	}
	if c.took > callTimeout+slack {
		t.Errorf("%s: failed after %v, past its %v deadline: %v", what, c.took, callTimeout, c.err)
	}
	return kind
}

// String is the tally in one line, for the log.
func (v tally) String() string {
	var kinds []string
	for k, n := range v.kinds {
		kinds = append(kinds, fmt.Sprintf("%q: %d", k, n))
	}
	sort.Strings(kinds)
	return fmt.Sprintf("%d transactions: %d acknowledged (%d begun after the restart), %d failed (%d of them committed all the same); %d acknowledged lost, %d half or twice applied; errors by kind: %s",
		v.calls, v.acked, v.afterRestart, v.failed, v.failedButStored, v.lost, v.broken, strings.Join(kinds, ", "))
}
