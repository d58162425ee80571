// Package codegen loads gonode schemas and generates Go code from them.
//
// Load (and LoadFS, LoadBytes) turns YAML schema files into a resolved,
// validated Schema: node types with their properties, relationships,
// inheritance and permissions, relationship models, and the files they
// import. Every problem is reported at once, each as
// "file:line:col: message", in an ErrorList.
//
// # Rules the loader enforces beyond DESIGN.md
//
// Names:
//   - node and relationship model names are CamelCase: [A-Z][A-Za-z0-9]*;
//   - property, relationship, reverse and permission names are snake_case:
//     [a-z][a-z0-9]* words joined by single underscores; Go names are
//     derived with GoName ("user_id" → "UserID");
//   - relationship types, extra labels and db_property keys are plain
//     Cypher identifiers: [A-Za-z][A-Za-z0-9_]* (upper-case relationship
//     types are the convention, not a rule, so that schemas written from an
//     existing database load);
//   - "package:" is a lower-case Go package name, not a keyword, and not
//     main, ogm, context, time or neo4j; import aliases are lower-case
//     identifiers and not Go keywords;
//   - a property, relationship or reverse accessor may not take a Go name
//     that every generated node has (Save, Refresh, Delete, Validate,
//     ElementID, Labels, IsSaved, IsDeleted, String, MarshalJSON,
//     UnmarshalJSON, Nodes, DB, Extra, Fetched, Node), nor the name of an
//     ancestor (its embedded struct); a relationship model property may not
//     be Save, Refresh, Delete, Validate, ElementID, Type, StartNode,
//     EndNode, String, MarshalJSON or Rel;
//   - the properties, relationships and reverse accessors of a node,
//     inherited ones included, have distinct Go names, and its properties
//     distinct stored keys;
//   - two elements of one file may not generate the same package-level
//     identifier: the node and relationship model names, <Node>Nodes,
//     <Node>FromModel (nodes that extend another), <Node><Property>,
//     <Node><Relationship> and <Model><Property>.
//
// References: to, extends and model name a node (relationship model) of the
// same file by its bare name, or one of an imported file as alias.Name. A
// bare name never reaches into an import, so there is no ambiguity. Nodes
// may extend nodes of imported files, and relationships may point at
// abstract nodes. extends cycles, and chains of more than 32 levels, are
// refused.
//
// Imports: the target is builtin:auth or a path relative to the importing
// file (absolute paths are accepted). Each file is loaded once. A file
// imported by another must have a go_package. Import cycles are refused:
// the generated Go packages could not import each other.
//
// Types: arrays ([T], or the YAML sequence [T]) may hold string, email, int,
// float, bool, date, datetime, localdatetime, duration and point; arrays of
// json and uid are refused. uid implies unique and a uuid default; it
// refuses unique: false, index, required and any other default.
//
// Options: index is true, false, text (string, email) or fulltext (string,
// email and arrays of them), and cannot be combined with unique (a
// uniqueness constraint is already an index). max_length, min_length and
// pattern (a Go regexp) apply to string and email; min and max to int
// (whole numbers) and float; choices to string, email, int and float; on an
// array type they apply to each element. required and default are mutually
// exclusive. default is a literal of the property type (date "2024-01-31",
// datetime RFC 3339 with a zone, localdatetime "2024-01-31T12:00:00",
// duration a Go duration such as "1h30m", json any YAML value, an array a
// YAML sequence), or the unquoted words now (date, datetime, localdatetime)
// or uuid (string, uid); point takes no default. A literal default must
// satisfy the property's choices, bounds, length and pattern.
//
// Relationships: direction both cannot have a reverse. A reverse accessor
// is a member of the target node (and of the nodes that extend it): it may
// not clash with their properties, relationships or other reverse
// accessors, whichever file declares them.
//
// Labels: two concrete node types of different files may not have the same
// name (it is their database label; the error goes to the importing file),
// and an extra label may not be the label of another node type outside the
// node's inheritance chain (use extends).
//
// Permissions: codenames are snake_case (at most 100 characters), names are
// non-empty (at most 255), and a custom permission may not repeat a default
// one (add_, change_, delete_, view_ followed by the lower-cased node name).
//
// YAML: one document per file, UTF-8, spaces for indentation, no duplicate
// keys; anchors, aliases and merge keys (<<) are supported. Top-level keys
// starting with "x-" are ignored (as in Compose files), to hold anchors.
package codegen
