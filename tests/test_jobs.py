"""Executions and Jobs against the real server: backend calls and a scheduler run."""

import datetime as dt

import pytest
from redun import Scheduler, task
from redun.scheduler import Execution as SchedExecution
from redun.scheduler import Job

from graphbackend.backend import jobs as _jobs

redun_namespace = "graphbackend.tests.jobs"


@task()
def leaf(x: int) -> int:
    return x + 1


@task()
def middle(x: int) -> list:
    return [leaf(x), leaf(x + 10)]


@task()
def main(x: int = 1) -> list:
    return [middle(x), leaf(x)]


def _make_jobs(execution_id="exec-b"):
    execution = SchedExecution(execution_id)
    root = Job(main, main(1), id="job-root", execution=execution)
    child = Job(leaf, leaf(1), id="job-child", parent_job=root, execution=execution)
    return execution, root, child


def test_execution_args_and_heartbeat(cypher, backend, monkeypatch):
    backend.record_execution("exec-a", ["redun", "run", "wf.py", "main", "--x", "it's \"1\""])
    # Written with the root job's start (atomic run start; tests/test_run_start.py).
    backend.record_job_start(Job(main, main(1), id="job-a", execution=SchedExecution("exec-a")))
    [row] = cypher("MATCH (e:Execution {id: 'exec-a'}) RETURN e.args AS args, "
                  "e.start_time AS start, e.updated_time AS updated")
    assert row["args"] == '["redun","run","wf.py","main","--x","it\'s \\"1\\""]'
    # Recording is the first beat: updated_time starts at the start time.
    assert row["start"] is not None and row["updated"] == row["start"]
    # A beat right after (the scheduler's first) is not written again.
    backend.record_updated_time("exec-a")
    [first] = cypher("MATCH (e:Execution {id: 'exec-a'}) RETURN e.updated_time AS t")
    assert first["t"] == row["start"]
    # Once the interval has passed, a beat moves updated_time on.
    monkeypatch.setattr(_jobs, "HEARTBEAT_INTERVAL", 0.0)
    backend.record_updated_time("exec-a")
    [second] = cypher("MATCH (e:Execution {id: 'exec-a'}) RETURN e.updated_time AS t")
    assert second["t"] > first["t"]
    # A heartbeat of an unknown execution creates nothing.
    backend.record_updated_time("no-such-exec")
    assert cypher("MATCH (e:Execution) RETURN count(e) AS n") == [{"n": 1}]


def test_job_start_end_and_get_job(cypher, backend):
    execution, root, child = _make_jobs()
    backend.record_execution(execution.id, ["scheduler.run"])
    start = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    backend.record_job_start(root, now=start)
    backend.record_job_start(child)

    assert backend.get_job("job-root") == {
        "job_id": "job-root", "parent_id": None, "execution_id": "exec-b",
    }
    assert backend.get_job("job-child") == {
        "job_id": "job-child", "parent_id": "job-root", "execution_id": "exec-b",
    }
    assert backend.get_job("nope") is None

    [row] = cypher(
        "MATCH (e:Execution {id: 'exec-b'})-[:ROOT_JOB]->(r:Job)-[:CHILD]->(c:Job) "
        "MATCH (r)-[:TASK]->(rt:Task), (c)-[:TASK]->(ct:Task) "
        "RETURN r.id AS root, c.id AS child, r.start_time AS start, r.status AS status, "
        "r.task_hash AS task_hash, r.task_name AS task_name, rt.hash AS rt, ct.hash AS ct, "
        "r.cached AS cached, r.end_time AS end_time",
    )
    assert row["root"] == "job-root" and row["child"] == "job-child"
    assert row["start"].to_native() == start
    assert row["status"] == "RUNNING" and row["cached"] is False and row["end_time"] is None
    assert row["task_hash"] == main.hash == row["rt"]
    assert row["task_name"] == main.fullname
    assert row["ct"] == leaf.hash

    end = start + dt.timedelta(seconds=3)
    child.was_cached = True
    child.call_hash = "c" * 40
    backend.record_job_end(child, now=end)
    backend.record_job_end(root, now=end, status="FAILED")
    rows = cypher(
        "MATCH (j:Job) RETURN j.id AS id, j.end_time AS end, j.cached AS cached, "
        "j.status AS status, j.call_hash AS call_hash ORDER BY id",
    )
    assert [(r["id"], r["end"].to_native(), r["cached"], r["status"], r["call_hash"])
            for r in rows] == [
        ("job-child", end, True, "CACHED", "c" * 40),
        ("job-root", end, False, "FAILED", None),
    ]
    # Idempotent: recording the start again keeps the first start time and edges.
    backend.record_job_start(root)
    assert cypher("MATCH (j:Job {id: 'job-root'}) RETURN j.start_time AS s")[0][
        "s"
    ].to_native() == start
    assert cypher("MATCH ()-[r:ROOT_JOB|CHILD]->() RETURN count(r) AS n") == [{"n": 2}]


