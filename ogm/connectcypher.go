package ogm

// connectCypher is the Cypher of one connect between the nodes in a and b,
// shared by Connect (one pair) and ConnectMany (each row of an UNWIND), so
// that both lock, look for the pair and count the same way.
type connectCypher struct {
	// locks are the variables (a, b) to lock before anything is read.
	locks []string
	// write binds r, the relationship created or found, and created,
	// whether it was created; it carries the variables in scope through.
	write string
	// countA and countB count the relationships of a and b that the
	// limited ends allow ("0" for an unlimited end: counting it would walk
	// all its relationships for nothing).
	countA, countB string
}

// connectClauses renders a connect of rel whose relationship properties
// are the expression props ($props, row.props; "": none, a relationship
// without a model), carrying the variables in
// carry ("" or "row, ", with its trailing comma) through its WITH
// clauses.
//
// Without a limit the relationship is merged, and a per-call token written
// on creation (and removed again) tells which happened; with one, the pair
// is looked for and created when missing, the limited ends counted after
// the write. With multiple, every connect keeps a relationship of its own,
// so it is created, never looked for.
func (rel *RelSpec) connectClauses(props, carry string) connectCypher {
	other := rel.otherEnd()
	limited := rel.Cardinality.max() > 0 || other.max() > 0
	vars := carry + "a, b"
	c := connectCypher{locks: []string{"a", "b"}, countA: "0", countB: "0"}
	setProps, setCreated := "", ""
	if props != "" {
		setProps, setCreated = " SET r = "+props, "r = "+props+", "
	}
	c.write = "MERGE (a)" + rel.arrowVar("r") + "(b) ON CREATE SET " + setCreated + "r.`_gonode_new` = $token" +
		" WITH " + vars + ", r, coalesce(r.`_gonode_new` = $token, false) AS created" +
		" FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | REMOVE r.`_gonode_new`)"
	if limited || rel.Multiple {
		c.locks = nil
		if rel.Cardinality.max() > 0 {
			c.locks = append(c.locks, "a")
		}
		// A target that an owner needs is locked too, so that a Delete of
		// it (which locks it before counting its owners) sees this one.
		if other.max() > 0 || rel.Cardinality.min() > 0 {
			c.locks = append(c.locks, "b")
		}
	}
	// CREATE takes no undirected pattern: an undirected relationship is
	// written from a to b, and read in either direction.
	create := "CREATE (a)" + rel.directed().arrowVar("r") + "(b)" + setProps
	switch {
	case rel.Multiple:
		c.write = create + " WITH " + vars + ", r, true AS created"
	case limited:
		// Not merged: tried, concurrent connects from both ends (each
		// locking the limited end only) failed with "Unable to load NODE"
		// on 5.26. The pair connected already is looked for under the
		// lock (a pattern comprehension: no aggregate grouped by the
		// carried row), and created only when it is not there (OPTIONAL
		// CALL: measured cheaper per row than a CALL of a UNION).
		c.write = "WITH " + vars + ", head([(a)" + rel.arrowVar("e") + "(b) | e]) AS e" +
			" OPTIONAL CALL (" + vars + ", e) { WITH " + vars + ", e WHERE e IS NULL " + create + " RETURN r }" +
			" WITH " + vars + ", coalesce(r, e) AS r, e IS NULL AS created"
	}
	back := &RelSpec{Type: rel.Type, Direction: map[Direction]Direction{Out: In, In: Out, Both: Both}[rel.Direction]}
	if rel.Cardinality.max() > 0 {
		c.countA = "COUNT { (a)" + rel.arrow() + "(" + labelExpr([]string{rel.Target.info().Label}) + ") }"
	}
	if other.max() > 0 {
		c.countB = "COUNT { (b)" + back.arrow() + "(" + labelExpr([]string{rel.OwnerLabel}) + ") }"
	}
	return c
}
