// Package schema holds the schemas shipped with gonode, embedded in the
// binary so that any schema can import them without a file on disk.
package schema

import _ "embed"

// AuthPath is the import target of the auth schema ("imports: {auth:
// builtin:auth}") and the display path of its positions in messages.
const AuthPath = "builtin:auth"

// Auth is the text of auth.yaml: the User, Group and Permission node types
// from which the github.com/gonode/gonode/auth package is generated.
//
//go:embed auth.yaml
var Auth []byte
