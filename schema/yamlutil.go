package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The YAML tags the loader looks at (yaml.Node.ShortTag values).
const (
	tagNull      = "!!null"
	tagBool      = "!!bool"
	tagInt       = "!!int"
	tagFloat     = "!!float"
	tagStr       = "!!str"
	tagTimestamp = "!!timestamp"
	tagMerge     = "!!merge"
)

// maxAliasHops bounds alias chains (an alias of an alias…), which a
// malicious file could make cyclic.
const maxAliasHops = 64

// src is the text of one schema file and where its errors go.
type src struct {
	path string
	data []byte
	errs *ErrorList
	// hidden is set while the text may not be quoted in messages: an
	// imported file not yet known to be a schema (it could be any file).
	hidden bool
}

// pos returns the position of a YAML node, with line and column at least 1.
func (s *src) pos(n *yaml.Node) Pos {
	p := Pos{File: s.path, Line: 1, Col: 1}
	if n != nil {
		if n.Line > 0 {
			p.Line = n.Line
		}
		if n.Column > 0 {
			p.Col = n.Column
		}
	}
	return p
}

// errorf records an error at the position of n.
func (s *src) errorf(n *yaml.Node, format string, args ...any) {
	s.errs.add(s.pos(n), format, args...)
}

// report records the problem msg at the position of n, unless msg is "":
// it reports whether there was one.
func (s *src) report(n *yaml.Node, msg string) bool {
	if msg == "" {
		return false
	}
	s.errs.add(s.pos(n), "%s", msg)
	return true
}

// offsetPos converts a byte offset into s.data to a position.
func (s *src) offsetPos(off int) Pos {
	if off > len(s.data) {
		off = len(s.data)
	}
	before := s.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[start:]) + 1
	return Pos{File: s.path, Line: line, Col: col}
}

// lines returns the file's lines without their line breaks.
func (s *src) lines() []string {
	return strings.Split(strings.ReplaceAll(string(s.data), "\r\n", "\n"), "\n")
}

