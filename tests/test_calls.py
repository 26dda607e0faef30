"""Backend-level tests of CallNodes and every cache check, against the real Neo4j server."""

from __future__ import annotations

import threading

from redun import task
from redun.hashing import hash_call_node, hash_struct
from redun.scheduler import ErrorValue, Traceback
from redun.tags import CONTEXT_KEY
from redun.task import CacheCheckValid, CacheResult, CacheScope

from graphbackend import Neo4jBackend

NS = "graphbackend_test_calls"


@task(namespace=NS)
def leaf(x: int, y: int = 2) -> int:
    return x + y


@task(namespace=NS)
def middle(x: int) -> int:
    return leaf(x)


@task(namespace=NS)
def top(x: int, k: int = 3) -> int:
    return middle(x)


def graph_size(cypher) -> tuple:
    """(nodes, relationships) in the whole database."""
    nodes = cypher.one("MATCH (n) RETURN count(n)")
    rels = cypher.one("MATCH ()-[r]->() RETURN count(r)")
    return nodes, rels


def args_hash_of(*parts) -> str:
    return hash_struct(["test-args", *[repr(part) for part in parts]])


def record(backend, the_task, args=(), kwargs=None, result=0, children=(), subtree=None,
           expr_args=None):
    """Record a call of ``the_task`` as the scheduler would, and return its call_hash."""
    kwargs = dict(kwargs or {})
    result_hash = backend.record_value(result)
    return backend.record_call_node(
        task_name=the_task.fullname,
        task_hash=the_task.hash,
        args_hash=args_hash_of(the_task.fullname, args, kwargs),
        expr_args=expr_args if expr_args is not None else (tuple(args), kwargs),
        eval_args=(tuple(args), kwargs),
        result_hash=result_hash,
        child_call_hashes=list(children),
        subtree_tasks={the_task} if subtree is None else set(subtree),
    )


def add_job(backend, job_id, execution_id, the_task, call_hash, start):
    """A finished Job as the jobs engineer records it (README model), for CSE tests."""
    backend.graph.write_tx(
        lambda tx: tx.run_text(
            "MATCH (c:CallNode {call_hash: $call_hash}) "
            "MERGE (j:Job {id: $id}) SET j.execution_id = $execution_id, j.task_hash = $task_hash, "
            "j.call_hash = $call_hash, j.start_time = datetime($start) MERGE (j)-[:CALL]->(c)",
            id=job_id, execution_id=execution_id, task_hash=the_task.hash,
            call_hash=call_hash, start=start,
        )
    )


def check(backend, the_task, args=(), kwargs=None, execution_id="exec-other", task_hashes=None,
          scope=CacheScope.BACKEND, valid=CacheCheckValid.SHALLOW, context_hash=None,
          allowed=None, eval_hash="no-eval"):
    return backend.check_cache(
        the_task.hash,
        args_hash_of(the_task.fullname, tuple(args), dict(kwargs or {})),
        eval_hash,
        execution_id,
        {leaf.hash, middle.hash, top.hash} if task_hashes is None else set(task_hashes),
        scope,
        valid,
        context_hash,
        allowed,
    )


def record_tree(backend, x=1):
    """leaf <- middle <- top, each recorded with its subtree tasks; returns their call hashes."""
    leaf_hash = record(backend, leaf, (x,), {"y": 2}, result=x + 2, subtree={leaf})
    middle_hash = record(backend, middle, (x,), result=x + 2, children=[leaf_hash],
                         subtree={middle, leaf})
    top_hash = record(backend, top, (x,), {"k": 3}, result=x + 2, children=[middle_hash],
                      subtree={top, middle, leaf})
    return leaf_hash, middle_hash, top_hash


# record_call_node -------------------------------------------------------------


