"""Fixtures for graphbackend's own tests.

The Neo4j server comes from graphbackend's pytest plugin
(``graphbackend.pytest_plugin``, fixture ``neo4j_server``): ``NEO4J_URI`` if
set, else a testcontainers Neo4j when Docker answers, else the local launcher.
"""

import os
import shutil
from typing import Any, Dict, List

import pytest
from redun import Scheduler

from graphbackend import Neo4jBackend


@pytest.fixture
def backend(neo4j_server):
    """A loaded Neo4jBackend on an empty database (schema kept)."""
    backend = Neo4jBackend(**neo4j_server.backend_kwargs())
    backend.load(migrate=True)
    backend.graph.clear()
    yield backend
    backend.close()


@pytest.fixture
def make_backend(neo4j_server, backend):
    """``make_backend(**kwargs)``: extra backends (other settings) on the same emptied database."""
    made = []

    def make(**kwargs):
        other = Neo4jBackend(**neo4j_server.backend_kwargs(), **kwargs)
        other.load(migrate=False)
        made.append(other)
        return other

    yield make
    for other in made:
        other.close()


class Cypher:
    """Literal Cypher on the test backend's database (test inspection and setup only).

    ``cypher(text, **params)`` runs a statement in an auto-commit transaction and
    returns its rows as dicts; ``cypher.one(text, **params)`` returns the single
    value of a one-row, one-column result (a count, say).
    """

    def __init__(self, backend: Neo4jBackend):
        self.backend = backend

    def __call__(self, text: str, **params: Any) -> List[Dict[str, Any]]:
        graph = self.backend.graph
        with graph.driver.session(database=graph.settings.database) as session:
            return [record.data() for record in session.run(text, params)]

    def one(self, text: str, **params: Any) -> Any:
        rows = self(text, **params)
        assert len(rows) == 1 and len(rows[0]) == 1, f"expected one value, got {rows!r}"
        return next(iter(rows[0].values()))


@pytest.fixture
def cypher(backend) -> Cypher:
    """Run literal Cypher on the test database: ``cypher(text, **params) -> list[dict]``, ``cypher.one(...)``."""
    return Cypher(backend)


@pytest.fixture
def scheduler(backend):
    """A redun Scheduler recording into the empty test database."""
    return Scheduler(backend=backend)


# Browser tests ---------------------------------------------------------------

CHROMIUM = os.environ.get("GRAPHBACKEND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def chromium(tmp_path):
    """A Playwright BrowserContext on Debian's Chromium with a fresh user-data dir.

    Browser tests fail when Chromium or Playwright is missing (apt-get install
    chromium; pip install -e '.[test]'); set GRAPHBACKEND_SKIP_BROWSER_TESTS=1
    to skip them on purpose.
    """
    def unavailable(reason: str):
        if os.environ.get("GRAPHBACKEND_SKIP_BROWSER_TESTS") == "1":
            pytest.skip(f"{reason} (GRAPHBACKEND_SKIP_BROWSER_TESTS=1)")
        pytest.fail(f"{reason}: browser tests need Debian's chromium (apt-get install chromium) and "
                    f"playwright (pip install -e '.[test]'); GRAPHBACKEND_SKIP_BROWSER_TESTS=1 skips them")

    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()
