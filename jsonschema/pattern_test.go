package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/gonode/gonode/jsonschema"
)

// goPatterns are Go regexps whose translation must match what they match:
// every construct whose meaning or spelling differs between RE2 and
// ECMA-262.
var goPatterns = []string{
	`^[A-Z]+$`, `(?i)^[a-z0-9]+(?:-[a-z0-9]+)*$`, `^\w+\s\d{2,}\.$`,
	`.`, `^.$`, `(?s)^.$`, `a.b`, `(?s)a.b`, `[^\n]`,
	`(?i)k`, `(?i)s`, `(?i)σ`, `(?i)ǅ`, `(?i)ß`, `(?i)Straße`, `(?i)[k-m]`, `(?i)[^k]`, `(?i:a)b`, `a(?i)b(?-i)c`,
	`\pL`, `^\p{Greek}+$`, `\PL`, `\pN`, `\p{Lu}`, `[^a-z]`, `^[\x00-\x7F]*$`, `[[:alpha:]]`, `[[:^digit:]]`,
	`\d`, `\D`, `\s`, `\S+`, `\w`, `\W`, `[\s\S]`,
	`\bbar\b`, `\Bbar`, `\b`, `(?:\b)*x`,
	`^$`, `^`, `$`, `\A\z`, `\Aa`, `a\z`, `(?:^)*a`, `(?:$)+`,
	`a{2,3}`, `a{2,}?`, `^a{0}$`, `^(?:ab){2}$`, `(a|b)*c`, `(?U)a+`, `x*?`, `^(?:a*)*$`, `^(?:a+)?b$`, `(?P<name>x)y`,
	`\Qa.b\E`, `[\-\]\[\^\\]`, `\{\}`, `a{`, `a{,2}`, `\.\*\+\?\(\)\[\]\{\}\|\^\$\\`, `/`, `a/b`,
	`a|`, `|a`, `(?:)`, `^(?:|a)$`,
	`😀+`, `[😀-😂]`, `[^😀]`, `\x{1F600}`, `^.$`, `^[^a]$`,
	`\t\n\f\r\v`, `\x00`, `\x7f`, `\x{85}`, `\x{a0}`, `\x{2028}`, `[\x{2028}\x{2029}]`, `\x{feff}`, `[^\x00-\x{10FFFF}]`, `[\x00-\x{10FFFF}]`,
	`(?m)^a`, `(?m)a$`, `(?m)^a$`, `(?m)^$`, `(?m)^`, `(?m)$`, `(?m)^a|b$`, `(?m)^(?:ab|cd)`, `(?m)^(?:ab|cd)$`, `(?m)(?:a|^b)`,
	`^\d{4}-\d{2}$`, `^(?:[a-z]+\.)+[a-z]{2,}$`, `^[A-Z]{2}-[0-9]{4,6}$`, `(?i)^[^@\s]+@[^@\s]+\.[a-z]{2,}$`,
}

// untranslatable are Go regexps Pattern must refuse: multi-line anchors
// that are not at an end of the pattern.
var untranslatable = []string{`a(?m)^b`, `(?m)x$y`, `(?m)(^a)`, `(?m)a^`, `x(?m)$\n`}

