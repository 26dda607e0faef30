"""Tags against the real server: redun's semantics, edit history, hostile content."""

from executions import start_execution
from redun.backends.base import TagEntity
from redun.hashing import hash_tag

from graphbackend.backend.convert import encode_json


def test_record_and_get_tags_on_execution(backend):
    start_execution(backend, "exec-1", ["redun", "run", "wf.py", "main"])
    records = backend.record_tags(
        TagEntity.Execution, "exec-1", [("project", "acme"), ("env", "dev"), ("env", "prod")]
    )
    assert [(key, value) for _, _, key, value in records] == [
        ("project", "acme"), ("env", "dev"), ("env", "prod"),
    ]
    # Hashes are redun's.
    assert records[0][0] == hash_tag("exec-1", "project", "acme", [])
    assert records[0][1] == "exec-1"
    tags = backend.get_tags(["exec-1", "nothing-here"])
    assert list(tags) == ["exec-1"]
    assert tags["exec-1"] == {"project": ["acme"], "env": ["dev", "prod"]}
    # TAGGED edges to the Execution, entity properties as in the README.
    rows = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (t:Tag)-[:TAGGED]->(e:Execution {id: $id}) "
            "RETURN t.entity_type AS type, t.key AS key, t.value AS value, t.is_current AS cur",
            id="exec-1",
        )
    )
    assert sorted((r["type"], r["key"], r["value"], r["cur"]) for r in rows) == [
        ("Execution", "env", '"dev"', True),
        ("Execution", "env", '"prod"', True),
        ("Execution", "project", '"acme"', True),
    ]


def test_record_tags_is_idempotent_and_empty_is_noop(backend):
    assert backend.record_tags(TagEntity.Value, "v1", []) == []
    assert backend.record_tags(TagEntity.Value, "v1", iter(())) == []
    first = backend.record_tags(TagEntity.Value, "v1", [("k", 1)])
    second = backend.record_tags(TagEntity.Value, "v1", [("k", 1)])
    assert first == second
    count = backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (t:Tag) RETURN count(t) AS n")
    )[0]["n"]
    assert count == 1


def test_tag_edit_history(backend):
    """redun's test_tag_edit: parents, update=True, update_tags (rename a key)."""
    entity_id = "value-10"
    [(tag_hash, _, _, _)] = backend.record_tags(TagEntity.Value, entity_id, [("env", "dev")])
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["dev"]}}

    [tag2] = backend.record_tags(TagEntity.Value, entity_id, [("env", "prod")], parents=[tag_hash])
    assert tag2[0] == hash_tag(entity_id, "env", "prod", [tag_hash])
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["prod"]}}
    # The edit is an edge newer -> older, and the older tag is no longer current.
    rows = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (n:Tag)-[:SUPERSEDES]->(o:Tag) RETURN n.value AS new, o.value AS old, "
            "n.is_current AS new_current, o.is_current AS old_current"
        )
    )
    assert [dict(r) for r in rows] == [
        {"new": '"prod"', "old": '"dev"', "new_current": True, "old_current": False}
    ]

    backend.record_tags(TagEntity.Value, entity_id, [("env", "prod2"), ("user", "alice")], update=True)
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["prod2"], "user": ["alice"]}}

    backend.update_tags(TagEntity.Value, entity_id, ["env"], [("environ", "production")])
    assert backend.get_tags([entity_id]) == {
        entity_id: {"environ": ["production"], "user": ["alice"]}
    }
    # The renamed tag supersedes the env tag it replaced.
    rows = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (n:Tag {key: 'environ'})-[:SUPERSEDES]->(o:Tag) RETURN o.value AS old"
        )
    )
    assert [r["old"] for r in rows] == ['"prod2"']


def test_tag_edit_idempotent(backend):
    entity_id = "value-11"
    [(tag_hash, _, _, _)] = backend.record_tags(TagEntity.Value, entity_id, [("key", "value")])
    for _ in range(2):
        backend.record_tags(TagEntity.Value, entity_id, [("key", "value2")], parents=[tag_hash])
    assert backend.get_tags([entity_id]) == {entity_id: {"key": ["value2"]}}


def test_tag_merge(backend):
    entity_id = "value-12"
    backend.record_tags(TagEntity.Value, entity_id, [("env", "dev")])
    backend.record_tags(TagEntity.Value, entity_id, [("env", "prod")])
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["dev", "prod"]}}
    backend.record_tags(TagEntity.Value, entity_id, [("env", "prod")], update=True)
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["prod"]}}


