"""``graphbackend log`` against ``redun log`` on the same history.

Real workflows run on redun's own ``RedunBackendDb`` (a SQLite file): the sync tests'
repository (several executions, Files, tags with history, a failed execution) plus an
execution whose root job is a cache hit while its child ran, and a failing workflow run
twice (its replay is a cached root job whose result is an error). The history is imported
into Neo4j (same ids), and every filter combination selects the same records through
redun's ``CallGraphQuery`` and through ``graphbackend log``; statuses, job counts and the
JSON records agree too.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter

import pytest
from redun import File, Scheduler, task
from redun.backends.db import CallNode, Execution, Job, Task, Value
from redun.backends.db.query import CallGraphQuery, parse_callgraph_query, setup_query_parser
from redun.backends.db.serializers import RecordSerializer
from redun_repo import build_repo

from graphbackend.cli import build_parser
from graphbackend.cli import main as cli_main
from graphbackend.explore import log_query, queries
from graphbackend.sync.transfer import import_records, open_redun_db

redun_namespace = "graphbackend_tests.logfilters"


@task()
def write_out(path: str) -> File:
    file = File(path)
    file.write("out")
    return file


@task()
def wrapper(path: str):
    return write_out(path)


@task()
def broken(x: int) -> int:
    raise ValueError(f"broken {x}")


@task()
def calls_broken(x: int):
    return broken(x)


@pytest.fixture(scope="module")
def redun_history(tmp_path_factory):
    """A SQLite redun repository with the test workflows; returns its RedunBackendDb."""
    root = tmp_path_factory.mktemp("logrepo")
    db_path = root / "redun.db"
    backend = build_repo(f"sqlite:///{db_path}", str(root / "store"), str(root / "files"))
    scheduler = Scheduler(backend=backend)
    out = str(root / "files" / "out.txt")
    scheduler.run(wrapper(out))
    os.remove(out)
    scheduler.run(wrapper(out))  # root job cached, its child runs again (the File changed)
    for _ in range(2):  # the second run replays the failure: a cached root job, FAILED
        with pytest.raises(ValueError):
            scheduler.run(calls_broken(3))
    yield {"backend": backend, "db_uri": f"sqlite:///{db_path}", "store": str(root / "store")}
    backend.session.close()


@pytest.fixture
def imported(neo4j_env, backend, redun_history):
    """The SQLite history imported into the (emptied) Neo4j test database; CLI pointed at it."""
    db = open_redun_db(redun_history["db_uri"], value_store_path=redun_history["store"])
    import_records(db, backend)
    return redun_history["backend"]


def redun_selection(session, argv):
    """(type, id) pairs redun log selects for ``argv`` (its own query code, as log_command)."""
    parser = setup_query_parser(argparse.ArgumentParser())
    args = parser.parse_args(argv)
    query = CallGraphQuery(session).order_by("time")
    query = parse_callgraph_query(query, args)
    has_type_filters = args.all or args.exec or args.job or args.call_node or args.task or args.value \
        or args.file or args.file_path
    if not has_type_filters:
        query = query.filter_types({"Execution"})
    return sorted(set(query.select("type", "id")))


def graph_selection(graph, argv):
    args = build_parser().parse_args(["log", *argv])
    records = log_query.select(graph, log_query.LogFilters.from_args(args))
    return sorted({(record["type"], record["id"]) for record in records})


def test_every_filter_selects_what_redun_log_selects(imported, backend):
    session = imported.session
    graph = backend.graph
    first_exec = session.query(Execution).join(Job, Job.id == Execution.job_id).order_by(Job.start_time).first()
    count_task = session.query(Task).filter(Task.name == "count_words").first()
    an_int = session.query(Value).filter(Value.type == "builtins.int").first()
    a_call = session.query(CallNode).join(Task, Task.hash == CallNode.task_hash).filter(
        Task.name == "read_text").first()
    arg_hash = a_call.arguments[0].value_hash
    cases = [
        [],
        ["--exec"],
        ["--exec-status", "DONE"],
        ["--exec-status", "FAILED"],
        ["--exec-status", "DONE,FAILED"],
        ["--exec", "--job", "--exec-status", "FAILED", "--job-status", "FAILED"],
        ["--job"],
        ["--job", "--job-status", "DONE"],
        ["--job", "--job-status", "CACHED"],
        ["--job", "--job-status", "FAILED"],
        ["--job", "--job-status", "RUNNING"],
        ["--job", "--job-status", "CACHED,FAILED"],
        ["--job", "--task-name", "count_words"],
        ["--task", "--task-name", "graphbackend_tests.repo.count_words"],
        ["--all", "--task-name", "broken", "--task-name", "wrapper"],
        ["--all", "--task-hash", count_task.hash],
        ["--value", "--value-type", "builtins.int"],
        ["--value", "--value-type", "redun.File"],
        ["--file"],
        ["--file-path", "*text0*"],
        ["--call-node"],
        ["--task"],
        ["--all", "--exec-id", first_exec.id],
        ["--value", "--exec-id", first_exec.id],
        ["--job", "--arg", arg_hash],
        ["--job", "--arg", an_int.value_hash],
        ["--job", "--result", an_int.value_hash],
        ["--all", "--tag", "project=skunk"],
        ["--all", "--tag", "project=acme"],
        ["--all", "--tag", "stage"],
        ["--all", "--tag", "release"],
        ["--all", "--tag", "kind=summary"],
        ["--all", "--exec-tag", "project"],
        ["--job", "--exec-tag", "project=skunk", "--task-name", "count_words"],
        ["--exec-id", first_exec.id],
        ["--all"],
    ]
    mismatches = []
    for argv in cases:
        expected = redun_selection(session, argv)
        got = graph_selection(graph, argv)
        if got != expected:
            mismatches.append((argv, sorted(set(got) - set(expected))[:5], sorted(set(expected) - set(got))[:5]))
    assert not mismatches
    # The selections are not trivially empty.
    assert len(redun_selection(session, ["--job", "--job-status", "FAILED"])) == 5
    assert redun_selection(session, ["--all", "--tag", "project=skunk"])


def test_statuses_and_job_counts_match_redun(imported, backend):
    session = imported.session
    graph = backend.graph
    for execution in session.query(Execution).all():
        ours = queries.execution(graph, execution.id)
        assert ours["status"] == execution.status, execution.id
        statuses = Counter(job.status for job in execution.jobs)
        assert (ours["jobs"], ours["done"], ours["cached"], ours["failed"]) == (
            sum(statuses.values()), statuses["DONE"], statuses["CACHED"], statuses["FAILED"])
        listed = {job["id"]: job["status"] for job in queries._walk(ours["job_tree"])}
        assert listed == {job.id: job.status for job in execution.jobs}
    # The cases of issue 15 points 5 and 6 are there.
    wrappers = [e for e in session.query(Execution).all() if e.job.task.name == "wrapper"]
    assert sorted((e.job.status, e.status) for e in wrappers) == [("CACHED", "DONE"), ("DONE", "DONE")]
    replays = [e for e in session.query(Execution).all() if e.job.task.name == "calls_broken" and e.job.cached]
    assert len(replays) == 1 and replays[0].status == "FAILED"
    assert Counter(job.status for job in replays[0].jobs) == Counter({"FAILED": 2})


def test_log_json_lines_are_redun_records(imported, capsys):
    session = imported.session
    session.expire_all()  # serialize what the database holds, as redun log does
    serializer = RecordSerializer()
    for argv in (["--exec"], ["--job", "--job-status", "FAILED"], ["--all", "--tag", "project"]):
        assert cli_main(["log", "--format", "json", *argv]) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        ours = {}
        for line in lines:
            # Executions get their status added (redun's Job records carry one already).
            status = line.pop("status", None) if line["_type"] == "Execution" else None
            key = line.get("id") or line.get("call_hash") or line.get("value_hash")
            ours[key] = [line, status]
        expected = {}
        for kind, ident in redun_selection(session, argv):
            model = {"Execution": Execution, "Job": Job, "CallNode": CallNode, "Task": Task, "Value": Value}[kind]
            record = session.get(model, ident)
            expected[ident] = (serializer.serialize(record), record.status if kind == "Execution" else None)
        assert ours == json.loads(json.dumps(expected)), argv
    # --json is the same as --format json.
    assert cli_main(["log", "--json", "--exec"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(session.query(Execution).all())


def test_log_text_shows_redun_status_and_counts(imported, capsys):
    session = imported.session
    replay = next(e for e in session.query(Execution).all() if e.job.task.name == "calls_broken" and e.job.cached)
    assert cli_main(["log", replay.id[:10]]) == 0
    out = capsys.readouterr().out
    assert f"Exec {replay.id} [FAILED]" in out
    assert "Jobs: 2 (DONE: 0, CACHED: 0, FAILED: 2)" in out
    assert cli_main(["show", replay.id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "FAILED" and (shown["jobs"], shown["failed"], shown["cached"]) == (2, 2, 0)

    cached_root = next(e for e in session.query(Execution).all()
                       if e.job.task.name == "wrapper" and e.job.cached)
    assert cli_main(["log", "--exec-status", "DONE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"Exec {cached_root.id[:8]} [ DONE ]") for line in lines)
    assert cli_main(["log", cached_root.id]) == 0
    assert "Jobs: 2 (DONE: 1, CACHED: 1, FAILED: 0)" in capsys.readouterr().out


def test_filters_without_a_type_option_show_what_they_select(imported, backend, capsys):
    # redun log shows executions here (and fails for --job-status alone); graphbackend
    # shows the records the filter is about.
    graph = backend.graph
    assert {kind for kind, _ in graph_selection(graph, ["--job-status", "FAILED"])} == {"Job"}
    assert {kind for kind, _ in graph_selection(graph, ["--task-name", "count_words"])} == {"Job", "Task"}
    assert {kind for kind, _ in graph_selection(graph, ["--value-type", "redun.File"])} == {"Value"}
    assert cli_main(["log", "--job-status", "FAILED"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(line.startswith("Job ") and "[FAILED]" in line for line in lines)


def test_bad_filters_fail_with_one_line(imported, capsys):
    assert cli_main(["log", "--job-status", "DONE,WHATEVER"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--job-status: unknown status WHATEVER" in err
    assert cli_main(["log", "--exec-id", "zzzz"]) == 1
    assert "no execution has an id starting with 'zzzz'" in capsys.readouterr().err
    assert cli_main(["log", "--tag", "=x"]) == 1
    assert "--tag:" in capsys.readouterr().err


def test_show_job_gives_what_redun_log_job_gives(imported, capsys):
    session = imported.session
    failed = next(job for job in session.query(Job).all() if job.task.name == "broken" and job.status == "FAILED")
    assert cli_main(["show", failed.id[:12]]) == 0
    out = capsys.readouterr().out
    assert f"Job {failed.id} [FAILED]" in out
    assert "Raised: ValueError('broken 3')" in out
    assert "Traceback:" in out and 'raise ValueError(f"broken {x}")' in out  # the recorded traceback
    assert "def broken(x: int) -> int:" in out  # the task's source
    assert "Upstream dataflow:" in out and "graphbackend_tests.logfilters.broken (call" in out
    assert cli_main(["log", failed.id, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "FAILED" and shown["error"]["error"] == "ValueError('broken 3')"
    assert any("broken" in line for line in shown["error"]["traceback"])
    assert shown["task"]["source"].startswith("@task()\ndef broken") or "def broken" in shown["task"]["source"]

    # A job that ran: its result and the dataflow that led to it.
    write = next(job for job in session.query(Job).all() if job.task.name == "write_out" and job.status == "DONE")
    assert cli_main(["show", write.id]) == 0
    out = capsys.readouterr().out
    assert f"Job {write.id} [ DONE ]" in out and "Result: redun.File" in out
    assert "def write_out(path: str) -> File:" in out
    assert "= builtins.str" in out and "out.txt'" in out  # the argument in the dataflow


def test_log_count_and_detail(imported, capsys):
    session = imported.session
    assert cli_main(["log", "--all", "--count"]) == 0
    counts = {line.split()[1]: int(line.split()[0]) for line in capsys.readouterr().out.splitlines()}
    assert counts == dict(CallGraphQuery(session).count())  # redun log --all --count
    assert cli_main(["log", "--job", "--job-status", "FAILED", "--detail"]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("Job ")]
    assert len(headers) == 5 and all("[FAILED]" in line for line in headers)
    assert "Raised: ValueError('broken 3')" in out and "Traceback:" in out
