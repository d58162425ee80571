package faults

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// server is a Neo4j this test may stop and start: tools/neo4j/neo4j run
// with env (which never holds NEO4J_BOLT_URL, so that the tool acts on its
// own server).
type server struct {
	ctl string
	env []string
	url string
}

func (s *server) run(args ...string) (string, error) {
	cmd := exec.Command(s.ctl, args...)
	cmd.Env = s.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("neo4j %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// withoutEnv returns the environment without the variables named.
func withoutEnv(names ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		drop := false
		for _, n := range names {
			drop = drop || strings.HasPrefix(kv, n+"=")
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// controlledServer returns the server under test when tools/neo4j manages
// it in this environment (the tools' own server, which `make test` and a
// plain `go test` use: its URL is the one tools/neo4j reports). Otherwise,
// NEO4J_BOLT_URL names a server this test cannot stop, and it starts a
// dedicated one with its own state folder in the user's cache folder (so
// the jars are fetched once) on a free port, and stops it at the end.
func controlledServer(t *testing.T) *server {
	t.Helper()
	url := testenv.URL(t)
	s := &server{
		ctl: filepath.Join(testenv.RepoRoot(), "tools", "neo4j", "neo4j"),
		env: withoutEnv("NEO4J_BOLT_URL"),
	}
	if managed, err := s.run("url"); err == nil && managed == url {
		s.url = url
		t.Logf("stopping and starting the test server itself (%s)", redact(url))
		// Whatever happens, leave it running for the tests that follow.
		t.Cleanup(func() {
			if _, err := s.run("start"); err != nil {
				t.Errorf("restarting the test server: %v", err)
			}
		})
		return s
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cache, "gonode", "neo4j-faults")
	port := freePort(t)
	s.env = append(withoutEnv("NEO4J_BOLT_URL", "GONODE_NEO4J_DIR", "NEO4J_BOLT_PORT"),
		"GONODE_NEO4J_DIR="+dir, "NEO4J_BOLT_PORT="+port)
	t.Logf("NEO4J_BOLT_URL is not a server tools/neo4j manages here: starting a dedicated one (GONODE_NEO4J_DIR=%s, port %s)", dir, port)
	if _, err := s.run("stop"); err != nil { // one a crashed run left behind
		t.Fatal(err)
	}
	if s.url, err = s.run("start"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := s.run("stop"); err != nil {
			t.Errorf("stopping the dedicated server: %v", err)
		}
	})
	return s
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func redact(url string) string {
	if i, j := strings.Index(url, "://"), strings.LastIndex(url, "@"); i >= 0 && j > i {
		if k := strings.Index(url[i+3:j], ":"); k >= 0 {
			return url[:i+3+k] + ":xxxxx" + url[j:]
		}
	}
	return url
}

// call is one operation of the workload and how it ended.
type call struct {
	writer, seq int
	began, took time.Duration // since the workload started
	err         error
}

const (
	writers     = 4
	batch       = 3               // nodes per transaction
	callTimeout = 3 * time.Second // the context deadline of every call
	slack       = time.Second     // how far past its deadline a call may return
)

// TestServerRestartMidWorkload stops the server while writers commit
// multi-node transactions through one *ogm.DB, keeps them writing through
// the outage, and starts the server again. It checks that
//   - every transaction acknowledged (Write returned nil) is in the database
//     after the restart, whole;
//   - no transaction is half applied: each batch has all its nodes or none;
//   - every call that failed returned a typed *ogm.Error that IsRetryable,
//     no later than its context deadline (plus a little slack);
//   - the same *ogm.DB serves queries again within seconds of the server
//     being back, without being reopened.
func TestServerRestartMidWorkload(t *testing.T) {
	if testing.Short() {
		t.Skip("stops and starts the database server (about 30 s)")
	}
	srv := controlledServer(t)
	ctx := context.Background()
	db, err := ogm.Open(ctx, srv.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(ctx) }) // after the cleanup below
	// A second handle with a retry budget shorter than the calls'
	// deadline: the driver gives up retrying before the deadline, so its
	// calls during the outage end with ErrUnavailable, not the deadline.
	short, err := ogm.Open(ctx, srv.url, ogm.WithMaxRetryTime(500*time.Millisecond), ogm.WithConnectTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { short.Close(ctx) })
	label := testenv.Label(t)
	create := "CREATE (:" + ogm.Quote(label) + " {writer: $w, seq: $seq, part: $part})"
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if _, err := db.Cypher(cctx, "MATCH (n:"+ogm.Quote(label)+") DETACH DELETE n", nil); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})

	epoch := time.Now()
	var mu sync.Mutex
	var calls []call
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; ; seq++ {
				select {
				case <-done:
					return
				default:
				}
				cctx, cancel := context.WithTimeout(ctx, callTimeout)
				began := time.Since(epoch)
				err := db.Write(cctx, func(ctx context.Context) error {
					for part := range batch {
						if _, err := db.Cypher(ctx, create, map[string]any{"w": w, "seq": seq, "part": part}); err != nil {
							return err
						}
					}
					return nil
				})
				cancel()
				mu.Lock()
				calls = append(calls, call{writer: w, seq: seq, began: began, took: time.Since(epoch) - began, err: err})
				mu.Unlock()
				if err != nil {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	var reads []call // the short-budget handle's reads
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := 0; ; seq++ {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
			}
			cctx, cancel := context.WithTimeout(ctx, callTimeout)
			began := time.Since(epoch)
			_, err := short.Cypher(cctx, "MATCH (n:"+ogm.Quote(label)+") RETURN count(n)", nil)
			cancel()
			mu.Lock()
			reads = append(reads, call{writer: -1, seq: seq, began: began, took: time.Since(epoch) - began, err: err})
			mu.Unlock()
		}
	}()
	acked := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, c := range calls {
			if c.err == nil {
				n++
			}
		}
		return n
	}

	// Let the workload run: at least a second and 20 acknowledged
	// transactions (a fresh server is slow to warm up).
	time.Sleep(time.Second)
	for wait := time.Now(); acked() < 20 && time.Since(wait) < 30*time.Second; {
		time.Sleep(100 * time.Millisecond)
	}
	before := acked()
	if before == 0 {
		t.Fatal("no write acknowledged before the fault")
	}
	stopAt := time.Since(epoch)
	if _, err := srv.run("stop"); err != nil {
		t.Fatal(err)
	}
	downAt := time.Since(epoch)
	time.Sleep(2 * time.Second) // writes keep failing against a stopped server
	if _, err := srv.run("start"); err != nil {
		t.Fatal(err)
	}
	upAt := time.Since(epoch)

	// The same handle answers again, within seconds.
	var recovered time.Duration
	for {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		_, err := db.Cypher(cctx, "RETURN 1", nil)
		cancel()
		if err == nil {
			recovered = time.Since(epoch) - upAt
			break
		}
		if time.Since(epoch)-upAt > 20*time.Second {
			t.Fatalf("the *ogm.DB still fails 20s after the server came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // and the writers commit again
	close(done)
	wg.Wait()

	t.Logf("server stopping at %.1fs, down at %.1fs, up again at %.1fs; the *ogm.DB answered %.2fs later",
		stopAt.Seconds(), downAt.Seconds(), upAt.Seconds(), recovered.Seconds())
	if recovered > 10*time.Second {
		t.Errorf("recovery took %v", recovered)
	}

	// What the database holds, batch by batch.
	res, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") RETURN n.writer, n.seq, count(n)", nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[[2]int64]int64{}
	for _, row := range res.Rows {
		stored[[2]int64{row[0].(int64), row[1].(int64)}] = row[2].(int64)
	}

	var ok, failed, failedButStored, lost, afterRestart int
	kinds := map[string]int{}
	for _, c := range calls {
		n := stored[[2]int64{int64(c.writer), int64(c.seq)}]
		if n != 0 && n != batch {
			t.Errorf("writer %d seq %d: %d of %d nodes stored (half-applied transaction)", c.writer, c.seq, n, batch)
		}
		if c.err == nil {
			ok++
			if c.began > upAt {
				afterRestart++
			}
			if n != batch {
				lost++
				t.Errorf("writer %d seq %d: acknowledged at %.2fs, not in the database after the restart", c.writer, c.seq, (c.began + c.took).Seconds())
			}
			continue
		}
		failed++
		if n == batch {
			failedButStored++ // the commit succeeded, its acknowledgement was lost
		}
		var oe *ogm.Error
		if !errors.As(c.err, &oe) {
			t.Errorf("writer %d seq %d: untyped error %T: %v", c.writer, c.seq, c.err, c.err)
		} else {
			kinds[oe.Kind.Error()]++
		}
		if !ogm.IsRetryable(c.err) {
			t.Errorf("writer %d seq %d (at %.2fs): not retryable: %v", c.writer, c.seq, c.began.Seconds(), c.err)
		}
		if c.took > callTimeout+slack {
			t.Errorf("writer %d seq %d: failed after %v, past its %v deadline: %v", c.writer, c.seq, c.took, callTimeout, c.err)
		}
	}
	// The reads of the short-budget handle.
	unavailable, readFailures := 0, 0
	for _, c := range reads {
		if c.err == nil {
			continue
		}
		readFailures++
		if errors.Is(c.err, ogm.ErrUnavailable) {
			unavailable++
		}
		if !ogm.IsRetryable(c.err) {
			t.Errorf("read at %.2fs: not retryable: %v", c.began.Seconds(), c.err)
		}
		if c.took > callTimeout+slack {
			t.Errorf("read at %.2fs: failed after %v, past its %v deadline: %v", c.began.Seconds(), c.took, callTimeout, c.err)
		}
	}
	t.Logf("short retry budget: %d reads, %d failed, %d of them with ErrUnavailable", len(reads), readFailures, unavailable)
	if unavailable == 0 {
		t.Error("no read failed with ErrUnavailable while the server was down")
	}
	if len(stored) != ok+failedButStored {
		t.Errorf("%d batches stored; %d acknowledged + %d failed but committed", len(stored), ok, failedButStored)
	}
	t.Logf("%d transactions of %d nodes: %d acknowledged (%d before the stop, %d begun after the restart), %d failed (%d of them committed all the same); %d acknowledged writes lost; errors by kind: %v",
		len(calls), batch, ok, before, afterRestart, failed, failedButStored, lost, sortedKinds(kinds))
	if failed == 0 {
		t.Error("no call failed: the outage was not observed")
	}
	if afterRestart == 0 {
		t.Error("no transaction begun after the restart was acknowledged")
	}
}

func sortedKinds(m map[string]int) string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%q: %d", k, v))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
