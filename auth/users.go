package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gonode/gonode/ogm"
)

// UsernameMaxLength is the most characters (code points) a username may
// have, as the schema's max_length and Django's User.username.
const UsernameMaxLength = 150

// Errors of user creation, for errors.Is.
var (
	// ErrInvalidUsername: the username is empty or longer than
	// UsernameMaxLength characters.
	ErrInvalidUsername = errors.New("auth: invalid username")
	// ErrUsernameTaken: a user with this username exists already. The
	// error also matches ogm.ErrConstraint: the uniqueness constraint that
	// install-labels creates (constraint_unique_User_username) refused the
	// write.
	ErrUsernameTaken = errors.New("auth: username taken")
	// ErrPasswordRequired: CreateSuperuser was given an empty password.
	ErrPasswordRequired = errors.New("auth: a password is required")
	// ErrNotUserType: the node type given to CreateUserAs or Promote does
	// not extend User.
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
	if n := utf8.RuneCountInString(username); n > UsernameMaxLength {
		return "", fmt.Errorf("%w: %d characters, at most %d allowed", ErrInvalidUsername, n, UsernameMaxLength)
	}
	if username == "" {
		return "", fmt.Errorf("%w: the username must be set", ErrInvalidUsername)
	}
	out := norm.NFKC.String(username)
	if n := utf8.RuneCountInString(out); n > UsernameMaxLength {
		return "", fmt.Errorf("%w: %d characters once normalized, at most %d allowed", ErrInvalidUsername, n, UsernameMaxLength)
	}
	return out, nil
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
// default hashers; see [Config.CreateUser].
func CreateUser(ctx context.Context, db *ogm.DB, username, email string, password *string, opts ...UserOption) (*User, error) {
	return (*Config)(nil).CreateUser(ctx, db, username, email, password, opts...)
}

// CreateSuperuser creates a superuser with the default hashers; see
// [Config.CreateSuperuser].
func CreateSuperuser(ctx context.Context, db *ogm.DB, username, email, password string, opts ...UserOption) (*User, error) {
	return (*Config)(nil).CreateSuperuser(ctx, db, username, email, password, opts...)
}

// CreateUser creates and returns a user (Django's UserManager.create_user):
// the username is normalized with [NormalizeUsername] and the email with
// [NormalizeEmail], the password is hashed with c's preferred hasher, and a
// nil password gives the user an unusable password (it can then log in only
// through another backend, until SetPassword). opts set further fields
// before the node is written; defaults apply to what they leave unset
// (is_active true, date_joined now).
//
//	u, err := auth.CreateUser(ctx, db, "john", "john@example.com", ogm.Ptr("johnpassword"))
//
// Usernames are unique through the constraint that install-labels creates
// (gonode install-labels, or ogm.InstallLabels(ctx, db, auth.Schema));
// CreateUser installs nothing itself. When the username exists, the error
// matches both [ErrUsernameTaken] and ogm.ErrConstraint. Other failures are
// [ErrInvalidUsername], ogm.ErrValidation (a malformed email, a field too
// long) and the database's errors.
func (c *Config) CreateUser(ctx context.Context, db *ogm.DB, username, email string, password *string, opts ...UserOption) (*User, error) {
	u := &User{Username: username, Email: email}
	for _, opt := range opts {
		opt(u)
	}
	if password != nil {
		if err := c.SetPassword(u, *password); err != nil {
			return nil, err
		}
	}
	return CreateUserAs(ctx, db, UserType, u)
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

// CreateUserAs creates v, a node of typ, which extends User (for example a
// generated TwitterUser with "extends: auth.User"), as CreateUser creates a
// User: v.Username and v.Email are normalized, a taken username fails with
// [ErrUsernameTaken], and an empty v.Password is replaced by an unusable
// one. Set the password beforehand with [User.SetPassword] (or
// [Config.SetPassword]); v is written with all of typ's labels, so it is a
// User to every function of this package.
//
//	jack := &twitter.TwitterUser{User: auth.User{Username: "jack"}}
//	if err := jack.SetPassword("jackpassword"); err != nil { … }
//	jack, err := auth.CreateUserAs(ctx, db, twitter.TwitterUserType, jack)
//
// typ must carry the User label ([ErrNotUserType] otherwise).
func CreateUserAs[T any, P interface {
	*T
	authUser() *User
}](ctx context.Context, db *ogm.DB, typ *ogm.NodeType[T], v P) (P, error) {
	if !slices.Contains(typ.Labels, UserType.Label) {
		return nil, fmt.Errorf("%w: %s", ErrNotUserType, typ.Name)
	}
	u := v.authUser()
	name, err := NormalizeUsername(u.Username)
	if err != nil {
		return nil, err
	}
	u.Username = name
	u.Email = NormalizeEmail(u.Email)
	if u.Password == "" {
		u.SetUnusablePassword()
	}
	if _, err := ogm.NewNodes(db, typ).Create(ctx, (*T)(v)); err != nil {
		return nil, usernameTaken(err, u.Username)
	}
	return v, nil
}

// authUser returns u; a type that embeds User (a generated subclass)
// inherits it, which lets generic functions reach the User inside.
func (u *User) authUser() *User { return u }

// usernameTaken turns the uniqueness violation on username into an error
// that matches ErrUsernameTaken as well as ogm.ErrConstraint.
func usernameTaken(err error, username string) error {
	var e *ogm.Error
	if errors.Is(err, ogm.ErrConstraint) && errors.As(err, &e) && strings.Contains(e.Msg, UserUsername.Key()) {
		return fmt.Errorf("%w: %q: %w", ErrUsernameTaken, username, err)
	}
	return err
}

// GetByNaturalKey returns the user whose username is exactly username
// (Django's get_by_natural_key: no normalization). It fails with
// ogm.ErrDoesNotExist when there is none.
func GetByNaturalKey(ctx context.Context, db *ogm.DB, username string) (*User, error) {
	return UserNodes(db).Get(ctx, UserUsername.Eq(username))
}