def test_record_call_node_whole(cypher, backend: Neo4jBackend) -> None:
    leaf_hash = record(backend, leaf, (5,), {"y": 2}, result=7, subtree={leaf})

    # top(5, k=3) whose first argument came from leaf's result through an expression.
    upstream_expr = leaf(5)
    upstream_expr.call_hash = leaf_hash
    derived = upstream_expr["anything"]  # a SimpleExpression whose upstream is leaf(5)
    result_hash = backend.record_value(7)
    args_hash = args_hash_of("top-call")
    transactions = backend.graph.transactions
    call_hash = backend.record_call_node(
        task_name=top.fullname,
        task_hash=top.hash,
        args_hash=args_hash,
        expr_args=((derived,), {"k": 3}),
        eval_args=((7,), {"k": 3, "z": "default"}),
        result_hash=result_hash,
        child_call_hashes=[leaf_hash, "not-recorded-child"],
        subtree_tasks={top, leaf},
    )
    assert backend.graph.transactions == transactions + 1  # one write transaction
    assert call_hash == hash_call_node(top.hash, args_hash, result_hash, [leaf_hash, "not-recorded-child"])

    node = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (c:CallNode {call_hash: $h}) RETURN c {.*} AS c", h=call_hash))[0]["c"]
    assert node["task_name"] == top.fullname
    assert node["task_hash"] == top.hash
    assert node["args_hash"] == args_hash
    assert node["value_hash"] == result_hash
    assert node["timestamp"] is not None

    assert cypher.one("MATCH (:CallNode {call_hash: $h})-[:TASK]->(t:Task {hash: $t}) RETURN count(t)",
                 h=call_hash, t=top.hash) == 1
    assert cypher.one("MATCH (:CallNode {call_hash: $h})-[:RESULT]->(v:Value {value_hash: $v}) "
                 "RETURN count(v)", h=call_hash, v=result_hash) == 1
    # Only the recorded child gets a CHILD edge, with its call order.
    children = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:CallNode {call_hash: $h})-[e:CHILD]->(k) RETURN k.call_hash AS k, e.call_order AS o",
        h=call_hash))
    assert [(r["k"], r["o"]) for r in children] == [(leaf_hash, 0)]

    args = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:CallNode {call_hash: $h})-[a:ARG]->(v:Value) "
        "RETURN a.arg_hash AS arg_hash, a.position AS position, a.key AS key, v.value_hash AS value_hash",
        h=call_hash))
    by_slot = {(r["position"], r["key"]): r for r in args}
    assert set(by_slot) == {(0, None), (None, "k"), (None, "z")}
    for (position, key), row in by_slot.items():
        expected = hash_struct(["Argument", call_hash, str(position), str(key), row["value_hash"]])
        assert row["arg_hash"] == expected
    assert by_slot[(0, None)]["value_hash"] == backend.record_value(7)
    assert by_slot[(None, "z")]["value_hash"] == backend.record_value("default")

    # Dataflow: argument 0 came from leaf's call.
    upstreams = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:CallNode {call_hash: $h})-[u:UPSTREAM]->(up:CallNode) "
        "RETURN u.arg_hash AS arg_hash, up.call_hash AS up", h=call_hash))
    assert [(r["arg_hash"], r["up"]) for r in upstreams] == [(by_slot[(0, None)]["arg_hash"], leaf_hash)]

    assert backend.get_subtree_tasks(call_hash) == {top.hash, leaf.hash}
    assert backend.get_subtree_tasks(leaf_hash) == {leaf.hash}
    assert backend.get_subtree_tasks("unknown") == set()


def test_subtree_tasks_recorded_as_values(cypher, backend: Neo4jBackend) -> None:
    """Tasks of the subtree get their Task node even if no job recorded them."""
    call_hash = record(backend, top, (1,), subtree={top, middle, leaf})
    assert cypher.one("MATCH (:CallNode {call_hash: $h})-[:SUBTREE_TASK]->(t:Task:Value) "
                 "RETURN count(DISTINCT t)", h=call_hash) == 3
    names = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:CallNode {call_hash: $h})-[:SUBTREE_TASK]->(t:Task) RETURN t.name AS name", h=call_hash))
    assert {r["name"] for r in names} == {"top", "middle", "leaf"}


