"""impact, diff, why, plan and the task-level view on real recorded workflows (real Neo4j).

The workflow is written to a fresh module file per version (its tasks keep their full
names, ``qtest_<n>.<task>``), so a second version changes a task's code, and so its hash,
exactly as editing a workflow does.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
from redun import File, Scheduler
from redun.backends.db import RedunBackendDb
from redun.cli import import_script

from graphbackend.cli import main as cli_main
from graphbackend.questions import ExploreError, diff, impact, plan, task_graph, why

_COUNTER = itertools.count()

WORKFLOW = '''
from redun import File, task

redun_namespace = "{namespace}"


@task()
def read_words(text_file: File) -> list:
    return text_file.read().split()


@task()
def count(words: list) -> int:
    return len(words)


@task()
def shout(words: list) -> str:
    {shout_body}


@task()
def summarize(n: int, text: str, label: str) -> str:
    return f"{{label}}: {{n}} words, {{text}}"


@task()
def write_report(summary: str, out_path: str) -> File:
    {report_body}


@task()
def inner(words: list, label: str):
    # a nested subworkflow
    return summarize(count(words), shout(words), label)


@task()
def main(text_file: File, out_path: str, label: str = "report"):
    words = read_words(text_file)
    return write_report(inner(words, label), out_path)
'''

SHOUT = 'return " ".join(words).upper()'
SHOUT_V2 = 'return " ".join(word.upper() for word in words)  # same result, new code'
REPORT = 'out = File(out_path)\n    out.write(summary)\n    return out'
REPORT_V2 = 'out = File(out_path)\n    out.write(summary + "\\n")\n    return out'


class Workflow:
    """One workflow family in tmp_path: versions of its module, its input and output files."""

    def __init__(self, tmp_path):
        self.n = next(_COUNTER)
        self.namespace = f"qtest_{os.getpid()}_{self.n}"
        self.dir = tmp_path
        self.input = str(tmp_path / "input.txt")
        self.output = str(tmp_path / "report.txt")
        self.versions = 0
        self.write_input("alpha beta gamma")

    def write_input(self, text: str) -> None:
        with open(self.input, "w") as out:
            out.write(text)

    def module(self, shout=SHOUT, report=REPORT) -> tuple:
        """Write and import a new version of the workflow module; returns (path, module)."""
        self.versions += 1
        path = self.dir / f"wf_{self.namespace}_v{self.versions}.py"
        path.write_text(WORKFLOW.format(namespace=self.namespace, shout_body=shout, report_body=report))
        return str(path), import_script(str(path))

    def run(self, scheduler, module, label="report"):
        return scheduler.run(module.main(File(self.input), self.output, label))


def _executions(backend):
    from graphbackend.explore.queries import recent_executions

    return [e["id"] for e in recent_executions(backend_graph(backend), limit=20, with_jobs=False)]


def backend_graph(backend):
    from graphbackend.explore.questions import _graph

    return _graph(backend)


def _jobs_by_call(backend, execution_id):
    """{(task short name, args_hash): 'cached'|'run'} for the jobs of an execution."""
    graph = backend_graph(backend)
    jobs = graph.read("question_execution_jobs", execution_id=execution_id)
    details = {r["call_hash"]: r for r in graph.read("question_call_details",
                                                      call_hashes=[j["call_hash"] for j in jobs if j["call_hash"]])}
    outcome = {}
    for job in jobs:
        key = (job["task_name"].split(".")[-1], details[job["call_hash"]]["args_hash"])
        ran = "run" if not job["cached"] else "cached"
        outcome[key] = "run" if outcome.get(key) == "run" or ran == "run" else "cached"
    return outcome


def _newest_execution(backend) -> str:
    return _executions(backend)[0]


@pytest.fixture
def workflow(tmp_path):
    return Workflow(tmp_path)


def _count_nodes(backend):
    graph = backend_graph(backend)
    return graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels"))[0].data()


# impact -------------------------------------------------------------------------------


def _runs_before_and_after_an_input_change(backend, scheduler, workflow) -> tuple:
    """Run the workflow, change its input file, run it again: (first, second) execution ids."""
    _, module = workflow.module()
    workflow.run(scheduler, module)
    first = _newest_execution(backend)
    workflow.write_input("alpha beta gamma delta")
    workflow.run(scheduler, module)
    return first, _newest_execution(backend)


def test_impact_of_a_changed_input_file_reaches_every_derived_call_across_executions(backend, scheduler, workflow):
    first, second = _runs_before_and_after_an_input_change(backend, scheduler, workflow)

    result = impact(backend, "input.txt")  # the path's end: both versions of the file
    assert result["target"]["kind"] == "file"
    assert len(result["target"]["value_hashes"]) == 2
    tasks = {call["task_name"].split(".")[-1] for call in result["calls"]}
    assert tasks == {"read_words", "count", "shout", "summarize", "inner", "write_report", "main"}
    assert set(result["executions"]) == {first, second}
    assert result["summary"]["calls"] == len(result["calls"])
    assert any(f["path"] == workflow.output for f in result["files"])
    # Both recorded report calls derive from the input, and their task is current: cache entries.
    report_calls = [c for c in result["calls"] if c["task_name"].endswith("write_report")]
    assert len(report_calls) == 2 and all(c["cache_entry"] for c in report_calls)

    # One version only, by hash: the calls of one execution.
    one = impact(backend, result["target"]["value_hashes"][0])
    assert one["summary"]["calls"] == 7 and len(one["executions"]) == 1

    # --limit and --max-depth
    limited = impact(backend, "input.txt", limit=3)
    assert len(limited["calls"]) == 3 and limited["more"] == result["summary"]["calls"] - 3
    shallow = impact(backend, "input.txt", max_depth=1)
    assert {c["task_name"].split(".")[-1] for c in shallow["calls"]} == {"read_words", "main"}
    assert shallow["summary"]["depth_limited"]


def test_impact_of_a_task_and_of_a_call(backend, scheduler, workflow):
    _, module = workflow.module()
    workflow.run(scheduler, module)
    by_task = impact(backend, "shout")
    names = [c["task_name"].split(".")[-1] for c in by_task["calls"]]
    assert names[0] == "shout" and set(names) == {"shout", "summarize", "inner", "write_report", "main"}
    call = by_task["calls"][0]["call_hash"]
    by_call = impact(backend, call[:10])
    assert by_call["target"]["kind"] == "call"
    assert {c["call_hash"] for c in by_call["calls"]} == {c["call_hash"] for c in by_task["calls"]}


def test_impact_agrees_with_redun_dataflow_on_sqlite(backend, workflow, tmp_path):
    """The calls impact finds downstream of the input are exactly the calls whose result has
    the input upstream in redun's own dataflow walk (SQLite backend, same workflow)."""
    from redun.backends.db import CallNode as DbCallNode
    from redun.backends.db.dataflow import walk_dataflow

    _, module = workflow.module()
    neo = Scheduler(backend=backend)
    workflow.run(neo, module)
    sql = Scheduler(backend=RedunBackendDb(db_uri=f"sqlite:///{tmp_path / 'redun.db'}"))
    sql.load()
    workflow.run(sql, module)

    result = impact(backend, "input.txt")
    input_hash = result["target"]["value_hashes"][0]
    session = sql.backend.session
    downstream = set()
    for call in session.query(DbCallNode).all():
        nodes = set()
        for edge in walk_dataflow(sql.backend, call.value):
            for node in (edge.src, edge.dest):
                hashed = getattr(node, "value", node)
                if hasattr(hashed, "value_hash"):
                    nodes.add(hashed.value_hash)
        if input_hash in nodes:
            downstream.add(call.task.name)
    # The same tasks (the report File's hash differs between the two runs: its mtime).
    assert downstream == {c["task_name"].split(".")[-1] for c in result["calls"]}
    assert len(downstream) == 7


