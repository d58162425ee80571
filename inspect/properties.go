package inspect

import (
	"context"
	"sort"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// propStat is what was seen of one property key on one label combination
// (or relationship type).
type propStat struct {
	types     map[string]bool
	count     int64 // owners with the key (Cypher scan); -1 with the procedures
	mandatory bool  // every owner has it (procedures)
	empty     bool  // some owner holds it as "" (only looked for when mandatory)
}

// add records n owners whose value of the key has type typ.
func (p *propStat) add(typ string, n int64) {
	if p.types == nil {
		p.types = map[string]bool{}
	}
	p.types[typ] = true
	p.count += n
}

// relPropStat is what was seen of the properties of one relationship type.
type relPropStat struct {
	total int64 // relationships looked at (Cypher scan)
	props map[string]*propStat
}

// nodeProperties reads the property keys and value types of each label
// combination: combo key → property key → stat. With the procedures, a
// combination whose nodes have no property has an empty map.
func (in *inspector) nodeProperties(ctx context.Context) (map[string]map[string]*propStat, error) {
	out, err := in.nodePropertiesBy(ctx)
	if err != nil {
		return nil, err
	}
	return out, in.nodeEmptyStrings(ctx, out)
}

// nodePropertiesBy is nodeProperties without the empty strings, read with
// the procedures or Cypher.
func (in *inspector) nodePropertiesBy(ctx context.Context) (map[string]map[string]*propStat, error) {
	out := map[string]map[string]*propStat{}
	if in.mode == scanProcedures {
		rows, err := in.rows(ctx, "CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, propertyTypes, mandatory RETURN nodeLabels, propertyName, propertyTypes, mandatory", nil)
		if refused(err) {
			in.progress("db.schema.nodeTypeProperties refused: reading node properties with Cypher")
			return in.nodePropertiesCypher(ctx)
		}
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			key := comboKey(sortedLabels(r[0]))
			m := out[key]
			if m == nil {
				m = map[string]*propStat{}
				out[key] = m
			}
			name, ok := r[1].(string)
			if !ok {
				continue
			}
			m[name] = procStat(r[2], r[3])
		}
		if err := in.nodeEmptyLists(ctx, out); err != nil {
			return nil, err
		}
		return out, in.nodePointDims(ctx, out)
	}
	return in.nodePropertiesCypher(ctx) // which tells 2D from 3D points too
}

// nodePropertiesCypher is nodeProperties with aggregate Cypher.
func (in *inspector) nodePropertiesCypher(ctx context.Context) (map[string]map[string]*propStat, error) {
	out := map[string]map[string]*propStat{}
	rows, err := in.scopeRows(ctx, "WITH labels(n) AS ls, properties(n) AS p "+
		"RETURN ls, [k IN keys(p) | [k, valueType(p[k])]] AS kts, count(*) AS c")
	if err != nil {
		return nil, err
	}
	totals := map[string]int64{}
	for _, r := range rows {
		key := comboKey(sortedLabels(r[0]))
		n := r[2].(int64)
		totals[key] += n
		m := out[key]
		if m == nil {
			m = map[string]*propStat{}
			out[key] = m
		}
		addKeyTypes(m, r[1], n)
	}
	for key, m := range out {
		for _, st := range m {
			st.mandatory = st.count == totals[key]
		}
	}
	return out, in.nodePointDims(ctx, out)
}

// procStat is the stat of one row of db.schema.*TypeProperties, from its
// propertyTypes and mandatory columns.
func procStat(types, mandatory any) *propStat {
	st := &propStat{count: -1, types: map[string]bool{}}
	st.mandatory, _ = mandatory.(bool)
	for _, t := range asStrings(types) {
		st.types[procType(t)] = true
	}
	return st
}

// relStat is the stat of relationship type t in out, added if missing.
func relStat(out map[string]*relPropStat, t string) *relPropStat {
	s := out[t]
	if s == nil {
		s = &relPropStat{props: map[string]*propStat{}}
		out[t] = s
	}
	return s
}

