package authhttp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/validators"
	"github.com/gonode/gonode/ogm"
)

// Paths are the URLs of the views (Django's auth URL names). Handler serves
// them; the reset link is PasswordResetConfirm + "<uidb64>/<token>/".
type Paths struct {
	Login, Logout                      string
	PasswordChange, PasswordChangeDone string
	PasswordReset, PasswordResetDone   string
	PasswordResetConfirm               string // a prefix: the link adds "<uidb64>/<token>/"
	PasswordResetComplete              string
	Signup                             string
}

// DefaultPaths are Django's: under /accounts/, each ending in a slash.
var DefaultPaths = Paths{
	Login:                 "/accounts/login/",
	Logout:                "/accounts/logout/",
	PasswordChange:        "/accounts/password_change/",
	PasswordChangeDone:    "/accounts/password_change/done/",
	PasswordReset:         "/accounts/password_reset/",
	PasswordResetDone:     "/accounts/password_reset/done/",
	PasswordResetConfirm:  "/accounts/reset/",
	PasswordResetComplete: "/accounts/reset/done/",
	Signup:                "/accounts/signup/",
}

func (p Paths) withDefaults() Paths {
	d := DefaultPaths
	for _, f := range []struct{ v, def *string }{
		{&p.Login, &d.Login}, {&p.Logout, &d.Logout},
		{&p.PasswordChange, &d.PasswordChange}, {&p.PasswordChangeDone, &d.PasswordChangeDone},
		{&p.PasswordReset, &d.PasswordReset}, {&p.PasswordResetDone, &d.PasswordResetDone},
		{&p.PasswordResetConfirm, &d.PasswordResetConfirm}, {&p.PasswordResetComplete, &d.PasswordResetComplete},
		{&p.Signup, &d.Signup},
	} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	if !strings.HasSuffix(p.PasswordResetConfirm, "/") {
		p.PasswordResetConfirm += "/"
	}
	return p
}

// exact is the ServeMux pattern that matches path p and nothing below it.
func exact(p string) string {
	if strings.HasSuffix(p, "/") {
		return p + "{$}"
	}
	return p
}

// Handler serves every view at its path of Options.Paths: login, logout,
// password change (and done), and, with a Mailer, password reset (request,
// done, confirm, complete), and signup with Options.Signup. Mount it on a
// router behind Middleware:
//
//	mux.Handle("/accounts/", m.Handler())
//	srv := &http.Server{Handler: m.Middleware(mux)}
//
// Each view is also available alone (LoginView, …) for other routes.
func (m *Manager[T]) Handler() http.Handler {
	p := m.opts.Paths
	mux := http.NewServeMux()
	mux.Handle(exact(p.Login), m.LoginView())
	mux.Handle(exact(p.Logout), m.LogoutView())
	mux.Handle(exact(p.PasswordChange), m.RequireLogin(m.PasswordChangeView()))
	mux.Handle(exact(p.PasswordChangeDone), m.RequireLogin(m.page("password_change_done.html", "Password change successful")))
	if m.opts.Mailer != nil {
		mux.Handle(exact(p.PasswordReset), m.PasswordResetView())
		mux.Handle(exact(p.PasswordResetDone), m.page("password_reset_done.html", "Password reset sent"))
		mux.Handle(p.PasswordResetConfirm+"{uidb64}/{token}/{$}", m.PasswordResetConfirmView())
		mux.Handle(exact(p.PasswordResetComplete), m.page("password_reset_complete.html", "Password reset complete"))
	}
	if m.opts.Signup {
		mux.Handle(exact(p.Signup), m.SignupView())
	}
	return mux
}

// page serves a template that shows no form.
func (m *Manager[T]) page(name, title string) http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		if m.isAPI(r) {
			m.writeJSON(w, http.StatusOK, map[string]any{"ok": true})
			return
		}
		m.render(w, r, http.StatusOK, name, &Page{Title: title})
	})
}

// view checks that the request went through Middleware.
func (m *Manager[T]) view(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stateOf(r) == nil {
			m.internal(w, r, "view", ErrNoMiddleware)
			return
		}
		h(w, r)
	})
}