# diff and why -------------------------------------------------------------------------


def test_diff_and_why_when_a_tasks_code_changed(backend, scheduler, workflow):
    _, v1 = workflow.module()
    workflow.run(scheduler, v1)
    first = _newest_execution(backend)
    _, v2 = workflow.module(report=REPORT_V2)
    workflow.run(Scheduler(backend=backend), v2)
    second = _newest_execution(backend)

    result = diff(backend, first[:8], second)
    by_task = {e["task_name"].split(".")[-1]: e for e in result["entries"]}
    report = by_task["write_report"]
    assert report["status"] == "rerun"
    code = [r for r in report["reasons"] if r["reason"] == "code"]
    assert code and "summary + " in code[0]["source_diff"] and code[0]["old_task_hash"] != code[0]["new_task_hash"]
    for name in ("read_words", "count", "shout", "summarize", "inner"):
        assert by_task[name]["status"] == "reused", (name, by_task[name])
    assert by_task["main"]["status"] == "reused"  # served from the cache; a call below differs
    assert "write_report" in result["text"] and "code changed" in result["text"]
    assert result["summary"]["added"] == result["summary"]["removed"] == 0

    # why: the job of write_report ran because its code changed; main's job was cached.
    jobs = backend_graph(backend).read("question_execution_jobs", execution_id=second)
    report_job = next(j for j in jobs if j["task_name"].endswith("write_report"))
    answer = why(backend, report_job["id"])
    assert answer["outcome"] == "ran" and answer["redun_reason"] == "new_task"
    assert [r["reason"] for r in answer["reasons"]] == ["code"]
    assert answer["previous_call"] == report["a_call"]
    main_job = next(j for j in jobs if j["task_name"].endswith(".main"))
    cached = why(backend, main_job["id"][:12])
    assert cached["outcome"] == "cached" and first[:8] in cached["text"] or cached["origin"]["execution_id"] == first


