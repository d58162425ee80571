package codegen

import (
	"fmt"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// ownedProp is a property with the node or model that declares it (whose
// package holds its choices map).
type ownedProp struct {
	*schema.Property
	file  *schema.File // the declaring file
	owner string       // the declaring node or model name
}

func nodeProps(n *schema.Node) []ownedProp {
	var out []ownedProp
	for _, c := range n.Chain() {
		for _, p := range c.Properties {
			out = append(out, ownedProp{p, c.File, c.Name})
		}
	}
	return out
}

func modelProps(m *schema.RelModel) []ownedProp {
	var out []ownedProp
	for _, p := range m.Properties {
		out = append(out, ownedProp{p, m.File, m.Name})
	}
	return out
}

// labelText is "label X" or "labels X:Y", each label written with
// nameText.
func labelText(labels []string) string {
	ls := make([]string, len(labels))
	for i, l := range labels {
		ls[i] = nameText(l)
	}
	if len(ls) == 1 {
		return "label " + ls[0]
	}
	return "labels " + strings.Join(ls, ":")
}

// descriptorLabel is the label the descriptor of n matches: its own for a
// concrete node; for an abstract one the first extra label its chain
// writes, or "" (any node) when it has none.
func descriptorLabel(n *schema.Node) string {
	if !n.Abstract {
		return n.DBLabel()
	}
	if l := n.LabelChain(); len(l) > 0 {
		return l[0]
	}
	return ""
}

// node renders everything generated for node type n.
func (g *gen) node(n *schema.Node) {
	g.jf.Comment("// ---------------------------------------------------------------- " + n.Name)
	g.jf.Line()
	g.nodeStruct(n)
	if !n.Abstract {
		g.fetchedStruct(n)
	}
	g.choiceMaps(n.Name, n.Properties)
	props := nodeProps(n)
	g.patternVars(n.Name, nodeCodecs(n).props)
	g.nodeType(n)
	g.propHandles(n.Name, props, "Filter and OrderBy")
	g.fulltextHandles(n)
	if n.Abstract {
		g.userMethods(n)
		g.nodeJSONMethods(n)
		return
	}
	g.managerFuncs(n)
	g.userModelVar(n)
	g.userMethods(n)
	g.nodeMethods(n)
	g.nodeJSONMethods(n)
	g.displayMethods(n.Name, "n", "node", props)
	g.relationships(n)
}

// sensitiveNames lists the names of the sensitive properties of props, or
// nil.
func sensitiveNames(props []*schema.Property) []string {
	var out []string
	for _, p := range props {
		if p.Sensitive {
			out = append(out, p.Name)
		}
	}
	return out
}

// nodeJSONMethods declares MarshalJSON and UnmarshalJSON on node type n
// (abstract ones too: they are relationship targets), and, when n has a
// sensitive property (its own or inherited), Format and LogValue, each a
// call into the runtime with n's descriptor. A type that extends another
// declares its own, so that those promoted from the type it embeds never
// hide its fields.
func (g *gen) nodeJSONMethods(n *schema.Node) {
	desc := jen.Id(n.DescriptorName())
	fetched := jen.Nil()
	fetchedDoc := ""
	if !n.Abstract && len(n.Accessors()) > 0 {
		fetched = jen.Op("&").Id("n").Dot("Fetched")
		fetchedDoc = ", then fetched, the relationships FetchRelations loaded (see " + n.FetchedName() + ".MarshalJSON)"
	}
	extraDoc := ""
	if n.IsSemiStructured() {
		extraDoc = ", extra (the undeclared properties, when there are any)"
	}
	sensitive := sensitiveNames(n.AllProperties())
	never := ""
	if len(sensitive) > 0 {
		never = fmt.Sprintf(" Its sensitive properties (%s) are never written.", joinAnd(sensitive))
	}
	recv := jen.Id("n").Id(n.Name)
	g.jf.Comment(comment(0, fmt.Sprintf("MarshalJSON encodes the %s as a JSON object: element_id (once it is saved), its properties under their schema names in schema order, unset ones left out%s%s.%s Dates are \"YYYY-MM-DD\", datetimes RFC 3339, durations ISO 8601 (package ogm documents every type).", n.Name, extraDoc, fetchedDoc, never)))
	g.jf.Func().Params(recv.Clone()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(rtm("MarshalNode").Call(desc.Clone(), jen.Op("&").Id("n"), fetched.Clone())))
	g.jf.Line()
	readDoc := ""
	if len(sensitive) > 0 {
		readDoc = " or sensitive properties"
	}
	g.jf.Comment(comment(0, fmt.Sprintf("UnmarshalJSON reads the %s's properties from a JSON object, such as a request body: those present in data, under their schema names (a value of the wrong type is an *ogm.JSONError naming the property); the others keep their values. It never reads the element id, fetched relationships%s.", n.Name, readDoc)))
	g.jf.Func().Params(jen.Id("n").Op("*").Id(n.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(rtm("UnmarshalNode").Call(desc.Clone(), jen.Id("n"), jen.Id("data"))))
	g.jf.Line()
	if len(sensitive) == 0 {
		return
	}
	g.formatMethod(n.Name, "n", sensitive)
	g.jf.Comment(comment(0, fmt.Sprintf("LogValue gives log/slog the %s as its JSON encoding has it: element_id, the properties that are set and what was fetched, never %s.", n.Name, joinAnd(sensitive))))
	g.jf.Func().Params(recv.Clone()).Id("LogValue").Params().Qual("log/slog", "Value").Block(
		jen.Return(rtm("NodeLogValue").Call(desc.Clone(), jen.Op("&").Id("n"), fetched.Clone())))
	g.jf.Line()
}

// formatMethod declares Format on the type called typeName, whose
// sensitive properties are sensitive.
func (g *gen) formatMethod(typeName, recv string, sensitive []string) {
	g.jf.Comment(comment(0, fmt.Sprintf("Format prints the %s as fmt prints a struct, with every verb (%%v, %%+v, %%#v, %%s, %%q, …), %s shown as %s.", typeName, joinAnd(sensitive), ogm.Redacted)))
	g.jf.Func().Params(jen.Id(recv).Id(typeName)).Id("Format").Params(jen.Id("f").Qual("fmt", "State"), jen.Id("verb").Rune()).Block(
		rtm("FormatRedacted").Call(jen.Id("f"), jen.Id("verb"), jen.Op("&").Id(recv)))
	g.jf.Line()
}

func (g *gen) nodeStruct(n *schema.Node) {
	var d []string
	if n.Abstract {
		d = append(d, fmt.Sprintf("%s is the abstract node type %s: it has no label of its own and no manager; the node types that extend it share its fields (their Go structs embed it).", n.Name, n.Name))
	} else {
		d = append(d, fmt.Sprintf("%s is a node of type %s (%s).", n.Name, n.Name, labelText(n.LabelChain())))
	}
	if n.Extends != nil && !n.Abstract {
		p := n.Extends
		pn := g.nodeName(p)
		if p.Abstract {
			d = append(d, fmt.Sprintf("It extends %s, whose fields it embeds.", pn))
		} else {
			d = append(d, fmt.Sprintf("It extends %s: it embeds %s's fields, is written with %s's labels too, and %s queries return %s nodes (as %s values); %s turns such a value into a *%s.", pn, pn, pn, pn, n.Name, pn, n.FromModelName(), n.Name))
		}
	}
	first := strings.Join(d, " ")
	g.jf.Comment(comment(0, first, helpPara(n.Help)))
	var fields []jen.Code
	if n.Extends != nil {
		fields = append(fields, g.nodeRef(n.Extends))
	} else {
		fields = append(fields, rtm("NodeBase").Tag(map[string]string{"json": "-"}))
	}
	fields = append(fields, propFields(n.Properties)...)
	if n.IsSemiStructured() && (n.Extends == nil || !n.Extends.IsSemiStructured()) {
		fields = append(fields,
			doc(1, "Extra holds the stored properties the schema does not declare (semi_structured). Save writes them too, and removes from the node the keys no longer in the map; a key that is a declared property's stored key, or a value Neo4j cannot store (a map, a struct, a mixed list), is a validation error."),
			jen.Id("Extra").Map(jen.String()).Any().Tag(map[string]string{"json": "extra,omitempty"}))
	}
	if !n.Abstract {
		fields = append(fields,
			doc(1, "Fetched holds the relationships loaded by FetchRelations."),
			jen.Id("Fetched").Id(n.FetchedName()).Tag(map[string]string{"json": "fetched,omitzero"}))
	}
	g.jf.Type().Id(n.Name).Struct(fields...)
	g.jf.Line()
}

// nodeName is how n is written in this package's comments: Name or
// pkg.Name, pkg as this file imports it.
func (g *gen) nodeName(n *schema.Node) string { return g.qualified(n.File, n.Name) }

// qualified is name, declared in the package of f, as this file's code and
// comments write it.
func (g *gen) qualified(f *schema.File, name string) string {
	if f == g.f {
		return name
	}
	return importName(f) + "." + name
}

// propFields are the struct fields of props, each with its comment.
func propFields(props []*schema.Property) []jen.Code {
	var fields []jen.Code
	for _, p := range props {
		fields = append(fields,
			doc(1, fmt.Sprintf("%s is the property %s (%s).", p.GoName, strconv.Quote(p.Name), propSummary(p)), helpPara(p.Help)),
			jen.Id(p.GoName).Add(goType(p)).Tag(propTag(p)))
	}
	return fields
}

// propTag is the struct tag of p's field: its JSON key (the schema name)
// with omitempty or omitzero when its unset value is left out of the JSON
// encoding, or json:"-" and ogm:"sensitive" for a sensitive property. The
// generated MarshalJSON and UnmarshalJSON methods do the encoding (tags
// cannot write a date as a date); the runtime reads the tags to find the
// fields of the properties.
func propTag(p *schema.Property) map[string]string {
	if p.Sensitive {
		return map[string]string{"json": "-", "ogm": "sensitive"}
	}
	name := p.Name
	switch {
	case p.Type.Array || p.Type.Kind.IsTemporal():
		name += ",omitzero" // a nil slice, the zero time
	case isPointer(p) || p.Type.Kind == schema.KindJSON || p.Type.Kind.IsStringLike():
		name += ",omitempty" // nil, ""
	}
	return map[string]string{"json": name}
}

// relText describes the relationship of a, for comments: "Person.country".
func (g *gen) relText(r *schema.Relationship) string { return g.nodeName(r.Owner) + "." + r.Name }

func (g *gen) fetchedStruct(n *schema.Node) {
	var fields []jen.Code
	acc := n.Accessors()
	for _, a := range acc {
		t := g.nodeRef(a.Target())
		var c string
		switch {
		case a.Reverse:
			c = fmt.Sprintf("%s holds the %s nodes connected by %s (its reverse accessor).", a.GoName(), g.nodeName(a.Target()), g.relText(a.Rel))
		case a.ToOne():
			c = fmt.Sprintf("%s is the target of %s (%s).", a.GoName(), g.relText(a.Rel), a.Cardinality())
		default:
			c = fmt.Sprintf("%s holds the targets of %s.", a.GoName(), g.relText(a.Rel))
		}
		if a.ToOne() {
			c += fmt.Sprintf(" It is nil when there is none, and when it was not fetched: %s tells.", a.OrErrName())
		}
		fields = append(fields, doc(1, c))
		if a.ToOne() {
			fields = append(fields, jen.Id(a.GoName()).Op("*").Add(t).Tag(map[string]string{"json": a.Name() + ",omitempty"}))
		} else {
			fields = append(fields, jen.Id(a.GoName()).Index().Op("*").Add(t).Tag(map[string]string{"json": a.Name() + ",omitzero"}))
		}
		if a.Rel.Model != nil {
			mt, _ := g.modelRefs(a.Rel)
			name := a.RelsName()
			tag := map[string]string{"json": "-"} // paired with the targets in the JSON encoding
			if a.ToOne() {
				fields = append(fields, doc(1, fmt.Sprintf("%s is the %s relationship to %s.", name, g.modelName(a.Rel.Model), a.GoName())), jen.Id(name).Op("*").Add(mt).Tag(tag))
			} else {
				fields = append(fields, doc(1, fmt.Sprintf("%s are the %s relationships to %s, in the same order.", name, g.modelName(a.Rel.Model), a.GoName())), jen.Id(name).Index().Op("*").Add(mt).Tag(tag))
			}
		}
	}
	if len(acc) > 0 {
		fields = append(fields, doc(1, "loaded records the relationships FetchRelations stored here, in field order."), jen.Id("loaded").Add(rtm("Loaded")))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("%s holds %s's relationships loaded by FetchRelations.", n.FetchedName(), n.Name)))
	g.jf.Type().Id(n.FetchedName()).Struct(fields...)
	g.jf.Line()
	if len(acc) == 0 {
		return
	}
	f := jen.Id("f").Id(n.FetchedName())
	for i, a := range acc {
		t := jen.Op("*").Add(g.nodeRef(a.Target()))
		if !a.ToOne() {
			t = jen.Index().Add(t)
		}
		what := "was fetched (or set)"
		if a.ToOne() {
			what = "was fetched (or set; nil when the node has none)"
		}
		g.jf.Comment(comment(0, fmt.Sprintf("%s returns %s when %s %s, and an *ogm.NotLoadedError (errors.Is(err, ogm.ErrNotLoaded)) when it was not.", a.OrErrName(), a.GoName(), a.Name(), what)))
		g.jf.Func().Params(jen.Id("f").Op("*").Id(n.FetchedName())).Id(a.OrErrName()).Params().Params(t, jen.Error()).Block(
			jen.Return(jen.Id("f").Dot(a.GoName()), jen.Id("f").Dot("loaded").Dot("Err").Call(jen.Lit(i), jen.Id("f").Dot(a.GoName()).Op("!=").Nil(), jen.Lit(n.Name), jen.Lit(a.Name()))))
		g.jf.Line()
	}
	g.jf.Comment(comment(0, "MarshalJSON encodes the relationships that were fetched (or set), under their schema names: a to-many one as an array ([] when fetched with no target), a to-one one as its target or null; with a relationship model, each target is paired with its relationship as {\"node\": …, \"rel\": …}. Those not fetched are left out."))
	g.jf.Func().Params(f.Clone()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(rtm("MarshalFetched").Call(jen.Id("f"), jen.Id("f").Dot("loaded"))))
	g.jf.Line()
	g.jf.Comment("// UnmarshalJSON reads nothing: fetched relationships are never read from JSON.")
	g.jf.Func().Params(jen.Id("f").Op("*").Id(n.FetchedName())).Id("UnmarshalJSON").Params(jen.Index().Byte()).Error().Block(jen.Return(jen.Nil()))
	g.jf.Line()
}

// choiceMaps declares the choices map of each property of props that has
// choices: value to label.
func (g *gen) choiceMaps(owner string, props []*schema.Property) {
	for _, p := range props {
		if len(p.Choices) == 0 {
			continue
		}
		name := p.ChoicesName(owner)
		var items []jen.Code
		for _, c := range p.Choices {
			items = append(items, choiceKey(p.Type.Kind, c.Value).Op(":").Lit(c.Label))
		}
		g.jf.Comment(comment(0, fmt.Sprintf("%s are the choices of %s.%s, value to label.", name, owner, p.Name)))
		g.jf.Var().Id(name).Op("=").Map(elemType(p.Type.Kind)).String().Add(multi(items))
		g.jf.Line()
	}
}

// patternVars declares the compiled pattern of each property of props that
// has one, for type owner's Validate.
func (g *gen) patternVars(owner string, props []ownedProp) {
	var defs []jen.Code
	for _, p := range props {
		if p.Pattern == "" {
			continue
		}
		defs = append(defs, jen.Id(p.PatternName(owner)).Op("=").Qual("regexp", "MustCompile").Call(jen.Lit(p.Pattern)))
	}
	if len(defs) == 0 {
		return
	}
	g.jf.Comment(comment(0, fmt.Sprintf("Patterns of %s's properties.", owner)))
	g.jf.Var().Defs(defs...)
	g.jf.Line()
}

// field is "Name: value".
func kv(name string, v jen.Code) jen.Code { return jen.Id(name).Op(":").Add(v) }

// propHandles declares the filter handle of each property.
func (g *gen) propHandles(typeName string, props []ownedProp, use string) {
	if len(props) == 0 {
		return
	}
	var defs []jen.Code
	for _, p := range props {
		c := fmt.Sprintf("%s is the handle of %s.%s", p.HandleName(typeName), typeName, p.Name)
		if k := handleKind(p.Property); k != "" {
			c += " (" + k + ")"
		}
		defs = append(defs, doc(1, c+"."), jen.Id(p.HandleName(typeName)).Op("=").Add(handleExpr(jen.Op("*").Id(typeName), p.Property)))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("Property handles of %s, for %s.", typeName, use)))
	g.jf.Var().Defs(defs...)
	g.jf.Line()
}

