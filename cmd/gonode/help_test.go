package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestHelpShowsExamples: gonode --help and every command's help have an
// Examples section.
func TestHelpShowsExamples(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"generate", "--help"}, {"jsonschema", "--help"}, {"init", "--help"}, {"install-labels", "--help"},
		{"remove-labels", "--help"}, {"inspect-database", "--help"}, {"version", "--help"},
		{"auth", "--help"}, {"auth", "create-user", "--help"}, {"auth", "create-superuser", "--help"},
		{"auth", "set-password", "--help"},
	} {
		var out, errOut bytes.Buffer
		if code := Execute(args, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		if !strings.Contains(out.String(), "Examples:\n  gonode ") {
			t.Errorf("%v: no examples in\n%s", args, out.String())
		}
	}
}
