"""Schema and migrations: constraints, indexes and the schema version node.

The schema is ``cypher/schema.cypher``; every statement in it is idempotent.
``migrate`` applies it and records the version in a ``(:SchemaVersion)``
node. ``check`` refuses to work with a graph written by a newer schema.
"""

from __future__ import annotations

from typing import Optional

from ..errors import SchemaVersionError
from .cypher import statements
from .graph import Graph, Tx

#: The schema version this graphbackend writes and understands.
#: 2: index job_call_hash (check_cache's CSE lookup).
#: 3: Invalidation and GcRun keys, indexes evaluation_task_args, execution_start_time (invalidate, gc).
#: 4: tags indexed by a bounded key prefix (tag_key_prefix) instead of (key, value),
#:    which refused tags over ~8 KB.
#: 5: indexes call_node_task_name_time, call_node_task_time (the newest call of a task name
#:    or task hash, for the questions).
SCHEMA_VERSION = 5

#: Tags given their key_prefix per transaction when migrating to version 4.
MIGRATE_BATCH = 10_000


def get_version(graph: Graph) -> Optional[int]:
    """The schema version recorded in the graph, or None for a new graph."""
    record = graph.read_one("schema_version_get")
    return None if record is None else record["version"]


def check(graph: Graph) -> Optional[int]:
    """Raise SchemaVersionError if the graph's schema is newer than this code knows."""
    version = get_version(graph)
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the graph at {graph.settings.uri} has graphbackend schema version {version}, "
            f"newer than the {SCHEMA_VERSION} this graphbackend knows: upgrade graphbackend."
        )
    return version


def migrate(graph: Graph) -> int:
    """Create the constraints and indexes (idempotently) and record the version.

    A graph already at this version needs nothing: the version node is written
    only after every schema statement succeeded, so one read decides.
    """
    if check(graph) == SCHEMA_VERSION:
        return SCHEMA_VERSION
    # Schema statements cannot share a transaction with data writes, so each runs alone.
    for statement in statements("schema"):

        def run(tx: Tx, statement: str = statement) -> None:
            tx.run_text(statement)

        graph.write_tx(run)
    while graph.write("schema_tag_key_prefix", limit=MIGRATE_BATCH)[0]["updated"]:
        pass
    graph.write("schema_version_set", version=SCHEMA_VERSION)
    return SCHEMA_VERSION
