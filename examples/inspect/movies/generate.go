// Package movies is generated from schema.yaml, which is what gonode
// inspect-database inferred from the movies graph of examples/inspect (that
// program checks that a fresh inspection still gives it).
package movies

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
