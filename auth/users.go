package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/gonode/gonode/ogm"
)

// UsernameMaxLength is the most characters (code points) a username may
// have, as the schema's max_length and Django's User.username.
const UsernameMaxLength = 150

// Errors of user creation, for errors.Is.
var (
	// ErrInvalidUsername: the username (the value of the user model's
	// username field) is empty, or longer than the field's max_length
	// (UsernameMaxLength characters for User's username).
	ErrInvalidUsername = errors.New("auth: invalid username")
	// ErrUsernameTaken: a user with this username (or, for a model whose
	// username field is another property, this value of it) exists
	// already. The error also matches ogm.ErrConstraint: the uniqueness
	// constraint that install-labels creates (constraint_unique_User_username,
	// constraint_unique_<Type>_<field>) refused the write.
	ErrUsernameTaken = errors.New("auth: username taken")
	// ErrPasswordRequired: CreateSuperuser was given an empty password.
	ErrPasswordRequired = errors.New("auth: a password is required")
	// ErrNotUserType: the user model given to CreateUserAs or Promote is
	// not of a node type that extends User.
	ErrNotUserType = errors.New("auth: node type does not extend auth.User")
)

// NormalizeUsername returns username in Unicode normalization form NFKC, as
// Django's AbstractBaseUser.normalize_username, so that look-alike spellings
// ("ｊｏｈｎ", "ﬁ") name one account. A username longer than
// UsernameMaxLength characters is refused before it is normalized (Django's
// UsernameField does the same since CVE-2023-46695: normalization can only
// make a string longer, and is slow on huge input); so is an empty one, and
// one that normalization makes too long.
func NormalizeUsername(username string) (string, error) {
	return normalizeLogin(Field{Name: "username", Type: "string", MaxLength: UsernameMaxLength}, username)
}

// NormalizeEmail lower-cases the domain part of an email address and trims
// the spaces around it, as Django's BaseUserManager.normalize_email: the
// part before the last "@" is kept as it is (mailbox names may be case
// sensitive). A value without "@" is returned unchanged.
func NormalizeEmail(email string) string {
	trimmed := strings.TrimSpace(email)
	at := strings.LastIndexByte(trimmed, '@')
	if at < 0 {
		return email
	}
	return trimmed[:at] + "@" + strings.ToLower(trimmed[at+1:])
}

// ValidateUsername reports whether username is made only of letters, digits
// and the characters @ . + - _ (Django's UnicodeUsernameValidator, which
// forms and the createsuperuser command apply; CreateUser, like Django's
// create_user, does not). The gonode auth commands call it.
func ValidateUsername(username string) error {
	if username == "" {
		return fmt.Errorf("%w: the username must be set", ErrInvalidUsername)
	}
	for _, r := range username {
		// Python's \w: letters, and digits and numbers of every kind.
		if r == '_' || r == '.' || r == '@' || r == '+' || r == '-' || unicode.IsLetter(r) || unicode.IsNumber(r) {
			continue
		}
		return fmt.Errorf("%w: %q may contain only letters, digits and @/./+/-/_ characters", ErrInvalidUsername, username)
	}
	return nil
}

// UserOption sets more fields of a user that CreateUser or CreateSuperuser
// is about to create (Django's **extra_fields), for example
//
//	func(u *auth.User) { u.FirstName, u.LastName = "John", "Lennon" }
type UserOption func(*User)

// CreateUser creates a user (Django's UserManager.create_user) with the
// default settings; see [Config.CreateUser].
func CreateUser(ctx context.Context, db *ogm.DB, username, email string, password *string, opts ...UserOption) (*User, error) {
	return (*Config)(nil).CreateUser(ctx, db, username, email, password, opts...)
}

// CreateSuperuser creates a superuser with the default settings; see
// [Config.CreateSuperuser].
func CreateSuperuser(ctx context.Context, db *ogm.DB, username, email, password string, opts ...UserOption) (*User, error) {
	return (*Config)(nil).CreateSuperuser(ctx, db, username, email, password, opts...)
}

