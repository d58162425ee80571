package ogm

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in       string
		address  string
		user, pw string
		database string
	}{
		{"bolt://neo4j:secret@localhost:7687", "bolt://localhost:7687", "neo4j", "secret", ""},
		{"bolt+s://u:p@db.example.com", "bolt+s://db.example.com", "u", "p", ""},
		{"bolt+ssc://u:p@10.0.0.1:7000/movies", "bolt+ssc://10.0.0.1:7000", "u", "p", "movies"},
		{"neo4j://u:p%40ss@cluster:7687/", "neo4j://cluster:7687", "u", "p@ss", ""},
		{"neo4j+s://u:p@cluster/sales?region=eu", "neo4j+s://cluster?region=eu", "u", "p", "sales"},
		{"neo4j+ssc://host", "neo4j+ssc://host", "", "", ""},
		{"bolt://[::1]:7687", "bolt://[::1]:7687", "", "", ""},
	}
	for _, c := range cases {
		got, err := parseURL(c.in)
		if err != nil {
			t.Errorf("parseURL(%q): %v", c.in, err)
			continue
		}
		if got.address != c.address || got.auth.User != c.user || got.auth.Password != c.pw || got.database != c.database {
			t.Errorf("parseURL(%q) = %+v; want address %q user %q pw %q db %q", c.in, got, c.address, c.user, c.pw, c.database)
		}
	}
}

func TestParseURLErrorsHidePassword(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"http://neo4j:hunter2@localhost:7474",
		"bolt://neo4j:hunter2@",
		"bolt://neo4j:hunter2@localhost:99999",
		"bolt://neo4j:hunter2@localhost:port",
		"bolt://neo4j:hunter2@localhost/a/b",
		"bolt://neo4j:hunter2@localhost#frag",
		"bolt://neo4j:hunter2@local host",
		"://neo4j:hunter2@localhost",
		"neo4j:hunter2@localhost:7687",
		"bolt://neo4j:hunter2@%zz",
	} {
		_, err := parseURL(in)
		if !errors.Is(err, ErrInvalidURL) {
			t.Errorf("parseURL(%q) = %v; want ErrInvalidURL", in, err)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("parseURL(%q) error leaks the password: %v", in, err)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"bolt://neo4j:secret@localhost:7687": "bolt://neo4j:xxxxx@localhost:7687",
		"bolt://neo4j@localhost":             "bolt://neo4j@localhost",
		"bolt://localhost":                   "bolt://localhost",
		"u:p:q@h":                            "u:xxxxx@h",
		"bolt://u:p@ss@h":                    "bolt://u:xxxxx@h",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q; want %q", in, got, want)
		}
	}
}
