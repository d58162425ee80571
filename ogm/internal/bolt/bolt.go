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

// Config is what Dial needs beyond the address and credentials.
type Config struct {
	MaxPoolSize    int           // 0: driver default
	ConnectTimeout time.Duration // socket connect timeout; 0: driver default
	AcquireTimeout time.Duration // wait for a pooled connection; 0: driver default
	MaxRetryTime   time.Duration // retry budget of managed transactions; 0: driver default
}

// Auth is a basic-auth pair; a zero Auth means no authentication.
type Auth struct {
	User, Password string
}

// Conn is an open connection pool to one server or cluster, with the
// bookmark manager that makes every read see the writes made through it.
type Conn struct {
	drv       Driver
	ownDriver bool
	database  string
	bookmarks neo4j.BookmarkManager
	// Observe, when set, is called with every query before it is sent.
	Observe func(query string, params map[string]any)
}

// Dial creates a driver for target (a URL without user info or path) and
// checks that the server answers and accepts the credentials.
func Dial(ctx context.Context, target string, auth Auth, database string, cfg Config) (*Conn, error) {
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
	conn := Wrap(drv, database)
	conn.ownDriver = true
	if err := conn.Verify(ctx); err != nil {
		_ = drv.Close(ctx)
		return nil, err
	}
	return conn, nil
}

// Wrap uses a driver the caller created and keeps; Close leaves it open.
func Wrap(drv Driver, database string) *Conn {
	return &Conn{
		drv:       drv,
		database:  database,
		bookmarks: neo4j.NewBookmarkManager(neo4j.BookmarkManagerConfig{}),
	}
}

// Verify checks, without retrying, that the server answers, accepts the
// credentials and has the database: one auto-commit query does all three.
func (c *Conn) Verify(ctx context.Context) error {
	session := c.drv.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      neo4j.AccessModeRead,
		DatabaseName:    c.database,
		BookmarkManager: c.bookmarks,
	})
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
	err := c.execute(ctx, write, work)
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

func (c *Conn) execute(ctx context.Context, write bool, work func(*Tx) error) error {
	mode := neo4j.AccessModeRead
	if write {
		mode = neo4j.AccessModeWrite
	}
	session := c.drv.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    c.database,
		BookmarkManager: c.bookmarks,
	})
	defer session.Close(ctx)
	fn := func(mtx neo4j.ManagedTransaction) (any, error) {
		return nil, work(&Tx{tx: mtx, observe: c.Observe})
	}
	var err error
	if write {
		_, err = session.ExecuteWrite(ctx, fn)
	} else {
		_, err = session.ExecuteRead(ctx, fn)
	}
	return err
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
	KindOther        Kind = iota
	KindUnavailable       // no connection could be made or kept; retryable
	KindUnauthorized      // bad credentials
	KindReadOnly          // a write in a read transaction
	KindConstraint        // a schema constraint rejected the write
	KindQuery             // the server refused the query (syntax, semantics, types)
	KindTransient         // the server asks for a retry
	KindCanceled          // the caller's context ended
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
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return KindCanceled, "", false
	case errors.As(err, &nerr):
		code = nerr.Code
		switch {
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
