package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxFileSize bounds the size of a schema file.
const maxFileSize = 8 << 20

// builtins are the schemas shipped with gonode, by import target.
var builtins = map[string][]byte{
	AuthPath: Auth,
}

// Load reads, resolves and validates the schema files at paths (and every
// file they import, transitively). Relative import paths are resolved
// against the directory of the importing file. It is LoadOptions{}.Load:
// imports stay inside the importing schema's module tree (see
// LoadOptions.AllowOutsideImports), and an imported file is read as a
// schema only when it is a YAML mapping with a "package:" key; otherwise
// it is refused at the import, without quoting its text.
//
// On success it returns the resolved model. Otherwise it returns a nil
// Schema and an error holding every problem found, sorted by position: an
// ErrorList (retrieve it with errors.As and a *ErrorList or **ErrorList
// target), whose Error() has one "file:line:col: message" line per problem.
// Excerpts of a schema's text in messages are short (60 characters), and
// every message is bounded. Loading never panics, whatever the input.
func Load(paths ...string) (*Schema, error) {
	return LoadOptions{}.Load(paths...)
}

// LoadFS is Load reading the files, and resolving imports, in fsys. Paths
// are slash-separated and relative to the root of fsys (see fs.ValidPath);
// an import that leaves fsys is reported as missing, and the module tree of
// a schema is that of the nearest go.mod above it in fsys.
func LoadFS(fsys fs.FS, paths ...string) (*Schema, error) {
	return LoadOptions{}.LoadFS(fsys, paths...)
}

// LoadBytes is Load for a single schema whose text is data and whose
// display path is name. Its imports are read from the file system, relative
// to the directory of name.
func LoadBytes(name string, data []byte) (*Schema, error) {
	return LoadOptions{}.LoadBytes(name, data)
}

// LoadOptions tune loading; the zero value is what Load, LoadFS and
// LoadBytes use.
type LoadOptions struct {
	// AllowOutsideImports lets an import resolve to a file outside the
	// module tree of the schema importing it. That tree is the directory
	// holding the nearest go.mod above the importing file (or, when there
	// is none, the importing file's own directory) and everything below
	// it; a symbolic link that leads out of it counts as outside. Without
	// it such an import is an error at the import, and the file is not
	// read: a schema cannot make gonode read, and quote in its errors,
	// files of the machine it is loaded on (gonode generate
	// --allow-outside-imports sets it). builtin: imports are unaffected.
	AllowOutsideImports bool
}

// Load is the package's Load with these options.
func (o LoadOptions) Load(paths ...string) (*Schema, error) {
	return load(osSource{}, paths, o)
}

// LoadFS is the package's LoadFS with these options.
func (o LoadOptions) LoadFS(fsys fs.FS, paths ...string) (*Schema, error) {
	return load(fsSource{fsys}, paths, o)
}

// LoadBytes is the package's LoadBytes with these options.
func (o LoadOptions) LoadBytes(name string, data []byte) (*Schema, error) {
	return load(osSource{overlay: map[string][]byte{osSource{}.key(filepath.Clean(name)): data}}, []string{name}, o)
}

// source is where schema files are read from.
type source interface {
	// clean returns the display path of a file named by the caller.
	clean(p string) string
	// join returns the display path of target imported from the file whose
	// display path is from.
	join(from, target string) string
	// key identifies a file, so that each file is loaded once.
	key(display string) string
	// read returns the content of a file.
	read(display string) ([]byte, error)
	// moduleRoot returns the module tree of the file whose display path is
	// from: the directory of the nearest go.mod above it, or its own
	// directory, as a display path, and which of the two it is.
	moduleRoot(from string) (root string, goMod bool)
	// outside returns, when the file whose display path is display is not
	// inside the tree root, the display path it is outside as (itself, or
	// where a symbolic link leads), else "".
	outside(root, display string) string
}

// osSource reads the operating system's file system.
type osSource struct {
	overlay map[string][]byte // by key: files whose content is given
}

func (osSource) clean(p string) string { return filepath.Clean(p) }

func (osSource) join(from, target string) string {
	t := filepath.FromSlash(target)
	if filepath.IsAbs(t) {
		return filepath.Clean(t)
	}
	return filepath.Join(filepath.Dir(from), t)
}

