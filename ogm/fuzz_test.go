package ogm_test

// Fuzz targets of the query builders, run against the real server. Their
// seed corpora (testdata/fuzz/<Name>) run as plain tests in CI; run a
// fuzzer with, for example,
//
//	go test ./ogm -run '^$' -fuzz '^FuzzQuote$' -fuzztime 3m
//
// Every input runs in a write transaction that is rolled back, so nothing
// is left in the database.

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// fuzzNode is a node type written by hand the way gonode generates one: a
// string and a list of strings, under a label chosen per test.
type fuzzNode struct {
	ogm.NodeBase
	S    string
	Tags []string
}

func fuzzType(label string) *ogm.NodeType[fuzzNode] {
	return &ogm.NodeType[fuzzNode]{
		NodeInfo: ogm.NodeInfo{
			Name:   "FuzzNode",
			Label:  label,
			Labels: []string{label},
			Props: []ogm.PropInfo{
				{Name: "s", Key: "s", Type: "string"},
				{Name: "tags", Key: "tags", Type: "[string]"},
			},
		},
		Encode: func(n *fuzzNode) (map[string]any, error) {
			return map[string]any{"s": n.S, "tags": ogm.List(n.Tags, nil)}, nil
		},
		Decode: func(n *fuzzNode, d *ogm.Decoder) {
			n.S = d.String("s")
			n.Tags = d.Strings("tags")
		},
	}
}

var (
	fuzzDBOnce sync.Once
	fuzzDB     *ogm.DB
	fuzzDBErr  error
)

// fuzzOpen returns one handle per process: the fuzzing engine runs the
// target in several worker processes, each calling it thousands of times.
func fuzzOpen(tb testing.TB) *ogm.DB {
	tb.Helper()
	url := testenv.URL(tb)
	fuzzDBOnce.Do(func() { fuzzDB, fuzzDBErr = ogm.Open(context.Background(), url) })
	if fuzzDBErr != nil {
		tb.Fatal(fuzzDBErr)
	}
	return fuzzDB
}

// errRollback ends a fuzz transaction without committing it.
var errRollback = errors.New("rollback")

// rolledBack runs fn in a write transaction that is always rolled back.
func rolledBack(t *testing.T, db *ogm.DB, fn func(ctx context.Context) error) {
	t.Helper()
	err := db.Write(context.Background(), func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
}

// refusedName reports whether Neo4j refuses name as a label, relationship
// type or property key: "Token names cannot be empty or contain any
// null-bytes" (Neo4j 5.26).
func refusedName(name string) bool {
	return name == "" || strings.ContainsRune(name, 0)
}

// FuzzQuote: any string used as a label, a relationship type and a property
// key names exactly itself, through raw Cypher built with Quote and through
// the typed API (Create, Filter, OrderBy, Connect, IsConnected, Count).
// Strings that are not UTF-8 are skipped: Neo4j names are Unicode strings,
// and the server reads such bytes as U+FFFD. Names the server refuses (empty,
// or containing NUL) must fail with ErrQuery, never name something else.
func FuzzQuote(f *testing.F) {
	db := fuzzOpen(f)
	label := testenv.Label(f)
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			t.Skip("not UTF-8: cannot be a Neo4j name")
		}
		raw := "CREATE (n:" + ogm.Quote(label) + ":" + ogm.Quote(name) + " {" + ogm.Quote(name) + ": $v})-[r:" + ogm.Quote(name) + "]->(m:" + ogm.Quote(label) + ")" +
			" RETURN labels(n), keys(n), type(r)"
		rolledBack(t, db, func(ctx context.Context) error {
			res, err := db.Cypher(ctx, raw, map[string]any{"v": 1})
			if refusedName(name) {
				if !errors.Is(err, ogm.ErrQuery) {
					t.Errorf("name %q: want ErrQuery, got %v", name, err)
				}
				return errRollback
			}
			if err != nil {
				t.Errorf("name %q: %v\nquery: %s", name, err, raw)
				return errRollback
			}
			row := res.Rows[0]
			labels := toStrings(row[0])
			sort.Strings(labels)
			want := []string{label, name}
			sort.Strings(want)
			if !slices.Equal(labels, want) {
				t.Errorf("name %q: labels %q, want %q", name, labels, want)
			}
			if keys := toStrings(row[1]); !slices.Equal(keys, []string{name}) {
				t.Errorf("name %q: keys %q", name, keys)
			}
			if typ := row[2].(string); typ != name {
				t.Errorf("name %q: relationship type %q", name, typ)
			}

			// The same through the typed API: a node type labelled name,
			// a property handle keyed name, a relationship typed name.
			owner, err := ogm.NewNodes[*fuzzNode](db, fuzzType(label)).Create(ctx, &fuzzNode{S: "owner"})
			if err != nil {
				return err
			}
			target, err := ogm.NewNodes[*fuzzNode](db, fuzzType(name)).Create(ctx, &fuzzNode{S: "target"})
			if err != nil {
				return err
			}
			if _, err := db.Cypher(ctx, "MATCH (n) WHERE elementId(n) = $id SET n += $props",
				map[string]any{"id": target.ElementID(), "props": map[string]any{name: "v"}}); err != nil {
				return err
			}
			prop := ogm.NewStringProp[*fuzzNode](name)
			got, err := ogm.NewNodes[*fuzzNode](db, fuzzType(name)).Filter(prop.Eq("v")).OrderBy(prop.Asc(), prop.Desc()).All(ctx)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0].ElementID() != target.ElementID() {
				t.Errorf("name %q: Filter(Eq) found %d nodes", name, len(got))
			}
			spec := &ogm.RelSpec{Owner: "FuzzNode", OwnerLabel: label, Name: "r", Type: name, Target: fuzzType(name)}
			rel := ogm.NewRelManager[*fuzzNode, *ogm.Rel](&owner.NodeBase, spec)
			if err := rel.Connect(ctx, target); err != nil {
				return err
			}
			if ok, err := rel.IsConnected(ctx, target); err != nil || !ok {
				t.Errorf("name %q: IsConnected = %v, %v", name, ok, err)
			}
			if c, err := rel.Filter(prop.StartsWith("v")).Count(ctx); err != nil || c != 1 {
				t.Errorf("name %q: relationship Count = %d, %v", name, c, err)
			}
			res, err = db.Cypher(ctx, "MATCH (a)-[r]->(b) WHERE elementId(a) = $id RETURN type(r), labels(b)", map[string]any{"id": owner.ElementID()})
			if err != nil {
				return err
			}
			if len(res.Rows) != 1 || res.Rows[0][0] != name || !slices.Equal(toStrings(res.Rows[0][1]), []string{name}) {
				t.Errorf("name %q: stored relationship %q", name, res.Rows)
			}
			return nil
		})
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// filterQuery renders the MATCH … RETURN … query that All runs for q, and
// its parameters.
func filterQuery[T any](q *ogm.Nodes[T]) (string, map[string]any) {
	return ogm.FilterQuery(q)
}