func (g *gen) managerFuncs(n *schema.Node) {
	t := jen.Id(n.Name)
	g.jf.Comment(comment(0, fmt.Sprintf("%s returns the manager of %s nodes on db: queries, Create and Get.", n.ManagerName(), n.Name)))
	g.jf.Func().Id(n.ManagerName()).Params(jen.Id("db").Op("*").Add(rtm("DB"))).Op("*").Add(rtm("Nodes")).Types(jen.Op("*").Add(t)).Block(
		jen.Return(rtm("NewNodes").Types(jen.Op("*").Add(t.Clone())).Call(jen.Id("db"), jen.Id(n.DescriptorName()))))
	g.jf.Line()
	if n.Extends == nil {
		return
	}
	var names []string
	for _, a := range n.Ancestors() {
		names = append(names, "*"+g.nodeName(a))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("%s loads the node behind m, a value of a type %s extends (%s), as a *%s: the same node, with %s's fields. It fails with ogm.ErrWrongType when the node does not have %s's labels.", n.FromModelName(), n.Name, strings.Join(names, ", "), n.Name, n.Name, n.Name)))
	g.jf.Func().Id(n.FromModelName()).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("m").Add(rtm("Entity"))).Params(jen.Op("*").Add(t), jen.Error()).Block(
		jen.Return(rtm("FromModel").Types(jen.Op("*").Add(t.Clone())).Call(jen.Id("ctx"), jen.Id(n.DescriptorName()), jen.Id("m"))))
	g.jf.Line()
}

