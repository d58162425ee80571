package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/emailuser"
	"github.com/gonode/gonode/ogm"
)

// emailAddr returns a random address whose domain is in mixed case, which
// CreateUser and Authenticate lower-case.
func emailAddr(t testing.TB, prefix string) (typed, stored string) {
	t.Helper()
	local := uniq(t, prefix)
	return local + "@Example.ORG", local + "@example.org"
}

// countEmailUsers counts the EmailUser nodes whose login_email is v.
func countEmailUsers(t testing.TB, db *ogm.DB, v string) int {
	t.Helper()
	n, err := emailuser.EmailUserNodes(db).Filter(emailuser.EmailUserLoginEmail.Eq(v)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCustomUserModel: EmailUser (username_field: login_email,
// required_fields: [first_name]) is created and authenticated through its
// model, by email; the default User is unaffected.
func TestCustomUserModel(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	cfg := cheap()
	cfg.UserModel = emailuser.EmailUserModel

	// CreateUser follows Config.UserModel: its username is the email.
	typed, stored := emailAddr(t, "ann")
	u, err := cfg.CreateUser(ctx, db, typed, "", ogm.Ptr("pw-ann-1"), func(u *auth.User) { u.FirstName = "Ann" })
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, u)
	if got := labelsOf(t, db, u.ElementID()); strings.Join(got, ":") != "User:EmailUser" {
		t.Errorf("labels %v", got)
	}
	props := storedProps(t, db, u.ElementID())
	if props["login_email"] != stored || props["username"] != stored || props["first_name"] != "Ann" {
		t.Errorf("stored %v", props)
	}
	ann, err := emailuser.EmailUserFromModel(ctx, u)
	if err != nil || ann.LoginEmail != stored {
		t.Fatalf("FromModel: %+v, %v", ann, err)
	}

	// Authenticate by email (normalized as CreateUser did).
	for _, login := range []string{typed, stored} {
		got, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: login, Password: "pw-ann-1"})
		if err != nil || got.ElementID() != u.ElementID() {
			t.Fatalf("authenticate %q: %v, %v", login, got, err)
		}
	}
	other, _ := emailAddr(t, "nobody")
	for name, creds := range map[string]auth.Credentials{
		"wrong email":    {Username: other, Password: "pw-ann-1"},
		"wrong password": {Username: stored, Password: "pw-ann-2"},
		"empty email":    {Password: "pw-ann-1"},
	} {
		if got, err := cfg.Authenticate(ctx, db, creds); got != nil || !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("%s: %v, %v; want ErrInvalidCredentials", name, got, err)
		}
	}

	// The backend's GetUser and the model's GetByNaturalKey look users up
	// by email too.
	backend := auth.ModelBackend{Hashers: cheapHashers, Model: emailuser.EmailUserModel}
	if got, err := backend.GetUser(ctx, db, stored); err != nil || got == nil || got.ElementID() != u.ElementID() {
		t.Errorf("GetUser: %v, %v", got, err)
	}
	if got, err := emailuser.EmailUserModel.GetByNaturalKey(ctx, db, stored); err != nil || got.FirstName != "Ann" {
		t.Errorf("GetByNaturalKey: %v, %v", got, err)
	}
	if _, err := emailuser.EmailUserModel.GetByNaturalKey(ctx, db, typed); !errors.Is(err, ogm.ErrDoesNotExist) {
		t.Errorf("GetByNaturalKey does not normalize: %v", err)
	}

	// A required field missing: refused before anything is written.
	typed2, stored2 := emailAddr(t, "nofirst")
	_, err = cfg.CreateUser(ctx, db, typed2, "", ogm.Ptr("pw-ann-1"))
	var ve *ogm.ValidationError
	if !errors.As(err, &ve) || ve.Prop != "first_name" || ve.Rule != "required" || !errors.Is(err, ogm.ErrValidation) {
		t.Errorf("missing first_name: %v", err)
	}
	// The username field missing.
	if _, err := auth.CreateUserAs(ctx, db, emailuser.EmailUserModel, &emailuser.EmailUser{User: auth.User{FirstName: "X", Username: uniq(t, "nologin")}}); !errors.Is(err, auth.ErrInvalidUsername) {
		t.Errorf("missing login_email: %v", err)
	}
	if n := countEmailUsers(t, db, stored2); n != 0 {
		t.Errorf("%d users written by refused creates", n)
	}

	// CreateUserAs sets the model's own fields; an explicit username is
	// kept.
	typed3, stored3 := emailAddr(t, "bob")
	bobName := uniq(t, "bob")
	bob, err := auth.CreateUserAs(ctx, db, emailuser.EmailUserModel, &emailuser.EmailUser{
		User:       auth.User{Username: bobName, FirstName: "Bob"},
		LoginEmail: typed3,
		Department: "R&D",
	})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, bob)
	if bob.LoginEmail != stored3 || bob.Username != bobName || bob.HasUsablePassword() {
		t.Errorf("bob: %q %q %q", bob.LoginEmail, bob.Username, bob.Password)
	}

	// A subclass inherits the model: its users log in by email through
	// EmailUserModel too.
	typed4, stored4 := emailAddr(t, "staff")
	staff := &emailuser.StaffEmailUser{EmailUser: emailuser.EmailUser{User: auth.User{FirstName: "Sam"}, LoginEmail: typed4}, Badge: "42"}
	if err := cfg.SetPassword(&staff.User, "pw-staff-1"); err != nil {
		t.Fatal(err)
	}
	staff, err = auth.CreateUserAs(ctx, db, emailuser.StaffEmailUserModel, staff)
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, staff)
	if got, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: stored4, Password: "pw-staff-1"}); err != nil || got.ElementID() != staff.ElementID() {
		t.Errorf("subclass: %v, %v", got, err)
	}

	// CreateSuperuser follows the model as well.
	typed5, stored5 := emailAddr(t, "root")
	root, err := cfg.CreateSuperuser(ctx, db, typed5, "", "pw-root-1", func(u *auth.User) { u.FirstName = "Root" })
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, root)
	if props := storedProps(t, db, root.ElementID()); props["login_email"] != stored5 || props["is_superuser"] != true {
		t.Errorf("superuser: %v", props)
	}
}

