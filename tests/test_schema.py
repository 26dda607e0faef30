"""Schema and migrations: constraints for every MERGE key, the version node, newer graphs refused."""

from __future__ import annotations

import re

import pytest
from executions import start_execution

from graphbackend import Neo4jBackend, SchemaVersionError
from graphbackend.backend import schema as _schema
from graphbackend.backend.cypher import query, query_names

NODE_MERGE = re.compile(r"MERGE \(\w*:(\w+) \{(\w+):")


def _constraints(graph):
    records = graph.read_tx(lambda tx: tx.run_text(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type IN ['UNIQUENESS', 'RELATIONSHIP_UNIQUENESS'] RETURN labelsOrTypes, properties"))
    return {(r["labelsOrTypes"][0], r["properties"][0]) for r in records}


def _set_version(graph, version):
    graph.write_tx(lambda tx: tx.run_text(
        "MERGE (s:SchemaVersion {name: 'graphbackend'}) SET s.version = $version", version=version))


def test_every_node_key_merged_on_has_a_uniqueness_constraint(backend):
    merged = {
        (label, key)
        for name in query_names()
        for label, key in NODE_MERGE.findall(query(name))
    }
    assert ("CallNode", "call_hash") in merged and ("Tag", "tag_hash") in merged  # the pattern works
    constraints = _constraints(backend.graph)
    assert merged - constraints == set()
    assert ("ARG", "arg_hash") in constraints


def test_migrate_is_idempotent_and_records_the_version(backend):
    before = _constraints(backend.graph)
    backend.load(migrate=True)
    _schema.migrate(backend.graph)
    assert _constraints(backend.graph) == before
    assert _schema.get_version(backend.graph) == _schema.SCHEMA_VERSION
    assert backend.is_db_compatible()


def test_an_older_graph_is_migrated(backend, neo4j_server):
    graph = backend.graph
    graph.write_tx(lambda tx: tx.run_text("DROP INDEX job_call_hash IF EXISTS"))
    _set_version(graph, 1)
    try:
        other = Neo4jBackend(**neo4j_server.backend_kwargs())
        other.load(migrate=True)
        other.close()
        assert _schema.get_version(graph) == _schema.SCHEMA_VERSION
        names = {r["name"] for r in graph.read_tx(lambda tx: tx.run_text("SHOW INDEXES YIELD name RETURN name"))}
        assert "job_call_hash" in names
    finally:
        _schema.migrate(graph)


def test_a_newer_graph_is_refused_clearly_and_left_alone(backend, neo4j_server):
    graph = backend.graph
    start_execution(backend, "exec-kept")
    _set_version(graph, _schema.SCHEMA_VERSION + 1)
    try:
        other = Neo4jBackend(**neo4j_server.backend_kwargs())
        assert not other.is_db_compatible()
        for migrate in (True, False):
            with pytest.raises(SchemaVersionError, match=rf"schema version {_schema.SCHEMA_VERSION + 1}, newer"):
                other.load(migrate=migrate)
        other.close()
        assert _schema.get_version(graph) == _schema.SCHEMA_VERSION + 1  # not lowered
        kept = graph.read_tx(lambda tx: tx.run_text("MATCH (e:Execution {id: 'exec-kept'}) RETURN count(e) AS n"))
        assert kept[0]["n"] == 1
    finally:
        _set_version(graph, _schema.SCHEMA_VERSION)
