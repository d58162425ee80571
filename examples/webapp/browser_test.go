package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of Debian's chromium. Without it the test
// fails under CI (make test installs it) and is skipped, saying so,
// elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: make test installs it (apt-get install chromium)")
	}
	t.Skip("SKIP: chromium is not installed; `make test` installs it (apt-get install chromium)")
	return ""
}

// TestBrowser drives headless Chromium through the site as a person would:
// a protected page sends it to the login form, it logs in and sees the
// page, logs out, then resets its password with the link that the
// development mailer wrote, and logs in with the new one.
func TestBrowser(t *testing.T) {
	path := chromium(t)
	s := newSite(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI
		chromedp.Flag("headless", true),
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	base := s.srv.URL
	var text, url string
	fail := func(what string, err error) {
		t.Helper()
		page, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		t.Fatalf("%s: %v\npage:\n%s", what, err, page)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			fail(what, err)
		}
	}
	read := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			fail(what, err)
		}
		return v
	}
	byID := func(id string) chromedp.CSS { return chromedp.CSS("#" + id) }

	// A protected page: the login form, which comes back to it.
	step("open a protected page",
		chromedp.Navigate(base+"/posts/new"),
		chromedp.WaitVisible(byID("id_username")))
	url = read("location", chromedp.Location())
	if !strings.Contains(url, "/accounts/login/?next=%2Fposts%2Fnew") {
		t.Errorf("redirected to %s", url)
	}
	step("a wrong password",
		chromedp.SendKeys(byID("id_username"), writerName),
		chromedp.SendKeys(byID("id_password"), "not-the-password"),
		chromedp.Click(byID("login")),
		chromedp.WaitVisible(byID("errors")))
	text = read("errors", chromedp.Text(byID("errors")))
	if !strings.Contains(text, "Please enter a correct username and password") {
		t.Errorf("error %q", text)
	}
	step("log in",
		chromedp.SendKeys(byID("id_password"), writerPassword),
		chromedp.Click(byID("login")),
		chromedp.WaitVisible(byID("new-post")))
	text = read("whoami", chromedp.Text(byID("whoami")))
	url = read("location", chromedp.Location())
	if text != writerName || url != base+"/posts/new" {
		t.Errorf("logged in as %q at %s", text, url)
	}
	step("write a draft",
		chromedp.SendKeys(byID("title"), "Written in Chromium"),
		chromedp.Click(byID("save")),
		chromedp.WaitVisible(byID("drafts")))
	text = read("drafts", chromedp.Text(byID("drafts")))
	if !strings.Contains(text, "Written in Chromium") {
		t.Errorf("drafts %q", text)
	}
	step("log out",
		chromedp.Click(byID("logout")),
		chromedp.WaitVisible(byID("message")))
	text = read("message", chromedp.Text(byID("message")))
	if !strings.Contains(text, "logged out") {
		t.Errorf("after logout: %q", text)
	}
	step("the protected page again",
		chromedp.Navigate(base+"/posts/new"),
		chromedp.WaitVisible(byID("id_username")))

	// The password reset, with the link from the mail folder.
	step("ask for a reset",
		chromedp.Click(byID("forgot")),
		chromedp.WaitVisible(byID("id_email")),
		chromedp.SendKeys(byID("id_email"), writerName+"@example.com"),
		chromedp.Click(byID("reset")),
		chromedp.WaitVisible(byID("message")))
	text = read("message", chromedp.Text(byID("message")))
	if !strings.Contains(text, "We’ve emailed you instructions") {
		t.Errorf("reset done: %q", text)
	}
	if err := s.a.m.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	link := readResetLink(t, s.mailDir)
	step("set a new password",
		chromedp.Navigate(base+link),
		chromedp.WaitVisible(byID("id_new_password1")),
		chromedp.SendKeys(byID("id_new_password1"), "Copper-Meadow-31"),
		chromedp.SendKeys(byID("id_new_password2"), "Copper-Meadow-31"),
		chromedp.Click(byID("set")),
		chromedp.WaitVisible(byID("login-link")))
	text = read("message", chromedp.Text(byID("message")))
	if !strings.Contains(text, "Your password has been set") {
		t.Errorf("reset complete: %q", text)
	}
	step("the used link is dead",
		chromedp.Navigate(base+link),
		chromedp.WaitVisible(byID("message")))
	text = read("message", chromedp.Text(byID("message")))
	if !strings.Contains(text, "invalid") {
		t.Errorf("reused link: %q", text)
	}
	step("log in with the new password",
		chromedp.Navigate(base+"/accounts/login/"),
		chromedp.WaitVisible(byID("id_username")),
		chromedp.SendKeys(byID("id_username"), writerName),
		chromedp.SendKeys(byID("id_password"), "Copper-Meadow-31"),
		chromedp.Click(byID("login")),
		chromedp.WaitVisible(byID("whoami")))
	text = read("whoami", chromedp.Text(byID("whoami")))
	if text != writerName {
		t.Errorf("logged in as %q", text)
	}
}
