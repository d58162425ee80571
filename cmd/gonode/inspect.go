package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/codegen"
	"github.com/gonode/gonode/infer"
	"github.com/gonode/gonode/inspect"
	"github.com/gonode/gonode/schema"
)

// inspectFlags are the flags of inspect-database.
type inspectFlags struct {
	writeTo          string
	noRelProps       bool
	noRelCardinality bool
	pkg              string
	generate         bool
	sample           int
	labels           []string
	bothDirections   []string
}

func newInspectCmd(g *globals) *cobra.Command {
	f := &inspectFlags{}
	cmd := &cobra.Command{
		Use:   "inspect-database [--db URL] [--write-to DIR] [flags]",
		Short: "Write a schema describing an existing database",
		Long: `inspect-database reads a Neo4j database and writes a schema in gonode's
language that describes it: node types from the labels and label combinations
(a label whose nodes all carry another, more common label extends it), their
properties with types inferred from the stored values, required properties,
unique constraints and indexes, and the relationships between node types with
their properties and a cardinality measured from the data. No plugin is
needed, and nothing is written to the database.

Labels, relationship types and keys that are not valid names are given valid
ones (the stored key is kept with db_property); whatever the schema language
cannot express is written as a comment where it belongs. Stored names are
kept exactly, control characters included; one that no schema can hold
(only white space) is left out, with a warning on stderr naming it. The
output always loads and generates.

The schema goes to stdout, or to DIR/schema.yaml with --write-to; --generate
also generates the Go package into DIR. Everything is rendered and every
target checked before anything is written, as generate does: a hand-written
Go file is never overwritten, each file is replaced atomically, and a
failure leaves DIR as it was.`,
		Example: `  gonode inspect-database --db bolt://neo4j:secret@localhost:7687
  gonode inspect-database --write-to internal/models --generate --package models
  gonode inspect-database --label Person --label 'Shop*' --sample 10000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInspect(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.writeTo, "write-to", "", "write DIR/schema.yaml (and the generated code with --generate) instead of printing the schema")
	fl.BoolVar(&f.noRelProps, "no-rel-props", false, "do not read relationship properties (no relationship models)")
	fl.BoolVar(&f.noRelCardinality, "no-rel-cardinality", false, "do not measure relationship cardinalities (all zero_or_more)")
	fl.StringArrayVar(&f.bothDirections, "direction-both", nil, "declare the relationships of type TYPE with direction: both, read either way (repeatable)")
	fl.StringVar(&f.pkg, "package", "models", "Go package name of the schema (its package: key)")
	fl.BoolVar(&f.generate, "generate", false, "also generate the Go package into the --write-to directory")
	fl.IntVar(&f.sample, "sample", 0, "look at no more than N nodes per label and relationships per type (default: all)")
	fl.StringArrayVar(&f.labels, "label", nil, "inspect only nodes with this label (repeatable; * matches any characters)")
	return cmd
}

func runInspect(cmd *cobra.Command, g *globals, f *inspectFlags) error {
	if f.generate && f.writeTo == "" {
		return errors.New("--generate needs --write-to DIR")
	}
	if f.sample < 0 {
		return errors.New("--sample must not be negative")
	}
	// Refuse a bad --package before reading the database ("" is
	// infer's default, models).
	if f.pkg != "" {
		if err := infer.CheckPackage(f.pkg); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	db, err := g.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	opts := inspect.Options{
		Labels:           f.labels,
		Sample:           f.sample,
		NoRelProperties:  f.noRelProps,
		NoRelCardinality: f.noRelCardinality,
	}
	if w := cmd.ErrOrStderr(); isTerminal(w) {
		opts.Progress = func(step string) { fmt.Fprintf(w, "inspect-database: %s\n", step) }
	}
	dbs, err := inspect.Database(ctx, db, opts)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	text, err := infer.YAML(dbs, infer.Options{Package: f.pkg, BothDirections: f.bothDirections, Warn: func(msg string) {
		fmt.Fprintf(stderr, "gonode: warning: %s\n", msg)
	}, Notice: func(msg string) {
		fmt.Fprintf(stderr, "gonode: note: %s\n", msg)
	}})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if f.writeTo == "" {
		_, err := out.Write(text)
		return err
	}
	changes, err := inspectChanges(f, text)
	if err != nil {
		return err
	}
	return apply(out, changes)
}

// inspectChanges plans what --write-to writes, rendering everything in
// memory first: the schema, and with --generate the generated files (as
// generate plans them: a hand-written file is never overwritten, stale
// generated files are removed).
func inspectChanges(f *inspectFlags, text []byte) ([]change, error) {
	path := filepath.Join(f.writeTo, infer.Path)
	changes := []change{{path: path, content: text}}
	if !f.generate {
		return changes, nil
	}
	s, err := schema.LoadBytes(path, text)
	if err != nil {
		return nil, err
	}
	files, err := codegen.Generate(s, codegen.Options{OutDir: f.writeTo})
	if err != nil {
		return nil, err
	}
	gen, err := plan(s, files)
	if err != nil {
		return nil, err
	}
	return append(changes, gen...), nil
}

// isTerminal reports whether w is a terminal (progress is shown there
// only).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
