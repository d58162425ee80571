package ogm

import (
	"context"
	"sync"

	"github.com/gonode/gonode/ogm/internal/bolt"
)

// txKey finds the transaction a context carries for one DB.
type txKey struct{ db *DB }

// txScope is an open transaction that calls made with its context join. A
// driver transaction runs one query at a time, so calls from several
// goroutines sharing the context take turns.
type txScope struct {
	mu    sync.Mutex
	tx    *bolt.Tx
	write bool
}

func (db *DB) scope(ctx context.Context) *txScope {
	s, _ := ctx.Value(txKey{db}).(*txScope)
	return s
}

// Write runs fn in one write transaction: every ogm call made with the ctx
// that fn receives joins it, and it commits when fn returns nil. An error from
// fn rolls everything back and is returned unchanged. On transient failures
// (a lost leader, a deadlock) the driver runs fn again from the start, so fn
// must not have effects outside the transaction that cannot be repeated.
// Write inside Write joins the outer transaction; Write inside Read fails
// with ErrReadOnly.
//
// A Write that fails because the connection broke or the context ended
// while the commit was under way may have committed nonetheless (the reply
// was lost): when running it again would duplicate something, make the
// writes idempotent (GetOrCreate, MERGE, a unique key) or check first.
func (db *DB) Write(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.transact(ctx, "write", true, fn)
}

// Read runs fn in one read transaction, like Write. Writes attempted with
// its ctx fail with ErrReadOnly. Read inside Write joins the write
// transaction.
func (db *DB) Read(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.transact(ctx, "read", false, fn)
}

func (db *DB) transact(ctx context.Context, op string, write bool, fn func(ctx context.Context) error) error {
	if s := db.scope(ctx); s != nil {
		if write && !s.write {
			return &Error{Op: op, Kind: ErrReadOnly, Msg: "Write called inside Read"}
		}
		return fn(ctx)
	}
	if db.closed.Load() {
		return &Error{Op: op, Kind: ErrClosed}
	}
	err := db.conn.Execute(ctx, write, func(tx *bolt.Tx) error {
		inner := context.WithValue(ctx, txKey{db}, &txScope{tx: tx, write: write})
		if err := fn(inner); err != nil {
			return &errFromWork{err}
		}
		return nil
	})
	return wrapErr(ctx, op, err, db.redacted)
}

// txRunner is the transaction an operation runs its queries in.
type txRunner = bolt.Tx

// access says what an operation does to the database.
type access int

const (
	reads    access = iota // only reads
	writes                 // writes: refused inside Read before reaching the server
	mayWrite               // raw Cypher: unknown, so the server decides
)

// query runs one query as one operation and returns all its rows. A
// retried transaction starts over, so no row is collected twice.
func (db *DB) query(ctx context.Context, op string, acc access, query string, params map[string]any) (*Result, error) {
	res := &Result{}
	err := db.run(ctx, op, acc, func(tx *txRunner) error {
		res.Rows = res.Rows[:0]
		keys, err := tx.Run(ctx, query, params, func(values []any) error {
			res.Rows = append(res.Rows, values)
			return nil
		})
		res.Keys = keys
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// run runs one ogm operation: inside the transaction ctx carries, or else in
// a managed transaction of its own (retried on transient errors).
func (db *DB) run(ctx context.Context, op string, acc access, work func(*bolt.Tx) error) error {
	if s := db.scope(ctx); s != nil {
		if acc == writes && !s.write {
			return &Error{Op: op, Kind: ErrReadOnly}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return wrapErr(ctx, op, work(s.tx), db.redacted)
	}
	if db.closed.Load() {
		return &Error{Op: op, Kind: ErrClosed}
	}
	return wrapErr(ctx, op, db.conn.Execute(ctx, acc != reads, work), db.redacted)
}
