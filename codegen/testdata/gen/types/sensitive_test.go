package types_test

// Sensitive properties: never in JSON (nor read from it), redacted in fmt
// with every verb, absent from log/slog, and kept out of every error, on
// the node that declares them, a type extending it, a relationship model
// and the nodes of a Fetched struct.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/gonode/gonode/ogm"

	"example.com/gen/types"
)

// The secrets of secretValues; none of them may show anywhere.
var secrets = []string{"tok-Sekr3t-Token", "9871", "Fluffy-the-cat", "hidden.person@example.org", "grant-KEY-77"}

// secretValues returns a Secrets, with a Grant to a SecretsChild in its
// Fetched, and the child: every sensitive property set.
func secretValues() (*types.Secrets, *types.SecretsChild) {
	child := &types.SecretsChild{Secrets: types.Secrets{Name: "child-name", Token: "tok-Sekr3t-Token", Pin: ogm.Ptr(9871)}, Nickname: "child-nick"}
	s := &types.Secrets{Name: "shown-name", Token: "tok-Sekr3t-Token", Pin: ogm.Ptr(9871), Answers: []string{"Fluffy-the-cat"},
		Mail: "hidden.person@example.org", Choice: "b"}
	s.Fetched.Grants = []*types.Secrets{&child.Secrets}
	s.Fetched.GrantsRels = []*types.Grant{{Scope: "shown-scope", Key: "grant-KEY-77"}}
	return s, child
}

// leaks returns the secrets that text shows.
func leaks(text string) []string {
	var out []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// logged is what log/slog's text and JSON handlers write of v.
func logged(v any) []string {
	var out []string
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("m", "v", v)
		out = append(out, buf.String())
	}
	return out
}

