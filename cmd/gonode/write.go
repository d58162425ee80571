package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// change is one file a command writes or removes.
type change struct {
	path    string
	content []byte // nil: remove
}

// apply makes changes, reporting each on stdout ("wrote …", "removed …"),
// all or nothing as far as the file system allows. It first checks every
// target (a directory, or anything else that is not a regular file, cannot
// be replaced), then writes each new content to a temporary file in its
// target's directory; only when every one is written does it rename each
// over its target, so that readers never see a partial file, and remove
// the files to remove. A failure before the renames leaves every directory
// as it was: the temporary files, and the directories made for them, are
// removed.
func apply(stdout io.Writer, changes []change) error {
	for _, c := range changes {
		if err := replaceable(c.path); err != nil {
			return err
		}
	}
	var made []string // directories created, parents first
	tmps := make([]string, len(changes))
	cleanup := func() {
		for _, tmp := range tmps {
			if tmp != "" {
				os.Remove(tmp)
			}
		}
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i]) // only when still empty
		}
	}
	for i, c := range changes {
		if c.content == nil {
			continue
		}
		dirs, err := mkdirs(filepath.Dir(c.path))
		made = append(made, dirs...)
		if err == nil {
			tmps[i], err = stage(c.path, c.content)
		}
		if err != nil {
			cleanup()
			return err
		}
	}
	for i, c := range changes {
		var err error
		if c.content == nil {
			err = os.Remove(c.path)
		} else {
			err = os.Rename(tmps[i], c.path)
		}
		if err != nil {
			cleanup()
			return err
		}
		tmps[i] = ""
		verb := "wrote"
		if c.content == nil {
			verb = "removed"
		}
		fmt.Fprintf(stdout, "%s %s\n", verb, c.path)
	}
	return nil
}

// replaceable refuses a target that a file cannot be renamed over.
func replaceable(path string) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a directory; move it away or choose another output directory", path)
	case !st.Mode().IsRegular() && st.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("%s is not a regular file; move it away or choose another output directory", path)
	}
	return nil
}

// mkdirs makes dir and its missing parents, and returns those it made,
// parents first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append([]string{d}, missing...)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return missing, err
	}
	return missing, nil
}

// stage writes content to a new temporary file in the directory of path,
// with the mode of a generated file, and returns its name.
func stage(path string, content []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	_, err = tmp.Write(content)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}
