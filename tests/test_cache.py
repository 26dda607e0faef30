"""Scheduler-level caching tests: real redun Schedulers recording into the real Neo4j server.

Several tests are ports of redun 0.44.1's own scheduler tests (``test_check_valid``,
``test_cse_scopes``, ``test_cse_no_validity``) so the Neo4j backend is held to
the behaviour of redun's own backend.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from typing import Any
from unittest.mock import patch

import pytest
from redun import Scheduler, get_context, task
from redun.scheduler import DryRunResult, Job
from redun.task import CacheScope
from redun.value import Value

from graphbackend import Neo4jBackend

NS = "graphbackend_test_cache"


def duplicate_edges(cypher) -> list:
    """Edges that appear more than once between the same nodes with the same properties."""
    return cypher(
        "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, properties(r) AS p, count(*) AS n "
        "WHERE n > 1 RETURN t, n",
    )


def executed_tasks(scheduler: Scheduler, expr) -> tuple:
    """Run ``expr`` and return (result, names of the tasks whose jobs were executed)."""
    with patch.object(Scheduler, "_exec_job", wraps=scheduler._exec_job) as exec_job:
        result = scheduler.run(expr)
    return result, [call[0][0].task.name for call in exec_job.call_args_list]


def test_nested_workflow_rerun_is_fully_cached(cypher, scheduler: Scheduler, backend: Neo4jBackend) -> None:
    calls = []

    @task(namespace=NS)
    def nest_leaf(x: int) -> int:
        calls.append(("leaf", x))
        return x * 2

    @task(namespace=NS)
    def nest_middle(x: int) -> list:
        calls.append(("middle", x))
        return [nest_leaf(x), nest_leaf(x + 10)]

    @task(namespace=NS)
    def nest_main(n: int) -> list:
        calls.append(("main", n))
        return [nest_middle(i) for i in range(n)]

    expected = [[0, 20], [2, 22], [4, 24]]
    assert scheduler.run(nest_main(3)) == expected
    assert len(calls) == 1 + 3 + 6
    call_nodes = cypher.one("MATCH (c:CallNode) RETURN count(c)")
    assert call_nodes == 10
    # The top CallNode's subtree covers all three tasks; the call graph is linked.
    top = cypher("MATCH (c:CallNode {task_name: $name}) RETURN c.call_hash AS h",
                name=nest_main.fullname)[0]["h"]
    assert backend.get_subtree_tasks(top) == {nest_main.hash, nest_middle.hash, nest_leaf.hash}
    assert cypher.one("MATCH (:CallNode {call_hash: $h})-[:CHILD*]->(c) RETURN count(DISTINCT c)",
               h=top) == 9

    # Rerun (full validity checking): every job is a cache hit, nothing re-executes.
    calls.clear()
    result, executed = executed_tasks(scheduler, nest_main(3))
    assert result == expected
    assert calls == []
    assert sorted(executed) == sorted(["nest_main"] + ["nest_middle"] * 3 + ["nest_leaf"] * 6)
    assert cypher.one("MATCH (c:CallNode) RETURN count(c)") == call_nodes

    # Shallow: the top call's subtree tasks are all current, so only the top job is looked at.
    calls.clear()
    result, executed = executed_tasks(scheduler, nest_main.options(check_valid="shallow")(3))
    assert result == expected
    assert calls == []
    assert executed == ["nest_main"]
    assert cypher.one("MATCH (c:CallNode) RETURN count(c)") == call_nodes
    assert duplicate_edges(cypher) == []


@pytest.mark.parametrize("check_valid", ["full", "shallow"])
def test_leaf_code_change_invalidates(scheduler: Scheduler, backend: Neo4jBackend, check_valid) -> None:
    calls = []

    @task(namespace=NS, name="change_leaf")
    def change_leaf(x: int) -> int:
        calls.append("leaf")
        return x + 1

    @task(namespace=NS, name="change_middle")
    def change_middle(x: int) -> int:
        calls.append("middle")
        return change_leaf(x)

    @task(namespace=NS, name="change_main")
    def change_main(x: int) -> int:
        calls.append("main")
        return change_middle(x)

    assert scheduler.run(change_main.options(check_valid=check_valid)(1)) == 2
    assert calls == ["main", "middle", "leaf"]
    old_leaf_hash = change_leaf.hash

    # New code for the leaf (same name): it replaces the old task in the registry.
    @task(namespace=NS, name="change_leaf")
    def change_leaf(x: int) -> int:  # noqa: F811
        calls.append("leaf2")
        return x + 100

    assert change_leaf.hash != old_leaf_hash
    assert old_leaf_hash not in scheduler.task_registry.task_hashes

    calls.clear()
    result, executed = executed_tasks(scheduler, change_main.options(check_valid=check_valid)(1))
    assert result == 101
    # main and middle come from the evaluation cache (their code did not change);
    # the call cache cannot answer main, since its subtree used the old leaf.
    assert calls == ["leaf2"]
    assert executed == ["change_main", "change_middle", "change_leaf"]

    # Rerun: all cached again, with the new leaf.
    calls.clear()
    result, executed = executed_tasks(scheduler, change_main.options(check_valid=check_valid)(1))
    assert result == 101
    assert calls == []
    if check_valid == "shallow":
        assert executed == ["change_main"]


def test_check_valid(cypher, scheduler: Scheduler, backend: Neo4jBackend) -> None:
    """Port of redun's test_check_valid: shallow skips evaluating subtrees."""
    calls = []

    @task(namespace=NS)
    def valid_task1():
        calls.append("task1")
        return 10

    @task(namespace=NS)
    def valid_main():
        return valid_task1()

    result, executed = executed_tasks(scheduler, valid_main.options(check_valid="full")())
    assert (result, calls, executed) == (10, ["task1"], ["valid_main", "valid_task1"])
    result, executed = executed_tasks(scheduler, valid_main.options(check_valid="full")())
    assert (result, calls, executed) == (10, ["task1"], ["valid_main", "valid_task1"])
    result, executed = executed_tasks(scheduler, valid_main.options(check_valid="shallow")())
    assert (result, calls, executed) == (10, ["task1"], ["valid_main"])

    # Every execution's root job recorded the same CallNode.
    roots = cypher("MATCH (:Execution)-[:ROOT_JOB]->(j:Job) RETURN j.call_hash AS h")
    assert len(roots) == 3
    assert len({record["h"] for record in roots}) == 1


