package jsonschema

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
)

// Pattern translates a schema pattern — a Go regexp (RE2 syntax), which
// the schema's pattern option takes and generated Validate methods match
// with regexp.MatchString — into a JSON Schema pattern (ECMA-262 syntax)
// that matches the same strings.
//
// The translation works on the parsed expression, not on its text, so
// that every construct whose meaning differs between the two dialects is
// written in a form both read alike: case-insensitive parts ((?i)) become
// explicit classes ([kK\u212A]: Go folds case by Unicode simple folding),
// . becomes [^\n] (ECMA-262's . also stops at \r, U+2028 and U+2029) and
// (?s). [\s\S], Unicode and Perl classes (\pL, \d, \s, [[:alpha:]]) become
// the ranges Go gives them (ECMA-262's \s holds other spaces, and it
// names scripts differently), groups become non-capturing, and literals are
// escaped as both dialects require. The result is also a valid Go regexp
// with the same meaning, so validators of either kind (JavaScript's, and Go
// libraries using package regexp) agree. It assumes, as JSON Schema
// validators do, Unicode mode (the u flag) where it matters: classes with
// characters beyond U+FFFF.
//
// One construct has no equivalent: the multi-line anchors of (?m), ^ and
// $ matching at line breaks (ECMA-262 takes the m flag outside the
// pattern, and the lookarounds that could stand in are not RE2). At the
// very start or end of the pattern (or of a top-level alternative), where
// only match or no match matters, they are written (?:^|\n) and
// (?:\n|$); anywhere else Pattern returns an error.
func Pattern(goRegexp string) (string, error) {
	re, err := syntax.Parse(goRegexp, syntax.Perl)
	if err != nil {
		return "", err
	}
	var w patternWriter
	if re.Op == syntax.OpAlternate {
		for i, sub := range re.Sub {
			if i > 0 {
				w.b.WriteByte('|')
			}
			w.branch(sub)
		}
	} else {
		w.branch(re)
	}
	if w.err != nil {
		return "", w.err
	}
	out := w.b.String()
	if _, err := regexp.Compile(out); err != nil {
		return "", fmt.Errorf("jsonschema: internal error: the translation %q of %q does not compile: %v", out, goRegexp, err)
	}
	return out, nil
}

// errLineAnchor is the error of a multi-line anchor Pattern cannot write.
var errLineAnchor = errors.New("the multi-line anchors of (?m), ^ and $ at line breaks, have no JSON Schema (ECMA-262) equivalent except at the start or end of the pattern; write the line break (\\n) itself")

// patternWriter writes a parsed Go regexp in ECMA-262 syntax.
type patternWriter struct {
	b   strings.Builder
	err error
}

// The contexts a subexpression is written in, loosest first: an
// alternative, a part of a concatenation, or the operand of a repetition.
const (
	inAlternate = iota
	inConcat
	inRepeat
)

// branch writes a top-level alternative: a multi-line anchor at its start
// or end is written with the line break it stands for.
func (w *patternWriter) branch(re *syntax.Regexp) {
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	leading := len(subs) > 0 && subs[0].Op == syntax.OpBeginLine
	if leading {
		w.b.WriteString(`(?:^|\n)`)
		subs = subs[1:]
	}
	trailing := len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpEndLine
	if trailing {
		subs = subs[:len(subs)-1]
	}
	ctx := inConcat
	if len(subs) == 1 && !leading && !trailing {
		ctx = inAlternate
	}
	for _, sub := range subs {
		w.write(sub, ctx)
	}
	if trailing {
		w.b.WriteString(`(?:\n|$)`)
	}
}

// group writes s inside a non-capturing group when wrap is set.
func (w *patternWriter) group(wrap bool, s func()) {
	if wrap {
		w.b.WriteString("(?:")
	}
	s()
	if wrap {
		w.b.WriteByte(')')
	}
}

