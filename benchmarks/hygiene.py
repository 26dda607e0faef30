"""Benchmark: ``invalidate`` of a widely used input and ``gc`` of half the executions.

Generates (seeded, directly in Cypher through UNWIND batches; the scale helper's
``benchmarks/history.py`` was not available on this branch) a synthetic but
well-formed history: N executions, each a root Job and CallNode of ``main``
with C child calls chained by UPSTREAM edges, each call with an argument Value
and a result Value; a fraction of the child calls take the widely used input
File as an argument as well; a fraction of executions reuse (cached jobs) the
previous execution's calls. A real redun workflow is recorded into the same
database and tagged ``keep``.

Then, alternated with nothing else running:
1. ``invalidate`` of the widely used File (plan + apply): calls marked per second;
2. ``gc --older-than``-like selection of the older half of the executions (keeping the tag):
   nodes deleted per second;
3. the cache stays correct: the tagged real workflow runs again entirely from the cache,
   and a call downstream of the invalidated File is a cache miss.

Prints the heap and page cache of the server it ran against. Not a test.

    NEO4J_URI=bolt://127.0.0.1:27987 NEO4J_PASSWORD=... python -m benchmarks.hygiene --executions 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import time
import uuid

from redun import Scheduler, task
from redun.backends.base import TagEntity

from graphbackend import Neo4jBackend
from graphbackend.history import gc as gc_mod
from graphbackend.history import invalidate as inv

redun_namespace = "bench_hygiene"

GENERATE = """
UNWIND $executions AS ex
CREATE (e:Execution {id: ex.id, start_time: ex.time, updated_time: ex.time, args: '[]'})
CREATE (root:Job {id: ex.id + '-root', execution_id: ex.id, task_hash: $main_hash, task_name: 'bench.main',
                  name: 'main', cached: false, status: 'DONE', start_time: ex.time, end_time: ex.time,
                  call_hash: ex.root_call})
CREATE (e)-[:ROOT_JOB]->(root)
MERGE (rc:CallNode {call_hash: ex.root_call})
  ON CREATE SET rc.task_hash = $main_hash, rc.args_hash = ex.root_call, rc.task_name = 'bench.main',
                rc.value_hash = ex.root_call + 'r', rc.timestamp = ex.time
CREATE (root)-[:CALL]->(rc)
WITH ex, root, rc
MATCH (mt:Task {hash: $main_hash})
MERGE (rc)-[:TASK]->(mt)
MERGE (rv:Value {value_hash: ex.root_call + 'r'}) ON CREATE SET rv.type = 'builtins.int', rv.size = 8
MERGE (rc)-[:RESULT]->(rv)
WITH ex, root, rc
UNWIND ex.calls AS call
CREATE (j:Job {id: call.job, execution_id: ex.id, task_hash: call.task, task_name: 'bench.step', name: 'step',
               cached: call.cached, status: 'DONE', start_time: ex.time, end_time: ex.time,
               call_hash: call.hash})
CREATE (root)-[:CHILD]->(j)
MERGE (c:CallNode {call_hash: call.hash})
  ON CREATE SET c.task_hash = call.task, c.args_hash = call.args, c.task_name = 'bench.step',
                c.value_hash = call.result, c.timestamp = ex.time
CREATE (j)-[:CALL]->(c)
MERGE (rc)-[:CHILD]->(c)
WITH c, call
MATCH (t:Task {hash: call.task})
MERGE (c)-[:TASK]->(t)
MERGE (c)-[:SUBTREE_TASK]->(t)
MERGE (a:Value {value_hash: call.arg}) ON CREATE SET a.type = 'builtins.int', a.size = 8
MERGE (c)-[:ARG {arg_hash: call.hash + 'a'}]->(a)
MERGE (r:Value {value_hash: call.result}) ON CREATE SET r.type = 'builtins.int', r.size = 8,
  r.in_value_store = false