// CreateUser creates and returns a user of c's user model (Django's
// UserManager.create_user): a User, or with [Config.UserModel] set a node of
// that model, returned as the User it embeds. username is the value of the
// model's username field (User's username; an email address for a model
// whose username field is one); it is normalized as [CreateUserAs] says,
// and the email with [NormalizeEmail]. The password is hashed with c's
// preferred hasher, and a nil password gives the user an unusable password
// (it can then log in only through another backend, until SetPassword).
// opts set further fields before the node is written, the model's required
// fields among them; defaults apply to what they leave unset (is_active
// true, date_joined now). Fields of a custom model beyond User's are set
// with [CreateUserAs].
//
//	u, err := auth.CreateUser(ctx, db, "john", "john@example.com", ogm.Ptr("johnpassword"))
//
// Usernames are unique through the constraint that install-labels creates
// (gonode install-labels, or ogm.InstallLabels(ctx, db, auth.Schema));
// CreateUser installs nothing itself. When the username exists, the error
// matches both [ErrUsernameTaken] and ogm.ErrConstraint. Other failures are
// [ErrInvalidUsername], ogm.ErrValidation (a malformed email, a field too
// long, a required field missing) and the database's errors.
func (c *Config) CreateUser(ctx context.Context, db *ogm.DB, username, email string, password *string, opts ...UserOption) (*User, error) {
	return c.model().createUser(ctx, db, c, username, email, password, opts)
}

// CreateSuperuser creates a user with IsStaff and IsSuperuser set, whatever
// opts say (Django's UserManager.create_superuser). A superuser needs a
// password: an empty one fails with [ErrPasswordRequired]. See
// [Config.CreateUser] for the rest.
func (c *Config) CreateSuperuser(ctx context.Context, db *ogm.DB, username, email, password string, opts ...UserOption) (*User, error) {
	if password == "" {
		return nil, ErrPasswordRequired
	}
	opts = append(slices.Clip(opts), func(u *User) { u.IsStaff, u.IsSuperuser = true, true })
	return c.CreateUser(ctx, db, username, email, &password, opts...)
}

// CreateUserAs creates v, a user of model m, and returns it: m is a
// generated <Type>Model, such as [UserModel] or a twitter.TwitterUserModel
// for a TwitterUser with "extends: auth.User". It follows the model, as
// CreateUser follows Config.UserModel:
//   - the username field (m.UsernameField) must be set; its value is
//     normalized, with [NormalizeEmail] for an email property and to NFKC
//     (as [NormalizeUsername]) otherwise, and a taken value fails with
//     [ErrUsernameTaken];
//   - the required fields (m.RequiredFields) must be set: a missing one
//     fails with an ogm.ValidationError (Rule "required") before anything
//     is written;
//   - when the username field is not username, an empty v.Username gets
//     the username field's value (User's username stays unique and
//     required: it keys sessions and reset tokens);
//   - v.Email is normalized, and an empty v.Password is replaced by an
//     unusable one.
//
// Set the password beforehand with [User.SetPassword] (or
// [Config.SetPassword]). v is written with all of m.Type's labels, so it is
// a User to every function of this package.
//
//	jack := &twitter.TwitterUser{User: auth.User{Username: "jack"}}
//	if err := jack.SetPassword("jackpassword"); err != nil { … }
//	jack, err := auth.CreateUserAs(ctx, db, twitter.TwitterUserModel, jack)
//
// m.Type must carry the User label ([ErrNotUserType] otherwise).
func CreateUserAs[T any, P interface {
	*T
	authUser() *User
}](ctx context.Context, db *ogm.DB, m *Model[T], v P) (P, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := m.create(ctx, db, (*T)(v)); err != nil {
		return nil, err
	}
	return v, nil
}

// authUser returns u; a type that embeds User (a generated subclass)
// inherits it, which lets generic functions reach the User inside.
func (u *User) authUser() *User { return u }

// UserOf returns the User that v holds: v itself for a *User, the User
// embedded in a value of a type that extends User (a generated subclass, at
// any depth, such as a *twitter.TwitterUser), and nil for any other value.
// Code that is generic over the user model (auth/authhttp) reaches the
// user's fields and the functions of this package through it.
func UserOf(v any) *User {
	if h, ok := v.(interface{ authUser() *User }); ok {
		return h.authUser()
	}
	return nil
}

// usernameTaken turns the uniqueness violation on the username field (or on
// username) into an error that matches ErrUsernameTaken as well as
// ogm.ErrConstraint.
func (m *Model[T]) usernameTaken(err error, username string) error {
	var e *ogm.Error
	if errors.Is(err, ogm.ErrConstraint) && errors.As(err, &e) &&
		(slices.Contains(e.Properties, m.UsernameField.Key) || slices.Contains(e.Properties, UserUsername.Key())) {
		return fmt.Errorf("%w: %q: %w", ErrUsernameTaken, username, err)
	}
	return err
}

// GetByNaturalKey returns the user whose username is exactly username
// (Django's get_by_natural_key: no normalization). It fails with
// ogm.ErrDoesNotExist when there is none. The generated models have the
// same method for their own username field (EmailUserModel.GetByNaturalKey).
func GetByNaturalKey(ctx context.Context, db *ogm.DB, username string) (*User, error) {
	return UserModel.GetByNaturalKey(ctx, db, username)
}
