package authhttp

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/http"
	texttemplate "text/template"
)

// Templates are the embedded templates of the views, by file name. Each
// page is base.html (its "base" template, with a "content" block, and a
// "field" template for a field's errors) plus the page's own file, executed
// with a *Page. Options.Templates replaces any of them by a file of the same
// name; the emails are text/template files executed with a *ResetEmail.
var Templates = []string{
	"base.html", "error.html",
	"login.html", "logged_out.html",
	"password_change.html", "password_change_done.html",
	"password_reset.html", "password_reset_done.html",
	"password_reset_confirm.html", "password_reset_complete.html",
	"signup.html",
	"password_reset_subject.txt", "password_reset_email.txt",
}

//go:embed templates
var embedded embed.FS

// Page is what a view's template is executed with.
type Page struct {
	// Title is the page's title ("Log in", …).
	Title string
	// Status is the HTTP status of the response.
	Status int
	// Message is the sentence of an error page.
	Message string
	// User is the logged-in user (the model's type), or nil.
	User any
	// Form holds the submitted values to show again (never a password).
	Form map[string]string
	// Errors are about the whole form ("Please enter a correct username
	// and password.").
	Errors []string
	// FieldErrors are about one field each, by field name.
	FieldErrors map[string][]string
	// Next is the safe page to go to after logging in.
	Next string
	// Paths are the URLs of the views.
	Paths Paths
	// ValidLink: the reset link of the confirm page is valid.
	ValidLink bool
	// UsernameLabel names the login field ("Username", "Login email").
	UsernameLabel string
	// HelpTexts describe what the password validators ask for.
	HelpTexts []string
	// Signup: the signup view is enabled.
	Signup bool
	// ResetEnabled: the password reset views are enabled.
	ResetEnabled bool
}

// ResetEmail is what the password reset email's templates are executed
// with.
type ResetEmail struct {
	// SiteName is the host of Options.BaseURL.
	SiteName string
	// ResetURL is the link to the reset confirm page.
	ResetURL string
	// Username is the user's login name (the username field's value).
	Username string
	// Email is the address the email goes to.
	Email string
	// UID and Token are the two parts of the link (Django's uidb64 and
	// token).
	UID, Token string
}

type templates struct {
	pages map[string]*htmltemplate.Template
	mail  map[string]*texttemplate.Template
}

// loadTemplates parses the embedded templates, each replaced by the file of
// the same name in override when there is one.
func loadTemplates(override fs.FS) (*templates, error) {
	read := func(name string) (string, error) {
		if override != nil {
			b, err := fs.ReadFile(override, name)
			if err == nil {
				return string(b), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("authhttp: template %s: %w", name, err)
			}
		}
		b, err := embedded.ReadFile("templates/" + name)
		return string(b), err
	}
	base, err := read("base.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*htmltemplate.Template{}, mail: map[string]*texttemplate.Template{}}
	for _, name := range Templates {
		text, err := read(name)
		if err != nil {
			return nil, err
		}
		switch {
		case name == "base.html":
		case len(name) > 4 && name[len(name)-4:] == ".txt":
			p, err := texttemplate.New(name).Option("missingkey=error").Parse(text)
			if err != nil {
				return nil, fmt.Errorf("authhttp: template %w", err)
			}
			t.mail[name] = p
		default:
			p := htmltemplate.New(name)
			if _, err := p.New("base.html").Parse(base); err != nil {
				return nil, fmt.Errorf("authhttp: template %w", err)
			}
			if _, err := p.Parse(text); err != nil {
				return nil, fmt.Errorf("authhttp: template %w", err)
			}
			t.pages[name] = p
		}
	}
	return t, nil
}

// render executes the page template name with p and writes it with the
// headers every auth page has: no caching, no framing, no referrer to other
// sites.
func (m *Manager[T]) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	p.Status = status
	p.Paths = m.opts.Paths
	p.Signup = m.opts.Signup
	p.ResetEnabled = m.opts.Mailer != nil
	if p.User == nil {
		if u := m.User(r); u != nil {
			p.User = u
		}
	}
	if p.UsernameLabel == "" {
		p.UsernameLabel = label(m.model.UsernameField.Name)
	}
	var buf bytes.Buffer
	if err := m.pages.pages[name].Execute(&buf, p); err != nil {
		m.log.ErrorContext(r.Context(), "authhttp: render "+name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")
	if h.Get("Referrer-Policy") == "" {
		h.Set("Referrer-Policy", "same-origin")
	}
	h.Add("Vary", "Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// label turns a field name into a label: "login_email" → "Login email".
func label(name string) string {
	b := []byte(name)
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
	if len(b) > 0 && 'a' <= b[0] && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}
