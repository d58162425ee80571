package schema

import (
	"cmp"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/gonode/gonode/ogm"
)

// Validate checks a model with the rules Load applies, on the model
// instead of YAML: it is for models Load did not make, built in Go or
// inferred from a database (package infer). A model Load returned is valid.
//
// Validate completes the model as Load does: it derives the Go names of
// properties, relationships and reverse accessors from their names
// (GoName), gives a property without a DBName its name as stored key and a
// uid property its implied uniqueness and uuid default, sets Node.File,
// RelModel.File and Relationship.Owner, resolves the references written as
// names (ExtendsRef, ToRef and ModelRef; a reference given only as a
// pointer is kept), and fills Node.Reverse and Node.UserModel. The files
// the files of s import are checked with them.
//
// It returns nil, or an ErrorList (see Load) holding every problem, each at
// the position the model holds for the element or option concerned (the
// element's own when it holds none for an option). The rules of single
// elements (names, stored names, the options of properties and
// relationships) run first; when they find a problem Validate stops there,
// as the elements they refuse would mislead the checks between elements.
func Validate(s *Schema) error {
	if s == nil {
		return errors.New("gonode: no schema")
	}
	var errs ErrorList
	c := newChecker(withImports(s.Files), &errs)
	c.checkElements()
	if len(errs) > 0 {
		return errs.Err()
	}
	for _, f := range c.files {
		for _, n := range f.Nodes {
			n.Reverse, n.UserModel = nil, nil
		}
	}
	c.checkModel()
	return errs.Err()
}

// withImports is files followed by the files they import, directly or not,
// that it does not list.
func withImports(files []*File) []*File {
	out := append([]*File(nil), files...)
	seen := map[*File]bool{}
	for _, f := range out {
		seen[f] = true
	}
	for i := 0; i < len(out); i++ {
		for _, im := range out[i].Imports {
			if im.File != nil && !seen[im.File] {
				seen[im.File] = true
				out = append(out, im.File)
			}
		}
	}
	return out
}

// checkElements applies the rules of single elements to every element of
// the files. Load does not run it: the parser applies the same rules as it
// reads each element, at the positions of the YAML.
func (c *checker) checkElements() {
	for _, f := range c.files {
		c.checkFileOptions(f)
		for _, n := range f.Nodes {
			n.File = f
			c.checkNodeOptions(n)
			for _, p := range n.Properties {
				c.checkProperty(p, "property")
			}
			for _, r := range n.Relationships {
				r.Owner = n
				c.checkRelationship(r)
			}
			c.checkPermissionNames(n)
		}
		for _, m := range f.RelModels {
			m.File = f
			c.report(m.Pos, typeNameProblem("relationship model", m.Name))
			for _, p := range m.Properties {
				c.checkProperty(p, "property")
			}
		}
	}
}

// report records the problem msg at at, unless msg is "".
func (c *checker) report(at Pos, msg string) {
	if msg != "" {
		c.errs.add(at, "%s", msg)
	}
}

// checkFileOptions checks the package, go_package, app_label and imports
// of f.
func (c *checker) checkFileOptions(f *File) {
	at := Pos{File: f.Path, Line: 1, Col: 1}
	if f.Package == "" {
		c.report(at, msgMissingPackage)
	} else {
		c.report(at, packageNameProblem(f.Package))
	}
	if f.GoPackage != "" {
		c.report(at, goPackageProblem(f.GoPackage))
	}
	if f.AppLabel != "" || f.AppLabelPos.IsValid() {
		c.report(f.AppLabelPos.or(at), appLabelProblem(f.AppLabel))
	}
	targets := map[string]*Import{}
	for _, im := range f.Imports {
		at := im.Pos.or(at)
		target := strings.TrimSpace(im.Target)
		msg := cmp.Or(importAliasProblem(im.Alias), importTargetProblem(im.Alias, target))
		switch prev, dup := targets[target]; {
		case msg != "":
			c.report(at, msg)
		case dup:
			c.errs.add(at, "%s is already imported as %s (line %d)", quote(target), quote(prev.Alias), prev.Pos.Line)
		case im.File == nil:
			c.errs.add(at, "import %s has no file (Import.File is nil)", quote(im.Alias))
		}
		targets[target] = im
	}
}