func (osSource) key(display string) string {
	if abs, err := filepath.Abs(display); err == nil {
		return abs
	}
	return display
}

func (o osSource) read(display string) ([]byte, error) {
	if data, ok := o.overlay[o.key(display)]; ok {
		return data, nil
	}
	st, err := os.Stat(display)
	if err := readable(st, err); err != nil {
		return nil, err
	}
	return os.ReadFile(display)
}

func (osSource) moduleRoot(from string) (string, bool) {
	start := filepath.Dir(from)
	abs, err := filepath.Abs(start)
	if err != nil {
		return start, false
	}
	for dir := abs; ; {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && st.Mode().IsRegular() {
			return displayLike(start, dir), true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return start, false
		}
		dir = parent
	}
}

func (o osSource) outside(root, display string) string {
	absRoot, err1 := filepath.Abs(root)
	abs, err2 := filepath.Abs(display)
	if err1 != nil || err2 != nil {
		return display
	}
	if !within(absRoot, abs) {
		return display
	}
	if _, overlaid := o.overlay[abs]; overlaid {
		return ""
	}
	// Where the file really is, through symbolic links (a file that does
	// not exist is reported as missing when it is read).
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return ""
	}
	if realRoot, err := filepath.EvalSymlinks(absRoot); err == nil && !within(realRoot, real) {
		return displayLike(display, real)
	}
	return ""
}

// within reports whether the absolute, clean path p is dir or below it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// displayLike writes the absolute path abs as a display path of the kind
// like is: absolute, or relative to the working directory.
func displayLike(like, abs string) string {
	if filepath.IsAbs(like) {
		return abs
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil {
			return rel
		}
	}
	return abs
}

// readable refuses what a schema file cannot be: missing, not a regular
// file (a directory, a device that never ends), or too large.
func readable(st fs.FileInfo, err error) error {
	switch {
	case err != nil:
		return err
	case !st.Mode().IsRegular():
		return errors.New("not a regular file")
	case st.Size() > maxFileSize:
		return fmt.Errorf("file is larger than %d bytes", maxFileSize)
	}
	return nil
}

// fsSource reads an fs.FS.
type fsSource struct{ fsys fs.FS }

func (fsSource) clean(p string) string { return path.Clean(filepath.ToSlash(p)) }

func (fsSource) join(from, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)
	}
	return path.Join(path.Dir(from), target)
}

func (fsSource) key(display string) string { return display }

func (f fsSource) read(display string) ([]byte, error) {
	if !fs.ValidPath(display) {
		return nil, fs.ErrNotExist
	}
	st, err := fs.Stat(f.fsys, display)
	if err := readable(st, err); err != nil {
		return nil, err
	}
	return fs.ReadFile(f.fsys, display)
}

func (f fsSource) moduleRoot(from string) (string, bool) {
	start := path.Dir(from)
	if !fs.ValidPath(start) {
		return start, false
	}
	for dir := start; ; dir = path.Dir(dir) {
		if st, err := fs.Stat(f.fsys, path.Join(dir, "go.mod")); err == nil && st.Mode().IsRegular() {
			return dir, true
		}
		if dir == "." {
			return start, false
		}
	}
}

// outside is lexical: fsys is the boundary of what it holds (a path that
// leaves it is reported as missing when it is read).
func (fsSource) outside(root, display string) string {
	if !fs.ValidPath(display) || root == "." {
		return ""
	}
	if display == root || strings.HasPrefix(display, root+"/") {
		return ""
	}
	return display
}

// loader holds the state of one Load call.
type loader struct {
	source source
	opts   LoadOptions
	errs   ErrorList
	files  []*File
	byKey  map[string]*File
}

func load(source source, paths []string, opts LoadOptions) (*Schema, error) {
	if len(paths) == 0 {
		return nil, errors.New("gonode: no schema file given")
	}
	l := &loader{source: source, opts: opts, byKey: map[string]*File{}}
	for _, p := range paths {
		display := source.clean(p)
		key := source.key(display)
		if f, ok := l.byKey[key]; ok {
			f.Root = true
			continue
		}
		f := &File{Path: display, Root: true}
		l.byKey[key] = f
		l.files = append(l.files, f)
		data, err := source.read(display)
		if err != nil {
			l.errs.add(Pos{File: display, Line: 1, Col: 1}, "cannot read schema: %s", readError(err))
			f.broken = true
			continue
		}
		l.parse(f, data, nil)
	}
	// l.files grows while imports are loaded: roots first, then imports in
	// the order they are first met.
	for i := 0; i < len(l.files); i++ {
		l.loadImports(l.files[i])
	}
	newChecker(l.files, &l.errs).checkModel()
	if len(l.errs) > 0 {
		return nil, l.errs.Err()
	}
	return &Schema{Files: l.files}, nil
}

