package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/validators"
	"github.com/gonode/gonode/ogm"
)

func newAuthCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Manage the users of the built-in auth schema",
		Long: `auth creates users of the built-in auth schema (builtin:auth) and sets their
passwords, hashed as Django does (PBKDF2-SHA256, 1,000,000 iterations).

On a terminal the password is asked twice without echo; otherwise it is the
first line of standard input. It must pass Django's default password
validators (at least 8 characters, not too similar to the username or email,
not a common password, not entirely numeric) unless --skip-validation is
given. Usernames are unique through the constraint of install-labels.`,
		Example: `  gonode auth create-user john --email john@example.com
  gonode auth create-superuser admin
  gonode auth set-password john`,
	}
	cmd.AddCommand(newCreateUserCmd(g, false), newCreateUserCmd(g, true), newSetPasswordCmd(g), newClearSessionsCmd(g))
	return cmd
}

func newClearSessionsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "clear-sessions",
		Short: "Delete the expired sessions of auth/authhttp",
		Long: `clear-sessions deletes the Session nodes whose expiry (absolute or idle) has
passed, and the login throttle counters whose window has closed (Django's
clearsessions). Expired sessions are already refused; this only reclaims the
space. It deletes in batches of 1,000, each committed on its own, so it can
run on a large database while the application serves; run it from cron.`,
		Example: `  gonode auth clear-sessions --db bolt://neo4j:secret@localhost:7687`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.withDB(ctx, func(db *ogm.DB) error {
				n, err := authhttp.NewNeo4jStore(db).DeleteExpired(ctx, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted %d expired sessions\n", n)
				return nil
			})
		},
	}
}

func newCreateUserCmd(g *globals, super bool) *cobra.Command {
	var email string
	var noPassword, skipValidation bool
	use, short := "create-user USERNAME", "Create a user"
	example := `  gonode auth create-user john --email john@example.com
  echo "$PASSWORD" | gonode auth create-user john --db bolt://neo4j:secret@localhost:7687`
	if super {
		use, short = "create-superuser USERNAME", "Create a superuser (staff, every permission)"
		example = `  gonode auth create-superuser admin --email admin@example.com`
	}
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			username, err := auth.NormalizeUsername(args[0])
			if err == nil {
				err = auth.ValidateUsername(username)
			}
			if err != nil {
				return err
			}
			email = auth.NormalizeEmail(email)
			if email != "" && !ogm.IsEmail(email) {
				return fmt.Errorf("invalid email address %q", email)
			}
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			// Ask before prompting for a password (the constraint still
			// decides when two creations race).
			if _, err := auth.GetByNaturalKey(ctx, db, username); err == nil {
				return fmt.Errorf("user %q exists already", username)
			} else if !errors.Is(err, ogm.ErrDoesNotExist) {
				return err
			}
			var password *string
			if !noPassword {
				pw, err := readPassword(cmd)
				if err != nil {
					return err
				}
				if !skipValidation {
					if err := validate(pw, &auth.User{Username: username, Email: email}); err != nil {
						return err
					}
				}
				password = &pw
			}
			var u *auth.User
			if super {
				u, err = auth.CreateSuperuser(ctx, db, username, email, *password)
			} else {
				u, err = auth.CreateUser(ctx, db, username, email, password)
			}
			if errors.Is(err, auth.ErrUsernameTaken) {
				return fmt.Errorf("user %q exists already", username)
			}
			if err != nil {
				return err
			}
			kind := "user"
			if super {
				kind = "superuser"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created %s %q\n", kind, u.Username)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address of the user")
	cmd.Flags().BoolVar(&skipValidation, "skip-validation", false, "accept a password that the validators refuse")
	if !super {
		cmd.Flags().BoolVar(&noPassword, "no-password", false, "give the user an unusable password instead of asking for one")
	}
	return cmd
}

func newSetPasswordCmd(g *globals) *cobra.Command {
	var skipValidation bool
	cmd := &cobra.Command{
		Use:   "set-password USERNAME",
		Short: "Set the password of a user",
		Long: `set-password sets the password of the user whose username is exactly
USERNAME (Django's changepassword). Only the password property is written.`,
		Example: `  gonode auth set-password john`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			u, err := auth.GetByNaturalKey(ctx, db, args[0])
			if errors.Is(err, ogm.ErrDoesNotExist) {
				return fmt.Errorf("no user %q", args[0])
			}
			if err != nil {
				return err
			}
			pw, err := readPassword(cmd)
			if err != nil {
				return err
			}
			if !skipValidation {
				if err := validate(pw, u); err != nil {
					return err
				}
			}
			if err := auth.ChangePassword(ctx, u, pw); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "changed the password of %q\n", u.Username)
			return nil
		},
	}
	cmd.Flags().BoolVar(&skipValidation, "skip-validation", false, "accept a password that the validators refuse")
	return cmd
}

// validate runs the default password validators and lists what they refuse.
func validate(pw string, u *auth.User) error {
	err := auth.ValidatePassword(pw, u)
	var errs validators.Errors
	if errors.As(err, &errs) {
		return fmt.Errorf("the password is refused:\n  %s\n(--skip-validation to use it anyway)", strings.Join(errs.Messages(), "\n  "))
	}
	return err
}

// readPassword asks for the password twice without echo when standard
// input is a terminal, and otherwise reads its first line.
func readPassword(cmd *cobra.Command) (string, error) {
	in := cmd.InOrStdin()
	var pw string
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		prompt := cmd.ErrOrStderr()
		ask := func(label string) (string, error) {
			fmt.Fprint(prompt, label)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(prompt)
			return string(b), err
		}
		first, err := ask("Password: ")
		if err != nil {
			return "", err
		}
		again, err := ask("Password (again): ")
		if err != nil {
			return "", err
		}
		if first != again {
			return "", errors.New("the passwords do not match")
		}
		pw = first
	} else {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			if errors.Is(err, io.EOF) {
				return "", errors.New("no password: standard input is empty (pipe the password, or run on a terminal)")
			}
			return "", err
		}
		pw = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	}
	if pw == "" {
		return "", errors.New("blank passwords are not allowed")
	}
	return pw, nil
}
