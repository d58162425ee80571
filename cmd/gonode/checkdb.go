package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/audit"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

func newCheckDatabaseCmd(g *globals) *cobra.Command {
	var load schema.LoadOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check-database [--json] [--allow-outside-imports] SCHEMA...",
		Short: "Report the data that breaks the schemas",
		Long: `check-database audits the data against the schemas and reports, per node
type, the nodes missing required properties, values that do not fit the
declared type, choices, min, max, max_length, min_length and pattern
violations, relationship cardinalities broken (checked from the node type
that declares each relationship, in its direction), duplicates that would
block a declared unique constraint (unique or unique_together), the
properties of relationships with a model (the same checks), and the
labels and relationship types the schemas do not know.

It prints a summary table (or, with --json, the report as JSON) and exits
with status 1 when it found anything, for CI and before migrations. It
runs a few aggregate queries per type, not one per node; progress goes to
stderr.`,
		Example: `  gonode check-database --db bolt://neo4j:secret@localhost:7687 models.yaml
  gonode check-database --json models.yaml > report.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := load.Load(args...)
			if err != nil {
				return err
			}
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			return g.withDB(ctx, func(db *ogm.DB) error {
				r, err := audit.Check(ctx, db, s, audit.Options{Progress: cmd.ErrOrStderr()})
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(out)
					enc.SetIndent("", "  ")
					if err := enc.Encode(r); err != nil {
						return err
					}
				} else {
					r.Table(out)
				}
				if n := len(r.Findings); n > 0 {
					return fmt.Errorf("check-database: %d findings", n)
				}
				return nil
			})
		},
	}
	addLoadFlags(cmd, &load)
	cmd.Flags().BoolVar(&asJSON, "json", false, "write the report as JSON")
	return cmd
}