func (w *patternWriter) write(re *syntax.Regexp, ctx int) {
	switch re.Op {
	case syntax.OpNoMatch:
		w.b.WriteString(`[^\s\S]`)
	case syntax.OpEmptyMatch:
		w.b.WriteString("(?:)")
	case syntax.OpLiteral:
		w.group(ctx == inRepeat && len(re.Rune) > 1, func() {
			for _, r := range re.Rune {
				if re.Flags&syntax.FoldCase != 0 {
					if f := foldOrbit(r); len(f) > 2 {
						w.class(f)
						continue
					}
				}
				w.literal(r)
			}
		})
	case syntax.OpCharClass:
		w.class(re.Rune)
	case syntax.OpAnyCharNotNL:
		w.b.WriteString(`[^\n]`)
	case syntax.OpAnyChar:
		w.b.WriteString(`[\s\S]`)
	case syntax.OpBeginText:
		w.group(ctx == inRepeat, func() { w.b.WriteByte('^') })
	case syntax.OpEndText:
		w.group(ctx == inRepeat, func() { w.b.WriteByte('$') })
	case syntax.OpWordBoundary:
		w.group(ctx == inRepeat, func() { w.b.WriteString(`\b`) })
	case syntax.OpNoWordBoundary:
		w.group(ctx == inRepeat, func() { w.b.WriteString(`\B`) })
	case syntax.OpBeginLine, syntax.OpEndLine:
		if w.err == nil {
			w.err = errLineAnchor
		}
	case syntax.OpCapture:
		w.group(true, func() { w.write(re.Sub[0], inAlternate) })
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		w.group(ctx == inRepeat, func() {
			w.write(re.Sub[0], inRepeat)
			switch re.Op {
			case syntax.OpStar:
				w.b.WriteByte('*')
			case syntax.OpPlus:
				w.b.WriteByte('+')
			case syntax.OpQuest:
				w.b.WriteByte('?')
			default:
				switch {
				case re.Max == re.Min:
					fmt.Fprintf(&w.b, "{%d}", re.Min)
				case re.Max < 0:
					fmt.Fprintf(&w.b, "{%d,}", re.Min)
				default:
					fmt.Fprintf(&w.b, "{%d,%d}", re.Min, re.Max)
				}
			}
			if re.Flags&syntax.NonGreedy != 0 {
				w.b.WriteByte('?')
			}
		})
	case syntax.OpConcat:
		w.group(ctx == inRepeat, func() {
			for _, sub := range re.Sub {
				w.write(sub, inConcat)
			}
		})
	case syntax.OpAlternate:
		w.group(ctx != inAlternate, func() {
			for i, sub := range re.Sub {
				if i > 0 {
					w.b.WriteByte('|')
				}
				w.write(sub, inAlternate)
			}
		})
	default:
		if w.err == nil {
			w.err = fmt.Errorf("the construct %v has no JSON Schema (ECMA-262) equivalent", re.Op)
		}
	}
}

// foldOrbit is the class of r and the runes Go's case folding matches with
// it: sorted ranges of one rune each.
func foldOrbit(r rune) []rune {
	out := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f)
	}
	slices.Sort(out)
	pairs := make([]rune, 0, 2*len(out))
	for _, x := range out {
		pairs = append(pairs, x, x)
	}
	return pairs
}

// Characters escaped outside a class (ECMA-262's syntax characters, which
// its Unicode mode allows escaping, and Go too) and inside one.
const (
	syntaxChars = `\^$.*+?()[]{}|`
	classChars  = `\]^-[`
)

// literal writes r outside a class.
func (w *patternWriter) literal(r rune) { w.char(r, syntaxChars) }

// char writes r, escaping it when it is one of special or not printable.
// Escapes are those both dialects read alike: \t \n \v \f \r and \xHH up
// to U+00FF; other characters are written as they are (the JSON string
// escapes those that are not printable).
func (w *patternWriter) char(r rune, special string) {
	switch {
	case strings.ContainsRune(special, r):
		w.b.WriteByte('\\')
		w.b.WriteRune(r)
	case r == '\t':
		w.b.WriteString(`\t`)
	case r == '\n':
		w.b.WriteString(`\n`)
	case r == '\v':
		w.b.WriteString(`\v`)
	case r == '\f':
		w.b.WriteString(`\f`)
	case r == '\r':
		w.b.WriteString(`\r`)
	case r <= 0xFF && !unicode.IsPrint(r) && r != ' ':
		fmt.Fprintf(&w.b, `\x%02X`, r)
	default:
		w.b.WriteRune(r)
	}
}

// Surrogate code points: no Go string holds one, so classes leave them out
// (they cannot be written in a UTF-8 document either).
const (
	surrogateLo = 0xD800
	surrogateHi = 0xDFFF
)

// class writes the character class of ranges (pairs lo, hi, sorted, as
// regexp/syntax holds them): as it is, or negated when its complement is
// shorter.
func (w *patternWriter) class(ranges []rune) {
	rs := withoutSurrogates(ranges)
	comp := complement(rs)
	switch {
	case len(rs) == 0:
		w.b.WriteString(`[^\s\S]`)
		return
	case len(comp) == 0:
		w.b.WriteString(`[\s\S]`)
		return
	}
	w.b.WriteByte('[')
	if len(comp) < len(rs) {
		w.b.WriteByte('^')
		rs = comp
	}
	for i := 0; i < len(rs); i += 2 {
		lo, hi := rs[i], rs[i+1]
		w.char(lo, classChars)
		switch {
		case hi == lo+1:
			w.char(hi, classChars)
		case hi > lo:
			w.b.WriteByte('-')
			w.char(hi, classChars)
		}
	}
	w.b.WriteByte(']')
}

// withoutSurrogates removes the surrogate code points from ranges.
func withoutSurrogates(ranges []rune) []rune {
	var out []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo < surrogateLo {
			out = append(out, lo, min(hi, surrogateLo-1))
		}
		if hi > surrogateHi {
			out = append(out, max(lo, surrogateHi+1), hi)
		}
	}
	return out
}

// complement is the complement of sorted, disjoint ranges in the Unicode
// code points that are not surrogates.
func complement(ranges []rune) []rune {
	var out []rune
	next := rune(0)
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] > next {
			out = append(out, next, ranges[i]-1)
		}
		next = ranges[i+1] + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, next, unicode.MaxRune)
	}
	return withoutSurrogates(out)
}
