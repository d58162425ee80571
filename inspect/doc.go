// Package inspect describes what a Neo4j database holds, for
// `gonode inspect-database`: Database reads the node types (sets of labels
// that always occur together, and which extends which), their properties
// with the value types seen and whether every node has them, the
// constraints and indexes, and the relationships between node types with
// their properties and how many each node has. The result, a Schema, is a
// plain description in the database's own names; infer.YAML turns
// it into a schema file.
//
// It only reads, needs no plugin, and reaches the database through ogm's
// public API alone (ogm.DB.ReadCypher), each query in a read transaction of
// its own. What it reads:
//
//   - the labels and relationship types (db.labels, db.relationshipTypes);
//   - the count store: nodes per label, relationships per type and per
//     (start label, type) and (type, end label), in one call to
//     db.stats.retrieve('GRAPH COUNTS'), or with count queries where the
//     user may not call it;
//   - the label combinations of the selected nodes (one scan of labels(n));
//   - property keys and value types: the built-in procedures
//     db.schema.nodeTypeProperties and db.schema.relTypeProperties on a
//     whole database, aggregate Cypher over properties(n) and valueType()
//     when a label filter or a sample selects less than an eighth of the
//     nodes; then, for keys holding points, a second look that tells 3D
//     points from 2D ones, which neither does;
//   - SHOW CONSTRAINTS and SHOW INDEXES;
//   - per source node type, the degree of each relationship type
//     (COUNT { (a)-[:T]->() }, served by the degree store when the type
//     leads to one node type only); with Options.NoRelCardinality, only
//     whether any node has one, and only for types that lead to several
//     node types (the count store tells the others).
//
// The phases run concurrently where they do not depend on each other. The
// files follow them: counts.go (the count store), labels.go (label
// selection, the node scopes and label combinations), properties.go
// (property scans and point dimensions), indexes.go, classes.go (node types
// from label combinations), degrees.go (where relationships go and their
// cardinalities), and assemble.go (the findings put together into a
// Schema); inspect.go has Database and the orchestration, schema.go the
// result types.
package inspect
