"""``graphbackend log``, ``show`` and ``lineage`` on workflows recorded by a real redun Scheduler.

Two recordings: the demo workflow run twice (the second run entirely cached), and a
three-step file pipeline whose output File's lineage spans three tasks.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from redun import File, Scheduler, task

from graphbackend.cli import main as cli_main
from graphbackend.demo import workflow as demo
from graphbackend.explore import queries as _explore

redun_namespace = "explore_test"


@task()
def make_raw(path: str, count: int) -> File:
    """Step 1: write raw numbered lines."""
    with open(path, "w") as out:
        out.write("".join(f"  line {i}  \n" for i in range(count)))
    return File(path)


@task()
def clean(raw: File, path: str) -> File:
    """Step 2: strip the lines of the raw file."""
    with open(path, "w") as out:
        out.write("".join(line.strip() + "\n" for line in raw.read().splitlines()))
    return File(path)


@task()
def summarize(cleaned: File, path: str) -> File:
    """Step 3: count the cleaned lines."""
    with open(path, "w") as out:
        out.write(f"{len(cleaned.read().splitlines())} lines\n")
    return File(path)


@task()
def pipeline(work_dir: str) -> File:
    """raw -> cleaned -> summary: the summary's lineage spans three tasks."""
    raw = make_raw(os.path.join(work_dir, "raw.txt"), 5)
    cleaned = clean(raw, os.path.join(work_dir, "cleaned.txt"))
    return summarize(cleaned, os.path.join(work_dir, "summary.txt"))


@pytest.fixture
def recorded(neo4j_env, backend, tmp_path):
    """Record the demo twice and the file pipeline once; point the CLI at the server."""
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    demo_dir = tmp_path / "demo"
    demo_ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for execution_id in demo_ids:
        scheduler.run(demo.main(str(demo_dir)), execution_id=execution_id)
    files_dir = tmp_path / "files"
    files_dir.mkdir()
    pipeline_id = str(uuid.uuid4())
    summary = scheduler.run(pipeline(str(files_dir)), execution_id=pipeline_id)
    return {
        "demo_ids": demo_ids,
        "pipeline_id": pipeline_id,
        "summary_path": summary.path,
        "report_path": str(demo_dir / "report.json"),
        "backend": backend,
    }


def run_cli(capsys, *argv):
    """Run the graphbackend CLI; return (exit code, stdout, stderr)."""
    code = cli_main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# log ------------------------------------------------------------------------------------


def test_log_lists_recent_executions_newest_first_with_jobs(recorded, capsys):
    code, out, _ = run_cli(capsys, "log", "--json")
    assert code == 0
    executions = [json.loads(line) for line in out.splitlines()]
    ids = [execution["id"] for execution in executions]
    first_demo, second_demo = recorded["demo_ids"]
    assert ids == [recorded["pipeline_id"], second_demo, first_demo]
    assert {execution["_type"] for execution in executions} == {"Execution"}  # redun's records
    assert all(execution["status"] == "DONE" for execution in executions)

    first = _explore.execution(recorded["backend"].graph, first_demo)
    second = _explore.execution(recorded["backend"].graph, second_demo)
    assert (first["jobs"], first["done"], first["cached"]) == (9, 9, 0)
    assert (second["jobs"], second["done"], second["cached"]) == (9, 0, 9)
    tree = second["job_tree"]
    assert [job["task_name"] for job in tree] == ["graphbackend_demo.main"]
    assert sorted(job["task_name"] for job in tree[0]["children"]) == sorted(
        ["graphbackend_demo.write_text"] * 3 + ["graphbackend_demo.count_words"] * 3
        + ["graphbackend_demo.merge_counts", "graphbackend_demo.write_report"]
    )
    assert first["task_name"] == "graphbackend_demo.main"