def test_tag_delete_and_new(backend):
    """redun's test_tag_delete / test_tag_new."""
    entity_id = "value-13"
    backend.record_tags(TagEntity.Value, entity_id, [("env", "dev"), ("env", "prod")])
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["dev", "prod"]}}

    [delete_tag] = backend.delete_tags(entity_id, [("env", "dev")])
    dev_hash = hash_tag(entity_id, "env", "dev", [])
    assert delete_tag == (hash_tag("", "", None, [dev_hash]), "", "", None)
    assert backend.get_tags([entity_id])[entity_id] == {"env": ["prod"]}
    # The deletion is recorded as redun does: a Null tag superseding the deleted one.
    rows = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (d:Tag)-[:SUPERSEDES]->(o:Tag) RETURN d.entity_type AS type, d.key AS key, "
            "d.value AS value, d.entity_id AS entity_id, o.tag_hash AS old"
        )
    )
    assert [dict(r) for r in rows] == [
        {"type": "Null", "key": "", "value": "null", "entity_id": "", "old": dev_hash}
    ]

    # Recording the same tags without parents does not bring the deleted one back ...
    backend.record_tags(TagEntity.Value, entity_id, [("env", "dev"), ("env", "prod")])
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["prod"]}}
    # ... new=True does, as a new leaf of the history.
    records = backend.record_tags(
        TagEntity.Value, entity_id, [("env", "dev"), ("env", "prod")], new=True
    )
    assert [r[3] for r in records] == ["prod"]  # as redun: the re-created leaf is not listed
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["dev", "prod"]}}

    backend.delete_tags(entity_id, [("env", "dev")])
    assert backend.get_tags([entity_id])[entity_id] == {"env": ["prod"]}
    backend.record_tags(TagEntity.Value, entity_id, [("env", "dev"), ("env", "prod")], new=True)
    assert backend.get_tags([entity_id]) == {entity_id: {"env": ["dev", "prod"]}}


def test_delete_by_keys_and_json_values(backend):
    entity_id = "job-x"
    backend.record_tags(
        TagEntity.Job,
        entity_id,
        [("a", {"y": [1, 2], "x": None}), ("b", 1), ("b", 2), ("c", "keep")],
    )
    # Values match by canonical JSON, whatever the key order of the dict given.
    backend.delete_tags(entity_id, [("a", {"x": None, "y": [1, 2]})], keys=["b"])
    assert backend.get_tags([entity_id]) == {entity_id: {"c": ["keep"]}}
    # Deleting what is not there changes nothing current.
    backend.delete_tags(entity_id, [("c", "other")])
    assert backend.get_tags([entity_id]) == {entity_id: {"c": ["keep"]}}
    backend.delete_tags(entity_id, [], keys=["c"])
    assert backend.get_tags([entity_id]) == {}


def test_update_tags_with_nothing_new_keeps_old(backend):
    backend.record_tags(TagEntity.Value, "v", [("k", "v")])
    assert backend.update_tags(TagEntity.Value, "v", ["k"], []) == []
    assert backend.get_tags(["v"]) == {"v": {"k": ["v"]}}


def test_get_tags_several_entities(backend):
    backend.record_tags(TagEntity.Value, "a", [("k", 1)])
    backend.record_tags(TagEntity.CallNode, "b", [("k", 2), ("j", [3])])
    tags = backend.get_tags(["a", "b", "c"])
    assert set(tags) == {"a", "b"}
    assert tags["a"] == {"k": [1]}
    assert tags["b"] == {"k": [2], "j": [[3]]}
    assert backend.get_tags([]) == {}


HOSTILE = [
    ("'", "'"),
    ('"', '"'),
    ("`", "`backtick`"),
    ("}) DETACH DELETE n //", "}) DETACH DELETE n //"),
    ("x'}) MATCH (n) DETACH DELETE n //", "'}) MATCH (n) DETACH DELETE n RETURN 1 //"),
    ("$param", "${injection}"),
    ("multi\nline\r\n", "tab\there\nnew\u2028line"),
    ("ünïcødé ✓ 漢字 🚀", "Ω≈ç√∫ 🧪\u0000nul"),
    ("nested", {"a": [1, {"b": "}) DETACH DELETE n //"}], "z": None, "`k`": True}),
    ("numbers", [0, -1, 1.5, 1e300, True, False, None]),
    ("", ""),
    ("key.with.dots", "\\backslash\\"),
]


