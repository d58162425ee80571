package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// The node-level indexes of issue #21: the Fulltext and UniqueTogether
// fields of a descriptor's NodeInfo, and the handle of each full-text
// index for Nodes.Search.

// storedKeys are the stored keys of the properties of n named (YAML
// names), inherited ones included.
func storedKeys(n *schema.Node, names []string) []jen.Code {
	byName := map[string]*schema.Property{}
	for _, p := range n.AllProperties() {
		byName[p.Name] = p
	}
	out := make([]jen.Code, len(names))
	for i, name := range names {
		key := name
		if p := byName[name]; p != nil {
			key = p.DBName
		}
		out[i] = jen.Lit(key)
	}
	return out
}

// nodeIndexInfo is the NodeInfo fields of n's fulltext and unique_together
// entries (none when it declares neither).
func nodeIndexInfo(n *schema.Node) []jen.Code {
	var out []jen.Code
	if len(n.Fulltext) > 0 {
		var fs []jen.Code
		for _, f := range n.Fulltext {
			items := []jen.Code{kv("Name", jen.Lit(f.Name)), kv("Keys", jen.Index().String().Values(storedKeys(n, f.Properties)...))}
			if f.Analyzer != "" {
				items = append(items, kv("Analyzer", jen.Lit(f.Analyzer)))
			}
			if f.EventuallyConsistent {
				items = append(items, kv("EventuallyConsistent", jen.True()))
			}
			fs = append(fs, jen.Values(items...))
		}
		out = append(out, kv("Fulltext", jen.Index().Add(rtm("FulltextInfo")).Custom(multiLine, fs...)))
	}
	if len(n.UniqueTogether) > 0 {
		var us []jen.Code
		for _, u := range n.UniqueTogether {
			us = append(us, jen.Values(storedKeys(n, u.Properties)...))
		}
		out = append(out, kv("UniqueTogether", jen.Index().Index().String().Custom(multiLine, us...)))
	}
	return out
}

// fulltextIndexName is the Go name of the handle of full-text index f of
// n: <Type><Name>Index.
func fulltextIndexName(n *schema.Node, f *schema.FulltextIndex) string {
	return n.Name + schema.GoName(f.Name) + "Index"
}

// fulltextHandles declares the handle of each full-text index of n.
func (g *gen) fulltextHandles(n *schema.Node) {
	if len(n.Fulltext) == 0 || n.Abstract {
		return
	}
	var defs []jen.Code
	for _, f := range n.Fulltext {
		name := fulltextIndexName(n, f)
		defs = append(defs,
			doc(1, fmt.Sprintf("%s is the full-text index %s of %s (properties %v), for %s(db).Search.", name, f.Name, n.Name, f.Properties, n.ManagerName())),
			jen.Id(name).Op("=").Add(rtm("NewFulltext")).Types(jen.Op("*").Id(n.Name)).Call(jen.Lit(ogm.FulltextIndexName(n.DBLabel(), f.Name))))
	}
	g.jf.Comment(comment(0, fmt.Sprintf("Full-text indexes of %s.", n.Name)))
	g.jf.Var().Defs(defs...)
	g.jf.Line()
}
