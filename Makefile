# The two commands of the README. Both need Go, Java 17 and Maven; both start
# the repo's own Neo4j (tools/neo4j) unless NEO4J_BOLT_URL names a server.

WITH_NEO4J := tools/neo4j/with-neo4j

.PHONY: demo test check bench

## demo: start Neo4j and run the quickstart example end to end
demo:
	$(WITH_NEO4J) go run ./examples/quickstart

## bench: gonode against the raw driver and neomodel (writes bench/RESULTS.md);
## starts a Neo4j of its own unless NEO4J_BOLT_URL is set; see bench/README.md
bench:
	go run ./bench/compare $(BENCH_FLAGS)

## test: the whole suite against a real Neo4j (what CI runs)
test:
	$(WITH_NEO4J) $(MAKE) --no-print-directory check

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
