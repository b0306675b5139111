# Two commands do all set-up on a fresh machine:
#   make run   - install into .venv, build the graph when its inputs changed, serve on 127.0.0.1:8000
#   make test  - install into .venv, then run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install build bench clean

install: $(STAMP)

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

test: install
	$(BIN)/python -m pytest

bench: build
	$(BIN)/python -m bench

clean:
	rm -rf build