func (g *gen) nodeMethods(n *schema.Node) {
	recv := jen.Id("n").Op("*").Id(n.Name)
	typ := n.DescriptorName()
	ctx := jen.Id("ctx").Qual("context", "Context")
	g.jf.Comment(comment(0, fmt.Sprintf("Save validates the node and writes its properties to the node it was created as or read from. A new value is created with %sNodes(db).Create instead: it has no database to save to, and Save says so (ogm.ErrNoDB).", n.Name)))
	g.jf.Func().Params(recv.Clone()).Id("Save").Params(ctx.Clone()).Error().Block(jen.Return(rtm("Save").Call(jen.Id("ctx"), jen.Id(typ), jen.Id("n"))))
	g.jf.Line()
	g.jf.Comment("// Refresh reloads the node's properties from the database.")
	g.jf.Func().Params(recv.Clone()).Id("Refresh").Params(ctx.Clone()).Error().Block(jen.Return(rtm("Refresh").Call(jen.Id("ctx"), jen.Id(typ), jen.Id("n"))))
	g.jf.Line()
	g.jf.Comment(comment(0, "Delete removes the node and its relationships, unless a node that must keep a relationship to it (cardinality one or one_or_more) would lose its last: that is an *ogm.CardinalityError naming the other node, and nothing is deleted."))
	g.jf.Func().Params(recv.Clone()).Id("Delete").Params(ctx.Clone()).Error().Block(jen.Return(rtm("Delete").Call(jen.Id("ctx"), jen.Id(typ), jen.Id("n"))))
	g.jf.Line()
	g.jf.Comment("// Validate checks the node against the schema's rules.")
	g.jf.Func().Params(recv.Clone()).Id("Validate").Params().Error().Block(jen.Return(rtm("Validate").Call(jen.Id(typ), jen.Id("n"))))
	g.jf.Line()
}

