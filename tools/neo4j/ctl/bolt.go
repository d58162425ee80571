package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gonode/gonode/ogm"
)

// connect opens a driver for a Bolt URL. Credentials in the URL
// (bolt://user:password@host:port) win; otherwise neo4j / cfg.password.
func connect(cfg config, rawURL string) (neo4j.DriverWithContext, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad Bolt URL: %w", err)
	}
	user, password := "neo4j", cfg.password
	if u.User != nil {
		user = u.User.Username()
		if p, ok := u.User.Password(); ok {
			password = p
		}
	}
	u.User = nil
	return neo4j.NewDriverWithContext(u.String(), neo4j.BasicAuth(user, password, ""),
		func(c *neo4j.Config) {
			c.SocketConnectTimeout = 5 * time.Second
			c.ConnectionAcquisitionTimeout = 10 * time.Second
			c.MaxTransactionRetryTime = 5 * time.Second
		})
}

// ping runs RETURN 1 once, with a time limit.
func ping(ctx context.Context, cfg config, rawURL string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	driver, err := connect(cfg, rawURL)
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	session := driver.NewSession(ctx, neo4j.SessionConfig{})
	defer session.Close(ctx)
	result, err := session.Run(ctx, "RETURN 1", nil)
	if err != nil {
		return err
	}
	_, err = result.Consume(ctx)
	return err
}

// reset empties the default database: all nodes and relationships, all
// constraints and all indexes except the LOOKUP ones Neo4j keeps by default.
func reset(ctx context.Context, cfg config) error {
	target := cfg.externalURL
	if target == "" {
		unlock, err := lock(cfg)
		if err != nil {
			return err
		}
		defer unlock()
		s, ok := readServer(cfg)
		if !ok {
			return errors.New("no server running: run tools/neo4j/neo4j start")
		}
		target = s.URL
	}
	driver, err := connect(cfg, target)
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	session := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)

	// CALL { } IN TRANSACTIONS needs an auto-commit transaction: session.Run.
	result, err := session.Run(ctx,
		"MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err != nil {
		return fmt.Errorf("deleting nodes: %w", err)
	}
	summary, err := result.Consume(ctx)
	if err != nil {
		return fmt.Errorf("deleting nodes: %w", err)
	}
	db, err := ogm.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	removed, err := ogm.RemoveLabels(ctx, db)
	if err != nil {
		return err
	}
	info("reset: deleted %d nodes, dropped %d constraints and indexes",
		summary.Counters().NodesDeleted(), len(removed))
	return nil
}
