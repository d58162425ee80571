package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/ogm"
)

// Errors of authentication, for errors.Is.
var (
	// ErrInvalidCredentials: no backend authenticated the credentials (a
	// wrong password, an unknown or inactive user, an unusable password),
	// or one refused them with ErrPermissionDenied. Answer it as a failed
	// login; every other error from Authenticate is a failure of the
	// system (the database is down, …).
	ErrInvalidCredentials = errors.New("auth: invalid credentials")
	// ErrPermissionDenied is what a Backend returns to refuse credentials
	// and stop the chain: the backends after it are not asked (Django's
	// PermissionDenied raised in a backend). Authenticate then fails with
	// an error that matches both ErrInvalidCredentials and this.
	ErrPermissionDenied = errors.New("auth: permission denied")
)

// Credentials is what a user presents to log in.
type Credentials struct {
	// Username is the login name, as typed: the value of the user
	// model's username field (an email address for a model that logs in
	// with one). ModelBackend normalizes it as CreateUser did.
	Username string
	// Password is the raw password.
	Password string
	// Extra carries what other backends need (a one-time code, an API
	// token); ModelBackend ignores it.
	Extra map[string]string
}

// Backend authenticates credentials against some store of users (Django's
// authentication backends). Authenticate asks a chain of them in order.
type Backend interface {
	// Authenticate returns the user the credentials identify, or nil, nil
	// when it does not accept them (the next backend is asked). An error
	// stops the chain: return ErrPermissionDenied (or an error wrapping
	// it) to refuse the credentials outright; any other error is a
	// failure that Authenticate returns as it is, except
	// ErrInvalidCredentials, which counts as nil, nil.
	Authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (*User, error)
	// GetUser returns the user whose username is id, or nil, nil when
	// there is none or the backend does not let it in (Django's get_user,
	// which a session calls on each request). The username (the value of
	// the user model's username field), not the element id, identifies a
	// user outside one transaction: Neo4j may reuse the element id of a
	// deleted node.
	GetUser(ctx context.Context, db *ogm.DB, id string) (*User, error)
}

// ModelBackend authenticates the users of a user model by their username
// field and password (Django's ModelBackend): User nodes by username, unless
// Model says otherwise. It refuses inactive users (is_active false; unset
// counts as active, as the default). When the username is unknown it still
// hashes the password once, and an unusable password, a legacy md5, sha1 or
// unsalted hash and a hash of a lower cost take as long to refuse as a
// hash of the preferred hasher, so the time a login takes does not tell
// whether the username exists. A successful check of a hash that is not of
// the preferred algorithm or cost upgrades it (see Config.CheckPassword).
type ModelBackend struct {
	// Hashers checks passwords; nil means hashers.Default().
	Hashers *hashers.Registry
	// Model is the user model whose users the backend finds, on its node
	// type's label and by its username field: a generated <Type>Model.
	// nil means UserModel (User nodes, by username).
	Model AnyModel
}

// Authenticate implements Backend.
func (b ModelBackend) Authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (*User, error) {
	return modelAuthenticate(ctx, db, creds, b.Hashers, b.Model, false)
}

// GetUser implements Backend: the active user whose username (the value of
// the model's username field) is id.
func (b ModelBackend) GetUser(ctx context.Context, db *ogm.DB, id string) (*User, error) {
	return modelGetUser(ctx, db, id, b.Model, false)
}

// AllowAllUsersModelBackend is ModelBackend without the is_active check:
// inactive users log in too (Django's AllowAllUsersModelBackend).
type AllowAllUsersModelBackend struct {
	// Hashers checks passwords; nil means hashers.Default().
	Hashers *hashers.Registry
	// Model is the user model, as ModelBackend's; nil means UserModel.
	Model AnyModel
}

// Authenticate implements Backend.
func (b AllowAllUsersModelBackend) Authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (*User, error) {
	return modelAuthenticate(ctx, db, creds, b.Hashers, b.Model, true)
}

// GetUser implements Backend: the user whose username is id, active or not.
func (b AllowAllUsersModelBackend) GetUser(ctx context.Context, db *ogm.DB, id string) (*User, error) {
	return modelGetUser(ctx, db, id, b.Model, true)
}

