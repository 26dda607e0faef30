"""The writes queued for a job's end (``JobEndWrites``): committed with the next
write of the backend or a read that must see them, never by a plain read, or at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from graphbackend import Neo4jBackend


def _probes(graph, label="DeferProbe"):
    return graph.read_tx(lambda tx: tx.run_text(f"MATCH (p:{label}) RETURN count(p) AS n"))[0]["n"]


def test_queued_write_commits_with_the_next_write(backend):
    graph = backend.graph
    writes = backend._job_end_writes
    writes.queue(lambda tx: tx.run_text("CREATE (:DeferProbe {n: 1})"))
    assert _probes(graph) == 0  # a plain read never writes
    before = graph.transactions
    backend.record_tags("Execution", "no-such-execution", [("k", 1)])
    assert graph.transactions == before + 1  # one round trip: the queued write rode along
    assert len(writes) == 0
    assert _probes(graph) == 1


def test_read_that_sees_queued_writes(backend):
    graph = backend.graph
    writes = backend._job_end_writes
    value_hash = backend._values.prepare(["queued"]).hashes[0]
    writes.queue(lambda tx: tx.run_text("CREATE (:DeferProbe {n: 2})"))
    before = graph.transactions
    assert backend.get_value(value_hash) == (None, False)
    assert graph.transactions == before + 1  # the queued write committed in the read's transaction
    assert _probes(graph) == 1


def test_queued_writes_survive_a_failing_transaction(backend):
    writes = backend._job_end_writes
    writes.queue(lambda tx: tx.run_text("CREATE (:DeferProbe {n: 3})"))
    with pytest.raises(RuntimeError):
        writes.write_tx(lambda tx: (_ for _ in ()).throw(RuntimeError("boom")))
    assert _probes(backend.graph) == 1


def test_close_commits_queued_writes(backend, neo4j_server):
    other = Neo4jBackend(**neo4j_server.backend_kwargs())
    other.load()
    other._job_end_writes.queue(lambda tx: tx.run_text("CREATE (:DeferProbe {n: 4})"))
    other.close()
    assert _probes(backend.graph) == 1


def test_deferred_write_is_committed_at_exit(backend, neo4j_server):
    script = textwrap.dedent(
        f"""
        from graphbackend import Neo4jBackend
        backend = Neo4jBackend(uri={neo4j_server.uri!r}, user={neo4j_server.user!r},
                               password={neo4j_server.password!r}, database={neo4j_server.database!r})
        backend.load()
        backend._job_end_writes.queue(lambda tx: tx.run_text("CREATE (:ExitProbe)"))
        # the process ends without close(): nothing else commits the queued write
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    records = backend.graph.read_tx(lambda tx: tx.run_text("MATCH (p:ExitProbe) RETURN count(p) AS n"))
    assert records[0]["n"] == 1


def test_tracer_sees_every_query_and_transaction(backend):
    from graphbackend.backend.graph import READ_TRANSACTION, TEXT_QUERY, WRITE_TRANSACTION

    events = []
    tracer = lambda name, params, seconds: events.append((name, dict(params), seconds >= 0))  # noqa: E731
    backend.graph.add_tracer(tracer)
    backend.record_updated_time("exec-traced")
    backend.get_job("no-such-job")
    backend.graph.read_tx(lambda tx: tx.run_text("RETURN 1"))
    backend.graph.remove_tracer(tracer)
    backend.get_job("no-such-job")
    assert [(name, params) for name, params, _ in events] == [
        ("execution_updated_time", {"id": "exec-traced", "now": events[0][1]["now"]}),
        (WRITE_TRANSACTION, {"queries": 1}),
        ("job_get", {"id": "no-such-job"}),
        (READ_TRANSACTION, {"queries": 1}),
        (TEXT_QUERY, {}),
        (READ_TRANSACTION, {"queries": 1}),
    ]
    assert all(ok for _, _, ok in events)


def test_queue_is_bounded(backend):
    from graphbackend.backend.job_end_writes import MAX_QUEUED

    writes = backend._job_end_writes
    for n in range(MAX_QUEUED - 1):
        writes.queue(lambda tx, n=n: tx.run_text("CREATE (:DeferProbe {n: $n})", n=n))
    assert _probes(backend.graph) == 0 and len(writes) == MAX_QUEUED - 1
    writes.queue(lambda tx: tx.run_text("CREATE (:DeferProbe {n: -1})"))
    assert len(writes) == 0  # the bound reached: committed at once (what a SIGKILL can lose)
    assert _probes(backend.graph) == MAX_QUEUED
