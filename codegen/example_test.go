package codegen_test

import (
	"fmt"
	"path/filepath"

	"github.com/gonode/gonode/codegen"
)

func ExampleGenerate() {
	schema := []byte(`package: shop
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
	s, err := codegen.LoadBytes("shop.yaml", schema)
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

func ExampleLoadBytes() {
	_, err := codegen.LoadBytes("models.yaml", []byte(`package: app
nodes:
  Person:
    properties:
      name: {type: strng}
      age: {type: int, min: 10, max: 5}
`))
	fmt.Println(err)
	// Output:
	// models.yaml:5:20: unknown type "strng"; did you mean "string"?
	// models.yaml:6:29: min 10 is greater than max 5
}
