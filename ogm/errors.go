package ogm

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/gonode/gonode/ogm/internal/bolt"
)

// Kinds of failure, for errors.Is. Every error the runtime returns for a
// database operation is an *Error whose Kind is one of these, or
// context.Canceled / context.DeadlineExceeded when the caller's context ended
// the call. The model-level kinds live with what returns them: ErrNoIndex
// (a vector or full-text search without its index, search.go),
// ErrValidation, ErrCardinality, ErrDoesNotExist and the others listed in
// docs/queries.md#errors.
var (
	// ErrInvalidURL: the connection URL cannot be used. Nothing was contacted.
	ErrInvalidURL = errors.New("invalid database URL")
	// ErrUnavailable: no server answered, or the connection broke. Retryable.
	ErrUnavailable = errors.New("database unavailable")
	// ErrUnauthorized: the server refused the credentials.
	ErrUnauthorized = errors.New("authentication failed")
	// ErrReadOnly: a write was attempted in a read transaction.
	ErrReadOnly = errors.New("write in a read-only transaction")
	// ErrConstraint: a uniqueness or other schema constraint refused a write.
	ErrConstraint = errors.New("constraint violation")
	// ErrUnique: a uniqueness constraint refused a write: another node (or
	// relationship) already has the value. Its *Error names the label (or
	// relationship type) and the properties in Label and Properties; it
	// matches ErrConstraint too.
	ErrUnique = errors.New("unique constraint violation")
	// ErrQuery: the server refused the query (syntax, semantics, types).
	ErrQuery = errors.New("query failed")
	// ErrTransient: the server asked for the transaction to be retried and the
	// retry budget ran out. Retryable.
	ErrTransient = errors.New("transient database error")
	// ErrPoolExhausted: every pooled connection stayed in use for the whole
	// acquire timeout (WithAcquireTimeout, WithMaxPoolSize). Not retried:
	// the pool is too small for the load, or a call waits for a connection
	// that its own caller holds (an ogm call inside an Iter loop body).
	ErrPoolExhausted = errors.New("no free database connection")
	// ErrTimedOut: the server ended a transaction that ran past its time
	// limit (WithTxTimeout, or the context's deadline sent with it). It also
	// matches context.DeadlineExceeded.
	ErrTimedOut = errors.New("transaction timed out")
	// ErrClosed: the *DB was closed.
	ErrClosed = errors.New("database handle closed")
	// ErrDatabase: any other failure reported by the server or driver.
	ErrDatabase = errors.New("database error")
)

// Error is a failed database operation. Match its Kind with errors.Is (for
// example errors.Is(err, ogm.ErrUnauthorized)) and read the details with
// errors.As. Messages never contain a password.
type Error struct {
	Op        string // what gonode was doing: "open", "cypher", "write", …
	Kind      error  // one of the Err… kinds above
	Code      string // the Neo4j status code, when the server sent one
	Msg       string // what went wrong
	Retryable bool   // whether running the operation again may succeed
	// Label and Properties name what a unique violation (ErrUnique) is
	// about: the node label or relationship type, and the constrained keys.
	Label      string
	Properties []string
	cause      error
}

// Error implements error.
func (e *Error) Error() string {
	msg := "ogm: " + e.Op + ": " + e.Kind.Error()
	if e.Msg != "" {
		msg += ": " + e.Msg
	}
	return msg
}

// Is makes errors.Is(err, ogm.ErrX) match on Kind; a unique violation also
// matches ErrConstraint.
func (e *Error) Is(target error) bool {
	return e.Kind == target || (e.Kind == ErrUnique && target == ErrConstraint) ||
		(e.Kind == ErrTimedOut && target == context.DeadlineExceeded)
}

// Unwrap returns the underlying cause (the context's error when a deadline
// ended the operation, or the driver's error).
func (e *Error) Unwrap() error { return e.cause }

// IsRetryable reports whether err is a failure that running the same
// operation again may overcome (the server was unavailable or asked for a
// retry).
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable
}

