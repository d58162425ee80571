package ogm

import (
	"fmt"
	"reflect"
	"sort"
	"time"
)

// AddExtra adds extra, the Extra map of a value of semi-structured node
// type typ, to props, its encoded declared properties. Each value must be
// one Neo4j can store as a property: a scalar (bool, integer, float,
// string, []byte, a temporal or spatial value) or a list of scalars of one
// kind. A map, a struct, a mixed or nested list, or a key that is a
// declared property's is a ValidationError, before anything is sent (the
// server would fail the whole write with a message naming no property).
// Generated Encode functions call it.
func AddExtra(typ string, props, extra map[string]any) error {
	var errs ValidationErrors
	for k, x := range extra {
		if _, ok := props[k]; ok {
			errs = append(errs, &ValidationError{Type: typ, Prop: k, Rule: "extra", Value: x, Msg: "Extra holds a declared property; set its field instead"})
			continue
		}
		if msg := unstorable(x); msg != "" {
			errs = append(errs, &ValidationError{Type: typ, Prop: k, Rule: "extra", Value: x, Msg: msg})
			continue
		}
		props[k] = x
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Prop < errs[j].Prop })
	return errs
}

// unstorable says why Neo4j cannot store x as a property, "" when it can.
func unstorable(x any) string {
	if x == nil || storableKind(x) != "" {
		return ""
	}
	v := reflect.ValueOf(x)
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
		kind := ""
		for i := range v.Len() {
			k := storableKind(v.Index(i).Interface())
			if k == "" || (kind != "" && k != kind) {
				return "a list property holds values of one kind (strings, integers, …), none of them null, lists or maps"
			}
			kind = k
		}
		return ""
	}
	return fmt.Sprintf("Neo4j cannot store a %T as a property", x)
}

// storableKind is the property kind of a scalar Neo4j can store, "" for
// anything else (nil inside a list included: a list cannot hold null).
func storableKind(x any) string {
	switch x.(type) {
	case bool:
		return "bool"
	case int, int8, int16, int32, int64, uint8, uint16, uint32:
		return "int"
	case float32, float64:
		return "float"
	case string:
		return "string"
	case []byte:
		return "bytes"
	case time.Time:
		return "datetime"
	case time.Duration, Duration:
		return "duration"
	case Date:
		return "date"
	case LocalTime:
		return "localtime"
	case LocalDateTime:
		return "localdatetime"
	case Time:
		return "time"
	case Point2D, Point3D:
		return "point"
	}
	return ""
}
