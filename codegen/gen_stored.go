package codegen

import (
	"fmt"

	"github.com/gonode/gonode/schema"

	"github.com/dave/jennifer/jen"
)

// Stored forms ("stored_as:", schema/storedform.go): a property whose
// values the database holds in another app's form is encoded, decoded and
// compared through its ogm.TimeForm; its Go type and JSON do not change.

// timeForm is the ogm.TimeForm expression of p, or nil for the native
// form.
func timeForm(p *schema.Property) *jen.Statement {
	name, arg := p.TimeFormExpr()
	switch {
	case name == "":
		return nil
	case arg == nil:
		return rtm(name)
	}
	return rtm(name).Call(jen.Lit(*arg))
}

// storedParam is the encoder of p's values (elements, for an array): its
// stored form's Param, else that of its temporal kind (nil for other
// kinds, whose values need none).
func storedParam(p *schema.Property) *jen.Statement {
	if form := timeForm(p); form != nil {
		return form.Dot("Param")
	}
	return timeParam(p.Type.Kind)
}

// decodeCall reads p from the Decoder d: through its stored form, else
// with the Decoder method of its type.
func decodeCall(p *schema.Property) *jen.Statement {
	key := jen.Lit(p.DBName)
	if form := timeForm(p); form != nil {
		if p.Type.Array {
			return jen.Id("d").Dot("TimesAs").Call(key, form)
		}
		return jen.Id("d").Dot("TimeAs").Call(key, form)
	}
	return jen.Id("d").Dot(decoderMethod(p)).Call(key)
}

// storedSummary describes p's stored form for its field comment ("" for
// the native form).
func storedSummary(p *schema.Property) string {
	switch p.StoredAs.As {
	case schema.StoredEpoch:
		return "stored as epoch seconds (float)"
	case schema.StoredISOString:
		return "stored as an ISO date string"
	case schema.StoredFormat:
		return fmt.Sprintf("stored as text formatted %q", p.StoredAs.Format)
	}
	return ""
}
