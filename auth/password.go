package auth

import (
	"context"

	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/auth/validators"
	"github.com/gonode/gonode/ogm"
)

// SetPassword hashes raw with the default preferred hasher and stores the
// hash in u.Password, without saving (Django's set_password); see
// [Config.SetPassword].
func (u *User) SetPassword(raw string) error { return (*Config)(nil).SetPassword(u, raw) }

// CheckPassword reports whether raw is u's password, with the default
// hashers; see [Config.CheckPassword].
func (u *User) CheckPassword(ctx context.Context, raw string) (bool, error) {
	return (*Config)(nil).CheckPassword(ctx, u, raw)
}

// SetUnusablePassword gives u a password that no input matches (Django's
// set_unusable_password), without saving: "!" and 40 random characters.
func (u *User) SetUnusablePassword() { u.Password = hashers.MakeUnusable() }

// HasUsablePassword reports whether u.Password is not an unusable password
// (Django's has_usable_password). As in Django, an empty password counts as
// usable, although no input matches it.
func (u *User) HasUsablePassword() bool { return hashers.IsUsable(u.Password) }

// UserAttr returns the attribute the password validators compare passwords
// with ("username", "first_name", "last_name" or "email"), so that a *User
// is a validators.UserAttrs.
func (u *User) UserAttr(name string) string {
	switch name {
	case "username":
		return u.Username
	case "first_name":
		return u.FirstName
	case "last_name":
		return u.LastName
	case "email":
		return u.Email
	}
	return ""
}

// SetPassword hashes raw with c's preferred hasher and a new salt and
// stores the encoded hash in u.Password. Nothing is saved: call Save, or
// ChangePassword to write the password alone.
func (c *Config) SetPassword(u *User, raw string) error {
	encoded, err := c.registry().Make(raw)
	if err != nil {
		return err
	}
	u.Password = encoded
	return nil
}

// CheckPassword reports whether raw matches u.Password (Django's
// check_password). An unusable or empty password never matches, and takes
// as long to refuse as a real one; so does a legacy md5, sha1 or unsalted
// hash, or one of a lower cost than its hasher's (see
// hashers.Registry.Check).
//
// When raw matches a hash that is not of c's preferred algorithm and cost
// (a hash made by Django with fewer iterations, or with another hasher),
// the password is hashed again with the preferred hasher and only the
// password property is written, with one parameterised SET (the rest of u
// is not saved). A user not saved yet is only updated in memory. The error
// reports a hash that cannot be read (hashers.ErrUnknownAlgorithm,
// hashers.ErrMalformedHash) or a failed upgrade.
func (c *Config) CheckPassword(ctx context.Context, u *User, raw string) (bool, error) {
	ok, hashErr, saveErr := c.checkPassword(ctx, u, raw)
	if hashErr != nil {
		return false, hashErr
	}
	return ok, saveErr
}

// checkPassword is CheckPassword telling a hash that cannot be read
// (hashErr, which a backend counts as a mismatch, as Django does) from a
// failed upgrade (saveErr).
func (c *Config) checkPassword(ctx context.Context, u *User, raw string) (ok bool, hashErr, saveErr error) {
	ok, upgrade, err := c.registry().Check(raw, u.Password)
	if err != nil || !ok {
		return false, err, nil
	}
	if upgrade {
		var err error
		if u.IsSaved() {
			err = c.ChangePassword(ctx, u, raw)
		} else {
			err = c.SetPassword(u, raw) // in memory only
		}
		if err != nil {
			return false, nil, err
		}
	}
	return true, nil, nil
}

// ChangePassword sets u's password to raw, hashed with c's preferred
// hasher, and writes only the password property (one parameterised SET).
// It does not validate raw: call ValidatePassword first where a person
// chose it. Changing the password invalidates the user's password reset
// tokens and session auth hashes.
func (c *Config) ChangePassword(ctx context.Context, u *User, raw string) error {
	old := u.Password
	if err := c.SetPassword(u, raw); err != nil {
		return err
	}
	if err := ogm.SaveProps(ctx, UserType, u, UserPassword.Key()); err != nil {
		u.Password = old
		return err
	}
	return nil
}

// ChangePassword sets and saves u's password with the default hashers; see
// [Config.ChangePassword].
func ChangePassword(ctx context.Context, u *User, raw string) error {
	return (*Config)(nil).ChangePassword(ctx, u, raw)
}

// ValidatePassword checks raw with c's validators (Django's
// validate_password): nil when it passes, or a validators.Errors listing
// every rule it breaks. u may be nil; when it is not, raw is also compared
// with u's username, names and email.
func (c *Config) ValidatePassword(raw string, u *User) error {
	var vs []validators.Validator
	if c != nil && c.Validators != nil {
		if len(c.Validators) == 0 {
			return nil
		}
		vs = c.Validators
	}
	var attrs validators.UserAttrs
	if u != nil {
		attrs = u
	}
	return validators.Validate(raw, attrs, vs...)
}

// ValidatePassword checks raw with Django's default validators; see
// [Config.ValidatePassword].
func ValidatePassword(raw string, u *User) error { return (*Config)(nil).ValidatePassword(raw, u) }
