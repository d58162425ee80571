package schema_test

import (
	"fmt"

	"github.com/gonode/gonode/schema"
)

func ExampleLoadBytes() {
	_, err := schema.LoadBytes("models.yaml", []byte(`package: app
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
