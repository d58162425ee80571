package ogm_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

func open(t *testing.T) *ogm.DB {
	t.Helper()
	return testenv.Open(t)
}

// cleanup removes every node carrying label when the test ends.
func cleanup(t *testing.T, db *ogm.DB, label string) {
	t.Cleanup(func() {
		if _, err := db.Cypher(context.Background(), "MATCH (n:"+ogm.Quote(label)+") DETACH DELETE n", nil); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
}

// count counts label's nodes with ctx, so that inside Write or Read it runs
// in that transaction.
func count(ctx context.Context, t *testing.T, db *ogm.DB, label string) int64 {
	t.Helper()
	res, err := db.Cypher(ctx, "MATCH (n:`"+label+"`) RETURN count(n)", nil)
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	return res.Rows[0][0].(int64)
}

func TestHelloWorld(t *testing.T) {
	db := open(t)
	res, err := db.Cypher(context.Background(), "RETURN 'Hello World' AS message", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Keys, []string{"message"}) || len(res.Rows) != 1 || res.Rows[0][0] != "Hello World" {
		t.Fatalf("got keys %v rows %v", res.Keys, res.Rows)
	}
}

func TestOpenFromEnv(t *testing.T) {
	t.Setenv(ogm.EnvURL, testenv.URL(t))
	db, err := ogm.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	if _, err := db.Cypher(context.Background(), "RETURN 1", nil); err != nil {
		t.Fatal(err)
	}
}

func TestOpenEmptyWithoutEnv(t *testing.T) {
	t.Setenv(ogm.EnvURL, "")
	_, err := ogm.Open(context.Background(), "")
	if !errors.Is(err, ogm.ErrInvalidURL) || !strings.Contains(err.Error(), "NEO4J_BOLT_URL") {
		t.Fatalf("got %v; want ErrInvalidURL naming NEO4J_BOLT_URL", err)
	}
}

func TestOpenWrongPassword(t *testing.T) {
	u, err := url.Parse(testenv.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "wrong-Pa55word")
	_, err = ogm.Open(context.Background(), u.String())
	if !errors.Is(err, ogm.ErrUnauthorized) {
		t.Fatalf("got %v; want ErrUnauthorized", err)
	}
	var e *ogm.Error
	if !errors.As(err, &e) || e.Code != "Neo.ClientError.Security.Unauthorized" || e.Retryable {
		t.Fatalf("got %#v; want *ogm.Error with the Unauthorized code, not retryable", err)
	}
	if strings.Contains(err.Error(), "wrong-Pa55word") {
		t.Fatalf("error leaks the password: %v", err)
	}
}

func TestOpenClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = ogm.Open(ctx, fmt.Sprintf("bolt://neo4j:s3cr3t-pw@127.0.0.1:%d", port), ogm.WithConnectTimeout(2*time.Second))
	if !errors.Is(err, ogm.ErrUnavailable) || !ogm.IsRetryable(err) {
		t.Fatalf("got %v; want retryable ErrUnavailable", err)
	}
	if strings.Contains(err.Error(), "s3cr3t-pw") {
		t.Fatalf("error leaks the password: %v", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(port)) {
		t.Fatalf("error does not name the server: %v", err)
	}
}

func TestOpenMalformedURL(t *testing.T) {
	for _, in := range []string{"http://neo4j:pw-x@localhost:7474", "bolt://", "localhost:7687", "bolt://neo4j:pw-x@localhost:70000"} {
		_, err := ogm.Open(context.Background(), in)
		if !errors.Is(err, ogm.ErrInvalidURL) {
			t.Errorf("Open(%q) = %v; want ErrInvalidURL", in, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw-x") {
			t.Errorf("Open(%q) error leaks the password: %v", in, err)
		}
	}
}

func TestOpenDatabasePath(t *testing.T) {
	u, _ := url.Parse(testenv.URL(t))
	u.Path = "/neo4j"
	db, err := ogm.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	res, err := db.Cypher(context.Background(), "CALL db.info() YIELD name RETURN name", nil)
	if err != nil || res.Rows[0][0] != "neo4j" {
		t.Fatalf("got %v %v; want database neo4j", res, err)
	}

	u.Path = "/no_such_db"
	_, err = ogm.Open(context.Background(), u.String())
	var e *ogm.Error
	if !errors.As(err, &e) || e.Code != "Neo.ClientError.Database.DatabaseNotFound" {
		t.Fatalf("got %v; want DatabaseNotFound", err)
	}
}

func TestCypherParameterTypes(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	when := time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.FixedZone("", 2*3600))
	params := map[string]any{
		"string":   "héllo ' \" `",
		"int":      int64(-1 << 62),
		"float":    3.25,
		"bool":     true,
		"null":     nil,
		"list":     []any{int64(1), "two", 3.0},
		"map":      map[string]any{"a": int64(1), "b": []any{"x"}},
		"date":     ogm.Date(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)),
		"datetime": when,
		"local":    ogm.LocalDateTime(time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)),
		"duration": ogm.Duration{Months: 14, Days: 3, Seconds: 3600, Nanos: 5},
		"point":    ogm.Point2D{SpatialRefId: 4326, X: 13.4, Y: 52.5},
		"point3":   ogm.Point3D{SpatialRefId: 9157, X: 1, Y: 2, Z: 3},
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	for _, k := range keys {
		res, err := db.Cypher(ctx, "RETURN $v AS v, valueType($v) AS type", map[string]any{"v": params[k]})
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		got := res.Rows[0][0]
		switch want := params[k].(type) {
		case time.Time:
			g, ok := got.(time.Time)
			if !ok || !g.Equal(want) {
				t.Errorf("%s: got %#v; want %v", k, got, want)
			}
			if _, off := g.Zone(); off != 2*3600 {
				t.Errorf("%s: time zone offset %d lost", k, off)
			}
		case ogm.Date:
			if g, ok := got.(ogm.Date); !ok || g.Time() != want.Time() {
				t.Errorf("%s: got %#v; want %v", k, got, want)
			}
		case ogm.LocalDateTime:
			if g, ok := got.(ogm.LocalDateTime); !ok || !g.Time().Equal(want.Time()) {
				t.Errorf("%s: got %#v; want %v", k, got, want)
			}
		default:
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: got %#v (%T); want %#v", k, got, got, want)
			}
		}
		t.Logf("%s → %v", k, res.Rows[0][1])
	}
}

