// Command gonode generates typed Go code from Neo4j schemas written in YAML
// and manages the database side of those schemas.
//
//	gonode generate [-o DIR] [--check] SCHEMA...
//	gonode jsonschema [-o DIR] [--base-url URL] SCHEMA...
//	gonode install-labels [--prune] [--dry-run] SCHEMA...
//	gonode check-database [--json] SCHEMA...
//	gonode version [--db URL]
//
// Run `gonode help` for every command.
package main

import "os"

func main() {
	os.Exit(Execute(os.Args[1:], os.Stdout, os.Stderr))
}
