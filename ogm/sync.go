package ogm

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Schema sync (issue #21): what install-labels would do, as a plan that
// can be printed before it is applied. Each declared constraint or index is
// compared with what exists of its name by kind, label (or relationship
// type), properties and the options gonode sets, not by name only; with
// Prune, the constraints and indexes in gonode's (and neomodel's) naming
// scheme that no schema declares are dropped, and those that differ are
// replaced.

// PlanAction is what a SyncStep does.
type PlanAction string

// The actions of a plan.
const (
	// PlanCreate creates a declared constraint or index that does not exist.
	PlanCreate PlanAction = "create"
	// PlanKeep leaves one that exists as declared.
	PlanKeep PlanAction = "keep"
	// PlanDiffers reports one that exists under the declared name with
	// another kind, properties or options, and leaves it (without Prune).
	PlanDiffers PlanAction = "differs"
	// PlanReplace drops one that differs and creates it as declared
	// (Prune).
	PlanReplace PlanAction = "replace"
	// PlanDrop drops one in gonode's naming scheme that no schema declares
	// (Prune).
	PlanDrop PlanAction = "drop"
)

// SyncStep is one constraint or index of a SyncPlan.
type SyncStep struct {
	Action PlanAction
	Owner  string // label or relationship type
	Name   string
	Kind   string // "unique constraint", "index", "vector index", …
	// Found describes what exists under Name when it differs from what the
	// schemas declare, or what is dropped.
	Found string `json:",omitempty"`
	// Cypher is what Apply runs for the step, in order (none for keep and
	// differs).
	Cypher []string `json:",omitempty"`
}

// String describes the step, e.g. "create vector index
// vector_index_Doc_embedding" or "drop index index_Old_name (RANGE index
// on :Old(name))".
func (s SyncStep) String() string {
	out := string(s.Action) + " " + s.Kind + " " + s.Name
	if s.Found != "" {
		out += " (" + s.Found + ")"
	}
	return out
}

// SyncPlan is what InstallLabels (or Apply) does to bring the database's
// constraints and indexes to what the schemas declare: drops first, then
// replacements, then creations, in schema order.
type SyncPlan struct {
	Steps []SyncStep
}

// Changes reports whether applying the plan changes anything.
func (p *SyncPlan) Changes() bool {
	for _, s := range p.Steps {
		if len(s.Cypher) > 0 {
			return true
		}
	}
	return false
}

// SyncOptions says how far PlanSync goes.
type SyncOptions struct {
	// Prune drops the constraints and indexes named in gonode's and
	// neomodel's scheme (constraint_unique_…, index_…, text_index_…,
	// fulltext_index_…, vector_index_…) that no schema declares, and
	// replaces those that differ. Give it every schema of the database:
	// what the others declare would be dropped.
	Prune bool
	// PruneOwners, when not empty, limits Prune to constraints and
	// indexes on these labels and relationship types.
	PruneOwners []string
}

// existing is one constraint or index of the database.
type existing struct {
	name       string
	constraint bool
	shape      schemaShape
	owned      bool // an index backing a constraint
}

// schemaShape is what a constraint or index is, for comparing what exists
// with what is declared: its type (RANGE, TEXT, POINT, FULLTEXT, VECTOR;
// UNIQUENESS for a constraint), node or relationship, the label or type,
// the keys, and the options gonode sets.
type schemaShape struct {
	constraint bool
	typ        string
	rel        bool
	owner      string
	keys       []string
	config     map[string]any
}

// propShape is the shape of the statement of kind for property p.
func propShape(kind string, rel bool, owner string, p PropInfo) schemaShape {
	sh := schemaShape{rel: rel, owner: owner, keys: []string{p.Key}}
	switch kind {
	case "unique constraint":
		sh.constraint, sh.typ = true, "UNIQUENESS"
	case "index":
		sh.typ = "RANGE"
	case "point index":
		sh.typ = "POINT"
	case "text index":
		sh.typ = "TEXT"
	case "fulltext index":
		sh.typ, sh.config = "FULLTEXT", fulltextConfig("", false)
	case "vector index":
		sh.typ = "VECTOR"
		sh.config = map[string]any{"vector.dimensions": int64(p.Dimensions), "vector.similarity_function": strings.ToUpper(similarityOf(p)),
			"vector.quantization.enabled": !p.NoQuantization}
	}
	return sh
}

// fulltextConfig is the index configuration of a full-text index.
func fulltextConfig(analyzer string, eventually bool) map[string]any {
	if analyzer == "" {
		analyzer = "standard-no-stop-words"
	}
	return map[string]any{"fulltext.analyzer": analyzer, "fulltext.eventually_consistent": eventually}
}

// String describes the shape, e.g. "RANGE index on :Person(age)".
func (s schemaShape) String() string {
	what := s.typ + " index"
	if s.constraint {
		what = "unique constraint"
	}
	on := ":" + s.owner
	if s.rel {
		on = "[:" + s.owner + "]"
	}
	out := what + " on " + on + "(" + strings.Join(s.keys, ", ") + ")"
	if len(s.config) > 0 {
		keys := make([]string, 0, len(s.config))
		for k := range s.config {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s: %v", k, s.config[k]))
		}
		out += " {" + strings.Join(parts, ", ") + "}"
	}
	return out
}

// matches reports whether what exists (s) is what is declared (want): the
// options are compared for the keys the server reports (older servers have
// no quantization setting).
func (s schemaShape) matches(want schemaShape) bool {
	if s.constraint != want.constraint || s.rel != want.rel || s.owner != want.owner || !slices.Equal(s.keys, want.keys) {
		return false
	}
	if want.constraint {
		if !strings.Contains(s.typ, "UNIQUENESS") {
			return false
		}
	} else if s.typ != want.typ {
		return false
	}
	for k, v := range want.config {
		got, ok := s.config[k]
		if ok && fmt.Sprint(got) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// schemaInventory reads the database's constraints and indexes by name.
func schemaInventory(ctx context.Context, db *DB) (map[string]existing, error) {
	out := map[string]existing{}
	res, err := db.Cypher(ctx, "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties RETURN name, type, entityType, labelsOrTypes, properties", nil)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		sh := schemaShape{constraint: true, typ: fmt.Sprint(row[1]), rel: row[2] == "RELATIONSHIP", owner: first(row[3]), keys: strs(row[4])}
		out[row[0].(string)] = existing{name: row[0].(string), constraint: true, shape: sh}
	}
	res, err = db.Cypher(ctx, "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, options, owningConstraint RETURN name, type, entityType, labelsOrTypes, properties, options, owningConstraint", nil)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		name := row[0].(string)
		if _, isConstraint := out[name]; isConstraint {
			continue // a constraint's own index shares its name
		}
		sh := schemaShape{typ: fmt.Sprint(row[1]), rel: row[2] == "RELATIONSHIP", owner: first(row[3]), keys: strs(row[4])}
		if opts, ok := row[5].(map[string]any); ok {
			if cfg, ok := opts["indexConfig"].(map[string]any); ok && len(cfg) > 0 {
				sh.config = cfg
			}
		}
		out[name] = existing{name: name, shape: sh, owned: row[6] != nil}
	}
	return out, nil
}

func first(v any) string {
	if s := strs(v); len(s) > 0 {
		return s[0]
	}
	return ""
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// gonodeName matches the names of gonode's (and neomodel's) scheme:
// prefix, then <owner>_<key>. Neo4j's own generated names (index_1a2b3c4d,
// constraint_1a2b3c4d) do not match.
var gonodeName = regexp.MustCompile(`^(constraint_unique|index|text_index|fulltext_index|vector_index)_.+_.+$`)

// PlanSync compares what the schemas declare with the database's
// constraints and indexes and returns the plan that InstallLabels (without
// Prune) or SyncPlan.Apply carries out. It changes nothing: a dry run.
func PlanSync(ctx context.Context, db *DB, opts SyncOptions, schemas ...*Schema) (*SyncPlan, error) {
	if err := checkVectorProps(schemas); err != nil {
		return nil, err
	}
	if err := checkNodeIndexes(schemas); err != nil {
		return nil, err
	}
	have, err := schemaInventory(ctx, db)
	if err != nil {
		return nil, err
	}
	var drops, replaces, rest []SyncStep
	declared := map[string]bool{}
	for _, st := range statements(schemas) {
		declared[st.name] = true
		step := SyncStep{Owner: st.owner, Name: st.name, Kind: st.kind}
		e, ok := have[st.name]
		switch {
		case !ok:
			step.Action, step.Cypher = PlanCreate, []string{st.cypher}
		case e.shape.matches(st.shape):
			step.Action = PlanKeep
		case opts.Prune && pruneOwner(opts, st.owner):
			step.Action, step.Found = PlanReplace, "exists as "+e.shape.String()+"; declared "+st.shape.String()
			step.Cypher = []string{dropStatement(e), st.cypher}
			replaces = append(replaces, step)
			continue
		default:
			step.Action, step.Found = PlanDiffers, "exists as "+e.shape.String()+"; declared "+st.shape.String()+"; install-labels --prune replaces it"
		}
		rest = append(rest, step)
	}
	if opts.Prune {
		names := make([]string, 0, len(have))
		for n := range have {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			e := have[n]
			if declared[n] || e.owned || e.shape.typ == "LOOKUP" || !gonodeName.MatchString(n) || !pruneOwner(opts, e.shape.owner) {
				continue
			}
			kind := "index"
			if e.constraint {
				kind = "constraint"
			}
			drops = append(drops, SyncStep{Action: PlanDrop, Owner: e.shape.owner, Name: n, Kind: kind, Found: e.shape.String(), Cypher: []string{dropStatement(e)}})
		}
	}
	return &SyncPlan{Steps: append(append(drops, replaces...), rest...)}, nil
}

// pruneOwner reports whether Prune may act on owner.
func pruneOwner(opts SyncOptions, owner string) bool {
	return len(opts.PruneOwners) == 0 || slices.Contains(opts.PruneOwners, owner)
}

func dropStatement(e existing) string {
	if e.constraint {
		return "DROP CONSTRAINT " + Quote(e.name) + " IF EXISTS"
	}
	return "DROP INDEX " + Quote(e.name) + " IF EXISTS"
}

// Apply carries out the plan: the statements of its steps, in order. It
// returns an item per step (Created for a creation or replacement,
// Dropped for a drop, Differs for what it left differing); a creation that
// an equivalent constraint or index of another name made unnecessary is
// reported with CoveredBy. Schema commands cannot share a transaction with
// data, so Apply refuses to run inside Write/Read.
func (p *SyncPlan) Apply(ctx context.Context, db *DB) ([]SchemaItem, error) {
	if db.scope(ctx) != nil {
		return nil, &Error{Op: "install labels", Kind: ErrQuery, Msg: "schema changes cannot run inside a transaction"}
	}
	var items []SchemaItem
	for _, s := range p.Steps {
		item := SchemaItem{Owner: s.Owner, Name: s.Name, Kind: s.Kind}
		for _, c := range s.Cypher {
			if _, err := db.Cypher(ctx, c, nil); err != nil {
				return items, err
			}
		}
		switch s.Action {
		case PlanCreate, PlanReplace:
			item.Created = true
		case PlanDrop:
			item.Dropped = true
		case PlanDiffers:
			item.Differs = s.Found
		}
		items = append(items, item)
	}
	// IF NOT EXISTS does nothing when an equivalent constraint or index with
	// another name exists; report that one.
	after, err := schemaNames(ctx, db)
	if err != nil {
		return items, err
	}
	for i, it := range items {
		if it.Created && !after[it.Name] {
			items[i].Created = false
			items[i].CoveredBy = "an equivalent of another name"
		}
	}
	return items, nil
}
