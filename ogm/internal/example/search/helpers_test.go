package search_test

import (
	"errors"
	"sync"

	"github.com/gonode/gonode/ogm"
)

// observed records the queries a *DB sends (ogm.WithObserver), with their
// parameters, for the tests that check values stay out of the text.
type observed struct {
	mu      sync.Mutex
	queries []ogm.Query
}

func (c *observed) observe(q ogm.Query) {
	c.mu.Lock()
	c.queries = append(c.queries, q)
	c.mu.Unlock()
}

// take returns the query texts seen since the last take.
func (c *observed) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.queries))
	for i, q := range c.queries {
		out[i] = q.Text
	}
	c.queries = nil
	return out
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