func TestCypherReturnsGraphTypes(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	res, err := db.Cypher(context.Background(),
		"CREATE p = (a:`"+label+"` {name: $a})-[r:KNOWS {since: 2020}]->(b:`"+label+"` {name: $b}) RETURN a, r, p",
		map[string]any{"a": "Ann", "b": "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := res.Rows[0][0].(ogm.Node)
	if !ok || a.Props["name"] != "Ann" || a.Labels[0] != label || a.ElementId == "" {
		t.Fatalf("node: %#v", res.Rows[0][0])
	}
	r, ok := res.Rows[0][1].(ogm.Relationship)
	if !ok || r.Type != "KNOWS" || r.Props["since"] != int64(2020) || r.StartElementId != a.ElementId {
		t.Fatalf("relationship: %#v", res.Rows[0][1])
	}
	if p, ok := res.Rows[0][2].(ogm.GraphPath); !ok || len(p.Nodes) != 2 || len(p.Relationships) != 1 {
		t.Fatalf("path: %#v", res.Rows[0][2])
	}
}

func TestCypherQueryError(t *testing.T) {
	db := open(t)
	_, err := db.Cypher(context.Background(), "RETRN 1", nil)
	var e *ogm.Error
	if !errors.Is(err, ogm.ErrQuery) || !errors.As(err, &e) || e.Code != "Neo.ClientError.Statement.SyntaxError" {
		t.Fatalf("got %v; want ErrQuery with SyntaxError code", err)
	}
}

func TestWriteCommits(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	err := db.Write(ctx, func(ctx context.Context) error {
		for i := range 3 {
			if _, err := db.Cypher(ctx, "CREATE (:`"+label+"` {i: $i})", map[string]any{"i": i}); err != nil {
				return err
			}
		}
		// Reads inside the transaction see its own writes.
		if n := count(ctx, t, db, label); n != 3 {
			return fmt.Errorf("inside the transaction: %d nodes", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(ctx, t, db, label); n != 3 {
		t.Fatalf("after commit: %d nodes; want 3", n)
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Write(ctx, func(ctx context.Context) error {
		if _, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil); err != nil {
			return err
		}
		if _, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("got %v; want fn's own error unchanged", err)
	}
	if n := count(ctx, t, db, label); n != 0 {
		t.Fatalf("after rollback: %d nodes; want 0", n)
	}
}

func TestWriteRollsBackOnQueryError(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	err := db.Write(ctx, func(ctx context.Context) error {
		if _, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil); err != nil {
			return err
		}
		_, err := db.Cypher(ctx, "RETURN 1/0", nil)
		return err
	})
	if !errors.Is(err, ogm.ErrQuery) {
		t.Fatalf("got %v; want ErrQuery", err)
	}
	if n := count(ctx, t, db, label); n != 0 {
		t.Fatalf("after rollback: %d nodes; want 0", n)
	}
}

func TestWriteInsideReadFails(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	err := db.Read(ctx, func(ctx context.Context) error {
		_, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil)
		return err
	})
	if !errors.Is(err, ogm.ErrReadOnly) {
		t.Fatalf("Cypher CREATE in Read: got %v; want ErrReadOnly", err)
	}
	err = db.Read(ctx, func(ctx context.Context) error {
		return db.Write(ctx, func(ctx context.Context) error { return nil })
	})
	if !errors.Is(err, ogm.ErrReadOnly) {
		t.Fatalf("Write in Read: got %v; want ErrReadOnly", err)
	}
	if n := count(ctx, t, db, label); n != 0 {
		t.Fatalf("%d nodes written in a read transaction", n)
	}
}

func TestNestedTransactionsJoin(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	boom := errors.New("outer fails")
	err := db.Write(ctx, func(ctx context.Context) error {
		err := db.Write(ctx, func(ctx context.Context) error {
			_, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil)
			return err
		})
		if err != nil {
			return err
		}
		err = db.Read(ctx, func(ctx context.Context) error {
			if n := count(ctx, t, db, label); n != 1 {
				return fmt.Errorf("inner read sees %d nodes", n)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("got %v; want %v", err, boom)
	}
	if n := count(ctx, t, db, label); n != 0 {
		t.Fatalf("inner Write was not part of the outer transaction: %d nodes", n)
	}
}

func TestReadAfterWriteSeesIt(t *testing.T) {
	// Over bolt:// (one server) and neo4j:// (routing, where reads may go to
	// another member): bookmarks make every read see the writes before it.
	for _, scheme := range []string{"bolt://", "neo4j://"} {
		t.Run(strings.TrimSuffix(scheme, "://"), func(t *testing.T) {
			ctx := context.Background()
			db, err := ogm.Open(ctx, strings.Replace(testenv.URL(t), "bolt://", scheme, 1))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close(ctx) }) // after the label cleanup below
			label := testenv.Label(t)
			cleanup(t, db, label)
			for i := range 20 {
				if _, err := db.Cypher(ctx, "CREATE (:`"+label+"`)", nil); err != nil {
					t.Fatal(err)
				}
				var n int64
				err := db.Read(ctx, func(ctx context.Context) error {
					n = count(ctx, t, db, label)
					return nil
				})
				if err != nil || n != int64(i+1) {
					t.Fatalf("read %d after write %d (%v)", n, i+1, err)
				}
			}
		})
	}
}

func TestConcurrentQueries(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if _, err := db.Cypher(ctx, "CREATE (:`"+label+"` {g: $g, i: $i})", map[string]any{"g": g, "i": i}); err != nil {
					errs <- err
					return
				}
				res, err := db.Cypher(ctx, "MATCH (n:`"+label+"` {g: $g}) RETURN count(n)", map[string]any{"g": g})
				if err != nil {
					errs <- err
					return
				}
				if n := res.Rows[0][0].(int64); n != int64(i+1) {
					errs <- fmt.Errorf("goroutine %d sees %d of its nodes after %d writes", g, n, i+1)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(ctx, t, db, label); n != 500 {
		t.Fatalf("%d nodes; want 500", n)
	}
}

func TestConcurrentCallsShareOneTransaction(t *testing.T) {
	db := open(t)
	label := testenv.Label(t)
	cleanup(t, db, label)
	ctx := context.Background()
	err := db.Write(ctx, func(ctx context.Context) error {
		var wg sync.WaitGroup
		errs := make(chan error, 10)
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.Cypher(ctx, "CREATE (:`"+label+"` {i: $i})", map[string]any{"i": i}); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		return <-errs
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(ctx, t, db, label); n != 10 {
		t.Fatalf("%d nodes; want 10", n)
	}
}

func TestClosedDB(t *testing.T) {
	db, err := ogm.Open(context.Background(), testenv.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cypher(context.Background(), "RETURN 1", nil); !errors.Is(err, ogm.ErrClosed) {
		t.Fatalf("Cypher after Close: %v; want ErrClosed", err)
	}
	if err := db.Write(context.Background(), func(context.Context) error { return nil }); !errors.Is(err, ogm.ErrClosed) {
		t.Fatalf("Write after Close: %v; want ErrClosed", err)
	}
	if err := db.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestContextDeadline(t *testing.T) {
	db := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	// A query that runs far longer than the deadline.
	_, err := db.Cypher(ctx, "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x)", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v; want context.DeadlineExceeded", err)
	}
}

func TestDateTimeZonesRoundTrip(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	instant := time.Date(2024, 7, 1, 10, 30, 0, 500, time.UTC)
	cases := map[string]*time.Location{
		"UTC":           time.UTC,
		"IANA name":     berlin,
		"unnamed fixed": time.FixedZone("", -5*3600-30*60),
		"abbreviation":  time.FixedZone("CEST", 2*3600),
		"Local":         time.Local,
	}
	for name, loc := range cases {
		in := instant.In(loc)
		_, wantOff := in.Zone()
		// Inside lists and maps too: the conversion must reach nested values.
		res, err := db.Cypher(ctx, "RETURN $t, $l[0], $m.t", map[string]any{
			"t": in, "l": []any{in}, "m": map[string]any{"t": in},
		})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i, v := range res.Rows[0] {
			got, ok := v.(time.Time)
			if !ok || !got.Equal(instant) {
				t.Errorf("%s[%d]: got %v; want instant %v", name, i, v, instant)
				continue
			}
			if _, off := got.Zone(); off != wantOff {
				t.Errorf("%s[%d]: offset %d; want %d", name, i, off, wantOff)
			}
			if loc == berlin && got.Location().String() != "Europe/Berlin" {
				t.Errorf("%s[%d]: zone %q; want Europe/Berlin kept by name", name, i, got.Location())
			}
		}
	}
}

func TestFailuresDoNotPoisonThePool(t *testing.T) {
	// One connection only: if a failed query left it in a bad state, the
	// next query would get it back and fail.
	db, err := ogm.Open(context.Background(), testenv.URL(t), ogm.WithMaxPoolSize(1))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	ctx := context.Background()
	bad := []string{"RETRN 1", "RETURN 1/0", "RETURN $missing", "CALL no.such.procedure()", "RETURN $bad"}
	// The server refuses a point with no coordinate system as a parameter
	// (Request.Invalid): the case that leaves the driver's connection in a
	// failed state.
	params := map[string]any{"bad": ogm.Point2D{SpatialRefId: 0, X: 1, Y: 2}}
	for i := range 3 * len(bad) {
		if _, err := db.Cypher(ctx, bad[i%len(bad)], params); !errors.Is(err, ogm.ErrQuery) {
			t.Fatalf("%q: got %v; want ErrQuery", bad[i%len(bad)], err)
		}
		res, err := db.Cypher(ctx, "RETURN $i", map[string]any{"i": i})
		if err != nil || res.Rows[0][0] != int64(i) {
			t.Fatalf("query after a failure: %v %v", res, err)
		}
	}
}

func TestWithDriver(t *testing.T) {
	u, err := url.Parse(testenv.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	drv, err := neo4j.NewDriverWithContext("bolt://"+u.Host, neo4j.BasicAuth(u.User.Username(), pw, ""))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defer drv.Close(ctx)
	db, err := ogm.Open(ctx, "", ogm.WithDriver(drv), ogm.WithDatabase("neo4j"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Cypher(ctx, "RETURN 1", nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Close left the caller's driver open.
	if err := drv.VerifyConnectivity(ctx); err != nil {
		t.Fatalf("driver closed by db.Close: %v", err)
	}
}
