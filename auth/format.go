package auth

import (
	"fmt"
	"log/slog"
	"strings"
)

// redacted stands for the password hash wherever a User is printed.
const redacted = "[redacted]"

// userNoFormat is User without its methods, for printing it without
// recursing into Format.
type userNoFormat User

// Format prints the user as fmt prints any struct (%v, %+v, %#v, %s), with
// the password hash replaced by [redacted], so that a user can be logged
// or put in an error message without leaking it.
func (u User) Format(f fmt.State, verb rune) {
	if u.Password != "" {
		u.Password = redacted
	}
	s := fmt.Sprintf(fmt.FormatString(f, verb), userNoFormat(u))
	if verb == 'v' && f.Flag('#') {
		s = strings.Replace(s, "auth.userNoFormat{", "auth.User{", 1)
	}
	fmt.Fprint(f, s)
}

// String returns "User(username)".
func (u User) String() string { return "User(" + u.Username + ")" }

// LogValue gives log/slog the user's identity and flags, never the password
// hash.
func (u User) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", u.ElementID()),
		slog.String("username", u.Username),
		slog.String("email", u.Email),
		slog.Bool("is_active", IsActive(&u)),
		slog.Bool("is_staff", u.IsStaff),
		slog.Bool("is_superuser", u.IsSuperuser),
	)
}
