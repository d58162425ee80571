package ogm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// InspectOptions tune Inspect.
type InspectOptions struct {
	// Labels limits the inspection to the nodes that carry at least one of
	// these labels (and to the relationships that start at them). A "*" in
	// a pattern matches any run of characters ("Shop*"). Every pattern must
	// match a label of the database. Nil inspects every node.
	Labels []string
	// Sample, when positive, looks at no more than Sample nodes per label
	// (and relationships per type) for the label combinations, property
	// types, required properties and cardinalities. Counts still come from
	// the database's count store and are exact. 0 inspects everything.
	Sample int
	// NoRelProperties skips the properties of relationships: no
	// relationship type gets properties, and they are not read.
	NoRelProperties bool
	// NoRelCardinality skips measuring how many relationships each node
	// has: every relationship is left without a measured cardinality.
	NoRelCardinality bool
	// Progress, when set, is called (from one goroutine at a time) as each
	// step of the inspection ends, with a short description of it.
	Progress func(step string)

	// scan forces a way of reading properties, for tests.
	scan scanMode
}

// scanMode is how Inspect reads property keys and types.
type scanMode int

const (
	scanAuto       scanMode = iota
	scanProcedures          // db.schema.nodeTypeProperties / relTypeProperties: fastest on a whole database
	scanCypher              // aggregate Cypher over the selected nodes (with a label filter or a sample)
)

// DBSchema is what Inspect found in a database: the node types, the
// relationship types between them, their properties with the value types
// seen, and the constraints and indexes. It is a plain description of the
// data, in the database's own names; codegen.SchemaFromDB turns it into a
// schema file.
//
// A node type is a set of labels that always occur together (an
// equivalence class: every node with one has the others). Its Label names
// it; the others are extra Labels. A node type extends another (Parent)
// when every one of its nodes also carries the other's label and the other
// has more nodes. Properties and relationships are given on the most
// general node type whose own nodes (those of no more specific type) have
// them; node types that extend it inherit them.
type DBSchema struct {
	// Nodes are the node types, sorted by Label.
	Nodes []DBNode
	// RelTypes are the relationship types that Nodes' relationships use,
	// sorted by Type, with their properties.
	RelTypes []DBRelType
	// Indexes are the constraints and indexes of the database that concern
	// the inspected labels and relationship types, sorted by Name. Placed
	// ones are also shown on their property (Unique, Index).
	Indexes []DBIndex
	// NodeCount is the number of nodes inspected (exact, from the count
	// store); Unlabelled the number of nodes without any label, which no
	// node type describes (0 with a label filter or a sample).
	NodeCount, Unlabelled int64
	// RelCount is the number of relationships of RelTypes.
	RelCount int64
	// Sample is InspectOptions.Sample: 0 when every node was looked at.
	Sample int
	// Notes are findings the data model cannot hold, one sentence each.
	Notes []string
}

// Node returns the node type whose Label is label, or nil.
func (s *DBSchema) Node(label string) *DBNode {
	for i := range s.Nodes {
		if s.Nodes[i].Label == label {
			return &s.Nodes[i]
		}
	}
	return nil
}

// RelType returns the relationship type typ, or nil.
func (s *DBSchema) RelType(typ string) *DBRelType {
	for i := range s.RelTypes {
		if s.RelTypes[i].Type == typ {
			return &s.RelTypes[i]
		}
	}
	return nil
}

// DBNode is a node type found in the database.
type DBNode struct {
	// Label is the label that names the node type.
	Label string
	// Labels are the other labels every node of the type carries that its
	// Parent's nodes do not all carry, sorted: labels that always occur
	// with Label, or (with a label filter) labels that were not selected.
	Labels []string
	// Parent is the Label of the node type this one extends, or "".
	Parent string
	// Count is the number of nodes with Label (the type and the types that
	// extend it), from the count store.
	Count int64
	// Properties are the type's own properties (not its Parent's), sorted
	// by Key.
	Properties []DBProperty
	// Relationships are the relationships that start at nodes of this type
	// (and are not given on its Parent), sorted by Type then Target.
	Relationships []DBRelationship
	// Notes are findings about this node type that the data model cannot
	// hold, one sentence each.
	Notes []string
}

// Property returns the property with the given key, or nil.
func (n *DBNode) Property(key string) *DBProperty { return findProp(n.Properties, key) }

// Relationship returns the relationship of type typ to the node type
// target, or nil.
func (n *DBNode) Relationship(typ, target string) *DBRelationship {
	for i := range n.Relationships {
		if n.Relationships[i].Type == typ && n.Relationships[i].Target == target {
			return &n.Relationships[i]
		}
	}
	return nil
}

// DBProperty is a property key of a node type or relationship type.
type DBProperty struct {
	// Key is the stored property key.
	Key string
	// Types are the value types seen, in Cypher's spelling without
	// "NOT NULL", sorted: "STRING", "INTEGER", "FLOAT", "BOOLEAN", "DATE",
	// "ZONED DATETIME", "LOCAL DATETIME", "LOCAL TIME", "ZONED TIME",
	// "DURATION", "POINT" (2D), "POINT 3D" (a 3D point, which Cypher also
	// calls POINT), and lists such as "LIST<INTEGER>" ("LIST<NOTHING>" for
	// an empty list, "LIST<POINT 3D>" for 3D points).
	Types []string
	// Required is true when every node of the type (every relationship of
	// the type) that was looked at has the key.
	Required bool
	// Unique is true when a single-property uniqueness constraint (or node
	// or relationship key) holds on the type's label and this key.
	Unique bool
	// Index is the kind of a single-property index on the type's label and
	// this key that no constraint owns: "range", "text", "fulltext",
	// "point", or "" for none.
	Index string
}

