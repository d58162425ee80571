package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestMain gives the Example functions, which have no *testing.T, the test
// server through $NEO4J_BOLT_URL: ogm.Open(ctx, "") reads it.
func TestMain(m *testing.M) {
	testenv.SetEnvURL()
	os.Exit(m.Run())
}

func ExampleConfig_Authenticate() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "") // "" reads $NEO4J_BOLT_URL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	// A cheap hasher keeps the example fast; leave Hashers nil in an
	// application for Django's defaults.
	hs, err := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
	if err != nil {
		log.Fatal(err)
	}
	cfg := &auth.Config{Hashers: hs}

	pw := "correct horse battery staple"
	ann, err := cfg.CreateUser(ctx, db, "example-ann", "ann@example.com", &pw)
	if err != nil {
		log.Fatal(err)
	}
	defer ann.Delete(ctx)

	u, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: "example-ann", Password: pw})
	fmt.Println(u.Username, err)
	_, err = cfg.Authenticate(ctx, db, auth.Credentials{Username: "example-ann", Password: "guess"})
	fmt.Println(errors.Is(err, auth.ErrInvalidCredentials))
	fmt.Println(u.String()) // %v and friends print "[redacted]" for the hash
	// Output:
	// example-ann <nil>
	// true
	// User(example-ann)
}
