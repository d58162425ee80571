// Package usertypes is generated from schema.yaml for the tests of package
// auth: Person is abstract and extends auth.User, Customer (semi-structured)
// extends Person, Reseller extends Customer.
package usertypes

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
