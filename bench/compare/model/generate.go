// Package model is the generated API the benchmark in bench/compare runs
// against the driver floor and neomodel. The rest of the package is
// generated from schema.yaml.
package model

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
