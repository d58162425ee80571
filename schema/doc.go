// Package schema is gonode's schema language, and the schemas shipped with
// it (the auth schema, embedded in the binary so that any schema can import
// it without a file on disk).
//
// Load (and LoadFS, LoadBytes) turns YAML schema files into a resolved,
// validated Schema: node types with their properties, relationships,
// inheritance and permissions, relationship models, and the files they
// import. Every problem is reported at once, each as
// "file:line:col: message", in an ErrorList. Validate applies the same
// rules to a model made any other way (built in Go, inferred from a
// database): positions live on the model, so its errors have them too.
// Print writes one file of a model as YAML that loads back as the same
// model, with the comments a program attaches to its elements (Comments).
//
// # Rules the loader enforces
//
// Names:
//   - node and relationship model names are CamelCase: [A-Z][A-Za-z0-9]*;
//   - property, relationship, reverse and permission names are snake_case:
//     [a-z][a-z0-9]* words joined by single underscores; Go names are
//     derived with GoName ("user_id" → "UserID");
//   - stored names — the node key label:, the entries of labels:,
//     relationship types (type:) and db_property keys — may be any
//     non-empty string without a NUL character that is not only white
//     space ("my label 😀", "HAS PART", "a-b", "a\nb" with a newline): the
//     runtime quotes every name it puts in a query (ogm.Quote), and
//     generated code holds them in string literals only (comments write
//     them Go-quoted when they are not plain identifiers); control
//     characters are written as escapes in double-quoted YAML. Upper-case
//     relationship types are the convention, not a rule, so that schemas
//     written from an existing database load;
//   - "package:" is a lower-case Go package name, not a keyword, and not
//     main, ogm, context, time or neo4j; import aliases are lower-case
//     identifiers and not Go keywords;
//   - a property, relationship or reverse accessor may not take a Go name
//     that every generated node has (Save, Refresh, Delete, Validate,
//     ElementID, IsSaved, IsDeleted, NodeBase, Extra, Fetched), nor the
//     name of an ancestor (its embedded struct); a relationship or reverse
//     accessor with a model also generates the Fetched field <Acc>Rels
//     (and the function N<Acc>Match), which is a member too; a
//     relationship model property may not be Save, ElementID, RelType,
//     StartID, EndID or RelBase; the display method <Prop>Display of a
//     property with choices is a member too;
//   - the properties, relationships and reverse accessors of a node,
//     inherited ones included, have distinct Go names, and its properties
//     distinct stored keys;
//   - two elements of one file may not generate the same package-level
//     identifier, exported or not (derived.go has the full list: N, NType,
//     NNodes, NFetched, NFromModel, NModel, N<Property>,
//     N<Property>Choices, N<Relationship>, N<Relationship>Match for
//     relationships with a model, the functions <Target><Reverse> of reverse
//     accessors onto other packages, and the unexported relationship and
//     pattern variables); no node or model may be named Schema.
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
// the generated Go packages could not import each other. The target must
// resolve inside the importing file's module tree: the directory of the
// nearest go.mod above it (in LoadFS, in its fs.FS), or its own directory
// when there is none, and everything below; a path or a symbolic link
// leading out of it is refused before the file is read, unless
// LoadOptions.AllowOutsideImports allows it. An imported file is read as a
// schema only when it is a YAML mapping with a "package:" key; any other is
// refused at the import, and no message quotes its text. In every file,
// excerpts in messages are cut to 60 characters, messages to 500.
//
// Types: point is a 2D point (x and y, or longitude and latitude) and
// point3d a 3D one (with z, or height). Arrays ([T], or the YAML sequence
// [T]) may hold string, email, int, float, bool, date, datetime,
// localdatetime, duration, point and point3d; arrays of json and uid are
// refused. uid implies unique and a uuid default; it
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
// or uuid (string, uid); point and point3d take no default. A literal default must
// satisfy the property's choices, bounds, length and pattern.
//
// Relationships: direction both cannot have a reverse. A reverse accessor
// is a member of the target node (and of the nodes that extend it): it may
// not clash with their properties, relationships or other reverse
// accessors, whichever file declares them.
//
// Labels: the database label of a concrete node type is its name, or the
// string given by the node key label: (Node.DBLabel); an abstract node has
// no label of its own, so label: is refused on it. The label is used
// wherever the node's label is: LabelChain (the labels a node is written
// with), the generated NodeType's Label and Labels, the Schema variable and
// File.RuntimeSchema (install-labels names constraints and indexes after it). Two
// concrete node types, of one file or of different files, may not have the
// same label (the error goes to the importing file, or to the later node of
// one file), and an extra label may not be the label of another node type
// outside the node's inheritance chain (use extends).
//
// User models: the node-level keys username_field (a property name) and
// required_fields (a sequence of property names), Django's USERNAME_FIELD
// and REQUIRED_FIELDS, are allowed only on a user type: the User node of
// the auth schema (builtin:auth, or schema/auth.yaml loaded as a file) and
// every node type extending it, directly or not. username_field names a
// property of the node, own or inherited, of type string or email (not an
// array) and unique (a login must identify one user; auth.User's email is
// not unique, so logging in by email takes a unique email property of the
// subtype's own). required_fields names properties of the node, each once,
// and not the username field. A user type that declares neither inherits
// its parent's; auth.User's are username and none. Node.UserModel holds what
// applies to each user type.
//
// Permissions: codenames are snake_case (at most 100 characters), names are
// non-empty (at most 255), and a custom permission may not repeat a default
// one (add_, change_, delete_, view_ followed by the lower-cased node name).
//
// YAML: one document per file, UTF-8, spaces for indentation, no duplicate
// keys; anchors, aliases and merge keys (<<) are supported. Top-level keys
// starting with "x-" are ignored (as in Compose files), to hold anchors.
package schema
