package search

// The rest of this package is generated from schema.yaml: the node and
// relationship types the ogm search tests (vector and full-text search)
// run against.
//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
