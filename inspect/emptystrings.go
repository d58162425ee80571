package inspect

import (
	"context"
	"sort"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// Empty strings. A key every node has is Required, but when some of them
// hold "" a schema cannot declare it required: generated code treats a
// string field holding "" as unset, so it would refuse to save a node it
// read (ogm.ErrValidation, rule required). For each key every owner has
// and some hold as a string, one query per label combination (relationship
// type) asks which of those keys some owner holds as "": Property.EmptyString.

// emptyCandidates are the keys of props that every owner has and some
// hold as a string, sorted.
func emptyCandidates(props map[string]*propStat) []string {
	var keys []string
	for k, st := range props {
		if st.mandatory && st.types["STRING"] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// nodeEmptyStrings marks the keys of the selected label combinations that
// some node holds as "" (among emptyCandidates).
func (in *inspector) nodeEmptyStrings(ctx context.Context, props map[string]map[string]*propStat) error {
	var combos []string
	for ck := range props {
		combos = append(combos, ck)
	}
	sort.Strings(combos)
	for _, ck := range combos {
		labels := strings.Split(ck, "\x00")
		selected := false
		for _, l := range labels {
			selected = selected || in.selected[l]
		}
		keys := emptyCandidates(props[ck])
		if !selected || len(keys) == 0 {
			continue
		}
		rows, err := in.rows(ctx, "MATCH (n"+comboMatch(labels)+") WHERE size(labels(n)) = $n AND any(k IN $keys WHERE n[k] = '') "+
			"UNWIND [k IN $keys WHERE n[k] = ''] AS k RETURN DISTINCT k", map[string]any{"n": len(labels), "keys": keys})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if k, ok := r[0].(string); ok && props[ck][k] != nil {
				props[ck][k].empty = true
			}
		}
	}
	return nil
}

// relEmptyStrings is nodeEmptyStrings for relationship properties.
func (in *inspector) relEmptyStrings(ctx context.Context, props map[string]*relPropStat) error {
	for _, t := range in.usedRelTypes(props) {
		keys := emptyCandidates(props[t].props)
		if len(keys) == 0 {
			continue
		}
		rows, err := in.rows(ctx, "MATCH ()-[r:"+ogm.Quote(t)+"]->() WHERE any(k IN $keys WHERE r[k] = '') "+
			"UNWIND [k IN $keys WHERE r[k] = ''] AS k RETURN DISTINCT k", map[string]any{"keys": keys})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if k, ok := r[0].(string); ok && props[t].props[k] != nil {
				props[t].props[k].empty = true
			}
		}
	}
	return nil
}
