// Package jsonschema writes the JSON Schema (draft 2020-12) of the JSON
// encoding of the Go code gonode generates: one document per node type and
// relationship model, from the same validated model (package schema) as
// the Go code, so that API documentation and clients can be generated
// from the schema. gonode jsonschema is its command.
//
// Generate returns the documents of a loaded schema in memory; Bundle joins
// them into one compound document. Each document is named
// <package>.<Type>.schema.json (people.Person.schema.json,
// auth.User.schema.json), its $id is that file name (or Options.BaseURL
// joined with it), and it refers to the documents of other types by their
// file names, so a directory of documents (or a URL they are published
// under) resolves by itself.
//
// # What a document says
//
// A node type's document is an object with:
//
//   - element_id: a string, read-only (absent while unsaved);
//   - every property the encoding writes, under its schema name (not its
//     db_property), inherited ones first: a subtype's document carries its
//     parents' properties and stands alone. Sensitive properties are
//     absent, and additionalProperties is false, so a document holding one
//     (a password hash) fails validation;
//   - extra, for a semi-structured node: an object of the undeclared stored
//     properties (strings, numbers, booleans, points, or lists of one kind
//     of those), whose keys are none of the declared stored keys;
//   - fetched, for a concrete node type with relationships: one key per
//     accessor (relationship or reverse accessor of the Go Fetched struct),
//     a $ref to the target's document, an array of them for a to-many
//     accessor, or null for a to-one accessor fetched with none; with a
//     relationship model, {"node": …, "rel": …} pairs whose rel refers to
//     the model's document with type fixed to the relationship type.
//
// required lists the properties the encoding of a valid value always
// holds: the required properties (Validate refuses a value without them)
// and those whose Go field is plain, not a pointer (an int, float, bool or
// duration whose default is the zero value), which are always written.
// element_id, extra and fetched are never required.
//
// A relationship model's document has element_id, type, start_element_id
// and end_element_id (read-only strings, absent while unsaved), then the
// model's properties.
//
// Abstract node types get a document too: their Go struct is the value of
// relationships that target them, encoded with element_id and the
// abstract type's properties (it has no Fetched).
//
// Types: string and uid are strings; email a string of format email; int
// an integer; float a number; bool a boolean; date format date
// (YYYY-MM-DD); datetime format date-time (RFC 3339, with an offset);
// localdatetime LocalDateTimePattern (no zone, which date-time requires);
// duration DurationPattern (ISO 8601 as Neo4j prints it, with fractions and
// signs, which format duration's grammar has not); json any JSON value but
// null; point and point3d {"srid", "x", "y"[, "z"]} objects (in $defs);
// arrays are arrays of those. Options: choices are enum, min and max
// minimum and maximum, min_length and max_length minLength and maxLength
// (characters, as both count), pattern is pattern (see Pattern: the
// translation from Go's RE2 syntax to ECMA-262's), help is description,
// and a literal default is default, in the encoding's form. The formats
// are annotations unless a validator is told to assert them (2020-12's
// default); the patterns are always checked.
package jsonschema