// displayMethods declares <Prop>Display for each property with choices.
func (g *gen) displayMethods(typeName, recv, what string, props []ownedProp) {
	for _, p := range props {
		if len(p.Choices) == 0 {
			continue
		}
		m := g.ref(p.file, p.ChoicesName(p.owner))
		f := field(recv, p.Property)
		r := jen.Id(recv).Op("*").Id(typeName)
		name := p.DisplayName()
		switch {
		case p.Type.Array:
			g.jf.Comment(comment(0, fmt.Sprintf("%s returns the labels of the %s's %s choices (nil when unset; \"\" for a value that is not a choice).", name, what, p.Name)))
			g.jf.Func().Params(r).Id(name).Params().Index().String().Block(
				jen.If(f.Clone().Op("==").Nil()).Block(jen.Return(jen.Nil())),
				jen.Id("out").Op(":=").Make(jen.Index().String(), jen.Len(f.Clone())),
				jen.For(jen.List(jen.Id("i"), jen.Id("e")).Op(":=").Range().Add(f.Clone())).Block(
					jen.Id("out").Index(jen.Id("i")).Op("=").Add(m.Clone()).Index(jen.Id("e"))),
				jen.Return(jen.Id("out")))
		case isPointer(p.Property):
			g.jf.Comment(comment(0, fmt.Sprintf("%s returns the label of the %s's %s choice (\"\" when unset or not a choice).", name, what, p.Name)))
			g.jf.Func().Params(r).Id(name).Params().String().Block(
				jen.If(f.Clone().Op("==").Nil()).Block(jen.Return(jen.Lit(""))),
				jen.Return(m.Clone().Index(jen.Op("*").Add(f.Clone()))))
		default:
			g.jf.Comment(comment(0, fmt.Sprintf("%s returns the label of the %s's %s choice (\"\" when unset or not a choice).", name, what, p.Name)))
			g.jf.Func().Params(r).Id(name).Params().String().Block(jen.Return(m.Clone().Index(f)))
		}
		g.jf.Line()
	}
}

