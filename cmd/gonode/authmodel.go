package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// The user models of gonode auth --schema F --model T. The command cannot
// import the code generated for T, so it builds T's node type at run time
// from the schema (labels, stored keys, rules and defaults, as the
// generator would) over the auth.User it embeds, and hands it to package
// auth as an *auth.Model of dynUser: auth.CreateUserAs then creates a T
// node with all of T's labels, normalizes the username field and checks
// the required fields, exactly as for the generated model.

// dynUser is a user of a user type known from its schema: the auth.User it
// embeds, and the type's other properties, as stored.
type dynUser struct {
	auth.User
	login string         // the username field, when it is not auth.User's username
	props map[string]any // the properties the type adds to auth.User, by stored key
}

// cliModel is a user type of a schema, as the auth commands use it.
type cliModel struct {
	node  *schema.Node
	model *auth.Model[dynUser]
	user  *schema.Node       // auth.User
	login *schema.Property   // the username field
	own   []*schema.Property // the properties beyond auth.User's
	// loginOwn: the username field is one of own (held in dynUser.login).
	loginOwn bool
	// patterns are the compiled patterns of own, by stored key.
	patterns map[string]*regexp.Regexp
}

// loadUserModel loads the schemas and returns the user type called name.
func loadUserModel(load schema.LoadOptions, path, name string) (*cliModel, error) {
	s, err := load.Load(path)
	if err != nil {
		return nil, err
	}
	var users []string
	var found *schema.Node
	for _, f := range s.Roots() {
		for _, n := range f.Nodes {
			if n.UserModel != nil && !n.Abstract {
				users = append(users, n.Name)
			}
			if n.Name == name {
				found = n
			}
		}
	}
	known := "it declares none"
	if len(users) > 0 {
		known = "it declares " + strings.Join(users, ", ")
	}
	switch {
	case found == nil:
		return nil, fmt.Errorf("%s has no node type %q (user types: %s)", path, name, known)
	case found.UserModel == nil || found.AuthUser() == nil:
		return nil, fmt.Errorf("%s is not a user type: it does not extend auth.User (user types of %s: %s)", name, path, known)
	case found.Abstract:
		return nil, fmt.Errorf("%s is abstract: no user can be of it (user types of %s: %s)", name, path, known)
	case found.UserModel.UsernameField == nil:
		return nil, fmt.Errorf("%s has no username field", name)
	}
	return newCLIModel(found)
}

// newCLIModel builds the model of user type n.
func newCLIModel(n *schema.Node) (*cliModel, error) {
	root := n.AuthUser()
	m := &cliModel{node: n, user: root, patterns: map[string]*regexp.Regexp{}}
	var infos []ogm.PropInfo
	for _, p := range n.AllProperties() {
		infos = append(infos, p.PropInfo())
		if slices.Contains(root.Properties, p) {
			continue
		}
		m.own = append(m.own, p)
		if p.Pattern != "" {
			re, err := regexp.Compile(p.Pattern)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: pattern: %w", n.Name, p.Name, err)
			}
			m.patterns[p.DBName] = re
		}
		if p.Default != nil && p.Default.Kind == schema.DefaultLiteral {
			if _, err := storedValue(p, p.Default.Value); err != nil {
				return nil, fmt.Errorf("%s.%s: the default: %w", n.Name, p.Name, err)
			}
		}
	}
	um := n.UserModel
	login := um.UsernameField
	loginOwn := !slices.Contains(root.Properties, login)
	m.login, m.loginOwn = login, loginOwn
	typ := &ogm.NodeType[dynUser]{
		NodeInfo: ogm.NodeInfo{Name: n.Name, Label: n.DBLabel(), Labels: n.LabelChain(), Props: infos},
		Encode: func(d *dynUser) (map[string]any, error) {
			props, err := auth.UserType.Encode(&d.User)
			if err != nil {
				return nil, err
			}
			for _, p := range m.own {
				props[p.DBName] = d.props[p.DBName]
			}
			if loginOwn {
				props[login.DBName] = ogm.OptString(d.login)
			}
			return props, nil
		},
		Decode: func(d *dynUser, dec *ogm.Decoder) {
			auth.UserType.Decode(&d.User, dec)
			if loginOwn {
				d.login = dec.String(login.DBName)
			}
		},
		Rules: func(d *dynUser, v *ogm.Validator) {
			auth.UserType.Rules(&d.User, v)
			m.rules(d, v)
		},
		Defaults: func(d *dynUser) {
			auth.UserType.Defaults(&d.User)
			m.defaults(d)
		},
	}
	field := func(p *schema.Property) auth.Field {
		f := auth.Field{Name: p.Name, Key: p.DBName, Type: p.Type.String()}
		if p.MaxLength != nil {
			f.MaxLength = *p.MaxLength
		}
		return f
	}
	m.model = &auth.Model[dynUser]{
		Type:          typ,
		UsernameField: field(login),
		Username: func(d *dynUser) *string {
			if loginOwn {
				return &d.login
			}
			return &d.User.Username
		},
	}
	for _, p := range um.RequiredFields {
		m.model.RequiredFields = append(m.model.RequiredFields, field(p))
	}
	return m, nil
}

