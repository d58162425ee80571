// Package books is generated from schema.yaml for examples/books: members
// (extending auth.User) review books, with a Review on each relationship.
package books

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