// The names of ogm's constants, for generated code that refers to a value
// of the model.
var (
	cardinalityIDs = map[ogm.Cardinality]string{ogm.ZeroOrMore: "ZeroOrMore", ogm.ZeroOrOne: "ZeroOrOne", ogm.One: "One", ogm.OneOrMore: "OneOrMore"}
	directionIDs   = map[ogm.Direction]string{ogm.Out: "Out", ogm.In: "In", ogm.Both: "Both"}
	indexIDs       = map[ogm.IndexKind]string{ogm.RangeIndex: "RangeIndex", ogm.TextIndex: "TextIndex", ogm.FulltextIndex: "FulltextIndex", ogm.VectorIndex: "VectorIndex"}
)

// modelRefs are the relationship model type and its descriptor of r.
func (g *gen) modelRefs(r *schema.Relationship) (typ, desc *jen.Statement) {
	if r.Model == nil {
		return rtm("Rel"), rtm("PlainRel")
	}
	return g.ref(r.Model.File, r.Model.Name), g.ref(r.Model.File, r.Model.DescriptorName())
}

// ownerLabel is the label the runtime counts the owners of the other end
// by: the declaring type's when it is concrete, else the concrete owner's.
func ownerLabel(declaring, owner *schema.Node) string {
	if !declaring.Abstract {
		return declaring.DBLabel()
	}
	return descriptorLabel(owner)
}

