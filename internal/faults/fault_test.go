package faults

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestServerRestartMidWorkload stops the server (SIGTERM: a clean shutdown)
// while 4 writers commit multi-node transactions through one *ogm.DB,
// keeps them writing through the outage, and starts the server again. It
// checks that
//   - every transaction acknowledged (Write returned nil) is in the database
//     after the restart, whole;
//   - no transaction is half applied: each batch has all its nodes or none;
//   - every call that failed returned a typed *ogm.Error that IsRetryable,
//     no later than its context deadline (plus a little slack);
//   - the same *ogm.DB serves queries again within seconds of the server
//     being back, without being reopened;
//   - a handle whose retry budget is shorter than the calls' deadline fails
//     with ErrUnavailable while the server is down.
func TestServerRestartMidWorkload(t *testing.T) {
	const writers, batch = 4, 3 // batch: nodes per transaction
	srv, db := faultedDB(t, "stops and starts")
	ctx := context.Background()
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
	deleteAtEnd(t, db, "MATCH (n:"+ogm.Quote(label)+") DETACH DELETE n", nil)

	ws := startWorkload(writers, 0, func(ctx context.Context, w, seq int) error {
		return db.Write(ctx, func(ctx context.Context) error {
			for part := range batch {
				if _, err := db.Cypher(ctx, create, map[string]any{"w": w, "seq": seq, "part": part}); err != nil {
					return err
				}
			}
			return nil
		})
	})
	reader := startWorkload(1, 200*time.Millisecond, func(ctx context.Context, _, _ int) error {
		_, err := short.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") RETURN count(n)", nil)
		return err
	})
	o := strike(t, srv, ws, 20, "stop", func(ctx context.Context) error {
		_, err := db.Cypher(ctx, "RETURN 1", nil)
		return err
	})
	calls, reads := ws.stop(), reader.stop()

	// What the database holds, batch by batch.
	res, err := db.Cypher(ctx, "MATCH (n:"+ogm.Quote(label)+") RETURN n.writer, n.seq, count(n)", nil)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[[2]int64]int64{}
	for _, row := range res.Rows {
		nodes[[2]int64{row[0].(int64), row[1].(int64)}] = row[2].(int64)
	}
	v := judge(t, calls, o.upAt, len(nodes), func(c call) (stored, string) {
		switch n := nodes[[2]int64{int64(c.writer), int64(c.seq)}]; n {
		case 0:
			return absent, ""
		case batch:
			return whole, ""
		default:
			return broken, fmt.Sprintf("%d of %d nodes stored (half-applied transaction)", n, batch)
		}
	})
	t.Logf("%d before the stop; %v", o.before, v)

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
		checkFailure(t, fmt.Sprintf("read at %.2fs", c.began.Seconds()), c)
	}
	t.Logf("short retry budget: %d reads, %d failed, %d of them with ErrUnavailable", len(reads), readFailures, unavailable)
	if unavailable == 0 {
		t.Error("no read failed with ErrUnavailable while the server was down")
	}
}