def test_cache_false_tasks(cypher, scheduler: Scheduler, backend: Neo4jBackend) -> None:
    """cache=False (cache_scope CSE): never served across executions, CSE within one."""
    calls = []

    @task(namespace=NS, cache=False)
    def uncached(x: int) -> int:
        calls.append(x)
        return x * 3

    @task(namespace=NS)
    def uses_uncached(x: int) -> list:
        return [uncached(x), uncached(x)]

    assert scheduler.run(uncached(2)) == 6
    assert scheduler.run(uncached(2)) == 6
    assert calls == [2, 2]
    calls.clear()
    assert scheduler.run(uses_uncached.options(cache=False)(5)) == [15, 15]
    assert calls == [5]  # the second call is the same job (CSE)
    # Still recorded: provenance is kept even when the cache is not read.
    assert cypher.one("MATCH (c:CallNode {task_name: $n}) RETURN count(c)", n=uncached.fullname) == 2


def test_failed_results_are_not_served_from_cache(cypher, scheduler: Scheduler, backend: Neo4jBackend) -> None:
    calls = []

    @task(namespace=NS)
    def flaky(x: int) -> int:
        calls.append(x)
        raise ValueError("boom")

    for check_valid in ("full", "shallow", "shallow"):
        with pytest.raises(ValueError, match="boom"):
            scheduler.run(flaky.options(check_valid=check_valid)(1))
    assert calls == [1, 1, 1]
    # The failed call is recorded (its result is the error) but never reused.
    assert cypher.one("MATCH (c:CallNode {task_name: $n}) RETURN count(c)", n=flaky.fullname) == 1


def test_dryrun_explain(scheduler: Scheduler) -> None:
    """Port of redun's test_dryrun_explain: a dry run logs why each call missed the cache."""

    @task(namespace=NS, name="explain_main", version="1")
    def explain_main(x):
        return x

    assert scheduler.run(explain_main(10)) == 10

    def logged(expr) -> list:
        with patch.object(scheduler.logger, "log") as log:
            with pytest.raises(DryRunResult):
                scheduler.run(expr, dryrun=True)
        return [call[0][1] for call in log.call_args_list]

    assert any(f"Existing task '{NS}.explain_main()' is called with new arguments" in line
               for line in logged(explain_main(11)))

    @task(namespace=NS, name="explain_main", version="2")
    def explain_main(x):  # noqa: F811
        return x

    assert any(f"New task '{NS}.explain_main()' with previous arguments" in line
               for line in logged(explain_main(10)))
    assert any(f"New task '{NS}.explain_main()' is called with new arguments" in line
               for line in logged(explain_main(11)))


# Contexts (ports of redun's test_context_cse / test_context_check_valid) -----------------


def test_context_cse(scheduler: Scheduler) -> None:
    """CSE does not collapse jobs with different contexts."""
    task_calls = []

    @task(namespace=NS)
    def ctx_add(a, b, offset=get_context("offset", 0)):
        task_calls.append("add")
        return a + b + offset

    @task(namespace=NS)
    def ctx_foo():
        return ctx_add(1, 2)

    @task(namespace=NS)
    def ctx_main():
        return ctx_foo() + ctx_foo.update_context(offset=1)()

    assert scheduler.run(ctx_main()) == 7
    assert task_calls == ["add", "add"]


