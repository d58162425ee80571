package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gonode/gonode/jsonschema"
)

// The documents are checked with a real JSON Schema 2020-12 validator,
// github.com/santhosh-tekuri/jsonschema/v6 (a test dependency only): it
// validates each document against the 2020-12 meta-schema when it
// compiles it, then the samples against the documents, asserting formats.

// base is the URL the tests publish the documents under.
const base = "https://schemas.test/"

// compiler is a compiler holding docs, at their base URL (base when the
// documents have none).
func compiler(t *testing.T, docs []jsonschema.Document) *validator.Compiler {
	t.Helper()
	c := validator.NewCompiler()
	c.DefaultDraft(validator.Draft2020)
	c.AssertFormat()
	for _, d := range docs {
		doc, err := validator.UnmarshalJSON(bytes.NewReader(d.Content))
		if err != nil {
			t.Fatalf("%s: %v", d.File, err)
		}
		if err := c.AddResource(url(d), doc); err != nil {
			t.Fatalf("%s: %v", d.File, err)
		}
	}
	return c
}

// schemas compiles every document of the scenario, by name.
func schemas(t *testing.T, opts jsonschema.Options) map[string]*validator.Schema {
	t.Helper()
	docs := generate(t, filepath.Join("testdata", "everything"), opts)
	c := compiler(t, docs)
	out := map[string]*validator.Schema{}
	for _, d := range docs {
		sch, err := c.Compile(url(d))
		if err != nil {
			t.Fatalf("%s does not compile: %v", d.File, err)
		}
		out[d.Name] = sch
	}
	return out
}

// url is where the tests publish d: its $id when absolute, else base
// joined with it.
func url(d jsonschema.Document) string {
	if strings.Contains(d.ID, "://") {
		return d.ID
	}
	return base + d.ID
}

func instance(t *testing.T, text string) any {
	t.Helper()
	v, err := validator.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		t.Fatalf("sample is not JSON: %v\n%s", err, text)
	}
	return v
}

