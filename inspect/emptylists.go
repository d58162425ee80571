package inspect

import (
	"context"
	"sort"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// Empty lists on the procedures' path. db.schema.nodeTypeProperties and
// relTypeProperties report an empty list as "StringArray", so a key holding
// lists of integers and some empty lists reads as integers and strings: a
// mixed type that only string holds, and the generated code could read
// none of the lists. When a key has LIST<STRING> beside another list type,
// one more query (per key, stopping at the first match) asks whether a
// non-empty list of strings is really stored; when none is, the strings
// were empty lists, as the Cypher scan (valueType: LIST<NOTHING>) reports
// them.

// ambiguousLists reports whether st has lists of strings and of another
// element type.
func ambiguousLists(st *propStat) bool {
	if !st.types["LIST<STRING>"] {
		return false
	}
	for t := range st.types {
		if t != "LIST<STRING>" && strings.HasPrefix(t, "LIST<") {
			return true
		}
	}
	return false
}

// emptyNotStrings replaces LIST<STRING> by LIST<NOTHING> in st.
func emptyNotStrings(st *propStat) {
	delete(st.types, "LIST<STRING>")
	st.types["LIST<NOTHING>"] = true
}

// nodeEmptyLists resolves the ambiguous list types of the selected label
// combinations' keys.
func (in *inspector) nodeEmptyLists(ctx context.Context, props map[string]map[string]*propStat) error {
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
		if !selected {
			continue
		}
		var keys []string
		for k, st := range props[ck] {
			if ambiguousLists(st) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := "n." + ogm.Quote(k)
			rows, err := in.rows(ctx, "MATCH (n"+comboMatch(labels)+") WHERE size(labels(n)) = $n AND valueType("+v+") STARTS WITH 'LIST<STRING' RETURN 1 LIMIT 1",
				map[string]any{"n": len(labels)})
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				emptyNotStrings(props[ck][k])
			}
		}
	}
	return nil
}

// relEmptyLists is nodeEmptyLists for relationship properties.
func (in *inspector) relEmptyLists(ctx context.Context, props map[string]*relPropStat) error {
	for _, t := range in.usedRelTypes(props) {
		var keys []string
		for k, st := range props[t].props {
			if ambiguousLists(st) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := "r." + ogm.Quote(k)
			rows, err := in.rows(ctx, "MATCH ()-[r:"+ogm.Quote(t)+"]->() WHERE valueType("+v+") STARTS WITH 'LIST<STRING' RETURN 1 LIMIT 1", nil)
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				emptyNotStrings(props[t].props[k])
			}
		}
	}
	return nil
}
