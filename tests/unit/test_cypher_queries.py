"""Named Cypher queries (``backend.cypher``), without a server."""

import re
from pathlib import Path

import pytest

from graphbackend.backend.cypher import query, query_names, statements
from graphbackend.errors import UnknownQueryError

PACKAGE = Path(__file__).resolve().parents[2] / "graphbackend"


def test_every_query_loads_and_is_not_empty():
    names = query_names()
    assert "job_start" in names and "schema" in names
    for name in names:
        assert query(name).strip(), name


def test_unknown_query_is_a_clear_error():
    with pytest.raises(UnknownQueryError, match=r"no Cypher query named 'no_such_query'.*cypher/no_such_query.cypher"):
        query("no_such_query")


def test_schema_splits_into_statements():
    parts = statements("schema")
    assert len(parts) > 5
    assert all(part and not part.endswith(";") for part in parts)
    assert any(part.startswith("CREATE CONSTRAINT") for part in parts)


def test_every_query_the_code_names_exists():
    """Each ``tx.run("name")`` / ``graph.read("name")``-style call in the package names a cypher/ file."""
    names = set(query_names())
    call = re.compile(r"\.(?:run|read|write|read_one|read_single)\(\s*\"([a-z_0-9]+)\"")
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used.update(call.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern finds the calls"
    assert used - names == set()
