"""Sync records: Neo4jBackend.get_records / put_records / has_records /
iter_record_ids against redun's own RedunBackendDb, on a repository built by
running real workflows."""

import random

import pytest
from redun.backends.db import Argument, CallEdge, Execution, Subvalue, Tag, TagEdit
from redun_repo import all_record_ids, build_repo, canonical, open_backend

from graphbackend.errors import RecordFormatError


@pytest.fixture(scope="module")
def redun_repo(tmp_path_factory):
    """A SQLite redun repository with several real executions (built once)."""
    root = tmp_path_factory.mktemp("redun_repo")
    uri = f"sqlite:///{root}/redun.db"
    backend = build_repo(uri, str(root / "store"), str(root / "files"))
    yield backend
    backend.session.close()


def source_records(redun_repo):
    return list(redun_repo.get_records(all_record_ids(redun_repo)))


def test_import_is_identical_in_any_order(cypher, backend, redun_repo):
    records = source_records(redun_repo)
    assert {r["_type"] for r in records} == {"Execution", "Job", "CallNode", "Value", "Tag"}
    assert any(r["_type"] == "Value" and r["data"] == "" for r in records), "a value-store value"
    shuffled = list(records)
    random.Random(4).shuffle(shuffled)

    # In two calls, the first one leaving references to records not there yet.
    first = backend.put_records(shuffled[: len(shuffled) // 3])
    rest = backend.put_records(shuffled)
    assert first + rest == len(records)
    assert cypher.one("MATCH (p:Pending) RETURN count(p)") == 0

    ids = [redun_repo_id for redun_repo_id in all_record_ids(redun_repo)]
    imported = list(backend.get_records(ids))
    assert [canonical(r) for r in imported] == [canonical(r) for r in records]

    # Idempotent: nothing new, nothing duplicated.
    assert backend.put_records(records) == 0
    assert cypher.one("MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n)") == cypher.one(
        "MATCH (n) WHERE n:Execution OR n:Job OR n:CallNode OR n:Value OR n:Tag RETURN count(n)"
    )


def test_imported_graph_has_the_model_edges(cypher, backend, redun_repo):
    backend.put_records(source_records(redun_repo))
    session = redun_repo.session
    assert cypher.one("MATCH ()-[r:ARG]->(:Value) RETURN count(r)") == session.query(Argument).count()
    assert cypher.one("MATCH (:CallNode)-[r:CHILD]->(:CallNode) RETURN count(r)") == session.query(CallEdge).count()
    assert cypher.one("MATCH (:Value)-[r:SUBVALUE]->(:Value) RETURN count(r)") == session.query(Subvalue).count()
    assert cypher.one("MATCH (:Tag)-[r:SUPERSEDES]->(:Tag) RETURN count(r)") == session.query(TagEdit).count()
    assert cypher.one("MATCH (e:Execution)-[:ROOT_JOB]->(:Job) RETURN count(e)") == session.query(Execution).count()
    # Every job with a call and a task is linked to them; jobs know their task name.
    assert cypher.one("MATCH (j:Job) WHERE j.call_hash IS NOT NULL AND NOT (j)-[:CALL]->(:CallNode) RETURN count(j)") == 0
    assert cypher.one("MATCH (j:Job) WHERE NOT (j)-[:TASK]->(:Task) OR j.task_name IS NULL RETURN count(j)") == 0
    assert cypher.one("MATCH (c:CallNode) WHERE NOT (c)-[:RESULT]->(:Value) OR NOT (c)-[:TASK]->(:Task) RETURN count(c)") == 0
    assert cypher.one("MATCH (f:File) WHERE f.path IS NULL RETURN count(f)") == 0
    # Jobs and CallNodes carry the short task name (Browser's caption), as live recording writes it.
    assert cypher.one("MATCH (n) WHERE (n:Job OR n:CallNode) AND "
                          "(n.name IS NULL OR n.task_name <> n.name AND NOT n.task_name ENDS WITH '.' + n.name) "
                          "RETURN count(n)") == 0
    # Tags reach their entities (all but the Null entity of delete tags).
    assert cypher.one("MATCH (t:Tag) WHERE t.entity_type <> 'Null' AND NOT (t)-[:TAGGED]->() RETURN count(t)") == 0


def test_tag_currency_is_recomputed_as_redun_does(backend, redun_repo):
    records = source_records(redun_repo)
    # Children before parents: the parents arrive already superseded.
    tags = [r for r in records if r["_type"] == "Tag"]
    backend.put_records(sorted(tags, key=lambda r: -len(r["parents"])))
    current = dict(backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (t:Tag) RETURN t.tag_hash, t.is_current")
    ))
    expected = {tag.tag_hash: tag.is_current for tag in redun_repo.session.query(Tag).all()}
    assert current == expected
    assert False in expected.values() and True in expected.values()


def test_iter_record_ids_matches_redun(backend, redun_repo):
    backend.put_records(source_records(redun_repo))
    executions = [e.id for e in redun_repo.session.query(Execution).all()]
    assert len(executions) >= 3
    for execution_id in executions:
        expected = {id for id in redun_repo.iter_record_ids([execution_id]) if id is not None}
        assert set(backend.iter_record_ids([execution_id])) == expected
    every = {id for id in redun_repo.iter_record_ids(executions) if id is not None}
    ids = list(backend.iter_record_ids(executions))
    assert len(ids) == len(set(ids)) and set(ids) == every
    # A few queries for the whole descent, however deep the call graph.
    before = backend.graph.transactions
    list(backend.iter_record_ids(executions))
    assert backend.graph.transactions - before <= 2
    assert list(backend.iter_record_ids(["no-such-id"])) == []


def test_has_records(backend, redun_repo):
    records = source_records(redun_repo)
    backend.put_records(records[:10])
    ids = [r.get("id") or r.get("call_hash") or r.get("value_hash") or r.get("tag_hash") for r in records[:20]]
    assert backend.has_records(ids + ["nope"]) == ids[:10]


def test_export_into_redun_is_identical(backend, redun_repo, tmp_path):
    records = source_records(redun_repo)
    backend.put_records(records)
    ids = all_record_ids(redun_repo)
    exported = list(backend.get_records(ids, sorted=False))
    assert len(exported) == len(records)

    dest = open_backend(f"sqlite:///{tmp_path}/copy.db", str(tmp_path / "store"))
    assert dest.put_records(reversed(exported)) == len(records)
    again = list(dest.get_records(ids))
    assert [canonical(r) for r in again] == [canonical(r) for r in records]
    # redun reads what graphbackend wrote: tags as they were.
    first = redun_repo.session.query(Execution).first()
    assert dest.get_tags([first.id]) == redun_repo.get_tags([first.id])


def test_bad_records_are_refused(backend):
    with pytest.raises(RecordFormatError, match="version"):
        backend.put_records([{"_version": 2, "_type": "Value", "value_hash": "x"}])
    with pytest.raises(RecordFormatError, match="type"):
        backend.put_records([{"_version": 1, "_type": "Handle", "hash": "x"}])
