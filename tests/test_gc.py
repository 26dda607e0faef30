"""``graphbackend gc``: retention with provenance rules, on workflows recorded by real redun runs.

- gc keeps a tagged execution's every record (``get_records`` before and after) and deletes
  the rest, except what the kept execution shares; unreferenced value-store blobs go;
- the cache stays correct (a kept workflow is served from the cache);
- an interrupted gc leaves a consistent graph and completes when run again;
- gc while a workflow records: the workflow's calls survive and it completes;
- bad input: one line, nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import uuid

import pytest
from redun import Scheduler, task
from redun.backends.base import TagEntity

from graphbackend import Neo4jBackend
from graphbackend.backend.value_store import FsspecValueStore
from graphbackend.cli import main as cli_main
from graphbackend.history import gc as gc_mod

redun_namespace = "gc_test"

NOW = dt.timedelta(0)


@task()
def square(x: int) -> int:
    return x * x


@task()
def shared() -> str:
    return "shared by every run " * 4


@task()
def total(xs: list) -> int:
    return sum(xs)


@task()
def slow(x: int) -> int:
    time.sleep(3)
    return x


@task()
def wf(n: int) -> list:
    return [total([square(i) for i in range(n)]), shared()]


@task()
def wf_slow(n: int) -> list:
    return [wf(n), slow(n)]


@pytest.fixture
def store(tmp_path):
    return str(tmp_path / "values")


def make_backend(neo4j_server, store) -> Neo4jBackend:
    backend = Neo4jBackend(**neo4j_server.backend_kwargs(), value_store_path=store, value_store_min_size=8)
    backend.load()
    return backend


def run(neo4j_server, store, expr) -> str:
    backend = make_backend(neo4j_server, store)
    scheduler = Scheduler(backend=backend)
    execution_id = str(uuid.uuid4())
    scheduler.run(expr, execution_id=execution_id)
    backend.close()
    return execution_id


def records(backend, execution_id):
    ids = list(backend.iter_record_ids([execution_id]))
    return sorted((json.dumps(r, sort_keys=True, default=str) for r in backend.get_records(ids)))


def count(backend, text, **params):
    return backend.graph.read_tx(lambda tx: tx.run_text(text, **params))[0][0]


def blobs(store):
    return {name for _, _, names in os.walk(store) for name in names}


def not_cached_jobs(backend, execution_id):
    rows = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (j:Job {execution_id: $id}) WHERE NOT j.cached RETURN j.name AS name", id=execution_id))
    return sorted(r["name"] for r in rows)


@pytest.fixture
def three_runs(backend, neo4j_server, store):
    kept = run(neo4j_server, store, wf(3))
    second = run(neo4j_server, store, wf(4))
    third = run(neo4j_server, store, wf(5))
    backend.record_tags(TagEntity.Execution, kept, [("keep", "yes")])
    backend.record_tags(TagEntity.Execution, third, [("project", "atlas")])
    backend.update_tags(TagEntity.Execution, third, ["project"], [("project", "zeus")])
    return kept, second, third


def test_gc_keeps_a_tagged_execution_and_deletes_the_rest(backend, neo4j_server, store, three_runs):
    kept, second, third = three_runs
    graph = backend.graph
    before = records(backend, kept)
    nodes_before = count(backend, "MATCH (n) RETURN count(n)")
    blobs_before = blobs(store)
    selection = gc_mod.Selection(keep_tags=[("keep", None)], running_grace=NOW)

    dry = gc_mod.collect(graph, selection, apply=False, grace_seconds=0)
    assert dry.dry_run and sorted(dry.executions) == sorted([second, third])
    # Jobs of wf(4) and wf(5): wf, total, shared and a square per element (4 + 5).
    assert dry.counts["executions"] == 2 and dry.counts["jobs"] == 2 * 3 + 4 + 5
    # Deleted: wf(4), wf(5), total x2, square(3) and square(4): 6 call nodes.
    assert dry.counts["call_nodes"] == 6
    assert dry.counts["value_store_blobs"] > 0 and dry.counts["value_store_bytes"] > 0
    assert count(backend, "MATCH (n) RETURN count(n)") == nodes_before  # a dry run leaves no trace
    assert count(backend, "MATCH (n) WHERE n:GcCandidate OR n:GcKeep OR n:Collecting RETURN count(n)") == 0

    value_store = FsspecValueStore(store)
    report = gc_mod.collect(graph, selection, apply=True, value_store=value_store, grace_seconds=0)
    assert report.counts == dry.counts
    assert report.deleted["Execution"] == 2 and report.deleted["CallNode"] == 6
    assert report.deleted["Tag"] == 2  # project=atlas and its successor project=zeus
    assert records(backend, kept) == before
    assert count(backend, "MATCH (e:Execution) RETURN collect(e.id)") == [kept]
    assert count(backend, "MATCH (j:Job) WHERE j.execution_id <> $id RETURN count(j)", id=kept) == 0
    assert count(backend, "MATCH (c:CallNode {task_name: 'gc_test.square'}) RETURN count(c)") == 3
    assert count(backend, "MATCH (t:Tag {key: 'project'}) RETURN count(t)") == 0
    # Every Value still in the graph has its blob; the deleted ones' blobs are gone.
    assert report.blobs_deleted == dry.counts["value_store_blobs"]
    assert len(blobs(store)) == len(blobs_before) - report.blobs_deleted
    stored = count(backend, "MATCH (v:Value) WHERE v.in_value_store RETURN collect(v.value_hash)")
    assert all(value_store.has(h) for h in stored)
    assert count(backend, "MATCH (n) WHERE n:GcCandidate OR n:GcKeep OR n:Collecting RETURN count(n)") == 0

    # The cache stays correct: the kept workflow is served from it, a deleted one recomputes.
    again = run(neo4j_server, store, wf(3))
    assert not_cached_jobs(backend, again) == []
    redo = run(neo4j_server, store, wf(4))
    assert not_cached_jobs(backend, redo) == ["square", "total", "wf"]


def test_interrupted_gc_leaves_a_consistent_graph_and_completes(backend, neo4j_server, store, three_runs):
    kept, second, third = three_runs
    graph = backend.graph
    before = records(backend, kept)
    selection = gc_mod.Selection(execution_ids=[second[:8], third], running_grace=NOW)

    calls = []

    def interrupt(done, total):
        calls.append(done)
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        gc_mod.collect(graph, selection, apply=True, value_store=FsspecValueStore(store),
                       batch_size=2, grace_seconds=0, progress=interrupt)
    # Consistent: the kept execution is whole; every Execution left has its root job; the
    # doomed records left are still :Collecting (no cache check returns them).
    assert records(backend, kept) == before
    assert count(backend, "MATCH (e:Execution) WHERE NOT (e)-[:ROOT_JOB]->(:Job) RETURN count(e)") == 0
    left = count(backend, "MATCH (n:Collecting) RETURN count(n)")
    assert left > 0
    assert count(backend, "MATCH (g:GcRun) WHERE g.status = 'collecting' RETURN count(g)") == 1
    with pytest.raises(Exception, match="interrupted"):
        gc_mod.collect(graph, selection, apply=False)

    report = gc_mod.collect(graph, gc_mod.Selection(), apply=True, value_store=FsspecValueStore(store),
                            grace_seconds=0)
    assert report.resumed
    assert count(backend, "MATCH (n:Collecting) RETURN count(n)") == 0
    assert count(backend, "MATCH (e:Execution) RETURN collect(e.id)") == [kept]
    assert records(backend, kept) == before
    stored = count(backend, "MATCH (v:Value) WHERE v.in_value_store RETURN collect(v.value_hash)")
    assert all(FsspecValueStore(store).has(h) for h in stored)
    assert len(blobs(store)) == len(stored)


def test_gc_while_a_workflow_records(backend, neo4j_server, store):
    old = run(neo4j_server, store, wf(4))
    box = {}

    def record():
        box["id"] = run(neo4j_server, store, wf_slow(4))

    thread = threading.Thread(target=record)
    thread.start()
    time.sleep(1.0)
    # The running execution reuses old's calls from the cache; gc of old must not break it.
    report = gc_mod.collect(backend.graph, gc_mod.Selection(execution_ids=[old], running_grace=NOW),
                            apply=True, value_store=FsspecValueStore(store), grace_seconds=5)
    thread.join(60)
    assert "id" in box
    new = box["id"]
    assert report.deleted.get("Execution") == 1
    # The new execution's provenance is whole: every job has its call, every call its result.
    assert count(backend, "MATCH (j:Job {execution_id: $id}) WHERE NOT (j)-[:CALL]->(:CallNode) "
                          "RETURN count(j)", id=new) == 0
    assert count(backend, "MATCH (:Job {execution_id: $id})-[:CALL]->(c:CallNode)-[:CHILD*0..]->(d) "
                          "WHERE NOT (d)-[:RESULT]->(:Value) RETURN count(d)", id=new) == 0
    assert count(backend, "MATCH (n:Collecting) RETURN count(n)") == 0
    again = run(neo4j_server, store, wf_slow(4))
    assert not_cached_jobs(backend, again) == []


@pytest.mark.parametrize("argv, message", [
    (["gc", "--yes"], "give a selection"),
    (["gc", "--execution", "no-such-execution"], "no execution with id 'no-such-execution'"),
    (["gc", "--older-than", "500w", "--yes"], "matches no execution"),
    (["gc", "--older-than", "soon"], "invalid duration 'soon'"),
])
def test_bad_input_is_one_line_and_writes_nothing(backend, neo4j_server, store, monkeypatch, capsys, argv, message):
    for name, value in (("NEO4J_URI", neo4j_server.uri), ("NEO4J_USERNAME", neo4j_server.user),
                        ("NEO4J_PASSWORD", neo4j_server.password or ""),
                        ("NEO4J_DATABASE", neo4j_server.database)):
        monkeypatch.setenv(name, value)
    run(neo4j_server, store, wf(2))
    before = count(backend, "MATCH (n) RETURN count(n)")
    code = cli_main(argv + ["--value-store", store])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert count(backend, "MATCH (n) RETURN count(n)") == before


def test_gc_command_line_dry_run_then_yes(backend, neo4j_server, store, monkeypatch, capsys):
    for name, value in (("NEO4J_URI", neo4j_server.uri), ("NEO4J_USERNAME", neo4j_server.user),
                        ("NEO4J_PASSWORD", neo4j_server.password or ""),
                        ("NEO4J_DATABASE", neo4j_server.database)):
        monkeypatch.setenv(name, value)
    kept = run(neo4j_server, store, wf(3))
    doomed = run(neo4j_server, store, wf(4))
    before = count(backend, "MATCH (n) RETURN count(n)")
    common = ["--execution", doomed[:8], "--running-within", "0s", "--grace", "0", "--value-store", store]
    assert cli_main(["gc", *common, "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["executions"] == [doomed] and dry["counts"]["call_nodes"] == 3
    assert count(backend, "MATCH (n) RETURN count(n)") == before
    assert cli_main(["gc", *common, "--yes", "-q"]) == 0
    out = capsys.readouterr().out
    assert "Deleted 1 execution(s)" in out and "node(s) deleted" in out
    assert count(backend, "MATCH (e:Execution) RETURN collect(e.id)") == [kept]
