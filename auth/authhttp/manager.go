package authhttp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// Defaults of Options.
const (
	// DefaultCookieName is the session cookie's name (Django's
	// SESSION_COOKIE_NAME).
	DefaultCookieName = "sessionid"
	// DefaultMaxAge is how long a session lasts at most, however active
	// (Django's SESSION_COOKIE_AGE: two weeks).
	DefaultMaxAge = 14 * 24 * time.Hour
	// DefaultIdleTimeout is how long a session lasts without a request.
	DefaultIdleTimeout = 24 * time.Hour
	// DefaultTouchFraction: activity is written when the last write is
	// older than IdleTimeout / DefaultTouchFraction (72 minutes for the
	// default idle timeout), not on every request.
	DefaultTouchFraction = 20
)

// Errors of the package, for errors.Is.
var (
	// ErrNoMiddleware: a function that needs the request's session (Login,
	// Logout, a guard, a view) got a request that did not go through
	// Manager.Middleware.
	ErrNoMiddleware = errors.New("authhttp: the request did not go through Manager.Middleware")
	// ErrBadOptions: New was given options that contradict each other.
	ErrBadOptions = errors.New("authhttp: bad options")
)

// SecureMode says when the session cookie is marked Secure.
type SecureMode int

const (
	// SecureAuto marks the cookie Secure when the request came over TLS
	// (r.TLS is set). Behind a proxy that terminates TLS, use SecureAlways.
	SecureAuto SecureMode = iota
	// SecureAlways always marks it Secure: browsers then send it over
	// HTTPS only (and to http://localhost).
	SecureAlways
	// SecureNever never does (plain-HTTP development only).
	SecureNever
)

// CookieOptions are the attributes of the session cookie. The defaults are
// what a security review expects: HttpOnly (always), SameSite=Lax, Secure
// over TLS, Path=/, no Domain.
type CookieOptions struct {
	// Name is the cookie's name; "" means DefaultCookieName.
	Name string
	// HostPrefix prefixes the name with "__Host-", which browsers accept
	// only on a Secure cookie with Path=/ and no Domain: no subdomain and
	// no plain-HTTP page can set or shadow it. It forces Secure and
	// refuses a Domain or another Path.
	HostPrefix bool
	// Secure says when the cookie is Secure (SecureAuto by default).
	Secure SecureMode
	// Domain is the cookie's Domain attribute; "" (the default) keeps it
	// to the host that set it.
	Domain string
	// Path is the cookie's Path; "" means "/".
	Path string
	// SameSite is the cookie's SameSite attribute; 0 means
	// http.SameSiteLaxMode.
	SameSite http.SameSite
	// BrowserSession leaves out Expires, so that the browser forgets the
	// cookie when it closes (Django's SESSION_EXPIRE_AT_BROWSER_CLOSE);
	// the server-side expiry applies either way.
	BrowserSession bool
}

