package schema

import (
	"github.com/gonode/gonode/ogm"
	"gopkg.in/yaml.v3"
)

// Stored forms ("stored_as:"): a property keeps its Go type while the
// database holds its values in the form another app on the same graph
// writes (neomodel's DateTimeProperty stores epoch seconds, its
// DateProperty an ISO string, its DateTimeFormatProperty a formatted
// string). See docs/neomodel.md.

// The option keys of this file, added to the property keys here so the
// stored-form machinery stays in one place.
func init() { propertyKeys = append(propertyKeys, "stored_as") }

// StoredAs is a property's stored form.
type StoredAs int

// The stored forms, spelled in YAML as their String() (StoredFormat as
// {format: "…"}).
const (
	StoredNative    StoredAs = iota // Neo4j's own value of the type (the default)
	StoredEpoch                     // datetime: float seconds since 1970-01-01 UTC
	StoredISOString                 // date: "2006-01-02"
	StoredFormat                    // date, datetime, localdatetime: text in a strftime format
	StoredString                    // json: its JSON text (what json always stores; accepted to say so)
)

var storedNames = map[StoredAs]string{
	StoredNative: "native", StoredEpoch: "epoch", StoredISOString: "iso_string", StoredFormat: "format", StoredString: "string",
}

// String is the form's YAML spelling.
func (f StoredAs) String() string { return storedNames[f] }

// StoredForm is what "stored_as:" says of a property: its form and, for
// StoredFormat, the strftime format. The zero value is the native form.
type StoredForm struct {
	As     StoredAs
	Format string // strftime format of StoredFormat
	Pos    Pos    // position of the stored_as: value
}

// storedFits reports whether form f can store a value of type t.
func storedFits(f StoredAs, t Type) bool {
	switch f {
	case StoredNative:
		return true
	case StoredEpoch:
		return t.Kind == KindDateTime
	case StoredISOString:
		return t.Kind == KindDate
	case StoredFormat:
		return t.Kind == KindDate || t.Kind == KindDateTime || t.Kind == KindLocalDateTime
	case StoredString:
		return t.Kind == KindJSON && !t.Array
	}
	return false
}

// storedFitsText lists the types form f can store, for messages.
var storedFitsText = map[StoredAs]string{
	StoredEpoch:     "datetime or [datetime]",
	StoredISOString: "date or [date]",
	StoredFormat:    "date, datetime or localdatetime (or an array of them)",
	StoredString:    "json",
}

// readStoredAs reads the stored_as: option of p: a form name, or a
// mapping {format: "%Y-%m-%d"}.
func (s *src) readStoredAs(p *Property, opts propOpts) {
	o, ok := opts.m["stored_as"]
	if !ok {
		return
	}
	r := resolve(o.v)
	f := StoredForm{Pos: s.pos(o.v)}
	switch {
	case r != nil && r.Kind == yaml.MappingNode:
		entries, ok := s.mapping(o.v, "stored_as")
		if !ok {
			return
		}
		for _, e := range entries {
			if e.key != "format" {
				s.unknownKey(e, "stored_as", []string{"format"})
				return
			}
			v, ok := s.str(e.v, "format")
			if !ok {
				return
			}
			f.As, f.Format, f.Pos = StoredFormat, v, s.pos(e.v)
		}
		if f.As != StoredFormat {
			s.errorf(o.v, "stored_as as a mapping is {format: \"%%Y-%%m-%%d %%H:%%M:%%S\"}")
			return
		}
	default:
		v, ok := s.str(o.v, "stored_as")
		if !ok {
			return
		}
		found := false
		for k, name := range storedNames {
			if name == v && k != StoredFormat {
				f.As, found = k, true
			}
		}
		if !found {
			s.errorf(o.v, "unknown stored form %s (stored_as: native, epoch, iso_string, string, or {format: \"%%Y-%%m-%%d\"})", quote(v))
			return
		}
	}
	p.StoredAs = f
	storedFormRule(p, func(string, bool) Pos { return f.Pos }, s.errs)
}

// storedFormRule refuses a stored form that cannot hold p's type, and a
// strftime format the runtime cannot read, dropping it.
func storedFormRule(p *Property, at optionAt, errs *ErrorList) {
	f := p.StoredAs
	if !storedFits(f.As, p.Type) {
		errs.add(at("stored_as", true), "stored_as: %s needs a %s property, not %s", f.As, storedFitsText[f.As], p.Type)
		p.StoredAs = StoredForm{}
		return
	}
	if f.As == StoredFormat {
		if err := ogm.CheckStrftime(f.Format); err != nil {
			errs.add(at("stored_as", true), "stored_as format: %s", errText(err))
			p.StoredAs = StoredForm{}
		}
	}
}

// TimeForm is the runtime form of p's stored values: nil for the native
// form (and for json, whose form is always its text).
func (p *Property) TimeForm() *ogm.TimeForm {
	switch p.StoredAs.As {
	case StoredEpoch:
		return ogm.DateTimeEpoch
	case StoredISOString:
		return ogm.DateISOString
	case StoredFormat:
		switch p.Type.Kind {
		case KindDate:
			return ogm.DateFormat(p.StoredAs.Format)
		case KindLocalDateTime:
			return ogm.LocalDateTimeFormat(p.StoredAs.Format)
		}
		return ogm.DateTimeFormat(p.StoredAs.Format)
	}
	return nil
}

// TimeFormExpr names the runtime form of p in Go source ("" for the
// native form): ogm.DateTimeEpoch, ogm.DateTimeFormat("%Y") and so on,
// as the function name and its argument.
func (p *Property) TimeFormExpr() (name string, arg *string) {
	switch p.StoredAs.As {
	case StoredEpoch:
		return "DateTimeEpoch", nil
	case StoredISOString:
		return "DateISOString", nil
	case StoredFormat:
		format := p.StoredAs.Format
		switch p.Type.Kind {
		case KindDate:
			return "DateFormat", &format
		case KindLocalDateTime:
			return "LocalDateTimeFormat", &format
		}
		return "DateTimeFormat", &format
	}
	return "", nil
}

// storedText is stored_as as Print writes it, "" for the native form.
func storedText(p *Property) string {
	switch p.StoredAs.As {
	case StoredNative:
		return ""
	case StoredFormat:
		return "{format: " + Scalar(p.StoredAs.Format) + "}"
	}
	return p.StoredAs.As.String()
}
