package benchutil

import (
	"context"
	"net/url"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Floor is the driver side of the benchmarks: neo4j-go-driver v5 used by
// hand, as a careful developer would (managed transactions, a session per
// unit of work, no bookmark manager).
type Floor struct{ Driver neo4j.DriverWithContext }

// DialFloor connects to the server at rawURL (bolt://user:password@host:port)
// and checks that it answers.
func DialFloor(ctx context.Context, rawURL string) (*Floor, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	pw, _ := u.User.Password()
	drv, err := neo4j.NewDriverWithContext(u.Scheme+"://"+u.Host, neo4j.BasicAuth(u.User.Username(), pw, ""))
	if err != nil {
		return nil, err
	}
	if err := drv.VerifyConnectivity(ctx); err != nil {
		drv.Close(ctx)
		return nil, err
	}
	return &Floor{Driver: drv}, nil
}

// Close closes the driver.
func (f *Floor) Close(ctx context.Context) { f.Driver.Close(ctx) }

// Read runs work in a managed read transaction of a new session.
func (f *Floor) Read(ctx context.Context, work func(tx neo4j.ManagedTransaction) error) error {
	s := f.Driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer s.Close(ctx)
	_, err := s.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return nil, work(tx) })
	return err
}

// Write runs work in a managed write transaction of a new session.
func (f *Floor) Write(ctx context.Context, work func(tx neo4j.ManagedTransaction) error) error {
	s := f.Driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer s.Close(ctx)
	_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return nil, work(tx) })
	return err
}
