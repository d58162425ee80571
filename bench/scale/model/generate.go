// Package model is the scale benchmark's generated package: schema.yaml
// compiled by gonode generate into schema_gonode.go.
package model

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
