package auth

// auth_gonode.go is generated from the shipped schema/auth.yaml.
//go:generate go run github.com/gonode/gonode/cmd/gonode generate -o . ../schema/auth.yaml
