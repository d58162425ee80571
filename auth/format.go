package auth

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"sync"
)

// redacted stands for the password hash wherever a User is printed.
const redacted = "[redacted]"

// userNoFormat is User without its methods, for printing it without
// recursing into Format.
type userNoFormat User

// redactedCopy returns u without its methods, the password hash replaced
// by [redacted].
func redactedCopy(u User) userNoFormat {
	if u.Password != "" {
		u.Password = redacted
	}
	return userNoFormat(u)
}

// Format prints the user as fmt prints any struct (%v, %+v, %#v, %s), with
// the password hash replaced by [redacted], so that a user can be logged
// or put in an error message without leaking it.
func (u User) Format(f fmt.State, verb rune) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), redactedCopy(u))
	if verb == 'v' && f.Flag('#') {
		s = strings.Replace(s, "auth.userNoFormat{", "auth.User{", 1)
	}
	fmt.Fprint(f, s)
}

// MarshalJSON encodes the user as encoding/json encodes any struct, with
// the password hash replaced by [redacted]: log/slog's JSON handler encodes
// a user inside a slice, a map or a struct this way. Decoding the result
// gives a user whose password matches nothing.
func (u User) MarshalJSON() ([]byte, error) { return json.Marshal(redactedCopy(u)) }

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

// A node type that extends User (extends: auth.User in a schema, directly
// or through another type) would otherwise print through the methods above,
// promoted from the User it embeds, and show only User's fields. The
// generated code of such a type declares Format, MarshalJSON, String and
// LogValue of its own, which call the functions below.

// FormatSubtype prints v, the struct value of a node type that extends
// User, as fmt prints a struct: every field of it, its own properties and
// its Fetched included, the embedded User (or the embedded type that
// extends User) printed by its own Format, which redacts the password hash.
// %#v names v's type. The generated Format method of such a type calls it.
//
// Users in the Fetched of users are printed too, down to 8 levels; deeper
// ones print as {…}, so that a cycle made by hand
// (u.Fetched.Follows = []*TwitterUser{u}) does not recurse without end.
func FormatSubtype(f fmt.State, verb rune, v any) {
	p, typeName := withoutMethods(v)
	var s string
	if nested(formatSubtypeName) > maxNestedSubtypes {
		s = "{…}"
		if verb == 'v' && f.Flag('#') {
			s = typeName + s
		}
	} else {
		s = fmt.Sprintf(fmt.FormatString(f, verb), p.Interface())
		if verb == 'v' && f.Flag('#') {
			s = strings.Replace(s, p.Type().String()+"{", typeName+"{", 1)
		}
	}
	fmt.Fprint(f, s)
}

// MarshalSubtypeJSON encodes v, the struct value of a node type that
// extends User, as encoding/json encodes a struct whose fields are not
// embedded: {"User": {…}, "Handle": …, "Fetched": {…}}, the User (or the
// embedded type that extends User) encoded by its own MarshalJSON, which
// redacts the password hash. The generated MarshalJSON method of such a
// type calls it.
//
// Users in the Fetched of users are encoded too, down to 8 levels; deeper
// ones make it fail, as encoding/json fails on a cycle.
func MarshalSubtypeJSON(v any) ([]byte, error) {
	p, typeName := withoutMethods(v)
	if nested(marshalSubtypeName) > maxNestedSubtypes {
		return nil, fmt.Errorf("auth: %s nested more than %d deep in the Fetched of users (a cycle?)", typeName, maxNestedSubtypes)
	}
	return json.Marshal(p.Interface())
}

// maxNestedSubtypes is how many calls of FormatSubtype (or of
// MarshalSubtypeJSON) may be under way on one goroutine's stack, the user
// printed first included, before the next prints as {…} (or fails).
const maxNestedSubtypes = 8

// The names of FormatSubtype and MarshalSubtypeJSON in stack frames.
var (
	formatSubtypeName  = reflect.TypeFor[User]().PkgPath() + ".FormatSubtype"
	marshalSubtypeName = reflect.TypeFor[User]().PkgPath() + ".MarshalSubtypeJSON"
)

// nested counts the calls of the function called name on the caller's
// stack.
func nested(name string) int {
	var pcs [256]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	n := 0
	for {
		fr, more := frames.Next()
		if fr.Function == name {
			n++
		}
		if !more {
			return n
		}
	}
}

// SubtypeLogValue gives log/slog a user of a node type that extends User:
// the attributes of u (see User.LogValue), the user's embedded User,
// followed by attrs, the type's own properties and Fetched. An attribute
// holding a pointer that is not to a struct (an optional *int property) is
// logged as the value it points to, or as nil. The generated LogValue
// method of such a type calls it.
func SubtypeLogValue(u *User, attrs ...slog.Attr) slog.Value {
	for i, a := range attrs {
		if a.Value.Kind() != slog.KindAny {
			continue
		}
		if rv := reflect.ValueOf(a.Value.Any()); rv.Kind() == reflect.Pointer && rv.Type().Elem().Kind() != reflect.Struct {
			attrs[i].Value = slog.AnyValue(nil)
			if !rv.IsNil() {
				attrs[i].Value = slog.AnyValue(rv.Elem().Interface())
			}
		}
	}
	return slog.GroupValue(append(u.LogValue().Group(), attrs...)...)
}

// methodless caches the methodless struct type of each struct type
// (reflect.Type → *methodlessType).
var methodless sync.Map

// methodlessType is a struct type with the exported fields of another, none
// embedded; field i is the field index[i] of the other.
type methodlessType struct {
	typ   reflect.Type
	index []int
}

// withoutMethods returns the struct v (or *v) as a value of an unnamed
// struct type with the same exported fields, none embedded, so that it has
// no method, promoted or not: fmt and encoding/json then print it field by
// field, each field with its own methods. typeName is the name of v's type
// ("twitter.TwitterUser").
func withoutMethods(v any) (p reflect.Value, typeName string) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	t := rv.Type()
	c, ok := methodless.Load(t)
	if !ok {
		var fields []reflect.StructField
		var index []int
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
				index = append(index, i)
			}
		}
		c, _ = methodless.LoadOrStore(t, &methodlessType{reflect.StructOf(fields), index})
	}
	m := c.(*methodlessType)
	p = reflect.New(m.typ).Elem()
	for i, j := range m.index {
		p.Field(i).Set(rv.Field(j))
	}
	return p, t.String()
}
