package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPathological loads hostile inputs: alias cycles, alias bombs, merge
// chains, deep nesting, long names, huge schemas. Each must load quickly,
// without panicking, and report well-formed errors.
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

	cases := map[string]string{
		"self_alias":   "package: p\nnodes: &n\n  A: *n\n",
		"seq_alias":    "package: p\nnodes:\n  A:\n    labels: &l [*l]\n",
		"merge_cycle":  "package: p\nnodes:\n  A: &a\n    <<: *a\n",
		"json_cycle":   "package: p\nnodes:\n  A:\n    properties:\n      j: &j {type: json, default: [*j]}\n",
		"deep_flow":    "package: p\nnodes: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n",
		"deep_map":     "package: p\nnodes: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n",
		"alias_bomb":   laughs,
		"merge_chain":  merges,
		"long_names":   "package: p\nnodes:\n  ? " + strings.Repeat("A", 100000) + "\n  : {extends: " + strings.Repeat("B", 100000) + "}\n",
		"complex_key":  "package: p\nnodes:\n  ? [a]\n  : {}\n",
		"tags":         "package: !!binary cA==\nnodes: !!set {A}\n",
		"long_chain":   chain.String(),
		"many_errors":  many.String(),
		"crlf_and_tab": "package: p\r\nnodes:\r\n  A:\r\n\t properties: {}\r\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := LoadBytes(name+".yaml", []byte(text))
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil {
				return
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an ErrorList: %v", err)
			}
			checkErrorList(t, list)
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