def test_record_same_call_twice_no_duplicates(cypher, backend: Neo4jBackend, neo4j_server) -> None:
    hashes = record_tree(backend)
    size = graph_size(cypher)
    assert record_tree(backend) == hashes
    assert graph_size(cypher) == size

    # Another backend (no memory of what was written) writes it again: still nothing new.
    other = Neo4jBackend(uri=neo4j_server.uri, user=neo4j_server.user,
                         password=neo4j_server.password, database=neo4j_server.database)
    try:
        assert record_tree(other) == hashes
        assert graph_size(cypher) == size
    finally:
        other.close()
    assert cypher.one("MATCH (c:CallNode) RETURN count(c)") == 3


def test_record_from_threads_no_duplicates(cypher, backend: Neo4jBackend, neo4j_server) -> None:
    errors = []
    results = []

    def run() -> None:
        own = Neo4jBackend(uri=neo4j_server.uri, user=neo4j_server.user,
                           password=neo4j_server.password, database=neo4j_server.database)
        try:
            for x in range(3):
                results.append(record_tree(own, x))
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 18 and len(set(results)) == 3

    reference = graph_size(cypher)
    assert cypher.one("MATCH (c:CallNode) RETURN count(c)") == 9
    assert cypher.one("MATCH (c:CallNode)-[r:SUBTREE_TASK]->() RETURN count(r)") == 3 * (1 + 2 + 3)
    assert cypher.one("MATCH (c:CallNode)-[r:CHILD]->() RETURN count(r)") == 6
    assert cypher.one("MATCH (c:CallNode)-[r:TASK]->() RETURN count(r)") == 9
    assert cypher.one("MATCH (c:CallNode)-[r:RESULT]->() RETURN count(r)") == 9
    assert cypher.one("MATCH (c:CallNode)-[r:ARG]->() RETURN count(r)") == 3 * (2 + 1 + 2)
    assert cypher.one("MATCH (t:Task) RETURN count(t)") == 3
    # Recording everything once more changes nothing.
    for x in range(3):
        record_tree(backend, x)
    assert graph_size(cypher) == reference


# check_cache -------------------------------------------------------------------


def test_shallow_call_cache_hit_and_miss(backend: Neo4jBackend) -> None:
    _, _, top_hash = record_tree(backend)

    transactions = backend.graph.transactions
    result, call_hash, kind = check(backend, top, (1,), {"k": 3})
    assert backend.graph.transactions == transactions + 1  # one round trip
    assert (result, call_hash, kind) == (3, top_hash, CacheResult.ULTIMATE)

    # A subtree task (the leaf) is no longer current: miss.
    assert check(backend, top, (1,), {"k": 3}, task_hashes={top.hash, middle.hash, "new-leaf"}) == (
        None, None, CacheResult.MISS)
    # Extra current tasks do not matter.
    assert check(backend, top, (1,), {"k": 3},
                 task_hashes={top.hash, middle.hash, leaf.hash, "x", "y"})[2] == CacheResult.ULTIMATE
    # Full validity checking never uses the call cache; other args miss.
    assert check(backend, top, (1,), {"k": 3}, valid=CacheCheckValid.FULL)[2] == CacheResult.MISS
    assert check(backend, top, (2,), {"k": 3})[2] == CacheResult.MISS
    # Strings are accepted as redun's enums accept them.
    assert check(backend, top, (1,), {"k": 3}, scope="BACKEND", valid="shallow")[2] == CacheResult.ULTIMATE
    # Scope and allowed results.
    assert check(backend, top, (1,), {"k": 3}, scope=CacheScope.NONE) == (None, None, CacheResult.MISS)
    assert check(backend, top, (1,), {"k": 3}, scope=CacheScope.CSE)[2] == CacheResult.MISS
    assert check(backend, top, (1,), {"k": 3},
                 allowed={CacheResult.CSE, CacheResult.SINGLE})[2] == CacheResult.MISS