// Valid samples, in the shape of the generated code's JSON encoding.
var validSamples = map[string][]string{
	"shop.Person": {
		`{"name": "Jim"}`,
		`{"element_id": "4:7b1c:12", "uid": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		  "created": "2024-01-31T12:30:00.25+02:00", "name": "Jim",
		  "fetched": {
		    "city": {"element_id": "4:7b1c:13", "name": "Berlin"},
		    "country": null,
		    "knows": [{"node": {"element_id": "4:7b1c:14", "name": "Bob", "fetched": {"knows": []}},
		               "rel": {"element_id": "5:7b1c:1", "type": "KNOWS", "start_element_id": "4:7b1c:12",
		                       "end_element_id": "4:7b1c:14", "since": "2024-01-31T12:30:00Z", "how": "work", "score": 3}}],
		    "best_friend": {"node": {"name": "Ann"}, "rel": {"score": 0}},
		    "tags": [{"node": {"label": "go", "created": "2024-01-31T12:30:00Z"}, "rel": {"type": "TAGGED", "since": "2024-01-31"}}],
		    "account": {"element_id": "4:7b1c:15", "username": "jim", "email": "jim@example.com",
		                "is_active": true, "is_staff": false, "is_superuser": false,
		                "date_joined": "2024-01-31T12:30:00Z",
		                "fetched": {"groups": [{"name": "editors"}], "user_permissions": []}}}}`,
	},
	"shop.Employee": {
		`{"name": "Eve", "salary": 0, "fetched": {"reports_to": null, "reports": [{"name": "Joe", "salary": 1.5}]}}`,
	},
	"shop.Everything": {
		`{}`,
		`{"s": "x", "i": -3, "f": 2.5, "b": false, "d": "2024-01-31", "dt": "2024-01-31T12:30:00+02:00",
		  "ldt": "2024-01-31T07:00:00.123456789", "dur": "P1Y2M3DT4H5M6.5S", "id": "abc",
		  "mail": "jim@example.com", "doc": {"any": ["json", 1, null]},
		  "where": {"srid": 4326, "x": 13.4, "y": 52.5}, "where3d": {"srid": 9157, "x": 1, "y": 2, "z": 3},
		  "ss": ["a", ""], "is": [1, 2], "fs": [1, 0.5], "bs": [true], "ds": ["2024-02-29"],
		  "dts": ["2024-01-31T12:30:00Z"], "ldts": ["2024-01-31T00:00:00"], "durs": ["PT0S", "PT-1H-30M", "P14D", "PT0.000000001S", "P1M-2DT3S"],
		  "mails": ["a@b.example"], "points": [{"srid": 7203, "x": 0, "y": 0}], "points3d": [{"srid": 4979, "x": 0, "y": 0, "z": 0}]}`,
		`{"doc": "a string", "ss": [], "durs": []}`,
		`{"doc": 0}`,
	},
	"shop.Options": {
		`{"code": "AB", "count": 0, "weight": 0, "flag": false, "wait": "PT0S", "level": 1,
		  "home": {"srid": 7203, "x": 1, "y": 2}, "tags": []}`,
		`{"element_id": "4:x:1", "code": "ABCDEFGHIJ", "slug": "Go-Lang-2", "word": "K_9 42.", "name": "abc",
		  "ranged": -5, "ratio": 1.5, "count": 7, "weight": 0.25, "flag": true, "on": false,
		  "wait": "PT1H30M", "timeout": "PT1H30M0.25S", "level": 0, "home": {"srid": 4326, "x": 1, "y": 2},
		  "tags": ["abcde"], "grade": 3, "size": "L", "half": 1.0, "sizes": ["S", "L"],
		  "contact": "a@example.com", "since": "2024-01-31", "seen": "2024-01-31T12:30:00Z",
		  "at": "2024-01-31T12:30:00.25+02:00", "alarm": "2024-01-31T07:00:00", "meta": [1, "x"],
		  "ref": "r", "nick": "n"}`,
	},
	"shop.Knows": {
		`{"score": 0}`,
		`{"element_id": "5:x:1", "type": "KNOWS", "start_element_id": "4:x:1", "end_element_id": "4:x:2",
		  "since": "2024-01-31T12:30:00Z", "how": "school", "score": -1}`,
	},
	"shop.Memo": {
		`{"title": "t", "body": "b", "urgent": true,
		  "extra": {"pages": 3, "draft": false, "tags": ["a", "b"], "scores": [1, 2.5], "where": {"srid": 4326, "x": 1, "y": 2},
		            "route": [{"srid": 7203, "x": 0, "y": 0}, {"srid": 9157, "x": 0, "y": 0, "z": 1}], "when": "2024-01-31", "body": "stored key body is free"}}`,
	},
	"shop.Book": {
		`{"isbn": "978", "title": "T", "fetched": {"similar": [{"title": "U"}]}}`,
	},
	"shop.Named": {`{"element_id": "4:x:9", "title": "T"}`},
	"shop.Member": {
		`{"username": "ann", "is_staff": true, "is_superuser": false, "joined": "2024-01-31",
		  "fetched": {"favourites": [], "groups": []}}`,
	},
	"auth.User":  {`{"username": "jim", "is_staff": false, "is_superuser": false}`},
	"common.Tag": {`{"label": "go", "uid": "u"}`},
}

func TestValidSamples(t *testing.T) {
	for _, opts := range []jsonschema.Options{{}, {BaseURL: "https://example.com/api/schemas/"}} {
		sch := schemas(t, opts)
		for name, samples := range validSamples {
			for i, text := range samples {
				if err := sch[name].Validate(instance(t, text)); err != nil {
					t.Errorf("%s sample %d (base URL %q) is invalid: %v", name, i, opts.BaseURL, err)
				}
			}
		}
	}
}

// invalid is a sample that breaks one rule: the validator must refuse it
// at the location given (a JSON pointer into the sample) with the keyword
// given.
type invalid struct {
	doc, sample, at, keyword string
}