// TestSensitiveOutputs prints the values every way a service does and
// finds no secret, and the properties that are not sensitive in each.
func TestSensitiveOutputs(t *testing.T) {
	s, child := secretValues()
	grant := s.Fetched.GrantsRels[0]
	type output struct{ how, text, shows string }
	var outs []output
	add := func(how, text, shows string) { outs = append(outs, output{how, text, shows}) }
	values := []struct {
		name  string
		v     any
		shows string
	}{
		{"*Secrets", s, "shown-name"},
		{"Secrets", *s, "shown-name"},
		{"[]*Secrets", []*types.Secrets{s}, "shown-name"},
		{"[]Secrets", []types.Secrets{*s}, "shown-name"},
		{"map[string]Secrets", map[string]types.Secrets{"k": *s}, "shown-name"},
		{"map[string]*Secrets", map[string]*types.Secrets{"k": s}, "shown-name"},
		{"a struct holding a Secrets", struct{ S types.Secrets }{*s}, "shown-name"},
		{"a struct embedding a *Secrets", struct{ *types.Secrets }{s}, "shown-name"},
		{"*SecretsChild", child, "child-nick"},
		{"SecretsChild", *child, "child-nick"},
		{"*Grant", grant, "shown-scope"},
		{"Grant", *grant, "shown-scope"},
		{"Fetched", s.Fetched, "child-name"},
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10v", "%-8s", "%d"} {
			add(verb+" of "+v.name, fmt.Sprintf(verb, v.v), "")
		}
		add("fmt.Sprint of "+v.name, fmt.Sprint(v.v), v.shows)
		for i, text := range logged(v.v) {
			add(fmt.Sprintf("slog handler %d of %s", i, v.name), text, v.shows)
		}
		b, err := json.Marshal(v.v)
		if err != nil {
			t.Fatalf("json.Marshal of %s: %v", v.name, err)
		}
		add("json.Marshal of "+v.name, string(b), "")
	}
	add("String of a Secrets error", errors.New(fmt.Sprint(s)).Error(), "shown-name")
	for _, o := range outs {
		if found := leaks(o.text); len(found) > 0 {
			t.Errorf("%s shows %q: %s", o.how, found, o.text)
		}
		if o.shows != "" && !strings.Contains(o.text, o.shows) {
			t.Errorf("%s does not show %q: %s", o.how, o.shows, o.text)
		}
	}
	// fmt's own shapes, the sensitive fields redacted, the unset ones left
	// empty.
	if plus := fmt.Sprintf("%+v", s); !strings.Contains(plus, "Name:shown-name Token:[redacted] Pin:[redacted] Answers:[redacted]") || !strings.Contains(plus, "Fetched:{Grants:[") {
		t.Errorf("%%+v: %s", plus)
	}
	if plus := fmt.Sprintf("%+v", types.Secrets{Name: "n"}); !strings.Contains(plus, "Token: Pin: Answers: Mail: Choice:") {
		t.Errorf("%%+v of unset secrets: %s", plus)
	}
	if goSyntax := fmt.Sprintf("%#v", *child); !strings.HasPrefix(goSyntax, `types.SecretsChild{Secrets:types.Secrets{`) || !strings.Contains(goSyntax, `Token:"[redacted]"`) || !strings.Contains(goSyntax, `Nickname:"child-nick"`) {
		t.Errorf("%%#v: %s", goSyntax)
	}
	// JSON: the sensitive keys are not there at all.
	b, _ := json.Marshal(s)
	for _, key := range []string{`"token"`, `"pin"`, `"answers"`, `"mail"`, `"private_mail"`, `"choice"`, `"key"`} {
		if strings.Contains(string(b), key) {
			t.Errorf("JSON has %s: %s", key, b)
		}
	}
	want := `{"name":"shown-name","fetched":{"grants":[{"node":{"name":"child-name"},"rel":{"scope":"shown-scope"}}]}}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	// log/slog: the values of the JSON encoding.
	if text := logged(s)[1]; !strings.Contains(text, `"v":{"name":"shown-name","fetched":{"grants":[`) {
		t.Errorf("slog JSON: %s", text)
	}
	// The one limit, Go's: fmt cannot call Format on a value reached
	// through an unexported field (it reads it by reflection only), so
	// such a value prints raw. A pointer there prints as an address with
	// the verbs that apply to pointers; with another (%s, %q) fmt prints
	// what it points to, raw too. log/slog and encoding/json skip
	// unexported fields.
	hidden := struct{ s *types.Secrets }{s}
	for _, verb := range []string{"%v", "%+v", "%#v", "%d", "%x", "%p"} {
		if out := fmt.Sprintf(verb, hidden); len(leaks(out)) > 0 || strings.Contains(out, "shown-name") {
			t.Errorf("%s of a pointer in an unexported field: %s", verb, out)
		}
	}
	for _, text := range logged(hidden) {
		if found := leaks(text); len(found) > 0 {
			t.Errorf("slog of a pointer in an unexported field shows %q: %s", found, text)
		}
	}
	if b, err := json.Marshal(hidden); err != nil || string(b) != "{}" {
		t.Errorf("JSON of a pointer in an unexported field: %s %v", b, err)
	}
	for _, raw := range []string{fmt.Sprintf("%+v", struct{ s types.Secrets }{*s}), fmt.Sprintf("%s", hidden)} {
		if len(leaks(raw)) == 0 {
			t.Errorf("printed redacted through an unexported field (the documented limit is gone: update docs/json.md): %s", raw)
		}
	}
	// Printing changes nothing.
	if s.Token != "tok-Sekr3t-Token" || *s.Pin != 9871 {
		t.Error("printing changed the value")
	}
}

// TestSensitiveNeverRead: decoding a body that holds sensitive properties
// reads the others only.
func TestSensitiveNeverRead(t *testing.T) {
	s := &types.Secrets{Token: "tok-kept"}
	body := `{"name": "n", "token": "tok-forged", "pin": 1111, "answers": ["x"], "mail": "a@example.com", "private_mail": "b@example.com", "choice": "a"}`
	if err := json.Unmarshal([]byte(body), s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "n" || s.Token != "tok-kept" || s.Pin != nil || s.Answers != nil || s.Mail != "" || s.Choice != "" {
		t.Errorf("decoded %#v", *s)
	}
	g := &types.Grant{}
	if err := json.Unmarshal([]byte(`{"scope": "s", "key": "k"}`), g); err != nil || g.Scope != "s" || g.Key != "" {
		t.Errorf("decoded %+v %v", g, err)
	}
	// A value of the wrong type for a sensitive property is not even
	// looked at.
	if err := json.Unmarshal([]byte(`{"pin": "not a number"}`), s); err != nil {
		t.Errorf("a sensitive key of the wrong type: %v", err)
	}
}

// errTexts is what a program may print of err.
func errTexts(err error) []string {
	out := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		out = append(out, e.Error(), fmt.Sprintf("%#v", e))
	}
	var verrs ogm.ValidationErrors
	if errors.As(err, &verrs) {
		for _, ve := range verrs {
			out = append(out, ve.Error(), fmt.Sprintf("%#v", *ve), fmt.Sprint(ve.Value))
		}
	}
	out = append(out, logged(err)...)
	return out
}

// TestSensitiveErrors: validation errors, misfit stored values and unique
// violations of sensitive properties hold and show no value, against the
// real database.
func TestSensitiveErrors(t *testing.T) {
	db, ctx := open(t)
	wipe := func() {
		if _, err := db.Cypher(context.Background(), "MATCH (n:Secrets) DETACH DELETE n", nil); err != nil {
			t.Fatal(err)
		}
	}
	wipe()
	t.Cleanup(wipe)
	if _, err := db.Cypher(ctx, "CREATE CONSTRAINT types_secrets_token IF NOT EXISTS FOR (n:Secrets) REQUIRE n.token IS UNIQUE", nil, ogm.AutoCommit()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Cypher(context.Background(), "DROP CONSTRAINT types_secrets_token IF EXISTS", nil, ogm.AutoCommit())
	})
	var texts []string
	// Every rule broken at once.
	bad := &types.Secrets{Token: "Sekr3t-Token-9871-Fluffy-the-cat-hidden.person@example.org", Pin: ogm.Ptr(98710), Mail: "Fluffy-the-cat", Choice: "Fluffy-the-cat"}
	_, err := types.SecretsNodes(db).Create(ctx, bad)
	var verrs ogm.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) != 5 {
		t.Fatalf("want 5 violations, got %v", err)
	}
	for _, ve := range verrs {
		if ve.Value != nil {
			t.Errorf("%s.%s (%s) holds its value", ve.Type, ve.Prop, ve.Rule)
		}
	}
	texts = append(texts, errTexts(err)...)
	// Not sensitive: the value is there, as before.
	if err := (&types.Options{Code: "ab", Stored: "s", GradeReq: 1}).Validate(); !strings.Contains(fmt.Sprint(err), `"ab" does not match`) {
		t.Errorf("a plain property's violation: %v", err)
	}
	// A unique violation.
	if _, err := types.SecretsNodes(db).Create(ctx, &types.Secrets{Name: "first", Token: "tok-Sekr3t-Token"}); err != nil {
		t.Fatal(err)
	}
	_, err = types.SecretsNodes(db).Create(ctx, &types.Secrets{Name: "second", Token: "tok-Sekr3t-Token"})
	if !errors.Is(err, ogm.ErrUnique) {
		t.Fatalf("want ErrUnique, got %v", err)
	}
	texts = append(texts, errTexts(err)...)
	// A stored value of the wrong type, read back.
	if _, err := db.Cypher(ctx, "MATCH (n:Secrets {name: 'first'}) SET n.pin = 'Fluffy-the-cat', n.answers = 'grant-KEY-77'", nil); err != nil {
		t.Fatal(err)
	}
	_, err = types.SecretsNodes(db).Get(ctx, types.SecretsName.Eq("first"))
	var pte *ogm.PropertyTypeError
	if !errors.As(err, &pte) || pte.Value != nil || pte.Prop != "pin" {
		t.Fatalf("want a PropertyTypeError on pin without its value, got %#v", err)
	}
	texts = append(texts, errTexts(err)...)
	for _, text := range texts {
		if found := leaks(text); len(found) > 0 {
			t.Errorf("an error shows %q: %s", found, text)
		}
	}
}

// TestSensitiveRoundTrip: a node with sensitive properties, its subtype
// and its relationship model, read back with FetchRelations, encode
// without them, and decoding their JSON keeps the stored secrets out.
func TestSensitiveRoundTrip(t *testing.T) {
	db, ctx := open(t)
	wipe := func() {
		if _, err := db.Cypher(context.Background(), "MATCH (n:Secrets) DETACH DELETE n", nil); err != nil {
			t.Fatal(err)
		}
	}
	wipe()
	t.Cleanup(wipe)
	s, child := secretValues()
	if _, err := types.SecretsNodes(db).Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := types.SecretsChildNodes(db).Create(ctx, child); err != nil {
		t.Fatal(err)
	}
	if err := s.Grants().Connect(ctx, &child.Secrets, s.Fetched.GrantsRels[0]); err != nil {
		t.Fatal(err)
	}
	got, err := types.SecretsNodes(db).Filter(types.SecretsName.Eq("shown-name")).FetchRelations(types.SecretsGrants).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != "tok-Sekr3t-Token" || got.Fetched.GrantsRels[0].Key != "grant-KEY-77" {
		t.Fatalf("the secrets were not read back: %+v", got)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if found := leaks(string(b)); len(found) > 0 {
		t.Errorf("JSON shows %q: %s", found, b)
	}
	rel := got.Fetched.GrantsRels[0]
	want := fmt.Sprintf(`{"element_id":%q,"name":"shown-name","fetched":{"grants":[{"node":{"element_id":%q,"name":"child-name"},"rel":{"element_id":%q,"type":"GRANTS","start_element_id":%q,"end_element_id":%q,"scope":"shown-scope"}}]}}`,
		got.ElementID(), child.ElementID(), rel.ElementID(), got.ElementID(), child.ElementID())
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	for _, text := range append(logged(got), fmt.Sprintf("%+v", got), fmt.Sprintf("%#v", rel)) {
		if found := leaks(text); len(found) > 0 {
			t.Errorf("printed with %q: %s", found, text)
		}
	}
	// The subtype, read as itself.
	c, err := types.SecretsChildNodes(db).Get(ctx, types.SecretsChildNickname.Eq("child-nick"))
	if err != nil || c.Token != "tok-Sekr3t-Token" {
		t.Fatalf("%v %v", c, err)
	}
	if b, _ := json.Marshal(c); string(b) != fmt.Sprintf(`{"element_id":%q,"name":"child-name","nickname":"child-nick"}`, c.ElementID()) {
		t.Errorf("subtype JSON %s", b)
	}
	if err := json.Unmarshal([]byte(`{"nickname": "renamed", "token": "tok-forged"}`), c); err != nil || c.Nickname != "renamed" || c.Token != "tok-Sekr3t-Token" {
		t.Errorf("decoded %v %v", c, err)
	}
}
