package auth_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// memberNames returns the exported methods of *T and the fields of T.
func memberNames[T any]() []string {
	pt := reflect.TypeFor[*T]()
	var out []string
	for i := range pt.NumMethod() {
		out = append(out, pt.Method(i).Name)
	}
	for _, f := range reflect.VisibleFields(pt.Elem()) {
		if f.IsExported() && len(f.Index) == 1 {
			out = append(out, f.Name)
		}
	}
	slices.Sort(out)
	return out
}

// schemaMembers returns the Go names of the members the schema gives the
// struct of node type name of the auth schema: its properties (with their
// display methods) and its accessors.
func schemaMembers(t *testing.T, name string) map[string]bool {
	t.Helper()
	s, err := schema.LoadBytes("auth.yaml", schema.Auth)
	if err != nil {
		t.Fatal(err)
	}
	n := s.Roots()[0].Node(name)
	out := map[string]bool{}
	for _, p := range n.AllProperties() {
		out[p.GoName] = true
		if len(p.Choices) > 0 {
			out[p.DisplayName()] = true
		}
	}
	for _, a := range n.Accessors() {
		out[a.GoName()] = true
		if a.Rel.ModelRef != "" {
			out[a.RelsName()] = true
		}
	}
	return out
}

// without returns the names not in any of the sets.
func without(names []string, sets ...map[string]bool) []string {
	var out []string
	for _, n := range names {
		if !slices.ContainsFunc(sets, func(s map[string]bool) bool { return s[n] }) {
			out = append(out, n)
		}
	}
	return out
}

// snake is the schema name whose Go name is goName ("MarshalJSON" →
// "marshal_json"), or "" when there is none.
func snake(goName string) string {
	var b strings.Builder
	rs := []rune(goName)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	if schema.GoName(b.String()) != goName {
		return ""
	}
	return b.String()
}

// refused reports whether the loader refuses a property and a relationship
// called after goName on a node that extends auth.User (user true) or on a
// plain node, as reserved.
func refused(t *testing.T, goName string, user bool) bool {
	t.Helper()
	name := snake(goName)
	if name == "" {
		t.Fatalf("no schema name has the Go name %s", goName)
	}
	extends := ""
	if user {
		extends = "extends: auth.User, "
	}
	for _, member := range []string{
		fmt.Sprintf("properties: {%s: {type: string}}", name),
		fmt.Sprintf("relationships: {%s: {to: Other, type: REL}}", name),
	} {
		yaml := fmt.Sprintf("package: probe\nimports: {auth: builtin:auth}\nnodes:\n  Other: {}\n  Probe: {%s%s}\n", extends, member)
		_, err := schema.LoadBytes("probe.yaml", []byte(yaml))
		if err == nil || !strings.Contains(err.Error(), "is reserved: its Go name "+goName+" ") {
			t.Logf("%s: %v", member, err)
			return false
		}
	}
	return true
}

// TestReservedNamesMatchMethodSets keeps the reserved names of the schema
// language honest against the method sets of the structs generated code
// embeds: every member of a generated node that its schema does not give
// it (the methods of *ogm.NodeBase, Save, Fetched, …: here those of
// *auth.Group) is refused as a property and as a relationship of any node,
// and every method of *auth.User that the auth schema does not generate
// (SetPassword, Format, …) is refused on the node types extending
// auth.User, whose structs have it by promotion; and the lists of the
// schema package name nothing else. (Relationship models: every member of
// *ogm.RelBase is refused as a property name.)
func TestReservedNamesMatchMethodSets(t *testing.T) {
	everyNode := without(memberNames[auth.Group](), schemaMembers(t, "Group"))
	for _, m := range memberNames[ogm.NodeBase]() {
		if !slices.Contains(everyNode, m) {
			t.Errorf("ogm.NodeBase's %s is not a member of auth.Group", m)
		}
	}
	for _, m := range everyNode {
		if !refused(t, m, false) {
			t.Errorf("%s, a member of every generated node, is not refused as a property or relationship name", m)
		}
	}
	userOnly := without(memberNames[auth.User](), schemaMembers(t, "User"), toSet(everyNode))
	if len(userOnly) == 0 {
		t.Fatal("*auth.User has no hand-written methods?")
	}
	for _, m := range userOnly {
		if !refused(t, m, true) {
			t.Errorf("%s, a method of *auth.User, is not refused as a property or relationship name of a type extending auth.User", m)
		}
	}
	// And the lists hold nothing else: no stale name refused for nothing.
	// Extra is the field of semi_structured nodes only (auth.Group is not
	// one).
	if want := slices.Sorted(slices.Values(append(slices.Clone(everyNode), "Extra"))); !slices.Equal(schema.ReservedNodeMembers(), want) {
		t.Errorf("schema.ReservedNodeMembers() = %v, want %v", schema.ReservedNodeMembers(), want)
	}
	if !slices.Equal(schema.ReservedUserMembers(), userOnly) {
		t.Errorf("schema.ReservedUserMembers() = %v, want the hand-written methods of *auth.User %v", schema.ReservedUserMembers(), userOnly)
	}
	for _, m := range memberNames[ogm.RelBase]() {
		if !schema.ReservedRelMember(m) {
			t.Errorf("ogm.RelBase's %s is not refused as a property name of a relationship model", m)
		}
	}
	t.Logf("every node: %v; user types also: %v", everyNode, userOnly)
}

func toSet(names []string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}
