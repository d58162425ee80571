package ogm

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type thing struct{}

func render(t *testing.T, p Pred[thing]) (string, map[string]any) {
	t.Helper()
	var ps params
	return p.c.cypher(&ps, "n"), ps.m
}

func TestPredicatesRenderParameterised(t *testing.T) {
	name := NewStringProp[thing]("name")
	age := NewOrderedProp[thing, int]("age", nil)
	born := NewOrderedProp[thing, time.Time]("born", DateParam)
	tags := NewListProp[thing, string]("tags", nil)
	order := NewStringProp[thing]("order") // a keyword as key
	day := time.Date(2024, 5, 6, 23, 0, 0, 0, time.FixedZone("", -3600))
	cases := []struct {
		pred   Pred[thing]
		cypher string
		params map[string]any
	}{
		{name.Eq("Jim"), "n.name = $p0", map[string]any{"p0": "Jim"}},
		{name.Exact("Jim"), "n.name = $p0", map[string]any{"p0": "Jim"}},
		{name.Ne("Jim"), "n.name <> $p0", map[string]any{"p0": "Jim"}},
		{name.IExact("jim"), "toLower(n.name) = toLower($p0)", map[string]any{"p0": "jim"}},
		{name.Contains("i"), "n.name CONTAINS $p0", map[string]any{"p0": "i"}},
		{name.IContains("I"), "toLower(n.name) CONTAINS toLower($p0)", map[string]any{"p0": "I"}},
		{name.StartsWith("J"), "n.name STARTS WITH $p0", map[string]any{"p0": "J"}},
		{name.IStartsWith("j"), "toLower(n.name) STARTS WITH toLower($p0)", map[string]any{"p0": "j"}},
		{name.EndsWith("m"), "n.name ENDS WITH $p0", map[string]any{"p0": "m"}},
		{name.IEndsWith("M"), "toLower(n.name) ENDS WITH toLower($p0)", map[string]any{"p0": "M"}},
		{name.Regex("J.*"), "n.name =~ $p0", map[string]any{"p0": "J.*"}},
		{name.IRegex("j.*"), "n.name =~ $p0", map[string]any{"p0": "(?iu)j.*"}},
		{name.In("a", "b"), "n.name IN $p0", map[string]any{"p0": []any{"a", "b"}}},
		{name.IsNull(true), "n.name IS NULL", nil},
		{name.IsNull(false), "n.name IS NOT NULL", nil},
		{age.Lt(3), "n.age < $p0", map[string]any{"p0": 3}},
		{age.Lte(3), "n.age <= $p0", map[string]any{"p0": 3}},
		{age.Gt(3), "n.age > $p0", map[string]any{"p0": 3}},
		{age.Gte(3), "n.age >= $p0", map[string]any{"p0": 3}},
		{born.Gte(day), "n.born >= $p0", map[string]any{"p0": Date(time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC))}},
		{tags.Contains("x"), "$p0 IN n.tags", map[string]any{"p0": "x"}},
		{tags.ContainsAny("x", "y"), "any(x IN n.tags WHERE x IN $p0)", map[string]any{"p0": []any{"x", "y"}}},
		{tags.ContainsAll("x", "y"), "all(x IN $p0 WHERE x IN n.tags)", map[string]any{"p0": []any{"x", "y"}}},
		{order.Eq("1"), "n.`order` = $p0", map[string]any{"p0": "1"}},
		{And(name.Eq("a"), age.Gt(1)), "(n.name = $p0) AND (n.age > $p1)", map[string]any{"p0": "a", "p1": 1}},
		{Or(name.Eq("a"), Not(age.Gt(1))), "(n.name = $p0) OR (NOT (n.age > $p1))", map[string]any{"p0": "a", "p1": 1}},
		{And[thing](), "true", nil},
		{Or[thing](), "false", nil},
	}
	for _, c := range cases {
		cypher, params := render(t, c.pred)
		if cypher != c.cypher || !reflect.DeepEqual(params, c.params) {
			t.Errorf("got %q %#v; want %q %#v", cypher, params, c.cypher, c.params)
		}
	}
}

