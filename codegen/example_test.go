package codegen_test

import (
	"fmt"
	"path/filepath"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/schema"
)

func ExampleGenerate() {
	text := []byte(`package: shop
nodes:
  Coffee:
    properties:
      name: {type: string, unique: true}
      price: {type: float, min: 0}
    relationships:
      suppliers: {to: Supplier, type: SUPPLIES, direction: in, model: Supplies}
  Supplier:
    properties:
      name: {type: string, required: true}
relationships:
  Supplies:
    properties:
      since: {type: date}
`)
	s, err := schema.LoadBytes("shop.yaml", text)
	if err != nil {
		fmt.Println(err)
		return
	}
	files, err := codegen.Generate(s, codegen.Options{OutDir: "shop"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Println(filepath.ToSlash(f.Path), codegen.GeneratedSource(f.Content))
	}
	// Output: shop/shop_gonode.go ../shop.yaml
}
