package authhttp

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
)

// RequireLogin lets logged-in users through to h (Django's
// @login_required). Anonymous page requests are redirected (302) to the
// login page with the requested path as next; API requests get 401 with
// {"error": "unauthenticated"}.
func (m *Manager[T]) RequireLogin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.checkLogin(w, r) {
			h.ServeHTTP(w, r)
		}
	})
}

// checkLogin answers the request itself (and returns false) unless a user
// is logged in.
func (m *Manager[T]) checkLogin(w http.ResponseWriter, r *http.Request) bool {
	st := stateOf(r)
	if st == nil {
		m.internal(w, r, "guard", ErrNoMiddleware)
		return false
	}
	if CurrentUser(r) != nil {
		return true
	}
	w.Header().Add("Vary", "Cookie")
	if m.isAPI(r) {
		m.writeJSON(w, http.StatusUnauthorized, errorBody{Error: "unauthenticated", Message: "Authentication required."})
		return false
	}
	target := m.opts.Paths.Login + "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	http.Redirect(w, r, target, http.StatusFound)
	return false
}

// RequirePerm returns a guard that lets through users who have every one of
// perms ("app_label.codename": a generated constant such as
// blog.PermPublishPost), granted to them or to one of their groups
// (Django's @permission_required). Anonymous requests are treated as by
// RequireLogin; a logged-in user without them gets 403 (a page, or
// {"error": "forbidden"}). The user's permissions are loaded once per
// request (one query), however many checks the request makes; an active
// superuser has every permission without a query.
//
// A permission that does not exist (no Permission node has it: misspelt,
// or never installed) is a programming error, not a refusal: the request
// is answered 500 without detail and the error, matching
// auth.ErrUnknownPermission and naming the permission, is logged, whoever
// asks (superusers too, as auth.HasPerm). RequirePerm panics, when it is
// called, on a string that is not of the form "app_label.codename".
func (m *Manager[T]) RequirePerm(perms ...string) func(http.Handler) http.Handler {
	mustPermNames("RequirePerm", perms...)
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !m.checkLogin(w, r) {
				return
			}
			ok, err := m.HasPerm(r, perms...)
			if err != nil {
				m.internal(w, r, "check permissions", err)
				return
			}
			if !ok {
				m.forbidden(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// HasPerm reports whether the request's user has every one of perms, from
// the permissions loaded for this request (loaded at the first check, one
// query, then reused). An anonymous request has none. A permission that
// does not exist is an error matching auth.ErrUnknownPermission, for every
// user: the Manager keeps the names of the permissions that exist, loaded
// at its first check (one query) and again when a check names one it
// does not know.
func (m *Manager[T]) HasPerm(r *http.Request, perms ...string) (bool, error) {
	st := stateOf(r)
	if st == nil {
		return false, ErrNoMiddleware
	}
	if err := m.checkPerms(r.Context(), perms); err != nil {
		return false, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.au
	if u == nil {
		return false, nil
	}
	if len(perms) == 0 || !auth.IsActive(u) || u.IsSuperuser {
		return userHasPerms(u, nil, perms), nil
	}
	if !st.loaded {
		all, err := auth.GetAllPermissions(r.Context(), m.db, u)
		if err != nil {
			return false, err
		}
		st.perms = make(map[string]bool, len(all))
		for _, p := range all {
			st.perms[p] = true
		}
		st.loaded = true
	}
	return userHasPerms(u, st.perms, perms), nil
}

// ObjectLoader returns the node a request is about, for RequirePermOn: for
// example the post whose element id is in the path,
//
//	func(r *http.Request) (auth.Object, error) {
//		return blog.PostNodes(db).GetByElementID(r.Context(), r.PathValue("id"))
//	}
//
// An error matching ogm.ErrDoesNotExist answers 404.
type ObjectLoader func(r *http.Request) (auth.Object, error)

// RequirePermOn returns a guard that loads the request's node with load and
// lets through users who have perm on it (auth.HasPermOn: granted on that
// node to them or to one of their groups; an active superuser has it). The
// handler gets the node with ObjectOf, without loading it again. Anonymous
// requests are treated as by RequireLogin, a node that does not exist
// answers 404, and a user without the permission gets 403. A permission
// that does not exist answers 500, as for RequirePerm; RequirePermOn
// panics on a malformed permission name or a nil loader.
func (m *Manager[T]) RequirePermOn(perm string, load ObjectLoader) func(http.Handler) http.Handler {
	mustPermNames("RequirePermOn", perm)
	if load == nil {
		panic("authhttp: RequirePermOn: nil ObjectLoader")
	}
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !m.checkLogin(w, r) {
				return
			}
			obj, err := load(r)
			if err == nil && (obj == nil || obj.ElementID() == "") {
				err = ogm.ErrDoesNotExist
			}
			if errors.Is(err, ogm.ErrDoesNotExist) {
				m.notFound(w, r)
				return
			}
			if err != nil {
				m.internal(w, r, "load object", err)
				return
			}
			ok, err := m.HasPermOn(r, perm, obj)
			if err != nil {
				m.internal(w, r, "check object permission", err)
				return
			}
			if !ok {
				m.forbidden(w, r)
				return
			}
			st := stateOf(r)
			st.mu.Lock()
			st.object = obj
			st.mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
}

// HasPermOn reports whether the request's user has perm on obj
// (auth.HasPermOn), asking the database once per request for each pair of
// permission and node. A permission that does not exist is an error
// matching auth.ErrUnknownPermission, as for HasPerm.
func (m *Manager[T]) HasPermOn(r *http.Request, perm string, obj auth.Object) (bool, error) {
	st := stateOf(r)
	if st == nil {
		return false, ErrNoMiddleware
	}
	if err := m.checkPerms(r.Context(), []string{perm}); err != nil {
		return false, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.au
	if u == nil {
		return false, nil
	}
	if !auth.IsActive(u) || u.IsSuperuser {
		return userHasPerms(u, nil, []string{perm}), nil
	}
	k := objPerm{perm, obj.ElementID()}
	if ok, seen := st.objPerms[k]; seen {
		return ok, nil
	}
	ok, err := auth.HasPermOn(r.Context(), m.db, u, perm, obj)
	if errors.Is(err, ogm.ErrDoesNotExist) {
		ok, err = false, nil
	}
	if err != nil {
		return false, err
	}
	if st.objPerms == nil {
		st.objPerms = map[objPerm]bool{}
	}
	st.objPerms[k] = ok
	return ok, nil
}

// ObjectOf returns the node that RequirePermOn loaded for the request, as a
// P (such as *blog.Post), or the zero P when there is none or it is of
// another type.
func ObjectOf[P any](r *http.Request) P {
	var zero P
	st := stateOf(r)
	if st == nil {
		return zero
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	p, ok := st.object.(P)
	if !ok {
		return zero
	}
	return p
}

// SafeNext returns next when it is a safe place to send a browser after a
// login: a path on this site ("/posts/?page=2"), never another site. It
// returns "" for anything else: an absolute URL ("https://evil"), a
// scheme-relative one ("//evil"), a backslash anywhere ("/\evil", which
// browsers read as "//evil"), control characters or spaces (browsers drop
// tabs and newlines: "/\t/evil"), an encoded slash or backslash at the
// start ("/%2F/evil", "/%5Cevil"), and more than 2,048 bytes or invalid
// UTF-8.
func SafeNext(next string) string {
	if next == "" || len(next) > 2048 || !utf8.ValidString(next) {
		return ""
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	for _, r := range next {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if path, err := url.PathUnescape(u.EscapedPath()); err != nil ||
		strings.HasPrefix(path, "//") || strings.ContainsRune(path, '\\') {
		return ""
	}
	return next
}

// isAPI tells API requests from page requests.
func (m *Manager[T]) isAPI(r *http.Request) bool {
	if m.opts.IsAPI != nil {
		return m.opts.IsAPI(r)
	}
	return IsJSONRequest(r)
}

// IsJSONRequest is the default of Options.IsAPI: the request's body is
// JSON (Content-Type application/json or *+json), or its Accept header asks
// for JSON and not for HTML (a browser's navigation asks for text/html;
// fetch asks for */* unless told otherwise).
func IsJSONRequest(r *http.Request) bool {
	if isJSONType(r.Header.Get("Content-Type")) {
		return true
	}
	accept := strings.ToLower(strings.Join(r.Header.Values("Accept"), ","))
	if !strings.Contains(accept, "json") || strings.Contains(accept, "text/html") {
		return false
	}
	for _, part := range strings.Split(accept, ",") {
		if isJSONType(part) {
			return true
		}
	}
	return false
}

func isJSONType(v string) bool {
	t, _, err := mime.ParseMediaType(v)
	return err == nil && (t == "application/json" || strings.HasPrefix(t, "application/") && strings.HasSuffix(t, "+json"))
}

// ---------------------------------------------------------------- refusals

// errorBody is the JSON of a refusal: a code and a sentence for people,
// never an internal detail.
type errorBody struct {
	Error   string              `json:"error"`
	Message string              `json:"message,omitempty"`
	Fields  map[string][]string `json:"fields,omitempty"`
}

// writeJSON answers v as JSON with status; a value that cannot be encoded
// (a NaN in a float property of a user model) is logged and answered 500.
func (m *Manager[T]) writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		m.log.Error("authhttp: encode JSON answer", "err", err)
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{Error: "internal", Message: "Something went wrong on our side."})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// refuse answers a refused request: JSON for an API, a short page
// otherwise.
func (m *Manager[T]) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if m.isAPI(r) {
		m.writeJSON(w, status, errorBody{Error: code, Message: msg})
		return
	}
	m.render(w, r, status, "error.html", &Page{Title: http.StatusText(status), Status: status, Message: msg})
}

func (m *Manager[T]) forbidden(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Cookie")
	m.refuse(w, r, http.StatusForbidden, "forbidden", "You do not have permission to do this.")
}

func (m *Manager[T]) notFound(w http.ResponseWriter, r *http.Request) {
	m.refuse(w, r, http.StatusNotFound, "not_found", "Not found.")
}

// logPath is the request's path as logs may show it: the route's pattern
// when the router set one, and never the token of a reset link.
func (m *Manager[T]) logPath(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if p := m.opts.Paths.PasswordResetConfirm; strings.HasPrefix(r.URL.Path, p) {
		return p + "…"
	}
	return r.URL.Path
}

// internal logs err (never a session key) and answers 500 without it.
func (m *Manager[T]) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	m.log.ErrorContext(r.Context(), "authhttp: "+op, "method", r.Method, "path", m.logPath(r), "err", err)
	m.refuse(w, r, http.StatusInternalServerError, "internal", "Something went wrong on our side.")
}
