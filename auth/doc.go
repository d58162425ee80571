// Package auth also holds the hand-written half of gonode's auth: users
// stored in Neo4j with Django-compatible passwords, a chain of
// authentication backends, permissions through users, groups and single
// nodes, subclassing of User, and password reset tokens.
//
// # Users and logins
//
//	u, err := auth.CreateUser(ctx, db, "john", "john@example.com", ogm.Ptr("johnpassword"))
//	u, err = auth.Authenticate(ctx, db, auth.Credentials{Username: "john", Password: "johnpassword"})
//	if errors.Is(err, auth.ErrInvalidCredentials) { /* wrong password, unknown or inactive user */ }
//
// The package-level functions use Django's defaults; a [Config] holds other
// settings (hashers, backends, validators, the secret of reset tokens) and
// has the same functions as methods:
//
//	cheap, _ := hashers.NewRegistry(hashers.PBKDF2SHA256{Iterations: 1000})
//	cfg := &auth.Config{Hashers: cheap, SecretKey: secret}
//	u, err = cfg.Authenticate(ctx, db, creds)
//
// Usernames are unique through the constraint that gonode install-labels
// creates; it also creates the Permission nodes of the schemas that import
// builtin:auth ([InstallPermissions]).
//
// # Permissions
//
// [HasPerm], [HasPerms], [HasModulePerms], [GetAllPermissions],
// [GetUserPermissions] and [GetGroupPermissions] answer in one query each
// from the graph: permissions granted to the user (User.UserPermissions),
// to its groups (User.Groups, Group.Permissions), every permission for an
// active superuser, none for an inactive user. [GrantPermOn] and
// [HasPermOn] do the same for one node (object permissions), stored as a
// relationship from the user or group to the node:
//
//	(:User|Group)-[:HAS_PERMISSION_ON {permission: "blog.change_post"}]->(post)
//
// As in django-guardian, a global grant does not imply an object one (an
// active superuser has both).
//
// gonode generate declares a constant for every permission a schema
// declares or implies (blog.PermPublishPost = "blog.publish_post",
// blog.PermAddPost; this package's own are [PermAddUser], …), under the
// schema's app_label (its package name by default). A permission that no
// Permission node has is an error matching [ErrUnknownPermission], for a
// superuser too, where Django answers False.
//
// # Subclasses and custom user models
//
// A schema node with "extends: auth.User" embeds User: its values are users
// to every function here (pass &v.User where a *User is asked for), it is
// created with [CreateUserAs] and its generated <Type>Model, and the *User
// that Authenticate returns becomes the subclass with the generated
// <Type>FromModel, or [Promote] when the node is a plain User. Printed
// (fmt, log/slog, encoding/json), such a value shows its own fields and
// Fetched and never the password hash, as a User does: the password is a
// sensitive property of the auth schema, so every type with it gets
// generated Format, MarshalJSON and LogValue methods (calling
// ogm.FormatRedacted, ogm.MarshalNode and ogm.NodeLogValue) that redact or
// leave it out, and a String of its own ("TwitterUser(jim)").
//
// Such a node may choose the property its users log in with and the fields
// creating one requires (Django's USERNAME_FIELD and REQUIRED_FIELDS):
//
//	EmailUser:
//	  extends: auth.User
//	  username_field: login_email
//	  required_fields: [first_name]
//	  properties:
//	    login_email: {type: email, unique: true}
//
// The generated EmailUserModel ([Model]) carries them. With
// Config.UserModel set to it, CreateUser creates EmailUser nodes (its
// username argument is the email) and Authenticate finds users by
// login_email on the EmailUser label:
//
//	cfg := &auth.Config{UserModel: accounts.EmailUserModel}
//	u, err := cfg.CreateUser(ctx, db, "ann@example.com", "", ogm.Ptr(pw),
//		func(u *auth.User) { u.FirstName = "Ann" })
//	u, err = cfg.Authenticate(ctx, db, auth.Credentials{Username: "ann@example.com", Password: pw})
//
// A chain of backends can serve several models, one [ModelBackend] each.
// [AuthenticateAs] returns the user as a value of the model's type, with
// no second query:
//
//	m, err := auth.AuthenticateAs[*accounts.EmailUser](ctx, cfg, db, creds)
//
// # Tokens, and Django interop
//
// [Config.MakePasswordResetToken], [Config.CheckPasswordResetToken],
// [Config.SessionAuthHash] and [Config.CheckSessionAuthHash] need
// Config.SecretKey ([ErrNoSecretKey] otherwise). Tokens interoperate with a
// Django site's: set Config.PKProperty to the property holding the users'
// Django primary keys, and Config.Location to its TIME_ZONE.
package auth