// TestDefaultUserBesideCustomModel: plain users keep logging in by
// username, with the default model or a chain that asks both models; the
// custom model does not find them.
func TestDefaultUserBesideCustomModel(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	plain := newUser(t, db, "plain", ogm.Ptr("pw-plain-1"))
	creds := auth.Credentials{Username: plain.Username, Password: "pw-plain-1"}

	if got, err := cheap().Authenticate(ctx, db, creds); err != nil || got.ElementID() != plain.ElementID() {
		t.Fatalf("default model: %v, %v", got, err)
	}
	custom := cheap()
	custom.UserModel = emailuser.EmailUserModel
	if got, err := custom.Authenticate(ctx, db, creds); got != nil || !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("a plain user through the EmailUser model: %v, %v", got, err)
	}

	typed, _ := emailAddr(t, "chain")
	eu, err := custom.CreateUser(ctx, db, typed, "", ogm.Ptr("pw-chain-1"), func(u *auth.User) { u.FirstName = "Chain" })
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, eu)
	both := cheap()
	both.Backends = []auth.Backend{
		auth.ModelBackend{Hashers: cheapHashers, Model: emailuser.EmailUserModel},
		auth.ModelBackend{Hashers: cheapHashers}, // UserModel
	}
	for _, c := range []auth.Credentials{creds, {Username: typed, Password: "pw-chain-1"}} {
		if _, err := both.Authenticate(ctx, db, c); err != nil {
			t.Errorf("chain, %q: %v", c.Username, err)
		}
	}
	// Explicitly the default model: the same as nil.
	explicit := cheap()
	explicit.UserModel = auth.UserModel
	if got, err := explicit.Authenticate(ctx, db, creds); err != nil || got.ElementID() != plain.ElementID() {
		t.Errorf("UserModel: %v, %v", got, err)
	}
}

