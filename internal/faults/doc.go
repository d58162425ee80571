// Package faults holds gonode's server fault tests: they stop the Neo4j the
// tests run against in the middle of a write workload, cleanly (SIGTERM,
// TestServerRestartMidWorkload) or as a crash (SIGKILL,
// TestServerCrashMidWorkload, through the typed API of the generated package
// ledger), start it again, and check that nothing acknowledged was lost,
// nothing was half written, every failure was typed and retryable, and the
// same *ogm.DB recovers. It has no code of its own besides ledger; see the
// _test.go files and docs/reliability.md.
package faults