def test_hostile_tags_round_trip_and_do_no_harm(backend):
    start_execution(backend, "exec-h")
    backend.record_tags(TagEntity.Execution, "exec-h", [("plain", "x")])
    before = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() "
            "RETURN nodes, count(r) AS edges"
        )
    )[0]

    records = backend.record_tags(TagEntity.Execution, "exec-h", HOSTILE)
    assert [(key, value) for _, _, key, value in records] == HOSTILE
    assert [tag_hash for tag_hash, _, _, _ in records] == [
        hash_tag("exec-h", key, value, []) for key, value in HOSTILE
    ]

    after = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() "
            "RETURN nodes, count(r) AS edges"
        )
    )[0]
    # Exactly one Tag node and one TAGGED edge per tag; nothing deleted.
    assert after["nodes"] == before["nodes"] + len(HOSTILE)
    assert after["edges"] == before["edges"] + len(HOSTILE)

    tags = backend.get_tags(["exec-h"])["exec-h"]
    expected = {"plain": ["x"]}
    for key, value in HOSTILE:
        expected.setdefault(key, []).append(value)
    assert dict(tags._data) == expected
    # Stored as canonical JSON text.
    stored = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (t:Tag {entity_id: $id, key: $key}) RETURN t.value AS value",
            id="exec-h", key="nested",
        )
    )
    assert stored[0]["value"] == encode_json(dict(HOSTILE)["nested"])

    # Hostile keys in update, delete and lookups too.
    key, value = HOSTILE[3]
    backend.update_tags(TagEntity.Execution, "exec-h", [key], [(key, "replaced")])
    backend.delete_tags("exec-h", [HOSTILE[4]], keys=[HOSTILE[0][0]])
    tags = backend.get_tags(["exec-h"])["exec-h"]
    assert tags[key] == ["replaced"]
    assert HOSTILE[4][0] not in tags and HOSTILE[0][0] not in tags
    assert tags["nested"] == [dict(HOSTILE)["nested"]]
    final = backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (e:Execution {id: 'exec-h'}) RETURN e.id AS id")
    )
    assert final and final[0]["id"] == "exec-h"


# Scheduler-level: the tags a workflow records land on their entities. ---------------------

from redun import Scheduler, task  # noqa: E402

redun_namespace = "graphbackend.tests.tags"


@task(tags=[("stage", "leaf")])
def tagged_leaf(x: int) -> int:
    return x * 3


@task()
def tagged_main(x: int = 2) -> int:
    return tagged_leaf(x)


def test_scheduler_tags_on_execution_job_task_value_call_node(backend):
    scheduler = Scheduler(backend=backend)
    assert scheduler.run(tagged_main(2), tags=[("project", "acme"), ("run", {"n": 1})]) == 6

    [execution] = backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (e:Execution)-[:ROOT_JOB]->(j:Job)-[:CALL]->(c:CallNode) "
                               "RETURN e.id AS id, c.call_hash AS call_hash, c.value_hash AS result")
    )
    exec_id = execution["id"]
    assert backend.get_tags([exec_id])[exec_id] == {"project": ["acme"], "run": [{"n": 1}]}

    # Job tags (the task's `tags` option) and the Task tags, linked to their nodes.
    linked = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (t:Tag {key: 'stage'})-[:TAGGED]->(n) "
            "RETURN t.entity_type AS type, labels(n) AS labels, t.entity_id AS id"
        )
    )
    by_type = {row["type"]: row for row in linked}
    assert set(by_type) == {"Job", "Task"}
    assert "Job" in by_type["Job"]["labels"]
    assert "Task" in by_type["Task"]["labels"] and by_type["Task"]["id"] == tagged_leaf.hash
    job_id = by_type["Job"]["id"]
    assert backend.get_tags([job_id, tagged_leaf.hash]) == {
        job_id: {"stage": ["leaf"]}, tagged_leaf.hash: {"stage": ["leaf"]},
    }

    # Tags on the result Value and on the CallNode, as `redun tag add` records them.
    backend.record_tags(TagEntity.Value, execution["result"], [("checked", True)], new=True)
    backend.record_tags(TagEntity.CallNode, execution["call_hash"], [("note", "ok")], new=True)
    rows = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (t:Tag)-[:TAGGED]->(n) WHERE t.key IN ['checked', 'note'] "
            "RETURN t.key AS key, CASE WHEN n:CallNode THEN n.call_hash ELSE n.value_hash END AS id, "
            "n:Value AS is_value, n:CallNode AS is_call ORDER BY key"
        )
    )
    assert [row.data() for row in rows] == [
        {"key": "checked", "id": execution["result"], "is_value": True, "is_call": False},
        {"key": "note", "id": execution["call_hash"], "is_value": False, "is_call": True},
    ]


def test_concurrent_tagging_makes_no_duplicates(neo4j_server, backend):
    """Several backends (as several schedulers) recording the same tags at once."""
    import threading

    from graphbackend import Neo4jBackend

    errors = []

    def worker(i):
        other = Neo4jBackend(uri=neo4j_server.uri, user=neo4j_server.user,
                             password=neo4j_server.password, database=neo4j_server.database)
        try:
            for n in range(5):
                other.record_tags(TagEntity.Value, "shared", [("k", n), ("w", i)])
                other.record_tags(TagEntity.Value, "shared", [("k", n)], update=True)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            other.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    [row] = backend.graph.read_tx(
        lambda tx: tx.run_text(
            "MATCH (t:Tag) WITH t.tag_hash AS h, count(*) AS c "
            "RETURN count(h) AS hashes, max(c) AS most"
        )
    )
    assert row["most"] == 1
    tags = backend.get_tags(["shared"])["shared"]
    assert sorted(tags["w"]) == [0, 1, 2, 3]
    assert tags["k"]  # the last update of some worker is current
