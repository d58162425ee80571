package people_test

// The encodings of json_test.go (nodes read back from the real database,
// with fetched relations, node/relationship pairs and semi-structured
// extras) are checked against what gonode jsonschema writes for
// schema.yaml, with a real 2020-12 validator.

import (
	"bytes"
	"sync"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gonode/gonode/jsonschema"
	"github.com/gonode/gonode/schema"
)

// jsonSchemas compiles the documents of schema.yaml once, by name
// ("people.Person").
var jsonSchemas = sync.OnceValues(func() (map[string]*validator.Schema, error) {
	s, err := schema.Load("schema.yaml")
	if err != nil {
		return nil, err
	}
	docs, err := jsonschema.Generate(s, jsonschema.Options{BaseURL: "https://schemas.test/"})
	if err != nil {
		return nil, err
	}
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	for _, d := range docs {
		doc, err := validator.UnmarshalJSON(bytes.NewReader(d.Content))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(d.ID, doc); err != nil {
			return nil, err
		}
	}
	out := map[string]*validator.Schema{}
	for _, d := range docs {
		if out[d.Name], err = c.Compile(d.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
})

// conformsToJSONSchema fails t unless enc is valid against the JSON
// Schema of name.
func conformsToJSONSchema(t *testing.T, name string, enc []byte) {
	t.Helper()
	schemas, err := jsonSchemas()
	if err != nil {
		t.Fatalf("the JSON Schemas of schema.yaml: %v", err)
	}
	v, err := validator.UnmarshalJSON(bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	if sch := schemas[name]; sch == nil {
		t.Errorf("no JSON Schema named %s", name)
	} else if err := sch.Validate(v); err != nil {
		t.Errorf("the encoding does not match the JSON Schema of %s: %v\n%s", name, err, enc)
	}
}
