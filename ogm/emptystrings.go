package ogm

import "slices"

// Empty strings another app stored. A string field holds "" both for a
// property that is not stored and for one stored as "", and gonode stores
// an unset string as no property at all; so a Save would remove a "" that
// another app (neomodel, a Cypher script) wrote, data gonode never set.
// The rule: a string property read from the database as "" and still ""
// when the value is saved keeps its stored "". The Decoder records the
// keys it read as "" (Decoder.String), the node or relationship remembers
// them, and Save writes "" back under them instead of removing them. A
// field set to a value is written as usual; set back to "" after that
// Save, it is removed, as every string gonode set.

// noteEmpty records that key was stored as "".
func (d *Decoder) noteEmpty(key string) { d.empty = append(d.empty, key) }

// emptyRead is the keys d read as "", in a slice of their own (nil when
// none).
func (d *Decoder) emptyRead() *[]string {
	if len(d.empty) == 0 {
		return nil
	}
	keys := slices.Clone(d.empty)
	return &keys
}

// keepEmpty writes "" under each key of kept that props, about to be
// saved, leaves unset (the field is still "").
func keepEmpty(props map[string]any, kept *[]string) {
	if kept == nil {
		return
	}
	for _, k := range *kept {
		if v, ok := props[k]; ok && v == nil {
			props[k] = ""
		}
	}
}

// stillEmpty is kept without the keys props wrote a value under (after a
// successful save).
func stillEmpty(kept *[]string, props map[string]any) *[]string {
	if kept == nil {
		return nil
	}
	var out []string
	for _, k := range *kept {
		if v, ok := props[k]; !ok || v == "" {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}
