package codegen

import (
	"fmt"
	"github.com/gonode/gonode/schema"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// The descriptors: <Node>Type (an ogm.NodeType) and <Model>Type (an
// ogm.RelType). A descriptor holds the type's names, labels and properties
// and four functions: Encode, Decode, Rules and Defaults. The runtime does
// everything else (new values, the embedded NodeBase, the package Schema),
// and a function that would do nothing is left out (nil).

// codecs says which properties a descriptor's functions handle and which
// descriptor they delegate to first.
type codecs struct {
	typeName string
	recv     string
	// props are the properties this type's functions handle: its own when
	// it delegates to parent, else every property of its chain.
	props []ownedProp
	// parent is the node type whose descriptor handles the inherited
	// properties (nil: none, or not delegated).
	parent *schema.Node
	semi   bool
}

// nodeCodecs is how n's descriptor handles its properties. A type that
// extends another calls its parent's functions on the embedded parent
// value, so each property is encoded, decoded and checked by the code of
// the type that declares it. A semi-structured chain does not delegate:
// the Extra map must be checked against every declared key at once.
func nodeCodecs(n *schema.Node) codecs {
	c := codecs{typeName: n.Name, recv: "n", semi: n.IsSemiStructured()}
	if n.Extends == nil || c.semi {
		c.props = nodeProps(n)
		return c
	}
	c.parent = n.Extends
	for _, p := range n.Properties {
		c.props = append(c.props, ownedProp{p, n.File, n.Name})
	}
	return c
}

// chainHasProps reports whether a node of type n stores any property (its
// descriptor has Encode and Decode).
func chainHasProps(n *schema.Node) bool { return len(n.AllProperties()) > 0 || n.IsSemiStructured() }

// chainHasRules reports whether n's descriptor has Rules.
func (g *gen) chainHasRules(n *schema.Node) bool {
	for _, p := range nodeProps(n) {
		if len(g.validateProp(n.Name, "n", p)) > 0 {
			return true
		}
	}
	return false
}

// chainHasDefaults reports whether n's descriptor has Defaults.
func chainHasDefaults(n *schema.Node) bool {
	for _, p := range n.AllProperties() {
		if hasDefaultCode(p) {
			return true
		}
	}
	return false
}

// hasDefaultCode reports whether p's default needs code: a plain value
// defaulting to its zero value is already set.
func hasDefaultCode(p *schema.Property) bool { return p.Default != nil && unsetExpr("n", p) != nil }

// nodeType declares <N>Type.
func (g *gen) nodeType(n *schema.Node) {
	info := []jen.Code{kv("Name", jen.Lit(n.Name)), kv("Label", jen.Lit(descriptorLabel(n)))}
	var ls []jen.Code
	for _, l := range n.LabelChain() {
		ls = append(ls, jen.Lit(l))
	}
	if len(ls) > 0 {
		info = append(info, kv("Labels", jen.Index().String().Values(ls...)))
	}
	if n.Abstract {
		info = append(info, kv("Abstract", jen.True()))
	}
	if n.IsSemiStructured() {
		info = append(info, kv("SemiStructured", jen.True()))
	}
	info = append(info, propInfos(nodeProps(n))...)
	info = append(info, nodeIndexInfo(n)...)
	if len(n.Permissions) > 0 {
		var perms []jen.Code
		for _, p := range n.Permissions {
			perms = append(perms, jen.Values(kv("Codename", jen.Lit(p.Codename)), kv("Name", jen.Lit(p.Name))))
		}
		info = append(info, kv("Permissions", jen.Index().Add(rtm("Permission")).Add(multi(perms))))
	}
	items := []jen.Code{kv("NodeInfo", rtm("NodeInfo").Custom(multiLine, info...))}
	c := nodeCodecs(n)
	if chainHasProps(n) {
		items = append(items, kv("Encode", g.encodeFunc(c)), kv("Decode", g.decodeFunc(c)))
	}
	if g.chainHasRules(n) {
		items = append(items, kv("Rules", g.rulesFunc(c, c.parent != nil && g.chainHasRules(c.parent))))
	}
	if chainHasDefaults(n) {
		items = append(items, kv("Defaults", g.defaultsFunc(c, c.parent != nil && chainHasDefaults(c.parent))))
	}
	if n.Abstract {
		g.jf.Comment(comment(0, fmt.Sprintf("%s describes the abstract %s to the ogm runtime, as the target of relationships: it reads the %s fields of a node of any type that extends %s.", n.DescriptorName(), n.Name, n.Name, n.Name),
			abstractLabelDoc(n)))
	} else {
		g.jf.Comment(comment(0, fmt.Sprintf("%s describes %s to the ogm runtime.", n.DescriptorName(), n.Name)))
	}
	g.jf.Var().Id(n.DescriptorName()).Op("=").Op("&").Add(rtm("NodeType")).Types(jen.Id(n.Name)).Custom(multiLine, items...)
	g.jf.Line()
}

func abstractLabelDoc(n *schema.Node) string {
	if l := descriptorLabel(n); l != "" {
		return fmt.Sprintf("It matches the label %s, which every node extending %s is written with.", nameText(l), n.Name)
	}
	return fmt.Sprintf("%s has no label, so it matches any node at the other end of a relationship.", n.Name)
}

// relModelType declares <M>Type.
func (g *gen) relModelType(m *schema.RelModel) {
	props := modelProps(m)
	info := append([]jen.Code{kv("Name", jen.Lit(m.Name))}, propInfos(props)...)
	items := []jen.Code{kv("RelInfo", rtm("RelInfo").Custom(multiLine, info...))}
	c := codecs{typeName: m.Name, recv: "r", props: props}
	if len(props) > 0 {
		items = append(items, kv("Encode", g.encodeFunc(c)), kv("Decode", g.decodeFunc(c)))
	}
	var rules, defaults bool
	for _, p := range props {
		rules = rules || len(g.validateProp(m.Name, "r", p)) > 0
		defaults = defaults || hasDefaultCode(p.Property)
	}
	if rules {
		items = append(items, kv("Rules", g.rulesFunc(c, false)))
	}
	if defaults {
		items = append(items, kv("Defaults", g.defaultsFunc(c, false)))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("%s describes %s to the ogm runtime.", m.DescriptorName(), m.Name)))
	g.jf.Var().Id(m.DescriptorName()).Op("=").Op("&").Add(rtm("RelType")).Types(jen.Id(m.Name)).Custom(multiLine, items...)
	g.jf.Line()
}