def test_why_agrees_with_redun_explain_cache_miss(backend, scheduler, workflow):

    _, v1 = workflow.module()
    workflow.run(scheduler, v1)
    _, v2 = workflow.module(shout=SHOUT_V2)
    # redun's own explanation, asked before the run (as redun's --dryrun would)
    shout_calls = impact(backend, "shout")["calls"]
    old = backend_graph(backend).read("question_call_details", call_hashes=[shout_calls[0]["call_hash"]])[0]
    explained = backend.explain_cache_miss(v2.shout, old["args_hash"])
    assert explained["reason"] == "new_task"
    workflow.run(Scheduler(backend=backend), v2)
    second = _newest_execution(backend)
    jobs = backend_graph(backend).read("question_execution_jobs", execution_id=second)
    shout_job = next(j for j in jobs if j["task_name"].endswith("shout") and not j["cached"])
    answer = why(backend, shout_job["id"])
    assert answer["redun_reason"] == explained["reason"]
    assert answer["previous_call"] == explained["call_hash"]


def test_diff_when_an_argument_changed_names_it_and_its_downstream(backend, scheduler, workflow):
    _, module = workflow.module()
    workflow.run(scheduler, module, label="first")
    first = _newest_execution(backend)
    workflow.run(scheduler, module, label="second")
    second = _newest_execution(backend)
    result = diff(backend, first, second)
    by_task = {e["task_name"].split(".")[-1]: e for e in result["entries"]}
    main = by_task["main"]
    assert main["status"] == "rerun"
    arg = [r for r in main["reasons"] if r["reason"] == "argument"]
    assert arg and arg[0]["argument"] == "arg2" and "first" in arg[0]["old"] and "second" in arg[0]["new"]
    assert by_task["read_words"]["status"] == "reused" and by_task["count"]["status"] == "reused"
    assert [r["reason"] for r in by_task["summarize"]["reasons"]] == ["argument"]
    up = [r for r in by_task["write_report"]["reasons"] if r["reason"] == "upstream"]
    assert up and up[0]["upstream"][0]["task_name"].endswith("inner")
    assert result["first_divergences"][0]["task_name"].endswith("main")

    answer = why(backend, by_task["summarize"]["b_call"])
    assert answer["kind"] == "call" and answer["redun_reason"] == "new_args"
    assert answer["reasons"][0]["reason"] == "argument"


