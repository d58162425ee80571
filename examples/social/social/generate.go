// Package social is generated from schema.yaml for examples/social:
// TwitterUser extends auth.User and follows other TwitterUsers.
package social

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
