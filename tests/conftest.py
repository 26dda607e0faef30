"""Fixtures for graphbackend's own tests.

The Neo4j server comes from graphbackend's pytest plugin
(``graphbackend.pytest_plugin``, fixture ``neo4j_server``): ``NEO4J_URI`` if
set, else a testcontainers Neo4j when Docker answers, else the local launcher.
"""

import pytest
from redun import Scheduler

from graphbackend import Neo4jBackend


@pytest.fixture
def backend(neo4j_server):
    """A loaded Neo4jBackend on an empty database (schema kept)."""
    backend = Neo4jBackend(
        uri=neo4j_server.uri,
        user=neo4j_server.user,
        password=neo4j_server.password,
        database=neo4j_server.database,
    )
    backend.load(migrate=True)
    backend._graph.clear()
    yield backend
    backend.close()


@pytest.fixture
def scheduler(backend):
    """A redun Scheduler recording into the empty test database."""
    return Scheduler(backend=backend)