// allow answers 405 unless the request's method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, meth := range methods {
		if r.Method == meth {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
	return false
}

// ---------------------------------------------------------------- input

// maxBody is the most a view reads of a request body.
const maxBody = 64 << 10

// maxField is the most characters a field may have (a password of 4,096
// characters is Django's limit too).
const maxField = 4096

// badInput is input a view cannot read; status says why (400, 413, 415).
type badInput struct {
	status int
	msg    string
}

func (e *badInput) Error() string { return e.msg }

// readInput reads the fields of a POST: a JSON object of strings (API) or
// an urlencoded form (a page). A field may appear once; a JSON member that
// is not one of fields, or not a string, is refused, and so is anything
// that is not UTF-8 or holds a NUL.
func readInput(w http.ResponseWriter, r *http.Request, fields ...string) (map[string]string, error) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, &badInput{http.StatusUnsupportedMediaType, "The request has no readable Content-Type."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	out := map[string]string{}
	switch {
	case isJSONType(ct):
		var raw map[string]json.RawMessage
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&raw); err != nil {
			return nil, tooLarge(err, "The body is not a JSON object.")
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, &badInput{http.StatusBadRequest, "The body holds more than one JSON value."}
		}
		for k, v := range raw {
			if !contains(fields, k) {
				return nil, &badInput{http.StatusBadRequest, "Unknown field " + strconv.Quote(k) + "."}
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, &badInput{http.StatusBadRequest, "Field " + strconv.Quote(k) + " must be a string."}
			}
			out[k] = s
		}
	case ct == "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, tooLarge(err, "The form cannot be read.")
		}
		for _, k := range fields {
			vs := r.PostForm[k]
			if len(vs) > 1 {
				return nil, &badInput{http.StatusBadRequest, "Field " + strconv.Quote(k) + " is given more than once."}
			}
			if len(vs) == 1 {
				out[k] = vs[0]
			}
		}
	default:
		return nil, &badInput{http.StatusUnsupportedMediaType, "Send a form or a JSON object."}
	}
	for k, v := range out {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || utf8.RuneCountInString(v) > maxField {
			return nil, &badInput{http.StatusBadRequest, "Field " + strconv.Quote(k) + " is not valid text."}
		}
	}
	return out, nil
}

func tooLarge(err error, msg string) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &badInput{http.StatusRequestEntityTooLarge, "The body is too large."}
	}
	return &badInput{http.StatusBadRequest, msg}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bad answers input that cannot be read: nothing was looked at or written.
func (m *Manager[T]) bad(w http.ResponseWriter, r *http.Request, err error) {
	var b *badInput
	if !errors.As(err, &b) {
		m.internal(w, r, "read input", err)
		return
	}
	m.refuse(w, r, b.status, "bad_request", b.msg)
}

// form is the state of a submitted form: its values and its errors.
type form struct {
	values map[string]string
	errs   []string
	fields map[string][]string
}

func (f *form) fieldError(name, msg string) {
	if f.fields == nil {
		f.fields = map[string][]string{}
	}
	f.fields[name] = append(f.fields[name], msg)
}

func (f *form) ok() bool { return len(f.errs) == 0 && len(f.fields) == 0 }

// require adds "This field is required." to each empty field.
func (f *form) require(names ...string) {
	for _, n := range names {
		if f.values[n] == "" {
			f.fieldError(n, "This field is required.")
		}
	}
}

// shown is what the form shows again: the values of keep, never passwords.
func (f *form) shown(keep ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keep {
		out[k] = f.values[k]
	}
	return out
}

// invalid answers a form with errors: the page again (status 200, as
// Django) or, for an API, 400 with the errors by field.
func (m *Manager[T]) invalid(w http.ResponseWriter, r *http.Request, name string, p *Page, f *form) {
	if m.isAPI(r) {
		msg := strings.Join(f.errs, " ")
		if msg == "" {
			msg = "The form has errors."
		}
		m.writeJSON(w, http.StatusBadRequest, errorBody{Error: "invalid", Message: msg, Fields: f.fields})
		return
	}
	p.Errors, p.FieldErrors = f.errs, f.fields
	m.render(w, r, http.StatusOK, name, p)
}