// spec is the RelSpec literal of an accessor; with fetchedIndex >= 0 (its
// position in the owner's Fetched struct) it stores what FetchRelations
// loads there.
func (g *gen) spec(a schema.Accessor, fetchedIndex int) *jen.Statement {
	target := a.Target()
	items := []jen.Code{
		kv("Owner", jen.Lit(a.Owner.Name)),
		kv("OwnerLabel", jen.Lit(ownerLabel(a.Declaring(), a.Owner))),
		kv("Name", jen.Lit(a.Name())),
		kv("Type", jen.Lit(a.Rel.Type)),
		kv("Direction", rtm(directionIDs[a.Direction()])),
		kv("Cardinality", rtm(cardinalityIDs[a.Cardinality()])),
		kv("OtherCardinality", rtm(cardinalityIDs[a.OtherCardinality()])),
		kv("Target", g.ref(target.File, target.DescriptorName())),
	}
	if a.Rel.Model != nil {
		_, md := g.modelRefs(a.Rel)
		items = append(items, kv("Model", md))
	}
	if a.Rel.Multiple {
		items = append(items, kv("Multiple", jen.True()))
	}
	if fetchedIndex >= 0 {
		mt, _ := g.modelRefs(a.Rel)
		items = append(items, kv("Fetched", g.fetchSetter(a, a.GoName(), g.nodeRef(target), fetchedIndex)))
		if a.Rel.Model != nil {
			items = append(items, kv("FetchedRels", g.fetchSetter(a, a.RelsName(), mt, -1)))
		}
	}
	return jen.Op("&").Add(rtm("RelSpec")).Custom(multiLine, items...)
}

// fetchSetter is the ogm.SetOne or SetMany storing what FetchRelations
// loaded for accessor a in the owner's Fetched field name, of element type
// elem; with index >= 0 it also records relationship index as loaded.
func (g *gen) fetchSetter(a schema.Accessor, name string, elem *jen.Statement, index int) *jen.Statement {
	set, param := "SetMany", jen.Index().Op("*").Add(elem)
	if a.ToOne() {
		set, param = "SetOne", jen.Op("*").Add(elem.Clone())
	}
	body := []jen.Code{jen.Id("n").Dot("Fetched").Dot(name).Op("=").Id("t")}
	if index >= 0 {
		body = append(body, jen.Id("n").Dot("Fetched").Dot("loaded").Dot("Set").Call(jen.Lit(index)))
	}
	return rtm(set).Call(jen.Func().Params(jen.Id("n").Op("*").Id(a.Owner.Name), jen.Id("t").Add(param)).Block(body...))
}

