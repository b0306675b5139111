# Two commands do all set-up on a fresh machine:
#   make run   - install into .venv, build the graph when its inputs changed, serve on 127.0.0.1:8000
#   make test  - install into .venv, then run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install build bench clean browser pango postgres virtuoso

# node_modules holds the pages' browser libraries (leaflet, cytoscape, chart.js, codemirror), served
# under /vendor; `npm run build` bundles the SPARQL editor (api/frontend/) with esbuild into
# node_modules/.kringloop/ (built at install, never committed)
NPM_STAMP := node_modules/.installed
install: pango $(STAMP) $(NPM_STAMP)

$(NPM_STAMP): package.json package-lock.json $(wildcard api/frontend/*.js)
	npm ci --no-audit --no-fund
	npm run build
	touch $(NPM_STAMP)

# the browser tests drive Debian's Chromium (never `playwright install`); apt-get needs root
browser:
	test -x /usr/bin/chromium || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y chromium; }

# WeasyPrint (the council note's PDF) draws text with Debian's Pango; apt-get needs root
pango:
	test -e /usr/lib/$$(uname -m)-linux-gnu/libpangoft2-1.0.so.0 || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation; }

# the state tests run against SQLite and a throwaway PostgreSQL cluster (initdb + pg_ctl, started by the tests)
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y postgresql; }

# the store-backend tests also run on OpenLink Virtuoso 7 (Debian's virtuoso-opensource: the engine behind the
# Flemish government's linked data), started by the tests in a folder of their own on free ports
virtuoso:
	command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource; }

# torch first, pinned to the local CPU build: an unpinned torch pulls a multi-GB CUDA build
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]' torch==2.13.0
	touch $(STAMP)

build: install
	$(BIN)/kringloop build --if-changed

run: build
	$(BIN)/kringloop serve --host 127.0.0.1 --port 8000

test: install browser postgres virtuoso
	$(BIN)/python -m pytest

# the benchmarks print their numbers (bench/README.md says what each measures); loopback only, bounded
bench: build
	$(BIN)/pip install --quiet -e '.[dev,bench]' torch==2.13.0
	$(BIN)/python bench/sparql_bench.py --repeats 15
	$(BIN)/python bench/cop_bench.py --repeat 3
	$(BIN)/python bench/recommender/evaluate.py --json bench/recommender/results.json
	$(BIN)/python bench/recommender/latency.py --repeat 20
	$(BIN)/python bench/load_bench.py --seconds 60 --clients 8
	$(BIN)/python bench/fair_sparql_bench.py --seconds 40 --slow 2 --quick 4 --json bench/results/fair_sparql.json

clean:
	rm -rf build
