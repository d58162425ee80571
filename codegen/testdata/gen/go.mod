// The module of the generator's scenarios: each directory is a package
// generated from its schema, with real tests of the generated API run
// against the database by codegen's TestGeneratedCode. It builds against
// this checkout of gonode.
module example.com/gen

go 1.26.0

require (
	github.com/gonode/gonode v0.0.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
)

require (
	github.com/neo4j/neo4j-go-driver/v5 v5.28.4 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/gonode/gonode => ../../..