// orDefault returns m, or UserModel when m is nil.
func orDefault(m AnyModel) AnyModel {
	if m == nil {
		return UserModel
	}
	return m
}

func modelAuthenticate(ctx context.Context, db *ogm.DB, creds Credentials, reg *hashers.Registry, m AnyModel, allowInactive bool) (*User, error) {
	if reg == nil {
		reg = hashers.Default()
	}
	m = orDefault(m)
	username, err := normalizeLogin(m.usernameField(), creds.Username)
	if err != nil {
		// No such user can exist; spend the time a check would.
		reg.RunDefault(creds.Password)
		return nil, nil
	}
	u, err := m.getUser(ctx, db, username)
	if err != nil {
		return nil, err
	}
	if u == nil {
		reg.RunDefault(creds.Password)
		return nil, nil
	}
	// As Django, check the password before the active flag: an inactive
	// user takes as long to refuse as a wrong password.
	// A stored hash that cannot be read counts as a mismatch (Django's
	// check_password returns False for it).
	ok, _, err := (&Config{Hashers: reg}).checkPassword(ctx, u, creds.Password)
	if err != nil {
		return nil, err
	}
	if !ok || !(allowInactive || IsActive(u)) {
		return nil, nil
	}
	return u, nil
}

func modelGetUser(ctx context.Context, db *ogm.DB, id string, m AnyModel, allowInactive bool) (*User, error) {
	u, err := orDefault(m).getUser(ctx, db, id)
	if err != nil || u == nil {
		return nil, err
	}
	if !allowInactive && !IsActive(u) {
		return nil, nil
	}
	return u, nil
}

// IsActive reports whether u may log in: is_active is true or unset (the
// schema's default is true; Django's user_can_authenticate also lets a
// user without the attribute in).
func IsActive(u *User) bool { return u.IsActive == nil || *u.IsActive }

// Authenticate returns the user that the first backend accepting creds
// identifies, using the default hashers; backends is the chain to ask, in
// order, ModelBackend when none is given. See [Config.Authenticate].
//
//	u, err := auth.Authenticate(ctx, db, auth.Credentials{Username: "john", Password: "johnpassword"})
//	if errors.Is(err, auth.ErrInvalidCredentials) { /* 401 */ }
func Authenticate(ctx context.Context, db *ogm.DB, creds Credentials, backends ...Backend) (*User, error) {
	var c *Config
	if len(backends) > 0 {
		c = &Config{Backends: backends}
	}
	return c.Authenticate(ctx, db, creds)
}

// Authenticate asks c's backends in order to authenticate creds (Django's
// authenticate) and returns the first user one accepts, after recording the
// login: last_login is set to now and written alone, with one parameterised
// SET. It never returns a nil user with a nil error: when no backend
// accepts the credentials, or one refuses them with ErrPermissionDenied,
// the error matches [ErrInvalidCredentials] (and then ErrPermissionDenied
// too); any other error is a failure of a backend or of the database.
func (c *Config) Authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (*User, error) {
	for _, b := range c.backends() {
		u, err := b.Authenticate(ctx, db, creds)
		switch {
		case errors.Is(err, ErrPermissionDenied):
			return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
		case errors.Is(err, ErrInvalidCredentials):
			continue // a backend following Authenticate's convention
		case err != nil:
			return nil, err
		case u == nil:
			continue
		}
		if err := c.updateLastLogin(ctx, u); err != nil {
			return nil, err
		}
		return u, nil
	}
	return nil, ErrInvalidCredentials
}

// updateLastLogin sets u.LastLogin to now and writes it alone (Django's
// update_last_login). A user that a custom backend made up, not stored, is
// updated in memory only.
func (c *Config) updateLastLogin(ctx context.Context, u *User) error {
	old := u.LastLogin
	u.LastLogin = c.now().UTC()
	if !u.IsSaved() {
		return nil
	}
	if err := ogm.SaveProps(ctx, UserType, u, UserLastLogin.Key()); err != nil {
		u.LastLogin = old
		return err
	}
	return nil
}
