package search_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
	. "github.com/gonode/gonode/ogm/internal/example/search"
)

// TestInstallVectorIndexes: install-labels creates the vector indexes the
// schema declares, on nodes and on a relationship model, with neomodel's
// names and the declared dimensions and similarity; a second run finds them.
func TestInstallVectorIndexes(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	items, err := ogm.InstallLabels(ctx, db, Schema)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]any{
		"vector_index_Doc_embedding":   {int64(8), "COSINE", false},
		"vector_index_Doc_sketch":      {int64(3), "EUCLIDEAN", false},
		"vector_index_Doc_rough":       {int64(4), "COSINE", true},
		"vector_index_CITES_embedding": {int64(3), "COSINE", false},
	}
	reported := map[string]bool{}
	for _, it := range items {
		if it.Kind == "vector index" {
			reported[it.Name] = true
		}
	}
	res, err := db.Cypher(ctx, "SHOW INDEXES YIELD name, type, entityType, options WHERE type = 'VECTOR' RETURN name, entityType, options", nil)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, row := range res.Rows {
		name := row[0].(string)
		w, ok := want[name]
		if !ok {
			continue
		}
		found++
		if !reported[name] {
			t.Errorf("%s exists but InstallLabels did not report it", name)
		}
		cfg := row[2].(map[string]any)["indexConfig"].(map[string]any)
		// 5.x reports vector.quantization.enabled; 2026.x reports
		// vector.quantization.type (NONE when it is off).
		quantized, ok := cfg["vector.quantization.enabled"]
		if !ok {
			quantized = cfg["vector.quantization.type"] != "NONE"
		}
		if cfg["vector.dimensions"] != w[0] || cfg["vector.similarity_function"] != w[1] || quantized != w[2] {
			t.Errorf("%s: config %v, want dimensions %v similarity %v quantization %v", name, cfg, w[0], w[1], w[2])
		}
		if name == "vector_index_CITES_embedding" && row[1] != "RELATIONSHIP" {
			t.Errorf("%s is on a %v", name, row[1])
		}
	}
	if found != len(want) {
		t.Fatalf("found %d of the %d vector indexes: %v", found, len(want), res.Rows)
	}
	again, err := ogm.InstallLabels(ctx, db, Schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range again {
		if it.Created || it.Differs != "" || it.CoveredBy != "" {
			t.Errorf("second run: %s", it)
		}
	}
}

// TestInstallNodeIndexes: the node-level full-text indexes get their
// properties and options, and unique_together one composite constraint.
func TestInstallNodeIndexes(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	if _, err := ogm.InstallLabels(ctx, db, Schema); err != nil {
		t.Fatal(err)
	}
	res, err := db.Cypher(ctx, "SHOW INDEXES YIELD name, type, properties, options WHERE name IN ['fulltext_index_Doc_text', 'fulltext_index_Doc_tags'] RETURN name, properties, options.indexConfig ORDER BY name", nil)
	if err != nil || len(res.Rows) != 2 {
		t.Fatalf("%v %v", res, err)
	}
	tags, text := res.Rows[0], res.Rows[1]
	if p := fmt.Sprint(text[1]); p != "[title body]" {
		t.Errorf("text index on %s", p)
	}
	if c := text[2].(map[string]any); c["fulltext.analyzer"] != "english" || c["fulltext.eventually_consistent"] != false {
		t.Errorf("text index config %v", c)
	}
	if c := tags[2].(map[string]any); c["fulltext.analyzer"] != "whitespace" || c["fulltext.eventually_consistent"] != true {
		t.Errorf("tags index config %v", c)
	}
	res, err = db.Cypher(ctx, "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties WHERE name = 'constraint_unique_Doc_topic_rank' RETURN type, labelsOrTypes, properties", nil)
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0]) != "[UNIQUENESS [Doc] [topic rank]]" {
		t.Fatalf("composite constraint: %v %v", res, err)
	}
}

// TestInstallRefusesBadVectorOptions: a hand-made schema whose vector
// index cannot be sent fails with ErrValidation before anything runs.
func TestInstallRefusesBadVectorOptions(t *testing.T) {
	ctx := context.Background()
	c := &observed{}
	db := testenv.Open(t, ogm.WithObserver(c.observe))
	for _, p := range []ogm.PropInfo{
		{Name: "v", Key: "v", Type: "[float]", Index: ogm.VectorIndex, Dimensions: 0},
		{Name: "v", Key: "v", Type: "[float]", Index: ogm.VectorIndex, Dimensions: 3, Similarity: "cosine'}} DROP"},
	} {
		s := &ogm.Schema{Package: "bad", Nodes: []ogm.SchemaNode{{Name: "Bad", Label: testenv.Label(t), Props: []ogm.PropInfo{p}}}}
		_, err := ogm.InstallLabels(ctx, db, s)
		if !errorsIs(err, ogm.ErrValidation) {
			t.Errorf("%+v: err %v, want ErrValidation", p, err)
		}
	}
	if q := c.take(); len(q) != 0 {
		t.Errorf("queries sent: %q", q)
	}
}
