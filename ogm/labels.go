package ogm

import (
	"context"
	"fmt"
	"strings"
)

// SchemaItem is one constraint or index that InstallLabels ensured.
type SchemaItem struct {
	Owner   string // node label or relationship type it applies to
	Name    string // e.g. constraint_unique_Person_name
	Kind    string // "unique constraint", "index", "text index", "fulltext index"
	Created bool   // false: it existed already
	// CoveredBy names an existing constraint or index of another name that
	// already does the job, so none was created (Neo4j refuses duplicates).
	CoveredBy string
	// Differs describes what exists under Name when it is not what the
	// schema declares (another kind, properties or options): left alone.
	Differs string `json:",omitempty"`
	// Dropped: removed by a pruning plan (PlanSync with Prune).
	Dropped bool `json:",omitempty"`
}

// String describes the item for reports, e.g.
// "created unique constraint constraint_unique_Person_name".
func (i SchemaItem) String() string {
	switch {
	case i.Dropped:
		return fmt.Sprintf("dropped %s %s", i.Kind, i.Name)
	case i.Differs != "":
		return fmt.Sprintf("differs: %s %s %s", i.Kind, i.Name, i.Differs)
	case i.CoveredBy != "":
		return fmt.Sprintf("found %s %s (as %s)", i.Kind, i.Name, i.CoveredBy)
	case i.Created:
		return fmt.Sprintf("created %s %s", i.Kind, i.Name)
	}
	return fmt.Sprintf("found %s %s", i.Kind, i.Name)
}

// schemaStatement is one constraint or index a schema asks for, and the
// shape it has once created (sync.go compares it with what exists).
type schemaStatement struct {
	owner, name, kind, cypher string
	shape                     schemaShape
}

// statements lists what the schemas declare, in schema order. Names follow
// neomodel, so one database can serve a neomodel app and a gonode app:
// constraint_unique_<Label>_<key>, index_<Label>_<key>,
// fulltext_index_<Label>_<key>, vector_index_<Label>_<key>, and
// text_index_<Label>_<key> (neomodel has no text indexes). As in neomodel, each node type's label gets the
// constraints of all its properties, inherited ones included.
func statements(schemas []*Schema) []schemaStatement {
	var out []schemaStatement
	for _, s := range schemas {
		for _, n := range s.Nodes {
			if n.Abstract || n.Label == "" {
				continue
			}
			for _, p := range n.Props {
				out = append(out, propStatements(n.Label, "(n:"+Quote(n.Label)+")", "n", p)...)
			}
			out = append(out, nodeStatements(n)...)
		}
		for _, r := range s.RelModels {
			for _, p := range r.Props {
				out = append(out, propStatements(r.Type, "()-[n:"+Quote(r.Type)+"]-()", "n", p)...)
			}
		}
	}
	return out
}

func propStatements(owner, pattern, v string, p PropInfo) []schemaStatement {
	prop := v + "." + Quote(p.Key)
	suffix := owner + "_" + p.Key
	var out []schemaStatement
	add := func(kind, name, cypher string) {
		out = append(out, schemaStatement{owner: owner, name: name, kind: kind, cypher: cypher,
			shape: propShape(kind, strings.HasPrefix(pattern, "()"), owner, p)})
	}
	if p.Unique {
		name := "constraint_unique_" + suffix
		add("unique constraint", name, "CREATE CONSTRAINT "+Quote(name)+" IF NOT EXISTS FOR "+pattern+" REQUIRE "+prop+" IS UNIQUE")
	}
	switch p.Index {
	case RangeIndex:
		name, kind, create := "index_"+suffix, "index", "CREATE INDEX "
		if p.Type == "point" || p.Type == "point3d" { // range indexes do not serve spatial queries
			kind, create = "point index", "CREATE POINT INDEX "
		}
		add(kind, name, create+Quote(name)+" IF NOT EXISTS FOR "+pattern+" ON ("+prop+")")
	case TextIndex:
		name := "text_index_" + suffix
		add("text index", name, "CREATE TEXT INDEX "+Quote(name)+" IF NOT EXISTS FOR "+pattern+" ON ("+prop+")")
	case FulltextIndex:
		name := "fulltext_index_" + suffix
		add("fulltext index", name, "CREATE FULLTEXT INDEX "+Quote(name)+" IF NOT EXISTS FOR "+pattern+" ON EACH ["+prop+"]")
	case VectorIndex:
		name := VectorIndexName(owner, p.Key)
		add("vector index", name, "CREATE VECTOR INDEX "+Quote(name)+" IF NOT EXISTS FOR "+pattern+" ON ("+prop+")"+vectorOptions(p))
	}
	return out
}

// InstallLabels creates every uniqueness constraint and index the schemas
// declare (neomodel's install_all_labels). It is idempotent: what exists as
// declared is reported as found and left alone; what exists under a
// declared name with another kind, properties or options is reported as
// differing (SchemaItem.Differs) and left alone too: PlanSync with Prune
// replaces it. It is PlanSync without Prune, applied. Schema commands
// cannot share a transaction with data, so InstallLabels refuses to run
// inside Write/Read.
func InstallLabels(ctx context.Context, db *DB, schemas ...*Schema) ([]SchemaItem, error) {
	if db.scope(ctx) != nil {
		return nil, &Error{Op: "install labels", Kind: ErrQuery, Msg: "schema changes cannot run inside a transaction"}
	}
	plan, err := PlanSync(ctx, db, SyncOptions{}, schemas...)
	if err != nil {
		return nil, err
	}
	return plan.Apply(ctx, db)
}

// schemaNames is the set of constraint and index names in the database.
func schemaNames(ctx context.Context, db *DB) (map[string]bool, error) {
	names := map[string]bool{}
	for _, q := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
		res, err := db.Cypher(ctx, q, nil)
		if err != nil {
			return nil, err
		}
		for _, row := range res.Rows {
			names[row[0].(string)] = true
		}
	}
	return names, nil
}

// RemoveLabels drops every constraint and every index except the lookup
// indexes Neo4j keeps for labels and relationship types (neomodel's
// remove_all_labels). It returns what it dropped, constraints first.
func RemoveLabels(ctx context.Context, db *DB) ([]SchemaItem, error) {
	if db.scope(ctx) != nil {
		return nil, &Error{Op: "remove labels", Kind: ErrQuery, Msg: "schema changes cannot run inside a transaction"}
	}
	var removed []SchemaItem
	// Constraints first: dropping one also drops the index that backs it.
	for _, step := range []struct{ list, drop, kind string }{
		{"SHOW CONSTRAINTS YIELD name, type RETURN name, type ORDER BY name", "DROP CONSTRAINT %s IF EXISTS", "constraint"},
		{"SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name, type ORDER BY name", "DROP INDEX %s IF EXISTS", "index"},
	} {
		res, err := db.Cypher(ctx, step.list, nil)
		if err != nil {
			return removed, err
		}
		for _, row := range res.Rows {
			name := row[0].(string)
			if _, err := db.Cypher(ctx, fmt.Sprintf(step.drop, Quote(name)), nil); err != nil {
				return removed, err
			}
			removed = append(removed, SchemaItem{Name: name, Kind: fmt.Sprintf("%v %s", row[1], step.kind)})
		}
	}
	return removed, nil
}
