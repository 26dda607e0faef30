"""The import's batched writes (``put_records``): records in any batch order end
linked exactly once, and a record another writer creates between the batch's
existence check and its CREATE is not duplicated (the batch is checked again)."""

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.history import history_records  # noqa: E402
from graphbackend import Neo4jBackend  # noqa: E402
from graphbackend.backend import sync  # noqa: E402
from graphbackend.errors import RecordFormatError  # noqa: E402

DUPLICATE_EDGES = (
    "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r.call_order AS o, r.arg_hash AS h, count(*) AS n "
    "WHERE n > 1 RETURN count(*)"
)


def _key(record):
    return record.get("id") or record.get("call_hash") or record.get("value_hash") or record.get("tag_hash")


def test_children_before_parents_in_small_batches_are_linked_once(backend, cypher, monkeypatch):
    records = history_records(120, seed=5)
    jobs = [r for r in records if r["_type"] == "Job"]
    others = [r for r in records if r["_type"] != "Job"]
    monkeypatch.setattr(sync, "PUT_BATCH", 7)
    # Jobs first, children before their parents, then everything they reference.
    assert backend.put_records(list(reversed(jobs))) == len(jobs)
    assert cypher.one("MATCH (p:Pending) RETURN count(p)") > 0
    assert backend.put_records(others + records) == len(others)

    assert cypher.one("MATCH (p:Pending) RETURN count(p)") == 0
    with_parent = sum(1 for job in jobs if job["parent_id"])
    assert cypher.one("MATCH (:Job)-[r:CHILD]->(:Job) RETURN count(r)") == with_parent
    assert cypher.one("MATCH (j:Job) WHERE j.parent_id IS NOT NULL AND NOT EXISTS { "
                      "MATCH (:Job {id: j.parent_id})-[:CHILD]->(j) } RETURN count(j)") == 0
    # Jobs written before their Task get its names when it comes.
    assert cypher.one("MATCH (j:Job) WHERE j.task_name IS NULL OR j.name IS NULL RETURN count(j)") == 0
    # Executions get their root job's times, whichever came first.
    assert cypher.one("MATCH (e:Execution) WHERE e.start_time IS NULL RETURN count(e)") == 0
    assert cypher.one(DUPLICATE_EDGES) == 0
    counts = Counter(r["_type"] for r in records)
    for label, count in counts.items():
        assert cypher.one(f"MATCH (n:{label}) RETURN count(n)") == count


def test_records_created_by_another_writer_mid_batch_are_not_duplicated(backend, cypher, neo4j_server, monkeypatch):
    records = history_records(60, seed=6)
    values = [r for r in records if r["_type"] == "Value"]
    other = Neo4jBackend(**neo4j_server.backend_kwargs())
    other.load()
    original = sync._write_batch
    calls = {"batches": 0, "raced": False}

    class RacingTx:
        """The batch's transaction; right after its existence check, another
        writer commits some of the same records."""

        def __init__(self, tx):
            self.tx = tx

        def run(self, name, **params):
            result = self.tx.run(name, **params)
            if name == "import_has" and not calls["raced"]:
                calls["raced"] = True
                other.put_records(values[:5])
            return result

    def write_batch(tx, rows, edges):
        calls["batches"] += 1
        return original(RacingTx(tx) if not calls["raced"] else tx, rows, edges)

    monkeypatch.setattr(sync, "_write_batch", write_batch)
    try:
        assert backend.put_records(records) == len(records) - 5
    finally:
        other.close()
    # The other writer's batch, the one that failed on the uniqueness constraint, and its retry.
    assert calls["raced"] and calls["batches"] == 3
    assert set(backend.has_records([_key(r) for r in records])) == {_key(r) for r in records}
    assert cypher.one("MATCH (n) WHERE n:Value OR n:Job OR n:CallNode OR n:Execution OR n:Tag "
                      "RETURN count(n)") == len(records)
    assert cypher.one("MATCH (p:Pending) RETURN count(p)") == 0
    assert cypher.one(DUPLICATE_EDGES) == 0


def test_batches_are_bounded_by_edges_too(monkeypatch):
    """A transaction's state lives in the server's heap: Values with many subvalues
    (lists of Files) make smaller batches."""
    monkeypatch.setattr(sync, "PUT_BATCH", 1000)
    monkeypatch.setattr(sync, "PUT_EDGES", 100)
    lists = [{"_version": 1, "_type": "Value", "value_hash": f"list{i}", "subvalues": [f"f{i}.{j}" for j in range(30)]}
             for i in range(10)]
    jobs = [{"_version": 1, "_type": "Job", "id": f"job{i}"} for i in range(50)]
    sizes = [len(batch) for batch in sync._batches(lists + jobs)]
    assert sizes[:2] == [4, 4] and sum(sizes) == 60
    assert [len(batch) for batch in sync._batches(jobs)] == [34, 16]  # 3 edges a job


def test_records_breaking_a_uniqueness_constraint_fail_clearly_writing_nothing(backend, cypher):
    value = {"_version": 1, "_type": "Value", "value_hash": "v1", "type": "builtins.int",
             "format": "application/python-pickle", "data": "", "subvalues": [], "subtype": None}

    def call(call_hash):
        return {"_version": 1, "_type": "CallNode", "call_hash": call_hash, "task_name": "ns.t",
                "task_hash": "t1", "args_hash": "a1", "value_hash": "v1", "timestamp": None,
                "args": {"0": {"arg_hash": "same-arg", "value_hash": "v1", "upstream": []}}, "children": []}

    with pytest.raises(RecordFormatError, match="conflict with the graph.*arg_hash"):
        backend.put_records([value, call("c1"), call("c2")])
    assert cypher.one("MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n)") == 0
