package auth

import (
	"time"

	"github.com/gonode/gonode/auth/hashers"
	"github.com/gonode/gonode/auth/tokens"
	"github.com/gonode/gonode/auth/validators"
)

// Config is the Go form of Django's auth settings: the hashers
// (PASSWORD_HASHERS), the chain of backends (AUTHENTICATION_BACKENDS), the
// user model (AUTH_USER_MODEL), the password validators
// (AUTH_PASSWORD_VALIDATORS), the secret that signs password reset tokens
// and session auth hashes (SECRET_KEY), their timeout
// (PASSWORD_RESET_TIMEOUT) and the zone they count time in (TIME_ZONE).
//
// There is no package-level configuration to change: the package-level
// functions ([CreateUser], [Authenticate], [CheckPassword], …) and the
// methods of [User] behave as the methods of a nil *Config, which uses
// Django's defaults. An application that needs other settings (cheap hashers
// in tests, its own backends, a secret for reset tokens) builds one Config
// and calls its methods. A nil *Config is valid; a Config must not be
// changed once in use, and is then safe for concurrent use.
type Config struct {
	// Hashers makes new password hashes with its preferred hasher and
	// checks existing ones. nil means hashers.Default(): PBKDF2-SHA256 with
	// Django 5.2's 1,000,000 iterations first.
	Hashers *hashers.Registry

	// Backends is the chain Authenticate asks, in order. nil means one
	// ModelBackend using Hashers and UserModel.
	Backends []Backend

	// UserModel is the user model (Django's AUTH_USER_MODEL): the node
	// type CreateUser and CreateSuperuser create, and whose users the
	// default backend finds by their username field. Set it to the
	// generated <Type>Model of a custom user model:
	//
	//	cfg := &auth.Config{UserModel: accounts.EmailUserModel}
	//	u, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: "ann@example.com", Password: pw})
	//
	// nil means UserModel (User nodes, logging in with username). A chain
	// set in Backends names its model in each ModelBackend.
	UserModel AnyModel

	// Validators check new passwords (ValidatePassword and the gonode auth
	// commands). nil means validators.Default(); an empty, non-nil slice
	// means no validation.
	Validators []validators.Validator

	// SecretKey signs password reset tokens and session auth hashes. It
	// must be set for the token and session hash functions, which fail
	// with ErrNoSecretKey without it.
	SecretKey string
	// SecretKeyFallbacks are earlier secrets whose tokens and session
	// hashes still check, to rotate SecretKey.
	SecretKeyFallbacks []string
	// PasswordResetTimeout is how long a reset token stays valid; 0 means
	// tokens.DefaultTimeout (3 days).
	PasswordResetTimeout time.Duration
	// PKProperty is the stored key of the user model's property that
	// holds a user's Django primary key (an int or string property, such
	// as django_id: {type: int, unique: true} on the model's node type,
	// filled when the users were moved from Django), which reset tokens
	// sign as Django signs str(user.pk): tokens that the Django site
	// makes then check here, and the other way round. "" (the default)
	// signs the username, which identifies a gonode user as a pk does a
	// Django one; so does a user whose property is unset (one created
	// after the move). With it set, the token functions need the user as
	// a value of UserModel's type (a *models.Member, as AuthenticateAs
	// returns it), since *User does not hold the property.
	PKProperty string
	// Location is Django's TIME_ZONE: reset tokens count their seconds on
	// its wall clock, as Django counts them on its naive local time, so
	// that a site with TIME_ZONE = "Europe/Paris" and gonode agree on
	// when a token expires. nil means UTC (what django-admin startproject
	// writes; a settings file without TIME_ZONE means America/Chicago).
	// Last logins are signed in UTC either way, as Django with USE_TZ =
	// True (its default) stores them.
	Location *time.Location

	// Now returns the current time, for last_login and reset tokens; nil
	// means time.Now. Its location does not matter: tokens read it in
	// Location.
	Now func() time.Time
}

// registry returns the hashers in use.
func (c *Config) registry() *hashers.Registry {
	if c == nil || c.Hashers == nil {
		return hashers.Default()
	}
	return c.Hashers
}

// backends returns the chain in use.
func (c *Config) backends() []Backend {
	if c == nil || c.Backends == nil {
		var m AnyModel
		if c != nil {
			m = c.UserModel
		}
		return []Backend{ModelBackend{Hashers: c.registry(), Model: m}}
	}
	return c.Backends
}

// now returns the current time.
func (c *Config) now() time.Time {
	if c == nil || c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// tokenGenerator returns the password reset token generator of c.
func (c *Config) tokenGenerator() tokens.Generator {
	if c == nil {
		return tokens.Generator{}
	}
	g := tokens.Generator{Secret: c.SecretKey, SecretFallbacks: c.SecretKeyFallbacks, Timeout: c.PasswordResetTimeout, Location: c.Location, Now: c.Now}
	if g.Location == nil {
		g.Location = time.UTC
	}
	return g
}