// valueQueries builds one query per operator that takes a value, each with v.
func valueQueries(nodes *ogm.Nodes[*fuzzNode], v string, k int) []*ogm.Nodes[*fuzzNode] {
	s := ogm.NewStringProp[*fuzzNode]("s")
	tags := ogm.NewListProp[*fuzzNode, string]("tags", nil)
	return []*ogm.Nodes[*fuzzNode]{
		nodes.Filter(s.Eq(v)),
		nodes.Filter(s.Ne(v)),
		nodes.Filter(s.In(v, v+"x")),
		nodes.Filter(s.Exact(v)),
		nodes.Filter(s.IExact(v)),
		nodes.Filter(s.Contains(v)),
		nodes.Filter(s.IContains(v)),
		nodes.Filter(s.StartsWith(v)),
		nodes.Filter(s.IStartsWith(v)),
		nodes.Filter(s.EndsWith(v)),
		nodes.Filter(s.IEndsWith(v)),
		nodes.Filter(s.Regex(v)),
		nodes.Filter(s.IRegex(v)),
		nodes.Filter(s.Lt(v)),
		nodes.Filter(s.Gte(v)),
		nodes.Filter(tags.Contains(v)),
		nodes.Filter(tags.ContainsAny(v, "x")),
		nodes.Filter(tags.ContainsAll(v)),
		nodes.Filter(tags.Eq([]string{v})),
		nodes.Exclude(ogm.Or(s.Eq(v), ogm.Not(s.Contains(v)))),
		nodes.Filter(s.Eq(v)).Skip(k).Limit(k),
	}
}

