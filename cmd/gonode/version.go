package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gonode's version, and the server's when a database is given",
		Example: `  gonode version
  gonode version --db bolt://neo4j:secret@localhost:7687`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "gonode %s (%s, neo4j-go-driver %s)\n", gonodeVersion(), runtime.Version(), depVersion("github.com/neo4j/neo4j-go-driver/v5"))
			if g.url() == "" {
				return nil
			}
			ctx := cmd.Context()
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			res, err := db.Cypher(ctx, "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0], edition", nil)
			if err != nil {
				return err
			}
			for _, row := range res.Rows {
				fmt.Fprintf(out, "server %v %v (%v)\n", row[0], row[1], row[2])
			}
			return nil
		},
	}
}

func gonodeVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "unknown"
}