def test_subtree_tasks_of_a_cache_hit_need_no_second_read(backend: Neo4jBackend, neo4j_server) -> None:
    _, _, top_hash = record_tree(backend)
    # Another process (a fresh backend) checks the cache, then asks for the hit's subtree.
    other = Neo4jBackend(**neo4j_server.backend_kwargs())
    other.load(migrate=False)
    try:
        assert check(other, top, (1,), {"k": 3})[1:] == (top_hash, CacheResult.ULTIMATE)
        transactions = other.graph.transactions
        assert other.get_subtree_tasks(top_hash) == {top.hash, middle.hash, leaf.hash}
        assert other.graph.transactions == transactions  # read with the cache check
        # A call it has not seen is read from the graph (and then kept).
        middle_hash = record_tree(backend)[1]
        assert other.get_subtree_tasks(middle_hash) == {middle.hash, leaf.hash}
        assert other.graph.transactions == transactions + 1
        assert other.get_subtree_tasks(middle_hash) == {middle.hash, leaf.hash}
        assert other.graph.transactions == transactions + 1
        # An unknown call: empty, and not kept (it may be recorded later).
        assert other.get_subtree_tasks("no-such-call") == set()
        assert other.get_subtree_tasks("no-such-call") == set()
        assert other.graph.transactions == transactions + 3
    finally:
        other.close()


def test_shallow_prefers_newest_current_call(backend: Neo4jBackend) -> None:
    """Of two CallNodes for the same task and args, the newest current one wins."""
    old = record(backend, top, (1,), {"k": 3}, result="old", subtree={top, leaf})
    new = record(backend, top, (1,), {"k": 3}, result="new", subtree={top, middle})
    assert check(backend, top, (1,), {"k": 3}) == ("new", new, CacheResult.ULTIMATE)
    assert check(backend, top, (1,), {"k": 3}, task_hashes={top.hash, leaf.hash}) == (
        "old", old, CacheResult.ULTIMATE)


def test_eval_cache(cypher, backend: Neo4jBackend) -> None:
    assert backend.get_eval_cache("eval-1") == (None, False)
    backend.set_eval_cache("eval-1", leaf.hash, "args-1", {"a": [1, 2]})
    assert backend.get_eval_cache("eval-1") == ({"a": [1, 2]}, True)
    # Pointing the entry at a new value replaces the old RESULT edge.
    backend.set_eval_cache("eval-1", leaf.hash, "args-1", "second")
    assert backend.get_eval_cache("eval-1") == ("second", True)
    backend.set_eval_cache("eval-1", leaf.hash, "args-1", None, value_hash=backend.record_value("third"))
    assert backend.get_eval_cache("eval-1") == ("third", True)
    assert cypher.one("MATCH (e:Evaluation) RETURN count(e)") == 1
    row = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (e:Evaluation {eval_hash: 'eval-1'})-[:RESULT]->(v) "
        "RETURN e.task_hash AS t, e.args_hash AS a, collect(v.value_hash) AS vs"))[0]
    assert (row["t"], row["a"], row["vs"]) == (leaf.hash, "args-1", [backend.record_value("third")])

    # check_cache falls back to the evaluation cache (any check_valid) ...
    assert check(backend, leaf, (9,), eval_hash="eval-1", valid=CacheCheckValid.FULL) == (
        "third", None, CacheResult.SINGLE)
    # ... but not when SINGLE is not allowed or the scope is CSE.
    assert check(backend, leaf, (9,), eval_hash="eval-1",
                 allowed={CacheResult.CSE, CacheResult.ULTIMATE})[2] == CacheResult.MISS
    assert check(backend, leaf, (9,), eval_hash="eval-1", scope=CacheScope.CSE)[2] == CacheResult.MISS


def test_call_cache_preferred_to_eval_cache(backend: Neo4jBackend) -> None:
    leaf_hash = record(backend, leaf, (1,), {"y": 2}, result="from-call", subtree={leaf})
    backend.set_eval_cache("eval-leaf", leaf.hash, "a", "from-eval")
    assert check(backend, leaf, (1,), {"y": 2}, eval_hash="eval-leaf") == (
        "from-call", leaf_hash, CacheResult.ULTIMATE)
    assert check(backend, leaf, (1,), {"y": 2}, eval_hash="eval-leaf", task_hashes=set()) == (
        "from-eval", None, CacheResult.SINGLE)
    assert backend.get_call_cache(leaf_hash) == ("from-call", True)
    assert backend.get_call_cache("unknown") == (None, False)


