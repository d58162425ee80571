// Package templates holds the starter schemas that gonode init writes,
// embedded in the binary.
package templates

import (
	"bytes"
	_ "embed"
	"text/template"
)

//go:embed starter.yaml.tmpl
var starterText string

var starter = template.Must(template.New("starter.yaml").Delims("<<", ">>").Parse(starterText))

// Starter returns the commented starter schema for the Go package pkg.
func Starter(pkg string) ([]byte, error) {
	var b bytes.Buffer
	if err := starter.Execute(&b, struct{ Package string }{pkg}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
