package auth

// String returns "User(username)". The other printing methods of User are
// generated from the schema, where its password is sensitive: Format
// (every fmt verb), MarshalJSON and LogValue never show the hash.
func (u User) String() string { return "User(" + u.Username + ")" }