// passwordErrors adds what the validators say about pw to field.
func (m *Manager[T]) passwordErrors(f *form, field, pw string, u *auth.User) error {
	err := m.cfg.ValidatePassword(pw, u)
	var errs validators.Errors
	switch {
	case err == nil:
		return nil
	case errors.As(err, &errs):
		for _, msg := range errs.Messages() {
			f.fieldError(field, msg)
		}
		return nil
	}
	return err // a misconfigured validator
}

func (m *Manager[T]) helpTexts() []string {
	if m.cfg.Validators != nil {
		if len(m.cfg.Validators) == 0 {
			return nil
		}
		return validators.HelpTexts(m.cfg.Validators...)
	}
	return validators.HelpTexts()
}

// redirect sends a browser on after a POST (303: the next request is a
// GET).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ---------------------------------------------------------------- login

// Messages of the views, as Django words them.
const (
	msgInvalidLogin = "Please enter a correct username and password. Note that both fields may be case-sensitive."
	msgThrottled    = "Too many failed login attempts. Please try again later."
	msgMismatch     = "The two password fields didn’t match."
	msgOldPassword  = "Your old password was entered incorrectly. Please enter it again."
	msgInvalidEmail = "Enter a valid email address."
	msgUserExists   = "A user with that username already exists."
)

// LoginView is Django's LoginView. GET shows the form (login.html); POST
// takes username and password (a form, or a JSON object for an API), with
// next. Past the throttle's limit it answers 429 with Retry-After without
// checking anything. Wrong credentials (or an inactive user) show the form
// again with one message for every case, count a failure, and log nobody
// in; an API gets 401. On success it logs the user in (a new session key)
// and redirects (303) to next when it is a safe same-site path, else to
// Options.LoginRedirect; an API gets 200 with {"user": {…}} (no password
// hash).
func (m *Manager[T]) LoginView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			return
		}
		page := &Page{Title: "Log in", Next: SafeNext(r.URL.Query().Get("next"))}
		if r.Method != http.MethodPost {
			if m.isAPI(r) {
				m.refuse(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "POST the username and password.")
				return
			}
			m.render(w, r, http.StatusOK, "login.html", page)
			return
		}
		in, err := readInput(w, r, "username", "password", "next")
		if err != nil {
			m.bad(w, r, err)
			return
		}
		f := &form{values: in}
		if n := SafeNext(in["next"]); n != "" {
			page.Next = n
		}
		page.Form = f.shown("username")
		f.require("username", "password")
		if !f.ok() {
			m.invalid(w, r, "login.html", page, f)
			return
		}
		ctx, now, addr := r.Context(), m.now(), m.clientAddr(r)
		wait, err := m.throttle.check(ctx, in["username"], addr, now)
		if err != nil {
			m.internal(w, r, "login throttle", err)
			return
		}
		if wait > 0 {
			m.throttled(w, r, page, wait)
			return
		}
		u, err := m.authenticate(ctx, auth.Credentials{Username: in["username"], Password: in["password"]})
		if errors.Is(err, auth.ErrInvalidCredentials) {
			if err := m.throttle.fail(ctx, in["username"], addr, now); err != nil {
				m.internal(w, r, "login throttle", err)
				return
			}
			if m.isAPI(r) {
				m.writeJSON(w, http.StatusUnauthorized, errorBody{Error: "invalid_credentials", Message: msgInvalidLogin})
				return
			}
			f.errs = append(f.errs, msgInvalidLogin)
			m.invalid(w, r, "login.html", page, f)
			return
		}
		if err != nil {
			m.internal(w, r, "authenticate", err)
			return
		}
		if err := m.throttle.succeed(ctx, in["username"]); err != nil {
			m.internal(w, r, "login throttle", err)
			return
		}
		m.logInAndAnswer(w, r, u, http.StatusOK, page.Next)
	})
}

