package auth

import (
	"context"
	"errors"
	"fmt"
	"reflect"

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

// UserNode is a value of a user type: a *User, or a pointer to a generated
// type that extends User (a *accounts.EmailUser), which embeds the User.
// What [NodeBackend] returns and [AuthenticateAs] converts.
type UserNode interface {
	ogm.Entity
	authUser() *User
}

// NodeBackend is a Backend that can return the user it accepts as a value
// of its node type (the *accounts.EmailUser it loaded, not only the
// *auth.User inside), so that [AuthenticateAs] hands the caller the
// concrete model without loading the node again. ModelBackend and
// AllowAllUsersModelBackend are NodeBackends; a backend of yours can be
// one too (a generated user type is a UserNode). Authenticate asks
// AuthenticateNode instead of Authenticate of a NodeBackend; the two must
// agree.
type NodeBackend interface {
	Backend
	// AuthenticateNode is Authenticate returning the user as a value of
	// its node type: nil, nil when the backend does not accept the
	// credentials.
	AuthenticateNode(ctx context.Context, db *ogm.DB, creds Credentials) (UserNode, error)
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
	return userOfNode(modelAuthenticate(ctx, db, creds, b.Hashers, b.Model, false))
}

// AuthenticateNode implements NodeBackend: the user as a value of the
// model's type (a *T of Model, a *User by default).
func (b ModelBackend) AuthenticateNode(ctx context.Context, db *ogm.DB, creds Credentials) (UserNode, error) {
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
	return userOfNode(modelAuthenticate(ctx, db, creds, b.Hashers, b.Model, true))
}

// AuthenticateNode implements NodeBackend, as ModelBackend's.
func (b AllowAllUsersModelBackend) AuthenticateNode(ctx context.Context, db *ogm.DB, creds Credentials) (UserNode, error) {
	return modelAuthenticate(ctx, db, creds, b.Hashers, b.Model, true)
}

// userOfNode returns the User inside n.
func userOfNode(n UserNode, err error) (*User, error) {
	if err != nil || n == nil {
		return nil, err
	}
	return n.authUser(), nil
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

func modelAuthenticate(ctx context.Context, db *ogm.DB, creds Credentials, reg *hashers.Registry, m AnyModel, allowInactive bool) (UserNode, error) {
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
	node, err := m.getUser(ctx, db, username)
	if err != nil {
		return nil, err
	}
	if node == nil {
		reg.RunDefault(creds.Password)
		return nil, nil
	}
	u := node.authUser()
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
	return node, nil
}

func modelGetUser(ctx context.Context, db *ogm.DB, id string, m AnyModel, allowInactive bool) (*User, error) {
	u, err := userOfNode(orDefault(m).getUser(ctx, db, id))
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
//
// With [Config.UserModel] set to a custom model, the *User returned is the
// one embedded in a value of the model's type; [AuthenticateAs] returns
// that value itself (a *accounts.EmailUser), with no further query.
func (c *Config) Authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (*User, error) {
	node, err := c.authenticate(ctx, db, creds)
	if err != nil {
		return nil, err
	}
	u := node.authUser()
	if err := c.updateLastLogin(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// AuthenticateAs is [Config.Authenticate] returning the user as a P, the
// pointer type of a user model, such as the Config.UserModel's type:
//
//	cfg := &auth.Config{UserModel: models.MemberModel}
//	m, err := auth.AuthenticateAs[*models.Member](ctx, cfg, db, creds)
//	fmt.Println(m.CardNumber) // the Member's own fields, loaded with the login
//
// The backends that return the user as a value of its node type
// ([NodeBackend]: ModelBackend, AllowAllUsersModelBackend) give it without a
// second query: logging in costs what Config.Authenticate costs (one read,
// and the write of last_login). P may also be a type the user's type
// extends (*auth.User for any user, a parent type of the model's). When the
// user a backend accepts is not a P (the backend's model is another, or a
// backend that is not a NodeBackend returned a plain *User), AuthenticateAs
// fails with an error matching ogm.ErrWrongType, without recording the
// login; set Config.UserModel (or the Model of each ModelBackend) to P's
// model. Failed logins are [ErrInvalidCredentials], as for Authenticate.
func AuthenticateAs[P interface {
	*T
	UserNode
}, T any](ctx context.Context, c *Config, db *ogm.DB, creds Credentials) (P, error) {
	node, err := c.authenticate(ctx, db, creds)
	if err != nil {
		return nil, err
	}
	v := embedded[T](node)
	if v == nil {
		return nil, fmt.Errorf("auth: authenticate as %T: %w: the backend returned a %T (set Config.UserModel, or the Model of its ModelBackend, to the model of %T)", P(nil), ogm.ErrWrongType, node, P(nil))
	}
	if err := c.updateLastLogin(ctx, node.authUser()); err != nil {
		return nil, err
	}
	return v, nil
}

// embedded returns node as a *T: node itself when it is one, else the T
// that node's struct embeds (directly or not), or nil.
func embedded[T any](node UserNode) *T {
	if v, ok := any(node).(*T); ok {
		return v
	}
	rv := reflect.ValueOf(node)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	want := reflect.TypeFor[T]()
	for s := rv.Elem(); s.Kind() == reflect.Struct; {
		next := reflect.Value{}
		for i := range s.NumField() {
			f := s.Type().Field(i)
			if !f.Anonymous {
				continue
			}
			if f.Type == want {
				return s.Field(i).Addr().Interface().(*T)
			}
			if f.Type.Kind() == reflect.Struct && !next.IsValid() {
				next = s.Field(i)
			}
		}
		if !next.IsValid() {
			break
		}
		s = next
	}
	return nil
}

// authenticate runs the chain of backends and returns the user the first
// one accepts, as a value of its node type when the backend is a
// NodeBackend.
func (c *Config) authenticate(ctx context.Context, db *ogm.DB, creds Credentials) (UserNode, error) {
	for _, b := range c.backends() {
		var node UserNode
		var err error
		if nb, ok := b.(NodeBackend); ok {
			node, err = nb.AuthenticateNode(ctx, db, creds)
		} else {
			var u *User
			if u, err = b.Authenticate(ctx, db, creds); u != nil {
				node = u
			}
		}
		switch {
		case errors.Is(err, ErrPermissionDenied):
			return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
		case errors.Is(err, ErrInvalidCredentials):
			continue // a backend following Authenticate's convention
		case err != nil:
			return nil, err
		case isNilNode(node):
			continue
		}
		return node, nil
	}
	return nil, ErrInvalidCredentials
}

// isNilNode reports whether n is nil or a nil pointer.
func isNilNode(n UserNode) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
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