// options is a valid shop.Options with the keys of extra set (or, when
// a value is "-", removed).
func options(t *testing.T, extra string) string {
	t.Helper()
	base := map[string]any{}
	json.Unmarshal([]byte(validSamples["shop.Options"][0]), &base)
	var over map[string]any
	if err := json.Unmarshal([]byte(extra), &over); err != nil {
		t.Fatal(err)
	}
	for k, v := range over {
		if v == "-" {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	b, _ := json.Marshal(base)
	return string(b)
}

func TestInvalidSamples(t *testing.T) {
	o := func(extra string) string { return options(t, extra) }
	cases := []invalid{
		// types
		{"shop.Person", `{"name": 3}`, "/name", "type"},
		{"shop.Person", `{"element_id": 12}`, "/element_id", "type"},
		{"shop.Everything", `{"i": 1.5}`, "/i", "type"},
		{"shop.Everything", `{"i": "1"}`, "/i", "type"},
		{"shop.Everything", `{"f": "1.5"}`, "/f", "type"},
		{"shop.Everything", `{"b": "true"}`, "/b", "type"},
		{"shop.Everything", `{"doc": null}`, "/doc", "type"},
		{"shop.Everything", `{"ss": "a"}`, "/ss", "type"},
		{"shop.Everything", `{"ss": [1]}`, "/ss/0", "type"},
		{"shop.Everything", `{"is": [1, "2"]}`, "/is/1", "type"},
		{"shop.Everything", `{"s": null}`, "/s", "type"},
		// formats and patterns of dates, times and durations
		{"shop.Everything", `{"d": "2024-13-01"}`, "/d", "format"},
		{"shop.Everything", `{"d": "31.01.2024"}`, "/d", "format"},
		{"shop.Everything", `{"d": "2024-01-31T00:00:00Z"}`, "/d", "format"},
		{"shop.Everything", `{"ds": ["2023-02-29"]}`, "/ds/0", "format"},
		{"shop.Everything", `{"dt": "2024-01-31T12:30:00"}`, "/dt", "format"},
		{"shop.Everything", `{"dt": "2024-01-31"}`, "/dt", "format"},
		{"shop.Everything", `{"ldt": "2024-01-31T12:30:00Z"}`, "/ldt", "pattern"},
		{"shop.Everything", `{"ldt": "2024-01-31T12:30:00+02:00"}`, "/ldt", "pattern"},
		{"shop.Everything", `{"ldt": "2024-01-31 12:30:00"}`, "/ldt", "pattern"},
		{"shop.Everything", `{"ldt": "2024-01-31T24:00:00"}`, "/ldt", "pattern"},
		{"shop.Everything", `{"ldts": ["2024-01-31"]}`, "/ldts/0", "pattern"},
		{"shop.Everything", `{"dur": "1h30m"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": "P"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": "PT"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": "P1DT"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": "P1D2Y"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": "PT1.5H"}`, "/dur", "pattern"},
		{"shop.Everything", `{"dur": 5400}`, "/dur", "type"},
		{"shop.Everything", `{"durs": ["PT0S", "x"]}`, "/durs/1", "pattern"},
		{"shop.Everything", `{"mail": "not an address"}`, "/mail", "format"},
		{"shop.Everything", `{"mails": ["a@b.example", "@"]}`, "/mails/1", "format"},
		// points
		{"shop.Everything", `{"where": {"srid": 4326, "x": 1}}`, "/where", "required"},
		{"shop.Everything", `{"where": {"srid": 1234, "x": 1, "y": 2}}`, "/where/srid", "enum"},
		{"shop.Everything", `{"where": {"srid": 4326, "x": 1, "y": 2, "z": 3}}`, "/where", "additionalProperties"},
		{"shop.Everything", `{"where": [1, 2]}`, "/where", "type"},
		{"shop.Everything", `{"where3d": {"srid": 9157, "x": 1, "y": 2}}`, "/where3d", "required"},
		{"shop.Everything", `{"where3d": {"srid": 4326, "x": 1, "y": 2, "z": 3}}`, "/where3d/srid", "enum"},
		{"shop.Everything", `{"points": [{"srid": 7203, "x": "0", "y": 0}]}`, "/points/0/x", "type"},
		// keys the encoding never writes
		{"shop.Everything", `{"zzz": 1}`, "", "additionalProperties"},
		{"shop.Options", o(`{"token": "secret"}`), "", "additionalProperties"},
		{"shop.Options", o(`{"secret_ids": [1]}`), "", "additionalProperties"},
		{"shop.Options", o(`{"full_name": "db_property is not a JSON key"}`), "", "additionalProperties"},
		{"auth.User", `{"username": "jim", "is_staff": false, "is_superuser": false, "password": "pbkdf2_sha256$1000$x$y"}`, "", "additionalProperties"},
		{"shop.Member", `{"username": "ann", "is_staff": false, "is_superuser": false, "password": "x"}`, "", "additionalProperties"},
		{"shop.Person", `{"extra": {"a": 1}}`, "", "additionalProperties"},
		{"shop.Named", `{"fetched": {}}`, "", "additionalProperties"},
		{"shop.Named", `{"isbn": "978"}`, "", "additionalProperties"},
		// required
		{"shop.Person", `{"uid": "u"}`, "", "required"},
		{"shop.Options", o(`{"code": "-"}`), "", "required"},
		{"shop.Options", o(`{"count": "-"}`), "", "required"},
		{"shop.Options", o(`{"flag": "-"}`), "", "required"},
		{"shop.Options", o(`{"wait": "-"}`), "", "required"},
		{"shop.Options", o(`{"home": "-"}`), "", "required"},
		{"shop.Options", o(`{"tags": "-"}`), "", "required"},
		{"shop.Knows", `{"since": "2024-01-31T12:30:00Z"}`, "", "required"},
		{"auth.User", `{"is_staff": false, "is_superuser": false}`, "", "required"},
		{"common.Tag", `{"uid": "u"}`, "", "required"},
		// choices, bounds, lengths, patterns
		{"shop.Options", o(`{"size": "XL"}`), "/size", "enum"},
		{"shop.Options", o(`{"size": "m"}`), "/size", "enum"},
		{"shop.Options", o(`{"grade": 4}`), "/grade", "enum"},
		{"shop.Options", o(`{"half": 0.25}`), "/half", "enum"},
		{"shop.Options", o(`{"sizes": ["S", "XL"]}`), "/sizes/1", "enum"},
		{"shop.Knows", `{"score": 1, "how": "gym"}`, "/how", "enum"},
		{"shop.Options", o(`{"ranged": 6}`), "/ranged", "maximum"},
		{"shop.Options", o(`{"ranged": -6}`), "/ranged", "minimum"},
		{"shop.Options", o(`{"ratio": 1.6}`), "/ratio", "maximum"},
		{"shop.Options", o(`{"ratio": -0.1}`), "/ratio", "minimum"},
		{"shop.Employee", `{"name": "E", "salary": -1}`, "/salary", "minimum"},
		{"shop.Options", o(`{"code": "ABCDEFGHIJK"}`), "/code", "maxLength"},
		{"shop.Options", o(`{"code": "A"}`), "/code", "minLength"},
		{"shop.Options", o(`{"code": "abc"}`), "/code", "pattern"},
		{"shop.Options", o(`{"name": "abcd"}`), "/name", "maxLength"},
		{"shop.Options", o(`{"name": "ab😀d"}`), "/name", "maxLength"},
		{"shop.Options", o(`{"tags": ["abcdef"]}`), "/tags/0", "maxLength"},
		{"shop.Options", o(`{"tags": ["ab", "Ab"]}`), "/tags/1", "pattern"},
		{"shop.Options", o(`{"slug": "go_lang"}`), "/slug", "pattern"},
		{"shop.Options", o(`{"word": "K9 4."}`), "/word", "pattern"},
		{"shop.Options", o(`{"contact": "x"}`), "/contact", "format"},
		{"shop.Country", `{"code": "DEU"}`, "/code", "maxLength"},
		// extra
		{"shop.Memo", `{"extra": {"title": "declared"}}`, "/extra", "propertyNames"},
		{"shop.Memo", `{"extra": {"text": "declared stored key of body"}}`, "/extra", "propertyNames"},
		{"shop.Memo", `{"extra": {"urgent": true}}`, "/extra", "propertyNames"},
		{"shop.Memo", `{"extra": {"k": {"a": 1}}}`, "/extra/k", "anyOf"},
		{"shop.Memo", `{"extra": {"k": [1, "a"]}}`, "/extra/k", "anyOf"},
		{"shop.Memo", `{"extra": {"k": null}}`, "/extra/k", "anyOf"},
		{"shop.Memo", `{"extra": {}}`, "/extra", "minProperties"},
		{"shop.Document", `{"extra": []}`, "/extra", "type"},
		// fetched
		{"shop.Person", `{"fetched": {}}`, "/fetched", "minProperties"},
		{"shop.Person", `{"fetched": {"friends": []}}`, "/fetched", "additionalProperties"},
		{"shop.Person", `{"fetched": {"city": []}}`, "/fetched/city", "anyOf"},
		{"shop.Person", `{"fetched": {"city": {"name": 1}}}`, "/fetched/city/name", "type"},
		{"shop.Person", `{"fetched": {"knows": null}}`, "/fetched/knows", "type"},
		{"shop.Person", `{"fetched": {"knows": [{"name": "Bob"}]}}`, "/fetched/knows/0", "required"},
		{"shop.Person", `{"fetched": {"knows": [{"node": {"name": "Bob"}}]}}`, "/fetched/knows/0", "required"},
		{"shop.Person", `{"fetched": {"knows": [{"node": {"name": "Bob"}, "rel": {"score": 1}, "more": 1}]}}`, "/fetched/knows/0", "additionalProperties"},
		{"shop.Person", `{"fetched": {"knows": [{"node": {"name": "Bob"}, "rel": {"type": "LIKES", "score": 1}}]}}`, "/fetched/knows/0/rel/type", "const"},
		{"shop.Person", `{"fetched": {"knows": [{"node": {"name": "Bob"}, "rel": {"score": "x"}}]}}`, "/fetched/knows/0/rel/score", "type"},
		{"shop.Person", `{"fetched": {"knows": [{"node": {}, "rel": {"score": 1}}]}}`, "/fetched/knows/0/node", "required"},
		{"shop.Person", `{"fetched": {"tags": [{"node": {"uid": "u"}, "rel": {}}]}}`, "/fetched/tags/0/node", "required"},
		{"shop.Person", `{"fetched": {"tags": [{"node": {"label": "go"}, "rel": {"since": "yesterday"}}]}}`, "/fetched/tags/0/rel/since", "format"},
		{"shop.Person", `{"fetched": {"account": {"username": "jim", "is_staff": false, "is_superuser": false, "password": "x"}}}`, "/fetched/account", "anyOf"},
		{"shop.Person", `{"fetched": {"account": {"username": "jim", "is_staff": false, "is_superuser": false, "fetched": {"groups": [{}]}}}}`, "/fetched/account/fetched/groups/0", "required"},
		{"shop.Employee", `{"name": "E", "fetched": {"reports": [{"name": "R", "salary": "high"}]}}`, "/fetched/reports/0/salary", "type"},
		{"shop.Book", `{"fetched": {"similar": [{"isbn": "978"}]}}`, "/fetched/similar/0", "additionalProperties"},
		{"shop.Knows", `{"score": 1, "type": 5}`, "/type", "type"},
		{"shop.Knows", `{"score": 1, "fetched": {}}`, "", "additionalProperties"},
	}
	sch := schemas(t, jsonschema.Options{})
	for _, c := range cases {
		err := sch[c.doc].Validate(instance(t, c.sample))
		if err == nil {
			t.Errorf("%s accepts %s", c.doc, c.sample)
			continue
		}
		verr, ok := err.(*validator.ValidationError)
		if !ok {
			t.Errorf("%s: %v", c.doc, err)
			continue
		}
		if !failsWith(verr, c.at, c.keyword) {
			t.Errorf("%s refuses %s, but not at %q with %s:\n%v", c.doc, c.sample, c.at, c.keyword, err)
		}
	}
}

// failsWith reports whether one of the errors in e is at the instance
// location at with keyword.
func failsWith(e *validator.ValidationError, at, keyword string) bool {
	loc := ""
	for _, l := range e.InstanceLocation {
		loc += "/" + l
	}
	if loc == at && e.ErrorKind != nil && slices.Contains(e.ErrorKind.KeywordPath(), keyword) {
		return true
	}
	for _, c := range e.Causes {
		if failsWith(c, at, keyword) {
			return true
		}
	}
	return false
}

// TestDefaultsValidate: every default a document declares is valid
// against the schema of its property.
func TestDefaultsValidate(t *testing.T) {
	docs := generate(t, filepath.Join("testdata", "everything"), jsonschema.Options{})
	c := compiler(t, docs)
	n := 0
	for _, d := range docs {
		var doc struct {
			Properties map[string]struct {
				Default json.RawMessage `json:"default"`
			} `json:"properties"`
		}
		json.Unmarshal(d.Content, &doc)
		for name, p := range doc.Properties {
			if p.Default == nil {
				continue
			}
			n++
			sch, err := c.Compile(base + d.File + "#/properties/" + name)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(instance(t, string(p.Default))); err != nil {
				t.Errorf("%s.%s: the default %s is invalid: %v", d.Name, name, p.Default, err)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d defaults", n)
	}
}

// TestBundleValidates: the bundle compiles, and its definitions validate
// as the documents do (references between them resolve inside it).
func TestBundleValidates(t *testing.T) {
	docs := generate(t, filepath.Join("testdata", "everything"), jsonschema.Options{})
	b, err := jsonschema.Bundle(docs)
	if err != nil {
		t.Fatal(err)
	}
	c := validator.NewCompiler()
	c.AssertFormat()
	doc, err := validator.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(base+"bundle.json", doc); err != nil {
		t.Fatal(err)
	}
	person, err := c.Compile(base + "bundle.json#/$defs/shop.Person")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range validSamples["shop.Person"] {
		if err := person.Validate(instance(t, s)); err != nil {
			t.Errorf("bundle: valid Person refused: %v", err)
		}
	}
	bad := `{"name": "Jim", "fetched": {"account": {"username": "jim", "is_staff": false, "is_superuser": false, "password": "x"}}}`
	if err := person.Validate(instance(t, bad)); err == nil {
		t.Error("bundle: a fetched user with a password accepted")
	}
}
