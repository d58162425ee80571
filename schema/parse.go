package schema

import (
	"slices"
	"strings"

	"github.com/gonode/gonode/ogm"
	"gopkg.in/yaml.v3"
)

// The keys each mapping of the schema language accepts.
var (
	fileKeys     = []string{"package", "go_package", "app_label", "imports", "nodes", "relationships"}
	nodeKeys     = []string{"properties", "label", "labels", "extends", "abstract", "semi_structured", "relationships", "permissions", "username_field", "required_fields", "fulltext", "unique_together", "help"}
	propertyKeys = []string{"type", "required", "unique", "index", "default", "choices", "db_property", "max_length", "min_length", "min", "max", "pattern", "sensitive", "dimensions", "similarity", "quantization", "help"}
	relKeys      = []string{"to", "type", "direction", "cardinality", "model", "reverse", "multiple", "help"}
	relModelKeys = []string{"properties", "help"}
)

// keyHints maps keys other tools use (neomodel, Django, JSON Schema) to the
// key of the schema language, for "did you mean" hints.
var keyHints = map[string]string{
	"unique_index": "unique", "db_name": "db_property", "db_field": "db_property",
	"db_column": "db_property", "regex": "pattern", "description": "help",
	"help_text": "help", "doc": "help", "choice": "choices", "enum": "choices",
	"parent": "extends", "base": "extends", "inherits": "extends",
	"target": "to", "rel_type": "type", "relation_type": "type", "maxlength": "max_length",
	"minlength": "min_length", "minimum": "min", "maximum": "max", "required_": "required",
	"default_value": "default", "props": "properties", "fields": "properties",
	"attributes": "properties", "rels": "relationships", "relations": "relationships",
	"perms": "permissions", "semistructured": "semi_structured", "import": "imports",
	"pkg": "package", "gopackage": "go_package", "go_import": "go_package",
	"applabel": "app_label", "app": "app_label", "label_app": "app_label",
	"node": "nodes", "model_relationships": "relationships", "dir": "direction",
	"related_name": "reverse", "backref": "reverse", "back_populates": "reverse",
	"login_field": "username_field", "login": "username_field", "usernamefield": "username_field",
	"requiredfields": "required_fields",
}

// unknownKey reports an unknown key with the best hint available.
func (s *src) unknownKey(e entry, where string, known []string) {
	hint := ""
	if h, ok := keyHints[strings.ToLower(e.key)]; ok && slices.Contains(known, h) {
		hint = "; did you mean " + quote(h) + "?"
	} else {
		hint = didYouMean(e.key, known)
	}
	if hint == "" {
		hint = " (known keys: " + strings.Join(known, ", ") + ")"
	}
	s.errorf(e.k, "unknown key %s in %s%s", quote(e.key), where, hint)
}

// parseFile reads the top-level mapping of a schema file into f.
func (l *loader) parseFile(s *src, f *File, root *yaml.Node) {
	if root == nil {
		s.errs.add(Pos{File: s.path, Line: 1, Col: 1}, "empty schema: at least \"package:\" is required")
		f.broken = true
		return
	}
	if r := resolve(root); r == nil || r.Kind != yaml.MappingNode {
		// Not a schema: say what it is without quoting it.
		s.errorf(root, "a schema file must be a mapping (package:, nodes:, …), found %s", kindOf(r))
		f.broken = true
		return
	}
	entries, ok := s.mapping(root, "a schema file")
	if !ok {
		f.broken = true
		return
	}
	var pkgSeen bool
	for _, e := range entries {
		switch e.key {
		case "package":
			pkgSeen = true
			if v, ok := s.str(e.v, "package"); ok {
				f.Package = v
				s.report(e.v, packageNameProblem(v))
			}
		case "go_package":
			if v, ok := s.str(e.v, "go_package"); ok {
				f.GoPackage = v
				s.report(e.v, goPackageProblem(v))
			}
		case "app_label":
			if v, ok := s.str(e.v, "app_label"); ok {
				f.AppLabel, f.AppLabelPos = v, s.pos(e.v)
				s.report(e.v, appLabelProblem(v))
			}
		case "imports":
			l.parseImports(s, f, e.v)
		case "nodes":
			l.parseNodes(s, f, e.v)
		case "relationships":
			l.parseRelModels(s, f, e.v)
		default:
			if strings.HasPrefix(e.key, "x-") {
				continue // extension field, e.g. to hold YAML anchors
			}
			if nodeNameRe.MatchString(e.key) {
				s.errorf(e.k, "unknown key %s at the top level; node types go under \"nodes:\"", quote(e.key))
			} else {
				s.unknownKey(e, "the schema file", fileKeys)
			}
		}
	}
	if !pkgSeen {
		r := resolve(root)
		s.errorf(r, "%s", msgMissingPackage)
	}
}

