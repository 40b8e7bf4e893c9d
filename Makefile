# The two front doors: `make run` (set up, load the examples, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LINEAGE := $(BIN)/lineage
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format schema diagram bench loadtest neo4j-fetch clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@scripts/system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $(STAMP)

# examples/lineage.yaml wires every importer to the example data, with schedules: its jobs
# load the embedded store once, then the service runs them (and the roll-up) on schedule.
CONFIG ?= examples/lineage.yaml
run: install
	$(LINEAGE) --config $(CONFIG) jobs run --all
	$(LINEAGE) --config $(CONFIG) summary
	$(LINEAGE) --config $(CONFIG) serve --host $(HOST) --port $(PORT)

test: install
	scripts/run-tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: install
	$(LINEAGE) schema > graphql/schema.graphql

# The README's diagram of the example platform (and docs/images/platform.svg).
diagram: install
	$(BIN)/python scripts/readme_diagram.py

# Speed as ratios against floors measured in the same run (docs/benchmarks.md):
# bench/scale.py on a hub graph of BENCH_SIZE=S|M|L (default S, results in bench/results/),
# SCALE_ARGS=--neo4j adds the Neo4j cases; then bench/parsers.py, each importer's parser
# on doubled inputs (PARSERS_ARGS, default --quick: sizes /10, about 2 minutes; PARSERS_ARGS=
# for the full sizes, about 15 minutes); then bench/run.py against networkx
# (BENCH_ARGS=--quick, --neo4j, --json).
BENCH_SIZE ?= S
PARSERS_ARGS ?= --quick
bench: install
	BENCH_SIZE=$(BENCH_SIZE) $(BIN)/python bench/scale.py $(SCALE_ARGS)
	$(BIN)/python bench/parsers.py $(PARSERS_ARGS)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# 32 clients for 60 s against a 100k-edge graph on 127.0.0.1, with imports alongside
# (docs/reliability.md); not part of `make test`.
loadtest: install
	$(BIN)/python bench/loadtest.py

neo4j-fetch:
	scripts/neo4j-local fetch

clean:
	rm -rf .lineage .pytest_cache .hypothesis .ruff_cache
