package codegen

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// commentWidth is the width doc comments are wrapped to, "// " included.
const commentWidth = 79

// comment renders paragraphs as a "//" comment for code indented by indent
// tabs. A paragraph without a newline is wrapped; one with newlines is kept
// line by line (lists, headings). Empty paragraphs are skipped.
func comment(indent int, paras ...string) string {
	width := commentWidth - 3 - 8*indent
	if width < 40 {
		width = 40
	}
	var lines []string
	for _, p := range paras {
		p = strings.TrimRight(p, " \n")
		if strings.TrimSpace(p) == "" {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		if strings.Contains(p, "\n") {
			lines = append(lines, strings.Split(p, "\n")...)
		} else {
			lines = append(lines, wrap(p, width)...)
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		l = strings.TrimRight(l, " \t")
		if l == "" {
			b.WriteString("//")
		} else {
			b.WriteString("// " + l)
		}
	}
	return b.String()
}

// wrap breaks text into lines of at most width bytes at spaces (a longer
// word gets a line of its own).
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(text) {
		if cur.Len() > 0 && cur.Len()+1+len(w) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// doc is a jen comment statement of comment(indent, paras...).
func doc(indent int, paras ...string) *jen.Statement {
	return jen.Comment(comment(indent, paras...))
}

// helpPara is help with a final period, as the second paragraph of a doc
// comment.
func helpPara(help string) string {
	help = strings.TrimSpace(help)
	if help == "" {
		return ""
	}
	if !strings.ContainsAny(help[len(help)-1:], ".!?:)") {
		help += "."
	}
	return help
}

// cypherNameRe matches the identifiers that Cypher takes without quoting.
// Stored names (labels, relationship types, db_property keys) need not be
// ones; generated comments write the others quoted (nameText).
var cypherNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// nameText writes a stored name in a generated comment: as it is when it
// is a plain identifier, else Go-quoted (so that no character of it, such
// as a byte order mark, ends up raw in Go source).
func nameText(s string) string {
	if cypherNameRe.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}
