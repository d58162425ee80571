package ogm

import "context"

// ReadCypher runs a parameterised query that only reads and returns all its
// rows, like Cypher but as a read: outside a transaction in a read
// transaction of its own (which a cluster may route to a follower, and which
// the driver retries from the start on transient errors), inside Write or
// Read in the transaction ctx carries. A query that writes fails with
// ErrReadOnly outside Write. Its errors are *Error values with Op
// "read cypher".
//
// It is what code outside this package that only looks at the database (the
// inspect package) runs its queries with.
func (db *DB) ReadCypher(ctx context.Context, query string, params map[string]any) (*Result, error) {
	return db.query(ctx, "read cypher", reads, query, params)
}

// InTransaction reports whether ctx carries a transaction of db, that is
// whether it is (or derives from) the ctx a Write or Read function received.
// Calls made with it join that transaction.
func (db *DB) InTransaction(ctx context.Context) bool {
	return db.scope(ctx) != nil
}
