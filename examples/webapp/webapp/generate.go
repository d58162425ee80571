// Package webapp is generated from schema.yaml for examples/webapp: Post
// nodes written by auth.User users, with a publish_post permission.
package webapp

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
