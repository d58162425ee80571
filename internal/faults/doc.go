// Package faults holds gonode's server fault test: it stops the Neo4j the
// tests run against in the middle of a write workload, starts it again,
// and checks that nothing acknowledged was lost, nothing was half written,
// and the same *ogm.DB recovers. It has no code of its own; see
// fault_test.go and the README's "Reliability" section.
package faults