// readError shortens a read error for a message.
func readError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "file not found"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parse parses the text of f; im is the import that brought f in, or nil
// for a root file.
//
// The text of an imported file is quoted in messages only once it is a
// YAML mapping with a "package:" key: any file could be imported, and one
// that is not a schema is refused at the import, in one error that says
// what it is not. A root file, which the caller named, is quoted in full
// when it is a mapping.
func (l *loader) parse(f *File, data []byte, im *Import) {
	s := &src{path: f.Path, data: data, errs: &l.errs, hidden: im != nil}
	root, ok := s.parse()
	if !ok {
		f.broken = true // already reported
		return
	}
	if why := notSchema(root); why != "" && im != nil {
		l.errs.add(im.Pos, "cannot import %s: %s is not a gonode schema (%s); its content is not shown", quote(im.Target), quote(f.Path), why)
		f.broken = true
		return
	}
	s.hidden = false
	s.checkDuplicateKeys(root)
	l.parseFile(s, f, root)
}

// notSchema says why the top node of a file is not that of a schema (a
// mapping with a "package:" key, directly or merged), or "".
func notSchema(root *yaml.Node) string {
	r := resolve(root)
	switch {
	case r == nil:
		return "it is empty"
	case r.Kind != yaml.MappingNode:
		return "it is not a YAML mapping"
	}
	quiet := &src{errs: &ErrorList{}}
	entries, _ := quiet.mapping(r, "a schema file")
	for _, e := range entries {
		if e.key == "package" {
			return ""
		}
	}
	return "it has no \"package:\" key"
}

// loadImports loads the files f imports that are not loaded yet.
func (l *loader) loadImports(f *File) {
	for _, im := range f.Imports {
		var display string
		var data []byte
		var readErr error
		builtin := strings.HasPrefix(im.Target, BuiltinPrefix)
		if builtin {
			b, ok := builtins[im.Target]
			if !ok {
				l.errs.add(im.Pos, "unknown builtin schema %s%s", quote(im.Target), didYouMean(im.Target, keysOf(builtins)))
				continue
			}
			display, data = im.Target, b
		} else {
			display = l.source.join(f.Path, im.Target)
			if msg := l.outsideImport(f, display); msg != "" {
				l.errs.add(im.Pos, "cannot import %s: %s", quote(im.Target), msg)
				continue
			}
		}
		key := display
		if !builtin {
			key = l.source.key(display)
		}
		if g, ok := l.byKey[key]; ok {
			im.File = g
			continue
		}
		if !builtin {
			data, readErr = l.source.read(display)
			if readErr != nil {
				l.errs.add(im.Pos, "cannot import %s: %s (looked for %s)", quote(im.Target), readError(readErr), quote(display))
				continue
			}
		}
		g := &File{Path: display, Builtin: builtin}
		l.byKey[key] = g
		l.files = append(l.files, g)
		im.File = g
		if builtin {
			l.parse(g, data, nil)
		} else {
			l.parse(g, data, im)
		}
	}
}

// outsideImport says why f may not import the file at display, outside
// its module tree (see LoadOptions.AllowOutsideImports), or "".
func (l *loader) outsideImport(f *File, display string) string {
	if l.opts.AllowOutsideImports || f.Builtin {
		return ""
	}
	root, goMod := l.source.moduleRoot(f.Path)
	out := l.source.outside(root, display)
	if out == "" {
		return ""
	}
	what := quote(out)
	if out != display {
		what = quote(display) + " leads (through a symbolic link) to " + what + ", which"
	}
	tree := "the directory of its go.mod"
	if !goMod {
		tree = "its directory, as no go.mod is above it"
	}
	return fmt.Sprintf("%s is outside the module tree of this schema (%s, %s); allow imports from outside it with gonode generate --allow-outside-imports (schema.LoadOptions)", what, quote(root), tree)
}
