// Quickstart is neomodel's getting-started guide done with gonode. Run it
// with `make demo`, or `go run ./examples/quickstart` with NEO4J_BOLT_URL set.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/gonode/gonode/ogm"
)

func main() {
	if err := run(context.Background(), "", os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run walks through the guide against the database at url ("" reads
// $NEO4J_BOLT_URL), printing what it does to out.
func run(ctx context.Context, url string, out io.Writer) error {
	db, err := ogm.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close(ctx)

	// neomodel: results, meta = db.cypher_query("RETURN 'Hello World' as message")
	res, err := db.Cypher(ctx, "RETURN 'Hello World' AS message", nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, res.Rows[0][0])
	return nil
}
