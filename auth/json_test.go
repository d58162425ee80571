package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/internal/authtest/twitter"
	"github.com/gonode/gonode/ogm"
)

// TestUserJSON: every way a service hands users to encoding/json — a user,
// a []*User, a struct holding or embedding one, a group whose Fetched
// holds users, a subtype whose Fetched holds subtypes — shows no password
// hash, against users created and read back from the real server; and a
// request body never sets the password.
func TestUserJSON(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	const raw = "json-secret-pw-31"
	u := newUser(t, db, "json", ogm.Ptr(raw))
	other := newUser(t, db, "json", ogm.Ptr("other-secret-pw-32"))
	group, err := auth.GroupNodes(db).Create(ctx, &auth.Group{Name: uniq(t, "jsongroup")})
	if err != nil {
		t.Fatal(err)
	}
	cleanup(t, db, group)
	for _, m := range []*auth.User{u, other} {
		if err := m.Groups().Connect(ctx, group); err != nil {
			t.Fatal(err)
		}
	}
	logged, err := cheap().Authenticate(ctx, db, auth.Credentials{Username: u.Username, Password: raw})
	if err != nil {
		t.Fatal(err)
	}
	g, err := auth.GroupNodes(db).Filter(auth.GroupName.Eq(group.Name)).FetchRelations(auth.GroupUsers).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := auth.UserNodes(db).Filter(auth.UserGroups.Where(auth.GroupName.Eq(group.Name))).FetchRelations(auth.UserGroups).All(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	tu := &twitter.TwitterUser{User: *other, Handle: "@other"}
	tu.Fetched.Follows = []*twitter.TwitterUser{{User: *logged, Handle: "@followed"}}
	secrets := append(append(hashParts(logged.Password), hashParts(other.Password)...), raw, "other-secret-pw-32")
	for _, v := range []struct {
		name  string
		v     any
		shows []string
	}{
		{"a *User", logged, []string{`"username":"` + u.Username + `"`, `"element_id":"` + u.ElementID() + `"`, `"last_login":"`}},
		{"a User", *logged, []string{`"username":"` + u.Username + `"`}},
		{"a []*User", users, []string{u.Username, other.Username, `"groups":[{`}},
		{"a struct holding a user", struct {
			User *auth.User `json:"user"`
			Role string     `json:"role"`
		}{logged, "admin"}, []string{`"user":{`, `"role":"admin"`}},
		// An embedded user's MarshalJSON is promoted to the struct, as
		// time.Time's is: the struct encodes as the user alone.
		{"a struct embedding a user", struct {
			auth.User
			Role string
		}{*logged, "admin"}, []string{`"username":"` + u.Username + `"`}},
		{"a group whose Fetched holds users", g, []string{`"fetched":{"users":[`, u.Username, other.Username}},
		{"a TwitterUser whose Fetched holds TwitterUsers", tu, []string{`"handle":"@other"`, `"fetched":{"follows":[{`, `"handle":"@followed"`}},
	} {
		b, err := json.Marshal(v.v)
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if found := secretsIn(string(b), secrets...); len(found) > 0 || strings.Contains(string(b), `"password"`) {
			t.Errorf("json.Marshal of %s shows %q: %s", v.name, found, b)
		}
		for _, s := range v.shows {
			if !strings.Contains(string(b), s) {
				t.Errorf("json.Marshal of %s lacks %s: %s", v.name, s, b)
			}
		}
	}
	// A request body with a password sets the rest only.
	hash := logged.Password
	if err := json.Unmarshal([]byte(`{"first_name": "Jo", "password": "pbkdf2_sha256$1$forged$forged", "is_superuser": true}`), logged); err != nil {
		t.Fatal(err)
	}
	if logged.Password != hash || logged.FirstName != "Jo" || !logged.IsSuperuser {
		t.Errorf("decoded %s", fmt.Sprintf("%+v", logged))
	}
	// The Fetched of a user tells what was loaded.
	if gs, err := users[0].Fetched.GroupsOrErr(); err != nil || len(gs) != 1 {
		t.Errorf("groups: %v %v", gs, err)
	}
	if _, err := users[0].Fetched.UserPermissionsOrErr(); err == nil {
		t.Error("user_permissions was not fetched, and OrErr says nothing")
	}
}