// checkNodeOptions checks the name and the labels of node n.
func (c *checker) checkNodeOptions(n *Node) {
	c.report(n.Pos, typeNameProblem("node", n.Name))
	if n.Label != "" {
		at := n.LabelPos.or(n.Pos)
		c.report(at, StoredLabel.Check(n.Label))
		if n.Abstract {
			c.report(at, abstractLabel(n))
		}
	}
	first := map[string]Pos{}
	for i, l := range n.Labels {
		at := labelPos(n, i)
		c.report(at, StoredExtraLabel.Check(l))
		if prev, dup := first[l]; dup {
			c.errs.add(at, "duplicate label %s (first at line %d)", quote(l), prev.Line)
		}
		first[l] = at
	}
}

// checkRelationship checks the names and options of relationship r.
func (c *checker) checkRelationship(r *Relationship) {
	r.GoName = GoName(r.Name)
	c.report(r.Pos, snakeNameProblem("relationship name", r.Name))
	if r.To == nil && r.ToRef == "" {
		c.report(r.Pos, needsTo(r.Name))
	}
	if r.Type == "" {
		c.report(r.Pos, needsType(r.Name))
	} else {
		c.report(r.TypePos.or(r.Pos), StoredRelType.Check(r.Type))
	}
	if r.Direction != ogm.Out && r.Direction != ogm.In && r.Direction != ogm.Both {
		c.errs.add(r.Pos, "direction must be out, in or both, found ogm.Direction(%d)", r.Direction)
	}
	if r.Cardinality < ogm.ZeroOrMore || r.Cardinality > ogm.OneOrMore {
		c.errs.add(r.Pos, "cardinality must be zero_or_more, zero_or_one, one or one_or_more, found ogm.Cardinality(%d)", r.Cardinality)
	}
	if r.Reverse != "" {
		r.ReverseGoName = GoName(r.Reverse)
		at := r.ReversePos.or(r.Pos)
		c.report(at, snakeNameProblem("reverse name", r.Reverse))
		if r.Direction == ogm.Both {
			c.report(at, msgReverseBoth)
		}
	}
	c.report(r.Pos, multipleProblem(r))
}

// checkPermissionNames checks the codenames and names of n's custom
// permissions.
func (c *checker) checkPermissionNames(n *Node) {
	seen := map[string]bool{}
	for _, p := range n.Permissions {
		at := p.Pos.or(n.Pos)
		c.report(at, codenameProblem(p.Codename))
		c.report(at, permissionNameProblem(p.Codename, p.Name))
		if seen[p.Codename] {
			c.errs.add(at, "duplicate permission %s", quote(p.Codename))
		}
		seen[p.Codename] = true
	}
}

// checkProperty checks the name, type and options of property p (what
// says whose, for messages) at its position, with the rules the parser
// applies (propcheck.go), and completes it as the parser does.
func (c *checker) checkProperty(p *Property, what string) {
	p.GoName = GoName(p.Name)
	if p.DBName == "" {
		p.DBName = p.Name
	}
	c.report(p.Pos, snakeNameProblem(what+" name", p.Name))
	c.report(p.DBNamePos.or(p.Pos), StoredKey.Check(p.DBName))
	if !c.checkPropertyType(p) {
		return // options whose meaning depends on the type cannot be checked
	}
	at := func(string, bool) Pos { return p.Pos }
	if p.Type.Kind == KindUID && p.Default != nil && p.Default.Kind != DefaultUUID {
		c.report(p.Pos, msgUIDDefault)
	}
	uidRule(p, at, c.errs)
	indexRule(p, at, c.errs)
	storedFormRule(p, at, c.errs)
	vectorRule(p, at, c.errs)
	c.checkLengthsAndPattern(p)
	c.checkBounds(p)
	c.checkChoices(p)
	c.checkDefault(p)
}

// checkPropertyType refuses a kind the language does not have, and arrays
// of the kinds arrays cannot hold. It reports whether the type is valid.
func (c *checker) checkPropertyType(p *Property) bool {
	k := p.Type.Kind
	switch {
	case k <= KindInvalid || k > KindPoint3D:
		c.report(p.Pos, needsPropertyType(p.Name))
		return false
	case p.Type.Array && k == KindJSON:
		c.report(p.Pos, msgJSONArray)
		return false
	case p.Type.Array && k == KindUID:
		c.report(p.Pos, msgUIDArray)
		return false
	}
	return true
}

