package authhttp

// This file is the one place where the package meets parts of the auth API
// that issue #18 changes (a typed Authenticate, SessionAuthHash and the
// reset-token functions returning errors, a configurable reset-token key,
// generated JSON with sensitive properties left out). Each function below
// uses today's API; switching to the new one changes only this file.

import (
	"context"
	"encoding/base64"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// authenticate checks creds with the Manager's auth settings and returns
// the user as a *T. Today Config.Authenticate returns the *auth.User inside
// the model's value, so a model other than auth.User is read again as T
// (ogm.FromModel, one more query).
func (m *Manager[T]) authenticate(ctx context.Context, creds auth.Credentials) (*T, error) {
	au, err := m.cfg.Authenticate(ctx, m.db, creds)
	if err != nil {
		return nil, err
	}
	if u, ok := any(au).(*T); ok {
		return u, nil
	}
	return ogm.FromModel[*T](ctx, m.model.Type, au)
}

// createUser creates a user of the model and returns it as a *T (today
// with one more query for a model other than auth.User, as authenticate).
func (m *Manager[T]) createUser(ctx context.Context, username, email, password string) (*T, error) {
	au, err := m.cfg.CreateUser(ctx, m.db, username, email, &password)
	if err != nil {
		return nil, err
	}
	if u, ok := any(au).(*T); ok {
		return u, nil
	}
	return ogm.FromModel[*T](ctx, m.model.Type, au)
}

// sessionAuthHash returns u's session auth hash. Config.SessionAuthHash
// returns "" without a SecretKey (New refuses such a Config).
func (m *Manager[T]) sessionAuthHash(u *auth.User) (string, error) {
	return m.cfg.SessionAuthHash(u)
}

// checkSessionAuthHash reports whether stored is u's session auth hash
// (under the secret or a fallback), and returns the hash under the current
// secret.
func (m *Manager[T]) checkSessionAuthHash(u *auth.User, stored string) (ok bool, current string) {
	if ok, err := m.cfg.CheckSessionAuthHash(u, stored); !ok || err != nil {
		return false, ""
	}
	current, err := m.sessionAuthHash(u)
	if err != nil {
		return false, ""
	}
	return true, current
}

// makeResetToken returns a password reset token for u.
func (m *Manager[T]) makeResetToken(u *auth.User) (string, error) {
	return m.cfg.MakePasswordResetToken(u)
}

// checkResetToken reports whether token is a valid reset token for u.
func (m *Manager[T]) checkResetToken(u *auth.User, token string) bool {
	ok, err := m.cfg.CheckPasswordResetToken(u, token)
	return ok && err == nil
}

// resetUID is the uidb64 of u's reset link: Django's
// urlsafe_base64_encode(force_bytes(user.pk)), where the key is what
// tokens are bound to (auth.User.TokenState's PK: the username today).
func resetUID(u *auth.User) string {
	return base64.RawURLEncoding.EncodeToString([]byte(u.TokenState().PK))
}

// userByResetUID returns the user of the model whose reset key uid encodes,
// or nil when uid is malformed or names nobody.
func (m *Manager[T]) userByResetUID(ctx context.Context, uid string) (*T, error) {
	b, err := base64.RawURLEncoding.DecodeString(uid)
	if err != nil || len(b) == 0 || len(b) > 4*auth.UsernameMaxLength {
		return nil, nil
	}
	u, err := ogm.NewNodes[*T](m.db, m.model.Type).GetOrNone(ctx, ogm.NewStringProp[*T](auth.UserUsername.Key()).Eq(string(b)))
	if err != nil {
		return nil, err
	}
	return u, nil
}

// userJSON is what the JSON views say about a user: the public fields of
// auth.User, never the password hash. (Once the generated types encode
// themselves without their sensitive properties, this becomes the user
// itself.)
func userJSON(u *auth.User) map[string]any {
	out := map[string]any{
		"element_id":   u.ElementID(),
		"username":     u.Username,
		"is_staff":     u.IsStaff,
		"is_superuser": u.IsSuperuser,
	}
	for k, v := range map[string]string{"email": u.Email, "first_name": u.FirstName, "last_name": u.LastName} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// userHasPerms answers "does u have every one of perms" from the
// permissions loaded for the request (all of u's, one query), with Django's
// rules: an inactive user has none, an active superuser has all. An unknown
// permission is not held, except by a superuser, as auth.HasPerm answers
// today; when HasPerm reports unknown permissions as errors (issue #18),
// this is where the guards follow it.
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
