"""Cache answers read ahead under a cache hit (``graphbackend/backend/read_ahead.py``) and
cache hits recorded by the writer thread (``job_end_writes.CachedJobWriter``).

- A cached rerun of a fan-out with a nested chain asks ``cache_check`` only for its top call
  (and for a call whose result is too large to read ahead), plus one ``cache_read_ahead``,
  and every Job of the rerun is in the graph, linked to its parent, when the run returns.
- Every answer read ahead equals the answer ``cache_check`` gives for the same check (a
  backend with ``cache_read_ahead=0``): evaluation-cache hits, CSE hits in the execution
  that recorded them, an invalidated call, and the large result that is not read ahead.
- The backend's own writes, another execution, and the time bound drop answers.
- A write of the writer thread that fails keeps its jobs: ``flush`` raises, and writes
  them once the server answers.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from redun import Scheduler, task
from redun.hashing import hash_arguments, hash_struct
from redun.task import CacheCheckValid, CacheResult, CacheScope
from redun.value import get_type_registry

from graphbackend import Neo4jBackend
from graphbackend.backend.read_ahead import READ_AHEAD_MAX_VALUE_BYTES

NS = "graphbackend_test_read_ahead"
redun_namespace = NS


@task(namespace=NS)
def ra_leaf(x: int) -> int:
    return x * 2


@task(namespace=NS)
def ra_big(x: int) -> str:
    return "x" * (READ_AHEAD_MAX_VALUE_BYTES + 1000 + x)


@task(namespace=NS)
def ra_step(depth: int) -> int:
    return ra_step(depth - 1) if depth > 0 else 0


@task(namespace=NS)
def ra_main(n: int) -> list:
    return [ra_leaf(i) for i in range(n)] + [ra_big(0), ra_step(5)]


def expected(n: int) -> list:
    return [i * 2 for i in range(n)] + ["x" * (READ_AHEAD_MAX_VALUE_BYTES + 1000), 0]


class Trace:
    """Names of the queries a backend's graph runs."""

    def __init__(self, backend: Neo4jBackend):
        self.names: List[str] = []
        backend.graph.add_tracer(lambda name, params, elapsed: self.names.append(name))

    def count(self, name: str) -> int:
        return self.names.count(name)


def check(backend: Neo4jBackend, task_hash: str, args_hash: str, execution_id: str) -> Tuple[Any, Any, Any]:
    """``check_cache``'s answer, its result by value hash (expressions compare by hash)."""
    eval_hash = hash_struct(["Eval", task_hash, args_hash])
    result, call_hash, cache_type = backend.check_cache(task_hash, args_hash, eval_hash, execution_id, set(),
                                                        CacheScope.BACKEND, CacheCheckValid.FULL)
    value = None if cache_type == CacheResult.MISS else get_type_registry().get_hash(result)
    return value, call_hash, cache_type


def hashed(value: Any) -> str:
    return get_type_registry().get_hash(value)


def main_call(n: int) -> Tuple[str, str]:
    return ra_main.hash, hash_arguments(get_type_registry(), (n,), {})


def descendants(cypher, task_hash: str, args_hash: str) -> List[Dict[str, str]]:
    return cypher(
        "MATCH (root:CallNode {task_hash: $t, args_hash: $a})-[:CHILD*]->(c:CallNode) "
        "RETURN DISTINCT c.task_hash AS task_hash, c.args_hash AS args_hash, c.task_name AS name",
        t=task_hash, a=args_hash)


def test_a_cached_rerun_asks_twice_and_records_every_job(cypher, backend):
    first = Scheduler(backend=backend).run(ra_main(20))
    assert first == expected(20)
    trace = Trace(backend)
    scheduler = Scheduler(backend=backend)
    assert scheduler.run(ra_main(20)) == expected(20)
    # The top call, and ra_big (its result is too large to read ahead); all else from memory.
    assert trace.count("cache_check") == 2, trace.names
    assert trace.count("cache_read_ahead") == 1
    # 1 main + 20 leaves + ra_big + 6 steps, all written by the time run() returned.
    execution_id = cypher.one("MATCH (e:Execution) RETURN e.id ORDER BY e.start_time DESC LIMIT 1")
    jobs = cypher("MATCH (j:Job {execution_id: $e}) "
                  "OPTIONAL MATCH (p:Job)-[:CHILD]->(j) OPTIONAL MATCH (j)-[:CALL]->(c:CallNode) "
                  "RETURN j.cached AS cached, j.parent_id AS parent_id, p.id AS linked, "
                  "c IS NOT NULL AS has_call, j.end_time IS NOT NULL AS ended", e=execution_id)
    assert len(jobs) == 28
    assert all(job["cached"] and job["ended"] and job["has_call"] for job in jobs)
    assert all(job["parent_id"] == job["linked"] for job in jobs)
    assert backend.flush() is None and cypher.one(
        "MATCH (j:Job {execution_id: $e}) RETURN count(j)", e=execution_id) == 28