// addKeyTypes adds a list of [key, valueType] pairs seen n times.
func addKeyTypes(m map[string]*propStat, kts any, n int64) {
	for _, kt := range asList(kts) {
		pair := asList(kt)
		if len(pair) != 2 {
			continue
		}
		k, _ := pair[0].(string)
		t, _ := pair[1].(string)
		st := m[k]
		if st == nil {
			st = &propStat{}
			m[k] = st
		}
		st.add(cypherType(t), n)
	}
}

// relProperties reads the property keys and value types of each
// relationship type.
func (in *inspector) relProperties(ctx context.Context) (map[string]*relPropStat, error) {
	out, err := in.relPropertiesBy(ctx)
	if err != nil {
		return nil, err
	}
	return out, in.relEmptyStrings(ctx, out)
}

// relPropertiesBy is relProperties without the empty strings, read with
// the procedures or Cypher.
func (in *inspector) relPropertiesBy(ctx context.Context) (map[string]*relPropStat, error) {
	out := map[string]*relPropStat{}
	if in.mode == scanProcedures {
		rows, err := in.rows(ctx, "CALL db.schema.relTypeProperties() YIELD relType, propertyName, propertyTypes, mandatory RETURN relType, propertyName, propertyTypes, mandatory", nil)
		if refused(err) {
			in.progress("db.schema.relTypeProperties refused: reading relationship properties with Cypher")
			return in.relPropertiesCypher(ctx)
		}
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			t, ok := parseRelType(r[0])
			if !ok {
				continue
			}
			s := relStat(out, t)
			s.total = -1
			name, ok := r[1].(string)
			if !ok {
				continue
			}
			s.props[name] = procStat(r[2], r[3])
		}
		if err := in.relEmptyLists(ctx, out); err != nil {
			return nil, err
		}
		return out, in.relPointDims(ctx, out)
	}
	return in.relPropertiesCypher(ctx) // which tells 2D from 3D points too
}

// relPropertiesCypher is relProperties with aggregate Cypher.
func (in *inspector) relPropertiesCypher(ctx context.Context) (map[string]*relPropStat, error) {
	out := map[string]*relPropStat{}
	src := "()"
	if in.filtered {
		src = "(n" + in.labelDisjunction() + ")"
	}
	scopes := []string{"MATCH " + src + "-[r]->() "}
	if in.opts.Sample > 0 {
		// One LIMIT per type, sampleChunk types per query.
		var types []string
		for _, t := range in.counts.types {
			if in.relTypeUsed(t) {
				types = append(types, t)
			}
		}
		scopes = nil
		for _, chunk := range chunks(types, sampleChunk) {
			var parts []string
			for _, t := range chunk {
				parts = append(parts, "MATCH "+src+"-[r:"+ogm.Quote(t)+"]->() RETURN r LIMIT $sample")
			}
			scopes = append(scopes, "CALL { "+strings.Join(parts, " UNION ")+" } ")
		}
	}
	var rows [][]any
	for _, scope := range scopes {
		r, err := in.rows(ctx, scope+"WITH type(r) AS t, properties(r) AS p RETURN t, [k IN keys(p) | [k, valueType(p[k])]] AS kts, count(*) AS c", in.params())
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	for _, r := range rows {
		s := relStat(out, r[0].(string))
		n := r[2].(int64)
		s.total += n
		addKeyTypes(s.props, r[1], n)
	}
	for _, s := range out {
		for _, st := range s.props {
			st.mandatory = st.count == s.total
		}
	}
	return out, in.relPointDims(ctx, out)
}

// relTypeUsed reports whether relationships of type t start at selected
// nodes.
func (in *inspector) relTypeUsed(t string) bool {
	for _, l := range in.selOrder {
		if in.counts.out[[2]string{l, t}] > 0 {
			return true
		}
	}
	return false
}

// usedRelTypes are the types of props that relTypeUsed keeps, sorted: the
// order the per-type queries run in.
func (in *inspector) usedRelTypes(props map[string]*relPropStat) []string {
	types := make([]string, 0, len(props))
	for t := range props {
		if in.relTypeUsed(t) {
			types = append(types, t)
		}
	}
	sort.Strings(types)
	return types
}

// comboMatch is the label expression (":A:B", each quoted) of a label
// combination's labels.
func comboMatch(labels []string) string {
	var b strings.Builder
	for _, l := range labels {
		b.WriteString(":" + ogm.Quote(l))
	}
	return b.String()
}

// parseRelType reads the relType column of db.schema.relTypeProperties:
// ":`TYPE`" with backticks doubled.
func parseRelType(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, ":`") || !strings.HasSuffix(s, "`") || len(s) < 3 {
		return "", false
	}
	return strings.ReplaceAll(s[2:len(s)-1], "``", "`"), true
}