func TestHostileValuesStayOutOfTheQuery(t *testing.T) {
	name := NewStringProp[thing]("name")
	for _, v := range []string{"' OR 1=1 //", "x}) DETACH DELETE n //", "`", "$p0", "\\u0027"} {
		for _, p := range []Pred[thing]{name.Eq(v), name.Contains(v), name.IRegex(v), name.In(v)} {
			cypher, _ := render(t, p)
			if strings.Contains(cypher, v) && v != "$p0" {
				t.Errorf("value %q spliced into %q", v, cypher)
			}
		}
	}
}

func TestDecoderReportsMisfits(t *testing.T) {
	d := Decoder{Type: "Person", Props: map[string]any{
		"name": "Jim", "age": "three", "tags": []any{"a", int64(2)}, "born": Date(time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)),
	}}
	if d.String("name") != "Jim" || d.Int("missing") != 0 || d.IntPtr("missing") != nil {
		t.Fatal("plain reads")
	}
	if got := d.Date("born"); got.Year() != 2020 || got.Day() != 2 {
		t.Fatalf("date %v", got)
	}
	_ = d.Int("age")
	_ = d.Strings("tags")
	var pte *PropertyTypeError
	if err := d.Err(); !errors.As(err, &pte) || !errors.Is(err, ErrPropertyType) || pte.Prop != "age" || pte.Want != "int" || pte.Value != "three" {
		t.Fatalf("got %v", err)
	}
	if msg := d.Err().Error(); msg != `ogm: Person.age: stored value three of type string does not fit int` {
		t.Fatalf("message %q", msg)
	}
	d2 := Decoder{Type: "P", Props: map[string]any{"tags": []any{"a", int64(2)}}}
	if d2.Strings("tags") != nil || d2.Err() == nil {
		t.Fatal("mixed list accepted")
	}
	d3 := Decoder{Type: "P", Props: map[string]any{"x": int64(3), "meta": `{"a":[1,2]}`, "bad": "{"}}
	if d3.Float("x") != 3 || !reflect.DeepEqual(d3.JSON("meta"), map[string]any{"a": []any{1.0, 2.0}}) || d3.Err() != nil {
		t.Fatal("int as float, json")
	}
	if d3.JSON("bad"); d3.Err() == nil {
		t.Fatal("bad json accepted")
	}
	if extra := (&Decoder{Props: map[string]any{"a": 1, "b": 2, "c": 3}}).Extra("a", "c"); !reflect.DeepEqual(extra, map[string]any{"b": 2}) {
		t.Fatalf("extra %v", extra)
	}
}

func TestValidator(t *testing.T) {
	v := Validator{Type: "Person"}
	v.Required("name", false)
	v.MaxLength("nick", "ééééé", 4)
	v.MinLength("nick", "é", 2)
	v.Min("age", -1, 0)
	v.Max("age", 200, 150)
	v.Choice("sex", "Q", false)
	v.Email("email", "jim@")
	v.Email("email", "jim@example.com")
	v.MaxLength("ok", "éééé", 4)
	err := v.Err()
	var es ValidationErrors
	if !errors.As(err, &es) || len(es) != 7 || !errors.Is(err, ErrValidation) {
		t.Fatalf("got %v", err)
	}
	rules := []string{}
	for _, e := range es {
		rules = append(rules, e.Prop+":"+e.Rule)
	}
	want := []string{"name:required", "nick:max_length", "nick:min_length", "age:min", "age:max", "sex:choices", "email:email"}
	if !reflect.DeepEqual(rules, want) {
		t.Fatalf("rules %v", rules)
	}
	var one *ValidationError
	if !errors.As(err, &one) || one.Type != "Person" || one.Prop != "name" {
		t.Fatalf("errors.As single: %v", one)
	}
	if (&Validator{}).Err() != nil {
		t.Fatal("no violations must be a nil error")
	}
	for addr, ok := range map[string]bool{"a@b.co": true, "Jim <a@b.co>": false, "a@b": false, "": false, "a b@c.de": false} {
		if IsEmail(addr) != ok {
			t.Errorf("IsEmail(%q) = %v", addr, !ok)
		}
	}
}

func TestNewUID(t *testing.T) {
	a, b := NewUID(), NewUID()
	if len(a) != 32 || a == b || a[12] != '4' {
		t.Fatalf("%q %q", a, b)
	}
}
