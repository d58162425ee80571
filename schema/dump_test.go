package schema

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gonode/gonode/ogm"
)

// dump writes a compact, deterministic description of a loaded schema, for
// golden files. Built-in files that are not roots are summarised.
func dump(s *Schema) string {
	var b strings.Builder
	w := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	for _, f := range s.Files {
		var flags []string
		if f.Root {
			flags = append(flags, "root")
		}
		if f.Builtin {
			flags = append(flags, "builtin")
		}
		app := ""
		if f.AppLabel != "" {
			app = fmt.Sprintf(" app_label=%q", f.AppLabel)
		}
		w(0, "%s", strings.TrimSpace(fmt.Sprintf("file %s package=%s go_package=%q%s %s", f.Path, f.Package, f.GoPackage, app, strings.Join(flags, ","))))
		if f.Root && f.HasPermissionConsts() {
			var consts []string
			for _, p := range f.Permissions() {
				consts = append(consts, p.ConstName()+"="+p.Key(f))
			}
			w(1, "permission consts %v", consts)
		}
		for _, im := range f.Imports {
			w(1, "import %s %q -> %s @%d:%d", im.Alias, im.Target, im.File.Path, im.Pos.Line, im.Pos.Col)
		}
		brief := f.Builtin && !f.Root
		for _, n := range f.Nodes {
			if brief {
				w(1, "node %s (%d properties)", n.Name, len(n.Properties))
				for _, r := range n.Reverse {
					w(2, "reverse %s/%s <- %s.%s (%s)", r.Reverse, r.ReverseGoName, r.Owner.Name, r.Name, r.Owner.File.Path)
				}
				continue
			}
			dumpNode(w, n)
		}
		for _, m := range f.RelModels {
			w(1, "relmodel %s @%d:%d", m.Name, m.Pos.Line, m.Pos.Col)
			if m.Help != "" {
				w(2, "help %q", m.Help)
			}
			for _, p := range m.Properties {
				dumpProperty(w, 2, p)
			}
		}
	}
	return b.String()
}

func dumpNode(w func(int, string, ...any), n *Node) {
	var flags []string
	if n.Abstract {
		flags = append(flags, "abstract")
	}
	if n.SemiStructured {
		flags = append(flags, "semi_structured")
	}
	if n.IsSemiStructured() && !n.SemiStructured {
		flags = append(flags, "semi_structured(inherited)")
	}
	if n.Label != "" {
		flags = append(flags, fmt.Sprintf("label=%q", n.Label))
	}
	ext := "-"
	if n.Extends != nil {
		ext = n.Extends.Name + " (" + n.Extends.File.Path + ")"
	}
	w(1, "%s", strings.TrimSpace(fmt.Sprintf("node %s @%d:%d extends=%s labels=%v chain=%v %s", n.Name, n.Pos.Line, n.Pos.Col, ext, n.Labels, n.LabelChain(), strings.Join(flags, ","))))
	if n.Help != "" {
		w(2, "help %q", n.Help)
	}
	var anc []string
	for _, a := range n.Ancestors() {
		anc = append(anc, a.Name)
	}
	if len(anc) > 0 {
		w(2, "ancestors %v", anc)
	}
	for _, p := range n.Properties {
		dumpProperty(w, 2, p)
	}
	dumpRelationships(w, n)
	for _, f := range n.Fulltext {
		w(2, "fulltext %s %v analyzer=%q eventually_consistent=%v @%d:%d", f.Name, f.Properties, f.Analyzer, f.EventuallyConsistent, f.Pos.Line, f.Pos.Col)
	}
	for _, u := range n.UniqueTogether {
		w(2, "unique_together %v @%d:%d", u.Properties, u.Pos.Line, u.Pos.Col)
	}
	for _, p := range n.Permissions {
		w(2, "permission %s %q @%d:%d", p.Codename, p.Name, p.Pos.Line, p.Pos.Col)
	}
	dumpUserModel(w, n)
	for _, r := range n.Reverse {
		w(2, "reverse %s/%s <- %s.%s (%s)", r.Reverse, r.ReverseGoName, r.Owner.Name, r.Name, r.Owner.File.Path)
	}
	if len(n.Ancestors()) > 0 {
		dumpInherited(w, n)
	}
}

func dumpRelationships(w func(int, string, ...any), n *Node) {
	for _, r := range n.Relationships {
		model := "-"
		if r.Model != nil {
			model = r.Model.Name + " (" + r.Model.File.Path + ")"
		}
		rev := "-"
		if r.Reverse != "" {
			rev = fmt.Sprintf("%s/%s @%d:%d", r.Reverse, r.ReverseGoName, r.ReversePos.Line, r.ReversePos.Col)
		}
		w(2, "relationship %s/%s @%d:%d to=%s (%s) ref=%q type=%s direction=%s cardinality=%s model=%s reverse=%s",
			r.Name, r.GoName, r.Pos.Line, r.Pos.Col, r.To.Name, r.To.File.Path, r.ToRef, r.Type, directionText(r.Direction), r.Cardinality, model, rev)
		if r.Help != "" {
			w(3, "help %q", r.Help)
		}
	}
}

