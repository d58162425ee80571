package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/gonode/gonode/internal/django"
	"github.com/gonode/gonode/ogm"
)

// DefaultPermissionActions are the permissions every node type gets, as
// Django's Meta.default_permissions: "<action>_<model>", named
// "Can <action> <verbose name>".
var DefaultPermissionActions = []string{"add", "change", "delete", "view"}

// PermissionItem is one permission a schema declares, as SchemaPermissions
// lists it and InstallPermissions reports it.
type PermissionItem struct {
	AppLabel string // the schema's app label (app_label:, else its package), e.g. "blog"
	Codename string // e.g. "add_post", "publish_post"
	Name     string // e.g. "Can add post"
	Model    string // the node type, lower-cased: "post"
	// Created is set by InstallPermissions when the Permission node was
	// created, not found.
	Created bool
}

// Key returns "app_label.codename", the string HasPerm takes.
func (p PermissionItem) Key() string { return p.AppLabel + "." + p.Codename }

// SchemaPermissions lists the permissions the schemas declare, in schema
// order: for each node type that is not abstract, the default ones
// (add_<model>, change_<model>, delete_<model>, view_<model>, where model is
// the type's name in lower case and the names read "Can add twitter user"
// for TwitterUser), then the custom ones of its "permissions:" key. The app
// label is the schema's app_label, else its package name
// (ogm.Schema.PermissionAppLabel). A codename declared twice in one app is
// listed once. The generated permission constants (models.PermAddBook)
// name the same list. The bookkeeping types of the auth schema that package
// auth/authhttp writes, Session and LoginThrottle, get none: they are not
// application data that a person is granted rights on.
func SchemaPermissions(schemas ...*ogm.Schema) []PermissionItem {
	var out []PermissionItem
	seen := map[string]bool{}
	add := func(p PermissionItem) {
		if !seen[p.Key()] {
			seen[p.Key()] = true
			out = append(out, p)
		}
	}
	for _, s := range schemas {
		app := s.PermissionAppLabel()
		for _, n := range s.Nodes {
			if n.Abstract || n.Label == "" || bookkeeping(s, n) {
				continue
			}
			model := strings.ToLower(n.Name)
			verbose := django.CamelCaseToSpaces(n.Name)
			for _, action := range DefaultPermissionActions {
				add(PermissionItem{AppLabel: app, Codename: action + "_" + model, Name: "Can " + action + " " + verbose, Model: model})
			}
			for _, p := range n.Permissions {
				add(PermissionItem{AppLabel: app, Codename: p.Codename, Name: p.Name, Model: model})
			}
		}
	}
	return out
}

// bookkeeping reports whether n is one of the auth schema's node types that
// auth/authhttp keeps its state in (Session, LoginThrottle), which get no
// permissions. It goes by package and name, since gonode install-labels
// passes schemas read from YAML, without the generated types.
func bookkeeping(s *ogm.Schema, n ogm.SchemaNode) bool {
	return s.Package == Schema.Package && (n.Name == SessionType.Name || n.Name == LoginThrottleType.Name)
}

// PermissionConstraint is the name of the uniqueness constraint on the pair
// (app_label, codename) of Permission nodes that InstallPermissions
// creates, so that two installs running at once cannot create a permission
// twice.
const PermissionConstraint = "constraint_unique_Permission_app_label_codename"

var (
	permissionConstraintQuery = cypher(`CREATE CONSTRAINT ` + ogm.Quote(PermissionConstraint) +
		` IF NOT EXISTS FOR (p:{Permission}) REQUIRE (p.{app_label}, p.{codename}) IS UNIQUE`)
	installPermissionsQuery = cypher(`UNWIND $perms AS perm
OPTIONAL MATCH (old:{Permission} {{app_label}: perm.app_label, {codename}: perm.codename})
WITH perm, count(old) > 0 AS existed
MERGE (p:{Permission} {{app_label}: perm.app_label, {codename}: perm.codename})
ON CREATE SET p.{name} = perm.name, p.{model} = perm.model
RETURN perm.app_label + '.' + perm.codename, existed`)
)

// InstallPermissions creates the Permission nodes of SchemaPermissions that
// do not exist yet (Django's create_permissions, run after migrate), keyed
// by (app_label, codename): it is idempotent, and leaves the name of an
// existing permission as it is. It first ensures the uniqueness constraint
// PermissionConstraint, so, like ogm.InstallLabels, it cannot run inside
// DB.Write or DB.Read. gonode install-labels calls it for schemas that
// import builtin:auth, with the auth schema among them.
func InstallPermissions(ctx context.Context, db *ogm.DB, schemas ...*ogm.Schema) ([]PermissionItem, error) {
	items := SchemaPermissions(schemas...)
	if len(items) == 0 {
		return nil, nil
	}
	if _, err := db.Cypher(ctx, permissionConstraintQuery, nil); err != nil {
		return nil, fmt.Errorf("auth: install permissions: creating %s (are there Permission nodes with the same app_label and codename?): %w", PermissionConstraint, err)
	}
	rows := make([]any, len(items))
	for i, p := range items {
		rows[i] = map[string]any{"app_label": p.AppLabel, "codename": p.Codename, "name": p.Name, "model": p.Model}
	}
	var res *ogm.Result
	err := db.Write(ctx, func(ctx context.Context) error {
		var err error
		res, err = db.Cypher(ctx, installPermissionsQuery, map[string]any{"perms": rows})
		return err
	})
	if err != nil {
		return nil, err
	}
	created := map[string]bool{}
	for _, row := range res.Rows { // aggregation does not keep the order
		key, _ := row[0].(string)
		existed, _ := row[1].(bool)
		created[key] = !existed
	}
	for i := range items {
		items[i].Created = created[items[i].Key()]
	}
	return items, nil
}
