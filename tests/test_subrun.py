"""redun's ``subrun()`` on a graphbackend repository: the sub-scheduler records
into the same Neo4j graph as its parent (thread and process mode of the local
executor), with nothing beyond the ``setup_scheduler`` line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOW = '''
import os

from redun import task
from redun.scheduler import subrun

redun_namespace = "graphbackend.tests.subrun"


@task()
def pid(i: int) -> int:
    return os.getpid() * 1000 + i


@task()
def inner(n: int) -> list:
    return [pid(i) for i in range(n)]


@task()
def main(n: int = 3, executor: str = "default", new_execution: bool = False) -> dict:
    return {"parent": os.getpid(), "sub": subrun(inner(n), executor=executor,
                                                  new_execution=new_execution)}
'''

REDUN = str(Path(sys.executable).parent / "redun")


def run(project: Path, neo4j_server, *argv: str) -> dict:
    env = dict(os.environ)
    env.pop("NEO4J_URI", None)
    env["NEO4J_PASSWORD"] = neo4j_server.password or ""
    env["REDUN_GIT_COMMIT"] = env["REDUN_GIT_ORIGIN_URL"] = "none"
    result = subprocess.run([REDUN, "run", "workflow.py", "main", *argv], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return eval(result.stdout[result.stdout.index("{"):])  # redun pretty-prints the dict


def counts(backend) -> dict:
    [row] = backend.graph.read_tx(lambda tx: tx.run_text(
        "CALL () { MATCH (e:Execution) RETURN count(e) AS executions } "
        "CALL () { MATCH (j:Job) RETURN count(j) AS jobs } "
        "CALL () { MATCH (j:Job) WHERE j.end_time IS NULL RETURN count(j) AS open } "
        "RETURN executions, jobs, open"))
    return row.data()


@pytest.fixture
def project(tmp_path, neo4j_server):
    (tmp_path / "workflow.py").write_text(WORKFLOW)
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(
        neo4j_server.redun_ini("\n[executors.proc]\ntype = local\nmode = process\nmax_workers = 2\n"))
    return tmp_path


def no_redun_db(project: Path) -> bool:
    return not list(project.rglob("*.db"))


def test_subrun_in_the_same_process_records_into_neo4j(project, neo4j_server, backend):
    result = run(project, neo4j_server, "--n", "3")
    assert [value % 1000 for value in result["sub"]] == [0, 1, 2]
    assert {value // 1000 for value in result["sub"]} == {result["parent"]}  # threads of one process
    # One execution: main, the subrun root task, inner and its three pid jobs.
    assert counts(backend) == {"executions": 1, "jobs": 6, "open": 0}
    assert no_redun_db(project)

    # A new execution for the sub-scheduler is recorded in the same graph too.
    run(project, neo4j_server, "--n", "4", "--new-execution", "true")
    assert counts(backend)["executions"] == 3
    assert counts(backend)["open"] == 0
    assert no_redun_db(project)


def test_subrun_in_a_worker_process_records_into_neo4j(project, neo4j_server, backend):
    """``mode = process`` (forkserver, the local executor's default start method)."""
    result = run(project, neo4j_server, "--n", "3", "--executor", "proc")
    assert [value % 1000 for value in result["sub"]] == [0, 1, 2]
    # The sub-scheduler ran in another process than `redun run`.
    assert {value // 1000 for value in result["sub"]} != {result["parent"]}
    assert counts(backend) == {"executions": 1, "jobs": 6, "open": 0}
    assert no_redun_db(project)
    # Its jobs hang under the parent's job tree in the graph.
    [row] = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:Execution)-[:ROOT_JOB]->(root:Job)-[:CHILD*]->(j:Job) "
        "WHERE j.task_name = 'graphbackend.tests.subrun.pid' RETURN count(j) AS n"))
    assert row["n"] == 3
