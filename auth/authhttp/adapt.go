package authhttp

// This file is where the package meets package auth about users: the
// typed login and creation of a user of the Manager's model
// (auth.AuthenticateAs, auth.CreateUserAs), the session auth hash and the
// reset tokens (which fail with an error, never an empty answer), the key
// of a reset link (Config.PKProperty), and the permissions that exist.

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// ErrNoSecretKey: Options.Config has no SecretKey, which signs the session
// auth hashes and the password reset tokens; New refuses such a Config. It
// is auth.ErrNoSecretKey, so either matches.
var ErrNoSecretKey = auth.ErrNoSecretKey

// userFuncs are the functions of package auth that need the pointer type of
// the model as a type argument (a P with core type *T that is an
// auth.UserNode), which the Manager's methods, generic over T alone, cannot
// spell: New, which has P, makes them.
type userFuncs[T any] struct {
	// node returns v as the auth.UserNode it is.
	node func(v *T) auth.UserNode
	// authenticate is auth.AuthenticateAs for the model: the login's own
	// queries, the user returned as a *T without reading it again.
	authenticate func(ctx context.Context, creds auth.Credentials) (*T, error)
	// create is auth.CreateUserAs for the model.
	create func(ctx context.Context, v *T) (*T, error)
}

func newUserFuncs[T any, P interface {
	*T
	auth.UserNode
}](m *Manager[T]) userFuncs[T] {
	return userFuncs[T]{
		node: func(v *T) auth.UserNode { return P(v) },
		authenticate: func(ctx context.Context, creds auth.Credentials) (*T, error) {
			u, err := auth.AuthenticateAs[P](ctx, m.cfg, m.db, creds)
			return (*T)(u), err
		},
		create: func(ctx context.Context, v *T) (*T, error) {
			u, err := auth.CreateUserAs(ctx, m.db, m.model, P(v))
			return (*T)(u), err
		},
	}
}

// authenticate checks creds with the Manager's auth settings and returns
// the user as a *T, in the login's own queries (the look-up and the write
// of last_login). A backend that returns a user of another type (one that
// is not an auth.NodeBackend, with a model other than auth.User) fails
// with an error matching ogm.ErrWrongType, which the views answer with 500.
func (m *Manager[T]) authenticate(ctx context.Context, creds auth.Credentials) (*T, error) {
	return m.fn.authenticate(ctx, creds)
}

// createUser creates a user of the model and returns it (Config.CreateUser
// with the model's type: the username field, the email and the password
// hashed with Config's hashers; no second query).
func (m *Manager[T]) createUser(ctx context.Context, username, email, password string) (*T, error) {
	v := new(T)
	u := auth.UserOf(v)
	u.Email = email
	*m.model.Username(v) = username
	if err := m.cfg.SetPassword(u, password); err != nil {
		return nil, err
	}
	return m.fn.create(ctx, v)
}

// sessionAuthHash returns u's session auth hash. It fails only without a
// SecretKey (which New refuses); the callers answer an error with 500.
func (m *Manager[T]) sessionAuthHash(u *T) (string, error) {
	return m.cfg.SessionAuthHash(m.fn.node(u))
}

// checkSessionAuthHash reports whether stored is u's session auth hash
// (under the secret or a fallback), and returns the hash under the current
// secret. An error is not a mismatch: Middleware answers it with 500
// rather than logging the user out.
func (m *Manager[T]) checkSessionAuthHash(u *T, stored string) (ok bool, current string, err error) {
	ok, err = m.cfg.CheckSessionAuthHash(m.fn.node(u), stored)
	if err != nil || !ok {
		return false, "", err
	}
	current, err = m.sessionAuthHash(u)
	if err != nil {
		return false, "", err
	}
	return true, current, nil
}

// makeResetToken returns a password reset token for u.
func (m *Manager[T]) makeResetToken(u *T) (string, error) {
	return m.cfg.MakePasswordResetToken(m.fn.node(u))
}

// checkResetToken reports whether token is a valid reset token for u. An
// error is not an invalid link: the view answers it with 500.
func (m *Manager[T]) checkResetToken(u *T, token string) (bool, error) {
	return m.cfg.CheckPasswordResetToken(m.fn.node(u), token)
}

// pkProperty returns the property of the model that Config.PKProperty
// names, or an error (ErrBadOptions) when it names none, or one that is
// not a unique int or string property: reset tokens sign str(pk) as Django
// does, and a reset link finds its user by it.
func pkProperty[T any](model *auth.Model[T], key string) (*ogm.PropInfo, error) {
	for i, p := range model.Type.Props {
		if p.Key != key {
			continue
		}
		if p.Type != "int" && p.Type != "string" || !p.Unique {
			return nil, fmt.Errorf("%w: Config.PKProperty %q is a %s property of %s (unique: %v); a primary key is a unique int or string", ErrBadOptions, key, p.Type, model.Type.Name, p.Unique)
		}
		return &model.Type.Props[i], nil
	}
	return nil, fmt.Errorf("%w: Config.PKProperty %q is not a property of the user model %s", ErrBadOptions, key, model.Type.Name)
}