// wrapErr turns a driver error into an *Error. Connection failures name the
// server by its redacted URL. When ctx has ended, that is what the error
// says: the driver reports a deadline in many shapes, not all unwrappable.
func wrapErr(ctx context.Context, op string, err error, redactURL string) error {
	if err == nil {
		return nil
	}
	if own, ok := unwrapWork(err); ok {
		return own // the caller's own error, passed through a transaction
	}
	var e *Error
	if errors.As(err, &e) || ownError(err) {
		return err // already ours, e.g. returned by a nested call
	}
	kind, code, retryable := bolt.Classify(err)
	if ctx.Err() != nil {
		kind = bolt.KindCanceled
	}
	out := &Error{Op: op, Code: code, Retryable: retryable, cause: err, Msg: bolt.Message(err)}
	switch kind {
	case bolt.KindUnavailable:
		out.Kind = ErrUnavailable
		if redactURL != "" {
			out.Msg = fmt.Sprintf("%s: %s", redactURL, out.Msg)
		}
	case bolt.KindUnauthorized:
		out.Kind = ErrUnauthorized
		if redactURL != "" {
			out.Msg = fmt.Sprintf("%s: %s", redactURL, out.Msg)
		}
	case bolt.KindReadOnly:
		out.Kind = ErrReadOnly
	case bolt.KindConstraint:
		out.Kind = ErrConstraint
		if label, props, ok := parseUnique(out.Msg); ok {
			out.Kind, out.Label, out.Properties = ErrUnique, label, props
			// The server quotes the clashing value; keep it out of the
			// message, as it may be anything (an email, a token), and
			// out of the error chain: the driver's error, which quotes
			// it, is replaced by one with the restated text.
			out.Msg = uniqueText(out.Msg, label, props)
			out.cause = &serverError{code: code, msg: out.Msg}
		}
	case bolt.KindQuery:
		out.Kind = ErrQuery
	case bolt.KindTransient:
		out.Kind = ErrTransient
	case bolt.KindPoolExhausted:
		out.Kind = ErrPoolExhausted
		out.Msg += " (a call inside an Iter loop body waits for the connection the loop holds: collect first, or use All)"
	case bolt.KindTimedOut:
		out.Kind = ErrTimedOut
	case bolt.KindNeedsAutoCommit:
		out.Kind = ErrQuery
		out.Msg += " (run it with DB.Cypher and the ogm.AutoCommit() option, outside Write and Read)"
	case bolt.KindCanceled:
		// The caller's context ended the call: that is not a database
		// failure, so the kind is the context's own error.
		out.Kind = context.Canceled
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			out.Kind, out.Retryable = context.DeadlineExceeded, true
		}
		out.Msg = ""
	default:
		out.Kind = ErrDatabase
	}
	return out
}

// uniqueMsg matches the server's unique-violation text, e.g.
// "Node(12) already exists with label `Person` and property `name` = 'Jim'"
// or "... with type `KNOWS` and properties `a` = 1, `b` = 2".
var (
	uniqueMsg = regexp.MustCompile("^(Node|Relationship)\\([^)]*\\) already exists with (?:label|type) `((?:[^`]|``)*)` and propert(?:y|ies) (.*)$")
	uniqueKey = regexp.MustCompile("`((?:[^`]|``)*)` = ")
)

// parseUnique reads the label (or type) and keys out of a unique violation.
func parseUnique(msg string) (label string, props []string, ok bool) {
	m := uniqueMsg.FindStringSubmatch(msg)
	if m == nil {
		return "", nil, false
	}
	for _, k := range uniqueKey.FindAllStringSubmatch(m[3], -1) {
		props = append(props, strings.ReplaceAll(k[1], "``", "`"))
	}
	return strings.ReplaceAll(m[2], "``", "`"), props, len(props) > 0
}

// uniqueText restates a unique violation without the clashing value.
func uniqueText(msg, label string, props []string) string {
	what, kind := "node", "label"
	if strings.HasPrefix(msg, "Relationship") {
		what, kind = "relationship", "type"
	}
	noun := "property"
	if len(props) > 1 {
		noun = "properties"
	}
	return fmt.Sprintf("a %s with %s %q and the same %s %s already exists", what, kind, label, noun, strings.Join(props, ", "))
}

// serverError stands for a server error whose text is not to be shown (a
// unique violation quotes the clashing value): the Unwrap of an *Error
// gives it instead of the driver's error, with the text gonode restated.
type serverError struct{ code, msg string }

func (e *serverError) Error() string { return "Neo4jError: " + e.code + " (" + e.msg + ")" }

// ownError reports whether err is one of the runtime's typed refusals
// (a cardinality broken, a node missing, a rule failed), returned by the
// work of a transaction without errFromWork: it is the call's answer, not a
// driver error to classify (before, a Connect breaking a cardinality was
// reported as "database error: …", ErrDatabase).
func ownError(err error) bool {
	var (
		ce *CardinalityError
		ne *NodeError
		ve *ValidationError
		ie *ItemError
	)
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.As(err, &ve) || errors.As(err, &ie)
}
