package authhttp

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Message is an email the views send (a password reset link).
type Message struct {
	From    string
	To      []string
	Subject string
	Body    string // plain text
}

// Mailer sends emails. The views call it in the background, after the
// response (see the password reset view), with a context that outlives the
// request by at most a minute. Send must be safe for concurrent use.
type Mailer interface {
	Send(ctx context.Context, msg Message) error
}

// MailerFunc turns a function into a Mailer.
type MailerFunc func(ctx context.Context, msg Message) error

// Send calls f.
func (f MailerFunc) Send(ctx context.Context, msg Message) error { return f(ctx, msg) }

// DevMailer is the development mailer (Django's console and file email
// backends): it writes each message to a file of its own in Dir
// (<time>-<n>.eml, in the order sent) and logs that it did, or, with no Dir,
// logs the whole message. Do not use it in production: the reset links it
// writes let anyone who reads them log in.
type DevMailer struct {
	// Dir is the folder the messages are written to (created when
	// missing); "" logs them instead.
	Dir string
	// Logger receives a line per message; nil means slog.Default().
	Logger *slog.Logger

	mu sync.Mutex
	n  atomic.Int64
}

// Send implements Mailer.
func (d *DevMailer) Send(ctx context.Context, msg Message) error {
	log := d.Logger
	if log == nil {
		log = slog.Default()
	}
	text := FormatMessage(msg)
	if d.Dir == "" {
		log.InfoContext(ctx, "authhttp: email (development mailer)", "to", strings.Join(msg.To, ", "), "message", text)
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.MkdirAll(d.Dir, 0o700); err != nil {
		return err
	}
	name := filepath.Join(d.Dir, fmt.Sprintf("%s-%06d.eml", time.Now().UTC().Format("20060102T150405.000000000"), d.n.Add(1)))
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		return err
	}
	log.InfoContext(ctx, "authhttp: email written (development mailer)", "to", strings.Join(msg.To, ", "), "file", name)
	return nil
}

// FormatMessage is msg as the text of an email (headers, a blank line, the
// body), as DevMailer writes it.
func FormatMessage(msg Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
		oneLine(msg.From), oneLine(strings.Join(msg.To, ", ")), oneLine(msg.Subject))
	b.WriteString(msg.Body)
	return b.String()
}

// oneLine keeps a header on its line: no CR or LF from data can add one.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// send hands msg to the Mailer in the background, so that the response
// does not wait for it (nor tells, by its timing, whether an email went).
func (m *Manager[T]) send(ctx context.Context, msg Message) {
	m.mail.Add(1)
	go func() {
		defer m.mail.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := m.opts.Mailer.Send(ctx, msg); err != nil {
			m.log.ErrorContext(ctx, "authhttp: send email", "err", err)
		}
	}()
}