def test_answers_read_ahead_are_cache_checks_answers(cypher, backend, make_backend):
    scheduler = Scheduler(backend=backend)
    assert scheduler.run(ra_main(6)) == expected(6)
    first_execution = cypher.one("MATCH (e:Execution) RETURN e.id")  # the CSE answers live there
    # One call marked invalidated, as `graphbackend invalidate` marks it.
    leaf3 = hash_arguments(get_type_registry(), (3,), {})
    assert cypher.one("MATCH (e:Evaluation {task_hash: $t, args_hash: $a}) SET e:Invalidated RETURN count(e)",
                      t=ra_leaf.hash, a=leaf3) == 1
    calls = descendants(cypher, *main_call(6))
    assert {call["name"] for call in calls} == {ra_leaf.fullname, ra_big.fullname, ra_step.fullname}
    assert len(calls) == 6 + 1 + 6

    for execution_id in (first_execution, "an-execution-of-another-run"):
        ahead, plain = make_backend(), make_backend(cache_read_ahead=0)
        trace = Trace(ahead)
        top = check(ahead, *main_call(6), execution_id)
        assert top == check(plain, *main_call(6), execution_id)
        kinds = set()
        for call in calls:
            answer = check(ahead, call["task_hash"], call["args_hash"], execution_id)
            assert answer == check(plain, call["task_hash"], call["args_hash"], execution_id), call
            kinds.add(answer[2])
        if execution_id == first_execution:
            assert top[2] == CacheResult.CSE and kinds == {CacheResult.CSE}
            assert trace.count("cache_read_ahead") == 0  # a CSE hit's result is final
        else:
            assert top[2] == CacheResult.SINGLE and kinds == {CacheResult.SINGLE, CacheResult.MISS}
            assert trace.count("cache_read_ahead") == 1
            # Queried: the top call, ra_big (too large to read ahead). The invalidated leaf's
            # miss came from memory, as its answer was read.
            assert trace.count("cache_check") == 2, trace.names


def test_own_writes_another_execution_and_time_drop_answers(cypher, backend, make_backend):
    assert Scheduler(backend=backend).run(ra_main(4)) == expected(4)
    leaf1 = (ra_leaf.hash, hash_arguments(get_type_registry(), (1,), {}))
    leaf2 = (ra_leaf.hash, hash_arguments(get_type_registry(), (2,), {}))

    ahead = make_backend()
    trace = Trace(ahead)
    assert check(ahead, *main_call(4), "run-a")[2] == CacheResult.SINGLE
    # This backend sets leaf 1's evaluation: its check queries and sees the new value.
    ahead.set_eval_cache(hash_struct(["Eval", *leaf1]), *leaf1, value=999)
    ahead.flush()
    assert check(ahead, *leaf1, "run-a") == (hashed(999), None, CacheResult.SINGLE)
    assert trace.count("cache_check") == 2
    # Another execution: queried.
    assert check(ahead, *leaf2, "run-b") == (hashed(4), None, CacheResult.SINGLE)
    assert trace.count("cache_check") == 3

    # Answers older than the bound are not used.
    stale = make_backend()
    stale._read_ahead.seconds = 0.0
    trace = Trace(stale)
    assert check(stale, *main_call(4), "run-c")[2] == CacheResult.SINGLE
    assert check(stale, *leaf2, "run-c") == (hashed(4), None, CacheResult.SINGLE)
    assert trace.count("cache_check") == 2 and trace.count("cache_read_ahead") == 1


def test_a_failed_write_of_cached_jobs_keeps_them(backend, cypher, unreachable_graph):
    from redun.utils import utcnow

    from graphbackend.backend.convert import to_epoch_micros
    from graphbackend.backend.job_end_writes import CachedJobWriter

    now = to_epoch_micros(utcnow())
    rows = [{"id": f"ra-job-{i}", "start": now, "end": now, "task_hash": "t", "task_name": f"{NS}.t",
             "execution_id": "ra-exec", "parent_id": None if i == 0 else "ra-job-0", "call_hash": None,
             "status": "CACHED"} for i in range(3)]
    writer = CachedJobWriter(unreachable_graph)
    writer.submit(rows)
    with pytest.raises(Exception, match="(?i)unavailable|connect|refused|reach"):
        writer.drain()
    assert writer.backlog == 3  # kept
    writer.graph = backend.graph  # the server answers again
    writer.drain()
    assert writer.backlog == 0
    assert cypher.one("MATCH (:Job {id: 'ra-job-0'})-[:CHILD]->(j:Job) RETURN count(j)") == 2
    writer.stop()


@pytest.fixture
def unreachable_graph():
    import socket

    from graphbackend.backend.graph import Graph
    from graphbackend.settings import ConnectionSettings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ConnectionSettings.resolve(uri=f"bolt://127.0.0.1:{port}", user="neo4j", password="x",
                                          database="neo4j", environ={}, connection_timeout=2, max_retry_time=1)
    graph = Graph(settings)
    yield graph
    graph.close()