MERGE (c)-[:RESULT]->(r)
WITH c, call
CALL (c, call) {
  MATCH (f:File {value_hash: $file_hash}) WHERE call.uses_file
  MERGE (c)-[:ARG {arg_hash: call.hash + 'f'}]->(f)
}
CALL (c, call) {
  MATCH (u:CallNode {call_hash: call.upstream}) WHERE call.upstream IS NOT NULL
  MERGE (c)-[:UPSTREAM {arg_hash: call.hash + 'a'}]->(u)
}
"""


def h(*parts) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


@task()
def kept_step(x: int) -> int:
    return x * 3


@task()
def kept_main(n: int) -> list:
    return [kept_step(i) for i in range(n)]


def generate(graph, executions: int, calls: int, file_share: float, reuse: float, seed: int, batch: int = 50):
    rng = random.Random(seed)
    base = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    main_hash, step_hash, file_hash = h("main"), h("step"), h("file")
    graph.write_tx(lambda tx: tx.run_text(
        "MERGE (m:Value:Task {value_hash: $m}) SET m.hash = $m, m.fullname = 'bench.main', m.name = 'main' "
        "MERGE (s:Value:Task {value_hash: $s}) SET s.hash = $s, s.fullname = 'bench.step', s.name = 'step' "
        "MERGE (f:Value:File {value_hash: $f}) SET f.path = '/data/widely-used.csv', f.type = 'redun.File'",
        m=main_hash, s=step_hash, f=file_hash))
    previous = None
    previous_root = None
    rows = []
    for i in range(executions):
        execution_id = str(uuid.UUID(int=rng.getrandbits(128)))
        reused = previous is not None and rng.random() < reuse
        call_rows = []
        upstream = None
        for k in range(calls):
            if reused:
                src = previous[k]
                call_rows.append({**src, "job": h(execution_id, k), "cached": True})
                upstream = src["hash"]
                continue
            call_hash = h(execution_id, "call", k)
            call_rows.append({"job": h(execution_id, k), "hash": call_hash, "task": step_hash,
                              "args": h(execution_id, "args", k), "arg": h(execution_id, "arg", k),
                              "result": h(execution_id, "result", k), "cached": False,
                              "uses_file": rng.random() < file_share, "upstream": upstream})
            upstream = call_hash
        previous = call_rows
        rows.append({"id": execution_id, "time": base + dt.timedelta(minutes=i),
                     "root_call": h(execution_id, "root") if not reused else previous_root,
                     "calls": call_rows})
        if not reused:
            previous_root = rows[-1]["root_call"]
        if len(rows) >= batch:
            graph.write_tx(lambda tx, r=rows: tx.run_text(GENERATE, executions=r, main_hash=main_hash,
                                                           file_hash=file_hash))
            rows = []
    if rows:
        graph.write_tx(lambda tx, r=rows: tx.run_text(GENERATE, executions=rows, main_hash=main_hash,
                                                       file_hash=file_hash))
    return file_hash


def count_nodes(graph) -> int:
    return graph.read_tx(lambda tx: tx.run_text("MATCH (n) RETURN count(n) AS n"))[0]["n"]


def server_memory(graph) -> str:
    try:
        rows = graph.read_tx(lambda tx: tx.run_text(
            "SHOW SETTINGS YIELD name, value WHERE name IN "
            "['server.memory.heap.max_size', 'server.memory.pagecache.size'] RETURN name, value"))
        text = ", ".join(f"{r['name']}={r['value']}" for r in rows)
        return text + " (a null heap setting: the launcher passed -Xmx, see its --heap)"
    except Exception as error:  # pragma: no cover
        return f"unknown ({error})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=20, help="child calls per execution")
    parser.add_argument("--file-share", type=float, default=0.3, help="share of calls using the widely used File")
    parser.add_argument("--reuse", type=float, default=0.2, help="share of executions reusing the previous one's calls")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep-graph", action="store_true", help="do not empty the database first")
    args = parser.parse_args(argv)

    backend = Neo4jBackend()
    backend.load()
    graph = backend.graph
    if not args.keep_graph:
        graph.clear()
    print(f"server: {backend.settings.safe_uri} ({server_memory(graph)})")

    scheduler = Scheduler(backend=backend)
    kept_id = str(uuid.uuid4())
    scheduler.run(kept_main(5), execution_id=kept_id)
    backend.record_tags(TagEntity.Execution, kept_id, [("keep", "yes")])

    start = time.monotonic()
    generate(graph, args.executions, args.calls, args.file_share, args.reuse, args.seed)
    nodes = count_nodes(graph)
    print(f"generated {args.executions} executions x {args.calls} calls: {nodes} nodes in "
          f"{time.monotonic() - start:.1f}s")

    start = time.monotonic()
    target = inv.resolve_target(graph, "/data/widely-used.csv")
    the_plan = inv.plan(graph, target)
    planned = time.monotonic() - start
    inv.apply(graph, the_plan, reason="benchmark", batch_size=args.batch_size)
    seconds = time.monotonic() - start
    marked = len(the_plan.calls) + len(the_plan.evaluations)
    print(f"invalidate {target.text}: {len(the_plan.calls)} calls marked in {seconds:.1f}s "
          f"(closure {planned:.1f}s): {marked / seconds:,.0f} nodes marked/s")

    ids = [r["id"] for r in graph.read("history_gc_executions")]
    older = [i for i in ids if i != kept_id][: len(ids) // 2]
    selection = gc_mod.Selection(execution_ids=older, keep_tags=[("keep", None)],
                                 running_grace=dt.timedelta(0))
    start = time.monotonic()
    dry = gc_mod.collect(graph, selection, apply=False, batch_size=args.batch_size)
    dry_seconds = time.monotonic() - start
    report = gc_mod.collect(graph, selection, apply=True, batch_size=args.batch_size, grace_seconds=0)
    print(f"gc dry run of {len(older)} executions: {dry_seconds:.1f}s; would delete "
          f"{sum(v for k, v in dry.counts.items() if k in ('executions', 'jobs', 'call_nodes', 'values', 'evaluations'))} nodes")
    print(f"gc of {len(older)} executions: {report.nodes_deleted} nodes deleted in {report.seconds:.1f}s: "
          f"{report.nodes_deleted / report.seconds:,.0f} nodes deleted/s "
          f"({graph.transactions} transactions in all); {count_nodes(graph)} nodes left")

    # The cache stays correct.
    again = str(uuid.uuid4())
    scheduler = Scheduler(backend=backend)
    scheduler.run(kept_main(5), execution_id=again)
    ran = graph.read_tx(lambda tx: tx.run_text(
        "MATCH (j:Job {execution_id: $id}) WHERE NOT j.cached RETURN count(j) AS n", id=again))[0]["n"]
    marked_left = graph.read_tx(lambda tx: tx.run_text(
        "MATCH (c:CallNode:Invalidated) RETURN count(c) AS n"))[0]["n"]
    print(f"cache after: the kept workflow ran {ran} job(s) (0 = all from the cache); "
          f"{marked_left} invalidated calls left marked (the surviving ones)")
    backend.close()
    return 0 if ran == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
