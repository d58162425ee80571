package ogm

// Statement is a query as it would be sent: its Cypher text and its
// parameters, for logs and reviews (issue #20). Node sets, relationship
// rows and aggregates return one from their Statement method without
// running anything; every user value is in Params, never in Cypher.
type Statement struct {
	Cypher string
	Params map[string]any
}
