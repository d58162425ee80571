package inspect

import (
	"context"
	"sort"
	"strings"
)

// indexes reads the constraints and the indexes.
func (in *inspector) indexes(ctx context.Context) ([]Index, error) {
	var out []Index
	rows, err := in.rows(ctx, "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties RETURN name, type, entityType, labelsOrTypes, properties", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		typ, _ := r[1].(string)
		kind := "type"
		switch {
		case strings.Contains(typ, "UNIQUENESS"):
			kind = "unique"
		case strings.HasSuffix(typ, "_KEY"):
			kind = "key"
		case strings.Contains(typ, "EXISTENCE"):
			kind = "exists"
		}
		ent, _ := r[2].(string)
		out = append(out, Index{Name: r[0].(string), Kind: kind, Rel: ent == "RELATIONSHIP",
			LabelsOrTypes: asStrings(r[3]), Properties: asStrings(r[4])})
	}
	rows, err = in.rows(ctx, "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint "+
		"WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name, type, entityType, labelsOrTypes, properties", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		typ, _ := r[1].(string)
		ent, _ := r[2].(string)
		out = append(out, Index{Name: r[0].(string), Kind: strings.ToLower(typ), Rel: ent == "RELATIONSHIP",
			LabelsOrTypes: asStrings(r[3]), Properties: asStrings(r[4])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
