package templates_test

import (
	"strings"
	"testing"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
	"github.com/gonode/gonode/templates"
)

// TestStarter checks that the starter schema loads and generates for a
// package name (gonode init's tests write it through the command).
func TestStarter(t *testing.T) {
	text, err := templates.Starter("inventory")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "\npackage: inventory\n") {
		t.Fatalf("package not set:\n%s", text)
	}
	s, err := schema.LoadBytes("schema.yaml", text)
	if err != nil {
		t.Fatalf("starter schema:\n%v", err)
	}
	if _, err := codegen.Generate(s, codegen.Options{}); err != nil {
		t.Fatal(err)
	}
}
