package schema

import (
	"fmt"
	"strings"

	"github.com/gonode/gonode/internal/django"
)

// Permissions: what a schema file declares ("permissions:") or implies (the
// default permissions of every concrete node type) for package auth, with
// the app label that prefixes them and the Go constants generated code
// declares for them. Package auth derives the same list at run time from
// the generated Schema (auth.SchemaPermissions, which install-labels
// installs); its tests check that both agree.

// DefaultPermissionActions are the actions of the default permissions of
// every concrete node type, as Django's Meta.default_permissions:
// "<action>_<model>", named "Can <action> <verbose name>".
var DefaultPermissionActions = []string{"add", "change", "delete", "view"}

// permConstPrefix starts the name of every generated permission constant.
const permConstPrefix = "Perm"

// PermissionAppLabel is the app label of f's permissions: its app_label,
// else its package name.
func (f *File) PermissionAppLabel() string {
	if f.AppLabel != "" {
		return f.AppLabel
	}
	return f.Package
}

// FilePermission is one permission of a schema file: a default one of a
// concrete node type, or one its "permissions:" declares.
type FilePermission struct {
	// Codename is e.g. "add_book" or "publish_book".
	Codename string
	// Name is the human-readable name, e.g. "Can add book".
	Name string
	// Model is the node type's name in lower case, e.g. "book" (Django's
	// model_name).
	Model string
	// Node is the node type the permission belongs to.
	Node *Node
	// Action is "add", "change", "delete" or "view" for a default
	// permission, "" for a declared one.
	Action string
	// Pos is where the permission is declared: its codename's for a
	// declared one, the node's for a default one.
	Pos Pos
}

// Key returns "app_label.codename" for the app label of f.
func (p FilePermission) Key(f *File) string { return f.PermissionAppLabel() + "." + p.Codename }

// ConstName is the Go constant generated code declares for p: "Perm" then
// the action and the node type's name for a default permission
// (PermAddBook, PermViewTwitterUser), or the Go form of the codename for a
// declared one (publish_book: PermPublishBook).
func (p FilePermission) ConstName() string {
	if p.Action != "" {
		return permConstPrefix + GoName(p.Action) + p.Node.Name
	}
	return permConstPrefix + GoName(p.Codename)
}

// Permissions lists the permissions of f in the order and with the
// deduplication of auth.SchemaPermissions: for each concrete node type
// (but the auth schema's bookkeeping types, IsAuthBookkeeping), in schema
// order, its default permissions (add_, change_, delete_ and
// view_<model>, where model is the type's name in lower case and the names
// read "Can add twitter user" for TwitterUser), then the ones its
// "permissions:" declares. A codename listed twice (two node types
// declaring the same one) is listed once, where it comes first.
func (f *File) Permissions() []FilePermission {
	var out []FilePermission
	seen := map[string]bool{}
	add := func(p FilePermission) {
		if !seen[p.Codename] {
			seen[p.Codename] = true
			out = append(out, p)
		}
	}
	for _, n := range f.Nodes {
		if n.Abstract || n.IsAuthBookkeeping() {
			continue
		}
		model := strings.ToLower(n.Name)
		verbose := django.CamelCaseToSpaces(n.Name)
		for _, action := range DefaultPermissionActions {
			add(FilePermission{Codename: action + "_" + model, Name: "Can " + action + " " + verbose, Model: model, Node: n, Action: action, Pos: n.Pos})
		}
		for _, p := range n.Permissions {
			add(FilePermission{Codename: p.Codename, Name: p.Name, Model: model, Node: n, Pos: p.Pos.or(n.Pos)})
		}
	}
	return out
}

// IsAuthBookkeeping reports whether n is one of the node types of the
// shipped auth schema that package auth/authhttp keeps its state in
// (Session, LoginThrottle): they get no permissions, as they are not
// application data that a person is granted rights on.
func (n *Node) IsAuthBookkeeping() bool {
	return (n.Name == "Session" || n.Name == "LoginThrottle") && n.File != nil && (n.File.Builtin || n.File.GoPackage == AuthGoPackage)
}

// HasPermissionConsts reports whether gonode generates the permission
// constants of f (Permissions): f is the auth schema, imports it (directly
// or through another schema), or declares permissions of its own. A schema
// that never meets the auth schema has no Permission nodes to name.
func (f *File) HasPermissionConsts() bool {
	if f.Builtin || f.GoPackage == AuthGoPackage {
		return true
	}
	for _, n := range f.Nodes {
		if len(n.Permissions) > 0 {
			return true
		}
	}
	seen := map[*File]bool{f: true}
	var reaches func(*File) bool
	reaches = func(g *File) bool {
		for _, im := range g.Imports {
			o := im.File
			if o == nil || seen[o] {
				continue
			}
			seen[o] = true
			if o.Builtin || o.GoPackage == AuthGoPackage || reaches(o) {
				return true
			}
		}
		return false
	}
	return reaches(f)
}

// permissionIdents adds the permission constants of f, when it has them,
// to the package-level identifiers.
func (s *identSet) permissionIdents(f *File) {
	if !f.HasPermissionConsts() {
		return
	}
	for _, p := range f.Permissions() {
		name := p.ConstName()
		desc := fmt.Sprintf("the generated permission constant %s of permission %s of %s", name, quote(p.Codename), p.Node.Name)
		hint := "; rename the permission"
		if p.Action != "" {
			desc = fmt.Sprintf("the generated permission constant %s of the default permission %s of %s", name, quote(p.Codename), p.Node.Name)
			hint = ""
		}
		s.add(ident{name: name, desc: desc, pos: p.Pos, owner: p.Node, hint: hint})
	}
}
