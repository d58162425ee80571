package inspect

// SetScan forces the way Database reads property keys and types, so that
// tests cover both: "procedures" (db.schema.*TypeProperties) or "cypher"
// (aggregate Cypher over the selected nodes).
func SetScan(o *Options, mode string) {
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

// ProcType exports procType to tests.
var ProcType = procType
