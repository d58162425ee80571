package rels_test

// Tests of the code generated from schema.yaml in this directory, against
// the real database ($NEO4J_BOLT_URL). codegen's TestGeneratedCode runs them
// (go test ./... in the module of codegen/testdata/gen).

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gonode/gonode/ogm"

	rels "example.com/gen/relationships"
)

func TestRelationships(t *testing.T) {
	ctx := context.Background()
	db, err := ogm.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	wipe := func() { db.Cypher(ctx, "MATCH (n) WHERE n:Person OR n:Dog OR n:Company DETACH DELETE n", nil) }
	wipe()
	defer wipe()
	person := func(name string) *rels.Person {
		p, err := rels.PersonNodes(db).Create(ctx, &rels.Person{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	jim, bob, ann := person("jim"), person("bob"), person("ann")
	acme, err := rels.CompanyNodes(db).Create(ctx, &rels.Company{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rels.CompanyNodes(db).Create(ctx, &rels.Company{Name: "other"})

	// one, out, with a reverse accessor on the target.
	rex, _ := rels.DogNodes(db).Create(ctx, &rels.Dog{Animal: rels.Animal{Name: "rex"}})
	if err := rex.Owner().Connect(ctx, jim); err != nil {
		t.Fatal(err)
	}
	if err := rex.Owner().Connect(ctx, bob); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second owner: %v", err)
	}
	if err := bob.Dogs().Connect(ctx, rex); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("reverse connect of a one: %v", err)
	}
	if dogs, err := jim.Dogs().All(ctx); err != nil || len(dogs) != 1 || dogs[0].Name != "rex" {
		t.Fatalf("dogs %v %v", dogs, err)
	}
	// in, zero_or_one, reverse out.
	if err := jim.Incoming().Connect(ctx, ann); err != nil {
		t.Fatal(err)
	}
	if n, err := ann.Mentees().Count(ctx); err != nil || n != 1 {
		t.Fatalf("mentees %d %v", n, err)
	}
	if mentor, err := jim.Incoming().Single(ctx); err != nil || mentor.Name != "ann" {
		t.Fatalf("mentor %v %v", mentor, err)
	}
	if err := ann.Mentees().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := bob.Incoming().Connect(ctx, jim); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second mentor: %v", err)
	}
	// in, one.
	if err := jim.IncomingOne().Connect(ctx, acme); err != nil {
		t.Fatal(err)
	}
	if err := acme.Staff().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := other.Staff().Connect(ctx, bob); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("second employer: %v", err)
	}
	// both, with a model and its defaults and validation.
	if err := jim.Knows().Connect(ctx, bob, &rels.Knows{Reason: "work", Weight: ogm.Ptr(0.5)}); err != nil {
		t.Fatal(err)
	}
	if err := jim.Knows().Connect(ctx, ann, &rels.Knows{Reason: "pub"}); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("bad reason: %v", err)
	}
	k, err := bob.Knows().Relationship(ctx, jim)
	if err != nil || k.Since.IsZero() || k.Reason != "work" || k.ReasonDisplay() != "work" || *k.Weight != 0.5 || k.RelType() != "KNOWS" {
		t.Fatalf("knows %+v %v", k, err)
	}
	k.Reason = "school"
	if err := k.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if ks, err := jim.Knows().Match(rels.KnowsReason.Eq("school"), rels.KnowsSince.Gt(time.Now().Add(-time.Hour))).All(ctx); err != nil || len(ks) != 1 {
		t.Fatalf("match %v %v", ks, err)
	}
	// zero_or_one with a model whose required property is validated.
	if err := jim.Rated().Connect(ctx, acme); !errors.Is(err, ogm.ErrValidation) {
		t.Fatalf("rating without stars: %v", err)
	}
	if err := jim.Rated().Connect(ctx, acme, &rels.Rating{Stars: 5, Comment: "good", Tags: []string{"fair"}, Payload: map[string]any{"a": 1}}); err != nil {
		t.Fatal(err)
	}
	if rs, err := acme.Raters().All(ctx); err != nil || len(rs) != 1 {
		t.Fatalf("raters %v %v", rs, err)
	}
	r, err := jim.Rated().Relationship(ctx, acme)
	if err != nil || r.Stars != 5 || r.StarsDisplay() != "Great" || r.Payload.(map[string]any)["a"] != 1.0 {
		t.Fatalf("rating %+v %v", r, err)
	}
	if err := ann.Reviewed().Connect(ctx, acme, &rels.Rating{Stars: 1}); err != nil {
		t.Fatal(err)
	}
	// one_or_more and its reverse; self relationships; lower-case type.
	if err := jim.Parents().Connect(ctx, ann); err != nil {
		t.Fatal(err)
	}
	if err := jim.Parents().Disconnect(ctx, ann); !errors.Is(err, ogm.ErrCardinality) {
		t.Fatalf("last parent: %v", err)
	}
	if cs, err := ann.Children().All(ctx); err != nil || len(cs) != 1 {
		t.Fatalf("children %v %v", cs, err)
	}
	if err := jim.BestFriend().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := jim.LowercaseType().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := jim.OutDefault().Connect(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if err := jim.OutExplicit().Connect(ctx, ann); err != nil {
		t.Fatal(err)
	}
	// jim.Pets() targets the abstract Animal, which has no label: the
	// runtime cannot match it yet (it needs an empty label to mean "any
	// node"), so it is only compiled here.
	_ = jim.Pets
	// FetchRelations along typed paths, several hops.
	for name, path := range map[string]ogm.Fetchable[*rels.Person]{
		"knows": rels.PersonKnows, "rated": rels.PersonRated, "dogs": rels.PersonDogs, "employer.staff": rels.PersonIncomingOne.With(rels.CompanyStaff),
		"incoming.mentees": rels.PersonIncoming.With(rels.PersonMentees), "incoming": rels.PersonIncoming,
	} {
		if n, err := rels.PersonNodes(db).FetchRelations(path).Filter(rels.PersonName.Eq("jim")).Count(ctx); err != nil || n != 1 {
			t.Errorf("fetch %s: %d %v", name, n, err)
		}
	}
	rows, err := rels.PersonNodes(db).FetchRelations(
		rels.PersonKnows, rels.PersonRated, rels.PersonDogs, rels.PersonIncomingOne.With(rels.CompanyStaff), ogm.Optional(rels.PersonIncoming.With(rels.PersonMentees)),
	).All(ctx)
	if err != nil || len(rows) != 1 || rows[0].Name != "jim" {
		t.Fatalf("fetch %v %v", rows, err)
	}
	f := rows[0].Fetched
	if len(f.Knows) != 1 || f.Rated.Name != "acme" || f.Dogs[0].Name != "rex" || f.IncomingOne.Fetched.Staff[0].Name != "bob" || f.Incoming.Fetched.Mentees[0] == nil {
		t.Fatalf("fetched %+v", f)
	}
	if n, err := rels.PersonNodes(db).FetchRelations(rels.PersonLowercaseType, rels.PersonBestFriend, rels.PersonOutDefault).Count(ctx); err != nil || n != 1 {
		t.Fatalf("count %d %v", n, err)
	}
}