// parseImports reads the "imports:" mapping; the files are loaded later.
func (l *loader) parseImports(s *src, f *File, n *yaml.Node) {
	entries, ok := s.mapping(n, "imports")
	if !ok {
		return
	}
	targets := map[string]*Import{}
	for _, e := range entries {
		alias := e.key
		if s.report(e.k, importAliasProblem(alias)) {
			continue
		}
		target, ok := s.str(e.v, "an import target")
		if !ok {
			continue
		}
		target = strings.TrimSpace(target)
		if s.report(e.v, importTargetProblem(alias, target)) {
			continue
		}
		if prev, ok := targets[target]; ok {
			s.errorf(e.v, "%s is already imported as %s (line %d)", quote(target), quote(prev.Alias), prev.Pos.Line)
			continue
		}
		im := &Import{Alias: alias, Target: target, Pos: s.pos(e.v)}
		targets[target] = im
		f.Imports = append(f.Imports, im)
	}
}

// parseNodes reads the "nodes:" mapping.
func (l *loader) parseNodes(s *src, f *File, n *yaml.Node) {
	entries, ok := s.mapping(n, "nodes")
	if !ok {
		return
	}
	for _, e := range entries {
		node := &Node{Name: e.key, Pos: s.pos(e.k), File: f}
		s.report(e.k, typeNameProblem("node", e.key))
		l.parseNode(s, node, e.v)
		f.Nodes = append(f.Nodes, node)
	}
}

// parseNode reads the mapping of one node type.
func (l *loader) parseNode(s *src, node *Node, n *yaml.Node) {
	entries, ok := s.mapping(n, "node "+node.Name)
	if !ok {
		return
	}
	var labelKey *yaml.Node
	for _, e := range entries {
		switch e.key {
		case "properties":
			props, _ := s.mapping(e.v, "properties")
			for _, pe := range props {
				if p := l.parseProperty(s, pe, "property"); p != nil {
					node.Properties = append(node.Properties, p)
				}
			}
		case "label":
			labelKey = e.k
			if v, ok := s.str(e.v, "label"); ok {
				if !s.report(e.v, StoredLabel.Check(v)) {
					node.Label, node.LabelPos = v, s.pos(e.v)
				}
			}
		case "labels":
			l.parseLabels(s, node, e.v)
		case "extends":
			if v, ok := s.str(e.v, "extends"); ok {
				node.ExtendsRef, node.ExtendsPos = v, s.pos(e.v)
			}
		case "abstract":
			node.Abstract, _ = s.boolean(e.v, "abstract")
		case "semi_structured":
			node.SemiStructured, _ = s.boolean(e.v, "semi_structured")
		case "relationships":
			rels, _ := s.mapping(e.v, "relationships")
			for _, re := range rels {
				if r := l.parseRelationship(s, node, re); r != nil {
					node.Relationships = append(node.Relationships, r)
				}
			}
		case "permissions":
			l.parsePermissions(s, node, e.v)
		case "username_field", "required_fields":
			parseUserFields(s, node, e)
		case "help":
			node.Help, _ = s.str(e.v, "help")
		case "fulltext":
			l.parseFulltext(s, node, e.v)
		case "unique_together":
			l.parseUniqueTogether(s, node, e.v)
		default:
			if slices.Contains(propertyKeys, e.key) && e.key != "help" {
				s.errorf(e.k, "unknown key %s in node %s; %s is a property option: declare properties under \"properties:\"", quote(e.key), node.Name, quote(e.key))
				continue
			}
			s.unknownKey(e, "node "+node.Name, nodeKeys)
		}
	}
	if node.Abstract && labelKey != nil {
		s.errorf(labelKey, "%s", abstractLabel(node))
		node.Label, node.LabelPos = "", Pos{}
	}
}