// Options configure a Manager. Only Config (with its SecretKey) is
// required; every other field has a default.
type Options struct {
	// Config holds the auth settings: hashers, backends, validators and
	// the SecretKey that signs session auth hashes and reset tokens
	// (required). Its UserModel is the model given to New (set it to
	// that model or leave it nil).
	Config *auth.Config
	// Store keeps the sessions; nil means NewNeo4jStore(db).
	Store SessionStore
	// Cookie sets the session cookie's attributes.
	Cookie CookieOptions
	// MaxAge is the absolute lifetime of a session; 0 means DefaultMaxAge.
	MaxAge time.Duration
	// IdleTimeout ends a session that sees no request for that long; 0
	// means DefaultIdleTimeout, a negative value turns idle expiry off.
	IdleTimeout time.Duration
	// TouchInterval is how old the last recorded activity must be before
	// a request records it again (one write); 0 means IdleTimeout /
	// DefaultTouchFraction. A session therefore ends between IdleTimeout -
	// TouchInterval and IdleTimeout after its last request.
	TouchInterval time.Duration
	// AllowInactive keeps users whose is_active is false logged in (as
	// Django's AllowAllUsersModelBackend); by default their sessions are
	// refused.
	AllowInactive bool
	// CrossOrigin is the CSRF protection applied by Middleware to every
	// unsafe request (POST, PUT, PATCH, DELETE); nil means
	// http.NewCrossOriginProtection(). Add trusted origins or bypass
	// patterns to one of your own.
	CrossOrigin *http.CrossOriginProtection
	// NoCrossOriginProtection turns the CSRF protection off (for an
	// application that applies its own).
	NoCrossOriginProtection bool
	// Throttle limits failed logins; see Throttle.
	Throttle Throttle
	// Paths are where the views live; empty fields get the defaults of
	// DefaultPaths.
	Paths Paths
	// LoginRedirect is where a login without a safe next goes (Django's
	// LOGIN_REDIRECT_URL); "" means "/".
	LoginRedirect string
	// LogoutRedirect is where a logout goes; "" renders logged_out.html.
	LogoutRedirect string
	// Templates overrides the views' templates: a file of it with the name
	// of an embedded template (login.html, base.html,
	// password_reset_email.txt, …; see Templates) replaces that one.
	Templates fs.FS
	// Mailer sends the password reset emails; nil disables the password
	// reset views. DevMailer writes them to a folder or a log.
	Mailer Mailer
	// BaseURL is the absolute URL the links of emails start with, such as
	// "https://example.com" (required with a Mailer: taking it from the
	// request's Host header would let anyone send reset links to a site of
	// theirs).
	BaseURL string
	// FromEmail is the sender of emails; "" means "webmaster@localhost"
	// (Django's DEFAULT_FROM_EMAIL).
	FromEmail string
	// Signup enables the signup view.
	Signup bool
	// IsAPI tells API requests (answered with JSON: 401/403 bodies, JSON
	// views) from page requests (redirects, HTML); nil means a request
	// whose Content-Type is JSON or whose Accept asks for JSON and not
	// HTML.
	IsAPI func(*http.Request) bool
	// ClientAddr returns the client address the login throttle counts;
	// nil means the host of r.RemoteAddr (an IPv6 address counts by its
	// /64). Behind a proxy, return the address the proxy reports, and
	// only from a proxy you trust.
	ClientAddr func(*http.Request) string
	// Logger receives what goes wrong inside (database errors, failed
	// mail); nil means slog.Default(). Session keys are never logged.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Manager is the web side of auth for one user model T (auth.User, or a
// type that extends it): the session middleware, Login and Logout, the
// guards and the views. Make one with New; it is safe for concurrent use.
type Manager[T any] struct {
	db       *ogm.DB
	model    *auth.Model[T]
	cfg      *auth.Config
	store    SessionStore
	opts     Options
	users    *ogm.Registry
	csrf     *http.CrossOriginProtection
	throttle *throttle
	pages    *templates
	log      *slog.Logger
	mail     sync.WaitGroup
	fn       userFuncs[T]
	pk       *ogm.PropInfo // Config.PKProperty's, or nil
	known    knownPerms
}

// New returns the Manager of the users of model (auth.UserModel, or a
// generated <Type>Model) on db:
//
//	m, err := authhttp.New(db, auth.UserModel, authhttp.Options{Config: &auth.Config{SecretKey: secret}})
//	mux.Handle("/accounts/", m.Handler())
//	http.ListenAndServe(addr, m.Middleware(mux))
//
// The type parameter P is the model's pointer type (*auth.User,
// *models.Member), inferred: the typed login of auth.AuthenticateAs needs
// it. New refuses (with an error matching ErrNoSecretKey, which is
// auth.ErrNoSecretKey) a Config without a SecretKey, which every session
// auth hash and reset token needs, and (ErrBadOptions) a Config.PKProperty
// that is not a unique int or string property of the model.
func New[T any, P interface {
	*T
	auth.UserNode
}](db *ogm.DB, model *auth.Model[T], opts Options) (*Manager[T], error) {
	if db == nil || model == nil || model.Type == nil || model.Username == nil {
		return nil, fmt.Errorf("%w: a database and a user model are required", ErrBadOptions)
	}
	if opts.Config == nil || opts.Config.SecretKey == "" {
		return nil, fmt.Errorf("authhttp: %w: Options.Config.SecretKey must be set (it signs session auth hashes and password reset tokens)", ErrNoSecretKey)
	}
	if opts.Config.UserModel != nil && opts.Config.UserModel != auth.AnyModel(model) {
		return nil, fmt.Errorf("%w: Config.UserModel is not the model given to New", ErrBadOptions)
	}
	cfg := *opts.Config
	cfg.UserModel = model
	m := &Manager[T]{db: db, model: model, cfg: &cfg, opts: opts}
	m.fn = newUserFuncs[T, P](m)
	if cfg.PKProperty != "" {
		pk, err := pkProperty(model, cfg.PKProperty)
		if err != nil {
			return nil, err
		}
		m.pk = pk
	}
	if err := m.defaults(); err != nil {
		return nil, err
	}
	m.users = ogm.NewRegistry(ogm.NewSchema("authhttp", []ogm.AnyNodeType{model.Type}, nil, nil))
	m.throttle = newThrottle(db, m.opts.Throttle)
	pages, err := loadTemplates(opts.Templates)
	if err != nil {
		return nil, err
	}
	m.pages = pages
	return m, nil
}

// defaults fills the options left empty and checks the rest.
func (m *Manager[T]) defaults() error {
	o := &m.opts
	c := &o.Cookie
	if c.Name == "" {
		c.Name = DefaultCookieName
	}
	if c.Path == "" {
		c.Path = "/"
	}
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	if c.HostPrefix {
		if c.Domain != "" || c.Path != "/" || c.Secure == SecureNever {
			return fmt.Errorf("%w: a __Host- cookie must be Secure, with Path=/ and no Domain", ErrBadOptions)
		}
		c.Name = "__Host-" + c.Name
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.TouchInterval <= 0 {
		if o.IdleTimeout > 0 {
			o.TouchInterval = o.IdleTimeout / DefaultTouchFraction
		} else {
			o.TouchInterval = o.MaxAge / DefaultTouchFraction
		}
	}
	o.Paths = o.Paths.withDefaults()
	if o.LoginRedirect == "" {
		o.LoginRedirect = "/"
	}
	if o.FromEmail == "" {
		o.FromEmail = "webmaster@localhost"
	}
	if o.Mailer != nil {
		u, err := url.Parse(o.BaseURL)
		if o.BaseURL == "" || err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("%w: Options.BaseURL must be an absolute URL (https://host) when a Mailer sends reset links", ErrBadOptions)
		}
		o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
	}
	m.store = o.Store
	if m.store == nil {
		m.store = NewNeo4jStore(m.db)
	}
	if !o.NoCrossOriginProtection {
		m.csrf = o.CrossOrigin
		if m.csrf == nil {
			m.csrf = http.NewCrossOriginProtection()
		}
	}
	m.log = o.Logger
	if m.log == nil {
		m.log = slog.Default()
	}
	return nil
}

// now returns the current time.
func (m *Manager[T]) now() time.Time {
	if m.opts.Now != nil {
		return m.opts.Now()
	}
	return time.Now()
}

// Config returns the auth settings the Manager uses (its UserModel is the
// Manager's model). Do not change it.
func (m *Manager[T]) Config() *auth.Config { return m.cfg }

// Store returns the session store.
func (m *Manager[T]) Store() SessionStore { return m.store }

// ---------------------------------------------------------------- request state

// state is what Middleware learned about one request; handlers reach it
// through the request's context. Login and Logout change it, so that the
// rest of the request sees who is logged in now.
type state struct {
	mu       sync.Mutex
	rec      *SessionRecord // nil: no session
	key      string         // the session key (from the cookie or new); never logged
	user     any            // *T of the logged-in user, or nil
	au       *auth.User     // the User inside user
	loaded   bool           // perms holds the user's permissions
	perms    map[string]bool
	objPerms map[objPerm]bool
	object   any // what RequirePermOn loaded
}

type objPerm struct{ perm, id string }

type stateKey struct{}

func stateOf(r *http.Request) *state {
	st, _ := r.Context().Value(stateKey{}).(*state)
	return st
}

// CurrentUser returns the logged-in user of the request as the *auth.User
// it embeds, or nil for an anonymous request (Django's request.user, with
// nil for AnonymousUser). Manager.User gives it as the model's type.
func CurrentUser(r *http.Request) *auth.User {
	st := stateOf(r)
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.au
}

// User returns the logged-in user of the request as the model's type, or
// nil for an anonymous request.
func (m *Manager[T]) User(r *http.Request) *T {
	st := stateOf(r)
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	u, _ := st.user.(*T)
	return u
}

// SessionData returns a copy of the request's session data (nil without a
// session). Change it with Manager.SetSessionData.
func SessionData(r *http.Request) map[string]any {
	st := stateOf(r)
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.rec == nil {
		return nil
	}
	return cloneData(st.rec.Data)
}

// ---------------------------------------------------------------- middleware

// Middleware loads the request's session and user into its context, in one
// query with the Neo4j store (none without a session cookie): the user must
// be of the Manager's model, active (unless AllowInactive) and hold the
// session auth hash stored at login (a password changed elsewhere logs the
// session out). It records activity for idle expiry at most every
// TouchInterval (one write then). Unsafe requests from another origin are
// refused first with 403 (http.CrossOriginProtection), before anything is
// read or written. A session cookie that leads nowhere (expired, logged
// out, forged) is deleted from the browser.
//
// Wrap the whole router in it; guards and views need it.
func (m *Manager[T]) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.csrf != nil {
			if err := m.csrf.Check(r); err != nil {
				m.refuse(w, r, http.StatusForbidden, "cross_origin", "Cross-origin request refused.")
				return
			}
		}
		st, err := m.load(w, r)
		if err != nil {
			m.internal(w, r, "load session", err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	})
}