def test_log_text_fits_the_terminal(recorded, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run_cli(capsys, "log", "-n", "2")
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert lines[0] == "Recent executions:"
    assert any(line.startswith(f"Exec {recorded['pipeline_id'][:8]} [ DONE ]") for line in lines)
    assert any(line.startswith(f"Exec {recorded['demo_ids'][1][:8]} [ DONE ]") for line in lines)
    assert recorded["demo_ids"][0][:8] not in out  # -n 2


def test_log_one_execution_by_prefix_shows_every_job(recorded, capsys):
    second = recorded["demo_ids"][1]
    code, out, _ = run_cli(capsys, "log", second[:8])
    assert code == 0
    job_lines = [line for line in out.splitlines() if line.strip().startswith("Job ")]
    assert len(job_lines) == 9
    assert all("[CACHED]" in line for line in job_lines)
    assert "Jobs: 9 (DONE: 0, CACHED: 9, FAILED: 0)" in out
    code, latest, _ = run_cli(capsys, "log", "-")
    assert code == 0 and latest.startswith(f"Exec {recorded['pipeline_id']}")


# show -----------------------------------------------------------------------------------


def test_show_execution_job_call_and_value(recorded, capsys):
    graph = recorded["backend"].graph
    first = recorded["demo_ids"][0]

    code, out, _ = run_cli(capsys, "show", first, "--json")
    execution = json.loads(out)
    assert code == 0 and execution["kind"] == "execution" and execution["jobs"] == 9
    root_job_id = execution["root_job_id"]

    code, out, _ = run_cli(capsys, "show", root_job_id[:10], "--json")
    job = json.loads(out)
    assert job["kind"] == "job" and job["id"] == root_job_id
    assert job["properties"]["task_name"] == "graphbackend_demo.main"
    assert len(job["children"]) == 8
    call_hash = job["call_hash"]
    assert call_hash

    code, out, _ = run_cli(capsys, "show", call_hash, "--json")
    call = json.loads(out)
    assert call["kind"] == "call" and call["properties"]["task_name"] == "graphbackend_demo.main"
    assert call["result"]["path"] == recorded["report_path"]
    assert len(call["children"]) == 8
    assert call["jobs"] == 2 and call["cached_jobs"] == 1  # run once, then reused

    # The write_report call: its first argument came from merge_counts (UPSTREAM).
    write_report = next(child for child in call["children"] if child["task_name"].endswith("write_report"))
    code, out, _ = run_cli(capsys, "show", write_report["call_hash"])
    assert code == 0
    assert "graphbackend_demo.merge_counts (call" in out
    assert f"result: redun.File {call['result']['value_hash'][:8]} {recorded['report_path']}" in out

    code, out, _ = run_cli(capsys, "show", call["result"]["value_hash"], "--json")
    value = json.loads(out)
    assert value["kind"] == "value" and "File" in value["labels"]
    assert value["properties"]["path"] == recorded["report_path"]
    assert "value" not in value["properties"]  # the stored bytes are not printed
    assert {c["task_name"] for c in value["result_of"]} == {
        "graphbackend_demo.main", "graphbackend_demo.write_report"}
    assert graph is not None


def test_show_unknown_and_ambiguous_ids_fail_with_a_clear_message(recorded, capsys):
    code, out, err = run_cli(capsys, "show", "zzzz-no-such-id")
    assert code == 1 and out == ""
    assert "no execution, job, call node or value has an id starting with 'zzzz-no-such-id'" in err

    # A one-character hex prefix matches many hashes and ids.
    graph = recorded["backend"].graph
    prefixes = [record["id"][0] for record in graph.read("explore_find_id", prefix="", limit=500)]
    common = max(set(prefixes), key=prefixes.count)
    code, _, err = run_cli(capsys, "show", common)
    assert code == 1 and "is ambiguous" in err and "give more characters" in err


# lineage --------------------------------------------------------------------------------


def test_lineage_of_a_file_spans_three_tasks(recorded, capsys):
    code, out, _ = run_cli(capsys, "lineage", recorded["summary_path"], "--json")
    assert code == 0
    tree = json.loads(out)
    assert tree["value"]["path"] == recorded["summary_path"]
    assert _explore.lineage_tasks(tree) == [
        "explore_test.summarize", "explore_test.clean", "explore_test.make_raw"]

    (summarize_call,) = tree["produced_by"]  # the pipeline call only forwards it
    cleaned_arg = summarize_call["args"][0]
    assert cleaned_arg["path"].endswith("cleaned.txt")
    (clean_call,) = cleaned_arg["upstream"]
    raw_arg = clean_call["args"][0]
    assert raw_arg["path"].endswith("raw.txt")
    (make_raw_call,) = raw_arg["upstream"]
    assert make_raw_call["task_name"] == "explore_test.make_raw"
    assert [arg["preview"] for arg in make_raw_call["args"]][1] == "5"
    assert all(not arg["upstream"] for arg in make_raw_call["args"])  # workflow inputs


def test_lineage_text_tree_by_path_end(recorded, capsys):
    code, out, _ = run_cli(capsys, "lineage", "summary.txt")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"File {recorded['summary_path']}")
    order = [next(i for i, line in enumerate(lines) if f"explore_test.{name} (call" in line)
             for name in ("summarize", "clean", "make_raw")]
    assert order == sorted(order)
    # Each step is indented under the argument it produced.
    indents = [len(lines[i]) - len(lines[i].lstrip(" │├└─")) for i in order]
    assert indents == sorted(indents) and len(set(indents)) == 3


def test_lineage_of_the_demo_report_reaches_the_input_files(recorded, capsys):
    code, out, _ = run_cli(capsys, "lineage", recorded["report_path"], "--json")
    tree = json.loads(out)
    assert _explore.lineage_tasks(tree) == [
        "graphbackend_demo.write_report", "graphbackend_demo.merge_counts",
        "graphbackend_demo.count_words", "graphbackend_demo.write_text"]


def test_lineage_of_an_unknown_file_fails(recorded, capsys):
    code, _, err = run_cli(capsys, "lineage", "no-such-file.txt")
    assert code == 1 and "no File with path 'no-such-file.txt'" in err


@task()
def pipeline_n(work_dir: str, count: int) -> File:
    """The pipeline with another line count: new versions of the same three files."""
    raw = make_raw(os.path.join(work_dir, "raw.txt"), count)
    cleaned = clean(raw, os.path.join(work_dir, "cleaned.txt"))
    return summarize(cleaned, os.path.join(work_dir, "summary.txt"))


def test_lineage_picks_the_newest_version_of_a_file(recorded, capsys):
    scheduler = Scheduler(backend=recorded["backend"])
    work_dir = os.path.dirname(recorded["summary_path"])
    scheduler.run(pipeline_n(work_dir, 7))  # summary.txt now has a second recorded version

    code, out, err = run_cli(capsys, "lineage", "summary.txt", "--json")
    assert code == 0, err
    tree = json.loads(out)
    assert tree["value"]["versions"] == 2
    (summarize_call,) = tree["produced_by"]
    make_raw_call = summarize_call["args"][0]["upstream"][0]["args"][0]["upstream"][0]
    assert make_raw_call["args"][1]["preview"] == "7"  # the newest run's input

    code, out, _ = run_cli(capsys, "lineage", recorded["summary_path"])
    assert code == 0
    assert "newest of 2 versions" in out and "1 older version recorded (graphbackend lineage --all" in out
    code, out, _ = run_cli(capsys, "lineage", "summary.txt", "--all")
    older = out.splitlines()[out.splitlines().index("  older versions:") + 1]
    assert "last produced" in older
