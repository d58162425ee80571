package schema

import (
	"fmt"

	"github.com/gonode/gonode/ogm"
	"gopkg.in/yaml.v3"
)

// VectorOptions are the options of a vector index (index: vector): the
// length of every vector and how they are compared.
type VectorOptions struct {
	// Dimensions is the length of every vector, 1 to ogm.MaxVectorDimensions.
	Dimensions int
	// Similarity is ogm.Cosine or ogm.Euclidean; "" (not written) means
	// cosine.
	Similarity string
	// NoQuantization is set by "quantization: false": the index keeps
	// full-precision vectors, so its scores are exact (those of Exact
	// searches and vector.similarity.*) and its top k the exact one on
	// small sets, at four times the memory. By default Neo4j (5.23+)
	// quantizes, as it does for neomodel's indexes.
	NoQuantization bool
	// DimensionsPos and SimilarityPos are where the options' values are
	// written (zero in a model built in Go).
	DimensionsPos, SimilarityPos Pos
	// badDimensions is set when dimensions: is written with a value
	// already reported.
	badDimensions bool
}

// similarity is o's similarity function, cosine when not written.
func (o *VectorOptions) similarity() string {
	if o.Similarity == "" {
		return ogm.Cosine
	}
	return o.Similarity
}

// readVectorOptions reads dimensions and similarity into p.Vector. Their
// values are checked here, where they are written; whether they fit the
// property is vectorRule's.
func (s *src) readVectorOptions(p *Property, opts propOpts) {
	d, hasD := opts.m["dimensions"]
	sim, hasS := opts.m["similarity"]
	qu, hasQ := opts.m["quantization"]
	if !hasD && !hasS && !hasQ {
		return
	}
	if p.Index != ogm.VectorIndex {
		key := d
		if !hasD {
			key = sim
		}
		if !hasD && !hasS {
			key = qu
		}
		s.errorf(key.k, "%s applies to a vector index; add index: vector (on a [float] property)", key.key)
		return
	}
	o := &VectorOptions{}
	if hasD {
		o.badDimensions = true
		r := resolve(d.v)
		var v int
		if r == nil || r.Kind != yaml.ScalarNode || r.ShortTag() != tagInt || r.Decode(&v) != nil {
			s.errorf(d.v, "dimensions must be a whole number, found %s", describe(r))
		} else if v < 1 || v > ogm.MaxVectorDimensions {
			s.errorf(d.v, "dimensions must be 1 to %d, found %d", ogm.MaxVectorDimensions, v)
		} else {
			o.Dimensions, o.DimensionsPos, o.badDimensions = v, s.pos(d.v), false
		}
	}
	if hasS {
		if v, ok := s.str(sim.v, "similarity"); ok {
			if v != ogm.Cosine && v != ogm.Euclidean {
				s.errorf(sim.v, "similarity must be cosine or euclidean, found %s%s", quote(v),
					enumHint(v, map[string]string{"cos": "cosine", "l2": "euclidean", "euclid": "euclidean"}, []string{ogm.Cosine, ogm.Euclidean}))
			} else {
				o.Similarity, o.SimilarityPos = v, s.pos(sim.v)
			}
		}
	}
	if hasQ {
		if v, ok := s.boolean(qu.v, "quantization"); ok {
			o.NoQuantization = !v
		}
	}
	p.Vector = o
}

// vectorRule refuses, and drops, a vector index on a property that is not
// [float], or one without its dimensions.
func vectorRule(p *Property, at optionAt, errs *ErrorList) {
	if p.Index != ogm.VectorIndex {
		if p.Vector != nil {
			errs.add(at("dimensions", false), "dimensions and similarity apply to a vector index; add index: vector")
			p.Vector = nil
		}
		return
	}
	if p.Type.Kind != KindFloat || !p.Type.Array {
		errs.add(at("index", true), "index: vector needs a [float] property (the vector), not %s", p.Type)
		p.Index, p.Vector = ogm.NoIndex, nil
		return
	}
	if p.Vector == nil || p.Vector.Dimensions < 1 || p.Vector.Dimensions > ogm.MaxVectorDimensions {
		if p.Vector != nil && p.Vector.badDimensions {
			p.Index, p.Vector = ogm.NoIndex, nil
			return
		}
		errs.add(at("index", true), "index: vector needs dimensions: N, the length of every vector (1 to %d)", ogm.MaxVectorDimensions)
		p.Index, p.Vector = ogm.NoIndex, nil
		return
	}
	if s := p.Vector.Similarity; s != "" && s != ogm.Cosine && s != ogm.Euclidean {
		errs.add(at("similarity", true), "%s", fmt.Sprintf("similarity must be cosine or euclidean, found %s", quote(s)))
		p.Index, p.Vector = ogm.NoIndex, nil
	}
}
