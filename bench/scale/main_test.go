package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
)

// TestQuickRun runs every scenario at two tiny sizes on the test server:
// each side checks what it loaded (n people, each with a city and a
// country, or with its two friends), so the benchmark stays correct in
// every `make test`, and the section it writes is complete. Timing is not
// checked. The dataset is deleted afterwards.
func TestQuickRun(t *testing.T) {
	url := testenv.URL(t)
	ctx := context.Background()
	t.Cleanup(func() {
		d, err := newDriverSide(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close(ctx)
		if err := d.drop(ctx); err != nil {
			t.Error(err)
		}
		for _, q := range []string{"DROP CONSTRAINT scl_country IF EXISTS", "DROP CONSTRAINT scl_city IF EXISTS", "DROP CONSTRAINT scl_person IF EXISTS"} {
			if err := d.exec(ctx, q, nil); err != nil {
				t.Error(err)
			}
		}
	})
	out := filepath.Join(t.TempDir(), "RESULTS.md")
	if err := os.WriteFile(out, []byte("# Results\n\n<!-- begin other -->\nkept\n<!-- end other -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := run(ctx, []string{"-db", url, "-sizes", "5,12", "-reps", "1", "-o", out}, &stdout); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{"| all | 5 |", "| all | 12 |", "| fetch-one | 5 |", "| fetch-one | 12 |", "| fetch-many | 5 |", "| fetch-many | 12 |", "kept\n", "<!-- begin scale -->"} {
		if !strings.Contains(string(report), row) {
			t.Errorf("the results file has no %q:\n%s", row, report)
		}
	}
}