// rules checks the rules of the properties the type adds to auth.User, as
// the generated Rules would.
func (m *cliModel) rules(d *dynUser, v *ogm.Validator) {
	for _, p := range m.own {
		val, set := d.props[p.DBName]
		set = set && val != nil
		if p == m.login {
			val, set = d.login, d.login != ""
		}
		if p.Required {
			v.Required(p.Name, set)
		}
		if !set || p.Type.Array {
			continue
		}
		if len(p.Choices) > 0 && !slices.ContainsFunc(p.Choices, func(c schema.Choice) bool { return c.Value == val }) {
			v.Choice(p.Name, val, false)
		}
		switch x := val.(type) {
		case string:
			if p.MaxLength != nil {
				v.MaxLength(p.Name, x, *p.MaxLength)
			}
			if p.MinLength != nil {
				v.MinLength(p.Name, x, *p.MinLength)
			}
			if re := m.patterns[p.DBName]; re != nil {
				v.Pattern(p.Name, x, re)
			}
			if p.Type.Kind == schema.KindEmail {
				v.Email(p.Name, x)
			}
		case int64, float64:
			f, _ := x.(float64)
			if i, ok := x.(int64); ok {
				f = float64(i)
			}
			if p.Min != nil {
				v.Min(p.Name, f, *p.Min)
			}
			if p.Max != nil {
				v.Max(p.Name, f, *p.Max)
			}
		}
	}
}

// defaults applies the defaults of the properties the type adds to
// auth.User that are unset, as the generated Defaults would.
func (m *cliModel) defaults(d *dynUser) {
	if d.props == nil {
		d.props = map[string]any{}
	}
	for _, p := range m.own {
		if p.Default == nil || d.props[p.DBName] != nil {
			continue
		}
		var v any
		switch p.Default.Kind {
		case schema.DefaultUUID:
			v = ogm.NewUID()
		case schema.DefaultNow:
			v, _ = storedValue(p, time.Now())
		default:
			v, _ = storedValue(p, p.Default.Value) // checked by newCLIModel
		}
		d.props[p.DBName] = v
	}
}

// storedValue is v, a Go value of p's type as schema.Default holds it, as
// the value the database stores.
func storedValue(p *schema.Property, v any) (any, error) {
	t := p.Type
	bad := func() (any, error) {
		return nil, fmt.Errorf("the auth commands cannot set a property of type %s (%s); create such users in Go", t, p.Name)
	}
	if t.Array {
		switch v.(type) {
		case []string, []int64, []float64, []bool:
			return v, nil
		}
		return bad()
	}
	switch t.Kind {
	case schema.KindString, schema.KindEmail, schema.KindUID:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case schema.KindInt:
		if i, ok := v.(int64); ok {
			return i, nil
		}
	case schema.KindFloat:
		if f, ok := v.(float64); ok {
			return f, nil
		}
	case schema.KindBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case schema.KindDate, schema.KindDateTime, schema.KindLocalDateTime:
		tm, ok := v.(time.Time)
		if !ok {
			break
		}
		switch t.Kind {
		case schema.KindDate:
			return ogm.DateParam(tm), nil
		case schema.KindLocalDateTime:
			return ogm.LocalDateTimeParam(tm), nil
		}
		return ogm.DateTimeParam(tm), nil
	case schema.KindJSON:
		return ogm.JSONParam(v)
	}
	return bad()
}

