package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// Promote turns the plain user u into a node of typ, a type that extends
// User (for example twitter.TwitterUserType), and returns it as a *T: the
// same node, now with typ's labels. Where the generated <Type>FromModel
// fails with ogm.ErrWrongType for a user that is not of the subclass,
// Promote adds the missing labels, applies typ's defaults to the fields the
// node does not have, calls each set function (to fill the subclass's
// required properties), validates and saves the node, all in one write
// transaction: on any error nothing changes. A node that already has typ's
// label is loaded as it is (saved again only when set functions are given).
//
//	tu, err := auth.Promote(ctx, db, user, twitter.TwitterUserType,
//		func(tu *twitter.TwitterUser) { tu.Handle = "@jim" })
//
// db is the database u was loaded from. Promote fails with ErrNotUserType
// when typ does not extend User and with ogm.ErrDoesNotExist when u's node
// is gone.
func Promote[T any](ctx context.Context, db *ogm.DB, u *User, typ *ogm.NodeType[T], set ...func(*T)) (*T, error) {
	if !slices.Contains(typ.Labels, UserType.Label) {
		return nil, fmt.Errorf("%w: %s", ErrNotUserType, typ.Name)
	}
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
		v, err := typ.FromModel(ctx, u)
		if err != nil {
			return err
		}
		had := res.Rows[0][0] == true
		if !had {
			typ.Init(v)
		}
		for _, f := range set {
			f(v)
		}
		if !had || len(set) > 0 {
			if err := typ.Save(ctx, v); err != nil {
				return err
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