// resetKey is what u's reset tokens are bound to, as Django's str(user.pk):
// the value of Config.PKProperty when that is set and u has one, else the
// username (as auth signs it).
func (m *Manager[T]) resetKey(u *T) (string, error) {
	au := auth.UserOf(u)
	if m.pk == nil {
		return au.Username, nil
	}
	props, err := m.model.Type.Encode(u)
	if err != nil {
		return "", err
	}
	switch v := props[m.pk.Key].(type) {
	case nil:
		return au.Username, nil
	case string:
		return v, nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int:
		return strconv.Itoa(v), nil
	default:
		return "", fmt.Errorf("authhttp: reset link: Config.PKProperty %q holds a %T", m.pk.Key, v)
	}
}

// resetUID is the uidb64 of u's reset link: Django's
// urlsafe_base64_encode(force_bytes(user.pk)), base64url without padding
// of the key the token signs (resetKey).
func (m *Manager[T]) resetUID(u *T) (string, error) {
	key, err := m.resetKey(u)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key)), nil
}

// userByResetUID returns the user of the model whose reset key uid
// encodes, or nil when uid is malformed or names nobody: with
// Config.PKProperty set, the user whose property holds it (a Django link
// for pk 42 is for the user whose django_id is 42), else a user without
// the property whose username it is; without it, the user of that
// username. At most two queries, one without PKProperty.
func (m *Manager[T]) userByResetUID(ctx context.Context, uid string) (*T, error) {
	b, err := base64.RawURLEncoding.DecodeString(uid)
	if err != nil || len(b) == 0 || len(b) > 4*auth.UsernameMaxLength {
		return nil, nil
	}
	key := string(b)
	nodes := ogm.NewNodes[*T](m.db, m.model.Type)
	username := ogm.NewStringProp[*T](auth.UserUsername.Key())
	if m.pk == nil {
		return nodes.GetOrNone(ctx, username.Eq(key))
	}
	pk := ogm.NewProp[*T, any](m.pk.Key, nil)
	var value any = key
	if m.pk.Type == "int" {
		// Only the digits str(int) prints: "042" or "+42" is no pk.
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != key {
			value = nil
		} else {
			value = n
		}
	}
	if value != nil {
		u, err := nodes.GetOrNone(ctx, pk.Eq(value))
		if err != nil || u != nil {
			return u, err
		}
	}
	return nodes.GetOrNone(ctx, username.Eq(key), pk.IsNull(true))
}

// knownPerms is the set of the permissions that exist (the
// "app_label.codename" of every Permission node), which the guards check
// the permissions they are asked about against: loaded at the first check
// of the Manager, and loaded again when a check names one that it lacks (a
// permission installed since, or one that does not exist). A Permission
// node deleted while the application runs stays in it.
type knownPerms struct {
	mu   sync.Mutex
	keys map[string]bool // nil until loaded
}

// missing returns those of perms that no Permission node has, loading the
// set when it does not hold them all (one query).
func (k *knownPerms) missing(ctx context.Context, db *ogm.DB, perms []string) ([]string, error) {
	if len(perms) == 0 {
		return nil, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	lacks := func() []string {
		var out []string
		for _, p := range perms {
			if !k.keys[p] {
				out = append(out, p)
			}
		}
		return out
	}
	if k.keys != nil {
		if out := lacks(); len(out) == 0 {
			return nil, nil
		}
	}
	all, err := auth.PermissionNodes(db).All(ctx)
	if err != nil {
		return nil, err
	}
	keys := make(map[string]bool, len(all))
	for _, p := range all {
		keys[p.AppLabel+"."+p.Codename] = true
	}
	k.keys = keys
	return lacks(), nil
}

// checkPerms fails with an error matching auth.ErrUnknownPermission when
// one of perms does not exist (as auth.HasPerm does, for every user).
func (m *Manager[T]) checkPerms(ctx context.Context, perms []string) error {
	missing, err := m.known.missing(ctx, m.db, perms)
	if err != nil || len(missing) == 0 {
		return err
	}
	quoted := make([]string, len(missing))
	for i, p := range missing {
		quoted[i] = strconv.Quote(p)
	}
	return fmt.Errorf("authhttp: %w: %s (no Permission node has it: is it misspelt, or were the permissions never installed with gonode install-labels?)", auth.ErrUnknownPermission, strings.Join(quoted, ", "))
}

// mustPermNames panics unless every one of perms has the form
// "app_label.codename" (as the generated Perm constants do): a guard built
// with another string could never pass, a programming error that the
// guard's construction reports, as http.ServeMux does a bad pattern.
func mustPermNames(guard string, perms ...string) {
	for _, p := range perms {
		app, code, ok := strings.Cut(p, ".")
		if !ok || app == "" || code == "" || strings.ContainsAny(p, " \t\r\n") {
			panic(fmt.Sprintf("authhttp: %s: %q is not a permission name (\"app_label.codename\", such as a generated Perm constant)", guard, p))
		}
	}
}

// userHasPerms answers "does u have every one of perms" from the
// permissions loaded for the request (all of u's, one query), with Django's
// rules: an inactive user has none, an active superuser has all. Whether
// they exist is checked before (checkPerms).
func userHasPerms(u *auth.User, loaded map[string]bool, perms []string) bool {
	if !auth.IsActive(u) {
		return false
	}
	if u.IsSuperuser {
		return true
	}
	for _, p := range perms {
		if !loaded[p] {
			return false
		}
	}
	return true
}
