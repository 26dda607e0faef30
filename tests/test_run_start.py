"""Atomic run start: an Execution appears with its root job and its tags, or not at all.

``record_execution`` and the execution tags the scheduler records right after
write nothing; the root job's start writes the Execution, the root Job and the
tags in one transaction. A client killed in between leaves nothing behind.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from redun import Scheduler, task
from redun.backends.base import TagEntity
from redun.hashing import hash_tag
from redun.scheduler import Execution as SchedExecution
from redun.scheduler import Job

from graphbackend.backend.graph import WRITE_TRANSACTION


@task(namespace="graphbackend.tests.run_start")
def double(x: int) -> int:
    return x * 2


# The client a test kills: it runs a one-job workflow with an execution tag and
# SIGKILLs itself right after the backend method named on its command line returned.
KILLED_CLIENT = textwrap.dedent(
    """
    import os, signal, sys
    from redun import Scheduler, task
    from graphbackend import Neo4jBackend

    kill_after = sys.argv[1]

    @task()
    def double(x: int) -> int:
        return x * 2

    backend = Neo4jBackend()
    original = getattr(backend, kill_after)

    def then_die(*args, **kwargs):
        result = original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(backend, kill_after, then_die)
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    scheduler.run(double(21), tags=[("project", "killed")])
    """
)


@pytest.mark.parametrize("kill_after", ["record_execution", "record_tags"])
def test_a_client_killed_before_its_root_job_started_leaves_no_execution(
    backend, cypher, neo4j_env, tmp_path, kill_after
):
    script = tmp_path / "client.py"
    script.write_text(KILLED_CLIENT)
    proc = subprocess.run([sys.executable, str(script), kill_after], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert cypher.one("MATCH (e:Execution) RETURN count(e)") == 0
    assert cypher.one("MATCH (t:Tag) RETURN count(t)") == 0
    assert cypher.one("MATCH (j:Job) RETURN count(j)") == 0


def test_a_run_records_execution_root_job_and_tags_in_the_root_jobs_transaction(backend, cypher):
    transactions = []

    def tracer(name, params, seconds):
        if name == WRITE_TRANSACTION:
            transactions.append(params["queries"])

    scheduler = Scheduler(backend=backend)
    backend.graph.add_tracer(tracer)
    execution = SchedExecution("exec-atomic")
    root = Job(double, double(1), id="job-atomic", execution=execution)
    backend.record_execution(execution.id, ["redun", "run", "wf.py", "double"])
    records = backend.record_tags(TagEntity.Execution, execution.id, [("project", "atlas"), ("n", 1)])
    backend.record_updated_time(execution.id)
    assert transactions == []  # nothing written yet
    assert cypher.one("MATCH (e:Execution) RETURN count(e)") == 0
    # Recorded all the same: redun's return value, and get_tags sees them.
    assert [(key, value) for _, entity_id, key, value in records] == [("project", "atlas"), ("n", 1)]
    assert backend.get_tags([execution.id]) == {execution.id: {"project": ["atlas"], "n": [1]}}

    backend.record_job_start(root)
    assert len(transactions) == 1
    [row] = cypher(
        "MATCH (e:Execution {id: 'exec-atomic'})-[:ROOT_JOB]->(j:Job) "
        "OPTIONAL MATCH (t:Tag)-[:TAGGED]->(e) "
        "RETURN e.args AS args, e.start_time AS start, e.updated_time AS updated, j.id AS job, "
        "collect(t.tag_hash) AS tags"
    )
    assert row["args"] == '["redun","run","wf.py","double"]' and row["job"] == "job-atomic"
    assert row["start"] is not None and row["updated"] == row["start"]
    assert sorted(row["tags"]) == sorted(tag_hash for tag_hash, _, _, _ in records)
    assert backend.get_tags([execution.id]) == {execution.id: {"project": ["atlas"], "n": [1]}}
    backend.graph.remove_tracer(tracer)

    # A whole run through redun's scheduler, then the same again served from the cache.
    for expected in (4, 4):
        assert scheduler.run(double(2), tags=[("k", "v")]) == expected
    assert cypher.one("MATCH (e:Execution) WHERE NOT (e)-[:ROOT_JOB]->() RETURN count(e)") == 0
    assert cypher.one(
        "MATCH (t:Tag {key: 'k'})-[:TAGGED]->(e:Execution)-[:ROOT_JOB]->(:Job) RETURN count(DISTINCT e)"
    ) == 2


def test_a_root_job_ended_without_a_start_brings_its_execution(backend, cypher):
    execution = SchedExecution("exec-end-only")
    root = Job(double, double(1), id="job-end-only", execution=execution)
    backend.record_execution(execution.id, ["x"])
    backend.record_tags(TagEntity.Execution, execution.id, [("a", 1)])
    root.was_cached = False
    root.call_hash = None
    backend.record_job_end(root)
    backend.flush()
    assert cypher.one(
        "MATCH (:Tag {key: 'a'})-[:TAGGED]->(:Execution {id: 'exec-end-only'})-[:ROOT_JOB]->"
        "(j:Job {id: 'job-end-only'}) RETURN j.status"
    ) == "DONE"


def test_an_edit_of_a_pending_executions_tags_is_linked_with_it(backend, cypher):
    execution = SchedExecution("exec-edit")
    root = Job(double, double(1), id="job-edit", execution=execution)
    backend.record_execution(execution.id, ["x"])
    backend.record_tags(TagEntity.Execution, execution.id, [("env", "dev")])
    backend.record_tags(TagEntity.Execution, execution.id, [("env", "prod")], update=True)
    backend.record_job_start(root)
    assert cypher.one(
        "MATCH (t:Tag {is_current: true})-[:TAGGED]->(:Execution {id: 'exec-edit'}) RETURN collect(t.value)"
    ) == ['"prod"']


def test_tag_edits_before_the_root_job_starts_end_as_if_written_at_once(backend, cypher):
    """update_tags/delete_tags of a pending Execution: same records and graph as on a started one."""

    def edits(exec_id):
        tagged = backend.record_tags(TagEntity.Execution, exec_id, [("a", 1), ("b", 2), ("c", 3)])
        updated = backend.update_tags(TagEntity.Execution, exec_id, ["b"], [("b2", 20)])
        deleted = backend.delete_tags(exec_id, [("a", 1)], keys=["c"])
        return tagged, updated, deleted

    for exec_id, pending_first in (("exec-late", True), ("exec-early", False)):
        execution = SchedExecution(exec_id)
        root = Job(double, double(1), id=f"{exec_id}-job", execution=execution)
        backend.record_execution(exec_id, ["x"])
        if pending_first:
            records = edits(exec_id)
            assert backend.get_tags([exec_id]) == {exec_id: {"b2": [20]}}
            backend.record_job_start(root)
        else:
            backend.record_job_start(root)
            records = edits(exec_id)
        assert backend.get_tags([exec_id]) == {exec_id: {"b2": [20]}}
        # The same hashes (apart from the entity id inside them) and the same history.
        shape = [[(key, value) for _, _, key, value in group] for group in records]
        assert shape == [[("a", 1), ("b", 2), ("c", 3)], [("b2", 20)], [("", None)]]
        assert records[0][0][0] == hash_tag(exec_id, "a", 1, [])
    history = cypher(
        "MATCH (t:Tag)-[:TAGGED]->(e:Execution) WITH e.id AS id, t "
        "OPTIONAL MATCH (n:Tag)-[:SUPERSEDES]->(t) "
        "RETURN id, t.key AS key, t.is_current AS current, n.key AS by ORDER BY id, key"
    )
    late = [(r["key"], r["current"], r["by"]) for r in history if r["id"] == "exec-late"]
    early = [(r["key"], r["current"], r["by"]) for r in history if r["id"] == "exec-early"]
    assert late == early and len(late) == 4
