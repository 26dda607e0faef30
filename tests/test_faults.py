"""Failed run starts leave nothing behind, and export copes with what older graphs hold."""

from __future__ import annotations

import sqlite3

import pytest
from redun import Scheduler, task

from graphbackend.cli import main as cli
from graphbackend.errors import TagValueError


@task()
def step(x: int) -> int:
    return x * 2


def counts(cypher):
    return cypher.one("MATCH (n) RETURN count(n)"), cypher.one("MATCH ()-[r]->() RETURN count(r)")


def test_a_run_whose_execution_tag_is_refused_writes_nothing(backend, cypher):
    scheduler = Scheduler(backend=backend)
    assert scheduler.run(step(1)) == 2
    before = counts(cypher)
    with pytest.raises(TagValueError, match=r"tag 'bad' of Execution .*not JSON-serializable"):
        scheduler.run(step(2), tags=[("bad", object())])
    assert counts(cypher) == before
    assert cypher.one("MATCH (e:Execution) WHERE NOT (e)-[:ROOT_JOB]->() RETURN count(e)") == 0
    # The next run is unaffected.
    assert scheduler.run(step(3)) == 6


def test_a_refused_tag_of_a_started_execution_keeps_the_execution(backend, cypher):
    scheduler = Scheduler(backend=backend)
    scheduler.run(step(1))
    exec_id = cypher.one("MATCH (e:Execution) RETURN e.id")
    from redun.backends.base import TagEntity
    with pytest.raises(TagValueError):
        backend.record_tags(TagEntity.Execution, exec_id, [("bad", {1, 2})])
    assert cypher.one("MATCH (e:Execution {id: $id})-[:ROOT_JOB]->() RETURN count(e)", id=exec_id) == 1


def test_export_leaves_out_rootless_executions_and_says_so(backend, cypher, neo4j_server, tmp_path,
                                                           monkeypatch, capsys):
    Scheduler(backend=backend).run(step(5))
    # A rootless Execution, as graphs written before atomic run starts could hold.
    cypher("CREATE (:Execution {id: 'rootless-1', args: '[]'})")
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    dest = tmp_path / "out"
    assert cli(["export", str(dest), "--uri", neo4j_server.uri, "--user", neo4j_server.user,
                "--database", neo4j_server.database, "-q"]) == 0
    out = capsys.readouterr().out
    assert "Left out 1 execution(s) without a root job" in out
    db = next(dest.rglob("*.db"))
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM execution")]
    assert len(ids) == 1 and "rootless-1" not in ids
