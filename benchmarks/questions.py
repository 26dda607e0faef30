"""Latency of the questions (impact, why, diff, upstream lineage) on a large recorded history,
side by side with the closest SQL on redun's SQLite backend.

    .venv/bin/python -m benchmarks.questions                  # ~1M nodes (700 executions)
    .venv/bin/python -m benchmarks.questions --executions 40  # quick
    # generate once, keep, and measure again later without regenerating:
    .venv/bin/python -m benchmarks.questions --home /tmp/qbench --keep-server --load-only
    .venv/bin/python -m benchmarks.questions --home /tmp/qbench --keep-server [--only impact,diff]

The history is generated (seeded), the same facts into both stores, in the shapes redun
records: one workflow of 20 layers x 50 lanes (1,000 calls + the root per execution), each
call taking the results of two calls of the layer before (UPSTREAM / argument_result),
layer 1 reading one input File per lane. Every execution changes one lane's input file
(its downstream cone gets new CallNodes, the rest is reused from the cache: cached Jobs
pointing at the old CallNodes) and every 25th also changes one layer task's code (every
call from that layer down is new). So an execution has 1,001 Jobs; CallNodes are shared
across executions as redun shares them.

(The scale helper's generator, ``benchmarks/history.py``, was not on its branch when this
was written; this file has its own small one.)

Neo4j: ``--uri`` (with NEO4J_USERNAME/NEO4J_PASSWORD), else the benchmark's own local server
(2 GiB heap and 2 GiB page cache by default: the ~1M-node store is ~1.5 GiB, and with the
server's default 512 MiB cache loading was page-bound) on free ports: in ``--home`` (kept,
with the SQLite file and ``bench-history.json``, so a later run with the same --executions
and --seed reuses the loaded history; ``--keep-server`` leaves the server running for it),
else in a temporary folder deleted at the end. A database given with ``--uri`` must be
empty unless ``--clear-neo4j``. Loading sends batches of 20,000 rows (``--batch``); child
jobs are created with their CHILD edge from the parent job in one statement.

Measured (median of ``--samples``, Neo4j and SQLite alternated, the generated history frozen
out of Python's garbage collector first):
- impact: ``graphbackend.questions.impact`` on one version of an input file (the summary
  and the first 200 rows; ``impact_all``: every row) vs a recursive CTE downstream in SQLite
  (argument_result, call_edge, results reused by value; then the executions);
  ``impact_small``: of one layer-5 call (273 calls downstream at 700 executions);
- why: ``questions.why`` on a job that ran vs the same lookups in SQL;
- diff: ``questions.diff`` of two consecutive 1,000-job executions vs two recursive CTE
  call trees and the same alignment by task and arguments in Python;
- upstream: ``explore.queries.lineage`` of a last-layer result (20 calls deep) vs redun's
  own ``redun.backends.db.dataflow.walk_dataflow`` on SQLite.
Round trips per question are printed for Neo4j: transactions and queries (each query is one
request and reply inside its transaction), with the load average beside each line.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Tuple

LAYERS = 20
LANES = 50
NAMESPACE = "bench"
#: Bumped when History changes: a kept --home with another generator is loaded again.
GENERATOR_VERSION = 1


def sha(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()


# The generated history ------------------------------------------------------------------


class History:
    """Rows for both stores: tasks, values, files, call nodes, edges, jobs, executions."""

    def __init__(self, executions: int, seed: int = 12):
        rng = random.Random(seed)
        base = datetime(2026, 1, 1, tzinfo=timezone.utc)
        self.tasks: Dict[str, Dict[str, Any]] = {}
        self.values: Dict[str, Dict[str, Any]] = {}
        self.files: List[Dict[str, Any]] = []
        self.calls: Dict[str, Dict[str, Any]] = {}
        self.args: List[Dict[str, Any]] = []        # arg_hash, call_hash, value_hash, position, upstream
        self.children: List[Dict[str, Any]] = []    # parent, child, call_order
        self.jobs: List[Dict[str, Any]] = []
        self.executions: List[Dict[str, Any]] = []
        lane_version = [0] * LANES
        task_version = {layer: 0 for layer in range(LAYERS + 1)}

        def task_hash(layer: int) -> str:
            name = "main" if layer == LAYERS else f"step{layer:02d}"
            version = task_version[layer]
            key = sha("task", name, version)
            if key not in self.tasks:
                self.tasks[key] = {"hash": key, "name": name, "namespace": NAMESPACE,
                                   "fullname": f"{NAMESPACE}.{name}",
                                   "source": f"def {name}(a, b):\n    return combine(a, b, version={version})\n"}
            return key

        for k in range(executions):
            when = base + timedelta(minutes=10 * k)
            if k:
                lane_version[rng.randrange(LANES)] += 1
                if k % 25 == 0:
                    task_version[rng.randrange(LAYERS)] += 1
            execution_id = sha("execution", k)
            # layer 0: the input files
            results = []
            for lane in range(LANES):
                path = f"/data/lane{lane:02d}/input.csv"
                value_hash = sha("file", lane, lane_version[lane])
                if value_hash not in self.values:
                    self.values[value_hash] = {"value_hash": value_hash, "type": "redun.File",
                                               "preview": f"File(path={path}, hash={value_hash[:8]})", "path": path}
                    self.files.append({"value_hash": value_hash, "path": path})
                results.append((None, value_hash))
            layer_calls: List[List[Tuple[str, bool]]] = []
            order = 0
            all_calls: List[Tuple[str, bool, int]] = []
            for layer in range(LAYERS):
                th = task_hash(layer)
                new_results = []
                row = []
                for lane in range(LANES):
                    ups = [results[lane], results[(lane + 1) % LANES]]
                    args_hash = sha("args", ups[0][1], ups[1][1])
                    call_hash = sha("call", th, args_hash)
                    fresh = call_hash not in self.calls
                    if fresh:
                        result = sha("result", call_hash)
                        self.values[result] = {"value_hash": result, "type": "builtins.dict",
                                               "preview": f"{{'layer': {layer}, 'lane': {lane}}}", "path": None}
                        self.calls[call_hash] = {
                            "call_hash": call_hash, "task_hash": th, "task_name": f"{NAMESPACE}.step{layer:02d}",
                            "name": f"step{layer:02d}", "args_hash": args_hash, "value_hash": result,
                            "timestamp": when + timedelta(seconds=layer, microseconds=lane),
                        }
                        for position, (up_call, value_hash) in enumerate(ups):
                            self.args.append({"arg_hash": sha("arg", call_hash, position), "call_hash": call_hash,
                                              "value_hash": value_hash, "position": position, "upstream": up_call})
                    new_results.append((call_hash, self.calls[call_hash]["value_hash"]))
                    row.append((call_hash, fresh))
                    all_calls.append((call_hash, fresh, order))
                    order += 1
                results = new_results
                layer_calls.append(row)
            # the root call: main, whose children are every call; new when anything below is
            th = task_hash(LAYERS)
            root_args = sha("args", *[lane_version[lane] for lane in range(LANES)])
            root_call = sha("call", th, root_args, *[c for c, _, _ in all_calls])
            root_fresh = root_call not in self.calls
            if root_fresh:
                result = sha("result", root_call)
                self.values[result] = {"value_hash": result, "type": "builtins.list",
                                       "preview": "[...]", "path": None}
                self.calls[root_call] = {
                    "call_hash": root_call, "task_hash": th, "task_name": f"{NAMESPACE}.main", "name": "main",
                    "args_hash": root_args, "value_hash": result,
                    "timestamp": when + timedelta(seconds=LAYERS + 1),
                }
                for lane in range(LANES):
                    self.args.append({"arg_hash": sha("arg", root_call, lane), "call_hash": root_call,
                                      "value_hash": sha("file", lane, lane_version[lane]), "position": lane,
                                      "upstream": None})
                for call_hash, _, call_order in all_calls:
                    self.children.append({"parent": root_call, "child": call_hash, "call_order": call_order})
            root_job = sha("job", k, "root")
            self.jobs.append({"id": root_job, "task_hash": th, "task_name": f"{NAMESPACE}.main", "name": "main",
                              "call_hash": root_call, "cached": not root_fresh, "parent_id": None,
                              "execution_id": execution_id, "start_time": when,
                              "end_time": when + timedelta(seconds=LAYERS + 2)})
            for layer, row in enumerate(layer_calls):
                for lane, (call_hash, fresh) in enumerate(row):
                    self.jobs.append({
                        "id": sha("job", k, layer, lane), "task_hash": self.calls[call_hash]["task_hash"],
                        "task_name": self.calls[call_hash]["task_name"], "name": f"step{layer:02d}",
                        "call_hash": call_hash, "cached": not fresh, "parent_id": root_job,
                        "execution_id": execution_id, "start_time": when + timedelta(seconds=layer, microseconds=lane),
                        "end_time": when + timedelta(seconds=layer + 1),
                    })
            self.executions.append({"id": execution_id, "root_job": root_job, "start_time": when,
                                    "args": f'["redun", "run", "bench.py", "main", "--k", "{k}"]'})
        self.lane_version = lane_version

    def node_count(self) -> int:
        return (len(self.tasks) + len(self.values) + len(self.calls) + len(self.jobs) + len(self.executions))


# Loading ---------------------------------------------------------------------------------

_NEO4J_LOAD = [
    ("tasks", """UNWIND $rows AS r CREATE (t:Task:Value {hash: r.hash, value_hash: r.hash, name: r.name,
        namespace: r.namespace, fullname: r.fullname, source: r.source, type: 'redun.Task'})"""),
    ("values", """UNWIND $rows AS r CREATE (v:Value {value_hash: r.value_hash, type: r.type, preview: r.preview})
        WITH v, r WHERE r.path IS NOT NULL SET v:File, v.path = r.path"""),
    ("calls", """UNWIND $rows AS r CREATE (c:CallNode {call_hash: r.call_hash, task_hash: r.task_hash,
        task_name: r.task_name, name: r.name, args_hash: r.args_hash, value_hash: r.value_hash,
        timestamp: r.timestamp})
        WITH c, r MATCH (t:Task {hash: r.task_hash}) CREATE (c)-[:TASK]->(t)
        WITH c, r MATCH (v:Value {value_hash: r.value_hash}) CREATE (c)-[:RESULT]->(v)"""),
    ("args", """UNWIND $rows AS r MATCH (c:CallNode {call_hash: r.call_hash}), (v:Value {value_hash: r.value_hash})
        CREATE (c)-[:ARG {arg_hash: r.arg_hash, position: r.position}]->(v)
        WITH c, r WHERE r.upstream IS NOT NULL MATCH (u:CallNode {call_hash: r.upstream})
        CREATE (c)-[:UPSTREAM {arg_hash: r.arg_hash}]->(u)"""),
    ("children", """UNWIND $rows AS r MATCH (p:CallNode {call_hash: r.parent}), (c:CallNode {call_hash: r.child})
        CREATE (p)-[:CHILD {call_order: r.call_order}]->(c)"""),
    ("executions", """UNWIND $rows AS r CREATE (:Execution {id: r.id, start_time: r.start_time,
        updated_time: r.start_time, args: r.args})"""),
    # Root jobs first, then every other job with its CHILD edge from its (already loaded) parent
    # in the same statement: one index lookup fewer per job than a separate edge pass.
    ("jobs", """UNWIND $rows AS r CREATE (j:Job {id: r.id, task_hash: r.task_hash, task_name: r.task_name,
        name: r.name, call_hash: r.call_hash, cached: r.cached, status: CASE WHEN r.cached THEN 'CACHED' ELSE 'DONE' END,
        parent_id: r.parent_id, execution_id: r.execution_id, start_time: r.start_time, end_time: r.end_time})
        WITH j, r MATCH (c:CallNode {call_hash: r.call_hash}) CREATE (j)-[:CALL]->(c)
        WITH j, r MATCH (t:Task {hash: r.task_hash}) CREATE (j)-[:TASK]->(t)"""),
    ("child_jobs", """UNWIND $rows AS r MATCH (p:Job {id: r.parent_id}) CREATE (j:Job {id: r.id, task_hash: r.task_hash,
        task_name: r.task_name, name: r.name, call_hash: r.call_hash, cached: r.cached,
        status: CASE WHEN r.cached THEN 'CACHED' ELSE 'DONE' END, parent_id: r.parent_id,
        execution_id: r.execution_id, start_time: r.start_time, end_time: r.end_time})<-[:CHILD]-(p)
        WITH j, r MATCH (c:CallNode {call_hash: r.call_hash}) CREATE (j)-[:CALL]->(c)
        WITH j, r MATCH (t:Task {hash: r.task_hash}) CREATE (j)-[:TASK]->(t)"""),
    ("root_jobs", """UNWIND $rows AS r MATCH (e:Execution {id: r.id}), (j:Job {id: r.root_job})
        CREATE (e)-[:ROOT_JOB]->(j)"""),
]


def load_neo4j(driver, database: str, history: History, batch: int = 20000, echo=print) -> None:
    rows = {
        "tasks": list(history.tasks.values()), "values": list(history.values.values()),
        "calls": list(history.calls.values()), "args": history.args, "children": history.children,
        "executions": history.executions, "jobs": [j for j in history.jobs if not j["parent_id"]],
        "child_jobs": [j for j in history.jobs if j["parent_id"]], "root_jobs": history.executions,
    }
    with driver.session(database=database) as session:
        for name, statement in _NEO4J_LOAD:
            started = time.perf_counter()
            items = rows[name]
            for start in range(0, len(items), batch):
                session.run(statement, rows=items[start:start + batch]).consume()
            echo(f"  neo4j {name}: {len(items):,} rows in {time.perf_counter() - started:.1f} s")


def load_sqlite(path: str, history: History, echo=print) -> None:
    from redun.backends.db import RedunBackendDb

    backend = RedunBackendDb(db_uri=f"sqlite:///{path}")
    backend.load()  # redun's own schema
    backend.session.close()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    iso = lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f")  # noqa: E731
    db.executemany("INSERT INTO task VALUES (?,?,?,?)",
                   [(t["hash"], t["name"], t["namespace"], t["source"]) for t in history.tasks.values()])
    db.executemany("INSERT INTO value VALUES (?,?,?,?)",
                   [(v["value_hash"], v["type"], "application/python-pickle", b"") for v in history.values.values()])
    db.executemany("INSERT INTO file VALUES (?,?)", [(f["value_hash"], f["path"]) for f in history.files])
    db.executemany("INSERT INTO call_node VALUES (?,?,?,?,?,?)",
                   [(c["call_hash"], c["task_name"], c["task_hash"], c["args_hash"], c["value_hash"],
                     iso(c["timestamp"])) for c in history.calls.values()])
    db.executemany("INSERT INTO argument VALUES (?,?,?,?,?)",
                   [(a["arg_hash"], a["call_hash"], a["value_hash"], a["position"], None) for a in history.args])
    db.executemany("INSERT INTO argument_result VALUES (?,?)",
                   [(a["arg_hash"], a["upstream"]) for a in history.args if a["upstream"]])
    db.executemany("INSERT INTO call_edge VALUES (?,?,?)",
                   [(c["parent"], c["child"], c["call_order"]) for c in history.children])
    db.executemany("INSERT INTO job (id, start_time, end_time, task_hash, cached, call_hash, parent_id, execution_id) "
                   "VALUES (?,?,?,?,?,?,?,?)",
                   [(j["id"], iso(j["start_time"]), iso(j["end_time"]), j["task_hash"], j["cached"], j["call_hash"],
                     j["parent_id"], j["execution_id"]) for j in history.jobs])
    db.executemany("INSERT INTO execution (id, args, job_id, updated_time) VALUES (?,?,?,?)",
                   [(e["id"], e["args"], e["root_job"], iso(e["start_time"])) for e in history.executions])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    echo(f"  sqlite: {len(history.jobs):,} jobs, {len(history.calls):,} call nodes in "
         f"{time.perf_counter() - started:.1f} s")


# The SQL side ------------------------------------------------------------------------------

SQL_DOWNSTREAM = """
WITH RECURSIVE down(call_hash, depth) AS (
  SELECT DISTINCT a.call_hash, 1 FROM argument a WHERE a.value_hash = :value_hash
  UNION
  SELECT x.call_hash, d.depth + 1 FROM down d
    JOIN argument_result ar ON ar.result_call_hash = d.call_hash
    JOIN argument x ON x.arg_hash = ar.arg_hash
    WHERE d.depth < :max_depth
  UNION
  SELECT e.parent_id, d.depth + 1 FROM down d JOIN call_edge e ON e.child_id = d.call_hash
    WHERE d.depth < :max_depth
  UNION
  SELECT x.call_hash, d.depth + 1 FROM down d JOIN call_node c ON c.call_hash = d.call_hash
    JOIN argument x ON x.value_hash = c.value_hash
    WHERE d.depth < :max_depth
)
SELECT c.call_hash, c.task_name, min(d.depth), c.value_hash
FROM down d JOIN call_node c ON c.call_hash = d.call_hash
GROUP BY c.call_hash
"""

SQL_CALL_TREE = """
WITH RECURSIVE tree(call_hash, parent) AS (
  SELECT :root, NULL
  UNION
  SELECT e.child_id, e.parent_id FROM tree t JOIN call_edge e ON e.parent_id = t.call_hash
)
SELECT t.call_hash, t.parent, c.task_name, c.task_hash, c.args_hash
FROM tree t JOIN call_node c ON c.call_hash = t.call_hash
"""


def sql_impact(db: sqlite3.Connection, value_hash: str, max_depth: int = 50, seed: str = "value") -> Dict[str, Any]:
    """Downstream of a value (the calls taking it) or, ``seed="call"``, of a call."""
    statement = SQL_DOWNSTREAM if seed == "value" else SQL_DOWNSTREAM.replace(
        "SELECT DISTINCT a.call_hash, 1 FROM argument a WHERE a.value_hash = :value_hash", "SELECT :value_hash, 1")
    rows = db.execute(statement, {"value_hash": value_hash, "max_depth": max_depth}).fetchall()
    calls = [row[0] for row in rows]
    executions = set()
    for start in range(0, len(calls), 500):
        chunk = calls[start:start + 500]
        executions.update(r[0] for r in db.execute(
            f"SELECT DISTINCT execution_id FROM job WHERE call_hash IN ({','.join('?' * len(chunk))})", chunk))
    return {"calls": len(rows), "depth": max((row[2] for row in rows), default=0), "executions": len(executions)}


def sql_why(db: sqlite3.Connection, job_id: str) -> Dict[str, Any]:
    job = db.execute("SELECT j.call_hash, j.start_time, c.task_name, c.task_hash, c.args_hash FROM job j "
                     "JOIN call_node c ON c.call_hash = j.call_hash WHERE j.id = ?", (job_id,)).fetchone()
    call_hash, start, task_name, task_hash, args_hash = job
    same_args = db.execute("SELECT call_hash FROM call_node WHERE task_name = ? AND args_hash = ? AND timestamp < ? "
                           "AND call_hash <> ? ORDER BY timestamp DESC LIMIT 1",
                           (task_name, args_hash, start, call_hash)).fetchone()
    same_task = db.execute("SELECT call_hash FROM call_node WHERE task_hash = ? AND timestamp < ? AND call_hash <> ? "
                           "ORDER BY timestamp DESC LIMIT 1", (task_hash, start, call_hash)).fetchone()
    previous = (same_args or same_task or (None,))[0]
    args = []
    if previous:
        args = db.execute("SELECT a.call_hash, a.arg_position, a.value_hash, ar.result_call_hash FROM argument a "
                          "LEFT JOIN argument_result ar ON ar.arg_hash = a.arg_hash WHERE a.call_hash IN (?, ?)",
                          (previous, call_hash)).fetchall()
    return {"previous": previous, "args": len(args)}


def sql_diff(db: sqlite3.Connection, execution_a: str, execution_b: str) -> Dict[str, Any]:
    def tree(execution_id):
        root = db.execute("SELECT j.call_hash FROM execution e JOIN job j ON j.id = e.job_id WHERE e.id = ?",
                          (execution_id,)).fetchone()[0]
        return {row[0]: row for row in db.execute(SQL_CALL_TREE, {"root": root})}

    a, b = tree(execution_a), tree(execution_b)
    by_task_args = {(row[2], row[4]): row for row in a.values()}
    same = sum(1 for call in b if call in a)
    code = sum(1 for call, row in b.items() if call not in a and (row[2], row[4]) in by_task_args)
    return {"calls": len(b), "same": same, "code_or_below": code, "other": len(b) - same - code}


# Measuring -------------------------------------------------------------------------------


def measure(samples: int, pairs: List[Tuple[str, Callable[[], Any]]]) -> Dict[str, List[float]]:
    """Alternate the callables ``samples`` times each (after one warm-up each)."""
    times: Dict[str, List[float]] = {name: [] for name, _ in pairs}
    for _, work in pairs:
        work()
    for _ in range(samples):
        for name, work in pairs:
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    return times


def _ms(values: List[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--executions", type=int, default=700, help="executions of 1,001 jobs (default 700: ~1M nodes)")
    parser.add_argument("--samples", type=int, default=15, help="samples per question (median)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--uri", help="an (empty) Neo4j database to fill; default: a throwaway local server")
    parser.add_argument("--clear-neo4j", action="store_true", help="empty the --uri database first")
    parser.add_argument("--home", help="keep the generated history (Neo4j server home and SQLite file) in this "
                        "folder and reuse it on later runs with the same --executions and --seed "
                        "(default: a throwaway folder)")
    parser.add_argument("--keep-server", action="store_true",
                        help="with --home: leave the server running at the end (the next run reuses it)")
    parser.add_argument("--load-only", action="store_true", help="generate and load the history, measure nothing")
    parser.add_argument("--only", help="comma-separated questions to measure (impact, impact_small, why, diff, "
                        "upstream; default all)")
    parser.add_argument("--batch", type=int, default=20000, help="rows per load transaction")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--page-cache", default="2g", help="of the benchmark's own server (the store of ~1M "
                        "nodes is ~1.5 GiB: a smaller cache makes loading page-bound)")
    args = parser.parse_args(argv)

    import neo4j

    from graphbackend import Neo4jBackend
    from graphbackend.backend.graph import READ_TRANSACTION, WRITE_TRANSACTION, Graph
    from graphbackend.explore.queries import lineage
    from graphbackend.questions import diff, impact, why
    from graphbackend.settings import ConnectionSettings

    home = os.path.abspath(args.home) if args.home else None
    workdir = home or tempfile.mkdtemp(prefix="gb-questions-bench-")
    os.makedirs(workdir, exist_ok=True)
    marker_path = os.path.join(workdir, "bench-history.json")
    wanted = {"executions": args.executions, "seed": args.seed, "generator": GENERATOR_VERSION}
    server = None
    started_server = False
    try:
        if args.uri:
            uri = args.uri
            password = os.environ.get("NEO4J_PASSWORD", "graphbackend")
        else:
            from graphbackend.server.local import LocalServer, free_port

            password = "bench-questions"
            running = LocalServer.at(os.path.join(workdir, "neo4j"), password=password, heap=args.heap,
                                     page_cache=args.page_cache, warm_up=False) if home else None
            if running is not None and running.pid() is not None:
                server = running
                print(f"Using the running Neo4j of {workdir} ({server.bolt_uri})", flush=True)
            else:
                server = LocalServer(home=os.path.join(workdir, "neo4j"), bolt_port=free_port(),
                                     http_port=free_port(), password=password, heap=args.heap,
                                     page_cache=args.page_cache, warm_up=False)
                print(f"Starting {'the' if home else 'a throwaway'} Neo4j in {workdir} "
                      f"(heap {args.heap}, page cache {args.page_cache}) ...", flush=True)
                server.start()
                started_server = True
            uri = server.bolt_uri
        user = os.environ.get("NEO4J_USERNAME", "neo4j")
        backend = Neo4jBackend(uri=uri, user=user, password=password)
        backend.load(migrate=True)  # the schema: constraints and indexes (new indexes are built here)
        settings = ConnectionSettings.resolve(uri=uri, user=user, password=password)
        graph = Graph(settings)
        graph.read_tx(lambda tx: tx.run_text("CALL db.awaitIndexes(600)"))  # an index new in this schema
        sqlite_path = os.path.join(workdir, "redun.db")
        try:
            with open(marker_path) as marker:
                loaded = json.load(marker)
        except (OSError, ValueError):
            loaded = None
        count = graph.read_tx(lambda tx: tx.run_text(
            "MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n) AS n"))[0]["n"]
        reuse = bool(loaded) and {k: loaded.get(k) for k in wanted} == wanted and count == loaded.get("nodes") \
            and os.path.exists(sqlite_path)

        print(f"Generating {args.executions} executions (seed {args.seed}) ...", flush=True)
        started = time.perf_counter()
        history = History(args.executions, seed=args.seed)
        print(f"  {history.node_count():,} nodes: {len(history.jobs):,} jobs, {len(history.calls):,} call nodes, "
              f"{len(history.values):,} values ({time.perf_counter() - started:.1f} s)", flush=True)
        if reuse:
            print(f"Reusing the history loaded in {workdir} ({count:,} nodes, SQLite {sqlite_path})", flush=True)
        else:
            if count and not args.clear_neo4j:
                print(f"the database at {uri} holds {count} nodes; pass --clear-neo4j to empty it", file=sys.stderr)
                return 1
            if os.path.exists(marker_path):
                os.unlink(marker_path)
            graph.clear()
            if os.path.exists(sqlite_path):
                os.unlink(sqlite_path)
            driver = neo4j.GraphDatabase.driver(uri, auth=(user, password) if password else None)
            started = time.perf_counter()
            load_neo4j(driver, settings.database, history, batch=args.batch,
                       echo=lambda line: print(line, flush=True))
            seconds = time.perf_counter() - started
            driver.close()
            print(f"  neo4j: {len(history.jobs) / seconds:,.0f} jobs/s, {history.node_count() / seconds:,.0f} "
                  f"nodes/s over {seconds:.0f} s (batches of {args.batch:,} rows; load average "
                  f"{os.getloadavg()[0]:.1f})", flush=True)
            load_sqlite(sqlite_path, history, echo=lambda line: print(line, flush=True))
        nodes = graph.read_tx(lambda tx: tx.run_text(
            "MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n) AS n"))[0]["n"]
        rels = graph.read_tx(lambda tx: tx.run_text("MATCH ()-[r]->() RETURN count(r) AS n"))[0]["n"]
        print(f"Neo4j holds {nodes:,} nodes and {rels:,} relationships.\n", flush=True)
        if home and not reuse:
            with open(marker_path, "w") as marker:
                json.dump({**wanted, "nodes": nodes}, marker)

        if args.load_only:
            return 0
        # The generated history (~2M Python objects) stays in this process for the targets; keep
        # it out of the garbage collector's full passes, which would otherwise charge the
        # questions measured below with scanning it (a user's process holds no such history).
        gc.collect()
        gc.freeze()
        db = sqlite3.connect(sqlite_path)
        # Targets: the input file version of a lane changed in the middle of the history.
        lane = 7
        file_hash = sha("file", lane, max(0, history.lane_version[lane] // 2))
        last, before_last = history.executions[-1]["id"], history.executions[-2]["id"]
        ran = next(j for j in reversed(history.jobs) if not j["cached"] and j["parent_id"])
        deep = next(c for c in reversed(list(history.calls.values())) if c["name"] == f"step{LAYERS - 1:02d}")

        small = next(c for c in history.calls.values() if c["name"] == "step05")

        probe = impact(graph, file_hash, limit=None)
        sql_probe = sql_impact(db, file_hash)
        print(f"impact target: file {file_hash[:8]} (lane {lane}); Neo4j: {probe['summary']['calls']} calls, "
              f"depth {probe['summary']['depth']}, {probe['summary']['executions']} executions; "
              f"SQL: {sql_probe['calls']} calls, depth {sql_probe['depth']}, {sql_probe['executions']} executions")
        probe = impact(graph, small["call_hash"], limit=None)
        sql_probe = sql_impact(db, small["call_hash"], seed="call")
        print(f"impact_small target: call {small['call_hash'][:8]} (the first step05 call); Neo4j: "
              f"{probe['summary']['calls']} calls, depth {probe['summary']['depth']}; "
              f"SQL: {sql_probe['calls']} calls, depth {sql_probe['depth']}")
        d = diff(graph, before_last, last)
        print(f"diff target: {d['summary']['calls']} calls; {d['text'][:160]}...")
        print(f"why target: job {ran['id'][:8]} ({ran['name']}); "
              f"{why(graph, ran['id'])['text'][:140]}...")
        print(f"upstream target: result of {deep['name']} {deep['call_hash'][:8]} (20 calls deep)\n", flush=True)

        from redun.backends.db import RedunBackendDb
        from redun.backends.db import Value as DbValue
        from redun.backends.db.dataflow import walk_dataflow

        redun_db = RedunBackendDb(db_uri=f"sqlite:///{sqlite_path}")
        redun_db.load()
        deep_value = redun_db.session.query(DbValue).filter_by(value_hash=deep["value_hash"]).one()

        queries = [0]

        def count_queries(name, params, seconds) -> None:
            if name in (READ_TRANSACTION, WRITE_TRANSACTION):
                queries[0] += params.get("queries", 0)

        graph.add_tracer(count_queries)

        def trips(work) -> str:
            transactions, queries[0] = graph.transactions, 0
            work()
            return f"{graph.transactions - transactions} tx / {queries[0]} q"

        questions = [
            ("impact", lambda: impact(graph, file_hash), lambda: sql_impact(db, file_hash),
             "recursive CTE downstream (SQLite); Neo4j: summary + first 200 rows"),
            ("impact_all", lambda: impact(graph, file_hash, limit=None), lambda: sql_impact(db, file_hash),
             "the same; Neo4j: summary + every row (limit=None)"),
            ("impact_small", lambda: impact(graph, small["call_hash"]),
             lambda: sql_impact(db, small["call_hash"], seed="call"), "recursive CTE downstream of the call"),
            ("why", lambda: why(graph, ran["id"]), lambda: sql_why(db, ran["id"]), "the same lookups (SQLite)"),
            ("diff", lambda: diff(graph, before_last, last), lambda: sql_diff(db, before_last, last),
             "two recursive CTE trees + alignment (SQLite)"),
            ("upstream", lambda: lineage(graph, deep["value_hash"]),
             lambda: sum(1 for _ in walk_dataflow(redun_db, deep_value)), "redun walk_dataflow (SQLite)"),
        ]
        if args.only:
            wanted_names = set(args.only.split(","))
            questions = [q for q in questions if q[0] in wanted_names]
        print(f"{'question':<13} {'Neo4j ms':>9} {'SQL ms':>9} {'Neo4j/SQL':>9}  {'round trips':>13}  load  SQL side")
        for name, neo, sql, what in questions:
            times = measure(args.samples, [("neo4j", neo), ("sql", sql)])
            ratio = statistics.median(times["neo4j"]) / statistics.median(times["sql"])
            print(f"{name:<13} {_ms(times['neo4j']):>9} {_ms(times['sql']):>9} {ratio:>8.2f}x  {trips(neo):>13}  "
                  f"{os.getloadavg()[0]:4.1f}  {what}", flush=True)
        print(f"\nmedians of {args.samples} samples, alternated; load average {os.getloadavg()[0]:.1f}")
        graph.close()
        backend.close()
        return 0
    finally:
        if server is not None and started_server and not (home and args.keep_server):
            server.stop()
        if not home:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
