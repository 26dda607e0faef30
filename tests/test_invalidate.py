"""``graphbackend invalidate``: the next run recomputes exactly the calls derived from the target.

A real workflow is recorded by a redun Scheduler into a real Neo4j; the CLI
invalidates one input File; the next run is compared job by job (which jobs
ran, which were served from the cache); the mark clears once recomputed; undo
and bad input.
"""

from __future__ import annotations

import json
import uuid

import pytest
from redun import File, Scheduler, task

from graphbackend import Neo4jBackend
from graphbackend.cli import main as cli_main

redun_namespace = "invalidate_test"


@task()
def read_len(text_file: File) -> int:
    return len(text_file.read())


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def plus_one(x: int) -> int:
    return x + 1


@task()
def main(a: File, b: File) -> list:
    return [double(read_len(a)), double(read_len(b)), plus_one(5)]


@pytest.fixture
def env(neo4j_env):
    """The CLI on the test server."""
    return neo4j_env


@pytest.fixture
def files(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("alpha\n")
    b = tmp_path / "b.txt"
    b.write_text("beta beta beta\n")
    return str(a), str(b)


def run(neo4j_server, files) -> str:
    """Run main in a fresh scheduler (a fresh process's view); returns the execution id."""
    backend = Neo4jBackend(**neo4j_server.backend_kwargs())
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    execution_id = str(uuid.uuid4())
    result = scheduler.run(main(File(files[0]), File(files[1])), execution_id=execution_id)
    assert result == [12, 30, 6]
    backend.close()
    return execution_id


def jobs(backend, execution_id):
    """{(task short name, its first argument's preview or hash): cached} for every job."""
    rows = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (j:Job {execution_id: $id})-[:CALL]->(c:CallNode) "
        "OPTIONAL MATCH (c)-[a:ARG]->(v:Value) WHERE a.position = 0 "
        "RETURN j.name AS name, coalesce(v.path, toString(v.preview), '') AS arg, j.cached AS cached",
        id=execution_id))
    return sorted((r["name"], r["arg"].rsplit("/", 1)[-1], r["cached"]) for r in rows)


def cli(*argv, capsys):
    code = cli_main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_invalidate_a_file_recomputes_exactly_the_calls_downstream(backend, env, files, neo4j_server, capsys):
    run(neo4j_server, files)
    second = run(neo4j_server, files)
    assert [cached for name, _, cached in jobs(backend, second) if name == "main"] == [True]

    # Dry run: the list, nothing written.
    code, out, _ = cli("invalidate", files[0], "--json", capsys=capsys)
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["target_kind"] == "file"
    assert report["by_task"] == {
        "invalidate_test.double": 1, "invalidate_test.main": 1, "invalidate_test.read_len": 1}
    assert backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) WHERE n:Invalidated OR n:Invalidation RETURN count(n) AS n"))[0]["n"] == 0

    code, out, _ = cli("invalidate", files[0], "--reason", "a.txt was corrupt", "--yes", capsys=capsys)
    assert code == 0 and "Invalidated 3 cached call(s)" in out
    inv = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (i:Invalidation) RETURN i.reason AS reason, i.user AS user, i.time AS time, "
        "COUNT { (i)-[:INVALIDATED]->(:CallNode) } AS calls"))[0]
    assert inv["reason"] == "a.txt was corrupt" and inv["user"] and inv["time"] and inv["calls"] == 3

    third = run(neo4j_server, files)
    # Job by job: main, read_len(a) and double(len(a)) ran again; the rest came from the cache.
    ran = sorted((name, arg) for name, arg, cached in jobs(backend, third) if not cached)
    assert ran == [("double", "6"), ("main", "a.txt"), ("read_len", "a.txt")]

    # The recomputation gave the same call hashes: the marks are cleared, history stays.
    marks = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (i:Invalidation)-[:INVALIDATED]->(c:CallNode) "
        "RETURN count(c) AS linked, sum(CASE WHEN c:Invalidated THEN 1 ELSE 0 END) AS marked, "
        "count(c.recomputed_time) AS recomputed"))[0]
    assert marks["linked"] == 3 and marks["marked"] == 0 and marks["recomputed"] == 3

    fourth = run(neo4j_server, files)
    assert [name for name, _, cached in jobs(backend, fourth) if not cached] == []


def test_undo_and_a_value_in_the_python_api(backend, env, files, neo4j_server, capsys):
    from graphbackend.history import invalidate as inv

    run(neo4j_server, files)
    target = inv.resolve_target(backend.graph, "invalidate_test.plus_one")
    assert target.kind == "task"
    the_plan = inv.plan(backend.graph, target)
    assert sorted(c["task_name"] for c in the_plan.calls) == ["invalidate_test.main", "invalidate_test.plus_one"]
    invalidation_id = inv.apply(backend.graph, the_plan, reason="new library")

    code, out, _ = cli("invalidate", "--undo", invalidation_id[:10], capsys=capsys)
    assert code == 0 and "Would clear the mark of 2 call(s)" in out
    assert backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (c:CallNode:Invalidated) RETURN count(c) AS n"))[0]["n"] == 2
    code, out, _ = cli("invalidate", "--undo", invalidation_id[:10], "--yes", capsys=capsys)
    assert code == 0 and "Cleared the mark of 2 call(s)" in out
    assert backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (c:Invalidated) RETURN count(c) AS n"))[0]["n"] == 0
    second = run(neo4j_server, files)
    assert [name for name, _, cached in jobs(backend, second) if not cached] == []

    code, out, _ = cli("invalidate", "--list", capsys=capsys)
    assert invalidation_id[:12] in out and "undone" in out


@pytest.mark.parametrize("argv, message", [
    (["invalidate", "no-such-thing-xyz"], "no execution, call, file, value or task matches 'no-such-thing-xyz'"),
    (["invalidate", "--yes"], "give a TARGET"),
    (["invalidate", "--undo", "ffffffffff"], "no invalidation with id 'ffffffffff'"),
])
def test_bad_input_is_one_line_and_writes_nothing(backend, env, files, neo4j_server, capsys, argv, message):
    run(neo4j_server, files)
    before = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) RETURN count(n) AS n"))[0]["n"]
    code, out, err = cli(*argv, capsys=capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err
    after = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) RETURN count(n) AS n"))[0]["n"]
    assert after == before
