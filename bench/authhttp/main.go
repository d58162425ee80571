// Command authhttp measures what auth/authhttp's middleware costs per
// request against a real Neo4j: a bare handler, the middleware loading the
// session and the user (RequireLogin), the same with a permission check
// (RequirePerm), and the same lookups written by hand on neo4j-go-driver v5.
// It counts the queries each request sends. See README.md.
//
//	go run ./bench/authhttp [-db URL] [-n 2000] [-o bench/RESULTS.md]
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/auth/tokens"
	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/ogm"
)

const secret = "bench-authhttp-secret"

func main() {
	dbURL := flag.String("db", "", "Neo4j URL (default $NEO4J_BOLT_URL)")
	n := flag.Int("n", 2000, "requests per case (after 200 warm-up requests)")
	out := flag.String("o", "bench/RESULTS.md", `results file to update ("-": stdout only)`)
	flag.Parse()
	if *dbURL == "" {
		*dbURL = os.Getenv(ogm.EnvURL)
	}
	if err := run(*dbURL, *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench/authhttp:", err)
		os.Exit(1)
	}
}

// kase is one way of serving a request.
type kase struct {
	name    string
	serve   func(w http.ResponseWriter, r *http.Request)
	times   []time.Duration
	queries int64 // sent during the measured requests
}

