package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// Permissions are checked as "app_label.codename" strings (for example
// "blog.publish_post", or the generated constant blog.PermPublishPost), as
// Django's user.has_perm. A user has a permission granted to them directly
// (User.user_permissions, HAS_PERMISSION) or to one of their groups
// (User.groups then Group.permissions). An active superuser has every
// permission; an inactive user has none. Each check is one Cypher query,
// which reads is_active and is_superuser from the stored node (not from
// the Go value), and none goes through the backends.
//
// A permission that no Permission node has is an error matching
// ErrUnknownPermission, whoever asks (a superuser, an inactive user): the
// same query looks each one up on the uniqueness constraint of
// (app_label, codename) that install-labels creates. Django answers False
// instead (and True for a superuser), so that a misspelt permission is a
// check that silently never passes; here it is a failure to fix.

// cypherNames fills the {placeholders} of the queries with the labels,
// relationship types and property keys of the generated code, quoted.
var cypherNames = strings.NewReplacer(
	"{User}", ogm.Quote(UserType.Label),
	"{Group}", ogm.Quote(GroupType.Label),
	"{Permission}", ogm.Quote(PermissionType.Label),
	"{IN_GROUP}", ogm.Quote(userGroups.Type),
	"{USER_PERM}", ogm.Quote(userUserPermissions.Type),
	"{GROUP_PERM}", ogm.Quote(groupPermissions.Type),
	"{ON}", ogm.Quote(ObjectPermissionType),
	"{on_perm}", ogm.Quote(ObjectPermissionKey),
	"{is_active}", ogm.Quote(UserIsActive.Key()),
	"{is_superuser}", ogm.Quote(UserIsSuperuser.Key()),
	"{app_label}", ogm.Quote(PermissionAppLabel.Key()),
	"{codename}", ogm.Quote(PermissionCodename.Key()),
	"{name}", ogm.Quote(PermissionName.Key()),
	"{model}", ogm.Quote(PermissionModel.Key()),
	// Shared fragments.
	"{active}", "coalesce(u."+ogm.Quote(UserIsActive.Key())+", true)",
	"{superuser}", "coalesce(u."+ogm.Quote(UserIsSuperuser.Key())+", false)",
	"{key}", "coalesce(p."+ogm.Quote(PermissionAppLabel.Key())+", '') + '.' + p."+ogm.Quote(PermissionCodename.Key()),
)

func cypher(q string) string { return cypherNames.Replace(q) }

var (
	// hasPermsQuery: $perms is a list of [app_label, codename] pairs; it
	// returns the indexes of those that no Permission node has, and the
	// answer.
	hasPermsQuery = cypher(`MATCH (u:{User}) WHERE elementId(u) = $id
RETURN [i IN range(0, size($perms) - 1) WHERE NOT EXISTS {
    MATCH (p:{Permission}) WHERE p.{app_label} = $perms[i][0] AND p.{codename} = $perms[i][1] }],
  {active} AND ({superuser} OR all(k IN $perms WHERE
  EXISTS { MATCH (u)-[:{USER_PERM}]->(p:{Permission}) WHERE p.{app_label} = k[0] AND p.{codename} = k[1] } OR
  EXISTS { MATCH (u)-[:{IN_GROUP}]->(:{Group})-[:{GROUP_PERM}]->(p:{Permission}) WHERE p.{app_label} = k[0] AND p.{codename} = k[1] }))`)

	hasModulePermsQuery = cypher(`MATCH (u:{User}) WHERE elementId(u) = $id
RETURN {active} AND ({superuser} OR
  EXISTS { MATCH (u)-[:{USER_PERM}]->(p:{Permission}) WHERE p.{app_label} = $app } OR
  EXISTS { MATCH (u)-[:{IN_GROUP}]->(:{Group})-[:{GROUP_PERM}]->(p:{Permission}) WHERE p.{app_label} = $app })`)

	userPermsPart  = `MATCH (u)-[:{USER_PERM}]->(p:{Permission}) RETURN {key} AS k`
	groupPermsPart = `MATCH (u)-[:{IN_GROUP}]->(:{Group})-[:{GROUP_PERM}]->(p:{Permission}) RETURN {key} AS k`
	permsOf        = func(part string) string {
		return cypher(`MATCH (u:{User}) WHERE elementId(u) = $id
RETURN CASE
  WHEN NOT {active} THEN []
  WHEN {superuser} THEN COLLECT { MATCH (p:{Permission}) RETURN {key} AS k }
  ELSE COLLECT { ` + part + ` }
END`)
	}
	allPermsQuery   = permsOf(userPermsPart + " UNION " + groupPermsPart)
	userPermsQuery  = permsOf(userPermsPart)
	groupPermsQuery = permsOf(groupPermsPart)
)

