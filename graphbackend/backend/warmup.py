"""Warm a freshly started Neo4j up for the scheduler's queries.

A Neo4j server that has just started plans every query from scratch, in a JVM
whose query planner and runtime are not compiled yet: on this project's 2-core
machine the first demo workflow after a start took 25-45 s for nine jobs,
against a few seconds once warm. Almost all of it went to the first run of each
of the scheduler's named queries (``cache_check`` alone 6-20 s).

:func:`warm_up` creates the schema, then runs each of those queries for real,
on made-up parameters of the same types as the scheduler's (Neo4j caches a plan
per query text and parameter types): once on a clean transaction and then,
after a write (a transaction with changes of its own gets its own plan), often
enough to pass Neo4j's expression recompilation limit, in transactions it rolls
back. Last, one made-up job's writes are committed (the commit path warms up
too) and deleted again by key, so the database holds what it held before.
``graphbackend server start`` (the local launcher,
:class:`graphbackend.server.local.LocalServer`) calls it once Bolt answers;
call it yourself after starting a server of your own.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from typing import Any, Dict, List

from . import schema as _schema
from .convert import to_epoch_micros
from .cypher import bind, query
from .graph import Graph

_ID = "graphbackend-warmup"


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _value_row(value_hash: str, **special: Any) -> Dict[str, Any]:
    row: Dict[str, Any] = {
        "value_hash": value_hash,
        "props": {"type": "builtins.str", "format": "application/python-pickle", "value": b"\x80\x04.",
                  "in_value_store": False, "size": 3, "preview": "'warm-up'"},
        "path": None, "task": None, "handle": None, "subvalues": [],
    }
    row.update(special)
    return row


def scheduler_queries() -> Dict[str, List[Dict[str, Any]]]:
    """The named queries a redun Scheduler run sends, each with parameter sets of the
    types it sends them with (one set per distinct combination of types)."""
    now = _now()
    task = {"name": "warm", "namespace": "graphbackend_warmup", "fullname": "graphbackend_warmup.warm",
            "source": "def warm(): pass\n"}
    job = {"id": f"{_ID}-job", "now": now, "task_hash": f"{_ID}-task", "task_name": task["fullname"],
           "execution_id": f"{_ID}-execution"}
    check = {"task_hash": f"{_ID}-task", "args_hash": f"{_ID}-args", "eval_hash": f"{_ID}-eval",
             "execution_id": f"{_ID}-execution", "context_key": "redun.context", "context": None,
             "cse": True, "single": True}
    call = {"call_hash": f"{_ID}-call", "task_name": task["fullname"], "task_hash": f"{_ID}-task",
            "args_hash": f"{_ID}-args", "result_hash": f"{_ID}-value", "timestamp": now,
            "children": [{"call_hash": f"{_ID}-child", "call_order": 0}],
            "args": [{"arg_hash": f"{_ID}-arg", "value_hash": f"{_ID}-value", "position": 0, "key": None}],
            "upstreams": [{"arg_hash": f"{_ID}-arg", "call_hash": f"{_ID}-child"}],
            "subtree_task_hashes": [f"{_ID}-task"]}
    return {
        "schema_version_get": [{}],
        "execution_record": [{"id": f"{_ID}-execution", "args": '["redun", "run"]', "now": now}],
        "execution_updated_time": [{"id": f"{_ID}-execution", "now": now}],
        "value_merge": [
            {"rows": [_value_row(f"{_ID}-task", task=task)]},
            {"rows": [_value_row(f"{_ID}-value")]},
            {"rows": [_value_row(f"{_ID}-file", path="/warm-up.txt")]},
        ],
        "value_link_subvalues": [{"edges": [{"parent": f"{_ID}-value", "child": f"{_ID}-file"}]}],
        "job_start": [dict(job, parent_id=None), dict(job, parent_id=f"{_ID}-parent")],
        "cache_check": [
            dict(check, task_hashes=[], ultimate=False),
            dict(check, task_hashes=[f"{_ID}-task"], ultimate=True),
        ],
        "call_subtree_tasks": [{"call_hash": f"{_ID}-call"}],
        "cache_call_result": [{"call_hash": f"{_ID}-call"}],
        "eval_get": [{"eval_hash": f"{_ID}-eval"}],
        "value_get": [{"value_hash": f"{_ID}-value"}],
        "eval_set": [{"eval_hash": f"{_ID}-eval", "task_hash": f"{_ID}-task", "args_hash": f"{_ID}-args",
                      "value_hash": f"{_ID}-value"}],
        "call_record_node": [call],
        "cache_read_ahead": [{"task_hash": f"{_ID}-task", "args_hash": f"{_ID}-args", "execution_id": f"{_ID}-execution",
                              "limit": 10, "max_value_bytes": 1024}],
        "job_cached_batch": [{"jobs": [dict(job, start=to_epoch_micros(now), end=to_epoch_micros(now), parent_id=None,
                                            call_hash=f"{_ID}-call", status="CACHED")]}],
        "job_end": [
            {"id": f"{_ID}-job", "now": now, "cached": False, "call_hash": f"{_ID}-call", "status": "DONE"},
        ],
    }


@dataclass
class WarmUpReport:
    """What :func:`warm_up` did: how many queries it planned, how many runs in how
    many transactions (rolled back, but for the committed job and its deletion), and
    how long it took."""

    queries: int
    runs: int
    transactions: int
    seconds: float

    def __str__(self) -> str:
        return (f"warmed up {self.queries} queries ({self.runs} runs, {self.transactions} "
                f"transactions) in {self.seconds:.1f}s")


#: Runs of each query (after a write) in the warm-up: past Neo4j's expression recompilation
#: limit (cypher.expression_recompilation_limit, default 10), after which it compiles a
#: query's expressions, so that happens here and not in the first workflow.
REPEAT = 11


def warm_up(graph: Graph, migrate: bool = True, repeat: int = REPEAT, commit: bool = True) -> WarmUpReport:
    """Plan and run the scheduler's named queries on ``graph``'s server (see the module).

    With ``migrate`` (the default, as ``Neo4jBackend.load()`` does), the schema is
    created first, so the plans are made with the indexes the queries will use.
    ``repeat`` runs per query after a write; ``commit`` also commits one made-up
    job's writes and deletes them. The database's content is left as it was.
    """
    started = time.perf_counter()
    if migrate:
        _schema.migrate(graph)
    queries = scheduler_queries()
    runs = transactions = 0
    with graph.driver.session(database=graph.settings.database) as session:
        for name, variants in queries.items():
            for params in variants:
                tx = session.begin_transaction()
                transactions += 1
                try:
                    # A clean transaction, then one with changes of its own (its own plan);
                    # enough runs to get past the expression recompilation limit (hot plans).
                    tx.run(query(name), bind(name, params)).consume()
                    tx.run(query("execution_record"), bind("execution_record", queries["execution_record"][0])).consume()
                    for _ in range(repeat):
                        tx.run(query(name), bind(name, params)).consume()
                    runs += 1 + repeat
                finally:
                    tx.rollback()
        if commit:
            # One job's writes committed for real (the commit path warms up too), then deleted.
            order = ("execution_record", "value_merge", "job_start", "call_record_node", "eval_set", "job_end")
            def write(tx):
                for name in order:
                    for params in queries[name]:
                        tx.run(query(name), bind(name, params)).consume()
            session.execute_write(write)
            session.execute_write(lambda tx: tx.run(query("admin_warmup_cleanup"), _cleanup_keys()).consume())
            transactions += 2
    return WarmUpReport(len(queries), runs, transactions, time.perf_counter() - started)


def _cleanup_keys() -> Dict[str, Any]:
    return {"execution_id": f"{_ID}-execution", "job_ids": [f"{_ID}-job"], "call_hashes": [f"{_ID}-call"],
            "eval_hashes": [f"{_ID}-eval"], "value_hashes": [f"{_ID}-task", f"{_ID}-value", f"{_ID}-file"]}
