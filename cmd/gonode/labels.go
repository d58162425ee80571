package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/auth"
	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

func newInstallLabelsCmd(g *globals) *cobra.Command {
	var load schema.LoadOptions
	var sync syncFlags
	cmd := &cobra.Command{
		Use:   "install-labels [--prune] [--dry-run] [--allow-outside-imports] SCHEMA...",
		Short: "Create the constraints and indexes the schemas declare",
		Long: `install-labels creates every uniqueness constraint and index that the
schemas declare, for node and relationship properties, with neomodel's names
(constraint_unique_<Label>_<prop>, index_<Label>_<prop>,
fulltext_index_<Label>_<prop>; text indexes are text_index_<Label>_<prop>).
What exists already is reported as found: running it twice changes nothing.
An index or constraint that exists under a declared name with another kind,
properties or options is reported as differing and left alone.

--prune also drops the constraints and indexes named in gonode's and
neomodel's scheme (constraint_unique_…, index_…, text_index_…,
fulltext_index_…, vector_index_…) that the schemas no longer declare, and
replaces those that differ: give it every schema of the database.
--dry-run prints the plan and changes nothing.

When the schemas import builtin:auth, it also creates their permissions
(Django's create_permissions): add_, change_, delete_ and view_<model> for
every node type, and those of each "permissions:" key, as Permission nodes
keyed by (app_label, codename), with the auth schema's own among them.

Imports stay inside each schema's module tree unless
--allow-outside-imports is given, as for generate.`,
		Example: `  gonode install-labels --db bolt://neo4j:secret@localhost:7687 models.yaml
  NEO4J_BOLT_URL=bolt://neo4j:secret@localhost:7687 gonode install-labels models.yaml
  gonode install-labels --prune --dry-run models.yaml   # what a sync would change
  gonode install-labels --prune models.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runInstallLabels(cmd, g, args, load, sync) },
	}
	addLoadFlags(cmd, &load)
	cmd.Flags().BoolVar(&sync.prune, "prune", false, "drop gonode-named constraints and indexes the schemas do not declare, replace those that differ")
	cmd.Flags().BoolVar(&sync.dryRun, "dry-run", false, "print the plan and change nothing")
	return cmd
}

// syncFlags are install-labels' --prune and --dry-run.
type syncFlags struct{ prune, dryRun bool }

// runInstallLabels installs the constraints and indexes of the schemas
// args, and their permissions when they use the auth schema.
func runInstallLabels(cmd *cobra.Command, g *globals, args []string, load schema.LoadOptions, sync syncFlags) error {
	s, err := load.Load(args...)
	if err != nil {
		return err
	}
	var runtime []*ogm.Schema
	for _, f := range s.Files {
		runtime = append(runtime, f.RuntimeSchema())
	}
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	return g.withDB(ctx, func(db *ogm.DB) error {
		plan, err := ogm.PlanSync(ctx, db, ogm.SyncOptions{Prune: sync.prune}, runtime...)
		if err != nil {
			return err
		}
		if sync.dryRun {
			reportPlan(out, plan, usesAuth(s))
			return nil
		}
		items, err := plan.Apply(ctx, db)
		reportLabels(out, items)
		if err != nil || !usesAuth(s) {
			return err
		}
		perms, err := auth.InstallPermissions(ctx, db, runtime...)
		if err != nil {
			return err
		}
		reportPermissions(out, perms)
		return nil
	})
}

// reportLabels writes what InstallLabels found, created, dropped and left
// differing, by owner, and the counts.
func reportLabels(out io.Writer, items []ogm.SchemaItem) {
	created, dropped, differs := 0, 0, 0
	owner := ""
	for _, it := range items {
		if it.Owner != owner {
			owner = it.Owner
			fmt.Fprintf(out, "%s:\n", owner)
		}
		fmt.Fprintf(out, "  %s\n", it)
		switch {
		case it.Created:
			created++
		case it.Dropped:
			dropped++
		case it.Differs != "":
			differs++
		}
	}
	found := len(items) - created - dropped - differs
	switch {
	case len(items) == 0:
		fmt.Fprintln(out, "the schemas declare no constraints or indexes")
	case created == 0 && dropped == 0 && differs == 0:
		fmt.Fprintf(out, "nothing to do: all %d constraints and indexes exist\n", len(items))
	default:
		msg := fmt.Sprintf("created %d, found %d", created, found)
		if dropped > 0 {
			msg += fmt.Sprintf(", dropped %d", dropped)
		}
		if differs > 0 {
			msg += fmt.Sprintf(", %d differ (install-labels --prune replaces them)", differs)
		}
		fmt.Fprintln(out, msg)
	}
}

// reportPlan writes a dry run's plan, by owner, and that nothing changed.
func reportPlan(out io.Writer, plan *ogm.SyncPlan, auth bool) {
	owner := ""
	changes := 0
	for _, st := range plan.Steps {
		if st.Owner != owner {
			owner = st.Owner
			fmt.Fprintf(out, "%s:\n", owner)
		}
		fmt.Fprintf(out, "  %s\n", st)
		if len(st.Cypher) > 0 {
			changes++
		}
	}
	if auth {
		fmt.Fprintln(out, "permissions: not installed by a dry run")
	}
	fmt.Fprintf(out, "dry run: %d of %d steps would change the database; nothing changed\n", changes, len(plan.Steps))
}

// reportPermissions writes what InstallPermissions found and created.
func reportPermissions(out io.Writer, perms []auth.PermissionItem) {
	fmt.Fprintln(out, "permissions:")
	created := 0
	for _, p := range perms {
		verb := "found"
		if p.Created {
			verb = "created"
			created++
		}
		fmt.Fprintf(out, "  %s permission %s (%s)\n", verb, p.Key(), p.Name)
	}
	if created == 0 {
		fmt.Fprintf(out, "nothing to do: all %d permissions exist\n", len(perms))
	} else {
		fmt.Fprintf(out, "created %d permissions, found %d\n", created, len(perms)-created)
	}
}

// usesAuth reports whether the schemas import the built-in auth schema.
func usesAuth(s *schema.Schema) bool {
	for _, f := range s.Files {
		if f.Builtin {
			return true
		}
	}
	return false
}

func newRemoveLabelsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove-labels",
		Short: "Drop every constraint and index (except lookup indexes)",
		Long: `remove-labels drops every constraint and every index of the database, except
the lookup indexes Neo4j keeps for labels and relationship types, and prints
each one it removed. Data is left alone.`,
		Example: `  gonode remove-labels --db bolt://neo4j:secret@localhost:7687`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close(ctx)
			removed, err := ogm.RemoveLabels(ctx, db)
			out := cmd.OutOrStdout()
			for _, it := range removed {
				fmt.Fprintf(out, "dropped %s %s\n", it.Kind, it.Name)
			}
			if err == nil {
				fmt.Fprintf(out, "removed %d constraints and indexes\n", len(removed))
			}
			return err
		},
	}
}
