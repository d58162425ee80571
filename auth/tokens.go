package auth

import (
	"github.com/gonode/gonode/auth/tokens"
)

// TokenState returns the state of u that password reset tokens are bound
// to, so that a *User (and any type that extends User) is a tokens.User:
// the username as the user's key (it finds the user again with
// GetByNaturalKey; element ids may be reused once a node is deleted), the
// password hash, the last login and the email. A token stops working when
// any of them changes: after a password change, a login, or a new email.
func (u *User) TokenState() tokens.UserState {
	return tokens.UserState{PK: u.Username, Password: u.Password, LastLogin: u.LastLogin, Email: u.Email}
}

// MakePasswordResetToken returns a new password reset token for u, signed
// with c.SecretKey and valid for c.PasswordResetTimeout (Django's
// default_token_generator.make_token). It fails with tokens.ErrNoSecret when
// c has no SecretKey.
func (c *Config) MakePasswordResetToken(u *User) (string, error) {
	return c.tokenGenerator().MakeToken(u)
}

// CheckPasswordResetToken reports whether token is a password reset token
// for u in its current state, signed with c.SecretKey or one of
// c.SecretKeyFallbacks, and not expired. After a successful reset
// (ChangePassword), the token no longer checks.
func (c *Config) CheckPasswordResetToken(u *User, token string) bool {
	if u == nil {
		return false
	}
	return c.tokenGenerator().CheckToken(u, token)
}

// SessionAuthHash returns the hash of u's password to keep in u's session
// (Django's get_session_auth_hash): comparing it on each request with
// CheckSessionAuthHash logs the user out of every session when the password
// changes. It is empty when c has no SecretKey.
func (c *Config) SessionAuthHash(u *User) string {
	if c == nil || c.SecretKey == "" {
		return ""
	}
	return tokens.SessionAuthHash(c.SecretKey, u.Password)
}

// CheckSessionAuthHash reports, in constant time, whether hash is u's
// session auth hash under c.SecretKey or one of c.SecretKeyFallbacks.
func (c *Config) CheckSessionAuthHash(u *User, hash string) bool {
	if c == nil || u == nil {
		return false
	}
	return tokens.CheckSessionAuthHash(hash, u.Password, c.SecretKey, c.SecretKeyFallbacks...)
}
