"""The warm-up (graphbackend.backend.warmup): it writes nothing, and it plans every
query a redun Scheduler sends, with the parameter types the scheduler sends."""

from __future__ import annotations

import datetime as _dt

from redun import Scheduler
from test_plugin_safety import snapshot

from graphbackend.backend.warmup import scheduler_queries, warm_up
from graphbackend.demo import workflow


def _type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, _dt.datetime):
        return "datetime"
    return type(value).__name__


def _signature(name: str, params: dict):
    return name, tuple(sorted((key, _type(value)) for key, value in params.items()))


def test_warm_up_plans_every_query_the_scheduler_sends(backend, tmp_path):
    sent = set()

    def spy(name, params, seconds):
        if not name.startswith("<"):  # a query, not a whole transaction
            sent.add(_signature(name, params))

    backend.graph.add_tracer(spy)
    scheduler = Scheduler(backend=backend)
    scheduler.run(workflow.main(str(tmp_path / "first")))   # every job runs
    scheduler.run(workflow.main(str(tmp_path / "first")))   # every job from the cache
    backend.flush()
    backend.graph.remove_tracer(spy)
    assert {name for name, _ in sent} >= {"job_start", "job_end", "cache_check", "call_record_node", "value_merge"}

    warmed = {_signature(name, params) for name, variants in scheduler_queries().items() for params in variants}
    assert sent - warmed == set()


def test_warm_up_writes_nothing(backend, tmp_path):
    Scheduler(backend=backend).run(workflow.main(str(tmp_path / "work")))
    backend.flush()
    before = snapshot(backend.graph)
    report = warm_up(backend.graph)
    assert report.queries == len(scheduler_queries()) and report.transactions >= report.queries
    assert snapshot(backend.graph) == before

    backend.graph.clear()
    empty = snapshot(backend.graph)
    warm_up(backend.graph)
    assert snapshot(backend.graph) == empty