// checkLengthsAndPattern checks max_length, min_length and pattern, which
// apply to strings and emails.
func (c *checker) checkLengthsAndPattern(p *Property) {
	stringish := p.Type.Kind.isStringish()
	for _, l := range []struct {
		key   string
		v     *int
		least int
	}{{"max_length", p.MaxLength, 1}, {"min_length", p.MinLength, 0}} {
		switch {
		case l.v == nil:
		case !stringish:
			c.report(p.Pos, lengthNotApplicable(l.key, p.Type))
		default:
			c.report(p.Pos, lengthValueProblem(l.key, *l.v, l.least))
		}
	}
	lengthOrderRule(p, func(string, bool) Pos { return p.Pos }, c.errs)
	if p.Pattern == "" {
		return
	}
	if !stringish {
		c.report(p.Pos, patternNotApplicable(p.Type))
	} else if _, err := compilePattern(p.Pattern); err != nil {
		c.report(p.PatternPos.or(p.Pos), patternProblem(err))
	}
}

// checkBounds checks min and max, which apply to ints and floats.
func (c *checker) checkBounds(p *Property) {
	for _, b := range []struct {
		key string
		v   *float64
	}{{"min", p.Min}, {"max", p.Max}} {
		switch {
		case b.v == nil:
		case !p.Type.Kind.IsNumeric():
			c.report(p.Pos, boundNotApplicable(b.key, p.Type))
		default:
			c.report(p.Pos, boundValueProblem(b.key, *b.v, fmtNum(*b.v), p.Type))
		}
	}
	boundOrderRule(p, func(string, bool) Pos { return p.Pos }, c.errs)
}

// checkChoices checks that choices apply to p's type, and that each is a
// distinct value of its element type.
func (c *checker) checkChoices(p *Property) {
	if p.Choices == nil {
		return
	}
	switch {
	case !choiceKinds[p.Type.Kind]:
		c.report(p.Pos, choicesNotApplicable(p.Type))
		return
	case len(p.Choices) == 0:
		c.errs.add(p.Pos, "choices must not be empty")
	}
	seen := map[any]bool{}
	for _, ch := range p.Choices {
		if !literalFits(p.Type.Elem(), ch.Value) {
			c.errs.add(p.Pos, "choice %#v is not a %s value", ch.Value, p.Type.Elem())
			continue
		}
		if seen[ch.Value] {
			c.errs.add(p.Pos, "duplicate choice %#v", ch.Value)
		}
		seen[ch.Value] = true
	}
}

// checkDefault checks p's default against its type and its other options.
func (c *checker) checkDefault(p *Property) {
	d, t := p.Default, p.Type
	if d == nil || t.Kind == KindUID {
		return // a uid's default is set by uidRule
	}
	if p.Required {
		c.report(p.Pos, msgRequiredDefault)
	}
	switch {
	case d.Kind == DefaultNow:
		if !t.Kind.IsTemporal() || t.Array {
			c.report(p.Pos, nowNotApplicable(t))
		}
	case d.Kind == DefaultUUID:
		if t.Array || t.Kind != KindString {
			c.report(p.Pos, uuidNotApplicable(t))
		}
	case t.Kind.IsPoint():
		c.report(p.Pos, pointDefault(t.Kind))
	case !literalFits(t, d.Value):
		c.errs.add(p.Pos, "default %#v is not a %s value", d.Value, t)
	default:
		re, _ := compilePattern(p.Pattern)
		elems := []any{d.Value}
		if t.Array {
			elems = sliceElems(d.Value)
		}
		for _, v := range elems {
			if msg := checkValue(p, v, re); msg != "" {
				c.errs.add(p.Pos, "default %#v %s", v, msg)
			}
		}
	}
}

// literalFits reports whether v has the Go type of a value of type t (see
// Default), and is a valid address for an email.
func literalFits(t Type, v any) bool {
	if t.Array {
		switch v.(type) {
		case []string, []int64, []float64, []bool, []time.Time, []time.Duration:
		default:
			return false
		}
		for _, e := range sliceElems(v) {
			if !literalFits(t.Elem(), e) {
				return false
			}
		}
		return true
	}
	var ok bool
	switch t.Kind {
	case KindString, KindUID:
		_, ok = v.(string)
	case KindEmail:
		s, isString := v.(string)
		ok = isString && emailProblem(s) == ""
	case KindInt:
		_, ok = v.(int64)
	case KindFloat:
		_, ok = v.(float64)
	case KindBool:
		_, ok = v.(bool)
	case KindDate, KindDateTime, KindLocalDateTime:
		_, ok = v.(time.Time)
	case KindDuration:
		_, ok = v.(time.Duration)
	case KindJSON:
		ok = stringKeys(v)
	}
	return ok
}

// compilePattern compiles a property's pattern; "" compiles to nil.
func compilePattern(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	return regexp.Compile(pattern)
}
