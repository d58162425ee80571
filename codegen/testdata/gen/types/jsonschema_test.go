package types_test

// Every encoding the round trips of json_test.go produce (values read back
// from the real database) is also checked against the JSON Schema that
// gonode jsonschema writes for its type, with a real 2020-12 validator:
// the documents describe the encoding the generated code really writes.

import (
	"bytes"
	"sync"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gonode/gonode/jsonschema"
	"github.com/gonode/gonode/schema"
)

// jsonSchemas compiles the documents of schema.yaml once, by Go type name.
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
		sch, err := c.Compile(d.ID)
		if err != nil {
			return nil, err
		}
		out[d.Name] = sch
	}
	return out, nil
})

// conformsToJSONSchema fails t unless enc, the encoding of a value of the
// generated type named typ, is valid against that type's JSON Schema.
func conformsToJSONSchema(t *testing.T, typ string, enc []byte) {
	t.Helper()
	schemas, err := jsonSchemas()
	if err != nil {
		t.Fatalf("the JSON Schemas of schema.yaml: %v", err)
	}
	sch := schemas["types."+typ]
	if sch == nil {
		t.Fatalf("no JSON Schema for types.%s", typ)
	}
	v, err := validator.UnmarshalJSON(bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("the encoding of a %s does not match its JSON Schema: %v\n%s", typ, err, enc)
	}
}

// TestJSONSchemaRefusesWhatTheTypeRefuses: the check above can fail: a
// value the generated type would not encode (a misspelt key, a date
// written as a date-time) is refused by the same documents.
func TestJSONSchemaRefusesWhatTheTypeRefuses(t *testing.T) {
	schemas, err := jsonSchemas()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"s": 1}`,
		`{"d": "2024-01-31T00:00:00Z"}`,
		`{"dur": "1h30m"}`,
		`{"where": {"x": 1, "y": 2}}`,
		`{"nosuch": true}`,
	} {
		v, err := validator.UnmarshalJSON(bytes.NewReader([]byte(bad)))
		if err != nil {
			t.Fatal(err)
		}
		if schemas["types.Scalars"].Validate(v) == nil {
			t.Errorf("types.Scalars accepts %s", bad)
		}
	}
}
