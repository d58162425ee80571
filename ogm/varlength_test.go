package ogm

import "testing"

// TestRepeatArrow: the range goes inside the brackets, in every direction,
// and the type stays quoted.
func TestRepeatArrow(t *testing.T) {
	for _, c := range []struct {
		dir  Direction
		typ  string
		want string
	}{
		{Out, "FOLLOWS", "-[r:FOLLOWS*1..3]->"},
		{In, "FOLLOWS", "<-[r:FOLLOWS*1..3]-"},
		{Both, "KNOWS", "-[r:KNOWS*1..3]-"},
		{Out, "odd]`type", "-[r:`odd]``type`*1..3]->"},
	} {
		h := hop{rel: &RelSpec{Type: c.typ, Direction: c.dir}, repeat: &repeatRange{1, 3}}
		if got := h.arrowVar("r"); got != c.want {
			t.Errorf("%v %q: %s, want %s", c.dir, c.typ, got, c.want)
		}
		h.repeat = nil
		if got, plain := h.arrowVar("r"), h.rel.arrowVar("r"); got != plain {
			t.Errorf("unrepeated %s, want %s", got, plain)
		}
	}
}
