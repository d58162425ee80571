package schema

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// The node-level index options (issue #21): full-text indexes over several
// properties ("fulltext:") and uniqueness of several properties together
// ("unique_together:"). They name properties of the node, inherited ones
// included, so they are read by the parser and checked once inheritance is
// resolved (checkNodeIndexes).

// FulltextIndex is one "fulltext:" entry of a node type: a full-text index
// over some of its string properties, installed as
// fulltext_index_<Label>_<Name>.
type FulltextIndex struct {
	Name       string   // the entry's key, snake_case
	Properties []string // the YAML names of the properties indexed
	// Analyzer is the Lucene analyzer ("" for the server's default,
	// standard-no-stop-words), e.g. english, whitespace, keyword.
	Analyzer string
	// EventuallyConsistent indexes are updated after the transaction
	// commits, in the background: writes are faster, searches may lag.
	EventuallyConsistent bool
	Pos                  Pos   // position of the entry's key
	PropertiesPos        []Pos // position of each property name
}

// UniqueTogether is one "unique_together:" entry: properties whose
// combination is unique (one constraint REQUIRE (n.a, n.b) IS UNIQUE,
// named constraint_unique_<Label>_<a>_<b>).
type UniqueTogether struct {
	Properties    []string // YAML names, in the order written
	Pos           Pos      // position of the entry
	PropertiesPos []Pos
}

var (
	fulltextKeys = []string{"properties", "analyzer", "eventually_consistent"}
	analyzerName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)
)

// parseFulltext reads "fulltext:", a mapping name → {properties, analyzer,
// eventually_consistent}.
func (l *loader) parseFulltext(s *src, node *Node, n *yaml.Node) {
	entries, ok := s.mapping(n, "fulltext (name: {properties: [a, b]})")
	if !ok {
		return
	}
	for _, e := range entries {
		if s.report(e.k, snakeNameProblem("full-text index name", e.key)) {
			continue
		}
		opts, ok := s.mapping(e.v, "full-text index "+quote(e.key))
		if !ok {
			continue
		}
		fi := &FulltextIndex{Name: e.key, Pos: s.pos(e.k)}
		hasProps := false
		for _, o := range opts {
			switch o.key {
			case "properties":
				hasProps = true
				fi.Properties, fi.PropertiesPos = s.nameList(o.v, "properties of a full-text index")
			case "analyzer":
				if v, ok := s.str(o.v, "analyzer"); ok {
					if !analyzerName.MatchString(v) {
						s.errorf(o.v, "analyzer must be the name of a Lucene analyzer (lower case, e.g. english, standard-no-stop-words, whitespace), found %s", quote(v))
					} else {
						fi.Analyzer = v
					}
				}
			case "eventually_consistent":
				fi.EventuallyConsistent, _ = s.boolean(o.v, "eventually_consistent")
			default:
				s.unknownKey(o, "full-text index "+quote(e.key), fulltextKeys)
			}
		}
		if !hasProps {
			s.errorf(e.k, "full-text index %s needs properties: [a, b]", quote(e.key))
			continue
		}
		if len(fi.Properties) > 0 {
			node.Fulltext = append(node.Fulltext, fi)
		}
	}
}

// parseUniqueTogether reads "unique_together:", a sequence of sequences of
// property names.
func (l *loader) parseUniqueTogether(s *src, node *Node, n *yaml.Node) {
	r := resolve(n)
	if r == nil || r.Kind != yaml.SequenceNode {
		s.errorf(n, "unique_together must be a list of property lists such as [[first_name, last_name]], found %s", describe(r))
		return
	}
	for _, c := range r.Content {
		names, pos := s.nameList(c, "a unique_together entry")
		if names == nil {
			continue
		}
		if len(names) < 2 {
			s.errorf(c, "a unique_together entry names two or more properties (one property: unique: true on it)")
			continue
		}
		node.UniqueTogether = append(node.UniqueTogether, &UniqueTogether{Properties: names, Pos: s.pos(c), PropertiesPos: pos})
	}
}