// parseField reads the text of --field NAME=VALUE (or of a prompt) as a
// value of property p.
func parseField(p *schema.Property, text string) (any, error) {
	var v any
	var err error
	switch p.Type.Kind {
	case schema.KindString, schema.KindEmail, schema.KindUID:
		v = text
	case schema.KindInt:
		v, err = strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	case schema.KindFloat:
		v, err = strconv.ParseFloat(strings.TrimSpace(text), 64)
	case schema.KindBool:
		v, err = strconv.ParseBool(strings.TrimSpace(text))
	case schema.KindDate:
		v, err = time.Parse(time.DateOnly, strings.TrimSpace(text))
	case schema.KindDateTime:
		v, err = time.Parse(time.RFC3339Nano, strings.TrimSpace(text))
	case schema.KindLocalDateTime:
		v, err = time.Parse("2006-01-02T15:04:05.999999999", strings.TrimSpace(text))
	default:
		return nil, fmt.Errorf("%s is of type %s, which the auth commands cannot set; create such users in Go", p.Name, p.Type)
	}
	if p.Type.Array {
		return nil, fmt.Errorf("%s is of type %s, which the auth commands cannot set; create such users in Go", p.Name, p.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not a %s%s", p.Name, text, p.Type, formatHint(p.Type.Kind))
	}
	return storedValue(p, v)
}

// formatHint says how a value of kind k is written.
func formatHint(k schema.Kind) string {
	switch k {
	case schema.KindDate:
		return " (YYYY-MM-DD)"
	case schema.KindDateTime:
		return " (RFC 3339, e.g. 2024-05-01T12:00:00Z)"
	case schema.KindLocalDateTime:
		return " (YYYY-MM-DDTHH:MM:SS)"
	case schema.KindBool:
		return " (true or false)"
	}
	return ""
}

// property returns the property of the model called name (own or
// inherited), or an error with a hint.
func (m *cliModel) property(name string) (*schema.Property, error) {
	var names []string
	for _, p := range m.node.AllProperties() {
		isPassword := p.Name == "password" && slices.Contains(m.user.Properties, p)
		switch {
		case p.Name != name:
			if !isPassword && p != m.login {
				names = append(names, p.Name)
			}
			continue
		case isPassword:
			return nil, fmt.Errorf("--field password: the password is asked for (or read from standard input), never given as a flag")
		case p == m.login:
			return nil, fmt.Errorf("--field %s: %s is the username field of %s: give it as the USERNAME argument", name, name, m.node.Name)
		}
		return p, nil
	}
	return nil, fmt.Errorf("%s has no property %q (its properties: %s)", m.node.Name, name, strings.Join(names, ", "))
}

// newUser returns a new user of the model with the given property values
// (stored, by property) and username field.
func (m *cliModel) newUser(username string, values map[*schema.Property]any) (*dynUser, error) {
	d := &dynUser{props: map[string]any{}}
	userProps := map[string]any{}
	for p, v := range values {
		if slices.Contains(m.user.Properties, p) {
			userProps[p.DBName] = v
		} else {
			d.props[p.DBName] = v
		}
	}
	dec := &ogm.Decoder{Type: m.node.Name, Props: userProps}
	auth.UserType.Decode(&d.User, dec)
	if err := dec.Err(); err != nil {
		return nil, err
	}
	*m.model.Username(d) = username
	return d, nil
}