def test_job_end_without_start_is_recorded_whole(cypher, backend):
    execution, root, child = _make_jobs("exec-c")
    backend.record_execution(execution.id, ["scheduler.run"])
    backend.record_job_start(root)
    now = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    backend.record_job_end(child, now=now, status="FAILED")
    [row] = cypher(
        "MATCH (:Job {id: 'job-root'})-[:CHILD]->(j:Job {id: 'job-child'})-[:TASK]->(t:Task) "
        "RETURN j.start_time AS s, j.end_time AS e, j.status AS status, "
        "j.execution_id AS exec, t.hash AS task",
    )
    assert row["s"].to_native() == now == row["e"].to_native()
    assert row["status"] == "FAILED" and row["exec"] == "exec-c" and row["task"] == leaf.hash
    assert backend.get_job("job-child")["parent_id"] == "job-root"


def test_scheduler_run_records_execution_and_jobs(cypher, scheduler, backend):
    assert scheduler.run(main(2)) == [[3, 13], 3]
    [execution] = cypher("MATCH (e:Execution) RETURN e.id AS id, e.args AS args, "
                        "e.updated_time AS updated")
    assert execution["updated"] is not None
    assert execution["args"].startswith('["scheduler.run"')
    jobs = cypher(
        "MATCH (j:Job) OPTIONAL MATCH (p:Job)-[:CHILD]->(j) "
        "OPTIONAL MATCH (j)-[:CALL]->(c:CallNode) "
        "RETURN j.id AS id, j.task_name AS task, p.id AS parent, j.execution_id AS exec, "
        "j.status AS status, j.cached AS cached, j.end_time IS NOT NULL AS ended, "
        "j.call_hash AS call_hash, c.call_hash AS call_node",
    )
    by_task = {}
    for job in jobs:
        by_task.setdefault(job["task"], []).append(job)
    # redun's job table for this run: 5 jobs; leaf(2) appears twice, the second is cached.
    assert len(jobs) == 5
    assert sorted(job["status"] for job in jobs) == ["CACHED", "DONE", "DONE", "DONE", "DONE"]
    assert sorted(by_task) == sorted([main.fullname, middle.fullname, leaf.fullname])
    [root] = by_task[main.fullname]
    assert root["parent"] is None
    [root_link] = cypher("MATCH (e:Execution)-[:ROOT_JOB]->(j:Job) RETURN j.id AS id")
    assert root_link["id"] == root["id"]
    [mid] = by_task[middle.fullname]
    assert mid["parent"] == root["id"]
    assert {job["parent"] for job in by_task[leaf.fullname]} <= {root["id"], mid["id"]}
    for job in jobs:
        assert job["exec"] == execution["id"]
        assert job["ended"]
        assert job["status"] == ("CACHED" if job["cached"] else "DONE")
        assert job["call_hash"] and job["call_node"] == job["call_hash"]
        assert backend.get_job(job["id"]) == {
            "job_id": job["id"], "parent_id": job["parent"], "execution_id": execution["id"],
        }

    # Second run: served from the cache, recorded as a new execution with cached jobs.
    assert Scheduler(backend=backend).run(main(2)) == [[3, 13], 3]
    executions = cypher("MATCH (e:Execution)-[:ROOT_JOB]->(j:Job) "
                       "RETURN e.id AS id, j.status AS status, j.cached AS cached")
    assert len(executions) == 2
    second = [e for e in executions if e["id"] != execution["id"]][0]
    assert second["cached"] is True and second["status"] == "CACHED"


