package ogm

// PropInfo describes one declared property, for validation messages,
// JSON, install-labels and inspection.
type PropInfo struct {
	Name     string    // schema name, e.g. "first_name"
	Key      string    // stored key (db_property, or Name)
	Type     string    // schema type, e.g. "string", "[int]"
	Required bool      // must be set
	Unique   bool      // uniqueness constraint
	Index    IndexKind // index to create, if any
	// Dimensions and Similarity configure a VectorIndex: the length of
	// every vector, and "cosine" or "euclidean".
	Dimensions int    `json:",omitempty"`
	Similarity string `json:",omitempty"`
	// NoQuantization keeps a VectorIndex's vectors at full precision
	// (quantization: false): exact scores, four times the memory.
	NoQuantization bool `json:",omitempty"`
	// Sensitive properties (a password hash, a token) are never written
	// to JSON, fmt or log/slog output nor read from JSON, and errors
	// hold no value of theirs.
	Sensitive bool
	// Form is how a temporal property is stored when not as Neo4j's
	// temporal value ("stored_as:"); nil for the native form. JSON
	// converts through it, so the JSON encoding keeps the Go type's.
	Form *TimeForm `json:",omitempty"`
}

// IndexKind is the index a property asks for.
type IndexKind string

// The index kinds of the schema language.
const (
	NoIndex       IndexKind = ""
	RangeIndex    IndexKind = "range"
	TextIndex     IndexKind = "text"
	FulltextIndex IndexKind = "fulltext"
	// VectorIndex is a vector index on a [float] property, for similarity
	// search (Nodes.Nearest); see PropInfo.Dimensions and Similarity.
	VectorIndex IndexKind = "vector"
)
