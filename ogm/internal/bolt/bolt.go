// Package bolt is gonode's one seam onto the Neo4j Go driver. Everything the
// runtime needs from the driver (connecting, managed transactions, running a
// query, the value types, the error kinds) goes through this package, so that
// moving to a new driver major version touches these files only.
package bolt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Value types of the Bolt protocol, as the driver represents them.
type (
	Driver        = neo4j.DriverWithContext
	Date          = dbtype.Date
	LocalTime     = dbtype.LocalTime
	LocalDateTime = dbtype.LocalDateTime
	Time          = dbtype.Time
	Duration      = dbtype.Duration
	Point2D       = dbtype.Point2D
	Point3D       = dbtype.Point3D
	Node          = dbtype.Node
	Relationship  = dbtype.Relationship
	Path          = dbtype.Path
)

// Config is what Dial needs beyond the address and credentials, and the
// limits a Conn enforces.
type Config struct {
	MaxPoolSize    int           // 0: driver default (DefaultPoolSize)
	ConnectTimeout time.Duration // socket connect timeout; 0: driver default
	AcquireTimeout time.Duration // wait for a free connection; 0: DefaultAcquireTimeout; < 0: none
	MaxRetryTime   time.Duration // retry budget of managed transactions; 0: driver default
	TxTimeout      time.Duration // server-side limit of each transaction; 0: none
}

// The driver's defaults, which a Conn's own limits follow.
const (
	DefaultPoolSize       = 100
	DefaultAcquireTimeout = time.Minute
)

// PoolExhausted is the error of a call that waited the whole acquire
// timeout for one of the pool's connections.
type PoolExhausted struct {
	Size   int
	Waited time.Duration
}

func (e *PoolExhausted) Error() string {
	return fmt.Sprintf("all %d connections stayed in use for %s", e.Size, e.Waited)
}

// Auth is a basic-auth pair; a zero Auth means no authentication.
type Auth struct {
	User, Password string
}

// Conn is an open connection pool to one server or cluster, with the
// bookmark manager that makes every read see the writes made through it.
//
// The driver retries a transaction whose connection it could not get from
// the pool (for up to MaxRetryTime), so its acquire timeout does not bound
// a caller's wait. A Conn hands out the connections itself, one slot per
// transaction or auto-commit query, with the pool's size: a caller waits
// for a slot for at most the acquire timeout and then gets PoolExhausted,
// and the driver always finds a connection free.
type Conn struct {
	drv       Driver
	ownDriver bool
	database  string
	bookmarks neo4j.BookmarkManager
	slots     chan struct{}
	acquire   time.Duration
	txTimeout time.Duration
	// Observe, when set, is called with every query before it is sent.
	Observe func(query string, params map[string]any)
}

// Dial creates a driver for target (a URL without user info or path) and
// checks that the server answers and accepts the credentials.
func Dial(ctx context.Context, target string, auth Auth, database string, cfg Config) (*Conn, error) {
	connect := cfg.ConnectTimeout
	if connect <= 0 {
		connect = 5 * time.Second // the driver's default socket connect timeout
	}
	if err := probe(ctx, target, connect); err != nil {
		return nil, err
	}
	token := neo4j.NoAuth()
	if auth.User != "" || auth.Password != "" {
		token = neo4j.BasicAuth(auth.User, auth.Password, "")
	}
	drv, err := neo4j.NewDriverWithContext(target, token, func(c *config.Config) {
		if cfg.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxPoolSize
		}
		if cfg.ConnectTimeout > 0 {
			c.SocketConnectTimeout = cfg.ConnectTimeout
		}
		if cfg.AcquireTimeout > 0 {
			c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
		}
		if cfg.MaxRetryTime > 0 {
			c.MaxTransactionRetryTime = cfg.MaxRetryTime
		}
		c.UserAgent = "gonode"
	})
	if err != nil {
		return nil, err
	}
	conn := Wrap(drv, database, cfg)
	conn.ownDriver = true
	if err := conn.Verify(ctx); err != nil {
		_ = drv.Close(ctx)
		return nil, err
	}
	return conn, nil
}

// Wrap uses a driver the caller created and keeps; Close leaves it open.
// cfg's pool size should be the driver's (it cannot be read back from it).
func Wrap(drv Driver, database string, cfg Config) *Conn {
	size := cfg.MaxPoolSize
	if size <= 0 {
		size = DefaultPoolSize
	}
	acquire := cfg.AcquireTimeout
	if acquire == 0 {
		acquire = DefaultAcquireTimeout
	}
	return &Conn{
		drv:       drv,
		database:  database,
		bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{}),
		slots:     make(chan struct{}, size),
		acquire:   acquire,
		txTimeout: cfg.TxTimeout,
	}
}

