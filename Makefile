# The two set-up commands are `make run` and `make test`; everything installs into .venv.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --disable-pip-version-check
INDEX ?= $(or $(TRACUU_INDEX),data/index)
PORT ?= 8501
# Loopback by default; to serve a school network put a reverse proxy in front, or set ADDRESS=0.0.0.0.
ADDRESS ?= 127.0.0.1

.PHONY: install install-test install-cluster run test test-fast bench lint

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) -e .
	touch $@

# torch is pinned in the same command as sentence-transformers: a bare torch pulls a multi-GB CUDA build.
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) -e '.[test,st,bench,api]' torch==2.13.0
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Ray for `tracuu ingest --ray` and `tracuu serve --ray`; `make run` and `make test` never need it (its tests
# skip without it; .ci/run installs it so they run in CI).
$(VENV)/.installed-cluster: pyproject.toml $(VENV)/.installed-test
	$(PIP) -e '.[cluster]'
	touch $@

install-cluster: $(VENV)/.installed-cluster

# With TRACUU_API set the page asks that API and needs no index here.
run: install
	@test -n "$(TRACUU_API)" || test -f $(INDEX)/manifest.json || $(VENV)/bin/tracuu ingest corpus --index $(INDEX)
	TRACUU_INDEX=$(INDEX) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true --server.fileWatcherType none

test: install-test
	$(PY) -m pytest -q -rs

# For quick runs while working: leaves out the tests marked `model` (the real embedding model) and
# `browser` (Chromium). `make test`, the whole suite, is what CI runs.
test-fast: install-test
	$(PY) -m pytest -q -rs -m "not model and not browser"

bench: install-test
	$(PY) -m eval.bench

# import_graph: no import cycle between tracuu's modules (imports inside functions included), every import
# goes down the layers (tracuu core < ingest < index < qa < api, cluster < page < eval < tracuu.cli and
# tracuu.commands), and index/embedders/e5 imports nothing of tracuu but tracuu.errors, .config, .files
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m tests.import_graph
