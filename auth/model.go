package auth

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gonode/gonode/ogm"
)

// Model describes a user model: a node type whose nodes are users (User,
// or a type that extends it), with the property users log in with and the
// properties creating one requires (Django's custom user model, with its
// USERNAME_FIELD and REQUIRED_FIELDS). gonode generate declares one for
// every user type of a schema, named <Type>Model: [UserModel] for User,
// and for example
//
//	EmailUser:
//	  extends: auth.User
//	  username_field: login_email   # default: the parent's; auth.User's is username
//	  required_fields: [first_name] # default: the parent's; auth.User's are none
//	  properties:
//	    login_email: {type: email, unique: true}
//
// gives EmailUserModel, a *Model[EmailUser]. Create users of a model with
// [CreateUserAs] (or [Config.CreateUser] with Config.UserModel set), and
// set [Config.UserModel] (or the Model of a [ModelBackend]) so that
// Authenticate finds them by their username field.
//
// A Model is read-only once in use, and then safe for concurrent use.
type Model[T any] struct {
	// Type is the node type of the model's users. Its nodes carry the User
	// label (T embeds User), and Authenticate matches its own label.
	Type *ogm.NodeType[T]
	// UsernameField is the property users log in with (username_field): a
	// unique string or email property. Its value is the "username" of
	// Credentials, of CreateUser and of GetUser.
	UsernameField Field
	// RequiredFields are the properties that creating a user requires
	// besides the username field and the password (required_fields).
	RequiredFields []Field
	// Username returns a pointer to v's username field, which
	// CreateUserAs normalizes.
	Username func(v *T) *string
}

// Field is a property of a user model.
type Field struct {
	Name      string // schema name, e.g. "first_name"
	Key       string // stored key: db_property, else Name
	Type      string // schema type, e.g. "string" or "email"
	MaxLength int    // the property's max_length; 0 when it has none
}

// AnyModel is a user model of any node type: every *Model[T] is one. It is
// what [Config.UserModel] and the Model field of [ModelBackend] and
// [AllowAllUsersModelBackend] hold, since those do not depend on the Go type
// of the users.
type AnyModel interface {
	// usernameField is the property users log in with.
	usernameField() Field
	// getUser returns the user of the model whose username field is
	// exactly username, as a value of the model's type (a *T), or nil,
	// nil.
	getUser(ctx context.Context, db *ogm.DB, username string) (UserNode, error)
	// createUser is Config.CreateUser for the model.
	createUser(ctx context.Context, db *ogm.DB, c *Config, username, email string, password *string, opts []UserOption) (*User, error)
	// encode returns the stored properties of u, a value of the model's
	// type (or of a type extending it); ok is false when u is not one.
	encode(u UserNode) (props map[string]any, ok bool, err error)
	// typeName is the name of the model's node type.
	typeName() string
}

func (m *Model[T]) usernameField() Field { return m.UsernameField }

func (m *Model[T]) typeName() string { return m.Type.Name }

func (m *Model[T]) encode(u UserNode) (map[string]any, bool, error) {
	v := embedded[T](u)
	if v == nil {
		return nil, false, nil
	}
	if m.Type.Encode == nil {
		return map[string]any{}, true, nil
	}
	props, err := m.Type.Encode(v)
	return props, true, err
}

// userOf returns the User that v, a value of a user type, embeds.
func userOf[T any](v *T) (*User, error) {
	h, ok := any(v).(interface{ authUser() *User })
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrNotUserType, v)
	}
	return h.authUser(), nil
}

// check refuses a model whose type is not a user type.
func (m *Model[T]) check() error {
	if m.Type == nil || m.Username == nil {
		return fmt.Errorf("auth: incomplete user model (Type and Username must be set)")
	}
	if !slices.Contains(m.Type.Labels, UserType.Label) {
		return fmt.Errorf("%w: %s", ErrNotUserType, m.Type.Name)
	}
	return nil
}

// GetByNaturalKey returns the user of the model whose username field is
// exactly username (Django's get_by_natural_key: no normalization). It
// fails with ogm.ErrDoesNotExist when there is none.
func (m *Model[T]) GetByNaturalKey(ctx context.Context, db *ogm.DB, username string) (*T, error) {
	return ogm.NewNodes[*T](db, m.Type).Get(ctx, ogm.NewStringProp[*T](m.UsernameField.Key).Eq(username))
}