// logInAndAnswer logs u in on this request and answers the view that did
// it: an API gets status with {"user": {…}}, a page is redirected to next
// (already made safe) or Options.LoginRedirect.
func (m *Manager[T]) logInAndAnswer(w http.ResponseWriter, r *http.Request, u *T, status int, next string) {
	if err := m.Login(w, r, u); err != nil {
		m.internal(w, r, "login", err)
		return
	}
	if m.isAPI(r) {
		m.writeJSON(w, status, map[string]any{"user": u})
		return
	}
	if next == "" {
		next = m.opts.LoginRedirect
	}
	redirect(w, r, next)
}

// throttled answers 429 with Retry-After in whole seconds.
func (m *Manager[T]) throttled(w http.ResponseWriter, r *http.Request, page *Page, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	if m.isAPI(r) {
		m.writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "throttled", "message": msgThrottled, "retry_after": secs})
		return
	}
	page.Errors = []string{msgThrottled}
	m.render(w, r, http.StatusTooManyRequests, "login.html", page)
}

// LogoutView is Django's LogoutView: POST only (a GET could be forged by
// any page with an image), it deletes the session server-side, deletes the
// cookie, and redirects (303) to Options.LogoutRedirect or shows
// logged_out.html; an API gets 200 {"ok": true}.
func (m *Manager[T]) LogoutView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodPost) {
			return
		}
		if err := m.Logout(w, r); err != nil {
			m.internal(w, r, "logout", err)
			return
		}
		switch {
		case m.isAPI(r):
			m.writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		case m.opts.LogoutRedirect != "":
			redirect(w, r, m.opts.LogoutRedirect)
		default:
			m.render(w, r, http.StatusOK, "logged_out.html", &Page{Title: "Logged out"})
		}
	})
}

// ---------------------------------------------------------------- password change

// PasswordChangeView is Django's PasswordChangeView, for a logged-in user
// (wrap it in RequireLogin; Handler does). POST takes old_password,
// new_password1 and new_password2: the old password must be right (its
// failures count in the login throttle, so a stolen session cannot guess
// it), the two new ones equal, and the new one pass Config's validators.
// Then the password is changed, the session stays logged in with a new key,
// and every other session of the user is logged out
// (update_session_auth_hash); it redirects to the done page, or answers
// 200 {"ok": true}.
func (m *Manager[T]) PasswordChangeView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			return
		}
		u := m.User(r)
		if u == nil {
			m.checkLogin(w, r)
			return
		}
		au := auth.UserOf(u)
		page := &Page{Title: "Password change", HelpTexts: m.helpTexts()}
		if r.Method != http.MethodPost {
			m.render(w, r, http.StatusOK, "password_change.html", page)
			return
		}
		in, err := readInput(w, r, "old_password", "new_password1", "new_password2")
		if err != nil {
			m.bad(w, r, err)
			return
		}
		f := &form{values: in}
		f.require("old_password", "new_password1", "new_password2")
		if !f.ok() {
			m.invalid(w, r, "password_change.html", page, f)
			return
		}
		ctx, now, addr := r.Context(), m.now(), m.clientAddr(r)
		wait, err := m.throttle.check(ctx, au.Username, addr, now)
		if err != nil {
			m.internal(w, r, "login throttle", err)
			return
		}
		if wait > 0 {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			m.refuse(w, r, http.StatusTooManyRequests, "throttled", msgThrottled)
			return
		}
		ok, err := m.cfg.CheckPassword(ctx, au, in["old_password"])
		if err != nil && !errors.Is(err, auth.ErrInvalidCredentials) {
			m.internal(w, r, "check password", err)
			return
		}
		if !ok {
			if err := m.throttle.fail(ctx, au.Username, addr, now); err != nil {
				m.internal(w, r, "login throttle", err)
				return
			}
			f.fieldError("old_password", msgOldPassword)
			m.invalid(w, r, "password_change.html", page, f)
			return
		}
		if in["new_password1"] != in["new_password2"] {
			f.fieldError("new_password2", msgMismatch)
		} else if err := m.passwordErrors(f, "new_password2", in["new_password2"], au); err != nil {
			m.internal(w, r, "validate password", err)
			return
		}
		if !f.ok() {
			m.invalid(w, r, "password_change.html", page, f)
			return
		}
		if err := m.ChangePassword(w, r, u, in["new_password1"]); err != nil {
			m.internal(w, r, "change password", err)
			return
		}
		if m.isAPI(r) {
			m.writeJSON(w, http.StatusOK, map[string]any{"ok": true})
			return
		}
		redirect(w, r, m.opts.Paths.PasswordChangeDone)
	})
}

