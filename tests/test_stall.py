"""A bound on a running query when the server stalls (SIGSTOP), without cutting long honest ones.

The local server sends Bolt keep-alive NOOPs on every request and the hint
``connection.recv_timeout_seconds`` (3 x ``bolt_keep_alive``), which the driver
makes its read timeout. Before, a server frozen mid-transaction left the client
waiting forever. This test starts its own throwaway server with a 2 s keep-alive
(a 6 s bound; more margin against a loaded machine delaying the NOOPs) and always resumes and stops it.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from graphbackend.backend import stall
from graphbackend.backend.graph import Graph
from graphbackend.errors import Neo4jUnavailableError
from graphbackend.server.local import LocalServer, free_port
from graphbackend.settings import ConnectionSettings

PASSWORD = "stall-test-password"
#: How long the test waits for the client before calling it unbounded (the bound is 6 s).
LONGEST_WAIT = 120


@pytest.fixture(scope="module")
def stalling_server(tmp_path_factory):
    server = LocalServer(
        home=tmp_path_factory.mktemp("stall-neo4j"), bolt_port=free_port(), http_port=free_port(),
        password=PASSWORD, heap="512m", page_cache="64m", bolt_keep_alive=2, warm_up=False,
    )
    server.start()
    try:
        yield server
    finally:
        pid = server.pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)
        server.stop()


def graph_of(server: LocalServer) -> Graph:
    return Graph(ConnectionSettings.resolve(
        uri=server.bolt_uri, user="neo4j", password=PASSWORD, database="neo4j", environ={},
        connection_timeout=3, max_retry_time=3,
    ))


def test_the_local_server_announces_its_bound(stalling_server):
    assert stalling_server.query_stall_timeout == 6
    graph = graph_of(stalling_server)
    try:
        assert graph.read_tx(lambda tx: stall.recv_timeout(tx._tx)) == 6
    finally:
        graph.close()


def test_a_long_honest_query_is_not_cut(stalling_server):
    """A query waiting 12 s on a lock (twice the bound): the server's NOOPs keep it alive."""
    graph, holder = graph_of(stalling_server), graph_of(stalling_server)
    try:
        graph.write_tx(lambda tx: tx.run_text("MERGE (:StallProbe {id: 1})"))
        with holder.driver.session(database="neo4j") as session:
            locking = session.begin_transaction()
            locking.run("MATCH (p:StallProbe {id: 1}) SET p.holder = true").consume()
            timer = threading.Timer(12.0, locking.commit)
            timer.start()
            start = time.perf_counter()
            graph.write_tx(lambda tx: tx.run_text("MATCH (p:StallProbe {id: 1}) SET p.waited = true"))
            waited = time.perf_counter() - start
            timer.join()
        print(f"honest query waited {waited:.1f}s on a lock, bound 6s: not cut")
        assert waited >= 11.0
    finally:
        graph.close()
        holder.close()


def test_a_query_on_a_frozen_server_fails_naming_the_bound(stalling_server):
    graph = graph_of(stalling_server)
    pid = stalling_server.pid()
    assert pid is not None
    try:
        graph.read_tx(lambda tx: tx.run_text("RETURN 1"))  # connected; the pool keeps the connection
        os.kill(pid, signal.SIGSTOP)
        start = time.perf_counter()
        outcome = []

        def query():
            try:
                outcome.append(graph.read_tx(lambda tx: tx.run_text("MATCH (n) RETURN count(n) AS n")))
            except BaseException as error:  # noqa: BLE001 - the test looks at it
                outcome.append(error)

        client = threading.Thread(target=query, daemon=True)
        client.start()
        client.join(LONGEST_WAIT)
        elapsed = time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGCONT)
    client.join(60)
    graph.close()
    assert elapsed < LONGEST_WAIT, f"the client was still waiting after {LONGEST_WAIT}s: no bound"
    [error] = outcome
    assert isinstance(error, Neo4jUnavailableError), repr(error)
    message = str(error)
    print(f"frozen server: error after {elapsed:.1f}s (bound 6s, then retries for max_retry_time 3s)")
    assert "stopped answering a running query: nothing received for 6s" in message
    assert "connection.recv_timeout_seconds" in message and "max_retry_time 3s" in message
    assert PASSWORD not in message
    # Resumed, the server answers again.
    again = graph_of(stalling_server)
    try:
        assert again.read_tx(lambda tx: tx.run_text("RETURN 1 AS one"))[0]["one"] == 1
    finally:
        again.close()
