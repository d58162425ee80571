package ledger

// The rest of this package is generated from schema.yaml: the typed API the
// SIGKILL crash test of internal/faults writes through.
//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
