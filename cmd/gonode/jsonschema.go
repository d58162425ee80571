package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/jsonschema"
	"github.com/gonode/gonode/schema"
)

func newJSONSchemaCmd() *cobra.Command {
	var outDir string
	var opts jsonschema.Options
	var load schema.LoadOptions
	cmd := &cobra.Command{
		Use:   "jsonschema [-o DIR] [--base-url URL] [--allow-outside-imports] SCHEMA...",
		Short: "Write the JSON Schema (2020-12) of the generated types' JSON",
		Long: `jsonschema writes a JSON Schema (draft 2020-12) of the JSON encoding of each
node type and relationship model of the schema files named on the command
line (abstract node types too), and of each type of an imported schema that
they refer to (builtin:auth's User, say). Each document describes what
encoding/json writes for a generated value: element_id, the properties under
their schema names with their types, formats, choices, bounds, lengths and
patterns, extra for semi-structured nodes, fetched relationships as
references to the targets' documents; sensitive properties are absent.

With -o, each document is written to DIR as <package>.<Type>.schema.json
(people.Person.schema.json, auth.User.schema.json): only the files that
change are written, each replaced atomically, and documents written earlier
for a package of these schemas that are no longer produced are removed. A
file in DIR that gonode jsonschema did not write is never replaced. Without
-o, one bundle is printed on stdout: a JSON Schema whose $defs hold every
document under its name (people.Person).

Each $id is the document's file name, or --base-url joined with it;
documents refer to each other by file name, so a directory of them (or the
URL they are published under) resolves by itself.

Everything is rendered in memory first. When a schema has errors (or a
pattern has no JSON Schema equivalent), each is printed as
file:line:col: message, the exit status is 1 and nothing is written.`,
		Example: `  gonode jsonschema models.yaml > models.schema.json
  gonode jsonschema -o api/schemas models.yaml
  gonode jsonschema -o api/schemas --base-url https://example.com/schemas/ models.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJSONSchema(cmd.OutOrStdout(), args, outDir, opts, load)
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "directory to write one <package>.<Type>.schema.json per type to (default: one bundle on stdout)")
	cmd.Flags().StringVar(&opts.BaseURL, "base-url", "", "absolute URL the documents are published under: each $id is URL/<file> (default: the file name alone)")
	addLoadFlags(cmd, &load)
	return cmd
}

func runJSONSchema(stdout io.Writer, schemas []string, outDir string, opts jsonschema.Options, load schema.LoadOptions) error {
	s, err := load.Load(schemas...)
	if err != nil {
		return err
	}
	docs, err := jsonschema.Generate(s, opts)
	if err != nil {
		return err
	}
	if outDir == "" {
		b, err := jsonschema.Bundle(docs)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	changes, err := planJSONSchema(s, docs, outDir)
	if err != nil {
		return err
	}
	return apply(stdout, changes)
}

// planJSONSchema lists the documents to write to dir (new or changed) and
// the documents to remove: those gonode jsonschema wrote earlier for a
// package of the root schemas that are no longer produced. It refuses to
// replace a file it did not write.
func planJSONSchema(s *schema.Schema, docs []jsonschema.Document, dir string) ([]change, error) {
	var changes []change
	produced := map[string]bool{}
	for _, d := range docs {
		path := filepath.Join(dir, d.File)
		produced[d.File] = true
		old, err := os.ReadFile(path)
		switch {
		case err == nil && bytes.Equal(old, d.Content):
			continue
		case err == nil && !jsonschema.IsGenerated(old):
			return nil, fmt.Errorf("%s exists and was not written by gonode jsonschema; move it away or choose another output directory", path)
		case err != nil && !errors.Is(err, os.ErrNotExist) && !isDirErr(path):
			return nil, err
		}
		changes = append(changes, change{path: path, content: d.Content})
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return changes, nil
	}
	if err != nil {
		return nil, err
	}
	var prefixes []string
	for _, f := range s.Roots() {
		prefixes = append(prefixes, f.Package+".")
	}
	var stale []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || produced[name] || !strings.HasSuffix(name, jsonschema.FileSuffix) || !hasAnyPrefix(name, prefixes) {
			continue
		}
		content, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !jsonschema.IsGenerated(content) {
			continue
		}
		stale = append(stale, filepath.Join(dir, name))
	}
	sort.Strings(stale)
	for _, p := range stale {
		changes = append(changes, change{path: p})
	}
	return changes, nil
}

// isDirErr reports whether path is a directory (which apply refuses with
// a clear message).
func isDirErr(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
