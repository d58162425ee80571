package infer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// newProperty maps a property of the database: its first name, type,
// options and comments. It returns why instead when no schema type holds
// its values: the property is then a comment.
func newProperty(dp inspect.Property) (p *schema.Property, why string) {
	t, note, ok := schemaType(dp.Types)
	if !ok {
		return nil, note
	}
	name := snakeName(dp.Key, "prop")
	p = &schema.Property{Name: name, GoName: schema.GoName(name), DBName: dp.Key, Type: t, Required: dp.Required, Unique: dp.Unique}
	if note != "" {
		p.Comments.Line = append(p.Comments.Line, note)
	}
	if p.Required && dp.EmptyString && t == (schema.Type{Kind: schema.KindString}) {
		// Generated code holds "" for an unset string: required would
		// refuse to save the nodes holding "".
		p.Required = false
		p.Comments.Line = append(p.Comments.Line, emptyNotRequired)
	}
	switch dp.Index {
	case ogm.NoIndex:
	case ogm.RangeIndex, inspect.PointIndex:
		if p.Unique {
			p.Comments.Line = append(p.Comments.Line, fmt.Sprintf("also has a %s index", dp.Index))
		} else {
			p.Index = ogm.RangeIndex
		}
	case ogm.TextIndex, ogm.FulltextIndex:
		switch {
		case p.Unique:
			p.Comments.Line = append(p.Comments.Line, fmt.Sprintf("also has a %s index", dp.Index))
		case t.Kind != schema.KindString || (dp.Index == ogm.TextIndex && t.Array):
			p.Comments.Line = append(p.Comments.Line, fmt.Sprintf("has a %s index, which index: takes for strings only", dp.Index))
		default:
			p.Index = dp.Index
		}
	default:
		p.Comments.Line = append(p.Comments.Line, fmt.Sprintf("has a %s index", dp.Index))
	}
	return p, ""
}

// emptyNotRequired is the comment of a string property every node has,
// some as "", which is therefore not declared required.
const emptyNotRequired = `every one has it, some hold "": not required (required refuses "")`

// kinds maps Cypher value types to schema kinds.
var kinds = map[string]schema.Kind{
	"STRING": schema.KindString, "INTEGER": schema.KindInt, "FLOAT": schema.KindFloat, "BOOLEAN": schema.KindBool,
	"DATE": schema.KindDate, "ZONED DATETIME": schema.KindDateTime, "LOCAL DATETIME": schema.KindLocalDateTime,
	"DURATION": schema.KindDuration, "POINT": schema.KindPoint, "POINT 3D": schema.KindPoint3D,
}

// schemaType maps the value types seen for a key to a schema type. ok is
// false when no schema type holds them; note explains a choice or why not.
func schemaType(types []string) (t schema.Type, note string, ok bool) {
	seen := map[schema.Type]bool{}
	var unmapped []string
	emptyList := false
	for _, ct := range types {
		switch {
		case ct == "NULL" || ct == "NOTHING":
		case ct == "LIST<NOTHING>":
			emptyList = true
		case strings.HasPrefix(ct, "LIST<") && strings.HasSuffix(ct, ">"):
			for _, e := range strings.Split(ct[5:len(ct)-1], "|") {
				e = strings.TrimSpace(e)
				if k, ok := kinds[e]; ok {
					seen[schema.Type{Kind: k, Array: true}] = true
				} else if e != "NOTHING" && e != "NULL" {
					unmapped = append(unmapped, ct)
				}
			}
		default:
			if k, ok := kinds[ct]; ok {
				seen[schema.Type{Kind: k}] = true
			} else {
				unmapped = append(unmapped, ct)
			}
		}
	}
	var found []string
	for t := range seen {
		found = append(found, t.String())
	}
	slices.Sort(found)
	all := strings.Join(types, ", ")
	floats := schema.Type{Kind: schema.KindFloat}
	switch {
	case len(found) == 0 && len(unmapped) == 0 && emptyList:
		return schema.Type{Kind: schema.KindString, Array: true}, "only empty lists seen: element type assumed", true
	case len(found) == 0 && len(unmapped) == 0:
		return schema.Type{}, "no values seen", false
	case len(found) == 0:
		return schema.Type{}, fmt.Sprintf("values of type %s, which no schema type holds", all), false
	case len(unmapped) == 0 && len(found) == 1:
		for t := range seen {
			return t, "", true
		}
	case len(unmapped) == 0 && slices.Equal(found, []string{"float", "int"}):
		return floats, "integers and floats seen: declared float", true
	case len(unmapped) == 0 && slices.Equal(found, []string{"[float]", "[int]"}):
		return schema.Type{Kind: schema.KindFloat, Array: true}, "lists of integers and of floats seen: declared [float]", true
	}
	return schema.Type{}, fmt.Sprintf("%s %s, which no one schema type reads (on a node type, semi_structured keeps them readable in Extra)", mixedTypes, all), false
}

// mixedTypes starts the note of a key whose values have several types.
// Declared as one type, the values of the others would fail every read
// of the node (ogm.ErrPropertyType); undeclared on a semi_structured node
// type, they are kept, readable, in its Extra map (map[string]any), and
// written back as they are.
const mixedTypes = "mixed types"

// cardinality maps measured degrees to a cardinality, with a comment
// giving the numbers.
func cardinality(r inspect.Relationship) (ogm.Cardinality, []string) {
	if !r.Measured {
		return ogm.ZeroOrMore, nil
	}
	note := fmt.Sprintf("%d of %d nodes have one, at most %d", r.WithAny, r.Sources, r.MaxOut)
	every := r.WithAny >= r.Sources
	switch {
	case r.MaxOut <= 1 && every:
		return ogm.One, []string{note}
	case r.MaxOut <= 1:
		return ogm.ZeroOrOne, []string{note}
	case every:
		return ogm.OneOrMore, []string{note}
	}
	return ogm.ZeroOrMore, []string{note}
}
