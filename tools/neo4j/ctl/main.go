// Command neo4jctl starts, stops and resets a real local Neo4j server (an
// embedded Neo4j Community DBMS with Bolt on 127.0.0.1) for tests, demos and
// CI. It is run through the tools/neo4j/neo4j script; see
// tools/neo4j/README.md.
//
// Usage:
//
//	neo4jctl start|stop|kill|status|url|reset
//
// Informational output goes to stderr; the last line that start prints on
// stdout is the Bolt URL, bolt://neo4j:PASSWORD@127.0.0.1:PORT.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
)

// Defaults, each overridable by an environment variable (see loadConfig).
const (
	defaultVersion  = "5.26.x"
	defaultPassword = "gonode-local-pw"
	defaultPort     = 17687
)

const usage = `usage: neo4j start|stop|kill|status|url|reset

  start   start the local Neo4j (or check NEO4J_BOLT_URL); prints the Bolt URL last
  stop    stop the local Neo4j
  kill    kill the local Neo4j with SIGKILL (a crash: the next start recovers)
  status  print "running URL (pid N, version V)" (exit 0) or "stopped" (exit 3)
  url     print the Bolt URL of the running server (exit 1 if none)
  reset   delete all data, constraints and indexes (except LOOKUP indexes)

environment: NEO4J_VERSION (5.26.x), NEO4J_PASSWORD, NEO4J_BOLT_PORT (17687),
NEO4J_WITH_APOC=1, NEO4J_BOLT_URL, GONODE_NEO4J_DIR, JAVA_HOME
`

// config is what the environment asks for.
type config struct {
	dir         string // state folder, outside the repository
	toolsDir    string // tools/neo4j in the repository
	spec        string // NEO4J_VERSION: "5.26.x", "2025.10.x" or a version
	password    string
	port        int
	apoc        bool
	externalURL string // NEO4J_BOLT_URL: use that server instead of ours
}

// exitError carries a specific exit code, e.g. 3 for "status: stopped".
type exitError struct{ code int }

func (e exitError) Error() string { return "exit " + strconv.Itoa(e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) != 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	err := run(ctx, os.Args[1])
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "neo4j: error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, command string) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	switch command {
	case "start":
		return start(ctx, cfg)
	case "stop":
		return stopServer(cfg, false)
	case "kill":
		return stopServer(cfg, true)
	case "status":
		return status(ctx, cfg)
	case "url":
		return printURL(cfg)
	case "reset":
		return reset(ctx, cfg)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	default:
		fmt.Fprint(os.Stderr, usage)
		return exitError{2}
	}
}

func loadConfig() (config, error) {
	cfg := config{
		dir:         os.Getenv("GONODE_NEO4J_DIR"),
		toolsDir:    os.Getenv("GONODE_NEO4J_TOOLS_DIR"),
		spec:        envOr("NEO4J_VERSION", defaultVersion),
		password:    envOr("NEO4J_PASSWORD", defaultPassword),
		port:        defaultPort,
		apoc:        os.Getenv("NEO4J_WITH_APOC") == "1" || os.Getenv("NEO4J_WITH_APOC") == "true",
		externalURL: os.Getenv("NEO4J_BOLT_URL"),
	}
	if cfg.dir == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return cfg, err
			}
			cache = filepath.Join(home, ".cache")
		}
		cfg.dir = filepath.Join(cache, "gonode", "neo4j")
	}
	if p := os.Getenv("NEO4J_BOLT_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return cfg, fmt.Errorf("NEO4J_BOLT_PORT=%q is not a port number", p)
		}
		cfg.port = n
	}
	if len(cfg.password) < 8 {
		return cfg, errors.New("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)")
	}
	if cfg.toolsDir == "" {
		dir, err := findToolsDir()
		if err != nil {
			return cfg, err
		}
		cfg.toolsDir = dir
	}
	var err error
	if cfg.dir, err = filepath.Abs(cfg.dir); err != nil {
		return cfg, err
	}
	cfg.toolsDir, err = filepath.Abs(cfg.toolsDir)
	return cfg, err
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// findToolsDir looks for tools/neo4j from the working directory upwards, for
// when the program runs without the wrapper script (go run ./tools/neo4j/ctl).
func findToolsDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "tools", "neo4j")
		if _, err := os.Stat(filepath.Join(candidate, "launcher", "pom.xml")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find tools/neo4j: run through tools/neo4j/neo4j or set GONODE_NEO4J_TOOLS_DIR")
		}
		dir = parent
	}
}

// info prints a progress line on stderr, keeping stdout for results.
func info(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "neo4j: "+format+"\n", args...)
}
