package main

// The shared-graph acceptance test of issue #22: a neomodel app and a gonode
// app on one database. neomodel (6.2.0 and 7.0.0, pinned venvs under .build/) installs
// its labels and writes a graph of every property type of
// testdata/neomodel/nmshop.py; import-neomodel gives the schema;
// install-labels on it creates nothing new; the package generated from it
// reads every node and relationship value equal to what neomodel reads
// (value by value); then gonode writes nodes of every type and neomodel
// reads everything back equal to what gonode reads.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/schema"
)

// nmLabels are the labels of nmshop's nodes.
var nmLabels = []string{"NmShopPerson", "NmShopBoss", "NmShopCompany", "NmShopCity", "NmShopNote"}

func TestSharedGraphWithNeomodel(t *testing.T) {
	for _, version := range testenv.NeomodelVersions {
		t.Run(version, func(t *testing.T) { sharedGraph(t, version) })
	}
}

func sharedGraph(t *testing.T, version string) {
	url := testenv.URL(t)
	db := testenv.Open(t)
	ctx := context.Background()
	t.Setenv("NEO4J_BOLT_URL", "")
	models, err := filepath.Abs(filepath.Join("testdata", "neomodel"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", models)
	py := testenv.NeomodelPython(t, version)

	wipe := func() {
		for _, l := range nmLabels {
			if _, err := db.Cypher(ctx, "MATCH (n:"+l+") DETACH DELETE n", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	schemaItems := func() map[string]bool {
		out := map[string]bool{}
		for _, q := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
			res, err := db.Cypher(ctx, q, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Rows {
				out[r[0].(string)] = true
			}
		}
		return out
	}
	before := schemaItems()
	wipe()
	t.Cleanup(func() {
		wipe()
		// Drop what neomodel installed (constraints first: they own their
		// indexes).
		for _, q := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
			res, err := db.Cypher(ctx, q, nil)
			if err != nil {
				t.Fatal(err)
			}
			kind := "CONSTRAINT"
			if strings.Contains(q, "INDEXES") {
				kind = "INDEX"
			}
			for _, r := range res.Rows {
				if name := r[0].(string); !before[name] {
					db.Cypher(ctx, "DROP "+kind+" "+quoteName(name)+" IF EXISTS", nil)
				}
			}
		}
	})

	python := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(py, append([]string{filepath.Join(models, "nmshop_roundtrip.py")}, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("neomodel %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.Bytes()
	}
	cmd := exec.Command(py, "-c", "import sys; from neomodel import db; db.set_connection(sys.argv[1]); import nmshop; db.install_all_labels()", url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("neomodel install_all_labels: %v\n%s", err, out)
	}
	installed := schemaItems()

	// The imported schema and its package.
	code, yaml, errOut := run(t, "import-neomodel", "nmshop", "--python", py)
	if code != 0 {
		t.Fatalf("import-neomodel: exit %d: %s", code, errOut)
	}
	dir := inspectDir(t)
	schemaPath := filepath.Join(dir, "schema.yaml")
	if err := os.WriteFile(schemaPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "generate", schemaPath); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	s, err := schema.Load(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	file := s.Roots()[0]

	// install-labels on the imported schema finds everything neomodel
	// installed and creates nothing.
	code, out, errOut := run(t, "install-labels", "--db", url, schemaPath)
	if code != 0 {
		t.Fatalf("install-labels: exit %d: %s", code, errOut)
	}
	if after := schemaItems(); !reflect.DeepEqual(after, installed) {
		var extra []string
		for n := range after {
			if !installed[n] {
				extra = append(extra, n)
			}
		}
		t.Errorf("install-labels created %v on the neomodel-installed database:\n%s", extra, out)
	}

	rt := filepath.Join(dir, "rt")
	if err := os.MkdirAll(rt, 0o755); err != nil {
		t.Fatal(err)
	}
	mainSrc := strings.Replace(string(readFile(t, filepath.Join("testdata", "neomodel", "roundtrip_main.go.txt"))), "IMPORT", "github.com/gonode/gonode/cmd/gonode/"+filepath.ToSlash(dir), 1)
	if err := os.WriteFile(filepath.Join(rt, "main.go"), []byte(mainSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "rt")
	if out, err := exec.Command("go", "build", "-o", bin, "./"+filepath.ToSlash(rt)).CombinedOutput(); err != nil {
		t.Fatalf("building the gonode side: %v\n%s", err, out)
	}
	gonode := func(arg string) dump {
		t.Helper()
		var stdout, stderr bytes.Buffer
		c := exec.Command(bin, arg, url)
		c.Stdout, c.Stderr = &stdout, &stderr
		if err := c.Run(); err != nil {
			t.Fatalf("gonode %s: %v\n%s", arg, err, stderr.String())
		}
		if arg != "dump" {
			return dump{}
		}
		return goDump(t, file, stdout.Bytes())
	}
	neomodel := func() dump {
		t.Helper()
		var d dump
		if err := json.Unmarshal(python("dump", url), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}

	// 1. neomodel writes; gonode reads what neomodel reads.
	python("write", url)
	py1, go1 := neomodel(), gonode("dump")
	n1 := compareDumps(t, "neomodel's graph", py1, go1)
	if len(py1.Nodes) != 6 || len(py1.Rels) != 8 {
		t.Errorf("neomodel's graph has %d nodes and %d relationships, want 6 and 8", len(py1.Nodes), len(py1.Rels))
	}
	inspectNeomodelGraph(t, url)

	// 2. gonode writes; neomodel reads everything gonode reads.
	gonode("write")
	py2, go2 := neomodel(), gonode("dump")
	n2 := compareDumps(t, "both apps' graph", py2, go2)
	if len(py2.Nodes) != 12 || len(py2.Rels) != 16 {
		t.Errorf("the graph has %d nodes and %d relationships, want 12 and 16", len(py2.Nodes), len(py2.Rels))
	}
	t.Logf("neomodel %s: %d values compared after neomodel wrote, %d after gonode wrote too", version, n1, n2)
}

// dump is what each side prints: nodes by key (uid, or name, or title)
// and relationships by "TYPE from to", their values canonical.
type dump struct {
	Nodes map[string]struct {
		Type  string         `json:"type"`
		Props map[string]any `json:"props"`
		Extra map[string]any `json:"extra"`
	} `json:"nodes"`
	Rels map[string]map[string]any `json:"rels"`
}

// goDump makes the gonode side's output canonical: each node's and
// relationship's JSON (the Go types' encoding) with datetimes as
// microseconds since the epoch, or, stored as formatted text, as their
// naive wall clock, as the neomodel side prints them.
func goDump(t *testing.T, f *schema.File, b []byte) dump {
	t.Helper()
	var raw struct {
		Nodes map[string]struct {
			Type  string         `json:"type"`
			Value map[string]any `json:"value"`
		} `json:"nodes"`
		Rels map[string]map[string]any `json:"rels"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	d := dump{Rels: map[string]map[string]any{}}
	d.Nodes = map[string]struct {
		Type  string         `json:"type"`
		Props map[string]any `json:"props"`
		Extra map[string]any `json:"extra"`
	}{}
	for k, n := range raw.Nodes {
		node := f.Node(n.Type)
		if node == nil {
			t.Fatalf("no node type %s", n.Type)
		}
		extra, _ := n.Value["extra"].(map[string]any)
		d.Nodes[k] = struct {
			Type  string         `json:"type"`
			Props map[string]any `json:"props"`
			Extra map[string]any `json:"extra"`
		}{n.Type, canonical(t, node.AllProperties(), n.Value), extra}
	}
	for k, r := range raw.Rels {
		var props []*schema.Property
		typ, _, _ := strings.Cut(k, " ")
		for _, m := range f.RelModels {
			if (typ == "WORKS_AT" && m.Name == "Employment") || (typ == "FRIEND" && m.Name == "Friendship") {
				props = m.Properties
			}
		}
		d.Rels[k] = canonical(t, props, r)
	}
	return d
}

func canonical(t *testing.T, props []*schema.Property, v map[string]any) map[string]any {
	out := map[string]any{}
	for _, p := range props {
		x, ok := v[p.Name]
		if !ok {
			continue
		}
		if p.Type.Kind == schema.KindDateTime {
			conv := func(e any) any {
				tm, err := time.Parse(time.RFC3339Nano, e.(string))
				if err != nil {
					t.Fatal(err)
				}
				if p.StoredAs.As == schema.StoredFormat {
					return tm.UTC().Format("2006-01-02T15:04:05.000000")
				}
				return float64(tm.UnixMicro())
			}
			if items, ok := x.([]any); ok {
				for i := range items {
					items[i] = conv(items[i])
				}
			} else {
				x = conv(x)
			}
		}
		out[p.Name] = x
	}
	return out
}

// compareDumps checks that the two sides read the same nodes, types,
// relationships and values, and returns how many values it compared.
func compareDumps(t *testing.T, what string, py, gd dump) int {
	t.Helper()
	n := 0
	keys := func(m map[string]map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	for k, p := range py.Nodes {
		g, ok := gd.Nodes[k]
		if !ok {
			t.Errorf("%s: gonode does not read the %s %s", what, p.Type, k)
			continue
		}
		if g.Type != p.Type {
			t.Errorf("%s: %s is a %s to neomodel, a %s to gonode", what, k, p.Type, g.Type)
		}
		n += compareValues(t, what+": "+p.Type+" "+k, p.Props, g.Props)
		if len(p.Extra)+len(g.Extra) > 0 {
			n += compareValues(t, what+": "+p.Type+" "+k+" extra", p.Extra, g.Extra)
		}
	}
	for k := range gd.Nodes {
		if _, ok := py.Nodes[k]; !ok {
			t.Errorf("%s: neomodel does not read the %s %s", what, gd.Nodes[k].Type, k)
		}
	}
	if pk, gk := keys(py.Rels), keys(gd.Rels); !reflect.DeepEqual(pk, gk) {
		t.Errorf("%s: relationships differ:\nneomodel %q\ngonode   %q", what, pk, gk)
	}
	for k, p := range py.Rels {
		if g, ok := gd.Rels[k]; ok {
			n += compareValues(t, what+": "+k, p, g)
		}
	}
	return n
}

func compareValues(t *testing.T, what string, py, gd map[string]any) int {
	t.Helper()
	n := 0
	for k, v := range py {
		n++
		if !reflect.DeepEqual(v, gd[k]) {
			t.Errorf("%s.%s: neomodel reads %v, gonode %v", what, k, v, gd[k])
		}
	}
	for k, v := range gd {
		if _, ok := py[k]; !ok {
			t.Errorf("%s.%s: gonode reads %v, neomodel nothing", what, k, v)
		}
	}
	return n
}

// quoteName quotes a constraint or index name for DROP.
func quoteName(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// inspectNeomodelGraph runs inspect-database on the graph neomodel wrote
// (without its models) and reads every node and relationship through the
// generated package: no value fails to decode, and the reverse accessor
// of WORKS_AT reads the company's employees. What inspection cannot
// know (the direction FRIEND is read in) is on stderr.
func inspectNeomodelGraph(t *testing.T, url string) {
	t.Helper()
	dir := inspectDir(t)
	code, _, errOut := run(t, "inspect-database", "--db", url, "--label", "NmShop*", "--write-to", dir, "--generate", "--package", "inspected")
	if code != 0 {
		t.Fatalf("inspect-database: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, `gonode: note: NmShopPerson.friend: stored one way per pair: if the app reads "FRIEND" either way`) {
		t.Errorf("stderr does not say that FRIEND's direction is unknown:\n%s", errOut)
	}
	rd := filepath.Join(dir, "rd")
	if err := os.MkdirAll(rd, 0o755); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(readFile(t, filepath.Join("testdata", "neomodel", "inspected_main.go.txt"))), "IMPORT", "github.com/gonode/gonode/cmd/gonode/"+filepath.ToSlash(dir), 1)
	if err := os.WriteFile(filepath.Join(rd, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "run", "./"+filepath.ToSlash(rd), url).CombinedOutput()
	if err != nil {
		t.Fatalf("reading neomodel's graph through the inspected package: %v\n%s\n%s", err, out, readFile(t, filepath.Join(dir, "schema.yaml")))
	}
	// 3 people (one a boss), the boss again as a boss, a company, a city,
	// a note; 2 WORKS_AT, 1 FRIEND, 3 LIVES_IN, 2 MANAGES; the company's 2
	// employees through the reverse accessor.
	if got := strings.TrimSpace(string(out)); got != "7 8 2" {
		t.Errorf("read %s nodes, relationships and employees, want 7 8 2", got)
	}
}
