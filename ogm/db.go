package ogm

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"time"

	"github.com/gonode/gonode/ogm/internal/bolt"
)

// EnvURL is the environment variable Open reads when it is given no URL.
const EnvURL = "NEO4J_BOLT_URL"

// Driver is the Neo4j Go driver's DriverWithContext, for WithDriver.
type Driver = bolt.Driver

// DB is a handle on one Neo4j database: a connection pool plus the bookmarks
// that make each read see the writes made through this handle before it.
type DB struct {
	conn     *bolt.Conn
	redacted string // the URL without its password, for messages
	closed   atomic.Bool
}

// Option configures Open.
type Option func(*options)

type options struct {
	database  string
	driver    Driver
	cfg       bolt.Config
	txTimeout *time.Duration
	observe   func(Query)
}

// config is the connection config with the defaults applied.
func (o *options) config() bolt.Config {
	cfg := o.cfg
	cfg.TxTimeout = DefaultTxTimeout
	if o.txTimeout != nil {
		cfg.TxTimeout = max(*o.txTimeout, 0)
	}
	return cfg
}

// WithDatabase selects the database to use, overriding a /database path in
// the URL. The default is the server's default database.
func WithDatabase(name string) Option { return func(o *options) { o.database = name } }

// WithDriver uses a driver the caller created (and will close) instead of
// dialling the URL; the URL may then be "".
func WithDriver(d Driver) Option { return func(o *options) { o.driver = d } }

// WithMaxPoolSize caps the number of pooled connections (driver default
// 100): at most that many transactions run at once; the others wait (see
// WithAcquireTimeout). With WithDriver, give the driver's own size.
func WithMaxPoolSize(n int) Option { return func(o *options) { o.cfg.MaxPoolSize = n } }

// WithConnectTimeout bounds the time to open one socket (driver default 5s).
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) { o.cfg.ConnectTimeout = d }
}

// WithAcquireTimeout bounds the wait for a free pooled connection (default
// 60s, as the driver's; negative: wait as long as the context allows). It
// is the bound a call gets: one that found every connection in use for
// that long fails with ErrPoolExhausted, and is not retried.
func WithAcquireTimeout(d time.Duration) Option {
	return func(o *options) { o.cfg.AcquireTimeout = d }
}

// DefaultTxTimeout is the server-side time limit of every transaction and
// auto-commit query unless WithTxTimeout says otherwise.
const DefaultTxTimeout = time.Minute

// WithTxTimeout sets the time limit the server enforces on every
// transaction (DefaultTxTimeout when not given; negative: none, the
// server's own db.transaction.timeout applies). A context deadline that
// comes sooner is sent instead, so that the server gives up when the
// caller does rather than running on after the driver stopped waiting. A
// transaction past its limit fails with ErrTimedOut.
func WithTxTimeout(d time.Duration) Option {
	return func(o *options) { o.txTimeout = &d }
}

// WithMaxRetryTime bounds how long a transaction is retried on transient
// errors (driver default 30s).
func WithMaxRetryTime(d time.Duration) Option {
	return func(o *options) { o.cfg.MaxRetryTime = d }
}

// Query is one query as gonode sends it: the text and its parameters.
type Query struct {
	Text   string
	Params map[string]any
}

// WithObserver calls fn with every query before it is sent, from the
// goroutine that sends it: for logging, tracing, and tests that count
// queries. fn must not change the query and must be safe for concurrent use.
// Parameters may hold secrets (a password hash being saved): log them with
// care.
func WithObserver(fn func(Query)) Option { return func(o *options) { o.observe = fn } }

func (o *options) observer() func(string, map[string]any) {
	if o.observe == nil {
		return nil
	}
	return func(q string, p map[string]any) { o.observe(Query{Text: q, Params: p}) }
}

// Open connects to the database at url, for example
// "bolt://neo4j:secret@localhost:7687" or "neo4j+s://user:pw@host/movies"
// (the path names the database). An empty url means $NEO4J_BOLT_URL. Open
// checks that the server answers and accepts the credentials; its errors
// match ErrInvalidURL, ErrUnavailable or ErrUnauthorized and never contain the
// password.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.driver != nil {
		conn := bolt.Wrap(o.driver, o.database, o.config())
		conn.Observe = o.observer()
		if err := conn.Verify(ctx); err != nil {
			return nil, wrapErr(ctx, "open", err, "")
		}
		return &DB{conn: conn}, nil
	}
	if url == "" {
		url = os.Getenv(EnvURL)
	}
	t, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	if o.database != "" {
		t.database = o.database
	}
	conn, err := bolt.Dial(ctx, t.address, t.auth, t.database, o.config())
	if err != nil {
		return nil, wrapErr(ctx, "open", err, t.redacted)
	}
	conn.Observe = o.observer()
	return &DB{conn: conn, redacted: t.redacted}, nil
}

// Close releases the connections. Calls made after Close fail with ErrClosed.
func (db *DB) Close(ctx context.Context) error {
	if db.closed.Swap(true) {
		return nil
	}
	return wrapErr(ctx, "close", db.conn.Close(ctx), db.redacted)
}

// Result is what Cypher returns: the column names and the rows, each row's
// values in column order, as the driver decodes them (int64, float64, string,
// bool, nil, []any, map[string]any, time.Time, Date, Duration, Point2D, Node,
// Relationship, GraphPath, …).
type Result struct {
	Keys []string
	Rows [][]any
}

// Cypher runs a parameterised query and returns all its rows. Outside a
// transaction it runs in a write transaction of its own, so it may write;
// inside DB.Read it may not. Pass every value as a parameter ($name) and
// never build the query text from data.
//
// With ResolveWith, nodes and relationships in the result are turned into
// generated types.
func (db *DB) Cypher(ctx context.Context, query string, params map[string]any, opts ...CypherOption) (*Result, error) {
	var o cypherOptions
	for _, opt := range opts {
		opt(&o)
	}
	var res *Result
	var err error
	if o.autoCommit {
		res, err = db.autoCommit(ctx, query, params)
	} else {
		res, err = db.query(ctx, "cypher", mayWrite, query, params)
	}
	if err != nil || o.reg == nil {
		return res, err
	}
	if err := o.reg.resolveResult(db, res); err != nil {
		return nil, err
	}
	return res, nil
}

// errFromWork marks an error returned by the caller's function, so that it
// is passed back unchanged instead of being classified as a driver error.
type errFromWork struct{ err error }

func (e *errFromWork) Error() string { return e.err.Error() }
func (e *errFromWork) Unwrap() error { return e.err }

// unwrapWork returns the caller's own error when err came from its function.
func unwrapWork(err error) (error, bool) {
	var w *errFromWork
	if errors.As(err, &w) {
		return w.err, true
	}
	return err, false
}