// valueTypeExpr is a Cypher expression giving the type of the value v as
// valueType() does, except for points: valueType() and the procedures call
// 2D and 3D points both POINT, but they are different Go types, so a 3D
// point (a coordinate reference system ending in "-3d") is "POINT 3D", and
// a list of them "LIST<POINT 3D>".
func valueTypeExpr(v string) string {
	return "CASE valueType(" + v + ") " +
		"WHEN 'POINT NOT NULL' THEN CASE WHEN " + v + ".crs ENDS WITH '-3d' THEN 'POINT 3D' ELSE 'POINT' END " +
		"WHEN 'LIST<POINT NOT NULL> NOT NULL' THEN CASE WHEN any(q IN " + v + " WHERE q.crs ENDS WITH '-3d') THEN 'LIST<POINT 3D>' ELSE 'LIST<POINT>' END " +
		"ELSE valueType(" + v + ") END"
}

// isPointType reports whether t is a point type as valueType() and the
// procedures give it, which does not tell 2D from 3D.
func isPointType(t string) bool { return t == "POINT" || t == "LIST<POINT>" }

// pointTypes replaces the point types of st with seen, the types
// valueTypeExpr gave for the same values.
func pointTypes(st *propStat, seen []string) {
	for t := range st.types {
		if isPointType(t) {
			delete(st.types, t)
		}
	}
	for _, t := range seen {
		st.types[cypherType(t)] = true
	}
}

// nodePointDims tells 2D from 3D points where points were seen on the
// nodes of a selected label combination: a second look at these keys only,
// so that reading the properties of everything else costs nothing more.
// For each such key it reads the nodes of as few labels as cover those
// combinations (one query per label, on the label of a combination with
// the fewest nodes; with a sample, at most Sample nodes with the key).
func (in *inspector) nodePointDims(ctx context.Context, props map[string]map[string]*propStat) error {
	combosOf := map[string][][]string{} // key → label combinations with points under it
	for ck, m := range props {
		for k, st := range m {
			for t := range st.types {
				if isPointType(t) {
					combosOf[k] = append(combosOf[k], strings.Split(ck, "\x00"))
					break
				}
			}
		}
	}
	type labelKey struct{ label, key string }
	var todo []labelKey
	for k, combos := range combosOf {
		sort.Slice(combos, func(i, j int) bool {
			if len(combos[i]) != len(combos[j]) {
				return len(combos[i]) < len(combos[j])
			}
			return comboKey(combos[i]) < comboKey(combos[j])
		})
		chosen := map[string]bool{}
		for _, c := range combos {
			label := ""
			for _, l := range c {
				if chosen[l] {
					label = ""
					break
				}
				if in.selected[l] && (label == "" || in.counts.labelCount[l] < in.counts.labelCount[label]) {
					label = l
				}
			}
			if label != "" {
				chosen[label] = true
				todo = append(todo, labelKey{label, k})
			}
		}
	}
	sort.Slice(todo, func(i, j int) bool {
		return todo[i].label < todo[j].label || todo[i].label == todo[j].label && todo[i].key < todo[j].key
	})
	limit := ""
	if in.opts.Sample > 0 {
		limit = "WITH n LIMIT $sample "
	}
	for _, lk := range todo {
		v := "n." + ogm.Quote(lk.key)
		rows, err := in.rows(ctx, "MATCH (n:"+ogm.Quote(lk.label)+") WHERE "+v+" IS NOT NULL "+limit+
			"RETURN labels(n) AS ls, collect(DISTINCT "+valueTypeExpr(v)+") AS ts", in.params())
		if err != nil {
			return err
		}
		for _, r := range rows {
			if st := props[comboKey(sortedLabels(r[0]))][lk.key]; st != nil {
				pointTypes(st, asStrings(r[1]))
			}
		}
	}
	return nil
}

