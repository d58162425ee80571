package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// object is a JSON object whose keys keep the order they were set in, so
// that documents read in a fixed, natural order ($schema and $id first,
// properties in schema order) rather than sorted.
type object struct {
	keys []string
	vals map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

// set sets key to v (keeping key's place when it is set already) and
// returns o.
func (o *object) set(key string, v any) *object {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
	return o
}

// setIf sets key to v when ok.
func (o *object) setIf(ok bool, key string, v any) *object {
	if ok {
		o.set(key, v)
	}
	return o
}

// get returns the value of key, or nil.
func (o *object) get(key string) any { return o.vals[key] }

// compact writes v as compact JSON: *object in its key order, map[string]any
// sorted by key (json values of the schema), []any and []string, strings,
// booleans, integers, floats and nil. Strings escape what is not printable
// (\uXXXX), but not <, > and & as encoding/json does: patterns read as
// they are written.
func compact(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case *object:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := compact(b, x.vals[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := newObject()
		for _, k := range keys {
			o.set(k, x[k])
		}
		return compact(b, o)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := compact(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return compact(b, l)
	case string:
		writeString(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not a JSON number", x)
		}
		// encoding/json's spelling of numbers (1, 0.5, 1e+21).
		n, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(n)
	default:
		return fmt.Errorf("no JSON for a %T", v)
	}
	return nil
}

// writeString writes s as a JSON string: printable characters as they are,
// quotes, backslashes and everything else escaped.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			if r > 0xFFFF {
				r1, r2 := utf16Pair(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// utf16Pair is the surrogate pair of a rune beyond the BMP.
func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

// render is v as indented JSON (two spaces), ending with a newline.
func render(v any) ([]byte, error) {
	var c bytes.Buffer
	if err := compact(&c, v); err != nil {
		return nil, err
	}
	return indent(c.Bytes()), nil
}

// indent indents compact JSON by two spaces and adds a newline.
func indent(compactJSON []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, compactJSON, "", "  "); err != nil {
		panic("jsonschema: invalid JSON rendered: " + err.Error())
	}
	out.WriteByte('\n')
	return out.Bytes()
}