def context_scenario(scheduler: Scheduler, check_valid: str) -> list:
    """Runs with changing contexts; returns each run's (result, offsets the leaf ran with)."""
    task_calls = []
    first_done = threading.Event()

    @task(namespace=NS, name="ctx2_add")
    def ctx2_add(a, b, offset=get_context("offset", 0)):
        task_calls.append(offset)
        first_done.set()
        return a + b + offset

    @task(namespace=NS, name="ctx2_foo", check_valid=check_valid)
    def ctx2_foo():
        return ctx2_add(1, 2)

    @task(namespace=NS, name="ctx2_bar")
    def ctx2_bar():
        # Wait for the first foo, so the second is checked against the backend, not pending jobs.
        first_done.wait(60)
        return ctx2_foo.update_context(offset=1)()

    @task(namespace=NS, name="ctx2_main")
    def ctx2_main():
        return ctx2_foo() + ctx2_bar()

    runs = []
    for expr in [
        ctx2_main(),
        ctx2_foo.update_context(offset=1)(),
        ctx2_foo.update_context(offset=0)(),
        ctx2_foo(),  # no context: any CallNode matches (redun's rule), so the newest wins
        ctx2_foo.update_context(offset=5)(),
        ctx2_foo.update_context(offset=5)(),
    ]:
        task_calls.clear()
        runs.append((scheduler.run(expr), sorted(task_calls)))
    return runs


@pytest.mark.parametrize("check_valid", ["full", "shallow"])
def test_context_backend_cse_and_cache(scheduler: Scheduler, check_valid: str) -> None:
    """The backend's CSE and call cache respect contexts exactly as redun's own backend does
    (redun's test_context_check_valid, then later executions with other contexts)."""
    from redun.backends.db import RedunBackendDb

    runs = context_scenario(scheduler, check_valid)
    assert runs[0] == (7, [0, 1])  # CSE did not mix the two contexts
    assert runs[1] == (4, [])  # cached, in its context
    assert runs[4] == (8, [5])  # a new context runs the leaf

    reference_backend = RedunBackendDb(db_uri="sqlite:///:memory:")
    reference_backend.load()
    assert runs == context_scenario(Scheduler(backend=reference_backend), check_valid)


# Ports of redun's CSE tests -----------------------------------------------------


def test_cse_scopes(scheduler: Scheduler) -> None:
    """Port of redun's test_cse_scopes: CSE against pending and completed jobs, by scope."""
    task_calls = []

    @task(namespace=NS)
    def cse_noop(any: Any) -> None:
        return

    @task(namespace=NS, cache_scope=CacheScope.CSE)
    def cse_task1(any):
        task_calls.append("task1")
        return 10

    @task(namespace=NS, cache_scope=CacheScope.NONE)
    def cse_task2():
        return cse_task1(cse_noop(3))

    @task(namespace=NS, cache_scope=CacheScope.NONE)
    def cse_task3():
        return cse_task1.options(cache_scope=CacheScope.NONE)(cse_noop(4))

    @task(namespace=NS, cache_scope=CacheScope.CSE)
    def cse_task_fail(any):
        task_calls.append("task_fail")
        raise RuntimeError("Fail")

    @task(namespace=NS, cache_scope=CacheScope.NONE)
    def cse_task_wrapped_fail():
        return cse_task_fail(cse_noop(2))

    with patch.object(Job, "collapse", side_effect=Job.collapse, autospec=True) as collapse_mock:
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task1(cse_noop(2))])
        assert collapse_mock.call_count == 1
        assert task_calls == ["task1"]

        task_calls.clear()
        scheduler.run([cse_task1.options(cache_scope=CacheScope.BACKEND)])
        assert task_calls == []

        collapse_mock.reset_mock()
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task1(cse_noop(2))])
        assert collapse_mock.call_count == 1
        assert task_calls == ["task1"]

        collapse_mock.reset_mock()
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task1.options(cache_scope=CacheScope.NONE)(cse_noop(2))])
        assert collapse_mock.call_count == 0
        assert task_calls == ["task1", "task1"]

        # The second call is delayed, so it comes from the backend's CSE, not the pending jobs.
        collapse_mock.reset_mock()
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task2()])
        assert collapse_mock.call_count == 0
        assert task_calls == ["task1"]

        collapse_mock.reset_mock()
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task3()])
        assert collapse_mock.call_count == 0
        assert task_calls == ["task1", "task1"]

        collapse_mock.reset_mock()
        task_calls.clear()
        scheduler.run([cse_task1(cse_noop(1)), cse_task1(cse_noop(2)), cse_task2()])
        assert collapse_mock.call_count == 1
        assert task_calls == ["task1"]

        collapse_mock.reset_mock()
        task_calls.clear()
        with pytest.raises(RuntimeError, match="Fail"):
            scheduler.run([cse_task_fail(cse_noop(1)), cse_task_fail(cse_noop(2))])
        assert collapse_mock.call_count == 1
        assert task_calls == ["task_fail"]

        # Errors are replayed from the backend's CSE too.
        collapse_mock.reset_mock()
        task_calls.clear()
        with pytest.raises(RuntimeError, match="Fail"):
            scheduler.run([cse_task_fail(cse_noop(1)), cse_task_wrapped_fail()])
        assert collapse_mock.call_count == 0
        assert task_calls == ["task_fail"]