// ---------------------------------------------------------------- password reset

// PasswordResetView is Django's PasswordResetView (it needs a Mailer). POST
// takes email and sends, to every active user of the model with that
// address (ignoring case) and a usable password, a link to the confirm page
// (Options.BaseURL + Paths.PasswordResetConfirm + "<uidb64>/<token>/"),
// rendered from password_reset_subject.txt and password_reset_email.txt. The
// answer is the same whether or not an account has the address (a redirect
// to the done page, or 202 {"ok": true}), and so is the work done before
// it: the same query, a token made and an email rendered for a stand-in
// when nobody matches, and the mail handed to the Mailer in the background.
// A malformed address answers 400 before any query.
func (m *Manager[T]) PasswordResetView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			return
		}
		page := &Page{Title: "Password reset"}
		if r.Method != http.MethodPost {
			m.render(w, r, http.StatusOK, "password_reset.html", page)
			return
		}
		in, err := readInput(w, r, "email")
		if err != nil {
			m.bad(w, r, err)
			return
		}
		f := &form{values: in}
		page.Form = f.shown("email")
		email := strings.TrimSpace(in["email"])
		f.require("email")
		if email != "" && !ogm.IsEmail(email) {
			f.fieldError("email", msgInvalidEmail)
		}
		if !f.ok() {
			m.invalid(w, r, "password_reset.html", page, f)
			return
		}
		if err := m.sendResetLinks(r.Context(), email); err != nil {
			m.internal(w, r, "password reset", err)
			return
		}
		if m.isAPI(r) {
			m.writeJSON(w, http.StatusAccepted, map[string]any{"ok": true})
			return
		}
		redirect(w, r, m.opts.Paths.PasswordResetDone)
	})
}

// sendResetLinks sends a reset link to each user that email names.
func (m *Manager[T]) sendResetLinks(ctx context.Context, email string) error {
	users, err := ogm.NewNodes[*T](m.db, m.model.Type).
		Filter(ogm.NewStringProp[*T](auth.UserEmail.Key()).IExact(email)).All(ctx)
	if err != nil {
		return err
	}
	sent := false
	for _, v := range users {
		u := auth.UserOf(v)
		if !auth.IsActive(u) || !u.HasUsablePassword() || u.Password == "" {
			continue
		}
		msg, err := m.resetMessage(v, *m.model.Username(v), u.Email)
		if err != nil {
			return err
		}
		m.send(ctx, msg)
		sent = true
	}
	if !sent {
		// The same work for nobody: a token and an email for a stand-in.
		standIn := new(T)
		su := auth.UserOf(standIn)
		su.Username, su.Email, su.Password = email, email, "!"
		*m.model.Username(standIn) = email
		if _, err := m.resetMessage(standIn, email, email); err != nil {
			return err
		}
	}
	return nil
}

// resetMessage renders the reset email for u, whose login name is login.
func (m *Manager[T]) resetMessage(u *T, login, to string) (Message, error) {
	token, err := m.makeResetToken(u)
	if err != nil {
		return Message{}, err
	}
	uid, err := m.resetUID(u)
	if err != nil {
		return Message{}, err
	}
	base, _ := url.Parse(m.opts.BaseURL)
	data := &ResetEmail{
		SiteName: base.Host,
		ResetURL: m.opts.BaseURL + m.opts.Paths.PasswordResetConfirm + uid + "/" + token + "/",
		Username: login, Email: to, UID: uid, Token: token,
	}
	var subject, body strings.Builder
	if err := m.pages.mail["password_reset_subject.txt"].Execute(&subject, data); err != nil {
		return Message{}, err
	}
	if err := m.pages.mail["password_reset_email.txt"].Execute(&body, data); err != nil {
		return Message{}, err
	}
	return Message{
		From: m.opts.FromEmail, To: []string{to},
		Subject: strings.Join(strings.Fields(subject.String()), " "), Body: body.String(),
	}, nil
}