// parse checks the encoding of the file and parses its single YAML
// document. It returns the document's top node (nil for an empty file), and
// ok=false when the file cannot be parsed (the reason is recorded).
func (s *src) parse() (root *yaml.Node, ok bool) {
	if !utf8.Valid(s.data) {
		off := 0
		for off < len(s.data) {
			r, n := utf8.DecodeRune(s.data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		p := s.offsetPos(off)
		if s.hidden {
			s.errs.add(p, "invalid UTF-8; schema files must be UTF-8")
		} else {
			s.errs.add(p, "invalid UTF-8 (byte 0x%02x); schema files must be UTF-8", s.data[off])
		}
		return nil, false
	}
	for off, r := range string(s.data) {
		if off == 0 && r == '\uFEFF' {
			continue // byte order mark
		}
		if !yamlAllowed(r) {
			if s.hidden {
				s.errs.add(s.offsetPos(off), "a character YAML does not allow (schema files are YAML text)")
			} else {
				s.errs.add(s.offsetPos(off), "character %U is not allowed in YAML", r)
			}
			return nil, false
		}
	}
	defer func() {
		if r := recover(); r != nil {
			s.errs.add(Pos{File: s.path, Line: 1, Col: 1}, "YAML parser failed: %s", cut(fmt.Sprint(r), 120))
			root, ok = nil, false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(s.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, true
		}
		s.syntaxError(err)
		return nil, false
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		s.errorf(&next, "a schema file holds a single YAML document; remove this \"---\" and what follows, or move it to another file")
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		s.syntaxError(err)
		return nil, false
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, true
		}
		return doc.Content[0], true
	}
	return &doc, true
}

// yamlAllowed reports whether YAML accepts the character r in a stream.
func yamlAllowed(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

var (
	yamlLineRe   = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlAnchorRe = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlParserProblems are the messages yaml.v3 reports as parser (rather than
// scanner) errors; it numbers their lines from 0, not 1.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// syntaxError records a yaml.v3 parse error at the best position that can be
// recovered from its message.
func (s *src) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	lines := s.lines()
	line := 0
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if yamlParserProblems[msg] {
			line++
		}
	}
	if line <= 0 {
		line = 1
	}
	col := 1
	if m := yamlAnchorRe.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(s.data, []byte("*"+m[1])); i >= 0 {
			p := s.offsetPos(i)
			line, col = p.Line, p.Col
		}
		if s.hidden {
			msg = "unknown anchor referenced"
		} else {
			a := quoteShort(m[1])
			msg = fmt.Sprintf("unknown anchor %q referenced (define it with &%s before using *%s)", a, a, a)
		}
	}
	if line > len(lines) {
		line = len(lines)
	}
	if line >= 1 && line <= len(lines) {
		text := lines[line-1]
		// Flow collection errors are reported on the line that opens it.
		opener := ""
		switch msg {
		case "did not find expected ',' or '}'":
			opener = "{"
		case "did not find expected ',' or ']'":
			opener = "["
		}
		if i := strings.Index(text, opener); opener != "" && i >= 0 {
			col = utf8.RuneCountInString(text[:i]) + 1
			msg += fmt.Sprintf(" (the %s opened here is not closed)", opener)
		}
	}
	// A tab in indentation is reported on its line or, for some messages,
	// on the line before.
	for l := line; l >= 1 && l <= len(lines) && l <= line+1; l++ {
		text := lines[l-1]
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		if i := strings.IndexByte(text[:indent], '\t'); i >= 0 {
			line, col = l, i+1
			msg = "tab character in indentation; YAML indents with spaces only"
			break
		}
		if !strings.Contains(msg, "tab") {
			break
		}
	}
	s.errs.add(Pos{File: s.path, Line: line, Col: col}, "YAML syntax error: %s", msg)
}

// resolve follows aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i >= maxAliasHops {
			return nil
		}
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or a YAML null.
func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == tagNull)
}

// describe names the kind of a YAML node for messages: "a mapping",
// "a sequence", "null", "the string \"x\"", "the number 3", "true".
func describe(n *yaml.Node) string {
	n = resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.DocumentNode:
		return "a document"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case tagNull:
			return "null"
		case tagBool:
			return n.Value
		case tagInt, tagFloat:
			return "the number " + quoteShort(n.Value)
		case tagStr:
			return "the string " + quote(n.Value)
		}
		return quote(n.Value)
	}
	return "an unknown YAML node"
}

// kindOf names the kind of a YAML node, as describe does but without any
// of its text: "a mapping", "a sequence", "a string", "a number", "a
// boolean", "null".
func kindOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return describe(n)
	}
	switch n.ShortTag() {
	case tagNull:
		return "null"
	case tagBool:
		return "a boolean"
	case tagInt, tagFloat:
		return "a number"
	case tagStr:
		return "a string"
	}
	return "a scalar"
}

// valueText shows a scalar as written: quoted if it is a string.
func valueText(n *yaml.Node) string {
	r := resolve(n)
	if r == nil || r.Kind != yaml.ScalarNode {
		return describe(r)
	}
	if r.ShortTag() == tagStr {
		return quote(r.Value)
	}
	return quoteShort(r.Value)
}

// quoteShort shortens s for a message without quoting it.
func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

// checkDuplicateKeys reports every mapping key that repeats an earlier key
// of the same mapping, anywhere in the tree under n. Aliases are not
// followed: the anchored node is checked where it is defined.
func (s *src) checkDuplicateKeys(n *yaml.Node) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			s.checkDuplicateKeys(c)
		}
	case yaml.MappingNode:
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				id := k.ShortTag() + "\x00" + k.Value
				if first, ok := seen[id]; ok {
					s.errorf(k, "duplicate key %s (first defined at line %d)", quote(k.Value), first.Line)
				} else {
					seen[id] = k
				}
			} else {
				s.checkDuplicateKeys(k)
			}
			s.checkDuplicateKeys(n.Content[i+1])
		}
	}
}