// relPointDims is nodePointDims for relationship properties: one query per
// relationship type and key, over the relationships that start at
// selected nodes (all of the type when the procedures read them).
func (in *inspector) relPointDims(ctx context.Context, props map[string]*relPropStat) error {
	types := in.usedRelTypes(props)
	src, limit := "()", ""
	if in.filtered && in.mode == scanCypher {
		src = "(n" + in.labelDisjunction() + ")"
	}
	if in.opts.Sample > 0 {
		limit = "WITH r LIMIT $sample "
	}
	for _, t := range types {
		keys := make([]string, 0, len(props[t].props))
		for k, st := range props[t].props {
			for typ := range st.types {
				if isPointType(typ) {
					keys = append(keys, k)
					break
				}
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := "r." + ogm.Quote(k)
			rows, err := in.rows(ctx, "MATCH "+src+"-[r:"+ogm.Quote(t)+"]->() WHERE "+v+" IS NOT NULL "+limit+
				"RETURN collect(DISTINCT "+valueTypeExpr(v)+")", in.params())
			if err != nil {
				return err
			}
			if len(rows) == 1 {
				pointTypes(props[t].props[k], asStrings(rows[0][0]))
			}
		}
	}
	return nil
}

// cypherType normalises a valueType() result: "LIST<INTEGER NOT NULL> NOT
// NULL" → "LIST<INTEGER>".
func cypherType(t string) string {
	return strings.ReplaceAll(t, " NOT NULL", "")
}

// procTypes maps the type names of db.schema.*TypeProperties (Java value
// class names) to Cypher's.
var procTypes = map[string]string{
	"String": "STRING", "Char": "STRING", "Character": "STRING",
	"Long": "INTEGER", "Integer": "INTEGER", "Int": "INTEGER", "Short": "INTEGER", "Byte": "INTEGER",
	"Double": "FLOAT", "Float": "FLOAT",
	"Boolean": "BOOLEAN",
	"Date":    "DATE", "DateTime": "ZONED DATETIME", "LocalDateTime": "LOCAL DATETIME",
	"LocalTime": "LOCAL TIME", "Time": "ZONED TIME", "Duration": "DURATION", "Point": "POINT",
}

// procType maps one type name of db.schema.*TypeProperties to Cypher's
// spelling: "Long" → "INTEGER", "StringArray" → "LIST<STRING>". Under
// Cypher 25 (a Neo4j 2025+ database set to it) the procedure names the
// types in Cypher already, with NOT NULL: "STRING NOT NULL".
func procType(t string) string {
	if strings.ToUpper(t) == t {
		return cypherType(t)
	}
	if elem, ok := strings.CutSuffix(t, "Array"); ok {
		if c, ok := procTypes[elem]; ok {
			return "LIST<" + c + ">"
		}
		return "LIST<" + strings.ToUpper(elem) + ">"
	}
	if c, ok := procTypes[t]; ok {
		return c
	}
	return strings.ToUpper(t)
}
