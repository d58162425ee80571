// Package emailuser is generated from schema.yaml for the tests of package
// auth: EmailUser extends auth.User, logs in with login_email
// (username_field) and requires first_name (required_fields).
package emailuser

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
