package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gonode/gonode/schema"
	"github.com/gonode/gonode/templates"
)

func newInitCmd() *cobra.Command {
	var out, pkg string
	cmd := &cobra.Command{
		Use:   "init [-o FILE] [--package NAME]",
		Short: "Write a commented starter schema",
		Long: `init writes a commented starter schema (node types, properties of several
types, relationships, a relationship model, inheritance) to edit and then
compile with gonode generate. It never overwrites an existing file.

The package name defaults to the name of the directory the schema goes to,
when that is a valid Go package name, else to "models".`,
		Example: `  gonode init
  gonode init -o internal/models/schema.yaml --package models`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if pkg == "" {
				pkg = defaultPackage(out)
			}
			text, err := templates.Starter(pkg)
			if err != nil {
				return err
			}
			// The starter must be a valid schema with this package name.
			if _, err := schema.LoadBytes(out, text); err != nil {
				return fmt.Errorf("cannot use package name %q: %v", pkg, firstLine(err.Error()))
			}
			if dir := filepath.Dir(out); dir != "." {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s already exists; not overwriting it (choose another file with -o)", out)
			}
			if err != nil {
				return err
			}
			if _, err := f.Write(text); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (package %s); edit it, then run: gonode generate %s\n", out, pkg, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "schema.yaml", "the schema file to write")
	cmd.Flags().StringVar(&pkg, "package", "", "Go package name of the generated code (default: the directory's name, or models)")
	return cmd
}

var packageNameRe = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// defaultPackage is the name of the directory of schema when it makes a
// valid package name, else "models".
func defaultPackage(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "models"
	}
	name := strings.ToLower(filepath.Base(filepath.Dir(abs)))
	name = strings.NewReplacer("-", "", "_", "", ".", "").Replace(name)
	if !packageNameRe.MatchString(name) || name == "main" {
		return "models"
	}
	if _, err := schema.LoadBytes(path, []byte("package: "+name+"\n")); err != nil {
		return "models"
	}
	return name
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
