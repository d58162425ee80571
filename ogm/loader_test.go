package ogm

import (
	"fmt"
	"testing"
)

// The flat plan's repeated-node check: every id is new once, seen after,
// also across the table's growth.
func TestIDSet(t *testing.T) {
	var s idSet
	const n = 50000
	for i := range n {
		if s.add(fmt.Sprintf("4:0b3e:%d", i)) {
			t.Fatalf("id %d reported as seen on first add", i)
		}
	}
	for i := range n {
		if !s.add(fmt.Sprintf("4:0b3e:%d", i)) {
			t.Fatalf("id %d not seen on second add", i)
		}
	}
	if s.n != n || len(s.slots) < 2*n {
		t.Fatalf("%d ids in %d slots", s.n, len(s.slots))
	}
}