def test_cse_within_execution(backend: Neo4jBackend) -> None:
    first = record(backend, leaf, (1,), {"y": 2}, result="first", subtree={leaf})
    second = record(backend, leaf, (1,), {"y": 2}, result="second", subtree={leaf})
    add_job(backend, "job-1", "exec-1", leaf, first, "2024-01-01T00:00:00Z")
    add_job(backend, "job-2", "exec-1", leaf, second, "2024-01-01T00:00:05Z")
    add_job(backend, "job-3", "exec-2", leaf, first, "2024-01-01T00:01:00Z")

    # The newest job of the execution wins, even with no current tasks or cache scope CSE.
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-1", task_hashes=set()) == (
        "second", second, CacheResult.CSE)
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-2",
                 scope=CacheScope.CSE) == ("first", first, CacheResult.CSE)
    # Other executions, other args, or CSE not allowed: no CSE hit.
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-3", scope=CacheScope.CSE)[2] == (
        CacheResult.MISS)
    assert check(backend, leaf, (2,), {"y": 2}, execution_id="exec-1")[2] == CacheResult.MISS
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-1",
                 allowed={CacheResult.ULTIMATE})[2] == CacheResult.ULTIMATE
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-1",
                 scope=CacheScope.NONE)[2] == CacheResult.MISS


def test_context_hash(cypher, backend: Neo4jBackend) -> None:
    call_hash = record(backend, leaf, (1,), {"y": 2}, result=3, subtree={leaf})
    context = {"model": "small"}
    context_hash = backend.type_registry.get_hash(context)
    assert backend.record_call_node_context(call_hash, context_hash, context) == context_hash
    assert cypher.one("MATCH (t:Tag {entity_id: $h, key: $k}) RETURN count(t)",
                 h=call_hash, k=CONTEXT_KEY) == 1
    add_job(backend, "job-ctx", "exec-ctx", leaf, call_hash, "2024-01-01T00:00:00Z")

    assert check(backend, leaf, (1,), {"y": 2}, context_hash=context_hash)[2] == CacheResult.ULTIMATE
    assert check(backend, leaf, (1,), {"y": 2}, context_hash="other-context") == (
        None, None, CacheResult.MISS)
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-ctx",
                 context_hash="other-context") == (None, None, CacheResult.MISS)
    assert check(backend, leaf, (1,), {"y": 2}, execution_id="exec-ctx",
                 context_hash=context_hash)[2] == CacheResult.CSE
    # No context asked for: any CallNode matches, as in redun.
    assert check(backend, leaf, (1,), {"y": 2})[2] == CacheResult.ULTIMATE

    # Without a hash, the context is recorded as a Value and its hash used.
    other_call = record(backend, middle, (1,), result=3, subtree={middle})
    computed = backend.record_call_node_context(other_call, None, {"model": "big"})
    assert computed == backend.record_value({"model": "big"})
    assert check(backend, middle, (1,), context_hash=computed)[2] == CacheResult.ULTIMATE


def test_error_results_returned_as_recorded(backend: Neo4jBackend) -> None:
    """As redun's backend, an ErrorValue result is returned; the scheduler refuses it
    unless it is a CSE hit (see test_cache.py for the scheduler-level behaviour)."""
    error = ValueError("boom")
    error_value = ErrorValue(error, Traceback.from_error(error))
    call_hash = record(backend, leaf, (1,), {"y": 2}, result=error_value, subtree={leaf})
    result, hit_hash, kind = check(backend, leaf, (1,), {"y": 2})
    assert isinstance(result, ErrorValue) and kind == CacheResult.ULTIMATE and hit_hash == call_hash
    assert isinstance(result.error, ValueError)


def test_missing_result_value_is_a_miss(backend: Neo4jBackend) -> None:
    call_hash = backend.record_call_node(
        task_name=leaf.fullname, task_hash=leaf.hash, args_hash=args_hash_of(leaf.fullname, (1,), {}),
        expr_args=((1,), {}), eval_args=((1,), {}), result_hash="never-recorded",
        child_call_hashes=[], subtree_tasks={leaf},
    )
    assert backend.get_call_cache(call_hash) == (None, False)
    assert check(backend, leaf, (1,)) == (None, None, CacheResult.MISS)


# explain_cache_miss ------------------------------------------------------------