def test_diff_of_changed_input_file(backend, scheduler, workflow):
    first, second = _runs_before_and_after_an_input_change(backend, scheduler, workflow)
    result = diff(backend, first, second)
    by_task = {e["task_name"].split(".")[-1]: e for e in result["entries"]}
    main_reasons = by_task["main"]["reasons"]
    assert main_reasons[0]["reason"] == "argument" and "input.txt" in main_reasons[0]["new"]
    assert [r["reason"] for r in by_task["read_words"]["reasons"]] == ["argument"]
    # count's words were handed down by inner (no dataflow edge inside inner): an argument
    assert [r["reason"] for r in by_task["count"]["reasons"]] == ["argument"]
    # inner's words came from read_words, summarize's n from count: upstream changes
    assert by_task["inner"]["reasons"][0]["reason"] == "upstream"
    assert by_task["inner"]["reasons"][0]["upstream"][0]["task_name"].endswith("read_words")
    ups = {r["argument"]: r for r in by_task["summarize"]["reasons"]}
    assert ups["arg0"]["reason"] == "upstream" and ups["arg0"]["upstream"][0]["task_name"].endswith("count")


# plan ---------------------------------------------------------------------------------


def _check_plan(backend, predicted, execution_id):
    real = _jobs_by_call(backend, execution_id)
    compared = 0
    for call in predicted["calls"]:
        key = (call["task_name"].split(".")[-1], call["args_hash"])
        if call["outcome"] in ("run", "cached"):
            assert real.get(key) == call["outcome"], (call, real.get(key))
            compared += 1
        elif call["outcome"] == "skipped":
            assert key not in real
        else:  # unknown: the real run decides; it must be one of the two
            assert real.get(key) in ("run", "cached")
    return compared


def test_plan_predicts_the_next_run_job_by_job(backend, scheduler, workflow):
    _, v1 = workflow.module()
    workflow.run(scheduler, v1)
    path, v2 = workflow.module(report=REPORT_V2)
    predicted = plan(backend, path, "main", args=(File(workflow.input), workflow.output, "report"))
    outcomes = {c["task_name"].split(".")[-1]: c["outcome"] for c in predicted["calls"]}
    assert outcomes == {"main": "cached", "read_words": "cached", "inner": "cached", "count": "cached",
                        "shout": "cached", "summarize": "cached", "write_report": "run"}
    assert not predicted["stops"]
    workflow.run(Scheduler(backend=backend), v2)
    assert _check_plan(backend, predicted, _newest_execution(backend)) == 7

    # A change whose result may or may not differ: downstream calls are 'unknown'.
    path3, v3 = workflow.module(shout=SHOUT_V2, report=REPORT_V2)
    predicted = plan(backend, path3, "main", args=(File(workflow.input), workflow.output, "report"))
    outcomes = {c["task_name"].split(".")[-1]: c["outcome"] for c in predicted["calls"]}
    assert outcomes["shout"] == "run" and outcomes["summarize"] == "unknown"
    assert outcomes["count"] == "cached"
    assert any("summarize" in stop for stop in predicted["stops"])
    workflow.run(Scheduler(backend=backend), v3)
    _check_plan(backend, predicted, _newest_execution(backend))


def test_plan_of_new_arguments_and_changed_result_file(backend, scheduler, workflow):
    path, v1 = workflow.module()
    workflow.run(scheduler, v1)
    # new arguments: the prediction stops at once
    predicted = plan(backend, path, "main", args=(File(workflow.input), workflow.output, "other"))
    assert predicted["root_call"] is None and predicted["calls"][0]["outcome"] == "run"
    assert "never recorded" in predicted["stops"][0]
    # the report File was changed on disk: redun reruns write_report (its cached result is stale)
    with open(workflow.output, "w") as out:
        out.write("edited by hand")
    predicted = plan(backend, path, "main", args=(File(workflow.input), workflow.output, "report"))
    outcomes = {c["task_name"].split(".")[-1]: c["outcome"] for c in predicted["calls"]}
    assert outcomes["write_report"] == "run" and outcomes["summarize"] == "cached"
    workflow.run(Scheduler(backend=backend), v1)
    _check_plan(backend, predicted, _newest_execution(backend))


