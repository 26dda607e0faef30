# The two commands of the README, and what they need. Everything installs itself:
# the system packages each needs (scripts/system-deps.sh: from Debian's apt when
# root, else one line naming what to install), a venv in .venv with the package and
# its test extra; the Neo4j jars come from Maven Central into ~/.cache/graphbackend
# on the first server start.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-redun setup system-deps-demo system-deps-test server-start server-stop bench lint

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

## What `demo` needs from the system (Python's venv, a JDK 17+, Maven) and what `test`
## needs besides (Chromium, PostgreSQL): installed from Debian when missing.
system-deps-demo:
	PYTHON=$(PYTHON) scripts/system-deps.sh demo

system-deps-test:
	PYTHON=$(PYTHON) scripts/system-deps.sh test

## The main job: a real redun workflow recorded into Neo4j on the local default server, run twice.
demo: system-deps-demo setup
	$(VENV)/bin/graphbackend demo

## The tests: graphbackend's own suite, then redun's own test suite against Neo4jBackend.
test: system-deps-test setup
	$(PY) -m pytest tests -q -ra
	$(MAKE) test-redun

## redun's own test suite against Neo4jBackend. Some of its tests write into the
## working directory (.redun/, redun.db, workflow.py), so it runs in a fresh temporary one.
## Its script tests run `#!/usr/bin/env python`: the venv's bin comes first on PATH
## (Debian has no `python` command unless python-is-python3 is installed).
test-redun: setup
	cd "$$(mktemp -d)" && PATH="$(abspath $(VENV))/bin:$$PATH" PYTHONPATH="$(CURDIR)" "$(abspath $(PY))" -m pytest \
	  -c "$(CURDIR)/tests/redun_suite/pytest.ini" -p tests.redun_suite.plugin --pyargs redun.tests -q -ra

## The benchmark: the same redun workflows on SQLite, PostgreSQL (Debian's postgresql package)
## and Neo4j (NEO4J_URI, else the local server); BENCH_ARGS e.g. --quick, --repeat 5, --clear-neo4j.
bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m benchmarks.run $(BENCH_ARGS)

## Lint and types: ruff (rules in pyproject [tool.ruff]) and mypy (0 errors, [tool.mypy]).
lint: setup
	$(PY) -m ruff check graphbackend tests benchmarks
	$(PY) -m mypy graphbackend

server-start: setup
	$(VENV)/bin/graphbackend server start

server-stop: setup
	$(VENV)/bin/graphbackend server stop
