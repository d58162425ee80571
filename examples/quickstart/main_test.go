package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

func TestQuickstart(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), testenv.URL(t), &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != "Hello World\n" {
		t.Fatalf("printed %q", out.String())
	}
}