def test_plan_from_the_command_line_with_redun_style_arguments(backend, scheduler, workflow, capsys, cli_env):
    neo4j_server = cli_env
    path, v1 = workflow.module()
    scheduler.run(v1.main(text_file=File(workflow.input), out_path=workflow.output))
    code = cli_main(["plan", "--json", *_conn(neo4j_server), path, "main",
                     "--text-file", workflow.input, "--out-path", workflow.output])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["root_call"] and data["summary"]["run"] == 0, data


# task-level view ----------------------------------------------------------------------


def test_task_graph_for_one_execution_and_the_whole_history(backend, scheduler, workflow, tmp_path, capsys, cli_env):
    neo4j_server = cli_env
    _, module = workflow.module()
    workflow.run(scheduler, module, label="one")
    first = _newest_execution(backend)
    workflow.run(scheduler, module, label="two")
    view = task_graph(backend, first)
    edges = {(e["source"].split(".")[-1], e["kind"], e["target"].split(".")[-1]): e["count"] for e in view["edges"]}
    assert edges[("main", "calls", "read_words")] == 1
    assert edges[("inner", "calls", "summarize")] == 1
    assert edges[("read_words", "feeds", "inner")] == 1
    assert edges[("count", "feeds", "summarize")] == 1
    history = task_graph(backend)
    edges = {(e["source"].split(".")[-1], e["kind"], e["target"].split(".")[-1]): e["count"] for e in history["edges"]}
    assert edges[("main", "calls", "read_words")] == 2  # two main calls, one (cached) read_words
    assert edges[("inner", "calls", "summarize")] == 2
    tasks = {t["task_name"].split(".")[-1]: t for t in history["tasks"]}
    assert tasks["main"]["calls"] == 2 and tasks["read_words"]["calls"] == 1

    page = tmp_path / "tasks.html"
    assert cli_main(["viz", "--tasks", *_conn(neo4j_server), "-o", str(page)]) == 0
    assert "Task-level view" in page.read_text() and "summarize" in page.read_text()
    assert cli_main(["tasks", *_conn(neo4j_server), first[:8]]) == 0
    assert "-calls->" in capsys.readouterr().out


# Command line and bad input -------------------------------------------------------------


def _conn(neo4j_server):
    kwargs = neo4j_server.backend_kwargs()
    args = ["--uri", kwargs["uri"]]
    if kwargs.get("user"):
        args += ["--user", kwargs["user"]]
    if kwargs.get("database"):
        args += ["--database", kwargs["database"]]
    return args


@pytest.fixture
def cli_env(neo4j_server, monkeypatch):
    kwargs = neo4j_server.backend_kwargs()
    if kwargs.get("password") is not None:
        monkeypatch.setenv("NEO4J_PASSWORD", kwargs["password"])
    return neo4j_server


