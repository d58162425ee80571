package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestPathological loads hostile inputs: alias cycles, alias bombs, merge
// chains, deep nesting, long names, huge schemas. Each must load without
// panicking (the test's timeout bounds the time) and give exactly its
// expected, well-formed errors.
func TestPathological(t *testing.T) {
	laughs := "package: p\nx-a: &a [1,1,1,1,1,1,1,1,1,1]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		n := fmt.Sprintf("b%d", i)
		laughs += "x-" + n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
		prev = n
	}
	laughs += "nodes:\n  A:\n    properties:\n      j: {type: json, default: *" + prev + "}\n"

	merges := "package: p\nx-m0: &m0 {type: string}\n"
	prev = "m0"
	for i := 1; i < 40; i++ {
		n := fmt.Sprintf("m%d", i)
		merges += "x-" + n + ": &" + n + " {<<: [*" + prev + ", *" + prev + "]}\n"
		prev = n
	}
	merges += "nodes:\n  A:\n    properties:\n      p: *" + prev + "\n"

	var chain, many strings.Builder
	chain.WriteString("package: p\nnodes:\n")
	many.WriteString("package: p\nnodes:\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&chain, "  N%d: {extends: N%d, properties: {p%d: {type: string}}}\n", i, i+1, i)
		fmt.Fprintf(&many, "  N%d: {extends: M%d, labels: [N%d], relationships: {r: {to: X%d, type: T, reverse: r}}}\n", i, i, i+1, i)
	}
	chain.WriteString("  N3000: {}\n")

	// Each case gives exactly the errors it must (their count and the
	// first one), or loads when it is valid YAML of a valid schema: a case
	// that starts to load, or to fail differently, fails the test.
	cases := []struct {
		name, text string
		errors     int    // 0: it must load
		first      string // the first error's beginning
	}{
		{"self_alias", "package: p\nnodes: &n\n  A: *n\n", 1, `self_alias.yaml:3:3: unknown key "A" in node A`},
		{"seq_alias", "package: p\nnodes:\n  A:\n    labels: &l [*l]\n", 1, "seq_alias.yaml:4:17: a label must be a string, found a sequence"},
		{"merge_cycle", "package: p\nnodes:\n  A: &a\n    <<: *a\n", 0, ""},
		{"json_cycle", "package: p\nnodes:\n  A:\n    properties:\n      j: &j {type: json, default: [*j]}\n", 1, "json_cycle.yaml:5:35: default is not a JSON value: yaml: anchor 'j' value contains itself"},
		{"deep_flow", "package: p\nnodes: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", 1, "deep_flow.yaml:2:1: YAML syntax error: exceeded max depth of 10000"},
		{"deep_map", "package: p\nnodes: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n", 2, `deep_map.yaml:2:9: node name "a" must be CamelCase`},
		{"alias_bomb", laughs, 1, "alias_bomb.yaml:15:32: default is not a JSON value: yaml: document contains excessive aliasing"},
		{"merge_chain", merges, 0, ""},
		{"long_names", "package: p\nnodes:\n  ? " + strings.Repeat("A", 100000) + "\n  : {extends: " + strings.Repeat("B", 100000) + "}\n", 1, `long_names.yaml:4:15: unknown node "BBBB`},
		{"complex_key", "package: p\nnodes:\n  ? [a]\n  : {}\n", 1, "complex_key.yaml:3:5: keys of nodes must be plain names, found a sequence"},
		{"tags", "package: !!binary cA==\nnodes: !!set {A}\n", 1, `tags.yaml:1:10: package name "cA==" is not a valid Go package name`},
		{"long_chain", chain.String(), 90, "long_chain.yaml:35:18: extends chain too long: N0 is more than 32 levels below N33"},
		{"many_errors", many.String(), 8999, `many_errors.yaml:3:17: unknown node "M0"`},
		{"crlf_and_tab", "package: p\r\nnodes:\r\n  A:\r\n\t properties: {}\r\n", 1, "crlf_and_tab.yaml:4:1: YAML syntax error: tab character in indentation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes(c.name+".yaml", []byte(c.text))
			if c.errors == 0 {
				if err != nil {
					t.Fatalf("must load, got:\n%.500s", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("loaded; want %d error(s), the first %q", c.errors, c.first)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an ErrorList: %v", err)
			}
			checkErrorList(t, list)
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != c.errors || !strings.HasPrefix(lines[0], c.first) {
				t.Fatalf("%d error(s), the first %.300q; want %d, the first %q", len(lines), lines[0], c.errors, c.first)
			}
		})
	}
}

// TestControlCharactersInNames checks that names holding line breaks do not
// break the one-error-per-line format.
func TestControlCharactersInNames(t *testing.T) {
	_, err := LoadBytes("ctl.yaml", []byte("package: p\nnodes:\n  \"A\\nB\": [x]\n  C:\n    extends: \"D\\nE\"\n"))
	if err == nil {
		t.Fatal("no error")
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, "ctl.yaml:") {
			t.Errorf("line without a position: %q", line)
		}
	}
}
