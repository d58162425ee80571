package codegen

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"
	"github.com/gonode/gonode/schema"
)

// Permission constants: for a file that meets the auth schema
// (schema.File.HasPermissionConsts), one untyped string constant per
// permission it declares or implies (schema.File.Permissions), named by
// schema.FilePermission.ConstName and valued "app_label.codename", so that
// a permission check names a permission the compiler knows:
//
//	ok, err := auth.HasPerm(ctx, db, u, models.PermPublishBook)
//
// They cost nothing to compile; the schema refuses a constant whose name
// another generated identifier of the package has.

// permConsts declares the permission constants of the file, if it has
// them.
func (g *gen) permConsts() {
	if !g.f.HasPermissionConsts() {
		return
	}
	perms := g.f.Permissions()
	if len(perms) == 0 {
		return
	}
	app := g.f.PermissionAppLabel()
	check := "auth.HasPerm"
	if g.f.Builtin || g.f.GoPackage == schema.AuthGoPackage {
		check = "HasPerm"
	}
	label := fmt.Sprintf("app label %q", app)
	if g.f.AppLabel == "" {
		label += ", the package name"
	} else {
		label += ", the schema's app_label"
	}
	var defs []jen.Code
	for _, p := range perms {
		key := p.Key(g.f)
		var c string
		if p.Action != "" {
			c = fmt.Sprintf("%s is %s, the permission %s, one of the default permissions of %s.", p.ConstName(), strconv.Quote(key), strconv.Quote(p.Name), p.Node.Name)
		} else {
			c = fmt.Sprintf("%s is %s, the permission %s, which %s declares.", p.ConstName(), strconv.Quote(key), strconv.Quote(p.Name), p.Node.Name)
		}
		defs = append(defs, doc(1, c), jen.Id(p.ConstName()).Op("=").Lit(key))
	}
	g.jf.Comment("// ---------------------------------------------------------------- permissions")
	g.jf.Line()
	g.jf.Comment(comment(0, fmt.Sprintf("The permissions of package %s (%s), as the \"app_label.codename\" strings that %s and the other permission checks take. gonode install-labels creates their Permission nodes.", g.f.Package, label, check)))
	g.jf.Const().Defs(defs...)
	g.jf.Line()
}