// FuzzFilterValue: a filter value, and a property value, never enter the
// query text. For every operator the text built with the fuzzed value is
// the text built with another value, the value travels as a parameter, and
// the text does not contain it (unless the value-free text happens to). The
// valid-UTF-8 values then round-trip through the server: a node created
// with the value is found by the operators that must find it, and only by
// them.
func FuzzFilterValue(f *testing.F) {
	db := fuzzOpen(f)
	label := testenv.Label(f)
	f.Fuzz(func(t *testing.T, v string, k int) {
		if k < 1 || k > 1<<20 {
			k = 1 + (k&0xffff+0xffff)%0xffff
		}
		nodes := ogm.NewNodes[*fuzzNode](db, fuzzType(label))
		fuzzed := valueQueries(nodes, v, k)
		ref := valueQueries(nodes, "reference", 7)
		for i := range fuzzed {
			text, params := filterQuery(fuzzed[i])
			refText, _ := filterQuery(ref[i])
			if text != refText {
				t.Fatalf("query %d depends on the value %q:\n%s\n%s", i, v, text, refText)
			}
			if v != "" && strings.Contains(text, v) && !strings.Contains(refText, v) {
				t.Fatalf("query %d contains the value %q: %s", i, v, text)
			}
			if !paramsHold(params, v) {
				t.Fatalf("query %d: value %q not among the parameters %#v", i, v, params)
			}
		}
		if !utf8.ValidString(v) {
			return // Bolt strings are UTF-8; the server would read other bytes as U+FFFD
		}
		s := ogm.NewStringProp[*fuzzNode]("s")
		tags := ogm.NewListProp[*fuzzNode, string]("tags", nil)
		rolledBack(t, db, func(ctx context.Context) error {
			node, err := nodes.Create(ctx, &fuzzNode{S: v, Tags: []string{v, "other"}})
			if err != nil {
				return err
			}
			decoy, err := nodes.Create(ctx, &fuzzNode{S: v + "~", Tags: []string{"decoy"}})
			if err != nil {
				return err
			}
			// The property value round-trips exactly.
			got, err := nodes.Get(ctx, s.Eq(v))
			if err != nil {
				t.Errorf("Get(Eq(%q)): %v", v, err)
				return errRollback
			}
			if got.S != v || !slices.Equal(got.Tags, []string{v, "other"}) || got.ElementID() != node.ElementID() {
				t.Errorf("value %q read back as %q %q", v, got.S, got.Tags)
			}
			// Saving it again through Save writes the same value.
			got.S = v
			if err := ogm.Save(ctx, fuzzType(label), got); err != nil {
				return err
			}
			for _, c := range []struct {
				name string
				pred ogm.Pred[*fuzzNode]
				want []*fuzzNode // which of node, decoy match
			}{
				{"Eq", s.Eq(v), []*fuzzNode{node}},
				{"In", s.In(v), []*fuzzNode{node}},
				{"Ne", s.Ne(v), []*fuzzNode{decoy}},
				{"StartsWith", s.StartsWith(v), []*fuzzNode{node, decoy}},
				{"Contains", s.Contains(v), []*fuzzNode{node, decoy}},
				{"EndsWith", s.EndsWith(v), endsWith(v, node, decoy)},
				{"Tags.Contains", tags.Contains(v), hasTags([]string{v}, node, decoy)},
				{"Tags.ContainsAll", tags.ContainsAll(v, "other"), hasTags([]string{v, "other"}, node, decoy)},
				{"Lt", s.Lt(v + "~"), []*fuzzNode{node}},
			} {
				found, err := nodes.Filter(c.pred).OrderBy(s.Asc()).All(ctx)
				if err != nil {
					t.Errorf("%s(%q): %v", c.name, v, err)
					continue
				}
				if !sameNodes(found, c.want) {
					t.Errorf("%s(%q): found %d nodes, want %d", c.name, v, len(found), len(c.want))
				}
			}
			// Regular expressions: any pattern is a parameter; an invalid
			// one is a typed query error, never a different query.
			if _, err := nodes.Filter(s.Regex(v)).Count(ctx); err != nil && !errors.Is(err, ogm.ErrQuery) {
				t.Errorf("Regex(%q): %v", v, err)
			}
			return nil
		})
	})
}

func endsWith(v string, nodes ...*fuzzNode) []*fuzzNode {
	var out []*fuzzNode
	for _, n := range nodes {
		if strings.HasSuffix(n.S, v) {
			out = append(out, n)
		}
	}
	return out
}

func hasTags(want []string, nodes ...*fuzzNode) []*fuzzNode {
	var out []*fuzzNode
	for _, n := range nodes {
		all := true
		for _, w := range want {
			all = all && slices.Contains(n.Tags, w)
		}
		if all {
			out = append(out, n)
		}
	}
	return out
}

func sameNodes(got, want []*fuzzNode) bool {
	ids := func(ns []*fuzzNode) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.ElementID())
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(ids(got), ids(want))
}

var regexFlags = regexp.MustCompile(`^\(\?[a-zA-Z]+\)$`)

// paramsHold reports whether v is one of the parameter values, or in one of
// the list parameters.
func paramsHold(params map[string]any, v string) bool {
	for _, p := range params {
		if reflect.DeepEqual(p, v) {
			return true
		}
		if list, ok := p.([]any); ok && slices.Contains(list, any(v)) {
			return true
		}
		// IRegex sends the pattern behind inline flags, such as (?i).
		if s, ok := p.(string); ok && strings.HasSuffix(s, v) && regexFlags.MatchString(s[:len(s)-len(v)]) {
			return true
		}
	}
	return false
}
