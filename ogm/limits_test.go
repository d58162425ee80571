package ogm_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// Issue #17, item 11: the acquire timeout is the bound a caller waiting
// for a connection gets, and running out of connections is its own kind.
// (The driver retries its own pool timeouts for the whole retry budget, so
// a call waited ~25 s with a 3 s acquire timeout.) The context's 15 s
// deadline tells the two apart without timing anything.
func TestAcquireTimeoutIsTheBound(t *testing.T) {
	db := testenv.Open(t, ogm.WithMaxPoolSize(1), ogm.WithAcquireTimeout(200*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Read(ctx, func(ctx context.Context) error {
			if _, err := db.Cypher(ctx, "RETURN 1", nil); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	_, err := db.Cypher(ctx, "RETURN 2", nil)
	close(release)
	var e *ogm.Error
	if !errors.Is(err, ogm.ErrPoolExhausted) || !errors.As(err, &e) || e.Retryable || ctx.Err() != nil {
		t.Fatalf("a call finding the one connection in use: %v (context: %v)", err, ctx.Err())
	}
	if err := <-done; err != nil {
		t.Fatalf("the transaction holding the connection: %v", err)
	}
	if _, err := db.Cypher(ctx, "RETURN 3", nil); err != nil {
		t.Fatalf("once the connection is free again: %v", err)
	}
}

// showRunning counts the server's transactions running a query that
// contains marker.
func showRunning(ctx context.Context, t *testing.T, db *ogm.DB, marker string) int64 {
	t.Helper()
	res, err := db.Cypher(ctx, "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $m RETURN count(*)", map[string]any{"m": marker})
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows[0][0].(int64)
}

// gone waits (up to 20 s, polling) until no transaction runs a query with
// marker, and reports whether that happened.
func gone(ctx context.Context, t *testing.T, db *ogm.DB, marker string) bool {
	t.Helper()
	for range 80 {
		if showRunning(ctx, t, db, marker) == 0 {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	return false
}

// slowQuery runs for minutes unless stopped; the column name is the
// marker SHOW TRANSACTIONS finds it by.
const slowQuery = "UNWIND range(1, 20000000000) AS i WITH i WHERE i < 0 RETURN count(i) AS "

// Item 10: the transaction timeout is sent with every query, so that the
// server gives up too; a transaction past it fails with ErrTimedOut.
func TestTxTimeoutStopsTheServer(t *testing.T) {
	db := testenv.Open(t, ogm.WithTxTimeout(time.Second))
	ctx := context.Background()
	marker := "slow_" + strings.ReplaceAll(testenv.Label(t), "-", "_")
	_, err := db.Cypher(ctx, slowQuery+marker, nil)
	if !errors.Is(err, ogm.ErrTimedOut) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a query past the transaction timeout: %v", err)
	}
	if !gone(ctx, t, db, marker) {
		t.Fatal("the server still runs the timed-out query")
	}
}

// A context deadline sooner than the transaction timeout is sent instead,
// and the server stops when the caller stops waiting. (The driver already
// resets the connection when the context ends, which the server takes as
// the end of the transaction; the timeout sent holds even where that reset
// is lost.)
func TestContextDeadlineReachesTheServer(t *testing.T) {
	db := testenv.Open(t)
	marker := "slow_" + strings.ReplaceAll(testenv.Label(t), "-", "_")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := db.Cypher(ctx, slowQuery+marker, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a query past the context's deadline: %v", err)
	}
	if !gone(context.Background(), t, db, marker) {
		t.Fatal("the server still runs the query the caller gave up on")
	}
}

// Item 16: CALL { … } IN TRANSACTIONS runs with AutoCommit; without it the
// error is the query's (ErrQuery) and says what to do.
func TestAutoCommit(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	l := testenv.Label(t)
	cleanup(t, db, l)
	q := "UNWIND range(1, 5) AS i CALL (i) { CREATE (:" + ogm.Quote(l) + " {i: i}) } IN TRANSACTIONS OF 2 ROWS"
	_, err := db.Cypher(ctx, q, nil)
	if !errors.Is(err, ogm.ErrQuery) || !strings.Contains(err.Error(), "ogm.AutoCommit()") {
		t.Fatalf("IN TRANSACTIONS in a managed transaction: %v", err)
	}
	if _, err := db.Cypher(ctx, q, nil, ogm.AutoCommit()); err != nil {
		t.Fatal(err)
	}
	if n := count(ctx, t, db, l); n != 5 {
		t.Fatalf("%d nodes created; want 5", n)
	}
	res, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(l)+") RETURN n.i ORDER BY n.i", nil, ogm.AutoCommit())
	if err != nil || len(res.Rows) != 5 || res.Keys[0] != "n.i" || res.Rows[4][0] != int64(5) {
		t.Fatalf("rows of an auto-commit query: %v %v", res, err)
	}
	err = db.Write(ctx, func(ctx context.Context) error {
		_, err := db.Cypher(ctx, q, nil, ogm.AutoCommit())
		return err
	})
	if !errors.Is(err, ogm.ErrQuery) || !strings.Contains(err.Error(), "inside Write") {
		t.Fatalf("AutoCommit inside Write: %v", err)
	}
	if _, err := db.Cypher(ctx, "RETURN 1 +", nil, ogm.AutoCommit()); !errors.Is(err, ogm.ErrQuery) {
		t.Fatalf("a syntax error in an auto-commit query: %v", err)
	}
}

// Item 16: a URL pointing at a server that does not speak Bolt is
// ErrUnavailable with a message saying so: an HTTP server that waits for
// a request line (the driver waited for its answer as long as the context
// allowed), one that answers at once (as Neo4j's own HTTP port does), and
// one that hangs up.
func TestOpenNonBoltServer(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>not bolt</html>"))
	}))
	defer web.Close()
	answering := rawServer(t, []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
	closing := rawServer(t, nil)
	for name, tc := range map[string]struct{ addr, says string }{
		"waits":    {strings.TrimPrefix(web.URL, "http://"), "no answer to the Bolt handshake"},
		"answers":  {answering, "the server answered in HTTP"},
		"hangs up": {closing, "the server closed the connection"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := ogm.Open(ctx, "bolt://neo4j:secret-pw@"+tc.addr, ogm.WithConnectTimeout(2*time.Second))
		if !errors.Is(err, ogm.ErrUnavailable) || ctx.Err() != nil {
			t.Errorf("%s: opening a non-Bolt server: %v (context: %v)", name, err, ctx.Err())
		} else if !strings.Contains(err.Error(), "not a Bolt server: "+tc.says) || strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("%s: the error does not say what is wrong, or names the password: %v", name, err)
		}
		cancel()
	}
}

// rawServer listens on loopback and answers every connection's first bytes
// with reply, then closes it (nil: closes at once). It returns the address.
func rawServer(t *testing.T, reply []byte) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if reply != nil {
				c.SetDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 20)
				c.Read(buf)
				c.Write(reply)
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}