@task()
def boom(x: int) -> int:
    raise ValueError(f"boom {x}")


@task()
def failing_main() -> int:
    return boom(7)


def test_failed_jobs_are_recorded_failed(cypher, backend):
    with pytest.raises(ValueError, match="boom 7"):
        Scheduler(backend=backend).run(failing_main())
    jobs = cypher(
        "MATCH (j:Job) OPTIONAL MATCH (e:Execution)-[:ROOT_JOB]->(j) "
        "RETURN j.task_name AS task, j.status AS status, j.end_time IS NOT NULL AS ended, "
        "e IS NOT NULL AS is_root ORDER BY task",
    )
    assert jobs == [
        {"task": boom.fullname, "status": "FAILED", "ended": True, "is_root": False},
        {"task": failing_main.fullname, "status": "FAILED", "ended": True, "is_root": True},
    ]


def test_each_call_is_one_transaction(cypher, backend, monkeypatch):
    from redun.backends.base import TagEntity

    execution, root, child = _make_jobs("exec-tx")
    graph = backend.graph

    def transactions(call):
        before = graph.transactions
        call()
        return graph.transactions - before

    # The Execution is written with its root job's start (atomic run start).
    assert transactions(lambda: backend.record_execution("exec-tx", ["a"])) == 0
    assert transactions(lambda: backend.record_updated_time("exec-tx")) == 0  # not written yet
    assert transactions(lambda: backend.record_job_start(root)) == 1
    assert transactions(lambda: backend.record_updated_time("exec-tx")) == 0  # within the interval
    monkeypatch.setattr(_jobs, "HEARTBEAT_INTERVAL", 0.0)
    assert transactions(lambda: backend.record_updated_time("exec-tx")) == 1
    assert transactions(lambda: backend.record_job_end(child)) == 1  # never started: whole
    assert transactions(lambda: backend.record_job_end(root)) == 1
    assert transactions(lambda: backend.get_job("job-child")) == 1
    tags = [("a", 1), ("b", 2), ("a", 3)]
    assert transactions(lambda: backend.record_tags(TagEntity.Job, "job-root", tags)) == 1
    assert transactions(
        lambda: backend.record_tags(TagEntity.Job, "job-root", [("a", 4)], update=True)
    ) == 1
    assert transactions(lambda: backend.update_tags(TagEntity.Job, "job-root", ["b"], [("c", 5)])) == 1
    assert transactions(lambda: backend.delete_tags("job-root", [("c", 5)], keys=["a"])) == 1
    assert transactions(lambda: backend.get_tags(["job-root"])) == 1
    assert backend.get_tags(["job-root"]) == {}
    [row] = cypher("MATCH (e:Execution {id: 'exec-tx'})-[:ROOT_JOB]->(:Job)-[:CHILD]->"
                  "(c:Job {id: 'job-child'}) RETURN c.start_time = c.end_time AS same")
    assert row["same"] is True


def test_child_recorded_before_parent_is_linked_later(cypher, backend):
    """Out of order (e.g. a sub-scheduler recording into the same graph first)."""
    execution, root, child = _make_jobs("exec-o")
    backend.record_job_start(child)
    assert backend.get_job("job-child") == {
        "job_id": "job-child", "parent_id": "job-root", "execution_id": "exec-o",
    }
    assert backend.get_job("job-root") is None  # no stub parent was made
    backend.record_execution("exec-o", ["x"])
    backend.record_job_start(root)
    assert cypher("MATCH (:Execution {id: 'exec-o'})-[:ROOT_JOB]->(:Job {id: 'job-root'})"
                 "-[c:CHILD]->(:Job {id: 'job-child'}) RETURN count(c) AS n") == [{"n": 1}]
