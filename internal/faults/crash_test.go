package faults

import (
	"context"
	"fmt"
	"testing"

	"github.com/gonode/gonode/internal/faults/ledger"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestServerCrashMidWorkload kills the server with SIGKILL (no clean
// shutdown: the next start recovers the store from its transaction log)
// while 8 writers commit through gonode's typed API on one *ogm.DB, and
// starts it again. Each transaction, one db.Write, creates a Batch
// (Create), its Items (CreateMany), connects each Item to the Batch
// (Connect) and saves the Batch closed (Save). It checks that
//   - every acknowledged transaction is in the database after the crash,
//     whole: the Batch closed, every Item there and connected;
//   - no transaction is half applied or applied twice;
//   - every call that failed returned a typed *ogm.Error that IsRetryable,
//     no later than its context deadline (plus a little slack);
//   - the same *ogm.DB serves again, reads and typed writes, without being
//     reopened.
func TestServerCrashMidWorkload(t *testing.T) {
	const writers, parts = 8, 3 // parts: Items per Batch
	srv, db := faultedDB(t, "kills and starts")
	ctx := context.Background()
	run := testenv.Label(t) // every node of this run has it
	deleteAtEnd(t, db, "MATCH (n) WHERE (n:"+ogm.Quote(ledger.BatchType.Label)+" OR n:"+ogm.Quote(ledger.ItemType.Label)+") AND n.run = $run DETACH DELETE n",
		map[string]any{"run": run})

	ws := startWorkload(writers, 0, func(ctx context.Context, w, seq int) error {
		return db.Write(ctx, func(ctx context.Context) error {
			b, err := ledger.BatchNodes(db).Create(ctx, &ledger.Batch{Run: run, Writer: w, Seq: seq})
			if err != nil {
				return err
			}
			items := make([]*ledger.Item, parts)
			for i := range items {
				items[i] = &ledger.Item{Run: run, Writer: w, Seq: seq, Part: i}
			}
			if err := ledger.ItemNodes(db).CreateMany(ctx, items); err != nil {
				return err
			}
			for _, it := range items {
				if err := b.Items().Connect(ctx, it); err != nil {
					return err
				}
			}
			b.Closed = true
			return b.Save(ctx)
		})
	})
	o := strike(t, srv, ws, 200, "kill", func(ctx context.Context) error {
		_, err := ledger.BatchNodes(db).Filter(ledger.BatchRun.Eq(run)).Count(ctx)
		return err
	})
	calls := ws.stop()

	// What the database holds, transaction by transaction.
	type key struct{ writer, seq int }
	batches, err := ledger.BatchNodes(db).Filter(ledger.BatchRun.Eq(run)).FetchRelations(ogm.Optional(ledger.BatchItems)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, err := ledger.ItemNodes(db).Filter(ledger.ItemRun.Eq(run)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[key][]*ledger.Batch{}
	for _, b := range batches {
		byKey[key{b.Writer, b.Seq}] = append(byKey[key{b.Writer, b.Seq}], b)
	}
	itemsOf := map[key]int{}
	for _, it := range items {
		itemsOf[key{it.Writer, it.Seq}]++
	}
	held := map[key]bool{}
	for k := range byKey {
		held[k] = true
	}
	for k := range itemsOf {
		held[k] = true
	}
	v := judge(t, calls, o.upAt, len(held), func(c call) (stored, string) {
		k := key{c.writer, c.seq}
		bs, n := byKey[k], itemsOf[k]
		switch {
		case len(bs) == 0 && n == 0:
			return absent, ""
		case len(bs) != 1 || n != parts:
			return broken, fmt.Sprintf("%d batches and %d of %d items stored", len(bs), n, parts)
		case !bs[0].Closed:
			return broken, "the batch is stored but not closed: its Save is missing"
		case len(bs[0].Fetched.Items) != parts:
			return broken, fmt.Sprintf("%d of %d items connected to the batch", len(bs[0].Fetched.Items), parts)
		}
		for _, it := range bs[0].Fetched.Items {
			if it.Writer != c.writer || it.Seq != c.seq {
				return broken, fmt.Sprintf("the batch holds item %d/%d of another transaction", it.Writer, it.Seq)
			}
		}
		return whole, ""
	})
	t.Logf("%d writers, %d before the kill; %v", writers, o.before, v)

	// The same handle writes through the typed API again.
	b, err := ledger.BatchNodes(db).Create(ctx, &ledger.Batch{Run: run, Writer: -1, Closed: true})
	if err != nil {
		t.Fatalf("a typed write on the same *ogm.DB after the crash: %v", err)
	}
	if err := b.Refresh(ctx); err != nil || !b.Closed {
		t.Fatalf("reading back the write after the crash: closed=%v, %v", b.Closed, err)
	}
}