// DBRelationship is a relationship type seen going out of the nodes of a
// node type to the nodes of another.
type DBRelationship struct {
	// Type is the relationship type.
	Type string
	// Target is the Label of the node type at the end of the relationships.
	Target string
	// Measured is true when the degrees below were measured
	// (InspectOptions.NoRelCardinality unset).
	Measured bool
	// Sources is the number of nodes of the source type looked at;
	// WithAny how many of them have at least one such relationship; MaxOut
	// the most such relationships one of them has.
	Sources, WithAny, MaxOut int64
}

// DBRelType is a relationship type with the properties its relationships
// have.
type DBRelType struct {
	Type       string       // the relationship type
	Count      int64        // relationships of the type (count store)
	Properties []DBProperty // sorted by Key; nil with NoRelProperties
}

// Property returns the property with the given key, or nil.
func (t *DBRelType) Property(key string) *DBProperty { return findProp(t.Properties, key) }

func findProp(props []DBProperty, key string) *DBProperty {
	for i := range props {
		if props[i].Key == key {
			return &props[i]
		}
	}
	return nil
}

// DBIndex is a constraint or an index of the database.
type DBIndex struct {
	Name string // its name
	// Kind is "unique" (uniqueness constraint), "key" (node or
	// relationship key), "exists" (property existence), "type" (property
	// type constraint), or an index type: "range", "text", "fulltext",
	// "point", "vector".
	Kind string
	// Rel is true for a constraint or index on relationships.
	Rel bool
	// LabelsOrTypes and Properties are what it covers.
	LabelsOrTypes, Properties []string
	// Placed is true when a DBProperty shows it (Unique or Index), or when
	// it repeats on a node type what its Parent's property shows (as
	// install-labels creates it for inherited properties).
	Placed bool
}

// Inspect reads the database behind db and describes what it holds: node
// types (label combinations), their properties and value types, which
// properties every node has, constraints and indexes, and the
// relationships between node types with their properties and degrees. It
// needs no plugin and only reads.
//
// Property keys and types come from the built-in procedures
// db.schema.nodeTypeProperties and db.schema.relTypeProperties, which read
// the whole database but fast, unless a label filter or sample selects less
// than an eighth of the nodes: then from aggregate Cypher over the selected
// nodes. (With the procedures, a relationship type's properties are those
// of all its relationships, wherever they start.) Neither tells a 3D point
// from a 2D one: a second query per property key holding points (and per
// label carrying it) does. Counts come from the count store, and degrees
// from the degree store where a relationship type leads to one node type
// only.
// Independent queries run concurrently, each in a read transaction of its
// own.
func Inspect(ctx context.Context, db *DB, opts InspectOptions) (*DBSchema, error) {
	if db.scope(ctx) != nil {
		return nil, &Error{Op: "inspect", Kind: ErrQuery, Msg: "Inspect runs its own transactions; call it outside Write/Read"}
	}
	in := &inspector{db: db, opts: opts, start: time.Now()}
	return in.run(ctx)
}

// inspector holds the state of one Inspect call.
type inspector struct {
	db    *DB
	opts  InspectOptions
	start time.Time

	progressMu sync.Mutex

	counts   *graphCounts
	selected map[string]bool // the selected labels (every label without a filter)
	selOrder []string        // the selected labels, in token order
	filtered bool            // a label filter is in effect
	mode     scanMode
}

func (in *inspector) progress(format string, args ...any) {
	if in.opts.Progress == nil {
		return
	}
	in.progressMu.Lock()
	defer in.progressMu.Unlock()
	in.opts.Progress(fmt.Sprintf(format, args...) + fmt.Sprintf(" (%.1fs)", time.Since(in.start).Seconds()))
}

// rows runs a read query and returns its rows.
func (in *inspector) rows(ctx context.Context, query string, params map[string]any) ([][]any, error) {
	res, err := in.db.query(ctx, "inspect", reads, query, params)
	if err != nil {
		return nil, err
	}
	return res.Rows, nil
}

// group runs functions concurrently and remembers the first error, which
// cancels the others' context.
type group struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	cancel context.CancelFunc
}

func newGroup(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
				g.cancel()
			}
			g.mu.Unlock()
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