func (m *Model[T]) getUser(ctx context.Context, db *ogm.DB, username string) (UserNode, error) {
	v, err := ogm.NewNodes[*T](db, m.Type).GetOrNone(ctx, ogm.NewStringProp[*T](m.UsernameField.Key).Eq(username))
	if err != nil || v == nil {
		return nil, err
	}
	n, ok := any(v).(UserNode)
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrNotUserType, v)
	}
	return n, nil
}

func (m *Model[T]) createUser(ctx context.Context, db *ogm.DB, c *Config, username, email string, password *string, opts []UserOption) (*User, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	v := new(T)
	u, err := userOf(v)
	if err != nil {
		return nil, err
	}
	u.Email = email
	*m.Username(v) = username
	for _, opt := range opts {
		opt(u)
	}
	if password != nil {
		if err := c.SetPassword(u, *password); err != nil {
			return nil, err
		}
	}
	if err := m.create(ctx, db, v); err != nil {
		return nil, err
	}
	return u, nil
}

// prepare applies the model's rules to v, a user about to be written:
// the username field is normalized and must be set, so must the required
// fields, and a user whose username field is not username gets its
// username from it when it has none.
func (m *Model[T]) prepare(v *T) error {
	u, err := userOf(v)
	if err != nil {
		return err
	}
	login := m.Username(v)
	name, err := normalizeLogin(m.UsernameField, *login)
	if err != nil {
		return err
	}
	*login = name
	if login != &u.Username {
		if u.Username == "" {
			u.Username = name
		}
		if u.Username, err = NormalizeUsername(u.Username); err != nil {
			return err
		}
	}
	u.Email = NormalizeEmail(u.Email)
	if len(m.RequiredFields) == 0 {
		return nil
	}
	props, err := m.Type.Encode(v)
	if err != nil {
		return err
	}
	var missing ogm.ValidationErrors
	for _, f := range m.RequiredFields {
		if props[f.Key] == nil {
			missing = append(missing, &ogm.ValidationError{Type: m.Type.Name, Prop: f.Name, Rule: "required", Msg: "required (a required field of the user model)"})
		}
	}
	if len(missing) > 0 {
		return missing
	}
	return nil
}

// create writes v, a new user of the model.
func (m *Model[T]) create(ctx context.Context, db *ogm.DB, v *T) error {
	if err := m.prepare(v); err != nil {
		return err
	}
	u, _ := userOf(v)
	if u.Password == "" {
		u.SetUnusablePassword()
	}
	if _, err := ogm.NewNodes[*T](db, m.Type).Create(ctx, v); err != nil {
		return m.usernameTaken(err, *m.Username(v))
	}
	return nil
}

// normalizeLogin normalizes the value of username field f as CreateUser
// stores it and Authenticate looks it up: an email's domain is
// lower-cased ([NormalizeEmail]); other values are put in NFKC
// ([NormalizeUsername]). It fails with ErrInvalidUsername for an empty
// value, and for one longer than f's max_length, before and after
// normalizing.
func normalizeLogin(f Field, v string) (string, error) {
	if f.MaxLength > 0 {
		if n := utf8.RuneCountInString(v); n > f.MaxLength {
			return "", fmt.Errorf("%w: %d characters, at most %d allowed", ErrInvalidUsername, n, f.MaxLength)
		}
	}
	var out string
	if f.Type == "email" {
		out = NormalizeEmail(v)
	} else {
		out = norm.NFKC.String(v)
	}
	if out == "" {
		return "", fmt.Errorf("%w: the %s must be set", ErrInvalidUsername, f.Name)
	}
	if f.MaxLength > 0 {
		if n := utf8.RuneCountInString(out); n > f.MaxLength {
			return "", fmt.Errorf("%w: %d characters once normalized, at most %d allowed", ErrInvalidUsername, n, f.MaxLength)
		}
	}
	return out, nil
}

// model returns the user model in use.
func (c *Config) model() AnyModel {
	if c == nil || c.UserModel == nil {
		return UserModel
	}
	return c.UserModel
}
