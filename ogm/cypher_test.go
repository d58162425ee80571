package ogm

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"Person":     "Person",
		"_x1":        "_x1",
		"1st":        "`1st`",
		"has space":  "`has space`",
		"odd`name":   "`odd``name`",
		"``":         "``````",
		"":           "``",
		"order":      "`order`",
		"CONTAINS":   "`CONTAINS`",
		"emoji😀":     "`emoji😀`",
		"ünïcode":    "`ünïcode`",
		"a-b":        "`a-b`",
		"x\ny":       "`x\ny`",
		"MATCH (n) ": "`MATCH (n) `",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestLabelExpr(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"Person", "", "has space"}, ":Person:`has space`"},
	} {
		if got := labelExpr(c.in); got != c.want {
			t.Errorf("labelExpr(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}