// multiLine renders a composite literal one item per line.
var multiLine = jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}

// propInfos is the Props field of a descriptor, or nothing.
func propInfos(props []ownedProp) []jen.Code {
	if len(props) == 0 {
		return nil
	}
	var infos []jen.Code
	for _, p := range props {
		infos = append(infos, propInfo(p.Property))
	}
	return []jen.Code{kv("Props", jen.Index().Add(rtm("PropInfo")).Custom(multiLine, infos...))}
}

// parentValue is the embedded parent of the receiver, as its parent's
// descriptor takes it: &n.Person.
func (c codecs) parentValue() *jen.Statement { return jen.Op("&").Id(c.recv).Dot(c.parent.Name) }

// parentCall calls the parent descriptor's function fn on the embedded
// parent value, with the extra arguments args.
func (g *gen) parentCall(c codecs, fn string, args ...jen.Code) *jen.Statement {
	return g.ref(c.parent.File, c.parent.DescriptorName()).Dot(fn).Call(append([]jen.Code{c.parentValue()}, args...)...)
}

func (g *gen) encodeFunc(c codecs) jen.Code {
	var body []jen.Code
	var entries []jen.Code
	nJSON := 0
	for _, p := range c.props {
		v := ""
		if p.Type.Kind == schema.KindJSON && !p.Type.Array {
			v = "json" + strconv.Itoa(nJSON)
			nJSON++
			body = append(body,
				jen.List(jen.Id(v), jen.Err()).Op(":=").Add(rtm("JSONParam")).Call(field(c.recv, p.Property)),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
		}
		entries = append(entries, jen.Lit(p.DBName).Op(":").Add(encodeExpr(c.recv, p.Property, v)))
	}
	sig := jen.Func().Params(jen.Id(c.recv).Op("*").Id(c.typeName)).Params(jen.Map(jen.String()).Any(), jen.Error())
	if c.parent != nil && chainHasProps(c.parent) {
		if len(entries) == 0 {
			return sig.Block(jen.Return(g.parentCall(c, "Encode")))
		}
		body = append([]jen.Code{
			jen.List(jen.Id("props"), jen.Err()).Op(":=").Add(g.parentCall(c, "Encode")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		}, body...)
		for _, p := range c.props {
			body = append(body, jen.Id("props").Index(jen.Lit(p.DBName)).Op("=").Add(encodeExpr(c.recv, p.Property, jsonVarOf(c.props, p))))
		}
		return sig.Block(append(body, jen.Return(jen.Id("props"), jen.Nil()))...)
	}
	mapLit := jen.Map(jen.String()).Any().Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: len(entries) > 0}, entries...)
	if !c.semi {
		return sig.Block(append(body, jen.Return(mapLit, jen.Nil()))...)
	}
	body = append(body,
		jen.Id("props").Op(":=").Add(mapLit),
		jen.If(jen.Err().Op(":=").Add(rtm("AddExtra")).Call(jen.Lit(c.typeName), jen.Id("props"), jen.Id(c.recv).Dot("Extra")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("props"), jen.Nil()))
	return sig.Block(body...)
}

// jsonVarOf is the local variable encodeFunc encoded json property p into
// ("" for other kinds).
func jsonVarOf(props []ownedProp, p ownedProp) string {
	n := 0
	for _, q := range props {
		if q.Type.Kind != schema.KindJSON || q.Type.Array {
			continue
		}
		if q.Property == p.Property {
			return "json" + strconv.Itoa(n)
		}
		n++
	}
	return ""
}

func (g *gen) decodeFunc(c codecs) jen.Code {
	var body []jen.Code
	if c.parent != nil && chainHasProps(c.parent) {
		body = append(body, g.parentCall(c, "Decode", jen.Id("d")))
	}
	var keys []jen.Code
	for _, p := range c.props {
		body = append(body, field(c.recv, p.Property).Op("=").Add(decodeCall(p.Property)))
		keys = append(keys, jen.Lit(p.DBName))
	}
	if c.semi {
		body = append(body, jen.Id(c.recv).Dot("Extra").Op("=").Id("d").Dot("Extra").Call(keys...))
	}
	return jen.Func().Params(jen.Id(c.recv).Op("*").Id(c.typeName), jen.Id("d").Op("*").Add(rtm("Decoder"))).Block(body...)
}

// rulesFunc checks c's properties; withParent first runs the parent's
// rules.
func (g *gen) rulesFunc(c codecs, withParent bool) jen.Code {
	var body []jen.Code
	if withParent {
		body = append(body, g.parentCall(c, "Rules", jen.Id("v")))
	}
	for _, p := range c.props {
		body = append(body, g.validateProp(c.typeName, c.recv, p)...)
	}
	return jen.Func().Params(jen.Id(c.recv).Op("*").Id(c.typeName), jen.Id("v").Op("*").Add(rtm("Validator"))).Block(body...)
}

// defaultsFunc applies the defaults of c's properties; withParent first
// applies the parent's.
func (g *gen) defaultsFunc(c codecs, withParent bool) jen.Code {
	var body []jen.Code
	if withParent {
		body = append(body, g.parentCall(c, "Defaults"))
	}
	for _, p := range c.props {
		if hasDefaultCode(p.Property) {
			body = append(body, jen.If(unsetExpr(c.recv, p.Property)).Block(field(c.recv, p.Property).Op("=").Add(defaultExpr(p.Property))))
		}
	}
	return jen.Func().Params(jen.Id(c.recv).Op("*").Id(c.typeName)).Block(body...)
}

// validateProp is the validation of one property.
func (g *gen) validateProp(typeName, recv string, p ownedProp) []jen.Code {
	name := jen.Lit(p.Name)
	var out []jen.Code
	set := setExpr(recv, p.Property)
	if p.Required && set != nil {
		out = append(out, jen.Id("v").Dot("Required").Call(name, set))
	}
	checks := func(x func() *jen.Statement) []jen.Code {
		var cs []jen.Code
		if len(p.Choices) > 0 {
			cs = append(cs, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Add(g.ref(p.file, p.ChoicesName(p.owner))).Index(x()), jen.Op("!").Id("ok")).Block(
				jen.Id("v").Dot("Choice").Call(name, x(), jen.False())))
		}
		if p.MaxLength != nil {
			cs = append(cs, jen.Id("v").Dot("MaxLength").Call(name, x(), jen.Lit(*p.MaxLength)))
		}
		if p.MinLength != nil {
			cs = append(cs, jen.Id("v").Dot("MinLength").Call(name, x(), jen.Lit(*p.MinLength)))
		}
		num := func() *jen.Statement {
			if p.Type.Kind == schema.KindFloat {
				return x()
			}
			return jen.Float64().Call(x())
		}
		if p.Min != nil {
			cs = append(cs, jen.Id("v").Dot("Min").Call(name, num(), numLit(*p.Min)))
		}
		if p.Max != nil {
			cs = append(cs, jen.Id("v").Dot("Max").Call(name, num(), numLit(*p.Max)))
		}
		if p.Pattern != "" {
			cs = append(cs, jen.Id("v").Dot("Pattern").Call(name, x(), jen.Id(p.PatternName(typeName))))
		}
		if p.Type.Kind == schema.KindEmail {
			cs = append(cs, jen.Id("v").Dot("Email").Call(name, x()))
		}
		return cs
	}
	switch {
	case p.Type.Array:
		if cs := checks(func() *jen.Statement { return jen.Id("e") }); len(cs) > 0 {
			out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(field(recv, p.Property))).Block(cs...))
		}
	case set == nil:
		out = append(out, checks(func() *jen.Statement { return field(recv, p.Property) })...)
	default:
		if cs := checks(func() *jen.Statement { return valueExpr(recv, p.Property) }); len(cs) > 0 {
			out = append(out, jen.If(set).Block(cs...))
		}
	}
	return out
}
