package testenv

import (
	"fmt"
	"testing"
)

// NeomodelVersions are the neomodel releases the interop tests run
// (gonode import-neomodel, the shared-graph round trip): the last 6.x and
// 7.0.0, each pinned with its own virtual env under .build/.
var NeomodelVersions = []string{"6.2.0", "7.0.0"}

// NeomodelPython returns the Python of a virtual env holding neomodel
// version (one of NeomodelVersions), creating it (python3 -m venv, pip
// install neomodel==version) when it is missing or holds another version,
// as DjangoPython does. It skips tb only when python3 is not installed; a
// failed install fails it. A lock file orders test binaries that call it at
// once.
func NeomodelPython(tb testing.TB, version string) string {
	tb.Helper()
	check := fmt.Sprintf("import importlib.metadata as m, neomodel, sys; sys.exit(0 if m.version('neomodel') == %q else 1)", version)
	return pinnedPython(tb, ".build/neomodel-"+version+"-venv", "neomodel "+version, check, "neomodel=="+version)
}
