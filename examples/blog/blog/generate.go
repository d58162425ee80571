// Package blog is generated from schema.yaml for examples/blog: Post
// nodes written by auth.User users, with a custom permission.
package blog

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
