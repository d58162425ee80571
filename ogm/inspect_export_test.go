package ogm

// SetInspectScan forces the way Inspect reads property keys and types, so
// that tests cover both: "procedures" (db.schema.*TypeProperties) or
// "cypher" (aggregate Cypher over the selected nodes).
func SetInspectScan(o *InspectOptions, mode string) {
	switch mode {
	case "procedures":
		o.scan = scanProcedures
	case "cypher":
		o.scan = scanCypher
	default:
		o.scan = scanAuto
	}
}

// MatchLabel exports matchLabel to tests.
var MatchLabel = matchLabel