// accessorDoc is the comment of an accessor method.
func (g *gen) accessorDoc(name string, a schema.Accessor, subject string) string {
	r := a.Rel
	t := g.nodeName(a.Target())
	var s string
	switch {
	case a.ToOne():
		s = fmt.Sprintf("%s manages the %s %s is connected to by %s", name, t, subject, nameText(r.Type))
	case a.Direction() == ogm.In:
		s = fmt.Sprintf("%s manages the %s nodes connected to %s by %s", name, t, subject, nameText(r.Type))
	default:
		s = fmt.Sprintf("%s manages the %s nodes %s is connected to by %s", name, t, subject, nameText(r.Type))
	}
	switch a.Direction() {
	case ogm.Both:
		s += ", in either direction"
	case ogm.In:
		if a.ToOne() {
			s += " (incoming)"
		}
	}
	if r.Model != nil {
		s += ", with " + g.modelName(r.Model) + " properties"
	}
	var notes []string
	if a.Cardinality() != ogm.ZeroOrMore {
		notes = append(notes, "cardinality "+a.Cardinality().String())
	}
	if a.Reverse {
		notes = append(notes, "the reverse of "+g.relText(r))
	} else if r.Owner != a.Owner {
		notes = append(notes, "declared on "+g.nodeName(r.Owner))
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s + "."
}

// modelName is how m is written in this package's comments.
func (g *gen) modelName(m *schema.RelModel) string { return g.qualified(m.File, m.Name) }

// relationships renders the specs, accessors and handles of concrete node
// n.
func (g *gen) relationships(n *schema.Node) {
	acc := n.Accessors()
	if len(acc) == 0 {
		return
	}
	var defs []jen.Code
	for i, a := range acc {
		defs = append(defs, jen.Id(a.SpecName()).Op("=").Add(g.spec(a, i)))
	}
	g.jf.Var().Defs(defs...)
	g.jf.Line()
	for _, a := range acc {
		mt, _ := g.modelRefs(a.Rel)
		t := a.Target()
		help := ""
		if !a.Reverse {
			help = helpPara(a.Rel.Help)
		}
		g.jf.Comment(comment(0, g.accessorDoc(a.GoName(), a, "this "+n.Name), help))
		g.jf.Func().Params(jen.Id("n").Op("*").Id(n.Name)).Id(a.GoName()).Params().Op("*").Add(rtm("RelManager")).Types(jen.Op("*").Add(g.nodeRef(t)), jen.Op("*").Add(mt)).Block(
			jen.Return(rtm("NewRelManager").Types(jen.Op("*").Add(g.nodeRef(t)), jen.Op("*").Add(mt.Clone())).Call(jen.Op("&").Id("n").Dot("NodeBase"), jen.Id(a.SpecName()))))
		g.jf.Line()
	}
	defs = nil
	for _, a := range acc {
		t := a.Target()
		defs = append(defs,
			doc(1, fmt.Sprintf("%s is the handle of %s.%s, from %s to %s.", a.HandleName(), n.Name, a.Name(), n.Name, g.nodeName(t))),
			jen.Id(a.HandleName()).Op("=").Add(rtm("NewPath")).Types(jen.Op("*").Id(n.Name), jen.Op("*").Add(g.nodeRef(t))).Call(jen.Id(a.SpecName())))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("Relationship handles of %s, for FetchRelations, Traverse and filters (Has, HasNot, Where); ogm.Then joins them into longer paths.", n.Name)))
	g.jf.Var().Defs(defs...)
	g.jf.Line()
	for _, a := range acc {
		if a.Rel.Model == nil {
			continue
		}
		t := a.Target()
		mt, _ := g.modelRefs(a.Rel)
		name := a.MatchName()
		g.jf.Comment(comment(0, fmt.Sprintf("%s is %s narrowed to the relationships whose %s properties satisfy every pred; %s(…).Has() filters %s nodes by them.", name, a.HandleName(), g.modelName(a.Rel.Model), name, n.Name)))
		g.jf.Func().Id(name).Params(jen.Id("preds").Op("...").Add(rtm("Pred")).Types(jen.Op("*").Add(mt))).Op("*").Add(rtm("Path")).Types(jen.Op("*").Id(n.Name), jen.Op("*").Add(g.nodeRef(t))).Block(
			jen.Return(rtm("PathMatch").Call(jen.Id(a.HandleName()), jen.Id("preds").Op("..."))))
		g.jf.Line()
	}
}

// relModel renders relationship model m.
func (g *gen) relModel(m *schema.RelModel) {
	g.jf.Comment("// ---------------------------------------------------------------- " + m.Name)
	g.jf.Line()
	var fields []jen.Code
	fields = append(fields, rtm("RelBase").Tag(map[string]string{"json": "-"}))
	fields = append(fields, propFields(m.Properties)...)
	g.jf.Comment(comment(0, fmt.Sprintf("%s is the relationship model %s: the properties of a relationship.", m.Name, m.Name), helpPara(m.Help)))
	g.jf.Type().Id(m.Name).Struct(fields...)
	g.jf.Line()
	g.choiceMaps(m.Name, m.Properties)
	props := modelProps(m)
	g.patternVars(m.Name, props)
	g.relModelType(m)
	g.propHandles(m.Name, props, "RelManager.Match")
	g.jf.Comment("// Save writes the relationship's changed properties.")
	g.jf.Func().Params(jen.Id("r").Op("*").Id(m.Name)).Id("Save").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(rtm("SaveRel").Call(jen.Id("ctx"), jen.Id(m.DescriptorName()), jen.Id("r"))))
	g.jf.Line()
	g.relJSONMethods(m)
	g.displayMethods(m.Name, "r", "relationship", props)
}

// reverseFuncs renders the reverse accessors onto nodes of other packages.
func (g *gen) reverseFuncs() {
	acc := g.f.ForeignReverse()
	if len(acc) == 0 {
		return
	}
	g.jf.Comment("// ---------------------------------------------------------------- reverse accessors onto other packages")
	g.jf.Line()
	for _, a := range acc {
		r := a.Rel
		fn, spec := a.HandleName(), a.SpecName()
		g.jf.Var().Id(spec).Op("=").Add(g.spec(a, -1))
		g.jf.Line()
		mt, _ := g.modelRefs(r)
		t := r.Owner
		g.jf.Comment(comment(0, g.accessorDoc(fn, a, "n"), fmt.Sprintf("It is the %s accessor of %s, generated here because %s is declared in another package.", r.Reverse, g.nodeName(r.To), g.nodeName(r.To))))
		g.jf.Func().Id(fn).Params(jen.Id("n").Op("*").Add(g.nodeRef(r.To))).Op("*").Add(rtm("RelManager")).Types(jen.Op("*").Add(g.nodeRef(t)), jen.Op("*").Add(mt)).Block(
			jen.Return(rtm("NewRelManager").Types(jen.Op("*").Add(g.nodeRef(t)), jen.Op("*").Add(mt.Clone())).Call(jen.Op("&").Id("n").Dot("NodeBase"), jen.Id(spec))))
		g.jf.Line()
	}
}

