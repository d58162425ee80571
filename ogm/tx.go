package ogm

import (
	"context"
	"reflect"
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
	undo  *undoLog
}

// undoLog keeps the Go values a write is about to change as they were, so
// that a write that fails, or a transaction that rolls back or is run
// again, leaves them so: a node created in a rolled-back transaction is not
// left bound to an element id the database never kept.
type undoLog struct {
	mu    sync.Mutex
	saved map[any]reflect.Value // pointer → copy of the value it pointed to
	order []any
}

// remember keeps a copy of the value ptr points to, once per log.
func (u *undoLog) remember(ptr any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.saved[ptr]; ok {
		return
	}
	if u.saved == nil {
		u.saved = map[any]reflect.Value{}
	}
	v := reflect.ValueOf(ptr).Elem()
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	u.saved[ptr] = c
	u.order = append(u.order, ptr)
}

// restore puts every remembered value back, last first, and empties the
// log.
func (u *undoLog) restore() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for i := len(u.order) - 1; i >= 0; i-- {
		ptr := u.order[i]
		reflect.ValueOf(ptr).Elem().Set(u.saved[ptr])
	}
	u.saved, u.order = nil, nil
}

// remember keeps ptr's value in the log of the transaction ctx carries, if
// any.
func (db *DB) remember(ctx context.Context, ptr any) {
	if s := db.scope(ctx); s != nil {
		s.undo.remember(ptr)
	}
}

// changing runs op, a write that changes the Go values it remembers in the
// log it is given. Inside a transaction that is the transaction's log,
// restored when the transaction rolls back or is retried; outside, a log of
// op's own, restored when op fails.
func (db *DB) changing(ctx context.Context, op func(u *undoLog) error) error {
	if s := db.scope(ctx); s != nil {
		return op(s.undo)
	}
	u := &undoLog{}
	err := op(u)
	if err != nil {
		u.restore()
	}
	return err
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
// The node and relationship values that ogm calls in fn changed (bound by
// Create, marked by Delete, overwritten by Refresh or a merge, defaults
// applied) are put back as they were when the transaction rolls back, and
// before each retry.
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
	undo := &undoLog{}
	err := db.conn.Execute(ctx, write, func(tx *bolt.Tx) error {
		// A retry runs fn again on the values as they were before the
		// first attempt.
		undo.restore()
		inner := context.WithValue(ctx, txKey{db}, &txScope{tx: tx, write: write, undo: undo})
		if err := fn(inner); err != nil {
			return &errFromWork{err}
		}
		return nil
	})
	if err != nil {
		undo.restore()
	}
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

// autoCommit runs query in an auto-commit transaction of its own (see
// AutoCommit).
func (db *DB) autoCommit(ctx context.Context, query string, params map[string]any) (*Result, error) {
	if db.scope(ctx) != nil {
		return nil, &Error{Op: "cypher", Kind: ErrQuery, Msg: "an AutoCommit query cannot run inside Write or Read: it commits on its own"}
	}
	if db.closed.Load() {
		return nil, &Error{Op: "cypher", Kind: ErrClosed}
	}
	res := &Result{}
	keys, err := db.conn.AutoCommit(ctx, true, query, params, func(values []any) error {
		res.Rows = append(res.Rows, values)
		return nil
	})
	if err != nil {
		return nil, wrapErr(ctx, "cypher", err, db.redacted)
	}
	res.Keys = keys
	return res, nil
}