func run(dbURL string, n int, out string) error {
	ctx := context.Background()
	var queries atomic.Int64
	db, err := ogm.Open(ctx, dbURL, ogm.WithObserver(func(ogm.Query) { queries.Add(1) }))
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	floor, err := benchutil.DialFloor(ctx, dbURL)
	if err != nil {
		return err
	}
	defer floor.Close(ctx)
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema); err != nil {
		return err
	}
	if _, err := auth.InstallPermissions(ctx, db, auth.Schema); err != nil {
		return err
	}
	cheap, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		return err
	}
	cfg := &auth.Config{SecretKey: secret, Hashers: cheap}
	suffix := randomHex()
	u, err := cfg.CreateUser(ctx, db, "bench-"+suffix, "", ogm.Ptr("bench-password-1"))
	if err != nil {
		return err
	}
	group, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: "bench-" + suffix})
	if err != nil {
		return err
	}
	defer func() {
		_, _ = db.Cypher(ctx, `MATCH (n) WHERE elementId(n) IN $ids OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(n) DETACH DELETE s, n`,
			map[string]any{"ids": []string{u.ElementID(), group.ElementID()}})
	}()
	perm, err := auth.GetPermission(ctx, db, auth.PermViewGroup)
	if err != nil {
		return err
	}
	if err := group.Permissions().Connect(ctx, perm); err != nil {
		return err
	}
	if err := u.Groups().Connect(ctx, group); err != nil {
		return err
	}
	m, err := authhttp.New(db, auth.UserModel, authhttp.Options{Config: cfg, Throttle: authhttp.Throttle{Disabled: true}})
	if err != nil {
		return err
	}

	// Log in once through the login view; every request then carries the
	// cookie.
	login := m.Middleware(m.LoginView())
	req := httptest.NewRequest("POST", "/accounts/login/", strings.NewReader(url.Values{"username": {u.Username}, "password": {"bench-password-1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		return fmt.Errorf("login: %d %s", rec.Code, rec.Body)
	}
	cookie := rec.Result().Cookies()[0]

	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	hand := &handWritten{floor: floor, next: bare}
	cases := []*kase{
		{name: "bare handler", serve: bare},
		{name: "RequireLogin (session + user)", serve: m.Middleware(m.RequireLogin(bare)).ServeHTTP},
		{name: "driver by hand: session + user", serve: hand.serve(false)},
		{name: `RequirePerm(auth.PermViewGroup)`, serve: m.Middleware(m.RequirePerm(auth.PermViewGroup)(bare)).ServeHTTP},
		{name: "driver by hand: session + user + permission", serve: hand.serve(true)},
	}
	one := func(c *kase, measure bool) error {
		r := httptest.NewRequest("GET", "/page", nil)
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		before := queries.Load() + hand.count.Load()
		start := time.Now()
		c.serve(w, r)
		d := time.Since(start)
		if w.Code != 200 || w.Body.String() != "ok" {
			return fmt.Errorf("%s: %d %s", c.name, w.Code, w.Body)
		}
		if measure {
			c.times = append(c.times, d)
			c.queries += queries.Load() + hand.count.Load() - before
		}
		return nil
	}
	// Interleaved rounds, so that drift hits every case alike.
	for i := range 200 + n {
		for _, c := range cases {
			if err := one(c, i >= 200); err != nil {
				return err
			}
		}
	}
	load, _ := benchutil.LoadAvg()
	var b strings.Builder
	fmt.Fprintf(&b, "## auth/authhttp: the middleware per request (issue #19)\n\n")
	fmt.Fprintf(&b, "`go run ./bench/authhttp -n %d`, %s, Go %s, %d CPUs, %s on the same machine; load average %s.\n",
		n, time.Now().UTC().Format("2006-01-02"), runtime.Version(), runtime.NumCPU(), benchutil.ServerVersion(ctx, db), strings.TrimSpace(load))
	fmt.Fprintf(&b, "Each request is served in process (httptest), with a session cookie; medians of %d requests per case, the cases interleaved.\n\n", n)
	fmt.Fprintf(&b, "| case | median | vs driver by hand | queries per request |\n|---|---|---|---|\n")
	base := map[bool]time.Duration{false: benchutil.Median(cases[2].times), true: benchutil.Median(cases[4].times)}
	for i, c := range cases {
		med := benchutil.Median(c.times)
		ratio := "–"
		switch i {
		case 1, 2:
			ratio = fmt.Sprintf("%.2f×", float64(med)/float64(base[false]))
		case 3, 4:
			ratio = fmt.Sprintf("%.2f×", float64(med)/float64(base[true]))
		}
		q := float64(c.queries) / float64(n)
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f |\n", c.name, benchutil.Round(med), ratio, q)
	}
	fmt.Fprintf(&b, "\nThe middleware's own work (cookie, key hash, decoding the user into its generated type, the session auth hash) is the gap between its row and the driver's; the bare handler shows the floor of serving in process.\n")
	fmt.Print(b.String())
	if out != "-" {
		return benchutil.WriteSection(out, "authhttp", b.String())
	}
	return nil
}

// handWritten is the same work on the driver alone: read the cookie, hash
// the key, one read transaction for the session and its user, decode the
// user's properties into a struct, check is_active and the session auth
// hash, and (with a permission) one more read for the permission.
type handWritten struct {
	floor *benchutil.Floor
	next  http.Handler
	count atomic.Int64 // queries sent
}

type handUser struct {
	ID, Username, Password string
	Active                 bool
}

const sessionQuery = `MATCH (s:Session {key_hash: $h}) WHERE s.expire_date > $now
OPTIONAL MATCH (s)-[:SESSION_OF]->(u:User)
RETURN s.user_auth_hash, u LIMIT 1`

const permQuery = `MATCH (u:User) WHERE elementId(u) = $id
RETURN coalesce(u.is_superuser, false) OR
  EXISTS { MATCH (u)-[:HAS_PERMISSION]->(p:Permission {app_label: $app, codename: $code}) } OR
  EXISTS { MATCH (u)-[:IN_GROUP]->(:Group)-[:HAS_PERMISSION]->(p:Permission {app_label: $app, codename: $code}) }`

func (h *handWritten) serve(withPerm bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		c, err := r.Cookie("sessionid")
		if err != nil || len(c.Value) != 43 {
			http.Error(w, "login", http.StatusFound)
			return
		}
		sum := sha256.Sum256([]byte(c.Value))
		var u *handUser
		var stored string
		err = h.floor.Read(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := tx.Run(ctx, sessionQuery, map[string]any{"h": hex.EncodeToString(sum[:]), "now": time.Now().UTC()})
			if err != nil {
				return err
			}
			if !res.Next(ctx) {
				return res.Err()
			}
			rec := res.Record()
			stored, _ = rec.Values[0].(string)
			if n, ok := rec.Values[1].(dbtype.Node); ok {
				active, ok := n.Props["is_active"].(bool)
				username, _ := n.Props["username"].(string)
				password, _ := n.Props["password"].(string)
				u = &handUser{ID: n.ElementId, Username: username, Password: password, Active: active || !ok}
			}
			return nil
		})
		h.count.Add(1)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if u == nil || !u.Active || !tokens.CheckSessionAuthHash(stored, u.Password, secret) {
			http.Error(w, "login", http.StatusFound)
			return
		}
		if withPerm {
			ok := false
			err := h.floor.Read(ctx, func(tx neo4j.ManagedTransaction) error {
				res, err := tx.Run(ctx, permQuery, map[string]any{"id": u.ID, "app": "auth", "code": "view_group"})
				if err != nil {
					return err
				}
				rec, err := res.Single(ctx)
				if err != nil {
					return err
				}
				ok, _ = rec.Values[0].(bool)
				return nil
			})
			h.count.Add(1)
			if err != nil || !ok {
				http.Error(w, "forbidden", 403)
				return
			}
		}
		h.next.ServeHTTP(w, r)
	}
}

func randomHex() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(errors.New("crypto/rand failed"))
	}
	return hex.EncodeToString(b[:])
}
