// Package people is the quickstart's generated package: schema.yaml compiled
// by gonode generate into schema_gonode.go.
package people

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
