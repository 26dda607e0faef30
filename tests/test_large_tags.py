"""Tags of any size redun accepts: 9 KB, 64 KB and 2 MB keys and values are recorded whole.

Schema versions 1-3 indexed tags by (key, value), a RANGE index whose entries must stay under
~8 KB, so a 9 KB tag failed the whole run with "Property value is too large to index".
"""

from __future__ import annotations

import pytest
from executions import start_execution
from redun import Scheduler, task
from redun.backends.base import TagEntity

from graphbackend.backend import schema as _schema

SIZES = {"9KB": 9 * 1024, "64KB": 64 * 1024, "2MB": 2 * 1024 * 1024}


@pytest.mark.parametrize("size", list(SIZES))
def test_large_tag_keys_and_values_round_trip(backend, size):
    n = SIZES[size]
    key, value = "k" * n, "v" * n
    start_execution(backend, "exec-large")
    backend.record_tags(TagEntity.Execution, "exec-large", [(key, value), ("small", value)])
    tags = backend.get_tags(["exec-large"])["exec-large"]
    assert tags[key] == [value]
    assert tags["small"] == [value]
    # Editing and deleting work at that size too (the history queries match on key and value).
    backend.update_tags(TagEntity.Execution, "exec-large", [key], [(key, value + "!")])
    assert backend.get_tags(["exec-large"])["exec-large"][key] == [value + "!"]
    backend.delete_tags("exec-large", [(key, value + "!")])
    assert key not in backend.get_tags(["exec-large"]).get("exec-large", {})


@task()
def tagged_step(x: int) -> int:
    return x + 1


def test_a_run_with_a_9kb_execution_tag_succeeds(backend, cypher):
    scheduler = Scheduler(backend=backend)
    value = "x" * (9 * 1024)
    assert scheduler.run(tagged_step(1), tags=[("note", value)]) == 2
    rows = cypher("MATCH (t:Tag {key: 'note'})-[:TAGGED]->(e:Execution) RETURN size(t.value) AS n")
    assert rows == [{"n": len(value) + 2}]  # canonical JSON text: the string in quotes


def test_older_tags_get_their_key_prefix_when_migrating(backend, cypher):
    cypher("CREATE (:Tag {tag_hash: 'old', entity_type: 'Execution', entity_id: 'e', "
           "key: $key, value: '1', is_current: true})", key="p" * 300)
    cypher("MERGE (s:SchemaVersion {name: 'graphbackend'}) SET s.version = 3")
    _schema.migrate(backend.graph)
    assert cypher.one("MATCH (t:Tag {tag_hash: 'old'}) RETURN t.key_prefix") == "p" * 256
    names = {row["name"] for row in cypher("SHOW INDEXES YIELD name RETURN name")}
    assert "tag_key_prefix" in names and "tag_key_value" not in names
    assert _schema.get_version(backend.graph) == _schema.SCHEMA_VERSION
