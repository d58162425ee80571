// Package model is the generated package bench/search runs on.
package model

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