// entry is one key/value pair of a YAML mapping.
type entry struct {
	key  string
	k, v *yaml.Node
}

// mapping returns the entries of a mapping node, with "<<" merge keys
// expanded (explicit keys win) and repeated keys dropped (checkDuplicateKeys
// reports them). A null counts as an empty mapping. It reports and returns
// ok=false when n is not a mapping; what names the value for the message.
func (s *src) mapping(n *yaml.Node, what string) (entries []entry, ok bool) {
	if isNull(n) {
		return nil, true
	}
	r := resolve(n)
	if r.Kind != yaml.MappingNode {
		s.errorf(n, "%s must be a mapping, found %s", what, describe(r))
		return nil, false
	}
	seen := map[string]bool{}
	visited := map[*yaml.Node]bool{}
	var merged []entry
	s.collect(r, what, seen, visited, &entries, &merged, true)
	for _, e := range merged {
		if !seen[e.key] {
			seen[e.key] = true
			entries = append(entries, e)
		}
	}
	return entries, true
}

// collect gathers the entries of mapping m into out, and the entries of the
// mappings it merges into merged.
func (s *src) collect(m *yaml.Node, what string, seen map[string]bool, visited map[*yaml.Node]bool, out, merged *[]entry, top bool) {
	if visited[m] {
		return
	}
	visited[m] = true
	var local []entry
	localSeen := map[string]bool{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := resolve(m.Content[i]), m.Content[i+1]
		if k == nil {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			if top {
				s.errorf(m.Content[i], "keys of %s must be plain names, found %s", what, describe(k))
			}
			continue
		}
		if k.Value == "<<" && k.ShortTag() == tagMerge {
			merges = append(merges, v)
			continue
		}
		if localSeen[k.Value] {
			continue
		}
		localSeen[k.Value] = true
		local = append(local, entry{key: k.Value, k: m.Content[i], v: v})
	}
	if top {
		for _, e := range local {
			seen[e.key] = true
		}
		*out = append(*out, local...)
	} else {
		*merged = append(*merged, local...)
	}
	for _, v := range merges {
		rv := resolve(v)
		var sources []*yaml.Node
		switch {
		case rv == nil:
		case rv.Kind == yaml.MappingNode:
			sources = []*yaml.Node{rv}
		case rv.Kind == yaml.SequenceNode:
			for _, c := range rv.Content {
				c = resolve(c)
				if c != nil && c.Kind == yaml.MappingNode {
					sources = append(sources, c)
				} else if top {
					s.errorf(v, "a merge (<<) takes a mapping or a sequence of mappings, found %s", describe(c))
				}
			}
		default:
			if top {
				s.errorf(v, "a merge (<<) takes a mapping or a sequence of mappings, found %s", describe(rv))
			}
		}
		for _, src := range sources {
			s.collect(src, what, seen, visited, out, merged, false)
		}
	}
}

// str returns the text of a scalar; it reports and returns ok=false for
// null, mappings and sequences.
func (s *src) str(n *yaml.Node, what string) (string, bool) {
	r := resolve(n)
	if r == nil || r.Kind != yaml.ScalarNode || r.ShortTag() == tagNull {
		s.errorf(n, "%s must be a string, found %s", what, describe(r))
		return "", false
	}
	return r.Value, true
}

// boolean returns the value of a YAML boolean; it reports and returns
// ok=false for anything else.
func (s *src) boolean(n *yaml.Node, what string) (bool, bool) {
	r := resolve(n)
	if r == nil || r.Kind != yaml.ScalarNode || r.ShortTag() != tagBool {
		s.errorf(n, "%s must be true or false, found %s", what, describe(r))
		return false, false
	}
	var b bool
	if err := r.Decode(&b); err != nil {
		s.errorf(n, "%s must be true or false, found %s", what, describe(r))
		return false, false
	}
	return b, true
}
