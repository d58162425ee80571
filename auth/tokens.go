package auth

import (
	"fmt"
	"strconv"

	"github.com/gonode/gonode/auth/tokens"
	"github.com/gonode/gonode/ogm"
)

// ErrNoSecretKey: the Config has no SecretKey, so it can neither sign nor
// check password reset tokens and session auth hashes (Django refuses to
// start without a SECRET_KEY). It is tokens.ErrNoSecret, so either matches.
var ErrNoSecretKey = tokens.ErrNoSecret

// TokenState returns the state of u that password reset tokens are bound
// to with the default settings, so that a *User (and any type that extends
// User) is a tokens.User: the username as the user's key (it finds the
// user again with GetByNaturalKey; element ids may be reused once a node
// is deleted), the password hash, the last login and the email. A token
// stops working when any of them changes: after a password change, a
// login, or a new email. [Config.MakePasswordResetToken] signs the value
// of Config.PKProperty instead of the username when it is set.
func (u *User) TokenState() tokens.UserState {
	return tokens.UserState{PK: u.Username, Password: u.Password, LastLogin: u.LastLogin, Email: u.Email}
}

// tokenState is u's TokenState under c: its key is the value of
// c.PKProperty, read through c's user model, when that is set and u has
// one.
func (c *Config) tokenState(u UserNode) (tokens.UserState, error) {
	user := u.authUser()
	state := user.TokenState()
	if c == nil || c.PKProperty == "" {
		return state, nil
	}
	m := c.model()
	props, ok, err := m.encode(u)
	switch {
	case err != nil:
		return state, err
	case !ok:
		return state, fmt.Errorf("auth: reset token: %w: Config.PKProperty %q is a property of the user model %s: pass the user as a value of that type, not a %T", ogm.ErrWrongType, c.PKProperty, m.typeName(), u)
	}
	switch v := props[c.PKProperty].(type) {
	case nil:
		// Not migrated from Django: the username keys the token.
	case string:
		state.PK = v
	case int:
		state.PK = strconv.Itoa(v)
	case int64:
		state.PK = strconv.FormatInt(v, 10)
	default:
		return state, fmt.Errorf("auth: reset token: Config.PKProperty %q holds a %T; a primary key is an int or a string (as Django prints str(user.pk))", c.PKProperty, v)
	}
	return state, nil
}

// MakePasswordResetToken returns a new password reset token for u (a
// *User, or a value of the user model's type), signed with c.SecretKey and
// valid for c.PasswordResetTimeout, counted on the wall clock of
// c.Location (Django's default_token_generator.make_token). It signs u's
// username, or the value of c.PKProperty when that is set and u has one
// (Django signs str(user.pk)). It fails with [ErrNoSecretKey] when c has no
// SecretKey.
func (c *Config) MakePasswordResetToken(u UserNode) (string, error) {
	if c == nil || c.SecretKey == "" {
		return "", ErrNoSecretKey
	}
	if isNilNode(u) {
		return "", fmt.Errorf("auth: reset token for a nil user")
	}
	state, err := c.tokenState(u)
	if err != nil {
		return "", err
	}
	return c.tokenGenerator().MakeToken(state)
}

// CheckPasswordResetToken reports whether token is a password reset token
// for u in its current state, signed with c.SecretKey or one of
// c.SecretKeyFallbacks, and not expired (Django's check_token). After a
// successful reset (ChangePassword), the token no longer checks. A nil u,
// or a token that is not one, is false with a nil error; a c without a
// SecretKey is [ErrNoSecretKey] (with no secret, no token could ever
// check).
func (c *Config) CheckPasswordResetToken(u UserNode, token string) (bool, error) {
	if c == nil || c.SecretKey == "" {
		return false, ErrNoSecretKey
	}
	if isNilNode(u) {
		return false, nil
	}
	state, err := c.tokenState(u)
	if err != nil {
		return false, err
	}
	return c.tokenGenerator().CheckToken(state, token), nil
}

// SessionAuthHash returns the hash of u's password to keep in u's session
// (Django's get_session_auth_hash): comparing it on each request with
// CheckSessionAuthHash logs the user out of every session when the password
// changes. It fails with [ErrNoSecretKey] when c has no SecretKey (an empty
// hash would log every session out on its next request).
func (c *Config) SessionAuthHash(u UserNode) (string, error) {
	if c == nil || c.SecretKey == "" {
		return "", ErrNoSecretKey
	}
	if isNilNode(u) {
		return "", fmt.Errorf("auth: session auth hash of a nil user")
	}
	return tokens.SessionAuthHash(c.SecretKey, u.authUser().Password), nil
}

// CheckSessionAuthHash reports, in constant time, whether hash is u's
// session auth hash under c.SecretKey or one of c.SecretKeyFallbacks. It
// fails with [ErrNoSecretKey] when c has no SecretKey; a nil u is false.
func (c *Config) CheckSessionAuthHash(u UserNode, hash string) (bool, error) {
	if c == nil || c.SecretKey == "" {
		return false, ErrNoSecretKey
	}
	if isNilNode(u) {
		return false, nil
	}
	return tokens.CheckSessionAuthHash(hash, u.authUser().Password, c.SecretKey, c.SecretKeyFallbacks...), nil
}
