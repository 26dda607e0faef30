"""Benchmark: records per second of ``graphbackend import`` from a redun SQLite database.

Builds (once, cached in --work-dir) a redun SQLite database of synthetic but
well-formed records, written through redun's own ``put_records``: executions,
each with a root job and child jobs, call nodes with arguments, upstream links
and child calls, values (some with subvalues), and tags with history. Then it
imports the whole database into Neo4j (emptied first) with
``graphbackend.sync.transfer.import_records`` and prints the rate.

    NEO4J_URI=bolt://127.0.0.1:7687 python benchmarks/import_rate.py --records 100000

Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import pickle
import sys
import time
import uuid
from base64 import b64encode

from redun.backends.db import RedunBackendDb
from redun.config import create_config_section

from graphbackend import Neo4jBackend
from graphbackend.sync.transfer import import_records, open_redun_db


def h(*parts) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def ts(base: dt.datetime, seconds: float) -> str:
    return str(base + dt.timedelta(seconds=seconds))


def synthetic_records(executions: int, calls_per_execution: int):
    """Yield records for `executions` executions of `calls_per_execution` calls each (7 records a call, 4 an execution)."""
    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    task_hashes = [h("task", i) for i in range(5)]
    for i, task_hash in enumerate(task_hashes):
        yield {"_version": 1, "_type": "Value", "value_hash": task_hash, "type": "redun.Task",
               "format": "application/python-pickle", "data": b64encode(pickle.dumps(f"task{i}")).decode(),
               "subvalues": [], "subtype": {"_type": "Task", "name": f"task{i}", "namespace": "bench",
                                            "source": f"def task{i}(x):\n    return x\n"}}
    clock = 0.0
    for e in range(executions):
        exec_id = str(uuid.UUID(int=e * 2 + 1))
        root_job = str(uuid.UUID(int=(e << 40) + 1))
        children = []
        child_calls = []
        for c in range(calls_per_execution):
            clock += 0.001
            arg_value = h("arg", e, c)
            result = h("result", e, c)
            sub = h("sub", e, c)
            yield {"_version": 1, "_type": "Value", "value_hash": sub, "type": "builtins.int",
                   "format": "application/python-pickle", "data": b64encode(pickle.dumps(c)).decode(),
                   "subvalues": [], "subtype": None}
            yield {"_version": 1, "_type": "Value", "value_hash": arg_value, "type": "builtins.list",
                   "format": "application/python-pickle", "data": b64encode(pickle.dumps([e, c])).decode(),
                   "subvalues": [sub], "subtype": None}
            yield {"_version": 1, "_type": "Value", "value_hash": result, "type": "builtins.int",
                   "format": "application/python-pickle", "data": b64encode(pickle.dumps(e * c)).decode(),
                   "subvalues": [], "subtype": None}
            call_hash = h("call", e, c)
            task_hash = task_hashes[c % len(task_hashes)]
            upstream = [child_calls[-1]] if child_calls else []
            yield {"_version": 1, "_type": "CallNode", "call_hash": call_hash, "task_name": f"bench.task{c % 5}",
                   "task_hash": task_hash, "args_hash": h("args", e, c), "value_hash": result,
                   "timestamp": ts(base, clock),
                   "args": {"0": {"arg_hash": h("arghash", e, c), "value_hash": arg_value, "upstream": upstream}},
                   "children": []}
            job_id = str(uuid.UUID(int=(e << 40) + 2 + c))
            yield {"_version": 1, "_type": "Job", "id": job_id, "start_time": ts(base, clock),
                   "end_time": ts(base, clock + 0.0005), "task_hash": task_hash, "cached": False,
                   "status": "DONE", "call_hash": call_hash, "parent_id": root_job, "children": [],
                   "execution_id": exec_id}
            tag1 = h("tag", e, c, 1)
            yield {"_version": 1, "_type": "Tag", "tag_hash": tag1, "entity_type": "Job", "entity_id": job_id,
                   "key": "step", "value": c, "parents": []}
            yield {"_version": 1, "_type": "Tag", "tag_hash": h("tag", e, c, 2), "entity_type": "Job",
                   "entity_id": job_id, "key": "step", "value": {"n": c, "final": True}, "parents": [tag1]}
            children.append(job_id)
            child_calls.append(call_hash)
        root_call = h("rootcall", e)
        root_value = h("rootvalue", e)
        yield {"_version": 1, "_type": "Value", "value_hash": root_value, "type": "builtins.int",
               "format": "application/python-pickle", "data": b64encode(pickle.dumps(e)).decode(),
               "subvalues": [], "subtype": None}
        clock += 0.001
        yield {"_version": 1, "_type": "CallNode", "call_hash": root_call, "task_name": "bench.task0",
               "task_hash": task_hashes[0], "args_hash": h("rootargs", e), "value_hash": root_value,
               "timestamp": ts(base, clock), "args": {}, "children": child_calls}
        yield {"_version": 1, "_type": "Job", "id": root_job, "start_time": ts(base, clock - 0.0005 * calls_per_execution),
               "end_time": ts(base, clock), "task_hash": task_hashes[0], "cached": False, "status": "DONE",
               "call_hash": root_call, "parent_id": None, "children": children, "execution_id": exec_id}
        yield {"_version": 1, "_type": "Execution", "id": exec_id, "args": f'["redun", "run", "bench{e}"]',
               "job_id": root_job}


def build(path: str, records: int, calls_per_execution: int) -> None:
    executions = records // (calls_per_execution * 7) + 1  # 7 records a call, plus 4 an execution
    backend = RedunBackendDb(config=create_config_section({"db_uri": f"sqlite:///{path}"}))
    backend.load(migrate=True)
    batch = []
    written = 0
    for record in synthetic_records(executions, calls_per_execution):
        batch.append(record)
        if len(batch) >= 20000:
            written += backend.put_records(batch)
            batch = []
    written += backend.put_records(batch)
    print(f"built {path}: {written} records ({executions} executions)", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="about how many records (default %(default)s)")
    parser.add_argument("--calls", type=int, default=50, help="calls per execution (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--work-dir", default="/tmp/graphbackend-bench")
    args = parser.parse_args()

    os.makedirs(args.work_dir, exist_ok=True)
    path = os.path.join(args.work_dir, f"redun-{args.records}-{args.calls}.db")
    if not os.path.exists(path):
        build(path, args.records, args.calls)
    db = open_redun_db(f"sqlite:///{path}")
    backend = Neo4jBackend()
    backend.load()
    backend.graph.clear()
    start = time.monotonic()
    summary = import_records(db, backend, batch_size=args.batch_size)
    seconds = time.monotonic() - start
    print(f"imported {summary.new} new of {summary.seen} records in {seconds:.1f}s: "
          f"{summary.seen / seconds:,.0f} records/s (batch size {args.batch_size}, Neo4j at {backend.uri})")
    pending = backend.graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0]
    print(f"pending references left: {pending}")
    backend.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
