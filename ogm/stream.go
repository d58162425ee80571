package ogm

import "context"

// Two ways of reading the rows of one read query, shared by node sets
// (query.go) and relationship rows (relrows.go): each, into a result the
// caller builds up (reset when the driver retries the transaction), and
// stream, to a range loop as the server sends them. They are generic over
// the decoded row only, so they are compiled once per kind of row, never
// per generated type.

// eachRow runs text in a read transaction (the context's, or one of its
// own) and hands add each row decoded by a fresh decoder from newDec. A
// retried transaction calls reset first: what add was handed is to be
// dropped.
func eachRow[T any, D ~func([]any) (T, error)](ctx context.Context, db *DB, op, text string, params map[string]any,
	newDec func() D, add func(T, []any) error, reset func()) error {
	attempt := 0
	return db.run(ctx, op, reads, func(tx *txRunner) error {
		if attempt++; attempt > 1 {
			reset() // a retried transaction starts over
		}
		dec := newDec()
		_, err := tx.Run(ctx, text, params, func(row []any) error {
			e, err := dec(row)
			if err == nil {
				err = add(e, row)
			}
			if err != nil {
				return &errFromWork{err}
			}
			return nil
		})
		return err
	})
}

// streamRows runs text in a read transaction of its own and hands yield
// each row decoded by dec as it arrives; yield returning false ends the
// query. An error is yielded last, unless the loop stopped. A transaction
// that fails after rows were handed out is not retried: the loop would see
// them twice.
func streamRows[T any, D ~func([]any) (T, error)](ctx context.Context, db *DB, op, text string, params map[string]any,
	dec D, yield func(T, error) bool) {
	started, stopped := false, false
	err := db.run(ctx, op, reads, func(tx *txRunner) error {
		if started {
			return &errFromWork{&Error{Op: op, Kind: ErrTransient, Retryable: true,
				Msg: "the transaction failed after rows were handed out; iterate again"}}
		}
		_, err := tx.Run(ctx, text, params, func(row []any) error {
			e, err := dec(row)
			if err != nil {
				return &errFromWork{err}
			}
			started = true
			if !yield(e, nil) {
				stopped = true
				return errStopped
			}
			return nil
		})
		return err
	})
	if !stopped && err != nil {
		var z T
		yield(z, err)
	}
}
