"""Deferred writes (``Graph.defer_write``): committed with the next transaction, or at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_deferred_write_commits_with_the_next_transaction(backend):
    graph = backend._graph
    graph.defer_write(lambda tx: tx.run_text("CREATE (:DeferProbe {n: 1})"))
    before = graph.transactions
    count = graph.read_one("admin_count_nodes")
    assert graph.transactions == before + 1  # one round trip: the queued write rode along
    assert count is not None
    records = graph.read_tx(lambda tx: tx.run_text("MATCH (p:DeferProbe) RETURN count(p) AS n"))
    assert records[0]["n"] == 1


def test_deferred_write_is_committed_at_exit(backend, neo4j_server):
    script = textwrap.dedent(
        f"""
        from graphbackend import Neo4jBackend
        backend = Neo4jBackend(uri={neo4j_server.uri!r}, user={neo4j_server.user!r},
                               password={neo4j_server.password!r}, database={neo4j_server.database!r})
        backend.load()
        backend._graph.defer_write(lambda tx: tx.run_text("CREATE (:ExitProbe)"))
        # the process ends without close(): nothing else commits the queued write
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    records = backend._graph.read_tx(lambda tx: tx.run_text("MATCH (p:ExitProbe) RETURN count(p) AS n"))
    assert records[0]["n"] == 1
