"""The pytest plugin never empties a database it did not create or mark.

A database from ``NEO4J_URI`` is used only when it is empty (then marked) or
carries the plugin's test marker; a populated, unmarked one stops the test run
and is left exactly as it was. Here the populated database is this session's
own test database, filled with a real workflow's provenance and its marker
removed, so it looks like a user's database; the marker is put back after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from redun import Scheduler

from graphbackend import Neo4jBackend
from graphbackend.demo import workflow
from graphbackend.pytest_plugin import TEST_MARKER, UnsafeTestDatabase, check_test_database


def _marked(graph) -> bool:
    return graph.read_one("admin_test_marker_check")["marked"]


def _unmark(graph) -> None:
    graph.write_tx(lambda tx: tx.run_text(f"DROP INDEX {TEST_MARKER} IF EXISTS"))


def snapshot(graph) -> dict:
    """The database's content: node and relationship counts, every node's labels and
    properties, every relationship's type, ends and properties, and the index names."""
    def read(tx):
        nodes = tx.run_text("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        rels = tx.run_text(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, "
            "properties(r) AS props")
        indexes = tx.run_text("SHOW INDEXES YIELD name RETURN name")
        return {
            "nodes": len(nodes),
            "relationships": len(rels),
            "node_content": sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes),
            "rel_content": sorted(repr((r["type"], r["a"], r["b"], sorted(r["props"].items()))) for r in rels),
            "indexes": sorted(r["name"] for r in indexes),
        }
    return graph.read_tx(read)


@pytest.fixture
def user_like_db(backend, neo4j_server, tmp_path):
    """The test database holding a real workflow's provenance and no test marker."""
    graph = backend.graph
    was_marked = _marked(graph)
    scheduler = Scheduler(backend=backend)
    scheduler.run(workflow.main(str(tmp_path / "work")))
    backend.flush()
    _unmark(graph)
    yield graph
    graph.clear()
    if was_marked:
        graph.write("admin_test_marker_set")


def test_a_populated_unmarked_database_is_refused_untouched(user_like_db, neo4j_server):
    before = snapshot(user_like_db)
    assert before["nodes"] > 20 and before["relationships"] > 20
    assert TEST_MARKER not in before["indexes"]
    with pytest.raises(UnsafeTestDatabase) as refused:
        check_test_database(neo4j_server)
    message = str(refused.value)
    assert neo4j_server.uri in message and "no graphbackend test marker" in message
    assert f"{before['nodes'] - 1} nodes" in message  # every node but SchemaVersion
    assert "\n" not in message
    assert snapshot(user_like_db) == before


def test_a_test_run_pointed_at_a_populated_database_stops_before_any_test(user_like_db, neo4j_server, tmp_path):
    """The whole path: pytest with NEO4J_URI at a user's database exits at once, clearly."""
    before = snapshot(user_like_db)
    (tmp_path / "test_wipe.py").write_text(textwrap.dedent("""
        def test_would_empty_it(neo4j_empty):
            raise AssertionError("a test ran against a refused database")
    """))
    env = dict(os.environ, NEO4J_URI=neo4j_server.uri, NEO4J_USERNAME=neo4j_server.user,
               NEO4J_PASSWORD=neo4j_server.password or "", NEO4J_DATABASE=neo4j_server.database)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_wipe.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert f"the tests refuse NEO4J_URI={neo4j_server.uri}" in output
    assert "a test ran against a refused database" not in output
    assert snapshot(user_like_db) == before


def test_an_empty_database_is_accepted_and_marked(backend, neo4j_server):
    graph = backend.graph
    was_marked = _marked(graph)
    _unmark(graph)
    try:
        assert check_test_database(neo4j_server) == "empty, now marked"
        assert _marked(graph)
        assert graph.read_one("admin_count_nodes")["nodes"] == 0  # the marker is schema, not data
        graph.write_tx(lambda tx: tx.run_text("CREATE (:Execution {id: 'left-by-an-interrupted-run'})"))
        graph.clear()  # emptying between tests keeps the marker
        assert _marked(graph)
        graph.write_tx(lambda tx: tx.run_text("CREATE (:Execution {id: 'left-by-an-interrupted-run'})"))
        assert check_test_database(neo4j_server) == "marked"  # data left by a test run: still ours
    finally:
        graph.clear()
        if not was_marked:
            _unmark(graph)


def test_the_session_exports_the_test_server(neo4j_server):
    """A command line or subprocess that a test forgets to point elsewhere reaches the test server."""
    assert os.environ["NEO4J_URI"] == neo4j_server.uri
    assert os.environ["NEO4J_PASSWORD"] == (neo4j_server.password or "")
    backend = Neo4jBackend()
    assert backend.settings.uri == neo4j_server.uri and backend.settings.user == neo4j_server.user
    backend.close()
