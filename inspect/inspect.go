package inspect

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/gonode/gonode/ogm"
)

// Options tune Database.
type Options struct {
	// Labels limits the inspection to the nodes that carry at least one of
	// these labels (and to the relationships that start at them). A "*" in
	// a pattern matches any run of characters ("Shop*"). Every pattern must
	// match a label of the database. Nil inspects every node.
	Labels []string
	// Sample, when positive, looks at no more than Sample nodes per label
	// (and relationships per type) for the label combinations, property
	// types, required properties and cardinalities. Counts still come from
	// the database's count store and are exact. 0 inspects everything.
	Sample int
	// NoRelProperties skips the properties of relationships: no
	// relationship type gets properties, and they are not read.
	NoRelProperties bool
	// NoRelCardinality skips measuring how many relationships each node
	// has: every relationship is left without a measured cardinality.
	NoRelCardinality bool
	// Progress, when set, is called (from one goroutine at a time) as each
	// step of the inspection ends, with a short description of it.
	Progress func(step string)

	// scan forces a way of reading properties, for tests.
	scan scanMode
}

// scanMode is how Database reads property keys and types.
type scanMode int

const (
	scanAuto       scanMode = iota
	scanProcedures          // db.schema.nodeTypeProperties / relTypeProperties: fastest on a whole database
	scanCypher              // aggregate Cypher over the selected nodes (with a label filter or a sample)
)

// Database reads the database behind db and describes what it holds: node
// types (label combinations), their properties and value types, which
// properties every node has, constraints and indexes, and the
// relationships between node types with their properties and degrees. It
// needs no plugin and only reads.
//
// Property keys and types come from the built-in procedures
// db.schema.nodeTypeProperties and db.schema.relTypeProperties, which read
// the whole database but fast, unless a label filter or sample selects less
// than an eighth of the nodes: then from aggregate Cypher over the selected
// nodes. (With the procedures, a relationship type's properties are those
// of all its relationships, wherever they start.) Neither tells a 3D point
// from a 2D one: a second query per property key holding points (and per
// label carrying it) does. Counts come from the count store, and degrees
// from the degree store where a relationship type leads to one node type
// only.
// Independent queries run concurrently, each in a read transaction of its
// own.
//
// It runs its own transactions, so it fails with ogm.ErrQuery when ctx
// carries one of db's (inside db.Write or db.Read). Its errors are
// *ogm.Error values with Op "inspect", or the context's error.
func Database(ctx context.Context, db *ogm.DB, opts Options) (*Schema, error) {
	if db.InTransaction(ctx) {
		// Concurrent queries sharing one transaction would take turns, and
		// the caller's transaction would see its own uncommitted writes.
		return nil, &ogm.Error{Op: "inspect", Kind: ogm.ErrQuery, Msg: "Inspect runs its own transactions; call it outside Write/Read"}
	}
	in := &inspector{db: db, opts: opts, start: time.Now()}
	return in.run(ctx)
}

// inspector holds the state of one Database call.
type inspector struct {
	db    *ogm.DB
	opts  Options
	start time.Time

	progressMu sync.Mutex

	counts   *graphCounts
	selected map[string]bool // the selected labels (every label without a filter)
	selOrder []string        // the selected labels, in token order
	filtered bool            // a label filter is in effect
	mode     scanMode
}

// progress reports a step to Options.Progress with the time since the
// start, one call at a time: the phases end in goroutines of their own.
func (in *inspector) progress(format string, args ...any) {
	if in.opts.Progress == nil {
		return
	}
	in.progressMu.Lock()
	defer in.progressMu.Unlock()
	in.opts.Progress(fmt.Sprintf(format, args...) + fmt.Sprintf(" (%.1fs)", time.Since(in.start).Seconds()))
}

// rows runs a read query and returns its rows. A failure is reported as
// the inspection's (Op "inspect"), not as the ReadCypher call it went
// through: the caller asked for an inspection and ran no Cypher of its own.
func (in *inspector) rows(ctx context.Context, query string, params map[string]any) ([][]any, error) {
	res, err := in.db.ReadCypher(ctx, query, params)
	if err != nil {
		return nil, asInspectError(err)
	}
	return res.Rows, nil
}

// asInspectError is err with Op "inspect" when it is an *ogm.Error. The
// copy keeps every other field, the cause that Unwrap returns included.
func asInspectError(err error) error {
	var e *ogm.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Op = "inspect"
	return &c
}

// run reads the count store and resolves the label filter first, as every
// other phase depends on them; then it reads the indexes, the node and
// relationship properties and the label combinations concurrently. The
// node types need the combinations and the indexes (which name a type), and
// the relationships' degrees need the node types: that chain runs in one
// goroutine while the property scans go on.
func (in *inspector) run(ctx context.Context) (*Schema, error) {
	counts, err := in.graphCounts(ctx)
	if err != nil {
		return nil, err
	}
	in.counts = counts
	in.progress("counted %d nodes and %d relationships", counts.nodes, counts.rels)
	if err := in.selectLabels(); err != nil {
		return nil, err
	}
	in.mode = in.opts.scan
	if in.mode == scanAuto {
		in.mode = in.chooseScan()
	}

	g, gctx := errgroup.WithContext(ctx)
	var (
		indexes   []Index
		combos    *comboSet
		nodeProps map[string]map[string]*propStat // combo key → property key → stat
		relProps  map[string]*relPropStat         // type → stats
		degrees   map[pairKey]*Relationship
		classes   *classSet
	)
	indexesRead := make(chan struct{})
	g.Go(func() (err error) {
		defer close(indexesRead)
		indexes, err = in.indexes(gctx)
		if err == nil {
			in.progress("read %d constraints and indexes", len(indexes))
		}
		return err
	})
	g.Go(func() (err error) {
		nodeProps, err = in.nodeProperties(gctx)
		if err == nil {
			in.progress("read node properties")
		}
		return err
	})
	if !in.opts.NoRelProperties {
		g.Go(func() (err error) {
			relProps, err = in.relProperties(gctx)
			if err == nil {
				in.progress("read relationship properties")
			}
			return err
		})
	}
	g.Go(func() error {
		var err error
		combos, err = in.combos(gctx)
		if err != nil {
			return err
		}
		in.progress("found %d label combinations", len(combos.list))
		<-indexesRead
		if gctx.Err() != nil {
			return gctx.Err()
		}
		classes = in.buildClasses(combos, indexes)
		degrees, err = in.measure(gctx, classes)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return in.assemble(classes, nodeProps, relProps, degrees, indexes), nil
}

// chooseScan picks the faster way to read properties. The procedures read
// every node of the database but do it about eight times faster than
// Cypher's properties() and valueType(): they win as soon as the selected
// nodes (or the sample) make up an eighth of the database. A sample that
// large is not worth taking: the inspection is then exact.
func (in *inspector) chooseScan() scanMode {
	var selected int64
	for _, l := range in.selOrder {
		n := in.counts.labelCount[l]
		if in.opts.Sample > 0 {
			n = min(n, int64(in.opts.Sample))
		}
		selected += n
	}
	if selected*8 < in.counts.nodes {
		return scanCypher
	}
	if in.opts.Sample > 0 {
		in.opts.Sample = 0
		in.progress("a sample of this size reads most of the database: inspecting every node instead")
	}
	return scanProcedures
}
