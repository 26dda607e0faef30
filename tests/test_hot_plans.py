"""The scheduler's hot-path queries are planned once (``CYPHER replan=skip``) and
their plans hold at any history size.

Neo4j replans a cached query when the database's statistics have drifted (by
default after 10 s, when counts changed by 75%): on a young or fast-growing
database that happened every few runs, 100-250 ms a query, 0.5-0.7 s a small
run. ``replan=skip`` keeps the first plan. That is only safe for a query whose
plan does not depend on the statistics: one that starts from index seeks and
never scans. These tests plan every hot query on an EMPTY database (the worst
statistics a plan can be made with) and require no scan operator.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from neo4j import ResultSummary

from graphbackend.backend.cypher import bind, planned_once, query
from graphbackend.backend.warmup import scheduler_queries

HOT = sorted(scheduler_queries())


def _operators(plan) -> Iterator[str]:
    if isinstance(plan, dict):
        yield plan["operatorType"]
        for child in plan.get("children", []):
            yield from _operators(child)
    else:
        yield plan.operator_type
        for child in plan.children:
            yield from _operators(child)


@pytest.mark.parametrize("name", HOT)
def test_hot_query_is_planned_once(name):
    assert planned_once(name), (
        f"cypher/{name}.cypher is sent by the scheduler: it must say CYPHER replan=skip"
    )


def test_hot_query_plans_on_an_empty_database_never_scan(backend):
    graph = backend.graph
    assert graph.read_single("admin_count_nodes")["nodes"] == 0
    scans = {}
    with graph.driver.session(database=graph.settings.database) as session:
        for name in HOT:
            for params in scheduler_queries()[name]:
                summary: ResultSummary = session.run("EXPLAIN " + query(name), bind(name, params)).consume()
                operators = list(_operators(summary.plan))
                assert operators, name
                found = [op for op in operators if "Scan" in op]
                if found:
                    scans[name] = found
    assert scans == {}


def test_a_scan_is_seen(backend):
    """The check above can fail: a query without an index seek shows a scan."""
    graph = backend.graph
    with graph.driver.session(database=graph.settings.database) as session:
        summary = session.run("EXPLAIN MATCH (j:Job) WHERE j.end_time > $t RETURN j", t=1).consume()
    assert any("Scan" in op for op in _operators(summary.plan))