// load reads the session of r, if any, and checks it.
func (m *Manager[T]) load(w http.ResponseWriter, r *http.Request) (*state, error) {
	st := &state{}
	c, err := r.Cookie(m.opts.Cookie.Name)
	if err != nil {
		return st, nil // no cookie: anonymous, no query
	}
	if !wellFormedKey(c.Value) {
		m.clearCookie(w, r)
		return st, nil
	}
	now := m.now()
	rec, node, err := m.store.Load(r.Context(), hashKey(c.Value), now)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		m.clearCookie(w, r)
		return st, nil
	}
	var user *T
	switch {
	case rec.UserID == "" && rec.UserAuthHash != "":
		rec = nil // its user was deleted
	case rec.UserID != "":
		user, err = m.sessionUser(r.Context(), rec, node)
		if err != nil {
			return nil, err
		}
		if user == nil {
			rec = nil
		}
	}
	if rec == nil {
		m.clearCookie(w, r)
		return st, nil
	}
	st.rec, st.key = rec, c.Value
	var current string
	if user != nil {
		au := auth.UserOf(user)
		ok, cur, err := m.checkSessionAuthHash(user, rec.UserAuthHash)
		if err != nil {
			return nil, err // not a logout: Middleware answers 500
		}
		if !ok || !(m.opts.AllowInactive || auth.IsActive(au)) {
			m.clearCookie(w, r)
			return &state{}, nil
		}
		st.user, st.au, current = user, au, cur
	}
	if now.Sub(rec.LastActivity) >= m.opts.TouchInterval || (user != nil && current != rec.UserAuthHash) {
		touched := *rec
		touched.LastActivity, touched.ExpireDate = now, m.expiry(now, rec.AbsoluteExpireDate)
		if user != nil {
			touched.UserAuthHash = current // signed with a fallback secret: re-signed with the current one
		}
		if err := m.store.Touch(r.Context(), &touched); err != nil {
			m.log.ErrorContext(r.Context(), "authhttp: record session activity", "err", err)
		} else {
			st.rec = &touched
		}
	}
	return st, nil
}