class InvalidValue(Value):
    """A value that is never valid, hence can't be cached."""

    type_name = "graphbackend_test_cache.InvalidValue"

    def is_valid(self) -> bool:
        return False

    def __setstate__(self, state):
        pass

    def __getstate__(self):
        return {}


def test_cse_no_validity(scheduler: Scheduler) -> None:
    """Port of redun's test_cse_no_validity: validity is not checked upon CSE."""
    task_calls = []

    @task(namespace=NS)
    def novalid_noop():
        return None

    @task(namespace=NS)
    def novalid_task1(any=None):
        task_calls.append("task1")
        return InvalidValue()

    @task(namespace=NS, cache_scope=CacheScope.NONE)
    def novalid_task2():
        return novalid_task1()

    # Seed the cache.
    scheduler.run([novalid_task1()])
    assert task_calls == ["task1"]

    # No hit from the backend cache, because the value is not valid.
    task_calls.clear()
    scheduler.run([novalid_task1()])
    assert task_calls == ["task1"]

    # A CSE hit does not check validity, from a pending job ...
    task_calls.clear()
    scheduler.run([novalid_task1(), novalid_task1(any=novalid_noop())])
    assert task_calls == ["task1"]

    # ... or from the backend.
    task_calls.clear()
    scheduler.run([novalid_task1(), novalid_task2()])
    assert task_calls == ["task1"]


# Several processes ----------------------------------------------------------------

WORKFLOW = textwrap.dedent(
    """
    import sys
    from redun import Scheduler, get_context, task
    from graphbackend import Neo4jBackend

    @task(namespace="graphbackend_test_cache_proc")
    def proc_leaf(x: int) -> int:
        return x * x

    @task(namespace="graphbackend_test_cache_proc")
    def proc_sum(values: list) -> int:
        return sum(values)

    @task(namespace="graphbackend_test_cache_proc")
    def proc_main(n: int) -> int:
        squares = [proc_leaf(i) for i in range(n)]
        return proc_sum(squares)

    backend = Neo4jBackend(uri=sys.argv[1], user=sys.argv[2], password=sys.argv[3], database=sys.argv[4])
    scheduler = Scheduler(backend=backend)
    print(scheduler.run(proc_main(int(sys.argv[5]))))
    """
)


def test_two_processes_record_same_workflow(cypher, backend: Neo4jBackend, neo4j_server, tmp_path) -> None:
    script = tmp_path / "workflow.py"
    script.write_text(WORKFLOW)
    argv = [sys.executable, str(script), neo4j_server.uri, neo4j_server.user,
            neo4j_server.password or "", neo4j_server.database, "8"]
    env = dict(os.environ)
    processes = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         cwd=str(tmp_path), env=env)
        for _ in range(3)
    ]
    outputs = [process.communicate() for process in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-3000:]
        assert out.strip().splitlines()[-1] == str(sum(i * i for i in range(8)))

    # One CallNode per distinct call, however many processes recorded it, and no edge twice.
    assert cypher.one("MATCH (c:CallNode) WHERE c.task_name STARTS WITH 'graphbackend_test_cache_proc' "
               "RETURN count(c)") == 8 + 1 + 1
    assert cypher.one("MATCH (t:Task) WHERE t.namespace = 'graphbackend_test_cache_proc' "
               "RETURN count(t)") == 3
    assert duplicate_edges(cypher) == []
    assert cypher.one("MATCH (:CallNode {task_name: 'graphbackend_test_cache_proc.proc_main'})"
               "-[:SUBTREE_TASK]->(t) RETURN count(t)") == 3
    assert cypher.one("MATCH (e:Execution) RETURN count(e)") == 3
    # Dataflow: the sum's argument came from the eight leaf calls.
    assert cypher.one("MATCH (:CallNode {task_name: 'graphbackend_test_cache_proc.proc_sum'})"
               "-[:UPSTREAM]->(u:CallNode) RETURN count(DISTINCT u)") == 8