// parseLabels reads "labels:", a sequence of extra labels.
func (l *loader) parseLabels(s *src, node *Node, n *yaml.Node) {
	if isNull(n) {
		return
	}
	r := resolve(n)
	if r.Kind != yaml.SequenceNode {
		s.errorf(n, "labels must be a sequence such as [Human, Customer], found %s", describe(r))
		return
	}
	seen := map[string]int{}
	for _, c := range r.Content {
		v, ok := s.str(c, "a label")
		if !ok {
			continue
		}
		if s.report(c, StoredExtraLabel.Check(v)) {
			continue
		}
		if line, dup := seen[v]; dup {
			s.errorf(c, "duplicate label %s (first at line %d)", quote(v), line)
			continue
		}
		seen[v] = s.pos(c).Line
		node.Labels = append(node.Labels, v)
		node.LabelsPos = append(node.LabelsPos, s.pos(c))
	}
}

// parsePermissions reads "permissions:", a mapping codename → name.
func (l *loader) parsePermissions(s *src, node *Node, n *yaml.Node) {
	entries, ok := s.mapping(n, "permissions (codename: \"Human readable name\")")
	if !ok {
		return
	}
	for _, e := range entries {
		if s.report(e.k, codenameProblem(e.key)) {
			continue
		}
		name, ok := s.str(e.v, "a permission name")
		if !ok || s.report(e.v, permissionNameProblem(e.key, name)) {
			continue
		}
		node.Permissions = append(node.Permissions, Permission{Codename: e.key, Name: name, Pos: s.pos(e.k)})
	}
}

// Accepted spellings of direction and cardinality, with hints for others.
var (
	directions = map[string]ogm.Direction{"out": ogm.Out, "in": ogm.In, "both": ogm.Both}
	dirHints   = map[string]string{
		"outgoing": "out", "incoming": "in", "undirected": "both", "any": "both",
		"either": "both", "to": "out", "from": "in", "->": "out", "<-": "in",
	}
	cardinalities = map[string]ogm.Cardinality{
		"zero_or_more": ogm.ZeroOrMore, "zero_or_one": ogm.ZeroOrOne, "one": ogm.One, "one_or_more": ogm.OneOrMore,
	}
	cardHints = map[string]string{
		"many": "zero_or_more", "exactly_one": "one", "at_most_one": "zero_or_one", "at_least_one": "one_or_more", "optional": "zero_or_one", "1": "one", "required": "one",
		"one_or_zero": "zero_or_one", "more_or_zero": "zero_or_more", "0..1": "zero_or_one",
		"1..*": "one_or_more", "0..*": "zero_or_more", "*": "zero_or_more",
		"zeroormore": "zero_or_more", "zeroorone": "zero_or_one", "oneormore": "one_or_more",
	}
)

// directionText is the YAML spelling of d: "out", "in" or "both".
func directionText(d ogm.Direction) string {
	for word, v := range directions {
		if v == d {
			return word
		}
	}
	return "out"
}

// keysOf returns the keys of m, for hints.
func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// readEnum reads option o, whose value is one of the keys of values (want
// lists them for the message); hints map other spellings to them.
func readEnum[V any](s *src, o entry, want string, values map[string]V, hints map[string]string) (V, bool) {
	var zero V
	v, ok := s.str(o.v, o.key)
	if !ok {
		return zero, false
	}
	x, ok := values[v]
	if !ok {
		s.errorf(o.v, "%s must be %s, found %s%s", o.key, want, quote(v), enumHint(v, hints, keysOf(values)))
	}
	return x, ok
}

// enumHint returns a "did you mean" hint for an enumerated option value.
func enumHint(v string, hints map[string]string, known []string) string {
	if h, ok := hints[strings.ToLower(v)]; ok {
		return "; did you mean " + quote(h) + "?"
	}
	return didYouMean(v, known)
}