// sessionUser returns the user of a session as a *T, or nil when it is not
// one (gone, or not of the model).
func (m *Manager[T]) sessionUser(ctx context.Context, rec *SessionRecord, node *ogm.Node) (*T, error) {
	if node == nil {
		u, err := ogm.NewNodes[*T](m.db, m.model.Type).GetByElementID(ctx, rec.UserID)
		if errors.Is(err, ogm.ErrDoesNotExist) {
			return nil, nil
		}
		return u, err
	}
	v, err := m.users.Node(m.db, *node)
	if errors.Is(err, ogm.ErrUnknownLabels) {
		return nil, nil // a user of another model
	}
	if err != nil {
		return nil, err
	}
	u, _ := v.(*T)
	return u, nil
}

// expiry is when a session active at now expires.
func (m *Manager[T]) expiry(now, absolute time.Time) time.Time {
	if m.opts.IdleTimeout < 0 {
		return absolute
	}
	if idle := now.Add(m.opts.IdleTimeout); idle.Before(absolute) {
		return idle
	}
	return absolute
}

// ---------------------------------------------------------------- cookies

func (m *Manager[T]) cookie(r *http.Request, value string) *http.Cookie {
	o := m.opts.Cookie
	c := &http.Cookie{
		Name: o.Name, Value: value, Path: o.Path, Domain: o.Domain,
		HttpOnly: true, SameSite: o.SameSite,
	}
	switch {
	case o.HostPrefix, o.Secure == SecureAlways:
		c.Secure = true
	case o.Secure == SecureAuto:
		c.Secure = r.TLS != nil
	}
	return c
}

