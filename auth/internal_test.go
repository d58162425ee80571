package auth

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ｊｏｈｎ": "john", "ﬁsh": "fish", "Ⅸ": "IX", "e\u0301": "é", "plain": "plain",
	} {
		if got, err := NormalizeUsername(in); err != nil || got != want {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := NormalizeUsername(strings.Repeat("é", 150)); err != nil {
		t.Errorf("150 characters: %v", err)
	}
	for in, want := range map[string]string{
		"John.Doe@EXAMPLE.Org": "John.Doe@example.org", " a@B.c ": "a@b.c",
		"no-at-sign ": "no-at-sign ", "a@b@C.D": "a@b@c.d", "": "",
	} {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
	for in, ok := range map[string]bool{
		"john": true, "j.doe+x@y-z_1": true, "Ünïcødé": true, "١٢٣": true,
		"": false, "john doe": false, "a/b": false, "x!": false,
	} {
		if err := ValidateUsername(in); (err == nil) != ok {
			t.Errorf("ValidateUsername(%q) = %v", in, err)
		}
	}
}