// TestPromoteToCustomModel: Promote applies the model's rules.
func TestPromoteToCustomModel(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	u := newUser(t, db, "promo", ogm.Ptr("pw-promo-1"))
	if _, err := auth.Promote(ctx, db, u, emailuser.EmailUserModel); !errors.Is(err, auth.ErrInvalidUsername) {
		t.Fatalf("promote without login_email: %v", err)
	}
	if got := labelsOf(t, db, u.ElementID()); strings.Join(got, ":") != "User" {
		t.Fatalf("a refused Promote changed the labels: %v", got)
	}
	typed, stored := emailAddr(t, "promo")
	if _, err := auth.Promote(ctx, db, u, emailuser.EmailUserModel, func(e *emailuser.EmailUser) { e.LoginEmail = typed }); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("promote without first_name: %v", err)
	}
	eu, err := auth.Promote(ctx, db, u, emailuser.EmailUserModel, func(e *emailuser.EmailUser) { e.LoginEmail, e.FirstName = typed, "Pro" })
	if err != nil {
		t.Fatal(err)
	}
	if eu.LoginEmail != stored || eu.Username != u.Username {
		t.Errorf("promoted %q %q", eu.LoginEmail, eu.Username)
	}
	cfg := cheap()
	cfg.UserModel = emailuser.EmailUserModel
	if got, err := cfg.Authenticate(ctx, db, auth.Credentials{Username: typed, Password: "pw-promo-1"}); err != nil || got.ElementID() != u.ElementID() {
		t.Errorf("authenticate the promoted user: %v, %v", got, err)
	}
}

// TestCustomModelLoginTaken: the uniqueness constraint install-labels
// creates on the username field makes a second user with the same email
// fail with ErrUsernameTaken.
func TestCustomModelLoginTaken(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	items, err := ogm.InstallLabels(ctx, db, emailuser.Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Drop only the constraints and indexes of the test labels that
		// this test created.
		for _, it := range items {
			if !it.Created || (it.Owner != "EmailUser" && it.Owner != "StaffEmailUser") {
				continue
			}
			kind := "INDEX"
			if strings.Contains(it.Kind, "constraint") {
				kind = "CONSTRAINT"
			}
			if _, err := db.Cypher(context.Background(), "DROP "+kind+" "+ogm.Quote(it.Name)+" IF EXISTS", nil); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
	})
	typed, stored := emailAddr(t, "dup")
	first, err := auth.CreateUserAs(ctx, db, emailuser.EmailUserModel, &emailuser.EmailUser{User: auth.User{FirstName: "One"}, LoginEmail: typed})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, first)
	second, err := auth.CreateUserAs(ctx, db, emailuser.EmailUserModel, &emailuser.EmailUser{User: auth.User{FirstName: "Two", Username: uniq(t, "two")}, LoginEmail: stored})
	if err == nil {
		cleanup(t, db, second)
		if !constraintExists(t, db, "constraint_unique_EmailUser_login_email") {
			t.Skip("the constraint was dropped meanwhile by another test of the shared server")
		}
		t.Fatal("a second user with the same login_email was created")
	}
	if !errors.Is(err, auth.ErrUsernameTaken) || !errors.Is(err, ogm.ErrConstraint) {
		t.Errorf("duplicate login_email: %v", err)
	}
}

// TestUserOf: the User inside a *User, a subclass and a subclass of a
// subclass; nil for anything else.
func TestUserOf(t *testing.T) {
	u := &auth.User{Username: "u"}
	if auth.UserOf(u) != u {
		t.Error("UserOf(*User) is not the user")
	}
	e := &emailuser.EmailUser{}
	if auth.UserOf(e) != &e.User {
		t.Error("UserOf(*EmailUser) is not its embedded User")
	}
	for _, v := range []any{nil, auth.User{}, &auth.Group{}, "user"} {
		if got := auth.UserOf(v); got != nil {
			t.Errorf("UserOf(%T) = %v, want nil", v, got)
		}
	}
}
