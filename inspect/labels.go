package inspect

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gonode/gonode/ogm"
)

// selectLabels resolves the label filter.
func (in *inspector) selectLabels() error {
	in.selected = map[string]bool{}
	present := func(l string) bool { return in.counts.labelCount[l] > 0 }
	if len(in.opts.Labels) == 0 {
		for _, l := range in.counts.labels {
			if present(l) {
				in.selected[l] = true
				in.selOrder = append(in.selOrder, l)
			}
		}
		return nil
	}
	in.filtered = true
	for _, pat := range in.opts.Labels {
		found := false
		for _, l := range in.counts.labels {
			if present(l) && matchLabel(pat, l) {
				found = true
				if !in.selected[l] {
					in.selected[l] = true
				}
			}
		}
		if !found {
			return &ogm.Error{Op: "inspect", Kind: ogm.ErrQuery, Msg: fmt.Sprintf("no node has a label matching %q", pat)}
		}
	}
	for _, l := range in.counts.labels {
		if in.selected[l] {
			in.selOrder = append(in.selOrder, l)
		}
	}
	return nil
}

// matchLabel matches a label against a pattern in which "*" stands for any
// run of characters (and nothing else is special).
func matchLabel(pattern, label string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == label
	}
	if !strings.HasPrefix(label, parts[0]) {
		return false
	}
	rest := label[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(rest, p) && len(rest) >= len(p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}

// nodeScopes are the starts of the queries binding n to every selected node
// (or a sample of each selected label's nodes).
//
// A sample is a UNION of one LIMIT per label; as the server's planning time
// grows with the branches, labels are taken sampleChunk at a time, one
// query each (a node with labels of two chunks is then counted twice).
func (in *inspector) nodeScopes() []string {
	if in.opts.Sample > 0 {
		var scopes []string
		for _, chunk := range chunks(in.selOrder, sampleChunk) {
			var parts []string
			for _, l := range chunk {
				parts = append(parts, "MATCH (n:"+ogm.Quote(l)+") RETURN n LIMIT $sample")
			}
			scopes = append(scopes, "CALL { "+strings.Join(parts, " UNION ")+" } ")
		}
		return scopes
	}
	if !in.filtered {
		return []string{"MATCH (n) "}
	}
	return []string{"MATCH (n" + in.labelDisjunction() + ") "}
}

// sampleChunk is the number of labels or types one sampling query covers.
const sampleChunk = 16

// chunks cuts list into runs of at most n.
func chunks(list []string, n int) [][]string {
	var out [][]string
	for len(list) > 0 {
		k := min(n, len(list))
		out = append(out, list[:k])
		list = list[k:]
	}
	return out
}

// scopeRows runs query after each of the node scopes and returns all rows.
func (in *inspector) scopeRows(ctx context.Context, query string) ([][]any, error) {
	var all [][]any
	for _, scope := range in.nodeScopes() {
		rows, err := in.rows(ctx, scope+query, in.params())
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
	}
	return all, nil
}

// labelDisjunction is ":A|B|C" over the selected labels.
func (in *inspector) labelDisjunction() string {
	q := make([]string, len(in.selOrder))
	for i, l := range in.selOrder {
		q[i] = ogm.Quote(l)
	}
	return ":" + strings.Join(q, "|")
}

// params are the parameters of the scoped queries: $sample when sampling.
func (in *inspector) params() map[string]any {
	if in.opts.Sample > 0 {
		return map[string]any{"sample": in.opts.Sample}
	}
	return nil
}

// combo is one combination of labels that nodes carry.
type combo struct {
	labels []string // sorted
	key    string
	count  int64 // nodes (in the scope or sample) with exactly these labels
}

// comboSet is the label combinations, sorted by key.
type comboSet struct {
	list  []*combo
	byKey map[string]*combo
}

// comboKey identifies a combination: its sorted labels joined with NUL.
func comboKey(labels []string) string { return strings.Join(labels, "\x00") }

// sortedLabels reads a labels(n) column, sorted.
func sortedLabels(v any) []string {
	ls := asStrings(v)
	sort.Strings(ls)
	return ls
}

// combos reads the label combinations of the selected nodes.
func (in *inspector) combos(ctx context.Context) (*comboSet, error) {
	rows, err := in.scopeRows(ctx, "RETURN labels(n) AS ls, count(*) AS c")
	if err != nil {
		return nil, err
	}
	cs := &comboSet{byKey: map[string]*combo{}}
	for _, r := range rows {
		ls := sortedLabels(r[0])
		key := comboKey(ls)
		if c := cs.byKey[key]; c != nil {
			c.count += r[1].(int64)
			continue
		}
		c := &combo{labels: ls, key: key, count: r[1].(int64)}
		cs.list = append(cs.list, c)
		cs.byKey[c.key] = c
	}
	sort.Slice(cs.list, func(i, j int) bool { return cs.list[i].key < cs.list[j].key })
	return cs, nil
}
