// Command auth measures auth.Authenticate against a real Neo4j: a login of
// an existing user (right and wrong password) and one of a username that
// does not exist, with a cheap hasher and with Django's default cost, and
// the share of the time spent in the database. See README.md.
//
//	go run ./bench/auth [-db URL] [-n 300] [-n-default 15]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/bench/internal/benchutil"
	"github.com/gonode/gonode/ogm"
)

func main() {
	url := flag.String("db", "", "Neo4j URL (default $NEO4J_BOLT_URL)")
	n := flag.Int("n", 300, "rounds with the cheap hasher")
	nDefault := flag.Int("n-default", 15, "rounds with the default hasher")
	flag.Parse()
	if err := run(*url, *n, *nDefault); err != nil {
		fmt.Fprintln(os.Stderr, "bench/auth:", err)
		os.Exit(1)
	}
}

// sample is the durations of one case.
type sample []time.Duration

func (s sample) median() time.Duration {
	c := slices.Clone(s)
	slices.Sort(c)
	return c[len(c)/2]
}

func (s sample) mean() time.Duration {
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return sum / time.Duration(len(s))
}

func timeIt(s *sample, f func() error) error {
	start := time.Now()
	err := f()
	*s = append(*s, time.Since(start))
	return err
}

// given is a Backend that returns a user loaded beforehand without any
// query or hashing, to time what Authenticate writes after a success.
type given struct{ u *auth.User }

func (g given) Authenticate(context.Context, *ogm.DB, auth.Credentials) (*auth.User, error) {
	return g.u, nil
}
func (g given) GetUser(context.Context, *ogm.DB, string) (*auth.User, error) { return g.u, nil }

func run(url string, n, nDefault int) error {
	ctx := context.Background()
	db, err := ogm.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	// The username look-up uses the index of the uniqueness constraint.
	if _, err := ogm.InstallLabels(ctx, db, auth.Schema); err != nil {
		return err
	}
	cheap, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		return err
	}
	fmt.Printf("Authenticate, %s\n\n", time.Now().Format("2006-01-02"))
	for _, c := range []struct {
		name   string
		reg    *hashers.Registry
		rounds int
	}{
		{"pbkdf2_sha256, 1,000 iterations", cheap, n},
		{"pbkdf2_sha256, 1,000,000 iterations (default)", hashers.Default(), nDefault},
	} {
		if err := bench(ctx, db, c.name, c.reg, c.rounds); err != nil {
			return err
		}
	}
	return nil
}

func bench(ctx context.Context, db *ogm.DB, name string, reg *hashers.Registry, rounds int) error {
	cfg := &auth.Config{Hashers: reg}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	username := "benchauth_" + hex.EncodeToString(b[:])
	const password = "bench password 1"
	u, err := cfg.CreateUser(ctx, db, username, "", ogm.Ptr(password))
	if err != nil {
		return err
	}
	defer u.Delete(ctx)
	missing := username + "_missing"

	var ok, wrong, miss, getHit, getMiss, lastLogin, hash sample
	login := func(s *sample, user, pw string, want bool) error {
		return timeIt(s, func() error {
			_, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: user, Password: pw})
			if want || !errors.Is(err, auth.ErrInvalidCredentials) {
				return err
			}
			return nil
		})
	}
	// Warm up the pool, the plans and the page cache, then interleave the
	// cases so that drift affects them alike.
	for i := -3; i < rounds; i++ {
		steps := []func() error{
			func() error { return login(&ok, username, password, true) },
			func() error { return login(&wrong, username, password+"x", false) },
			func() error { return login(&miss, missing, password, false) },
			func() error {
				return timeIt(&getHit, func() error {
					_, err := auth.UserNodes(db).GetOrNone(ctx, auth.UserUsername.Eq(username))
					return err
				})
			},
			func() error {
				return timeIt(&getMiss, func() error {
					_, err := auth.UserNodes(db).GetOrNone(ctx, auth.UserUsername.Eq(missing))
					return err
				})
			},
			func() error {
				return timeIt(&lastLogin, func() error {
					_, err := auth.Authenticate(ctx, db, auth.Credentials{}, given{u})
					return err
				})
			},
			func() error {
				return timeIt(&hash, func() error { _, _, err := reg.Check(password, u.Password); return err })
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		if i < 0 { // warm-up rounds are not counted
			ok, wrong, miss, getHit, getMiss, lastLogin, hash = nil, nil, nil, nil, nil, nil, nil
		}
	}

	fmt.Printf("## %s, %d rounds\n\n", name, rounds)
	fmt.Println("| case | median | mean | database (median) | database share |")
	fmt.Println("|---|---:|---:|---:|---:|")
	row := func(label string, s sample, dbTime time.Duration) {
		fmt.Printf("| %s | %s | %s | %s | %.1f%% |\n", label, benchutil.Round(s.median()), benchutil.Round(s.mean()), benchutil.Round(dbTime),
			100*float64(dbTime)/float64(s.median()))
	}
	row("existing user, right password (login)", ok, getHit.median()+lastLogin.median())
	row("existing user, wrong password", wrong, getHit.median())
	row("missing user", miss, getMiss.median())
	fmt.Printf("\nhashing alone (Check): median %s; username look-up: hit %s, miss %s; last_login write %s\n",
		benchutil.Round(hash.median()), benchutil.Round(getHit.median()), benchutil.Round(getMiss.median()), benchutil.Round(lastLogin.median()))
	fmt.Printf("ratio existing/missing (medians): wrong password %.3f, right password %.3f\n\n",
		float64(wrong.median())/float64(miss.median()), float64(ok.median())/float64(miss.median()))
	return nil
}
