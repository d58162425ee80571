package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/gonode/gonode/ogm"
)

func main() {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		panic(err)
	}
	b, _ := os.ReadFile(os.Args[1])
	for _, q := range strings.Split(string(b), ";") {
		if strings.TrimSpace(q) == "" {
			continue
		}
		res, err := db.Cypher(ctx, q, nil)
		fmt.Println(q, err)
		if res != nil {
			for _, r := range res.Rows {
				fmt.Println(r)
			}
		}
	}
}