// splitPerm splits "app_label.codename" at its first dot (app labels are Go
// package names, which have none). A string without a dot names no
// permission.
func splitPerm(perm string) []any {
	app, code, ok := strings.Cut(perm, ".")
	if !ok {
		return []any{"", perm} // matches nothing: app_label is never empty
	}
	return []any{app, code}
}

// HasPerm reports whether u has the permission perm, "app_label.codename"
// (a generated constant such as blog.PermPublishPost), in one query:
// granted to u or to one of u's groups, or u is an active superuser. An
// inactive user has no permission. A permission that does not exist (no
// Permission node has it) is an error matching [ErrUnknownPermission], for
// every user, superusers included (Django returns False).
func HasPerm(ctx context.Context, db *ogm.DB, u *User, perm string) (bool, error) {
	return HasPerms(ctx, db, u, perm)
}

// HasPerms reports whether u has every one of perms, in one query (Django's
// has_perms; as there, an empty list is always satisfied). As HasPerm, it
// fails with [ErrUnknownPermission] when one of perms does not exist,
// naming every one that does not.
func HasPerms(ctx context.Context, db *ogm.DB, u *User, perms ...string) (bool, error) {
	if len(perms) == 0 {
		return true, nil
	}
	pairs := make([]any, len(perms))
	for i, p := range perms {
		pairs[i] = splitPerm(p)
	}
	row, err := userRow(ctx, db, "has perms", u, hasPermsQuery, map[string]any{"perms": pairs})
	if err != nil {
		return false, err
	}
	if unknown, _ := row[0].([]any); len(unknown) > 0 {
		names := make([]string, 0, len(unknown))
		for _, i := range unknown {
			if i, ok := i.(int64); ok && int(i) < len(perms) {
				names = append(names, perms[i])
			}
		}
		return false, unknownPermission(names...)
	}
	b, _ := row[1].(bool)
	return b, nil
}