func (m *Manager[T]) setCookie(w http.ResponseWriter, r *http.Request, key string, expires time.Time) {
	c := m.cookie(r, key)
	if !m.opts.Cookie.BrowserSession {
		c.Expires = expires.UTC()
		c.MaxAge = max(1, int(expires.Sub(m.now())/time.Second))
	}
	http.SetCookie(w, c)
	w.Header().Add("Cache-Control", `no-cache="Set-Cookie"`)
}

func (m *Manager[T]) clearCookie(w http.ResponseWriter, r *http.Request) {
	c := m.cookie(r, "")
	c.MaxAge = -1
	c.Expires = time.Unix(0, 0)
	http.SetCookie(w, c)
}

// ---------------------------------------------------------------- login, logout

// Login logs u in on this request and the ones that follow (Django's
// login): it makes a new session with a new key (a key the request came
// with, perhaps planted by an attacker, is deleted: no session fixation),
// keeps the data of the previous session when that was anonymous or u's,
// stores u's session auth hash, and sets the cookie. Call it before writing
// the response, and after checking u's credentials (Authenticate, or the
// login view). u must be a saved user of the Manager's model. The rest of
// the request sees u as the user.
func (m *Manager[T]) Login(w http.ResponseWriter, r *http.Request, u *T) error {
	st := stateOf(r)
	if st == nil {
		return ErrNoMiddleware
	}
	au := auth.UserOf(u)
	if au == nil || !au.IsSaved() {
		return fmt.Errorf("authhttp: login: the user is not saved")
	}
	hash, err := m.sessionAuthHash(u)
	if err != nil {
		return err
	}
	st.mu.Lock()
	old := st.rec
	st.mu.Unlock()
	data := map[string]any{}
	if old != nil && (old.UserID == "" || old.UserID == au.ElementID()) {
		data = cloneData(old.Data)
	}
	key, rec := m.newSession(au.ElementID(), hash, data)
	if err := m.store.Replace(r.Context(), keyHashOf(old), rec); err != nil {
		return err
	}
	m.setCookie(w, r, key, rec.AbsoluteExpireDate)
	st.set(rec, key, u, au)
	return nil
}

// newSession returns a new key and the record of its session.
func (m *Manager[T]) newSession(userID, authHash string, data map[string]any) (string, *SessionRecord) {
	now := m.now()
	key := newKey()
	abs := now.Add(m.opts.MaxAge)
	return key, &SessionRecord{
		KeyHash: hashKey(key), UserID: userID, UserAuthHash: authHash, Data: data,
		CreatedAt: now, LastActivity: now, ExpireDate: m.expiry(now, abs), AbsoluteExpireDate: abs,
	}
}

func keyHashOf(rec *SessionRecord) string {
	if rec == nil {
		return ""
	}
	return rec.KeyHash
}

// set makes the state that of a new session.
func (st *state) set(rec *SessionRecord, key string, user any, au *auth.User) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.rec, st.key, st.user, st.au = rec, key, user, au
	st.loaded, st.perms, st.objPerms = false, nil, nil
}

// Logout deletes the request's session from the store (a copy of the
// cookie kept elsewhere no longer works), deletes the cookie, and makes the
// rest of the request anonymous (Django's logout). Logging out without a
// session does nothing but delete the cookie.
func (m *Manager[T]) Logout(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	if st == nil {
		return ErrNoMiddleware
	}
	st.mu.Lock()
	rec := st.rec
	st.mu.Unlock()
	if rec != nil {
		if err := m.store.Delete(r.Context(), rec.KeyHash); err != nil {
			return err
		}
	}
	m.clearCookie(w, r)
	st.set(nil, "", nil, nil)
	return nil
}

