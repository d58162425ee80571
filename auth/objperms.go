package auth

import (
	"context"
	"fmt"

	"github.com/gonode/gonode/ogm"
)

// Object permissions go beyond Django (as django-guardian does): a user or
// a group is granted a permission on one node, for example "blog.change_post"
// on one Post. In the graph a grant is a relationship from the User or
// Group node to that node,
//
//	(:User|Group)-[:HAS_PERMISSION_ON {permission: "blog.change_post"}]->(node)
//
// so a check is one pattern match, through group membership too:
// (u)-[:IN_GROUP]->(:Group)-[:HAS_PERMISSION_ON]->(node). Granting requires
// the Permission node to exist (InstallPermissions creates the schemas'
// ones); the grant names it by its "app_label.codename" key and does not
// follow it when it is renamed or deleted.
//
// As in django-guardian, object permissions and global ones are separate:
// HasPermOn does not look at what HasPerm answers (a user with "blog.change_post"
// granted globally has it on no particular post), except that an active
// superuser has every permission on every node and an inactive user has
// none. An application where a global grant implies every object checks
// HasPerm first.

// ObjectPermissionType is the type of the relationships that carry object
// permissions.
const ObjectPermissionType = "HAS_PERMISSION_ON"

// ObjectPermissionKey is the property of an ObjectPermissionType
// relationship that holds the permission, "app_label.codename".
const ObjectPermissionKey = "permission"

// Grantee is a node that permissions are granted to: a *User or a *Group,
// or a value of a type that extends User.
type Grantee interface {
	ogm.Entity
	ElementID() string
	IsDeleted() bool
	grantee()
}

func (*User) grantee()  {}
func (*Group) grantee() {}

// Object is any saved node that object permissions are granted on: every
// generated node type is one.
type Object interface {
	ogm.Entity
	ElementID() string
	IsDeleted() bool
}

var (
	grantQuery = cypher(`MATCH (g) WHERE elementId(g) = $grantee
MATCH (n) WHERE elementId(n) = $node
WITH g, n, EXISTS { MATCH (p:{Permission}) WHERE p.{app_label} = $app AND p.{codename} = $code } AS known
FOREACH (_ IN CASE WHEN known THEN [1] ELSE [] END | MERGE (g)-[:{ON} {{on_perm}: $perm}]->(n))
RETURN known`)
	revokeQuery = cypher(`MATCH (g)-[r:{ON} {{on_perm}: $perm}]->(n)
WHERE elementId(g) = $grantee AND elementId(n) = $node
DELETE r`)
	hasPermOnQuery = cypher(`MATCH (u:{User}) WHERE elementId(u) = $id
MATCH (n) WHERE elementId(n) = $node
RETURN EXISTS { MATCH (p:{Permission}) WHERE p.{app_label} = $app AND p.{codename} = $code },
  {active} AND ({superuser} OR
  EXISTS { (u)-[:{ON} {{on_perm}: $perm}]->(n) } OR
  EXISTS { (u)-[:{IN_GROUP}]->(:{Group})-[:{ON} {{on_perm}: $perm}]->(n) })`)
	permsOnQuery = cypher(`MATCH (u:{User}) WHERE elementId(u) = $id
MATCH (n) WHERE elementId(n) = $node
RETURN CASE
  WHEN NOT {active} THEN []
  WHEN {superuser} THEN COLLECT { MATCH (p:{Permission}) WHERE p.{model} IN [l IN labels(n) | toLower(l)] RETURN {key} AS k }
  ELSE COLLECT {
    MATCH (u)-[r:{ON}]->(n) RETURN r.{on_perm} AS k
    UNION
    MATCH (u)-[:{IN_GROUP}]->(:{Group})-[r:{ON}]->(n) RETURN r.{on_perm} AS k }
END`)
)

// GrantPermOn grants perm ("app_label.codename") to grantee on node, in one
// query. Granting twice is granting once. It fails with
// ErrUnknownPermission when no Permission node has that key, and with
// ogm.ErrDoesNotExist when grantee or node is gone.
func GrantPermOn(ctx context.Context, db *ogm.DB, grantee Grantee, perm string, node Object) error {
	if err := bothSaved("grant permission", grantee, node); err != nil {
		return err
	}
	pair := splitPerm(perm)
	var res *ogm.Result
	err := db.Write(ctx, func(ctx context.Context) error {
		var err error
		res, err = db.Cypher(ctx, grantQuery, map[string]any{
			"grantee": grantee.ElementID(), "node": node.ElementID(), "perm": perm, "app": pair[0], "code": pair[1],
		})
		return err
	})
	switch {
	case err != nil:
		return err
	case len(res.Rows) == 0:
		return &ogm.NodeError{Op: "grant permission", ID: grantee.ElementID() + " or " + node.ElementID(), Kind: ogm.ErrDoesNotExist}
	case res.Rows[0][0] != true:
		return fmt.Errorf("%w: %q", ErrUnknownPermission, perm)
	}
	return nil
}

// RevokePermOn removes the grant of perm to grantee on node (not the
// permission grantee may hold through a group). Revoking what was not
// granted does nothing.
func RevokePermOn(ctx context.Context, db *ogm.DB, grantee Grantee, perm string, node Object) error {
	if err := bothSaved("revoke permission", grantee, node); err != nil {
		return err
	}
	return db.Write(ctx, func(ctx context.Context) error {
		_, err := db.Cypher(ctx, revokeQuery, map[string]any{"grantee": grantee.ElementID(), "node": node.ElementID(), "perm": perm})
		return err
	})
}

// HasPermOn reports whether u has perm ("app_label.codename") on node, in
// one query: granted on that node to u or to one of u's groups, or u is an
// active superuser. An inactive user has none. It fails with
// ogm.ErrDoesNotExist when u or node is gone, and with
// ErrUnknownPermission when no Permission node has perm (whoever u is).
func HasPermOn(ctx context.Context, db *ogm.DB, u *User, perm string, node Object) (bool, error) {
	if err := bothSaved("has perm on", u, node); err != nil {
		return false, err
	}
	pair := splitPerm(perm)
	row, err := userRow(ctx, db, "has perm on", u, hasPermOnQuery, map[string]any{"node": node.ElementID(), "perm": perm, "app": pair[0], "code": pair[1]})
	if err != nil {
		return false, err
	}
	if row[0] != true {
		return false, unknownPermission(perm)
	}
	b, _ := row[1].(bool)
	return b, nil
}

// GetPermsOn returns the permissions u has on node, granted to u or to its
// groups, as sorted "app_label.codename" strings, in one query. An active
// superuser has every permission whose model is one of node's labels (lower
// cased), an inactive user none.
func GetPermsOn(ctx context.Context, db *ogm.DB, u *User, node Object) ([]string, error) {
	if err := bothSaved("get perms on", u, node); err != nil {
		return nil, err
	}
	v, err := userQuery(ctx, db, "get perms on", u, permsOnQuery, map[string]any{"node": node.ElementID()})
	if err != nil {
		return nil, err
	}
	return sortedStrings(v), nil
}

func bothSaved(op string, a, b Object) error {
	if err := saved(op, "node", a.ElementID(), a.IsDeleted()); err != nil {
		return err
	}
	return saved(op, "node", b.ElementID(), b.IsDeleted())
}
