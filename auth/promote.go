package auth

import (
	"context"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// Promote turns the plain user u into a user of model m, whose type
// extends User (for example twitter.TwitterUserModel), and returns it as a
// *T: the same node, now with m.Type's labels. Where the generated
// <Type>FromModel fails with ogm.ErrWrongType for a user that is not of the
// subclass, Promote adds the missing labels, applies the type's defaults to
// the fields the node does not have, calls each set function (to fill the
// subclass's required properties, and the model's username field and
// required fields), applies the model's rules as CreateUserAs does,
// validates and saves the node, all in one write transaction: on any error
// nothing changes. A node that already has the type's label is loaded as it
// is (saved again only when set functions are given).
//
//	tu, err := auth.Promote(ctx, db, user, twitter.TwitterUserModel,
//		func(tu *twitter.TwitterUser) { tu.Handle = "@jim" })
//
// db is the database u was loaded from. Promote fails with ErrNotUserType
// when m's type does not extend User and with ogm.ErrDoesNotExist when u's
// node is gone.
func Promote[T any](ctx context.Context, db *ogm.DB, u *User, m *Model[T], set ...func(*T)) (*T, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	typ := m.Type
	if err := saved("promote", typ.Name, u.ElementID(), u.IsDeleted()); err != nil {
		return nil, err
	}
	labels := make([]string, len(typ.Labels))
	for i, l := range typ.Labels {
		labels[i] = ":" + ogm.Quote(l)
	}
	query := cypher(`MATCH (n:{User}) WHERE elementId(n) = $id WITH n, n` + ":" + ogm.Quote(typ.Label) +
		` AS had SET n` + strings.Join(labels, "") + ` RETURN had`)
	var out *T
	err := db.Write(ctx, func(ctx context.Context) error {
		res, err := db.Cypher(ctx, query, map[string]any{"id": u.ElementID()})
		if err != nil {
			return err
		}
		if len(res.Rows) == 0 {
			return &ogm.NodeError{Op: "promote", Type: typ.Name, ID: u.ElementID(), Kind: ogm.ErrDoesNotExist}
		}
		v, err := ogm.FromModel[*T](ctx, typ, u)
		if err != nil {
			return err
		}
		had := res.Rows[0][0] == true
		if !had && typ.Defaults != nil {
			typ.Defaults(v)
		}
		for _, f := range set {
			f(v)
		}
		if !had || len(set) > 0 {
			if err := m.prepare(v); err != nil {
				return err
			}
			if err := ogm.Save(ctx, typ, any(v).(ogm.Entity)); err != nil {
				return m.usernameTaken(err, *m.Username(v))
			}
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
