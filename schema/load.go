package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxFileSize bounds the size of a schema file.
const maxFileSize = 8 << 20

// builtins are the schemas shipped with gonode, by import target.
var builtins = map[string][]byte{
	AuthPath: Auth,
}

// Load reads, resolves and validates the schema files at paths (and every
// file they import, transitively). Relative import paths are resolved
// against the directory of the importing file.
//
// On success it returns the resolved model. Otherwise it returns a nil
// Schema and an error holding every problem found, sorted by position: an
// ErrorList (retrieve it with errors.As and a *ErrorList or **ErrorList
// target), whose Error() has one "file:line:col: message" line per problem.
// Loading never panics, whatever the input.
func Load(paths ...string) (*Schema, error) {
	return load(osSource{}, paths)
}

// LoadFS is Load reading the files, and resolving imports, in fsys. Paths
// are slash-separated and relative to the root of fsys (see fs.ValidPath);
// an import that leaves fsys is reported as missing.
func LoadFS(fsys fs.FS, paths ...string) (*Schema, error) {
	return load(fsSource{fsys}, paths)
}

// LoadBytes is Load for a single schema whose text is data and whose
// display path is name. Its imports are read from the file system, relative
// to the directory of name.
func LoadBytes(name string, data []byte) (*Schema, error) {
	return load(osSource{overlay: map[string][]byte{osSource{}.key(filepath.Clean(name)): data}}, []string{name})
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

// loader holds the state of one Load call.
type loader struct {
	source source
	errs   ErrorList
	files  []*File
	byKey  map[string]*File
}

func load(source source, paths []string) (*Schema, error) {
	if len(paths) == 0 {
		return nil, errors.New("gonode: no schema file given")
	}
	l := &loader{source: source, byKey: map[string]*File{}}
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
		l.parse(f, data)
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

// parse parses the text of f.
func (l *loader) parse(f *File, data []byte) {
	s := &src{path: f.Path, data: data, errs: &l.errs}
	root, ok := s.parse()
	if !ok {
		f.broken = true // already reported
		return
	}
	s.checkDuplicateKeys(root)
	l.parseFile(s, f, root)
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
		l.parse(g, data)
	}
}