// take waits for a free slot (see Conn) and returns its release.
func (c *Conn) take(ctx context.Context) (func(), error) {
	release := func() { <-c.slots }
	select {
	case c.slots <- struct{}{}:
		return release, nil
	default:
	}
	var expired <-chan time.Time
	if c.acquire > 0 {
		t := time.NewTimer(c.acquire)
		defer t.Stop()
		expired = t.C
	}
	select {
	case c.slots <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-expired:
		return nil, &PoolExhausted{Size: cap(c.slots), Waited: c.acquire}
	}
}

// timeout is the server-side limit for a transaction started now with
// ctx: the configured one, or the time left before ctx's deadline when
// that is sooner, so that the server gives up when the caller does (a
// query the driver stops waiting for otherwise runs on). 0: none.
func (c *Conn) timeout(ctx context.Context) time.Duration {
	d := c.txTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); d <= 0 || left < d {
			d = left
		}
	}
	if d > 0 && d < time.Millisecond {
		d = time.Millisecond // the server counts in milliseconds; 0 would mean none
	}
	return max(d, 0)
}

func (c *Conn) txConfig(ctx context.Context) []func(*neo4j.TransactionConfig) {
	if d := c.timeout(ctx); d > 0 {
		return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(d)}
	}
	return nil
}

// Verify checks, without retrying, that the server answers, accepts the
// credentials and has the database: one auto-commit query does all three.
func (c *Conn) Verify(ctx context.Context) error {
	session := c.session(ctx, false)
	defer session.Close(ctx)
	res, err := session.Run(ctx, "RETURN 1", nil)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// Close closes the driver if Dial created it.
func (c *Conn) Close(ctx context.Context) error {
	if !c.ownDriver {
		return nil
	}
	return c.drv.Close(ctx)
}

// Execute runs work in one managed transaction, retried on transient errors.
//
// The driver (v5.28) returns a connection to its pool without resetting it
// after the server refused a query's parameters (Request.Invalid); the next
// transaction on that connection fails at once with "invalid state 4",
// before any work ran, and the connection is reset after that. Execute runs
// such a transaction once more.
func (c *Conn) Execute(ctx context.Context, write bool, work func(*Tx) error) error {
	release, err := c.take(ctx)
	if err != nil {
		return err
	}
	defer release()
	err = c.execute(ctx, write, work)
	if err != nil && staleConnection(err) {
		err = c.execute(ctx, write, work)
	}
	return err
}

// staleConnection recognises the driver's error for a connection left in a
// failed state (a plain error, not a server error).
func staleConnection(err error) bool {
	var nerr *neo4j.Neo4jError
	return !errors.As(err, &nerr) && strings.Contains(err.Error(), "invalid state ")
}

// session opens a session on the Conn's database that shares its
// bookmarks, for reading or writing.
func (c *Conn) session(ctx context.Context, write bool) neo4j.SessionWithContext {
	mode := neo4j.AccessModeRead
	if write {
		mode = neo4j.AccessModeWrite
	}
	return c.drv.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    c.database,
		BookmarkManager: c.bookmarks,
	})
}

func (c *Conn) execute(ctx context.Context, write bool, work func(*Tx) error) error {
	session := c.session(ctx, write)
	defer session.Close(ctx)
	fn := func(mtx neo4j.ManagedTransaction) (any, error) {
		return nil, work(&Tx{tx: mtx, observe: c.Observe})
	}
	var err error
	if write {
		_, err = session.ExecuteWrite(ctx, fn, c.txConfig(ctx)...)
	} else {
		_, err = session.ExecuteRead(ctx, fn, c.txConfig(ctx)...)
	}
	return err
}