func (in *inspector) run(ctx context.Context) (*DBSchema, error) {
	counts, err := in.graphCounts(ctx)
	if err != nil {
		return nil, err
	}
	in.counts = counts
	in.progress("counted %d nodes and %d relationships", counts.nodes, counts.rels)
	if err := in.selectLabels(); err != nil {
		return nil, err
	}
	in.mode = in.opts.scan
	if in.mode == scanAuto {
		in.mode = in.chooseScan()
	}

	g, gctx := newGroup(ctx)
	var (
		indexes   []DBIndex
		combos    *comboSet
		nodeProps map[string]map[string]*propStat // combo key → property key → stat
		relProps  map[string]*relPropStat         // type → stats
		degrees   map[pairKey]*DBRelationship
		classes   *classSet
	)
	indexesRead := make(chan struct{})
	g.Go(func() (err error) {
		defer close(indexesRead)
		indexes, err = in.indexes(gctx)
		if err == nil {
			in.progress("read %d constraints and indexes", len(indexes))
		}
		return err
	})
	g.Go(func() (err error) {
		nodeProps, err = in.nodeProperties(gctx)
		if err == nil {
			in.progress("read node properties")
		}
		return err
	})
	if !in.opts.NoRelProperties {
		g.Go(func() (err error) {
			relProps, err = in.relProperties(gctx)
			if err == nil {
				in.progress("read relationship properties")
			}
			return err
		})
	}
	g.Go(func() error {
		var err error
		combos, err = in.combos(gctx)
		if err != nil {
			return err
		}
		in.progress("found %d label combinations", len(combos.list))
		<-indexesRead
		if gctx.Err() != nil {
			return gctx.Err()
		}
		classes = in.buildClasses(combos, indexes)
		degrees, err = in.measure(gctx, classes)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return in.assemble(classes, nodeProps, relProps, degrees, indexes), nil
}

// chooseScan picks the faster way to read properties. The procedures read
// every node of the database but do it about eight times faster than
// Cypher's properties() and valueType(): they win as soon as the selected
// nodes (or the sample) make up an eighth of the database. A sample that
// large is not worth taking: the inspection is then exact.
func (in *inspector) chooseScan() scanMode {
	var selected int64
	for _, l := range in.selOrder {
		n := in.counts.labelCount[l]
		if in.opts.Sample > 0 {
			n = min(n, int64(in.opts.Sample))
		}
		selected += n
	}
	if selected*8 < in.counts.nodes {
		return scanCypher
	}
	if in.opts.Sample > 0 {
		in.opts.Sample = 0
		in.progress("a sample of this size reads most of the database: inspecting every node instead")
	}
	return scanProcedures
}

// graphCounts is the count store: nodes per label, relationships per type
// and per (start label, type) and (type, end label).
type graphCounts struct {
	labels     []string // in token order
	labelCount map[string]int64
	types      []string // in token order
	relCount   map[string]int64
	out        map[[2]string]int64 // (start label, type)
	in         map[[2]string]int64 // (type, end label)
	nodes      int64
	rels       int64
}

// graphCounts reads the count store: db.stats.retrieve('GRAPH COUNTS') gives
// it in one call; without the right to call it, count-store queries give
// the same numbers.
func (in *inspector) graphCounts(ctx context.Context) (*graphCounts, error) {
	gc := &graphCounts{labelCount: map[string]int64{}, relCount: map[string]int64{}, out: map[[2]string]int64{}, in: map[[2]string]int64{}}
	rows, err := in.rows(ctx, "CALL db.labels() YIELD label RETURN label", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		gc.labels = append(gc.labels, r[0].(string))
	}
	rows, err = in.rows(ctx, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		gc.types = append(gc.types, r[0].(string))
	}
	rows, err = in.rows(ctx, "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data", nil)
	if err == nil && len(rows) == 1 {
		data, _ := rows[0][0].(map[string]any)
		for _, n := range asList(data["nodes"]) {
			m, _ := n.(map[string]any)
			c, _ := m["count"].(int64)
			if l, ok := m["label"].(string); ok {
				gc.labelCount[l] = c
			} else {
				gc.nodes = c
			}
		}
		for _, n := range asList(data["relationships"]) {
			m, _ := n.(map[string]any)
			c, _ := m["count"].(int64)
			t, hasType := m["relationshipType"].(string)
			start, hasStart := m["startLabel"].(string)
			end, hasEnd := m["endLabel"].(string)
			switch {
			case !hasType && !hasStart && !hasEnd:
				gc.rels = c
			case hasType && hasStart:
				gc.out[[2]string{start, t}] = c
			case hasType && hasEnd:
				gc.in[[2]string{t, end}] = c
			case hasType:
				gc.relCount[t] = c
			}
		}
		return gc, nil
	}
	if err != nil && !refused(err) {
		return nil, err // not a refusal of the procedure: a real failure
	}
	// Count-store queries, batched with UNION ALL.
	var parts []string
	params := map[string]any{}
	add := func(q string, a, b string) {
		i := len(parts)
		params[fmt.Sprintf("a%d", i)] = a
		params[fmt.Sprintf("b%d", i)] = b
		parts = append(parts, fmt.Sprintf("%s RETURN $a%d AS a, $b%d AS b, count(*) AS c", q, i, i))
	}
	add("MATCH (n)", "", "")
	add("MATCH ()-[r]->()", "", "*")
	for _, l := range gc.labels {
		add("MATCH (n:"+Quote(l)+")", l, "")
	}
	for _, t := range gc.types {
		add("MATCH ()-[r:"+Quote(t)+"]->()", "", t)
		for _, l := range gc.labels {
			add("MATCH (:"+Quote(l)+")-[r:"+Quote(t)+"]->()", l, ">"+t)
			add("MATCH ()-[r:"+Quote(t)+"]->(:"+Quote(l)+")", l, "<"+t)
		}
	}
	for len(parts) > 0 {
		n := min(len(parts), 200)
		rows, err := in.rows(ctx, strings.Join(parts[:n], " UNION ALL "), params)
		if err != nil {
			return nil, err
		}
		parts = parts[n:]
		for _, r := range rows {
			a, b, c := r[0].(string), r[1].(string), r[2].(int64)
			switch {
			case a == "" && b == "":
				gc.nodes = c
			case b == "*":
				gc.rels = c
			case b == "":
				gc.labelCount[a] = c
			case a == "":
				gc.relCount[b] = c
			case b[0] == '>':
				gc.out[[2]string{a, b[1:]}] = c
			default:
				gc.in[[2]string{b[1:], a}] = c
			}
		}
	}
	return gc, nil
}

// refused reports whether err is the server refusing a query (a procedure
// that does not exist or that the user may not call), rather than a
// failure to reach it.
func refused(err error) bool {
	var e *Error
	return err != nil && errors.As(err, &e) && (e.Kind == ErrQuery || e.Kind == ErrDatabase)
}

func asList(v any) []any { l, _ := v.([]any); return l }

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// selectLabels resolves the label filter.
func (in *inspector) selectLabels() error {
	in.selected = map[string]bool{}
	present := func(l string) bool { return in.counts.labelCount[l] > 0 }
	if len(in.opts.Labels) == 0 {
		for _, l := range in.counts.labels {
			if present(l) {
				in.selected[l] = true
				in.selOrder = append(in.selOrder, l)
			}
		}
		return nil
	}
	in.filtered = true
	for _, pat := range in.opts.Labels {
		found := false
		for _, l := range in.counts.labels {
			if present(l) && matchLabel(pat, l) {
				found = true
				if !in.selected[l] {
					in.selected[l] = true
				}
			}
		}
		if !found {
			return &Error{Op: "inspect", Kind: ErrQuery, Msg: fmt.Sprintf("no node has a label matching %q", pat)}
		}
	}
	for _, l := range in.counts.labels {
		if in.selected[l] {
			in.selOrder = append(in.selOrder, l)
		}
	}
	return nil
}

// matchLabel matches a label against a pattern in which "*" stands for any
// run of characters (and nothing else is special).
func matchLabel(pattern, label string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == label
	}
	if !strings.HasPrefix(label, parts[0]) {
		return false
	}
	rest := label[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(rest, p) && len(rest) >= len(p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}

// nodeScopes are the starts of the queries binding n to every selected node
// (or a sample of each selected label's nodes).
//
// A sample is a UNION of one LIMIT per label; as the server's planning time
// grows with the branches, labels are taken sampleChunk at a time, one
// query each (a node with labels of two chunks is then counted twice).
func (in *inspector) nodeScopes() []string {
	if in.opts.Sample > 0 {
		var scopes []string
		for _, chunk := range chunks(in.selOrder, sampleChunk) {
			var parts []string
			for _, l := range chunk {
				parts = append(parts, "MATCH (n:"+Quote(l)+") RETURN n LIMIT $sample")
			}
			scopes = append(scopes, "CALL { "+strings.Join(parts, " UNION ")+" } ")
		}
		return scopes
	}
	if !in.filtered {
		return []string{"MATCH (n) "}
	}
	return []string{"MATCH (n" + in.labelDisjunction() + ") "}
}

// sampleChunk is the number of labels or types one sampling query covers.
const sampleChunk = 16

func chunks(list []string, n int) [][]string {
	var out [][]string
	for len(list) > 0 {
		k := min(n, len(list))
		out = append(out, list[:k])
		list = list[k:]
	}
	return out
}

// scopeRows runs query after each of the node scopes and returns all rows.
func (in *inspector) scopeRows(ctx context.Context, query string) ([][]any, error) {
	var all [][]any
	for _, scope := range in.nodeScopes() {
		rows, err := in.rows(ctx, scope+query, in.params())
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
	}
	return all, nil
}

// labelDisjunction is ":A|B|C" over the selected labels.
func (in *inspector) labelDisjunction() string {
	q := make([]string, len(in.selOrder))
	for i, l := range in.selOrder {
		q[i] = Quote(l)
	}
	return ":" + strings.Join(q, "|")
}

func (in *inspector) params() map[string]any {
	if in.opts.Sample > 0 {
		return map[string]any{"sample": in.opts.Sample}
	}
	return nil
}

// combo is one combination of labels that nodes carry.
type combo struct {
	labels []string // sorted
	key    string
	count  int64 // nodes (in the scope or sample) with exactly these labels
}

type comboSet struct {
	list  []*combo
	byKey map[string]*combo
}

func comboKey(labels []string) string { return strings.Join(labels, "\x00") }

func sortedLabels(v any) []string {
	ls := asStrings(v)
	sort.Strings(ls)
	return ls
}

// combos reads the label combinations of the selected nodes.
func (in *inspector) combos(ctx context.Context) (*comboSet, error) {
	rows, err := in.scopeRows(ctx, "RETURN labels(n) AS ls, count(*) AS c")
	if err != nil {
		return nil, err
	}
	cs := &comboSet{byKey: map[string]*combo{}}
	for _, r := range rows {
		ls := sortedLabels(r[0])
		key := comboKey(ls)
		if c := cs.byKey[key]; c != nil {
			c.count += r[1].(int64)
			continue
		}
		c := &combo{labels: ls, key: key, count: r[1].(int64)}
		cs.list = append(cs.list, c)
		cs.byKey[c.key] = c
	}
	sort.Slice(cs.list, func(i, j int) bool { return cs.list[i].key < cs.list[j].key })
	return cs, nil
}

// propStat is what was seen of one property key on one label combination
// (or relationship type).
type propStat struct {
	types     map[string]bool
	count     int64 // owners with the key (Cypher scan); -1 with the procedures
	mandatory bool  // every owner has it (procedures)
}

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
// combination: combo key → property key → stat. With the procedures, the
// key "" of a combination's map holds nothing and only marks it present.
func (in *inspector) nodeProperties(ctx context.Context) (map[string]map[string]*propStat, error) {
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
			st := &propStat{count: -1, types: map[string]bool{}}
			st.mandatory, _ = r[3].(bool)
			for _, t := range asStrings(r[2]) {
				st.types[procType(t)] = true
			}
			m[name] = st
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
	out := map[string]*relPropStat{}
	get := func(t string) *relPropStat {
		s := out[t]
		if s == nil {
			s = &relPropStat{props: map[string]*propStat{}}
			out[t] = s
		}
		return s
	}
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
			s := get(t)
			s.total = -1
			name, ok := r[1].(string)
			if !ok {
				continue
			}
			st := &propStat{count: -1, types: map[string]bool{}}
			st.mandatory, _ = r[3].(bool)
			for _, typ := range asStrings(r[2]) {
				st.types[procType(typ)] = true
			}
			s.props[name] = st
		}
		return out, in.relPointDims(ctx, out)
	}
	return in.relPropertiesCypher(ctx) // which tells 2D from 3D points too
}

// relPropertiesCypher is relProperties with aggregate Cypher.
func (in *inspector) relPropertiesCypher(ctx context.Context) (map[string]*relPropStat, error) {
	out := map[string]*relPropStat{}
	get := func(t string) *relPropStat {
		s := out[t]
		if s == nil {
			s = &relPropStat{props: map[string]*propStat{}}
			out[t] = s
		}
		return s
	}
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
				parts = append(parts, "MATCH "+src+"-[r:"+Quote(t)+"]->() RETURN r LIMIT $sample")
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
		s := get(r[0].(string))
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
		v := "n." + Quote(lk.key)
		rows, err := in.rows(ctx, "MATCH (n:"+Quote(lk.label)+") WHERE "+v+" IS NOT NULL "+limit+
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
	types := make([]string, 0, len(props))
	for t := range props {
		if in.relTypeUsed(t) {
			types = append(types, t)
		}
	}
	sort.Strings(types)
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
			v := "r." + Quote(k)
			rows, err := in.rows(ctx, "MATCH "+src+"-[r:"+Quote(t)+"]->() WHERE "+v+" IS NOT NULL "+limit+
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
// spelling: "Long" → "INTEGER", "StringArray" → "LIST<STRING>".
func procType(t string) string {
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

// indexes reads the constraints and the indexes.
func (in *inspector) indexes(ctx context.Context) ([]DBIndex, error) {
	var out []DBIndex
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
		out = append(out, DBIndex{Name: r[0].(string), Kind: kind, Rel: ent == "RELATIONSHIP",
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
		out = append(out, DBIndex{Name: r[0].(string), Kind: strings.ToLower(typ), Rel: ent == "RELATIONSHIP",
			LabelsOrTypes: asStrings(r[3]), Properties: asStrings(r[4])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// class is a node type: an equivalence class of selected labels.
type class struct {
	label    string   // the label naming it
	members  []string // every selected label of the class, label first
	extra    []string // its labels other than label, and foreign labels it always has
	parent   *class
	children []*class
	count    int64
	order    int      // token order of label
	combos   []*combo // the combinations whose most specific type it is
	notes    []string
}

// classSet is the node types and how label combinations map to them.
type classSet struct {
	list    []*class // by label
	byLabel map[string]*class
	direct  map[string]*class // combo key → its most specific node type
	combos  *comboSet
	seen    map[string]bool // every label of the inspected nodes
}

// isAncestor reports whether a is c or one of c's ancestors.
func (a *class) isAncestorOf(c *class) bool {
	for x := c; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}

func (c *class) depth() int {
	d := 0
	for x := c.parent; x != nil; x = x.parent {
		d++
	}
	return d
}

// buildClasses groups the selected labels into node types and finds which
// extends which, from the label combinations.
func (in *inspector) buildClasses(cs *comboSet, indexes []DBIndex) *classSet {
	hasSchema := map[string]bool{}
	for _, ix := range indexes {
		if !ix.Rel {
			for _, l := range ix.LabelsOrTypes {
				hasSchema[l] = true
			}
		}
	}
	order := map[string]int{}
	for i, l := range in.counts.labels {
		order[l] = i
	}
	// occurs[L]: combinations with L; co[L][M]: combinations with both.
	occurs := map[string]int{}
	co := map[string]map[string]int{}
	for _, c := range cs.list {
		if len(c.labels) == 0 {
			continue
		}
		for _, l := range c.labels {
			occurs[l]++
			if co[l] == nil {
				co[l] = map[string]int{}
			}
			for _, m := range c.labels {
				co[l][m]++
			}
		}
	}
	implies := func(l, m string) bool { return occurs[l] > 0 && co[l][m] == occurs[l] }
	all := make([]string, 0, len(occurs))
	for l := range occurs {
		all = append(all, l)
	}
	sort.Slice(all, func(i, j int) bool { return labelLess(order, all[i], all[j]) })

	set := &classSet{byLabel: map[string]*class{}, direct: map[string]*class{}, combos: cs, seen: map[string]bool{}}
	for _, l := range all {
		set.seen[l] = true
	}
	for _, l := range all {
		if !in.selected[l] || set.byLabel[l] != nil {
			continue
		}
		c := &class{}
		for _, m := range all {
			if in.selected[m] && implies(l, m) && implies(m, l) && in.counts.labelCount[l] == in.counts.labelCount[m] {
				c.members = append(c.members, m)
				set.byLabel[m] = c
			}
		}
		c.label = pickName(c.members, order, hasSchema)
		c.count = in.counts.labelCount[c.label]
		c.order = order[c.label]
		set.list = append(set.list, c)
	}
	// Parents: the nearest strict superset among the node types.
	for _, c := range set.list {
		var cands []*class
		for _, d := range set.list {
			if d != c && implies(c.label, d.label) && (!implies(d.label, c.label) || d.count > c.count) {
				cands = append(cands, d)
			}
		}
		if len(cands) == 0 {
			continue
		}
		var nearest *class
		for _, d := range cands {
			ok := true
			for _, e := range cands {
				if e != d && !implies(d.label, e.label) {
					ok = false
					break
				}
			}
			if ok {
				nearest = d
				break
			}
		}
		if nearest == nil {
			// Not a chain: every node has the labels of node types that
			// do not extend each other. Take the smallest.
			sort.Slice(cands, func(i, j int) bool {
				if cands[i].count != cands[j].count {
					return cands[i].count < cands[j].count
				}
				return cands[i].order < cands[j].order
			})
			nearest = cands[0]
		}
		c.parent = nearest
	}
	// Break any cycle (counts and combinations disagreeing under sampling).
	for _, c := range set.list {
		seen := map[*class]bool{c: true}
		for p := c.parent; p != nil; p = p.parent {
			if seen[p] {
				c.parent = nil
				break
			}
			seen[p] = true
		}
	}
	for _, c := range set.list {
		if c.parent != nil {
			c.parent.children = append(c.parent.children, c)
		}
	}
	// Labels of node types outside the chain that every node has.
	for _, c := range set.list {
		var also []string
		for _, d := range set.list {
			if d != c && implies(c.label, d.label) && !d.isAncestorOf(c) {
				also = append(also, d.label)
			}
		}
		if len(also) > 0 {
			c.notes = append(c.notes, fmt.Sprintf("every node also has the label(s) %s of node types it cannot extend (a node type extends one other)", quoteList(also)))
		}
	}
	// Extra labels: the other members, and foreign labels every node has
	// that the parent's nodes do not all have.
	for _, c := range set.list {
		for _, m := range c.members {
			if m != c.label {
				c.extra = append(c.extra, m)
			}
		}
		for _, f := range all {
			if in.selected[f] || !implies(c.label, f) {
				continue
			}
			if c.parent != nil && implies(c.parent.label, f) {
				continue
			}
			c.extra = append(c.extra, f)
		}
		sort.Strings(c.extra)
	}
	// The most specific node type of each combination.
	for _, cb := range cs.list {
		var in_ []*class
		for _, l := range cb.labels {
			if c := set.byLabel[l]; c != nil && !slices.Contains(in_, c) {
				in_ = append(in_, c)
			}
		}
		if len(in_) == 0 {
			continue
		}
		var best *class
		for _, c := range in_ {
			deepest := true
			for _, d := range in_ {
				if !d.isAncestorOf(c) {
					deepest = false
					break
				}
			}
			if deepest {
				best = c
				break
			}
		}
		if best == nil {
			sort.Slice(in_, func(i, j int) bool {
				if di, dj := in_[i].depth(), in_[j].depth(); di != dj {
					return di > dj
				}
				if in_[i].count != in_[j].count {
					return in_[i].count < in_[j].count
				}
				return in_[i].order < in_[j].order
			})
			best = in_[0]
			var others []string
			for _, d := range in_[1:] {
				if !d.isAncestorOf(best) {
					others = append(others, d.label)
				}
			}
			best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s of unrelated node types", cb.count, quoteList(others)))
		}
		set.direct[cb.key] = best
		best.combos = append(best.combos, cb)
		// Foreign labels on some nodes only.
		var some []string
		for _, l := range cb.labels {
			if !in.selected[l] && !slices.Contains(best.extra, l) && !inChainExtra(best, l) {
				some = append(some, l)
			}
		}
		if len(some) > 0 {
			best.notes = append(best.notes, fmt.Sprintf("%d node(s) also have the label(s) %s, which were not inspected", cb.count, quoteList(some)))
		}
	}
	sort.Slice(set.list, func(i, j int) bool { return set.list[i].label < set.list[j].label })
	return set
}

func inChainExtra(c *class, l string) bool {
	for x := c; x != nil; x = x.parent {
		if slices.Contains(x.extra, l) {
			return true
		}
	}
	return false
}

// pickName chooses the label that names a node type among labels that
// always occur together: one with a constraint or index if any
// (install-labels puts them on the type's own label), else the first one
// the database created (generated code writes the type's own label first).
func pickName(members []string, order map[string]int, hasSchema map[string]bool) string {
	best := members[0]
	for _, m := range members[1:] {
		if hasSchema[m] != hasSchema[best] {
			if hasSchema[m] {
				best = m
			}
			continue
		}
		if labelLess(order, m, best) {
			best = m
		}
	}
	return best
}

func labelLess(order map[string]int, a, b string) bool {
	oa, okA := order[a]
	ob, okB := order[b]
	if okA && okB && oa != ob {
		return oa < ob
	}
	return a < b
}

func quoteList(ls []string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = fmt.Sprintf("%q", l)
	}
	return strings.Join(q, ", ")
}

// subtree returns c and the node types that extend it, directly or not.
func (c *class) subtree() []*class {
	out := []*class{c}
	for i := 0; i < len(out); i++ {
		out = append(out, out[i].children...)
	}
	return out
}

// pairKey identifies one relationship: source node type, type, target node
// type.
type pairKey struct {
	source, typ, target string
}

// relPlan is where the relationships of one type go.
type relPlan struct {
	typ     string
	sources []*class // node types the relationship is given on
	targets []*class // one per tree of node types reached
	split   bool     // several targets: degrees are measured per target
	foreign []string // end labels that are no inspected node type
}

// planRelationships decides, from the count store, on which node types each
// relationship type is given and which node types it reaches.
func (in *inspector) planRelationships(set *classSet) []*relPlan {
	var plans []*relPlan
	for _, t := range in.counts.types {
		if in.counts.relCount[t] == 0 {
			continue
		}
		out := func(c *class) int64 { return in.counts.out[[2]string{c.label, t}] }
		inc := func(c *class) int64 { return in.counts.in[[2]string{t, c.label}] }
		direct := func(c *class, f func(*class) int64) int64 {
			n := f(c)
			for _, ch := range c.children {
				n -= f(ch)
			}
			return max(n, 0)
		}
		p := &relPlan{typ: t}
		for _, c := range set.list {
			if direct(c, out) == 0 {
				continue
			}
			covered := false
			for a := c.parent; a != nil; a = a.parent {
				if direct(a, out) > 0 {
					covered = true
					break
				}
			}
			if !covered {
				p.sources = append(p.sources, c)
			}
		}
		// A source whose own nodes have none of them, but whose subtypes
		// do, is found through those subtypes above; a type with sources
		// whose counts all cancel out (overlapping subtypes) falls back to
		// the node types that have any.
		if len(p.sources) == 0 {
			for _, c := range set.list {
				if out(c) > 0 && (c.parent == nil || out(c.parent) == 0) {
					p.sources = append(p.sources, c)
				}
			}
		}
		if len(p.sources) == 0 {
			continue
		}
		for _, root := range set.list {
			if root.parent != nil || inc(root) == 0 {
				continue
			}
			var ends []*class
			for _, c := range root.subtree() {
				if direct(c, inc) > 0 {
					ends = append(ends, c)
				}
			}
			p.targets = append(p.targets, lca(root, ends))
		}
		// End labels that no inspected node carries (with a label filter).
		for _, l := range in.counts.labels {
			if in.counts.in[[2]string{t, l}] > 0 && set.byLabel[l] == nil && !set.seen[l] {
				p.foreign = append(p.foreign, l)
			}
		}
		p.split = len(p.targets) > 1 || (len(p.foreign) > 0 && len(p.targets) > 0)
		plans = append(plans, p)
	}
	return plans
}

// lca is the nearest common ancestor of cs within the tree of root (root
// when cs is empty).
func lca(root *class, cs []*class) *class {
	if len(cs) == 0 {
		return root
	}
	cur := cs[0]
	for _, c := range cs[1:] {
		for cur != nil && !cur.isAncestorOf(c) {
			cur = cur.parent
		}
		if cur == nil {
			return root
		}
	}
	return cur
}

// measure finds the relationships between node types and, unless
// NoRelCardinality, their degrees: per source node type one query that
// reads each node's degrees (from the degree store when the relationship
// type leads to one node type only).
func (in *inspector) measure(ctx context.Context, set *classSet) (map[pairKey]*DBRelationship, error) {
	plans := in.planRelationships(set)
	type item struct {
		key     pairKey
		pattern string // the COUNT { } pattern from a
	}
	bySource := map[*class][]item{}
	var sources []*class
	for _, p := range plans {
		// With NoRelCardinality, a type leading to one node type needs no
		// query: the loop after the queries records its relationships.
		queried := !in.opts.NoRelCardinality || p.split
		for _, s := range p.sources {
			if queried {
				for _, tg := range p.targets {
					pat := "(a)-[:" + Quote(p.typ) + "]->()"
					if p.split {
						pat = "(a)-[:" + Quote(p.typ) + "]->(:" + Quote(tg.label) + ")"
					}
					if _, ok := bySource[s]; !ok {
						sources = append(sources, s)
					}
					bySource[s] = append(bySource[s], item{pairKey{s.label, p.typ, tg.label}, pat})
				}
			}
			for _, f := range p.foreign {
				s.notes = append(s.notes, fmt.Sprintf("relationships %q also lead to nodes labelled %q, which were not inspected", p.typ, f))
			}
			if len(p.targets) == 0 && len(p.foreign) == 0 {
				s.notes = append(s.notes, fmt.Sprintf("relationships %q lead to nodes without labels, which no node type describes", p.typ))
			}
		}
	}
	out := map[pairKey]*DBRelationship{}
	var mu sync.Mutex
	g, gctx := newGroup(ctx)
	sem := make(chan struct{}, 2)
	for _, s := range sources {
		items := bySource[s]
		g.Go(func() error {
			sem <- struct{}{}
			defer func() { <-sem }()
			if in.opts.NoRelCardinality {
				// Existence only (items hold only types leading to several
				// node types): one row, stopping at the first match.
				var checks []string
				for i, it := range items {
					checks = append(checks, fmt.Sprintf("EXISTS { MATCH %s } AS e%d", strings.Replace(it.pattern, "(a)", "(:"+Quote(s.label)+")", 1), i))
				}
				rows, err := in.rows(gctx, "RETURN "+strings.Join(checks, ", "), nil)
				if err != nil {
					return err
				}
				mu.Lock()
				for i, it := range items {
					if found, _ := rows[0][i].(bool); found {
						out[it.key] = &DBRelationship{Type: it.key.typ, Target: it.key.target}
					}
				}
				mu.Unlock()
				return nil
			}
			var q strings.Builder
			q.WriteString("MATCH (a:" + Quote(s.label) + ") ")
			if in.opts.Sample > 0 {
				q.WriteString("WITH a LIMIT $sample ")
			}
			q.WriteString("WITH ")
			for i, it := range items {
				if i > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "COUNT { %s } AS d%d", it.pattern, i)
			}
			q.WriteString(" RETURN count(*) AS n")
			for i := range items {
				fmt.Fprintf(&q, ", max(d%d), sum(sign(d%d))", i, i)
			}
			rows, err := in.rows(gctx, q.String(), in.params())
			if err != nil {
				return err
			}
			r := rows[0]
			n, _ := r[0].(int64)
			mu.Lock()
			for i, it := range items {
				maxOut, _ := r[1+2*i].(int64)
				withAny, _ := r[2+2*i].(int64)
				if withAny == 0 {
					continue
				}
				out[it.key] = &DBRelationship{Type: it.key.typ, Target: it.key.target, Measured: true,
					Sources: n, WithAny: withAny, MaxOut: maxOut}
			}
			mu.Unlock()
			in.progress("measured the relationships of %s", s.label)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// With NoRelCardinality, a type leading to one node type needs no check.
	if in.opts.NoRelCardinality {
		for _, p := range plans {
			if p.split {
				continue
			}
			for _, s := range p.sources {
				for _, tg := range p.targets {
					k := pairKey{s.label, p.typ, tg.label}
					out[k] = &DBRelationship{Type: p.typ, Target: tg.label}
				}
			}
		}
	}
	return out, nil
}

// assemble puts the findings together.
func (in *inspector) assemble(set *classSet, nodeProps map[string]map[string]*propStat, relProps map[string]*relPropStat,
	degrees map[pairKey]*DBRelationship, indexes []DBIndex) *DBSchema {
	s := &DBSchema{Sample: max(in.opts.Sample, 0)}
	for _, cb := range set.combos.list {
		if len(cb.labels) == 0 && !in.filtered {
			s.Unlabelled += cb.count
		}
	}
	// Node count: every selected node once. Without a filter the count
	// store's total less the unlabelled; with one, the sum over the
	// combinations (exact unless sampled; then an upper bound from counts).
	if !in.filtered {
		s.NodeCount = in.counts.nodes - s.Unlabelled
	} else if in.opts.Sample > 0 {
		for _, c := range set.list {
			if c.parent == nil {
				s.NodeCount += c.count
			}
		}
	} else {
		for _, cb := range set.combos.list {
			s.NodeCount += cb.count
		}
	}

	// Properties: given on each node type whose own nodes have the key,
	// unless an ancestor already has it.
	keys := map[string]map[*class]bool{} // key → node types whose own nodes have it
	for _, cb := range set.combos.list {
		c := set.direct[cb.key]
		if c == nil {
			continue
		}
		for k := range nodeProps[cb.key] {
			if keys[k] == nil {
				keys[k] = map[*class]bool{}
			}
			keys[k][c] = true
		}
	}
	props := map[*class][]DBProperty{}
	for k, classes := range keys {
		for c := range classes {
			covered := false
			for a := c.parent; a != nil; a = a.parent {
				if classes[a] {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
			p := DBProperty{Key: k, Required: true}
			types := map[string]bool{}
			for _, d := range c.subtree() {
				for _, cb := range d.combos {
					st := nodeProps[cb.key][k]
					if st == nil {
						p.Required = false
						continue
					}
					if !st.mandatory {
						p.Required = false
					}
					for t := range st.types {
						types[t] = true
					}
				}
			}
			p.Types = sortedKeys(types)
			props[c] = append(props[c], p)
		}
	}

	// Constraints and indexes onto the properties.
	relTypes := map[string]bool{}
	for k := range degrees {
		relTypes[k.typ] = true
	}
	var relTypeList []*DBRelType
	relTypeByName := map[string]*DBRelType{}
	for _, t := range in.counts.types {
		if !relTypes[t] {
			continue
		}
		rt := &DBRelType{Type: t, Count: in.counts.relCount[t]}
		if rs := relProps[t]; rs != nil {
			for k, st := range rs.props {
				rt.Properties = append(rt.Properties, DBProperty{Key: k, Types: sortedKeys(st.types), Required: st.mandatory})
			}
			sort.Slice(rt.Properties, func(i, j int) bool { return rt.Properties[i].Key < rt.Properties[j].Key })
		}
		relTypeList = append(relTypeList, rt)
		relTypeByName[t] = rt
		s.RelCount += rt.Count
	}
	for _, c := range set.list {
		sort.Slice(props[c], func(i, j int) bool { return props[c][i].Key < props[c][j].Key })
	}
	findDeclared := func(c *class, key string) (*DBProperty, *class) {
		for x := c; x != nil; x = x.parent {
			for i := range props[x] {
				if props[x][i].Key == key {
					return &props[x][i], x
				}
			}
		}
		return nil, nil
	}
	indexKinds := map[string]bool{"range": true, "text": true, "fulltext": true, "point": true}
	for i := range indexes {
		ix := &indexes[i]
		concerns := false
		for _, l := range ix.LabelsOrTypes {
			if (!ix.Rel && set.byLabel[l] != nil) || (ix.Rel && relTypeByName[l] != nil) {
				concerns = true
			}
		}
		if !concerns {
			ix.Name = "" // dropped below
		}
	}
	// Own properties first, then the constraints and indexes that repeat
	// an inherited property's on a node type that extends it.
	for _, inheritedPass := range []bool{false, true} {
		for i := range indexes {
			ix := &indexes[i]
			if ix.Name == "" || len(ix.LabelsOrTypes) != 1 || len(ix.Properties) != 1 {
				continue
			}
			owner, key := ix.LabelsOrTypes[0], ix.Properties[0]
			var p *DBProperty
			inherited := false
			if ix.Rel {
				if rt := relTypeByName[owner]; rt != nil {
					p = rt.Property(key)
				}
			} else if c := set.byLabel[owner]; c != nil && c.label == owner {
				var at *class
				p, at = findDeclared(c, key)
				inherited = at != nil && at != c
			}
			if p == nil || inherited != inheritedPass {
				continue
			}
			switch {
			case ix.Kind == "unique" || ix.Kind == "key":
				if inherited {
					ix.Placed = p.Unique
				} else {
					p.Unique, ix.Placed = true, true
				}
			case indexKinds[ix.Kind]:
				if inherited {
					ix.Placed = p.Index == ix.Kind
				} else if p.Index == "" {
					p.Index, ix.Placed = ix.Kind, true
				}
			case ix.Kind == "exists":
				ix.Placed = p.Required
			}
		}
	}
	for _, ix := range indexes {
		if ix.Name != "" {
			s.Indexes = append(s.Indexes, ix)
		}
	}
	for _, c := range set.list {
		n := DBNode{Label: c.label, Labels: c.extra, Count: c.count, Properties: props[c], Notes: c.notes}
		if c.parent != nil {
			n.Parent = c.parent.label
		}
		for k, r := range degrees {
			if k.source == c.label {
				n.Relationships = append(n.Relationships, *r)
			}
		}
		sort.Slice(n.Relationships, func(i, j int) bool {
			a, b := n.Relationships[i], n.Relationships[j]
			if a.Type != b.Type {
				return a.Type < b.Type
			}
			return a.Target < b.Target
		})
		s.Nodes = append(s.Nodes, n)
	}
	for _, rt := range relTypeList {
		s.RelTypes = append(s.RelTypes, *rt)
	}
	sort.Slice(s.RelTypes, func(i, j int) bool { return s.RelTypes[i].Type < s.RelTypes[j].Type })
	if s.Unlabelled > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d node(s) have no label; no node type describes them", s.Unlabelled))
	}
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
