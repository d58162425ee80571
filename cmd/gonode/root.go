package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/ogm"
)

// Execute runs the gonode command line with args and returns the process exit
// status: 0 on success, 1 on any error (printed to stderr as "gonode: …").
func Execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "gonode: %v\n", err)
		if isUsageError(err) {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return 1
	}
	return 0
}

// globals are the flags every command shares.
type globals struct {
	db string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "gonode",
		Short: "Typed Go code and schema management for Neo4j",
		Long: `gonode compiles Neo4j node and relationship schemas written in YAML into
typed Go code (structs, managers, filters, relationship managers) that runs on
the ogm runtime, and manages the database side of those schemas.`,
		Example: `  gonode init -o models.yaml                      # a commented starter schema
  gonode generate models.yaml                     # writes models_gonode.go
  gonode jsonschema -o api/schemas models.yaml    # JSON Schemas of the types' JSON
  export NEO4J_BOLT_URL=bolt://neo4j:secret@localhost:7687
  gonode install-labels models.yaml               # constraints and indexes
  gonode inspect-database --write-to app --generate  # a schema (and code) from a database`,
		SilenceUsage:  true, // a failed command prints its error, not the usage
		SilenceErrors: true, // Execute prints errors once, with the gonode: prefix
	}
	root.PersistentFlags().StringVar(&g.db, "db", "",
		"Neo4j URL, e.g. bolt://neo4j:password@localhost:7687 (default $"+ogm.EnvURL+")")
	root.AddCommand(newVersionCmd(g))
	root.AddCommand(newInstallLabelsCmd(g), newRemoveLabelsCmd(g))
	root.AddCommand(newGenerateCmd(), newInitCmd(), newJSONSchemaCmd())
	root.AddCommand(newInspectCmd(g), newImportNeomodelCmd(), newCheckDatabaseCmd(g))
	root.AddCommand(newAuthCmd(g))
	return root
}

// url is the --db flag, or $NEO4J_BOLT_URL when the flag is not given.
func (g *globals) url() string {
	if g.db != "" {
		return g.db
	}
	return os.Getenv(ogm.EnvURL)
}

// open connects to the database the flags name.
func (g *globals) open(ctx context.Context) (*ogm.DB, error) {
	if g.url() == "" {
		return nil, fmt.Errorf("no database: pass --db URL or set %s", ogm.EnvURL)
	}
	return ogm.Open(ctx, g.url())
}

// withDB runs fn on a connection to the database the flags name, closed
// when fn returns.
func (g *globals) withDB(ctx context.Context, fn func(*ogm.DB) error) error {
	db, err := g.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	return fn(db)
}

// isUsageError tells cobra's command-line errors (unknown command or flag,
// wrong number of arguments) from failures of the work itself.
func isUsageError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires ", "invalid argument", "flag needs an argument"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}
