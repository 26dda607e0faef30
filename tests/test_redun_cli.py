"""redun's own command line on a repository configured with
``setup_scheduler = graphbackend::setup_scheduler`` (the real ``redun`` CLI, in
a subprocess, against the test run's Neo4j server)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from redun.backends.db import RedunBackendDb
from redun.cli import RedunClient

WORKFLOW = '''
from redun import task

redun_namespace = "graphbackend.tests.redun_cli"


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def main(x: int = 3) -> list:
    return [double(x), double(x + 1)]
'''

REDUN = str(Path(sys.executable).parent / "redun")


def make_project(path: Path, neo4j_server=None) -> Path:
    """A redun project: workflow.py and .redun/redun.ini (graphbackend's hook
    when ``neo4j_server`` is given, else redun's own SQLite)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "workflow.py").write_text(WORKFLOW)
    (path / ".redun").mkdir(exist_ok=True)
    if neo4j_server is not None:
        (path / ".redun" / "redun.ini").write_text(neo4j_server.redun_ini())
    else:
        (path / ".redun" / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    return path


def redun(project: Path, *argv: str, neo4j_server=None, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("NEO4J_URI", None)  # the project's redun.ini names the test server
    if neo4j_server is not None:
        env["NEO4J_PASSWORD"] = neo4j_server.password or ""
    env["REDUN_GIT_COMMIT"] = "none"
    env["REDUN_GIT_ORIGIN_URL"] = "none"
    result = subprocess.run(
        [REDUN, *argv], cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )
    if check:
        assert result.returncode == 0, (argv, result.stdout[-2000:], result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def last_line(result: subprocess.CompletedProcess) -> str:
    """The last line of standard output (where redun prints a RedunClientError)."""
    return result.stdout.strip().splitlines()[-1]


def rows(backend, text, **params):
    return [r.data() for r in backend.graph.read_tx(lambda tx: tx.run_text(text, **params))]


def test_redun_log_and_tag_list_read_the_graph(tmp_path, neo4j_server, backend):
    project = make_project(tmp_path / "neo4j", neo4j_server)
    redun(project, "run", "workflow.py", "main", "--x", "4", neo4j_server=neo4j_server)
    [execution] = rows(backend, "MATCH (e:Execution)-[:ROOT_JOB]->(j:Job) RETURN e.id AS id, j.id AS job")

    log = redun(project, "log", neo4j_server=neo4j_server)
    assert f"Exec {execution['id'][:8]} [ DONE ]" in log.stdout
    assert "run workflow.py main --x 4" in log.stdout
    assert "reads a snapshot of the Neo4j graph" in log.stderr

    detail = redun(project, "log", execution["id"][:8], neo4j_server=neo4j_server)
    assert "graphbackend.tests.redun_cli.main(x=4)" in detail.stdout
    assert detail.stdout.count("graphbackend.tests.redun_cli.double(") == 2

    as_json = redun(project, "log", "--format", "json", neo4j_server=neo4j_server)
    records = [json.loads(line) for line in as_json.stdout.splitlines() if line.startswith("{")]
    assert execution["id"] in {record["id"] for record in records if record["_type"] == "Execution"}

    tags = redun(project, "tag", "list", neo4j_server=neo4j_server)
    assert "redun.version (1 Execution)" in tags.stdout
    # The snapshot is temporary: no redun database appears in the project.
    assert not (project / ".redun" / "redun.db").exists()
    assert not list(project.glob("*.db"))


def test_redun_tag_add_update_rm_edit_the_graph(tmp_path, neo4j_server, backend):
    project = make_project(tmp_path / "neo4j", neo4j_server)
    redun(project, "run", "workflow.py", "main", neo4j_server=neo4j_server)
    [execution] = rows(backend, "MATCH (e:Execution) RETURN e.id AS id")
    prefix = execution["id"][:8]

    def env_tags():
        return rows(
            backend,
            "MATCH (t:Tag {key: 'env'})-[:TAGGED]->(:Execution {id: $id}) "
            "RETURN t.value AS value, t.is_current AS current ORDER BY value",
            id=execution["id"],
        )

    added = redun(project, "tag", "add", prefix, "env=prod", neo4j_server=neo4j_server)
    assert f'add tag Execution:{execution["id"]} env="prod"' in added.stdout
    assert env_tags() == [{"value": '"prod"', "current": True}]

    redun(project, "tag", "update", prefix, "env=dev", neo4j_server=neo4j_server)
    assert env_tags() == [{"value": '"dev"', "current": True}, {"value": '"prod"', "current": False}]

    redun(project, "tag", "rm", prefix, "env=dev", neo4j_server=neo4j_server)
    assert all(not tag["current"] for tag in env_tags())

    # An unknown id: redun's own one-line error, no traceback.
    missing = redun(project, "tag", "add", "ffffffffffff", "env=x", neo4j_server=neo4j_server, check=False)
    assert missing.returncode == 1
    assert last_line(missing) == "RedunClientError: no execution, job, call node or value has an id starting with 'ffffffffffff'"


def test_redun_run_rerun_on_the_graph_as_on_sqlite(tmp_path, neo4j_server, backend):
    """``redun run --rerun`` gives what it gives on redun's own SQLite backend."""
    outputs = {}
    for kind in ("sqlite", "neo4j"):
        server = neo4j_server if kind == "neo4j" else None
        project = make_project(tmp_path / kind, server)
        redun(project, "run", "workflow.py", "main", "--x", "4", neo4j_server=server)
        first = redun(project, "log", "--format", "json", neo4j_server=server)
        [execution] = [
            json.loads(line) for line in first.stdout.splitlines()
            if line.startswith("{") and json.loads(line)["_type"] == "Execution"
        ]
        # Rerun the execution (its root job) with an argument override, and by the "-" shorthand.
        override = redun(project, "run", "workflow.py", "--rerun", execution["id"][:8], "--x", "20",
                         neo4j_server=server)
        latest = redun(project, "run", "workflow.py", "--rerun", "-", neo4j_server=server)
        unknown = redun(project, "run", "workflow.py", "--rerun", "0000dead", neo4j_server=server, check=False)
        outputs[kind] = (override.stdout.strip().splitlines()[-1], latest.stdout.strip().splitlines()[-1],
                         unknown.returncode, last_line(unknown))

    assert outputs["neo4j"][:2] == outputs["sqlite"][:2] == ("[40, 42]", "[40, 42]")
    assert outputs["neo4j"][2] == outputs["sqlite"][2] == 1
    assert outputs["sqlite"][3] == 'RedunClientError: Unknown job or execution "0000dead"'
    assert outputs["neo4j"][3] == 'RedunClientError: Unknown job or execution "0000dead"'
    # The reruns recorded into Neo4j: three executions, the last two of main(x=20).
    executions = rows(backend, "MATCH (e:Execution) RETURN e.args AS args ORDER BY e.start_time")
    assert len(executions) == 3
    assert '"--rerun"' in executions[1]["args"] and '"--rerun"' in executions[2]["args"]


def test_refused_commands_end_with_one_line(tmp_path, neo4j_server, backend):
    project = make_project(tmp_path / "neo4j", neo4j_server)
    make_project(tmp_path / "other")
    with open(project / ".redun" / "redun.ini", "a") as ini:
        ini.write(f"\n[repos.other]\nconfig_dir = {tmp_path / 'other' / '.redun'}\n")

    pull = redun(project, "pull", "other", neo4j_server=neo4j_server, check=False)
    assert pull.returncode == 1
    assert last_line(pull).startswith("RedunClientError: redun pull writes redun's SQL tables; "
                                      "on a graphbackend repository use `graphbackend import SOURCE`")
    versions = redun(project, "db", "versions", neo4j_server=neo4j_server, check=False)
    assert versions.returncode == 1
    assert last_line(versions).startswith("RedunClientError: redun db versions")


def test_console_and_repl_get_a_redun_database_snapshot(tmp_path, neo4j_server, backend, monkeypatch):
    """``redun console`` is a terminal UI: check the scheduler redun's CLI builds for it."""
    project = make_project(tmp_path / "neo4j", neo4j_server)
    redun(project, "run", "workflow.py", "main", neo4j_server=neo4j_server)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    monkeypatch.chdir(project)
    for command in ("console", "repl"):
        client = RedunClient()
        args, _ = client.get_command_parser().parse_known_args(["-c", str(project / ".redun"), command])
        scheduler = client.get_scheduler(args)
        assert isinstance(scheduler.backend, RedunBackendDb)
        from redun.backends.db import Execution, Job

        assert scheduler.backend.session.query(Execution).count() == 1
        assert scheduler.backend.session.query(Job).count() == 3


def test_without_redun_cli_setup_scheduler_builds_a_neo4j_scheduler(neo4j_server, monkeypatch):
    from redun.config import Config

    import graphbackend

    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    config = Config({"backend": {"neo4j_uri": neo4j_server.uri}})
    scheduler = graphbackend.setup_scheduler(config)
    assert isinstance(scheduler.backend, graphbackend.Neo4jBackend)
    assert config["backend"]["graphbackend"] == "neo4j"
