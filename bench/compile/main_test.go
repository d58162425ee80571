package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuickRun generates and builds the smallest synthetic schema once, so
// the compile benchmark keeps working (the schema is valid, the generated
// package builds, the section is written). Timing is not checked.
func TestQuickRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "RESULTS.md")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-types", "8", "-reps", "1", "-o", out}, &stdout); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "| 8 | ") || !strings.Contains(string(report), "<!-- begin compile -->") {
		t.Fatalf("no row for 8 types:\n%s", report)
	}
}
