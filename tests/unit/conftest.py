"""Server-free unit tests of graphbackend's pure modules.

Nothing here may request ``neo4j_server``, ``backend`` or any fixture that
needs Neo4j; ``test_no_server_started`` checks that running them alone starts
no server.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
#: Fixtures that start or need a Neo4j server.
SERVER_FIXTURES = {"neo4j_server", "neo4j_empty", "backend", "scheduler", "cypher"}


def pytest_collection_modifyitems(config, items):
    """Refuse a unit test that would need a server (the fixtures are lazy, so none starts)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            needs = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
            if needs:
                raise pytest.UsageError(f"unit test {item.nodeid} needs a Neo4j server ({', '.join(sorted(needs))})")
