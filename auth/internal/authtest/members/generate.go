// Package members is generated from schema.yaml for the tests of package
// auth: Member extends auth.User with required fields (first_name,
// card_number) and the primary key a Django site gave it (django_id), and
// the permissions have the app label "library" (app_label:), not the
// package name.
package members

//go:generate go run github.com/gonode/gonode/cmd/gonode generate schema.yaml
