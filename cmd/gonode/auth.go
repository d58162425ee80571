package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/auth/authhttp"
	"github.com/gonode/gonode/auth/validators"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

func newAuthCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Manage the users of the built-in auth schema",
		Long: `auth creates users of the built-in auth schema (builtin:auth), or of a user
type of your schema that extends auth.User (--schema and --model), and sets
their passwords, hashed as Django does (PBKDF2-SHA256, 1,000,000
iterations).

With --schema FILE --model TYPE, USERNAME is the value of TYPE's username
field (username_field, e.g. an email address), the node is created with all
of TYPE's labels, and every field of its required_fields must be given, with
--field NAME=VALUE (repeatable, for any property of TYPE but the password),
or answered at a prompt on a terminal, as Django's createsuperuser asks for
REQUIRED_FIELDS.

On a terminal the password is asked twice without echo; otherwise it is the
first line of standard input. It must pass Django's default password
validators (at least 8 characters, not too similar to the username or email,
not a common password, not entirely numeric) unless --skip-validation is
given. Usernames are unique through the constraint of install-labels.`,
		Example: `  gonode auth create-user john --email john@example.com
  gonode auth create-superuser admin
  gonode auth set-password john
  gonode auth create-user ann@example.com --schema models.yaml --model Member --field first_name=Ann`,
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

// modelFlags are the flags that choose the user model of an auth command.
type modelFlags struct {
	schema, model string
	load          schema.LoadOptions
}

func (f *modelFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.schema, "schema", "", "schema file declaring the user type (with --model)")
	cmd.Flags().StringVar(&f.model, "model", "", "user type of --schema: a node type that extends auth.User")
	addLoadFlags(cmd, &f.load)
}

// userModel returns the model the flags choose: auth.User without them.
func (f *modelFlags) userModel() (*cliModel, error) {
	switch {
	case f.schema == "" && f.model == "":
		s, err := schema.LoadBytes(schema.AuthPath, schema.Auth)
		if err != nil {
			return nil, err
		}
		return newCLIModel(s.Files[0].Node("User"))
	case f.schema == "":
		return nil, fmt.Errorf("--model %s needs --schema: the schema file that declares it", f.model)
	case f.model == "":
		return nil, fmt.Errorf("--schema %s needs --model: the user type to create (a node type that extends auth.User)", f.schema)
	}
	return loadUserModel(f.load, f.schema, f.model)
}

func newCreateUserCmd(g *globals, super bool) *cobra.Command {
	var email string
	var fields []string
	var noPassword, skipValidation bool
	var mf modelFlags
	use, short := "create-user USERNAME", "Create a user"
	example := `  gonode auth create-user john --email john@example.com
  echo "$PASSWORD" | gonode auth create-user john --db bolt://neo4j:secret@localhost:7687
  gonode auth create-user ann@example.com --schema models.yaml --model Member --field first_name=Ann`
	if super {
		use, short = "create-superuser USERNAME", "Create a superuser (staff, every permission)"
		example = `  gonode auth create-superuser admin --email admin@example.com
  gonode auth create-superuser root@example.com --schema models.yaml --model Member --field card_number=1`
	}
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, err := mf.userModel()
			if err != nil {
				return err
			}
			username, err := m.normalizeUsername(args[0])
			if err != nil {
				return err
			}
			values, err := m.parseFields(fields)
			if err != nil {
				return err
			}
			email = auth.NormalizeEmail(email)
			if email != "" && !ogm.IsEmail(email) {
				return fmt.Errorf("invalid email address %q", email)
			}
			if email != "" {
				p, err := m.property("email")
				if err != nil {
					return err
				}
				values[p] = email
			}
			in := newInput(cmd)
			missing := m.missingRequired(values)
			if len(missing) > 0 && !in.terminal {
				return fmt.Errorf("%s requires %s (required_fields): give %s", m.node.Name, joinNames(missing), fieldFlags(missing))
			}
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			// Ask before prompting (the constraint still decides when two
			// creations race).
			if _, err := m.model.GetByNaturalKey(ctx, db, username); err == nil {
				return fmt.Errorf("user %q exists already", username)
			} else if !errors.Is(err, ogm.ErrDoesNotExist) {
				return err
			}
			for _, p := range missing {
				if values[p], err = in.askField(p); err != nil {
					return err
				}
			}
			u, err := m.newUser(username, values)
			if err != nil {
				return err
			}
			if super {
				u.IsStaff, u.IsSuperuser = true, true
			}
			if !noPassword {
				pw, err := in.password()
				if err != nil {
					return err
				}
				if !skipValidation {
					if err := validate(pw, &u.User); err != nil {
						return err
					}
				}
				if err := u.SetPassword(pw); err != nil {
					return err
				}
			}
			_, err = auth.CreateUserAs(ctx, db, m.model, u)
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
			fmt.Fprintf(cmd.OutOrStdout(), "created %s %q%s\n", kind, *m.model.Username(u), m.kindSuffix())
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "email address of the user")
	cmd.Flags().StringArrayVar(&fields, "field", nil, "NAME=VALUE: a property of the user (repeatable; the model's required_fields are asked for on a terminal)")
	cmd.Flags().BoolVar(&skipValidation, "skip-validation", false, "accept a password that the validators refuse")
	if !super {
		cmd.Flags().BoolVar(&noPassword, "no-password", false, "give the user an unusable password instead of asking for one")
	}
	mf.add(cmd)
	return cmd
}