// UpdateSessionAuthHash keeps the request's session logged in after u's
// password changed (Django's update_session_auth_hash): the session gets a
// new key and u's new session auth hash, and every other session of u is
// deleted, so that the change logs out every other browser. Call it after
// saving the new password, before writing the response; ChangePassword
// does both in one transaction.
func (m *Manager[T]) UpdateSessionAuthHash(w http.ResponseWriter, r *http.Request, u *T) error {
	st := stateOf(r)
	if st == nil {
		return ErrNoMiddleware
	}
	key, rec, err := m.rotate(r.Context(), st, u)
	if err != nil {
		return err
	}
	m.setCookie(w, r, key, rec.AbsoluteExpireDate)
	st.set(rec, key, u, auth.UserOf(u))
	return nil
}

// rotate stores a new session for u in place of the request's one and
// deletes u's other sessions.
func (m *Manager[T]) rotate(ctx context.Context, st *state, u *T) (string, *SessionRecord, error) {
	au := auth.UserOf(u)
	if au == nil || !au.IsSaved() {
		return "", nil, fmt.Errorf("authhttp: the user is not saved")
	}
	hash, err := m.sessionAuthHash(u)
	if err != nil {
		return "", nil, err
	}
	st.mu.Lock()
	old := st.rec
	st.mu.Unlock()
	var data map[string]any
	if old != nil && old.UserID == au.ElementID() {
		data = cloneData(old.Data)
	}
	key, rec := m.newSession(au.ElementID(), hash, data)
	err = m.db.Write(ctx, func(ctx context.Context) error {
		if err := m.store.Replace(ctx, keyHashOf(old), rec); err != nil {
			return err
		}
		_, err := m.store.DeleteUserSessions(ctx, au.ElementID(), rec.KeyHash)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// ChangePassword sets u's password to raw and keeps the request's session
// logged in, in one transaction: the password is written
// (auth.Config.ChangePassword), the session gets a new key and auth hash,
// and u's other sessions are deleted. It does not validate raw (the
// password change view does, with Config's validators).
func (m *Manager[T]) ChangePassword(w http.ResponseWriter, r *http.Request, u *T, raw string) error {
	st := stateOf(r)
	if st == nil {
		return ErrNoMiddleware
	}
	var key string
	var rec *SessionRecord
	err := m.db.Write(r.Context(), func(ctx context.Context) error {
		if err := m.cfg.ChangePassword(ctx, auth.UserOf(u), raw); err != nil {
			return err
		}
		var err error
		key, rec, err = m.rotate(ctx, st, u)
		return err
	})
	if err != nil {
		return err
	}
	m.setCookie(w, r, key, rec.AbsoluteExpireDate)
	st.set(rec, key, u, auth.UserOf(u))
	return nil
}

// SetSessionData sets key to value in the request's session data (value
// nil deletes it), written at once. A request without a session gets an
// anonymous one (and its cookie: call it before writing the response);
// Login keeps that data. Values must encode as JSON.
func (m *Manager[T]) SetSessionData(w http.ResponseWriter, r *http.Request, key string, value any) error {
	st := stateOf(r)
	if st == nil {
		return ErrNoMiddleware
	}
	st.mu.Lock()
	rec := st.rec
	st.mu.Unlock()
	if rec == nil {
		if value == nil {
			return nil
		}
		k, rec := m.newSession("", "", map[string]any{key: value})
		if err := m.store.Replace(r.Context(), "", rec); err != nil {
			return err
		}
		m.setCookie(w, r, k, rec.AbsoluteExpireDate)
		st.mu.Lock()
		st.rec, st.key = rec, k
		st.mu.Unlock()
		return nil
	}
	data := cloneData(rec.Data)
	if value == nil {
		delete(data, key)
	} else {
		data[key] = value
	}
	if err := m.store.SetData(r.Context(), rec.KeyHash, data); err != nil {
		return err
	}
	changed := *rec
	changed.Data = data
	st.mu.Lock()
	st.rec = &changed
	st.mu.Unlock()
	return nil
}

// ClearExpiredSessions deletes the sessions that have expired, and the
// login throttle counters whose window has closed (Django's
// clearsessions; gonode auth clear-sessions runs it).
func (m *Manager[T]) ClearExpiredSessions(ctx context.Context) (int, error) {
	return m.store.DeleteExpired(ctx, m.now())
}

// Shutdown waits until the emails being sent in the background are sent
// (or ctx ends). Call it when the server stops.
func (m *Manager[T]) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { m.mail.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
