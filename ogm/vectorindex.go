package ogm

import (
	"fmt"
	"reflect"
	"strconv"
)

// The similarity functions of vector indexes (PropInfo.Similarity).
const (
	// Cosine compares directions: the score is (1 + cos θ) / 2, from 0
	// (opposite) to 1 (same direction).
	Cosine = "cosine"
	// Euclidean compares positions: the score is 1 / (1 + d²), d the
	// Euclidean distance, from 1 (the same vector) towards 0.
	Euclidean = "euclidean"
)

// MaxVectorDimensions is the longest vector a vector index takes
// (Neo4j 5.26's limit).
const MaxVectorDimensions = 4096

// VectorIndexName is the name install-labels gives the vector index of the
// property stored as key on label (or relationship type) owner:
// vector_index_<owner>_<key>, as neomodel names it.
func VectorIndexName(owner, key string) string { return "vector_index_" + owner + "_" + key }

// similarityOf is p's similarity function, cosine when unset.
func similarityOf(p PropInfo) string {
	if p.Similarity == "" {
		return Cosine
	}
	return p.Similarity
}

// vectorOptions is the OPTIONS clause of p's vector index. Schema commands
// take no parameters for their options; the values are a whole number and
// one of two words, both checked by the schema loader and again by
// checkVectorProps before anything is sent.
func vectorOptions(p PropInfo) string {
	sim := similarityOf(p)
	q := ""
	if p.NoQuantization {
		q = ", `vector.quantization.enabled`: false"
	}
	return " OPTIONS {indexConfig: {`vector.dimensions`: " + strconv.Itoa(p.Dimensions) +
		", `vector.similarity_function`: '" + sim + "'" + q + "}}"
}

// checkVectorProps refuses a vector index whose options cannot be sent:
// schemas built by hand rather than generated from a validated schema.
func checkVectorProps(schemas []*Schema) error {
	bad := func(owner string, p PropInfo) error {
		sim := similarityOf(p)
		if p.Dimensions < 1 || p.Dimensions > MaxVectorDimensions {
			return &Error{Op: "install labels", Kind: ErrValidation,
				Msg: fmt.Sprintf("vector index on %s.%s: dimensions must be 1 to %d, found %d", owner, p.Key, MaxVectorDimensions, p.Dimensions)}
		}
		if sim != Cosine && sim != Euclidean {
			return &Error{Op: "install labels", Kind: ErrValidation,
				Msg: fmt.Sprintf("vector index on %s.%s: similarity must be cosine or euclidean, found %q", owner, p.Key, sim)}
		}
		return nil
	}
	for _, s := range schemas {
		for _, n := range s.Nodes {
			for _, p := range n.Props {
				if p.Index == VectorIndex {
					if err := bad(n.Label, p); err != nil {
						return err
					}
				}
			}
		}
		for _, r := range s.RelModels {
			for _, p := range r.Props {
				if p.Index == VectorIndex {
					if err := bad(r.Type, p); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// checkVectorLengths adds to v a violation for each vector-indexed
// property whose value (from encode, the value's stored properties) is set
// with a length other than its dimensions: the index would leave such a
// node out of every search, silently. encode runs only for types that have
// a vector index.
func checkVectorLengths(props []PropInfo, encode func() (map[string]any, error), v *Validator) {
	has := false
	for _, p := range props {
		has = has || p.Index == VectorIndex
	}
	if !has {
		return
	}
	stored, err := encode()
	if err != nil {
		return // the write's own encode reports it
	}
	for _, p := range props {
		if p.Index != VectorIndex || stored[p.Key] == nil {
			continue
		}
		rv := reflect.ValueOf(stored[p.Key])
		if rv.Kind() != reflect.Slice {
			continue
		}
		if n := rv.Len(); n != p.Dimensions {
			v.add(p.Name, "dimensions", nil, fmt.Sprintf("must have %d elements", p.Dimensions),
				"must have %d elements (its vector index's dimensions), has %d", p.Dimensions, n)
		}
	}
}
