package ogm

import "github.com/gonode/gonode/ogm/internal/bolt"

// Neo4j value types, as Cypher returns them and as parameters accept them.
// They are the driver's own types, re-exported so that generated code and
// applications need to import only ogm.
type (
	// Date is a Cypher DATE (a calendar day, no time zone).
	Date = bolt.Date
	// LocalTime is a Cypher LOCAL TIME.
	LocalTime = bolt.LocalTime
	// LocalDateTime is a Cypher LOCAL DATETIME (no time zone).
	LocalDateTime = bolt.LocalDateTime
	// Time is a Cypher ZONED TIME.
	Time = bolt.Time
	// Duration is a Cypher DURATION (months, days, seconds and nanoseconds).
	Duration = bolt.Duration
	// Point2D is a Cypher POINT with x and y (or longitude and latitude).
	Point2D = bolt.Point2D
	// Point3D is a Cypher POINT with x, y and z.
	Point3D = bolt.Point3D
	// Node is a node as returned by Cypher: element id, labels, properties.
	Node = bolt.Node
	// Relationship is a relationship as returned by Cypher.
	Relationship = bolt.Relationship
	// GraphPath is a path as returned by Cypher (ogm.Path is a chain of
	// relationship handles for FetchRelations).
	GraphPath = bolt.Path
)
