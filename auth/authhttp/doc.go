// Package authhttp puts gonode's auth on the web with net/http alone:
// sessions stored in Neo4j, login and logout, middleware that loads the
// session and the user (typed, of the configured user model) in one query,
// guards for logins and permissions, CSRF protection, the views of
// django.contrib.auth (login, logout, password change, password reset,
// signup) with templates to override and a JSON mode, and a login throttle
// shared by every instance of an application. It works with any router
// that speaks http.Handler.
//
//	m, err := authhttp.New(db, auth.UserModel, authhttp.Options{
//		Config: &auth.Config{SecretKey: os.Getenv("SECRET_KEY")},
//		Mailer: &authhttp.DevMailer{Dir: "mail"}, BaseURL: "http://localhost:8080",
//	})
//	mux := http.NewServeMux()
//	mux.Handle("/accounts/", m.Handler())                                   // login, logout, password change and reset
//	mux.Handle("GET /me", m.RequireLogin(me))                              // @login_required
//	mux.Handle("POST /posts/{id}/publish", m.RequirePerm(blog.PermPublishPost)(publish)) // @permission_required
//	http.ListenAndServe(":8080", m.Middleware(mux))
//
// In a handler, m.User(r) is the logged-in user (nil when anonymous),
// m.Login(w, r, u) and m.Logout(w, r) are Django's login() and logout().
// Users are of the model given to New, typed: the login view's
// auth.AuthenticateAs and the signup's auth.CreateUserAs return the *T
// they read or wrote, and the JSON views answer it with its generated
// encoding, in which the password hash (a sensitive property) never
// appears.
//
// # Errors
//
// New refuses a Config without a SecretKey (ErrNoSecretKey, which is
// auth.ErrNoSecretKey). Any failure inside (the database, a session auth
// hash or reset token that cannot be made or checked, a permission that
// does not exist) is answered 500 without detail and logged to
// Options.Logger; it is never taken for a logout, an invalid link or a
// refusal.
//
// # Sessions
//
// The cookie holds a random 256-bit key; the database holds only its
// SHA-256 (a Session node of the auth schema, with a unique constraint on
// it that gonode install-labels creates), the user's session auth hash,
// the session's data, and two expiries: absolute (Options.MaxAge) and idle
// (Options.IdleTimeout). To keep reads reads, activity is written only when
// the last write is older than Options.TouchInterval (a twentieth of the
// idle timeout by default). A session whose user is inactive, deleted, of
// another model or whose password changed since the login is refused. The
// SessionStore interface lets another store replace Neo4jStore.
//
// # Security defaults
//
// The cookie is HttpOnly, SameSite=Lax, Secure over TLS (CookieOptions),
// optionally __Host- prefixed, and its key never appears in a URL or a
// log. Unsafe requests from other origins are refused
// (http.CrossOriginProtection). Login rotates the key (no session
// fixation); logout deletes the session server-side; a password change
// logs out the user's other sessions. Redirects after login go only to
// same-site paths (SafeNext). Pages are sent with no-store caching,
// X-Frame-Options: DENY and a restrictive Content-Security-Policy.
package authhttp