// schemaVar renders the package's Schema.
func (g *gen) schemaVar() {
	var nodes []jen.Code
	for _, n := range g.f.Nodes {
		nodes = append(nodes, jen.Id(n.DescriptorName()))
	}
	type pair struct{ typ, model string }
	seen := map[pair]bool{}
	var rels []jen.Code
	for _, n := range g.f.Nodes {
		for _, r := range n.Relationships {
			if r.Model == nil {
				continue
			}
			k := pair{r.Type, r.Model.Name}
			if seen[k] {
				continue
			}
			seen[k] = true
			rels = append(rels, jen.Values(kv("Type", jen.Lit(r.Type)), kv("ModelType", g.ref(r.Model.File, r.Model.DescriptorName()))))
		}
	}
	// The accessors Delete must keep a target for.
	var required []jen.Code
	var accs []schema.Accessor
	for _, n := range g.f.Nodes {
		if !n.Abstract {
			accs = append(accs, n.Accessors()...)
		}
	}
	for _, a := range append(accs, g.f.ForeignReverse()...) {
		if c := a.Cardinality(); c == ogm.One || c == ogm.OneOrMore {
			required = append(required, jen.Id(a.SpecName()))
		}
	}
	nodeList, relList, reqList := jen.Nil(), jen.Nil(), jen.Nil()
	if len(required) > 0 {
		reqList = jen.Index().Op("*").Add(rtm("RelSpec")).Custom(multiLine, required...)
	}
	if len(nodes) > 0 {
		nodeList = jen.Index().Add(rtm("AnyNodeType")).Custom(multiLine, nodes...)
	}
	if len(rels) > 0 {
		relList = jen.Index().Add(rtm("SchemaRel")).Custom(multiLine, rels...)
	}
	g.jf.Comment("// ---------------------------------------------------------------- schema")
	g.jf.Line()
	g.jf.Comment(comment(0, fmt.Sprintf("Schema describes the node types and relationship models of package %s, for install-labels, inspection and ogm.NewRegistry; it registers the relationships a node must keep, which Delete checks.", g.f.Package)))
	schemaExpr := rtm("NewSchema").Call(jen.Lit(g.f.Package), nodeList, relList, reqList)
	if g.f.AppLabel != "" {
		schemaExpr = schemaExpr.Dot("WithAppLabel").Call(jen.Lit(g.f.AppLabel))
	}
	g.jf.Var().Id("Schema").Op("=").Add(schemaExpr)
}

// relJSONMethods declares MarshalJSON and UnmarshalJSON on relationship
// model m, and Format and LogValue when it has a sensitive property.
func (g *gen) relJSONMethods(m *schema.RelModel) {
	desc := jen.Id(m.DescriptorName())
	recv := jen.Id("r").Id(m.Name)
	sensitive := sensitiveNames(m.Properties)
	never := ""
	if len(sensitive) > 0 {
		never = fmt.Sprintf(" Its sensitive properties (%s) are never written.", joinAnd(sensitive))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("MarshalJSON encodes the %s relationship as a JSON object: element_id, type, start_element_id and end_element_id (once it is saved), then its properties under their schema names, unset ones left out.%s", m.Name, never)))
	g.jf.Func().Params(recv.Clone()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(rtm("MarshalRel").Call(desc.Clone(), jen.Op("&").Id("r"))))
	g.jf.Line()
	readDoc := ""
	if len(sensitive) > 0 {
		readDoc = " or sensitive properties"
	}
	g.jf.Comment(comment(0, fmt.Sprintf("UnmarshalJSON reads the %s's properties from a JSON object: those present in data, under their schema names (a value of the wrong type is an *ogm.JSONError naming the property); the others keep their values. It never reads the element id, type, ends%s.", m.Name, readDoc)))
	g.jf.Func().Params(jen.Id("r").Op("*").Id(m.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(rtm("UnmarshalRel").Call(desc.Clone(), jen.Id("r"), jen.Id("data"))))
	g.jf.Line()
	if len(sensitive) == 0 {
		return
	}
	g.formatMethod(m.Name, "r", sensitive)
	g.jf.Comment(comment(0, fmt.Sprintf("LogValue gives log/slog the %s relationship as its JSON encoding has it, never %s.", m.Name, joinAnd(sensitive))))
	g.jf.Func().Params(recv.Clone()).Id("LogValue").Params().Qual("log/slog", "Value").Block(
		jen.Return(rtm("RelLogValue").Call(desc.Clone(), jen.Op("&").Id("r"))))
	g.jf.Line()
}
