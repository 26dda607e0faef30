"""pytest plugin: run redun's own test suite against ``Neo4jBackend``.

redun's fixtures and every ``Scheduler()`` built without a ``db_uri`` get their
backend from ``redun.scheduler.get_backend_from_config`` (an in-memory SQLite
``RedunBackendDb``). This plugin replaces that function, for each test, with one
that returns a loaded ``Neo4jBackend`` on the session's Neo4j server (fixture
``neo4j_server`` of graphbackend's pytest plugin), emptied before the test as
an in-memory SQLite database would be. A ``Scheduler`` given an explicit
``db_uri`` (redun's CLI and repository tests) keeps redun's own backend.

Tests listed in ``deselect.txt`` (beside this file) are deselected and counted;
each group there says why (they inspect ``RedunBackendDb``/SQLAlchemy
internals, run the SQL-only CLI, or need cloud SDKs that have nothing to do
with the backend).
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import redun.scheduler

from graphbackend import Neo4jBackend

DESELECT_FILE = Path(__file__).with_name("deselect.txt")


def load_deselected(path: Path = DESELECT_FILE) -> List[str]:
    """Node id prefixes from deselect.txt (``#`` lines are reasons and comments)."""
    prefixes = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            prefixes.append(line)
    return prefixes


def pytest_collection_modifyitems(config, items):
    prefixes = load_deselected()
    keep, dropped = [], []
    for item in items:
        nodeid = "::".join([item.path.name, *item.nodeid.split("::")[1:]])
        if any(nodeid == p or nodeid.startswith(p + "::") or nodeid.startswith(p + "[") for p in prefixes):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_ignore_collect(collection_path, config):
    # Modules listed whole whose imports need SDKs we do not install.
    name = collection_path.name
    return name in {line.split("::")[0] for line in load_deselected() if "::" not in line} or None


_GRAPHS = {}


def _session_graph(neo4j_server):
    """One loaded backend's Graph per session, used to empty the database between tests."""
    if neo4j_server.uri not in _GRAPHS:
        backend = Neo4jBackend(**neo4j_server.backend_kwargs())
        backend.load()
        _GRAPHS[neo4j_server.uri] = backend.graph
    return _GRAPHS[neo4j_server.uri]


@pytest.fixture(autouse=True)
def neo4j_backend_for_redun(monkeypatch, neo4j_server):
    """Every Scheduler without a db_uri records into the (emptied) Neo4j test database."""
    created: List[Neo4jBackend] = []
    original = redun.scheduler.get_backend_from_config

    def get_backend_from_config(backend_config=None):
        if backend_config is not None and backend_config.get("db_uri"):
            return original(backend_config)
        backend = Neo4jBackend(config=backend_config, **neo4j_server.backend_kwargs())
        backend.load()
        created.append(backend)
        return backend

    monkeypatch.setattr(redun.scheduler, "get_backend_from_config", get_backend_from_config)
    _session_graph(neo4j_server).clear()
    yield
    for backend in created:
        backend.close()