// AutoCommit runs one query in an auto-commit (implicit) transaction, as
// CALL { … } IN TRANSACTIONS needs: the server commits it, or its inner
// transactions, itself. It is not retried, as the driver cannot know what
// of it committed. row is as for Tx.Run.
func (c *Conn) AutoCommit(ctx context.Context, write bool, query string, params map[string]any, row func(values []any) error) ([]string, error) {
	release, err := c.take(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	session := c.session(ctx, write)
	defer session.Close(ctx)
	if c.Observe != nil {
		c.Observe(query, params)
	}
	params, _ = fixParams(params)
	res, err := session.Run(ctx, query, params, c.txConfig(ctx)...)
	if err != nil {
		return nil, err
	}
	return collect(ctx, res, row)
}

// Tx is one open transaction.
type Tx struct {
	tx      neo4j.ManagedTransaction
	observe func(query string, params map[string]any)
}

// Run runs query with params and calls row with the values of every record,
// in order; a nil row discards them. It returns the result's column names.
func (t *Tx) Run(ctx context.Context, query string, params map[string]any, row func(values []any) error) ([]string, error) {
	if t.observe != nil {
		t.observe(query, params)
	}
	params, _ = fixParams(params)
	res, err := t.tx.Run(ctx, query, params)
	if err != nil {
		return nil, err
	}
	return collect(ctx, res, row)
}

// collect hands every record of res to row (nil: discard them) and returns
// the column names.
func collect(ctx context.Context, res neo4j.ResultWithContext, row func(values []any) error) ([]string, error) {
	keys, err := res.Keys()
	if err != nil {
		return nil, err
	}
	for res.Next(ctx) {
		if row == nil {
			continue
		}
		if err := row(res.Record().Values); err != nil {
			return nil, err
		}
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	_, err = res.Consume(ctx)
	return keys, err
}

// Kind classifies a driver error for gonode's typed errors.
type Kind int

// The kinds of driver errors gonode tells apart.
const (
	KindOther           Kind = iota
	KindUnavailable          // no connection could be made or kept; retryable
	KindUnauthorized         // bad credentials
	KindReadOnly             // a write in a read transaction
	KindConstraint           // a schema constraint rejected the write
	KindQuery                // the server refused the query (syntax, semantics, types)
	KindTransient            // the server asks for a retry
	KindCanceled             // the caller's context ended
	KindPoolExhausted        // no connection came free within the acquire timeout
	KindTimedOut             // the server ended a transaction that ran past its timeout
	KindNeedsAutoCommit      // the query runs only in an auto-commit transaction
)

// Classify tells what kind of failure err is, the Neo4j status code when the
// server sent one, and whether retrying the whole operation may succeed.
func Classify(err error) (kind Kind, code string, retryable bool) {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		// The driver gave up retrying; what failed is the last attempt.
		kind, code, _ = Classify(limit.Errors[len(limit.Errors)-1])
		return kind, code, kind == KindUnavailable || kind == KindTransient
	}
	var nerr *neo4j.Neo4jError
	var tokenErr *neo4j.TokenExpiredError
	var connErr *neo4j.ConnectivityError
	var exhausted *PoolExhausted
	var notBolt *NotBolt
	switch {
	case errors.As(err, &exhausted):
		return KindPoolExhausted, "", false
	case errors.As(err, &notBolt):
		return KindUnavailable, "", false
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return KindCanceled, "", false
	case errors.As(err, &nerr):
		code = nerr.Code
		switch {
		case strings.HasPrefix(code, "Neo.ClientError.Transaction.TransactionTimedOut"):
			return KindTimedOut, code, false
		case code == "Neo.DatabaseError.Transaction.TransactionStartFailed" && strings.Contains(nerr.Msg, "implicit transaction"):
			// CALL { … } IN TRANSACTIONS in a managed transaction: the
			// query's fault, reported as a database error.
			return KindNeedsAutoCommit, code, false
		case code == "Neo.ClientError.Security.Unauthorized",
			code == "Neo.ClientError.Security.AuthenticationRateLimit",
			code == "Neo.ClientError.Security.CredentialsExpired":
			return KindUnauthorized, code, false
		case code == "Neo.ClientError.Statement.AccessMode",
			code == "Neo.ClientError.Cluster.NotALeader":
			return KindReadOnly, code, false
		case code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return KindConstraint, code, false
		case nerr.Classification() == "TransientError":
			return KindTransient, code, true
		case nerr.Classification() == "ClientError":
			return KindQuery, code, false
		}
		return KindOther, code, neo4j.IsRetryable(err)
	case errors.As(err, &tokenErr):
		return KindUnauthorized, tokenErr.Code, false
	case strings.Contains(err.Error(), "Timeout while waiting for connection"):
		// The driver's own pool timeout (an internal type): a driver shared
		// with other code (WithDriver) ran out of connections.
		return KindPoolExhausted, "", false
	case errors.As(err, &connErr):
		return KindUnavailable, "", true
	}
	return KindOther, "", neo4j.IsRetryable(err)
}

// Message is the server's text for err, without the driver's decoration.
func Message(err error) string {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return fmt.Sprintf("%s (gave up after %d attempts: %s)", Message(limit.Errors[len(limit.Errors)-1]), len(limit.Errors), limit.Cause)
	}
	var nerr *neo4j.Neo4jError
	if errors.As(err, &nerr) {
		return nerr.Msg
	}
	return err.Error()
}