// nameList reads a flow or block sequence of property names, refusing
// duplicates.
func (s *src) nameList(n *yaml.Node, what string) ([]string, []Pos) {
	r := resolve(n)
	if r == nil || r.Kind != yaml.SequenceNode || len(r.Content) == 0 {
		s.errorf(n, "%s must be a non-empty list of property names such as [title, body], found %s", what, describe(r))
		return nil, nil
	}
	var names []string
	var pos []Pos
	seen := map[string]bool{}
	for _, c := range r.Content {
		v, ok := s.str(c, "a property name")
		if !ok {
			return nil, nil
		}
		if seen[v] {
			s.errorf(c, "property %s is listed twice", quote(v))
			return nil, nil
		}
		seen[v] = true
		names = append(names, v)
		pos = append(pos, s.pos(c))
	}
	return names, pos
}

// checkNodeIndexes checks the properties named by n's fulltext and
// unique_together entries: declared on n (or inherited), and of a type
// the index can hold. Entries naming unknown properties are dropped.
func (c *checker) checkNodeIndexes(n *Node) {
	if (len(n.Fulltext) > 0 || len(n.UniqueTogether) > 0) && n.Abstract {
		c.errs.add(n.Pos, "an abstract node type has no label to index: declare fulltext and unique_together on the types that extend %s", n.Name)
		n.Fulltext, n.UniqueTogether = nil, nil
		return
	}
	props := map[string]*Property{}
	var names []string
	for _, p := range n.AllProperties() {
		props[p.Name] = p
		names = append(names, p.Name)
	}
	find := func(name string, at Pos) *Property {
		p, ok := props[name]
		if !ok {
			c.errs.add(at, "%s", fmt.Sprintf("node %s has no property %s%s", n.Name, quote(name), didYouMean(name, names)))
		}
		return p
	}
	seen := map[string]Pos{}
	var fts []*FulltextIndex
	for _, fi := range n.Fulltext {
		ok := true
		for i, name := range fi.Properties {
			p := find(name, posAt(fi.PropertiesPos, i, fi.Pos))
			if p == nil {
				ok = false
				continue
			}
			if !p.Type.Kind.isStringish() {
				c.errs.add(posAt(fi.PropertiesPos, i, fi.Pos), "full-text index %s: property %s is %s; full-text indexes hold string, email, [string] and [email] properties", quote(fi.Name), quote(name), p.Type)
				ok = false
			}
		}
		if at, dup := seen[fi.Name]; dup {
			c.errs.add(fi.Pos, "full-text index %s is declared twice (first at line %d)", quote(fi.Name), at.Line)
			ok = false
		}
		seen[fi.Name] = fi.Pos
		if ok {
			fts = append(fts, fi)
		}
	}
	n.Fulltext = fts
	var uts []*UniqueTogether
	together := map[string]bool{}
	for _, u := range n.UniqueTogether {
		ok := true
		for i, name := range u.Properties {
			p := find(name, posAt(u.PropertiesPos, i, u.Pos))
			if p == nil {
				ok = false
				continue
			}
			if p.Type.Kind == KindJSON {
				c.errs.add(posAt(u.PropertiesPos, i, u.Pos), "unique_together: property %s is json, which no constraint compares", quote(name))
				ok = false
			}
		}
		key := strings.Join(u.Properties, ",")
		if together[key] {
			c.errs.add(u.Pos, "unique_together [%s] is declared twice", strings.Join(u.Properties, ", "))
			ok = false
		}
		together[key] = true
		if ok {
			uts = append(uts, u)
		}
	}
	n.UniqueTogether = uts
}

// posAt is ps[i], or def in a model built in Go without positions.
func posAt(ps []Pos, i int, def Pos) Pos {
	if i < len(ps) {
		return ps[i]
	}
	return def
}

// nodeIndexOptions are the printed lines of n's fulltext and
// unique_together options.
func nodeIndexOptions(n *Node) []string {
	var out []string
	if len(n.Fulltext) > 0 {
		out = append(out, "fulltext:")
		for _, fi := range n.Fulltext {
			f := newFlow()
			f.field("properties", "["+strings.Join(fi.Properties, ", ")+"]")
			if fi.Analyzer != "" {
				f.field("analyzer", Scalar(fi.Analyzer))
			}
			if fi.EventuallyConsistent {
				f.field("eventually_consistent", "true")
			}
			out = append(out, "  "+fi.Name+": "+f.done(Comments{}))
		}
	}
	if len(n.UniqueTogether) > 0 {
		var lists []string
		for _, u := range n.UniqueTogether {
			lists = append(lists, "["+strings.Join(u.Properties, ", ")+"]")
		}
		out = append(out, "unique_together: ["+strings.Join(lists, ", ")+"]")
	}
	return out
}