// unknownPermission is the error of a check naming permissions that no
// Permission node has.
func unknownPermission(perms ...string) error {
	quoted := make([]string, len(perms))
	for i, p := range perms {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	return fmt.Errorf("%w: %s (no Permission node has it: is it misspelt, or were the permissions never installed with gonode install-labels?)", ErrUnknownPermission, strings.Join(quoted, ", "))
}

// HasModulePerms reports whether u has at least one permission of the app
// appLabel (Django's has_module_perms), in one query. An active superuser
// has them all. An app label without permissions is not an error: it
// names no permission, and the answer is false (true for a superuser), as
// in Django.
func HasModulePerms(ctx context.Context, db *ogm.DB, u *User, appLabel string) (bool, error) {
	v, err := userQuery(ctx, db, "has module perms", u, hasModulePermsQuery, map[string]any{"app": appLabel})
	b, _ := v.(bool)
	return b, err
}

// GetAllPermissions returns the permissions u has, granted directly or
// through a group, as sorted "app_label.codename" strings, in one query.
// For an active superuser that is every Permission node; for an inactive
// user, none.
func GetAllPermissions(ctx context.Context, db *ogm.DB, u *User) ([]string, error) {
	return permList(ctx, db, "get all permissions", u, allPermsQuery)
}

// GetUserPermissions returns the permissions granted to u directly, as
// GetAllPermissions does (an active superuser has every one).
func GetUserPermissions(ctx context.Context, db *ogm.DB, u *User) ([]string, error) {
	return permList(ctx, db, "get user permissions", u, userPermsQuery)
}

// GetGroupPermissions returns the permissions u has through its groups, as
// GetAllPermissions does (an active superuser has every one).
func GetGroupPermissions(ctx context.Context, db *ogm.DB, u *User) ([]string, error) {
	return permList(ctx, db, "get group permissions", u, groupPermsQuery)
}

func permList(ctx context.Context, db *ogm.DB, op string, u *User, query string) ([]string, error) {
	v, err := userQuery(ctx, db, op, u, query, nil)
	if err != nil {
		return nil, err
	}
	return sortedStrings(v), nil
}

// sortedStrings turns a Cypher list of strings into a sorted set.
func sortedStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// userQuery runs a read query about the saved user u ($id) that returns one
// row of one value. No row means the node is gone.
func userQuery(ctx context.Context, db *ogm.DB, op string, u *User, query string, params map[string]any) (any, error) {
	row, err := userRow(ctx, db, op, u, query, params)
	if err != nil {
		return nil, err
	}
	return row[0], nil
}

// userRow is userQuery for a query that returns one row of several values.
func userRow(ctx context.Context, db *ogm.DB, op string, u *User, query string, params map[string]any) ([]any, error) {
	if err := saved(op, "User", u.ElementID(), u.IsDeleted()); err != nil {
		return nil, err
	}
	p := map[string]any{"id": u.ElementID()}
	for k, v := range params {
		p[k] = v
	}
	res, err := readCypher(ctx, db, query, p)
	if err != nil {
		return nil, err
	}
	if len(res.Rows) == 0 {
		return nil, &ogm.NodeError{Op: op, Type: "User", ID: u.ElementID(), Kind: ogm.ErrDoesNotExist}
	}
	return res.Rows[0], nil
}

// saved checks that a node can be queried by its element id.
func saved(op, typ, id string, deleted bool) error {
	switch {
	case deleted:
		return &ogm.NodeError{Op: op, Type: typ, ID: id, Kind: ogm.ErrDeleted}
	case id == "":
		return &ogm.NodeError{Op: op, Type: typ, Kind: ogm.ErrNotSaved}
	}
	return nil
}

// readCypher runs a read-only query in a read transaction (joining the
// caller's transaction, if ctx carries one).
func readCypher(ctx context.Context, db *ogm.DB, query string, params map[string]any) (*ogm.Result, error) {
	var res *ogm.Result
	err := db.Read(ctx, func(ctx context.Context) error {
		var err error
		res, err = db.Cypher(ctx, query, params)
		return err
	})
	return res, err
}

// ErrUnknownPermission: no Permission node has the app_label and codename
// of the permission named (HasPerm, HasPerms, HasPermOn, GrantPermOn,
// GetPermission). The Permission nodes are what install-labels created for
// the schemas (auth.SchemaPermissions, the generated Perm constants), and
// what an application or a migration from Django added.
var ErrUnknownPermission = errors.New("auth: unknown permission")

// GetPermission returns the Permission node of perm, "app_label.codename"
// (its natural key), or an error matching ErrUnknownPermission.
func GetPermission(ctx context.Context, db *ogm.DB, perm string) (*Permission, error) {
	pair := splitPerm(perm)
	p, err := PermissionNodes(db).GetOrNone(ctx,
		PermissionAppLabel.Eq(pair[0].(string)), PermissionCodename.Eq(pair[1].(string)))
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownPermission, perm)
	}
	return p, nil
}