// resetParts returns the uidb64 and token of a reset link: the path values
// of Handler's pattern, or the last two segments of the path.
func (m *Manager[T]) resetParts(r *http.Request) (uid, token string) {
	uid, token = r.PathValue("uidb64"), r.PathValue("token")
	if uid != "" && token != "" {
		return uid, token
	}
	rest := strings.TrimPrefix(r.URL.Path, m.opts.Paths.PasswordResetConfirm)
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) != 2 {
		return "", ""
	}
	return parts[0], parts[1]
}

// PasswordResetConfirmView is Django's PasswordResetConfirmView, at
// Paths.PasswordResetConfirm + "<uidb64>/<token>/". GET shows the form when
// the link is valid (the uid names an active user of the model, the token
// is that user's, unexpired, and made since the password last changed) and
// says the link is invalid otherwise (an API gets 200 {"valid": true} or
// 400 {"error": "invalid_link"}). POST takes new_password1 and
// new_password2, checks the link again, the passwords' match and the
// validators; then it sets the password, which voids the token (it is
// bound to the password hash), and logs out every session of the user. It
// redirects to the complete page, or answers 200 {"ok": true}. The page is
// served with Referrer-Policy: no-referrer, so the token does not leak to
// other sites through links.
func (m *Manager[T]) PasswordResetConfirmView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			return
		}
		w.Header().Set("Referrer-Policy", "no-referrer")
		page := &Page{Title: "Enter new password", HelpTexts: m.helpTexts()}
		uid, token := m.resetParts(r)
		user, err := m.resetUser(r.Context(), uid, token)
		if err != nil {
			m.internal(w, r, "password reset confirm", err)
			return
		}
		page.ValidLink = user != nil
		if user == nil {
			if m.isAPI(r) {
				m.writeJSON(w, http.StatusBadRequest, errorBody{Error: "invalid_link", Message: "The password reset link is invalid, possibly because it has already been used."})
				return
			}
			page.Title = "Password reset unsuccessful"
			m.render(w, r, http.StatusOK, "password_reset_confirm.html", page)
			return
		}
		if r.Method != http.MethodPost {
			if m.isAPI(r) {
				m.writeJSON(w, http.StatusOK, map[string]any{"valid": true})
				return
			}
			m.render(w, r, http.StatusOK, "password_reset_confirm.html", page)
			return
		}
		in, err := readInput(w, r, "new_password1", "new_password2")
		if err != nil {
			m.bad(w, r, err)
			return
		}
		f := &form{values: in}
		f.require("new_password1", "new_password2")
		au := auth.UserOf(user)
		if f.ok() {
			if in["new_password1"] != in["new_password2"] {
				f.fieldError("new_password2", msgMismatch)
			} else if err := m.passwordErrors(f, "new_password2", in["new_password2"], au); err != nil {
				m.internal(w, r, "validate password", err)
				return
			}
		}
		if !f.ok() {
			m.invalid(w, r, "password_reset_confirm.html", page, f)
			return
		}
		err = m.db.Write(r.Context(), func(ctx context.Context) error {
			if err := m.cfg.ChangePassword(ctx, au, in["new_password1"]); err != nil {
				return err
			}
			_, err := m.store.DeleteUserSessions(ctx, au.ElementID(), "")
			return err
		})
		if err != nil {
			m.internal(w, r, "password reset confirm", err)
			return
		}
		if m.isAPI(r) {
			m.writeJSON(w, http.StatusOK, map[string]any{"ok": true})
			return
		}
		redirect(w, r, m.opts.Paths.PasswordResetComplete)
	})
}

