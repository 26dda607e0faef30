"""redun's config hook: ``[scheduler] setup_scheduler = graphbackend::setup_scheduler``."""

import os
import subprocess
import sys
from pathlib import Path

from redun.cli import get_user_setup_func, setup_config

import graphbackend
from graphbackend import Neo4jBackend

WORKFLOW = '''
from redun import task

redun_namespace = "graphbackend.tests.cli"


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def main(x: int = 3) -> list:
    return [double(x), double(x + 1)]
'''


def _write_config(tmp_path: Path, neo4j_server, extra: str = "") -> Path:
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text(
        neo4j_server.redun_ini("value_store_path = values\nvalue_store_min_size = 1024\n" + extra))
    return config_dir


def test_config_hook_builds_a_neo4j_scheduler(tmp_path, neo4j_server, monkeypatch):
    config_dir = _write_config(tmp_path, neo4j_server)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # the config wins over the env
    config = setup_config(str(config_dir))
    setup_func = get_user_setup_func(config)
    assert setup_func is graphbackend.setup_scheduler

    scheduler = setup_func(config)
    backend = scheduler.backend
    assert isinstance(backend, Neo4jBackend)
    assert backend.settings.uri == neo4j_server.uri
    assert backend.settings.database == neo4j_server.database
    assert backend.settings.password == neo4j_server.password
    # Relative value store paths are relative to the config dir, as in redun.
    assert backend.value_store is not None
    assert backend.value_store_min_size == 1024
    assert scheduler.config is config

    # Keyword arguments (redun --setup key=value) override the config.
    other = setup_func(config, neo4j_database="other")
    assert other.backend.settings.database == "other"
    scheduler.load()
    backend.close()


def test_redun_cli_run_records_into_neo4j(tmp_path, neo4j_server, backend):
    _write_config(tmp_path, neo4j_server)
    (tmp_path / "workflow.py").write_text(WORKFLOW)
    env = dict(os.environ)
    env.pop("NEO4J_URI", None)
    env["NEO4J_PASSWORD"] = neo4j_server.password or ""
    redun = Path(sys.executable).parent / "redun"

    for _ in range(2):
        result = subprocess.run(
            [str(redun), "run", "workflow.py", "main", "--x", "4"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert "[8, 10]" in result.stdout
    # redun's own SQLite database was not used.
    assert not (tmp_path / ".redun" / "redun.db").exists()

    def rows(text):
        return [r.data() for r in backend.graph.read_tx(lambda tx: tx.run_text(text))]

    executions = rows(
        "MATCH (e:Execution)-[:ROOT_JOB]->(root:Job) "
        "OPTIONAL MATCH (root)-[:CHILD]->(child:Job) "
        "RETURN e.id AS id, e.args AS args, root.task_name AS root_task, root.cached AS cached, "
        "collect(child.task_name) AS children, root.start_time AS start ORDER BY start"
    )
    assert len(executions) == 2
    first, second = executions
    assert '"run"' in first["args"] and '"workflow.py"' in first["args"]
    assert first["root_task"] == "graphbackend.tests.cli.main"
    assert first["children"] == ["graphbackend.tests.cli.double"] * 2
    assert first["cached"] is False
    # The second run was served from the cache recorded by the first.
    assert second["cached"] is True
    jobs = rows(
        "MATCH (j:Job) RETURN j.execution_id AS exec, j.end_time IS NOT NULL AS ended, "
        "j.status AS status"
    )
    assert len(jobs) == 6
    assert all(job["ended"] for job in jobs)
    assert {job["exec"] for job in jobs} == {first["id"], second["id"]}


PROJECT_HOOK = '''
"""A project's own redun hook that also records into Neo4j (README example)."""
import graphbackend
from redun.executors.local import LocalExecutor


def setup_scheduler(config):
    scheduler = graphbackend.setup_scheduler(config)
    # The project's own set-up: here an extra executor its tasks use.
    scheduler.add_executor(LocalExecutor("project_pool", mode="thread"))
    return scheduler
'''

PROJECT_WORKFLOW = '''
from redun import task

redun_namespace = "graphbackend.tests.project_hook"


@task(executor="project_pool")
def triple(x: int) -> int:
    return 3 * x


@task()
def main(x: int = 2) -> list:
    return [triple(x), triple(x + 1)]
'''


def test_a_project_hook_combining_graphbackends(tmp_path, neo4j_server, backend):
    """``setup_scheduler = project_hooks.py::setup_scheduler`` whose body calls
    ``graphbackend.setup_scheduler(config)``: the project's executor is there and
    the run records into Neo4j (redun.ini cannot name two hooks)."""
    config_dir = _write_config(tmp_path, neo4j_server)
    ini = config_dir / "redun.ini"
    ini.write_text(ini.read_text().replace(
        "graphbackend::setup_scheduler", "project_hooks.py::setup_scheduler"))
    (tmp_path / "project_hooks.py").write_text(PROJECT_HOOK)
    (tmp_path / "workflow.py").write_text(PROJECT_WORKFLOW)
    env = dict(os.environ)
    env.pop("NEO4J_URI", None)
    env["NEO4J_PASSWORD"] = neo4j_server.password or ""
    redun = Path(sys.executable).parent / "redun"
    result = subprocess.run(
        [str(redun), "run", "workflow.py", "main", "--x", "5"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[15, 18]" in result.stdout
    assert not (config_dir / "redun.db").exists()
    jobs = [r.data() for r in backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (j:Job) RETURN j.task_name AS task ORDER BY task"))]
    assert [job["task"] for job in jobs] == [
        "graphbackend.tests.project_hook.main"] + ["graphbackend.tests.project_hook.triple"] * 2

    # redun's other commands go through the project's hook too: `redun log` reads the graph.
    log = subprocess.run([str(redun), "log"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert log.returncode == 0 and "Traceback" not in log.stderr, log.stderr[-3000:]
    assert "run workflow.py main --x 5" in log.stdout