func dumpUserModel(w func(int, string, ...any), n *Node) {
	um := n.UserModel
	if um == nil {
		return
	}
	login := "-"
	if um.UsernameField != nil {
		login = um.UsernameField.Name
	}
	var req []string
	for _, p := range um.RequiredFields {
		req = append(req, p.Name)
	}
	line := fmt.Sprintf("user model username_field=%s required_fields=%v", login, req)
	if n.UsernameField != "" {
		line += fmt.Sprintf(" own_username_field=%q", n.UsernameField)
	}
	if n.RequiredFields != nil {
		line += fmt.Sprintf(" own_required_fields=%q", n.RequiredFields)
	}
	w(2, "%s", line)
}

func dumpInherited(w func(int, string, ...any), n *Node) {
	var props, rels, revs, perms []string
	for _, p := range n.AllProperties() {
		props = append(props, p.Name)
	}
	for _, r := range n.AllRelationships() {
		rels = append(rels, r.Name)
	}
	for _, r := range n.AllReverse() {
		revs = append(revs, r.Reverse)
	}
	for _, p := range n.AllPermissions() {
		perms = append(perms, p.Codename)
	}
	w(2, "all properties %v", props)
	w(2, "all relationships %v", rels)
	w(2, "all reverse %v", revs)
	w(2, "all permissions %v", perms)
}

func dumpProperty(w func(int, string, ...any), indent int, p *Property) {
	parts := []string{fmt.Sprintf("property %s/%s @%d:%d %s", p.Name, p.GoName, p.Pos.Line, p.Pos.Col, p.Type)}
	if p.DBName != p.Name {
		parts = append(parts, "db="+p.DBName)
	}
	if p.Required {
		parts = append(parts, "required")
	}
	if p.Unique {
		parts = append(parts, "unique")
	}
	if p.Index != ogm.NoIndex {
		parts = append(parts, "index="+indexText(p.Index))
		if p.Vector != nil {
			parts = append(parts, fmt.Sprintf("dimensions=%d similarity=%s quantization=%v", p.Vector.Dimensions, p.Vector.similarity(), !p.Vector.NoQuantization))
		}
	}
	if p.Default != nil {
		if p.Default.Kind == DefaultLiteral {
			parts = append(parts, "default="+fmtValue(p.Default.Value))
		} else {
			parts = append(parts, "default="+p.Default.Kind.String())
		}
	}
	if p.Choices != nil {
		var cs []string
		for _, c := range p.Choices {
			cs = append(cs, fmtValue(c.Value)+":"+fmt.Sprintf("%q", c.Label))
		}
		parts = append(parts, "choices=["+strings.Join(cs, " ")+"]")
	}
	if p.MinLength != nil {
		parts = append(parts, fmt.Sprintf("min_length=%d", *p.MinLength))
	}
	if p.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("max_length=%d", *p.MaxLength))
	}
	if p.Min != nil {
		parts = append(parts, "min="+fmtNum(*p.Min))
	}
	if p.Max != nil {
		parts = append(parts, "max="+fmtNum(*p.Max))
	}
	if p.Pattern != "" {
		parts = append(parts, fmt.Sprintf("pattern=%q", p.Pattern))
	}
	if st := storedText(p); st != "" {
		parts = append(parts, "stored_as="+st)
	}
	w(indent, "%s", strings.Join(parts, " "))
	if p.Sensitive {
		w(indent+1, "sensitive")
	}
	if p.Help != "" {
		w(indent+1, "help %q", p.Help)
	}
}

// fmtValue formats a typed default or choice value with its Go type.
func fmtValue(v any) string {
	switch x := v.(type) {
	case time.Time:
		return fmt.Sprintf("time.Time(%s)", x.Format(time.RFC3339Nano))
	case time.Duration:
		return fmt.Sprintf("time.Duration(%s)", x)
	case []time.Time:
		var s []string
		for _, t := range x {
			s = append(s, t.Format(time.RFC3339Nano))
		}
		return fmt.Sprintf("[]time.Time%v", s)
	case []time.Duration:
		return fmt.Sprintf("[]time.Duration%v", x)
	case string, int64, float64, bool, []string, []int64, []float64, []bool:
		return fmt.Sprintf("%T(%#v)", v, v)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T(!%v)", v, err)
	}
	return fmt.Sprintf("json(%s)", j)
}