// patternInputs are the strings every pattern is tried on.
var patternInputs = []string{
	"", "a", "A", "b", "c", "k", "K", "\u212a", "ſ", "s", "S", "σ", "Σ", "ς", "ǅ", "ǆ", "Ǆ", "ß", "ẞ", "ss", "STRASSE", "straße", "STRAẞE",
	"abc", "ABC", "ab", "aB", "abab", "aab", "aaa", "ac", "bc", "abbc", "x", "xy", "aa", "AbC",
	"a\nb", "a\rb", "a\u2028b", "a\u2029b", "\n", "x\n", "\nx", "\n\n", "a\n", "\na", "b\nab", "cd", "x\ncd",
	"go-lang", "Go-Lang-2", "go--lang", "-go", "é", "É", "日本", "😀", "😁😂", "😃", "a😀b",
	"\t", "\v", "\f", "\r", " ", "\u00a0", "\u0085", "\ufeff", "\u2028", "\x00", "\x7f",
	"a.b", "a+b", "a{", "a{,2}", "a{2}", "{}", "[x]", "x^y", "a$", "a|b", "a/b", "/", `.*+?()[]{}|^$\`, `-][^\`,
	"1234", "١٢٣", "_", "bar", "foobar", "foo bar", "bar.", "x bar y", "K_9 42.", "K9 4.",
	"2024-01", "2024-1", "mail.example.com", "a.b.cc", "AB-12345", "ab-12345", "jim@example.com", "jim@EXAMPLE.COM", "jim@@x.com",
	"αβγ", "Ωmega", "A\u0301",
}

// TestPatternGo: each translation is a Go regexp matching exactly what the
// original matches, on every input.
func TestPatternGo(t *testing.T) {
	for _, p := range goPatterns {
		tr, err := jsonschema.Pattern(p)
		if err != nil {
			t.Errorf("%q: %v", p, err)
			continue
		}
		orig, got := regexp.MustCompile(p), regexp.MustCompile(tr)
		for _, in := range patternInputs {
			if w, g := orig.MatchString(in), got.MatchString(in); w != g {
				t.Errorf("%q → %q: on %q Go matches %v, the translation %v", p, tr, in, w, g)
			}
		}
	}
	for _, p := range untranslatable {
		if tr, err := jsonschema.Pattern(p); err == nil {
			t.Errorf("%q translated to %q; want an error", p, tr)
		} else if !strings.Contains(err.Error(), "multi-line anchors") {
			t.Errorf("%q: %v", p, err)
		}
	}
	if _, err := jsonschema.Pattern(`a(`); err == nil {
		t.Error("an invalid Go regexp translated")
	}
}

// TestPatternSpelling pins the translations of the constructs whose
// spelling differs, as a reader of the documents sees them.
func TestPatternSpelling(t *testing.T) {
	for p, want := range map[string]string{
		`^[A-Z]+$`:       `^[A-Z]+$`,
		`(?i)k`:          "[Kk\u212a]",
		`.`:              `[^\n]`,
		`(?s).`:          `[\s\S]`,
		`\d+`:            `[0-9]+`,
		`\s`:             `[\t\n\f\r ]`,
		`[^a-z]`:         `[^a-z]`,
		`(?P<y>\d{4})-x`: `(?:[0-9]{4})-x`,
		`a{`:             `a\{`,
		`(?m)^a$`:        `(?:^|\n)a(?:\n|$)`,
		`\bx\B`:          `\bx\B`,
		`\x00\x{2028}`:   "\\x00\u2028",
		`a|b|cd`:         `[ab]|cd`,
	} {
		if got, err := jsonschema.Pattern(p); err != nil || got != want {
			t.Errorf("Pattern(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
}

// ecmaScript reads [{"p": pattern, "in": [inputs]}] on stdin and prints,
// for each, whether new RegExp(p, "u") matches each input, or the error
// compiling it.
const ecmaScript = `
let data = "";
process.stdin.on("data", d => data += d);
process.stdin.on("end", () => {
  const out = JSON.parse(data).map(({p, in: inputs}) => {
    try { const re = new RegExp(p, "u"); return inputs.map(s => re.test(s)); }
    catch (e) { return String(e); }
  });
  process.stdout.write(JSON.stringify(out));
});`

// TestPatternECMA runs every translation, and the patterns the documents
// use for localdatetime and duration, in a real ECMA-262 engine (Node.js,
// with the u flag, as JSON Schema validators use): each compiles and
// matches exactly what Go matches with the original. It needs node; it
// is skipped, saying so, on a machine without it.
func TestPatternECMA(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node (Node.js) is not installed: the translations are checked in Go only (TestPatternGo)")
	}
	type pcase struct {
		P  string   `json:"p"`
		In []string `json:"in"`
	}
	var cases []pcase
	var origs []*regexp.Regexp
	for _, p := range goPatterns {
		tr, err := jsonschema.Pattern(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		cases = append(cases, pcase{tr, patternInputs})
		origs = append(origs, regexp.MustCompile(p))
	}
	temporal := append([]string{
		"2024-01-31T07:00:00", "2024-01-31T07:00:00.5", "2024-01-31T07:00:00.123456789", "2024-01-31T07:00:00.1234567890",
		"2024-01-31T07:00:00Z", "2024-01-31T07:00", "2024-13-31T07:00:00", "2024-01-32T07:00:00", "2024-01-31T24:00:00",
		"P1Y2M3DT4H5M6.5S", "PT0S", "PT-1H-30M", "P14D", "P1W", "P-1Y-2M", "PT0.000000001S", "P", "PT", "P1DT", "P1D2Y",
		"PT1.5H", "1h30m", "-PT1H", "PT1H30M0.25S", "P1M-2DT3S", "PT1S2M",
	}, patternInputs...)
	for _, p := range []string{jsonschema.LocalDateTimePattern, jsonschema.DurationPattern} {
		cases = append(cases, pcase{p, temporal})
		origs = append(origs, regexp.MustCompile(p))
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(node, "-e", ecmaScript)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var results []json.RawMessage
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(cases) {
		t.Fatalf("node printed %d results for %d patterns (%v): %.300s", len(results), len(cases), err, out)
	}
	for i, c := range cases {
		var matches []bool
		if err := json.Unmarshal(results[i], &matches); err != nil {
			t.Errorf("ECMA-262 refuses %q: %s", c.P, results[i])
			continue
		}
		for j, s := range c.In {
			if w := origs[i].MatchString(s); matches[j] != w {
				t.Errorf("%q (from %q): on %q Go matches %v, ECMA-262 %v", c.P, origs[i], s, w, matches[j])
			}
		}
	}
	t.Logf("%d patterns × %d inputs agree in Go and in node", len(cases), len(patternInputs))
}
