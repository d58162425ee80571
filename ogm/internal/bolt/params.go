package bolt

import (
	"sync"
	"time"
)

// The driver sends a time.Time's zone by name unless the name is "Offset",
// and the server accepts only IANA names: time.Local ("Local"), an unnamed
// time.FixedZone or an abbreviation such as "CET" make the whole query fail.
// Such times are sent as fixed offsets instead, which keeps the instant and
// the offset (only a zone's future DST rules are lost, which a stored value
// cannot carry anyway).

// offsetZone is the zone name the driver encodes as a plain UTC offset.
const offsetZone = "Offset"

var ianaNames sync.Map // zone name → bool: does the server know it?

func knownZone(loc *time.Location) bool {
	name := loc.String()
	if loc == time.UTC || name == offsetZone {
		return true
	}
	if name == "" || name == "Local" {
		return false
	}
	if ok, seen := ianaNames.Load(name); seen {
		return ok.(bool)
	}
	_, err := time.LoadLocation(name)
	ianaNames.Store(name, err == nil)
	return err == nil
}

func fixTime(t time.Time) time.Time {
	_, off := t.Zone()
	return t.In(time.FixedZone(offsetZone, off))
}

// fixParams returns params with every time.Time in an unknown zone converted
// to a fixed offset, and whether it changed anything. It copies only what it
// changes.
func fixParams(params map[string]any) (map[string]any, bool) {
	var out map[string]any
	for k, v := range params {
		if nv, changed := fixValue(v); changed {
			if out == nil {
				out = make(map[string]any, len(params))
				for k2, v2 := range params {
					out[k2] = v2
				}
			}
			out[k] = nv
		}
	}
	if out == nil {
		return params, false
	}
	return out, true
}

func fixValue(v any) (any, bool) {
	switch x := v.(type) {
	case time.Time:
		if knownZone(x.Location()) {
			return v, false
		}
		return fixTime(x), true
	case *time.Time:
		if x == nil || knownZone(x.Location()) {
			return v, false
		}
		return fixTime(*x), true
	case []time.Time:
		return fixSlice(x, func(t time.Time) (time.Time, bool) {
			if knownZone(t.Location()) {
				return t, false
			}
			return fixTime(t), true
		})
	case []any:
		return fixSlice(x, fixValue)
	case map[string]any:
		return fixParams(x)
	}
	return v, false
}

// fixSlice applies fix to every element, copying the slice on the first change.
func fixSlice[E any](s []E, fix func(E) (E, bool)) (any, bool) {
	var out []E
	for i, e := range s {
		if ne, changed := fix(e); changed {
			if out == nil {
				out = append([]E(nil), s...)
			}
			out[i] = ne
		}
	}
	if out == nil {
		return s, false
	}
	return out, true
}