func newSetPasswordCmd(g *globals) *cobra.Command {
	var skipValidation bool
	var mf modelFlags
	cmd := &cobra.Command{
		Use:   "set-password USERNAME",
		Short: "Set the password of a user",
		Long: `set-password sets the password of the user whose username is exactly
USERNAME (Django's changepassword): with --schema and --model, the user of
that type whose username field is USERNAME. Only the password property is
written.`,
		Example: `  gonode auth set-password john
  gonode auth set-password ann@example.com --schema models.yaml --model Member`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, err := mf.userModel()
			if err != nil {
				return err
			}
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			u, err := m.model.GetByNaturalKey(ctx, db, args[0])
			if errors.Is(err, ogm.ErrDoesNotExist) {
				return fmt.Errorf("no user %q%s", args[0], m.kindSuffix())
			}
			if err != nil {
				return err
			}
			pw, err := newInput(cmd).password()
			if err != nil {
				return err
			}
			if !skipValidation {
				if err := validate(pw, &u.User); err != nil {
					return err
				}
			}
			if err := auth.ChangePassword(ctx, &u.User, pw); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "changed the password of %q%s\n", args[0], m.kindSuffix())
			return nil
		},
	}
	cmd.Flags().BoolVar(&skipValidation, "skip-validation", false, "accept a password that the validators refuse")
	mf.add(cmd)
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

// input reads what an auth command asks for: from the terminal, with
// prompts on standard error, when standard input is one, else the first
// line of standard input (the password; nothing else is asked for then).
type input struct {
	cmd      *cobra.Command
	terminal bool
	fd       int
	lines    *bufio.Reader
}

func newInput(cmd *cobra.Command) *input {
	in := &input{cmd: cmd, lines: bufio.NewReader(cmd.InOrStdin())}
	if f, ok := cmd.InOrStdin().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		in.terminal, in.fd = true, int(f.Fd())
	}
	return in
}

// askField prompts for property p on the terminal until the answer is a
// value of its type (Django's createsuperuser asks for each required
// field so).
func (in *input) askField(p *schema.Property) (any, error) {
	prompt := in.cmd.ErrOrStderr()
	label := strings.ReplaceAll(p.Name, "_", " ")
	label = strings.ToUpper(label[:1]) + label[1:]
	for {
		fmt.Fprintf(prompt, "%s%s: ", label, formatHint(p.Type.Kind))
		line, err := in.lines.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p.Name, err)
		}
		text := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if strings.TrimSpace(text) == "" {
			fmt.Fprintf(prompt, "Error: %s is required.\n", p.Name)
			continue
		}
		v, err := parseField(p, text)
		if err != nil {
			fmt.Fprintf(prompt, "Error: %v.\n", err)
			continue
		}
		return v, nil
	}
}

// password asks for the password twice without echo on a terminal, and
// otherwise reads the first line of standard input.
func (in *input) password() (string, error) {
	var pw string
	if in.terminal {
		prompt := in.cmd.ErrOrStderr()
		ask := func(label string) (string, error) {
			fmt.Fprint(prompt, label)
			b, err := term.ReadPassword(in.fd)
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
		line, err := in.lines.ReadString('\n')
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

// normalizeUsername normalizes and checks the value of the model's
// username field given as USERNAME: auth.User's username is NFKC and
// Django's username characters (UnicodeUsernameValidator); an email is
// one.
func (m *cliModel) normalizeUsername(v string) (string, error) {
	switch {
	case m.login.Name == "username" && slices.Contains(m.user.Properties, m.login):
		name, err := auth.NormalizeUsername(v)
		if err == nil {
			err = auth.ValidateUsername(name)
		}
		return name, err
	case m.login.Type.Kind == schema.KindEmail:
		e := auth.NormalizeEmail(v)
		if !ogm.IsEmail(e) {
			return "", fmt.Errorf("%w: %q is not an email address (%s logs in with %s)", auth.ErrInvalidUsername, v, m.node.Name, m.login.Name)
		}
		return e, nil
	}
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("%w: the %s must be set", auth.ErrInvalidUsername, m.login.Name)
	}
	return v, nil
}

// parseFields reads the --field NAME=VALUE flags.
func (m *cliModel) parseFields(fields []string) (map[*schema.Property]any, error) {
	values := map[*schema.Property]any{}
	for _, f := range fields {
		name, text, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("--field %q: write NAME=VALUE", f)
		}
		p, err := m.property(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if _, dup := values[p]; dup {
			return nil, fmt.Errorf("--field %s is given twice", p.Name)
		}
		if values[p], err = parseField(p, text); err != nil {
			return nil, fmt.Errorf("--field %w", err)
		}
	}
	return values, nil
}

// missingRequired lists the model's required fields that values lacks.
func (m *cliModel) missingRequired(values map[*schema.Property]any) []*schema.Property {
	var out []*schema.Property
	for _, p := range m.node.UserModel.RequiredFields {
		if _, ok := values[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// kindSuffix names the model in messages, unless it is auth.User.
func (m *cliModel) kindSuffix() string {
	if m.node == m.user {
		return ""
	}
	return " (" + m.node.Name + ")"
}

func joinNames(ps []*schema.Property) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func fieldFlags(ps []*schema.Property) string {
	flags := make([]string, len(ps))
	for i, p := range ps {
		flags[i] = "--field " + p.Name + "=VALUE"
	}
	return strings.Join(flags, " ") + " (or run on a terminal to be asked)"
}
