package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/gonode/gonode/schema"
)

// User models: the only code generated for package auth's sake. A concrete
// user type (schema.Node.UserModel is set) gets <N>Model, which package
// auth creates and authenticates users of the type with, and a type
// extending auth.User, abstract or not, gets a String method of its own;
// node calls userModelVar for every concrete node type, and userMethods for
// every node type.

// userModelVar declares <N>Model for a user type n: the auth package's
// Model[N] (declared by hand in the package of auth.User) describing how
// its users log in.
func (g *gen) userModelVar(n *schema.Node) {
	um, root := n.UserModel, n.AuthUser()
	if um == nil || um.UsernameField == nil || root == nil {
		return
	}
	pre := ""
	if root.File != g.f {
		pre = importName(root.File) + "."
	}
	field := func(p *schema.Property) []jen.Code {
		items := []jen.Code{kv("Name", jen.Lit(p.Name)), kv("Key", jen.Lit(p.DBName)), kv("Type", jen.Lit(p.Type.String()))}
		if p.MaxLength != nil {
			items = append(items, kv("MaxLength", jen.Lit(*p.MaxLength)))
		}
		return items
	}
	login := um.UsernameField
	items := []jen.Code{
		kv("Type", jen.Id(n.DescriptorName())),
		kv("UsernameField", g.ref(root.File, "Field").Values(field(login)...)),
	}
	var names []string
	if len(um.RequiredFields) > 0 {
		var req []jen.Code
		for _, p := range um.RequiredFields {
			req = append(req, jen.Values(field(p)...))
			names = append(names, p.Name)
		}
		items = append(items, kv("RequiredFields", jen.Index().Add(g.ref(root.File, "Field")).Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, req...)))
	}
	items = append(items, kv("Username", jen.Func().Params(jen.Id("n").Op("*").Id(n.Name)).Op("*").String().Block(
		jen.Return(jen.Op("&").Id("n").Dot(login.GoName)))))
	first := fmt.Sprintf("%s describes %s as a user model to package %s: users log in with their %s (the username field)", n.UserModelName(), n.Name, root.File.Package, login.Name)
	if len(names) > 0 {
		first += fmt.Sprintf(", and creating one requires %s too (the required fields)", joinAnd(names))
	}
	second := fmt.Sprintf("Create users with %sCreateUserAs(ctx, db, %s, v); set %sConfig.UserModel to it for CreateUser to create %s nodes and Authenticate to find them by %s.", pre, n.UserModelName(), pre, n.Name, login.Name)
	if n == root {
		second = fmt.Sprintf("It is the default user model: CreateUser and Authenticate use it unless %sConfig.UserModel names another.", pre)
	}
	g.jf.Comment(comment(0, first+".", second))
	g.jf.Var().Id(n.UserModelName()).Op("=").Op("&").Add(g.ref(root.File, "Model")).Types(jen.Id(n.Name)).Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, items...)
	g.jf.Line()
}

// joinAnd joins words as "a", "a and b" or "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// userMethods declares String on a node type n that extends auth.User
// (directly or not): the one promoted from the auth.User it embeds would
// name the wrong type ("User(jim)"). Its JSON and printing methods (it has
// the sensitive password of auth.User) are declared for every node type by
// nodeJSONMethods. The schema refuses members of n named after them (or
// after any other method of *auth.User).
func (g *gen) userMethods(n *schema.Node) {
	root := n.AuthUser()
	if root == nil || root == n {
		return
	}
	recv := jen.Id("n").Id(n.Name)
	login := "Username"
	loginName := "username"
	if um := n.UserModel; um != nil && um.UsernameField != nil {
		login, loginName = um.UsernameField.GoName, um.UsernameField.Name
	}
	g.jf.Comment(comment(0, fmt.Sprintf("String returns \"%s(<%s>)\": the user's %s, the field it logs in with.", n.Name, loginName, loginName)))
	g.jf.Func().Params(recv.Clone()).Id("String").Params().String().Block(
		jen.Return(jen.Lit(n.Name + "(").Op("+").Id("n").Dot(login).Op("+").Lit(")")))
	g.jf.Line()
}