def test_commands_print_text_and_json(backend, scheduler, workflow, capsys, cli_env):
    _, module = workflow.module()
    workflow.run(scheduler, module, label="one")
    first = _newest_execution(backend)
    workflow.run(scheduler, module, label="two")
    second = _newest_execution(backend)
    conn = _conn(cli_env)
    assert cli_main(["impact", *conn, "input.txt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Impact of File") and "calls downstream" in out.splitlines()[1]
    assert cli_main(["impact", *conn, "input.txt", "--limit", "2"]) == 0
    assert "more calls" in capsys.readouterr().out
    assert cli_main(["diff", *conn, first, second, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["rerun"] >= 1
    assert cli_main(["diff", *conn, first, second]) == 0
    assert "First divergences" in capsys.readouterr().out
    jobs = backend_graph(backend).read("question_execution_jobs", execution_id=second)
    assert cli_main(["why", *conn, jobs[0]["id"]]) == 0
    assert "ran" in capsys.readouterr().out


def test_bad_input_is_one_line_exit_1_and_writes_nothing(backend, scheduler, workflow, tmp_path, capsys, cli_env):
    path, module = workflow.module()
    workflow.run(scheduler, module, label="one")
    workflow.run(scheduler, module, label="two")
    conn = _conn(cli_env)
    before = _count_nodes(backend)
    broken = tmp_path / "broken_wf.py"
    broken.write_text("import no_such_module_anywhere\n")
    cases = [
        ["impact", "no-such-thing"],
        ["impact", ""],
        ["why", "zzzz"],
        ["diff", "zzzz", "yyyy"],
        ["diff", "", "yyyy"],
        ["plan", str(broken), "main"],
        ["plan", path, "no_such_task"],
        ["plan", str(tmp_path / "missing.py"), "main"],
        ["tasks", "zzzz"],
    ]
    for case in cases:
        code = cli_main([case[0], *conn, *case[1:]])
        err = capsys.readouterr().err
        assert code == 1, case
        assert err.startswith("graphbackend: error: ") and err.count("\n") == 1, (case, err)
    # ambiguous: a second workflow family also has a task named "main"; two executions'
    # ids share the prefix of their common start (at worst one hex digit of 16)
    (tmp_path / "other").mkdir()
    other = Workflow(tmp_path / "other")
    _, other_module = other.module()
    other.run(scheduler, other_module)
    before = _count_nodes(backend)
    assert cli_main(["impact", *conn, "main"]) == 1
    err = capsys.readouterr().err
    assert "names several tasks" in err and err.count("\n") == 1
    hashes = sorted(c["call_hash"] for c in impact(backend, other.namespace + ".main")["calls"]
                    + impact(backend, workflow.namespace + ".main")["calls"])
    prefix = next(os.path.commonprefix([x, y]) for x, y in zip(hashes, hashes[1:]) if x[0] == y[0]) \
        if len({h[0] for h in hashes}) < len(hashes) else None
    if prefix:
        with pytest.raises(ExploreError, match="ambiguous"):
            why(backend, prefix)
    assert _count_nodes(backend) == before


# Browser slides -----------------------------------------------------------------------


def test_browser_slides_of_the_questions(backend, scheduler, workflow):
    from graphbackend.backend.cypher import query
    from graphbackend.explore import browser as _browser

    _, v1 = workflow.module()
    workflow.run(scheduler, v1)
    first = _newest_execution(backend)
    _, v2 = workflow.module(report=REPORT_V2)
    workflow.run(Scheduler(backend=backend), v2)
    second = _newest_execution(backend)
    graph = backend_graph(backend)

    def run(name, **params):
        return graph.read_tx(lambda tx: tx.run_text(query(name), **params))

    assert graph.read_tx(lambda tx: tx.run_text(f"RETURN {_browser.PICK_PREVIOUS_EXECUTION} AS v"))[0]["v"] == first
    impacted = run("browser_impact_file", file_path="input.txt")
    names = {n["name"] for r in impacted for n in r["downstream"].nodes}
    # recorded dataflow and callers only: count and shout got the words handed down by inner
    # (impact() finds them too, by value)
    assert names == {"main", "read_words", "inner", "write_report"}
    compared = {r["task"]: r for r in run("browser_diff_executions", execution_a=first, execution_b=second)}
    assert compared["write_report"]["against_a"] == "task code changed"
    assert compared["write_report"]["jobs_in_b"] == ["ran"]
    assert compared["count"]["against_a"] == "same call" and compared["main"]["jobs_in_b"] == ["cached"]
    assert compared["main"]["against_a"] == "same task and arguments, calls below changed"
    ran = {r["task"]: r["why"] for r in run("browser_why_ran", execution_id=second)}
    assert ran == {"write_report": "task code changed"}
    edges = {(r["from_task"].split(".")[-1], r["edge"], r["to_task"].split(".")[-1]): r["calls"]
             for r in run("browser_task_graph")}
    assert edges[("inner", "calls", "summarize")] == 1 and edges[("count", "feeds", "summarize")] == 1
    assert edges[("main", "calls", "write_report")] == 2


# The walks at scale keep the answers of the simple ones ---------------------------------

_LEVEL_STEP = """
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})
CALL (c) {
  MATCH (x:CallNode)-[:UPSTREAM]->(c) RETURN x.call_hash AS target
  UNION
  MATCH (x:CallNode)-[:CHILD]->(c) RETURN x.call_hash AS target
  UNION
  MATCH (c)-[:RESULT]->(r:Value)
  MATCH (x:CallNode)-[:ARG]->(:Value)-[:SUBVALUE*0..1]->(r)
  RETURN x.call_hash AS target
}
RETURN DISTINCT target
"""


def _level_walk(graph, seeds, max_depth):
    """The reference: one query per level, each call at the first level that reaches it."""
    depths = {seed: 1 for seed in seeds}
    frontier, depth = list(seeds), 1
    while frontier:
        targets = [r["target"] for r in graph.read_tx(
            lambda tx, hashes=frontier: tx.run_text(_LEVEL_STEP, call_hashes=hashes))]
        new = [t for t in dict.fromkeys(targets) if t not in depths]
        if depth >= max_depth:
            return depths, bool(new)
        for target in new:
            depths[target] = depth + 1
        frontier, depth = new, depth + 1
    return depths, False


def test_impact_depths_equal_a_level_by_level_walk(backend, scheduler, workflow):
    """impact walks breadth-first server-side, in rounds for the by-value edges (count and shout
    take the words inner hands down: no UPSTREAM edge); every call's depth, the tree's
    parents one level up and the depth limit equal a walk of one query per level."""
    _, module = workflow.module()
    workflow.run(scheduler, module, label="one")
    workflow.write_input("alpha beta gamma delta")
    workflow.run(scheduler, module, label="one")
    workflow.run(scheduler, module, label="two")
    graph = backend_graph(backend)
    for target in ("input.txt", "read_words", "count", "write_report"):
        for max_depth in (1, 2, 3, 50):
            result = impact(backend, target, max_depth=max_depth, limit=None)
            seeds = [c["call_hash"] for c in result["calls"] if c["depth"] == 1]
            expected, limited = _level_walk(graph, seeds, max_depth)
            assert {c["call_hash"]: c["depth"] for c in result["calls"]} == expected, (target, max_depth)
            assert result["summary"]["depth_limited"] == limited, (target, max_depth)
            depth_of = {c["call_hash"]: c["depth"] for c in result["calls"]}
            for call in result["calls"]:
                assert (call["parent"] is None) == (call["depth"] == 1)
                if call["parent"]:
                    assert depth_of[call["parent"]] == call["depth"] - 1
            # a tree, depth first: every call comes after its parent
            position = {c["call_hash"]: i for i, c in enumerate(result["calls"])}
            assert all(position[c["parent"]] < position[c["call_hash"]] for c in result["calls"] if c["parent"])
    by_value = impact(backend, "read_words", limit=None)
    hows = {c["task_name"].split(".")[-1]: c["how"] for c in by_value["calls"]}
    assert hows["count"] == hows["shout"] == "took its result"


def _align_quadratic(a_kids, b_kids, a_det, b_det):
    """The first implementation of diff's alignment (a scan per child), the reference."""
    pairs, left_a, left_b = [], list(a_kids), list(b_kids)
    for match in (
        lambda x, y: x == y,
        lambda x, y: (a_det[x]["task_name"], a_det[x]["args_hash"]) == (b_det[y]["task_name"], b_det[y]["args_hash"]),
        lambda x, y: a_det[x]["task_name"] == b_det[y]["task_name"],
    ):
        for y in list(left_b):
            x = next((x for x in left_a if match(x, y)), None)
            if x is not None:
                pairs.append((x, y))
                left_a.remove(x)
                left_b.remove(y)
    order = {h: i for i, h in enumerate(b_kids)}
    pairs.sort(key=lambda pair: order[pair[1]])
    return pairs, left_a, left_b


def test_diff_alignment_pairs_children_as_the_first_remaining_match():
    import random

    from graphbackend.explore.questions import _align_children

    rng = random.Random(7)
    for _ in range(300):
        calls = {f"c{i}": {"task_name": rng.choice("abc"), "args_hash": rng.choice("xyz")} for i in range(12)}
        names = list(calls)
        a_kids = rng.sample(names, rng.randrange(0, 9))
        b_kids = rng.sample(names, rng.randrange(0, 9))
        assert _align_children(a_kids, b_kids, calls, calls) == _align_quadratic(a_kids, b_kids, calls, calls)
