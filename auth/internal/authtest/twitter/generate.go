// Package twitter is generated from schema.yaml for the tests of package
// auth: TwitterUser extends auth.User, and Post references auth.User.
package twitter

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
