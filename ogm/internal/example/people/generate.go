package people

// The rest of this package is generated from schema.yaml, the reference of
// what gonode generate emits; the ogm runtime tests run against it.
//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