// parseRelationship reads one entry of a node's "relationships:".
func (l *loader) parseRelationship(s *src, owner *Node, e entry) *Relationship {
	rel := &Relationship{Name: e.key, GoName: GoName(e.key), Pos: s.pos(e.k), Owner: owner}
	nameOK := !s.report(e.k, snakeNameProblem("relationship name", e.key))
	entries, ok := s.mapping(e.v, "relationship "+quote(e.key))
	if !ok {
		if !nameOK {
			return nil
		}
		return rel
	}
	var seen relSeen
	for _, o := range entries {
		s.relationshipOption(rel, o, &seen)
	}
	if !seen.to {
		s.errorf(e.k, "%s", needsTo(e.key))
	}
	if !seen.typ {
		s.errorf(e.k, "%s", needsType(e.key))
	}
	if rel.Direction == ogm.Both && seen.reverseKey != nil {
		s.errorf(seen.reverseKey, "%s", msgReverseBoth)
		rel.Reverse, rel.ReverseGoName, rel.ReversePos = "", "", Pos{}
	}
	s.report(seen.multipleKey, multipleProblem(rel))
	if !nameOK {
		return nil
	}
	return rel
}

// relSeen is what parseRelationship needs to know of the options it read:
// whether to: and type: were written, and the keys of reverse: (when it was
// read) and multiple:.
type relSeen struct {
	to, typ                 bool
	reverseKey, multipleKey *yaml.Node
}

// relationshipOption reads option o of relationship rel.
func (s *src) relationshipOption(rel *Relationship, o entry, seen *relSeen) {
	switch o.key {
	case "to":
		seen.to = true
		if v, ok := s.str(o.v, "to"); ok {
			rel.ToRef, rel.ToPos = v, s.pos(o.v)
		}
	case "type":
		seen.typ = true
		if v, ok := s.str(o.v, "type"); ok {
			if !s.report(o.v, StoredRelType.Check(v)) {
				rel.Type, rel.TypePos = v, s.pos(o.v)
			}
		}
	case "direction":
		if d, ok := readEnum(s, o, "out, in or both", directions, dirHints); ok {
			rel.Direction = d
		}
	case "cardinality":
		if c, ok := readEnum(s, o, "zero_or_more, zero_or_one, one or one_or_more", cardinalities, cardHints); ok {
			rel.Cardinality = c
		}
	case "model":
		if v, ok := s.str(o.v, "model"); ok {
			rel.ModelRef, rel.ModelPos = v, s.pos(o.v)
		}
	case "reverse":
		if v, ok := s.str(o.v, "reverse"); ok {
			if !s.report(o.v, snakeNameProblem("reverse name", v)) {
				rel.Reverse = v
				rel.ReverseGoName = GoName(v)
				rel.ReversePos = s.pos(o.v)
				seen.reverseKey = o.k
			}
		}
	case "multiple":
		rel.Multiple, _ = s.boolean(o.v, "multiple")
		seen.multipleKey = o.k
	case "help":
		rel.Help, _ = s.str(o.v, "help")
	default:
		s.unknownKey(o, "relationship "+quote(rel.Name), relKeys)
	}
}

// parseRelModels reads the top-level "relationships:" mapping (relationship
// models).
func (l *loader) parseRelModels(s *src, f *File, n *yaml.Node) {
	entries, ok := s.mapping(n, "relationships (relationship models)")
	if !ok {
		return
	}
	for _, e := range entries {
		m := &RelModel{Name: e.key, Pos: s.pos(e.k), File: f}
		s.report(e.k, typeNameProblem("relationship model", e.key))
		opts, ok := s.mapping(e.v, "relationship model "+e.key)
		if ok {
			for _, o := range opts {
				switch o.key {
				case "properties":
					props, _ := s.mapping(o.v, "properties")
					for _, pe := range props {
						if p := l.parseProperty(s, pe, "property"); p != nil {
							m.Properties = append(m.Properties, p)
						}
					}
				case "help":
					m.Help, _ = s.str(o.v, "help")
				default:
					if slices.Contains(relKeys, o.key) {
						s.errorf(o.k, "unknown key %s in relationship model %s; top-level \"relationships:\" declares relationship models (properties on edges); declare relationships under a node's \"relationships:\"", quote(o.key), e.key)
						continue
					}
					s.unknownKey(o, "relationship model "+e.key, relModelKeys)
				}
			}
		}
		f.RelModels = append(f.RelModels, m)
	}
}
