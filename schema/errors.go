package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a position in a schema file. Line and Col are 1-based; Col counts
// characters (runes), not bytes, as editors do. The zero Pos means "unknown".
type Pos struct {
	File string // display path of the file, e.g. "schema/people.yaml" or "builtin:auth"
	Line int    // 1-based line
	Col  int    // 1-based column, in characters
}

// String formats p as "file:line:col".
func (p Pos) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether p names a file and a line.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

// or returns p, or alt when p is not valid: where a message about an
// option goes when the model (built in Go) does not say where the option
// is written.
func (p Pos) or(alt Pos) Pos {
	if p.IsValid() {
		return p
	}
	return alt
}

// before reports whether p sorts before q (file, then line, then column).
func (p Pos) before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Error is one problem found in a schema, at the position of the YAML node
// that is wrong.
type Error struct {
	Pos
	Msg string // what is wrong, with a hint where one helps
}

// Error formats e as "file:line:col: message".
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is every problem found while loading a set of schemas, sorted by
// file, line and column. Load returns it (as an error) when there is at least
// one problem; use errors.As with a *ErrorList or an ErrorList target to get
// at the individual errors.
type ErrorList []*Error

// Error returns one "file:line:col: message" line per error, joined by "\n".
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the individual errors, so errors.Is and errors.As look at
// each of them.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// As lets errors.As fill a **ErrorList target as well as an *ErrorList one.
func (l ErrorList) As(target any) bool {
	if p, ok := target.(**ErrorList); ok {
		c := l
		*p = &c
		return true
	}
	return false
}

// Sort sorts the list by file, line, column and message, and drops exact
// duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Pos != s[j].Pos {
			return s[i].Pos.before(s[j].Pos)
		}
		return s[i].Msg < s[j].Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e.Pos == s[i-1].Pos && e.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the sorted list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	c := append(ErrorList(nil), l...)
	c.Sort()
	return c
}

// maxMessageLen bounds the length of a message, in characters: excerpts
// of a schema's text are cut to 60 characters (quote), and whatever else a
// message holds (long names, errors of other packages) to this.
const maxMessageLen = 500

// add records an error at pos. Control characters in the message (from
// names in the schema) are escaped, so that each error stays on one line,
// and the message is cut to maxMessageLen characters.
func (l *ErrorList) add(pos Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if strings.IndexFunc(msg, unicode.IsControl) >= 0 {
		var b strings.Builder
		for _, r := range msg {
			if unicode.IsControl(r) {
				q := strconv.QuoteRune(r)
				b.WriteString(q[1 : len(q)-1])
			} else {
				b.WriteRune(r)
			}
		}
		msg = b.String()
	}
	*l = append(*l, &Error{Pos: pos, Msg: cut(msg, maxMessageLen)})
}

// cut shortens s to max characters, the last of them "…".
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max-1]) + "…"
}

// errText is the text of an error of another package (the YAML decoder,
// regexp, encoding/json) for a message: such errors quote the schema's
// text, so it is cut to 120 characters.
func errText(err error) string { return cut(err.Error(), 120) }