// resetUser returns the user a reset link is valid for, or nil.
func (m *Manager[T]) resetUser(ctx context.Context, uid, token string) (*T, error) {
	if uid == "" || token == "" || len(token) > 64 {
		return nil, nil
	}
	u, err := m.userByResetUID(ctx, uid)
	if err != nil || u == nil {
		return nil, err
	}
	if !(m.opts.AllowInactive || auth.IsActive(auth.UserOf(u))) {
		return nil, nil
	}
	ok, err := m.checkResetToken(u, token)
	if err != nil || !ok {
		return nil, err // an error answers 500, not "invalid link"
	}
	return u, nil
}

// ---------------------------------------------------------------- signup

// SignupView creates an account and logs it in (Django's UserCreationForm
// in a view of one's own; enabled by Options.Signup). POST takes username
// (the model's username field: an email address for a model that logs in
// with one), email (optional), password1 and password2: the username must
// be valid and free, the passwords equal and accepted by Config's
// validators. It redirects (303) to a safe next or Options.LoginRedirect,
// or answers 201 {"user": {…}}. A model with required fields beyond these
// cannot be signed up for here (the form shows the validation error).
func (m *Manager[T]) SignupView() http.Handler {
	return m.view(func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			return
		}
		page := &Page{Title: "Sign up", HelpTexts: m.helpTexts(), Next: SafeNext(r.URL.Query().Get("next"))}
		if r.Method != http.MethodPost {
			m.render(w, r, http.StatusOK, "signup.html", page)
			return
		}
		in, err := readInput(w, r, "username", "email", "password1", "password2", "next")
		if err != nil {
			m.bad(w, r, err)
			return
		}
		f := &form{values: in}
		if n := SafeNext(in["next"]); n != "" {
			page.Next = n
		}
		page.Form = f.shown("username", "email")
		f.require("username", "password1", "password2")
		email := auth.NormalizeEmail(in["email"])
		if email != "" && !ogm.IsEmail(email) {
			f.fieldError("email", msgInvalidEmail)
		}
		var username string
		if in["username"] != "" {
			username, err = m.checkSignupUsername(in["username"])
			if err != nil {
				f.fieldError("username", err.Error())
			}
		}
		if f.ok() {
			attrs := &auth.User{Username: username, Email: email}
			if in["password1"] != in["password2"] {
				f.fieldError("password2", msgMismatch)
			} else if err := m.passwordErrors(f, "password2", in["password2"], attrs); err != nil {
				m.internal(w, r, "validate password", err)
				return
			}
		}
		if !f.ok() {
			m.invalid(w, r, "signup.html", page, f)
			return
		}
		u, err := m.createUser(r.Context(), username, email, in["password1"])
		var verrs ogm.ValidationErrors
		var verr *ogm.ValidationError
		switch {
		case errors.Is(err, auth.ErrUsernameTaken):
			f.fieldError("username", msgUserExists)
		case errors.As(err, &verrs):
			for _, e := range verrs {
				f.errs = append(f.errs, e.Error())
			}
		case errors.As(err, &verr):
			f.errs = append(f.errs, verr.Error())
		case errors.Is(err, auth.ErrInvalidUsername):
			f.fieldError("username", "Enter a valid username.")
		case err != nil:
			m.internal(w, r, "signup", err)
			return
		}
		if !f.ok() {
			m.invalid(w, r, "signup.html", page, f)
			return
		}
		m.logInAndAnswer(w, r, u, http.StatusCreated, page.Next)
	})
}

// checkSignupUsername normalizes and checks a new login name, with the
// rules of the model's username field.
func (m *Manager[T]) checkSignupUsername(v string) (string, error) {
	f := m.model.UsernameField
	if f.Type == "email" {
		v = auth.NormalizeEmail(v)
		if !ogm.IsEmail(v) {
			return "", errors.New(msgInvalidEmail)
		}
		return v, nil
	}
	n, err := auth.NormalizeUsername(v)
	if err != nil {
		return "", errors.New("Enter a valid username: at most 150 characters.")
	}
	if err := auth.ValidateUsername(n); err != nil {
		return "", errors.New("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
	}
	return n, nil
}
