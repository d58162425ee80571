package schema

// The schemas shipped with gonode, embedded in the binary so that any schema
// can import them without a file on disk.

import _ "embed"

// BuiltinPrefix starts the import target of a schema shipped with gonode,
// which is also the display path of its file ("builtin:auth").
const BuiltinPrefix = "builtin:"

// AuthPath is the import target of the auth schema ("imports: {auth:
// builtin:auth}") and the display path of its positions in messages.
const AuthPath = "builtin:auth"

// Auth is the text of auth.yaml: the User, Group and Permission node types
// from which the github.com/gonode/gonode/auth package is generated.
//
//go:embed auth.yaml
var Auth []byte