def test_explain_cache_miss(backend: Neo4jBackend) -> None:
    args = args_hash_of(leaf.fullname, (1,), {"y": 2})
    assert backend.explain_cache_miss(leaf, args) == {"reason": "new_call"}

    call_hash = record(backend, leaf, (1,), {"y": 2}, subtree={leaf})
    # Same task hash, other args.
    assert backend.explain_cache_miss(leaf, "other-args") == {
        "reason": "new_args", "call_hash": call_hash,
        "call_task_hash": leaf.hash, "call_args_hash": args,
    }
    # A task of the same name and namespace but new code, called with the same args.
    @task(namespace=NS, name="leaf", version="changed")
    def leaf_v2(x: int, y: int = 2) -> int:
        return x * y

    assert leaf_v2.hash != leaf.hash
    assert backend.explain_cache_miss(leaf_v2, args) == {
        "reason": "new_task", "call_hash": call_hash,
        "call_task_hash": leaf.hash, "call_args_hash": args,
    }
    assert backend.explain_cache_miss(leaf_v2, "other-args") == {"reason": "new_call"}


# Same facts as redun's own backend --------------------------------------------


@task(namespace=NS)
def flow_square(x: int, power: int = 2) -> int:
    return x ** power


@task(namespace=NS)
def flow_total(values: list, start: int = 0) -> int:
    return start + sum(values)


@task(namespace=NS)
def flow_main(n: int) -> int:
    squares = [flow_square(i) for i in range(n)]
    return flow_total(squares, start=flow_square(n, power=3))


def redun_facts(session) -> dict:
    """The call graph recorded by redun's own backend, as comparable sets."""
    from redun.backends.db import Argument, ArgumentResult, CallEdge, CallNode, CallSubtreeTask

    return {
        "calls": {(c.call_hash, c.task_name, c.task_hash, c.args_hash, c.value_hash)
                  for c in session.query(CallNode)},
        "children": {(e.parent_id, e.child_id, e.call_order) for e in session.query(CallEdge)},
        "args": {(a.arg_hash, a.call_hash, a.arg_position, a.arg_key, a.value_hash)
                 for a in session.query(Argument)},
        "upstreams": {(r.arg_hash, r.result_call_hash) for r in session.query(ArgumentResult)},
        "subtree": {(s.call_hash, s.task_hash) for s in session.query(CallSubtreeTask)},
    }


def graph_facts(backend) -> dict:
    """The same facts read from the Neo4j graph."""
    def rows(text):
        return {tuple(record.values()) for record in backend.graph.read_tx(lambda tx: tx.run_text(text))}

    return {
        "calls": rows("MATCH (c:CallNode) RETURN c.call_hash, c.task_name, c.task_hash, c.args_hash, c.value_hash"),
        "children": rows("MATCH (p:CallNode)-[e:CHILD]->(c:CallNode) RETURN p.call_hash, c.call_hash, e.call_order"),
        "args": rows("MATCH (c:CallNode)-[a:ARG]->(v:Value) "
                     "RETURN a.arg_hash, c.call_hash, a.position, a.key, v.value_hash"),
        "upstreams": rows("MATCH (c:CallNode)-[u:UPSTREAM]->(r:CallNode) RETURN u.arg_hash, r.call_hash"),
        "subtree": rows("MATCH (c:CallNode)-[:SUBTREE_TASK]->(t:Task) RETURN c.call_hash, t.hash"),
    }


def test_call_graph_matches_redun_backend(scheduler, backend: Neo4jBackend) -> None:
    """A workflow with dataflow, keyword and default arguments records exactly the
    CallNodes, child edges, arguments, upstreams and subtree tasks redun's backend records."""
    from redun import Scheduler
    from redun.backends.db import RedunBackendDb

    reference = RedunBackendDb(db_uri="sqlite:///:memory:")
    reference.load()
    assert Scheduler(backend=reference).run(flow_main(3)) == 5 + 27
    assert scheduler.run(flow_main(3)) == 5 + 27

    expected = redun_facts(reference.session)
    actual = graph_facts(backend)
    assert expected["upstreams"], "the workflow should have dataflow"
    for kind in expected:
        assert actual[kind] == expected[kind], kind
