// Package schemacheck checks that the Schema variable of every generated
// package of this module is what install-labels reads from its schema
// file: the runtime view codegen's TestGenerate writes next to the schema
// as <schema>_runtime.json. codegen's TestGenerate also checks that this
// list names every generated package of the module.
package schemacheck

import (
	"encoding/json"
	"os"
	"testing"

	"example.com/gen/aliases"
	v "example.com/gen/aliases/lib"
	people "example.com/gen/design"
	"example.com/gen/design/shop"
	"example.com/gen/empty"
	blog "example.com/gen/imports"
	"example.com/gen/imports/common"
	inherit "example.com/gen/inheritance"
	rels "example.com/gen/relationships"
	"example.com/gen/starter"
	"example.com/gen/stored"
	"example.com/gen/storedforms"
	"example.com/gen/types"
	"github.com/gonode/gonode/ogm"
)

// packages maps each generated package's runtime view (relative to this
// directory) to its Schema variable.
var packages = map[string]*ogm.Schema{
	"../aliases/schema_runtime.json":        aliases.Schema,
	"../aliases/lib/v_runtime.json":         v.Schema,
	"../design/schema_runtime.json":         people.Schema,
	"../design/shop/schema_runtime.json":    shop.Schema,
	"../empty/schema_runtime.json":          empty.Schema,
	"../imports/schema_runtime.json":        blog.Schema,
	"../imports/common/common_runtime.json": common.Schema,
	"../inheritance/schema_runtime.json":    inherit.Schema,
	"../relationships/schema_runtime.json":  rels.Schema,
	"../stored/schema_runtime.json":         stored.Schema,
	"../storedforms/schema_runtime.json":    storedforms.Schema,
	"../types/schema_runtime.json":          types.Schema,
	"../starter/starter_runtime.json":       starter.Schema,
}

func TestSchemaVariables(t *testing.T) {
	for path, s := range packages {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var w, g any
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if gs, ws := canon(t, g), canon(t, w); gs != ws {
			t.Errorf("%s: the Schema variable differs from the schema's runtime view:\n got %s\nwant %s", path, gs, ws)
		}
	}
}

func canon(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
