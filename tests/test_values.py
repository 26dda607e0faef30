"""Values: record_value/get_value round trips, Files, Tasks, subvalues, the value store, errors."""

import sys
import threading
import uuid

import pytest
from redun import File, Handle, task
from redun.backends.db import File as FileRow
from redun.backends.db import RedunBackendDb, RedunDatabaseError, Subvalue
from redun.backends.db import Value as ValueRow
from redun.backends.value_store import ValueStore
from redun.value import get_type_registry

from graphbackend.errors import (
    ValueSerializationError,
    ValueStoreMissingError,
    ValueTooLargeError,
)

redun_namespace = "graphbackend.tests.test_values"


@task()
def add1(x: int) -> int:
    return x + 1


class Conn(Handle):
    def __init__(self, name, uri, namespace=None):
        self.uri = uri


def count(cypher, pattern):
    return cypher.one(f"MATCH {pattern} RETURN count(*)")


@pytest.fixture
def redun_db():
    """redun's own backend, to compare hashes and facts with."""
    db = RedunBackendDb(db_uri="sqlite:///:memory:")
    db.load()
    return db


VALUES = [
    0,
    42,
    -7,
    3.5,
    "",
    "hello",
    "é" * 30,
    None,
    True,
    b"raw bytes",
    [1, 2, [3, [4, "five"]]],
    {"a": 1, "b": [1, 2], "c": {"d": None}},
    (1, "two", 3.0),
    {1, 2, 3},
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_round_trip(cypher, backend, redun_db, value):
    value_hash = backend.record_value(value)
    assert value_hash == redun_db.record_value(value)
    assert backend.get_value(value_hash) == (value, True)
    [node] = cypher("MATCH (v:Value {value_hash: $h}) RETURN v", h=value_hash)
    registry = get_type_registry()
    assert node["v"]["type"] == registry.get_type_name(type(value))
    assert node["v"]["format"] == registry.get_serialization_format(value)
    assert bytes(node["v"]["value"]) == registry.serialize(value)
    assert node["v"]["in_value_store"] is False
    assert node["v"]["size"] == len(registry.serialize(value))


def test_unknown_hash(backend):
    assert backend.get_value("0" * 40) == (None, False)


def test_preview_is_short(cypher, backend):
    value_hash = backend.record_value("x" * 1000)
    [row] = cypher("MATCH (v:Value {value_hash: $h}) RETURN v.preview AS p", h=value_hash)
    assert row["p"].startswith("'xxxx")
    assert len(row["p"]) <= 80
    value_hash = backend.record_value(12345)
    [row] = cypher("MATCH (v:Value {value_hash: $h}) RETURN v.preview AS p", h=value_hash)
    assert row["p"] == "12345"


def test_explicit_data(backend, redun_db):
    data = get_type_registry().serialize("payload")
    value_hash = backend.record_value("payload", data=data)
    assert value_hash == redun_db.record_value("payload", data=data)
    assert backend.get_value(value_hash) == ("payload", True)


def test_files_and_subvalues(cypher, backend, redun_db, tmp_path):
    (tmp_path / "a.txt").write_text("A")
    (tmp_path / "b.txt").write_text("B")
    file_a = File(str(tmp_path / "a.txt"))
    file_b = File(str(tmp_path / "b.txt"))
    value = {"files": [file_a, [file_b]], "n": 3}

    value_hash = backend.record_value(value)
    assert value_hash == redun_db.record_value(value)

    got, found = backend.get_value(value_hash)
    assert found
    assert got["n"] == 3
    assert got["files"][0].path == file_a.path and got["files"][0].hash == file_a.hash
    assert got["files"][1][0].path == file_b.path

    files = cypher(
        "MATCH (:Value {value_hash: $h})-[:SUBVALUE]->(f:File:Value) "
        "RETURN f.value_hash AS hash, f.path AS path ORDER BY path",
        h=value_hash,
    )
    assert files == [
        {"hash": file_a.hash, "path": file_a.path},
        {"hash": file_b.hash, "path": file_b.path},
    ]
    # The same facts as redun's own backend.
    session = redun_db.session
    assert {row.value_hash for row in session.query(Subvalue).filter_by(parent_value_hash=value_hash)} == {
        file_a.hash,
        file_b.hash,
    }
    assert {row.path for row in session.query(FileRow)} == {file_a.path, file_b.path}
    assert session.query(ValueRow).count() == count(cypher, "(:Value)") == 3

    # The Files are values of their own.
    assert backend.get_value(file_a.hash)[0].path == file_a.path


def test_file_recorded_alone(cypher, backend):
    file = File("/tmp/graphbackend-does-not-exist.txt")
    value_hash = backend.record_value(file)
    [row] = cypher("MATCH (f:File {value_hash: $h}) RETURN f.path AS path, labels(f) AS labels", h=value_hash)
    assert row["path"] == file.path
    assert set(row["labels"]) == {"Value", "File"}


def test_task_value(cypher, backend, redun_db):
    value_hash = backend.record_value(add1)
    assert value_hash == add1.hash == redun_db.record_value(add1)
    [row] = cypher("MATCH (t:Task:Value {hash: $h}) RETURN t", h=value_hash)
    node = row["t"]
    assert node["value_hash"] == value_hash
    assert node["name"] == "add1"
    assert node["namespace"] == redun_namespace
    assert node["fullname"] == f"{redun_namespace}.add1"
    assert "return x + 1" in node["source"]
    got, found = backend.get_value(value_hash)
    assert found and got.fullname == add1.fullname and got.hash == add1.hash


def test_task_inside_value_is_subvalue(cypher, backend):
    value_hash = backend.record_value([add1, 1])
    rows = cypher(
        "MATCH (:Value {value_hash: $h})-[:SUBVALUE]->(t:Task) RETURN t.hash AS hash",
        h=value_hash,
    )
    assert rows == [{"hash": add1.hash}]


def test_task_recorded_twice_by_fresh_backends(cypher, backend, make_backend):
    assert backend.record_value(add1) == make_backend().record_value(add1) == add1.hash
    assert count(cypher, "(:Task)") == count(cypher, "(:Value)") == 1
    [row] = cypher("MATCH (t:Task:Value) RETURN t.name AS name, t.type AS type")
    assert row == {"name": "add1", "type": "redun.Task"}


def test_handle_value_makes_handle_node(cypher, backend):
    conn = Conn("conn", "sqlite://")
    value_hash = backend.record_value(conn)
    assert value_hash == conn.__handle__.hash
    rows = cypher(
        "MATCH (h:Handle)-[:VALUE]->(v:Value) RETURN h.hash AS hash, h.fullname AS fullname, "
        "h.is_valid AS is_valid, v.value_hash AS value_hash",
    )
    assert rows == [
        {"hash": value_hash, "fullname": conn.__handle__.fullname, "is_valid": None, "value_hash": value_hash}
    ]
    # Only advance_handle records a handle as valid, as in redun.
    assert backend.is_valid_handle(conn) is False


def test_second_record_skips_neo4j(backend):
    value = {"x": [1, 2, 3], "f": File("/tmp/graphbackend-x")}
    value_hash = backend.record_value(value)
    before = backend.graph.transactions
    assert backend.record_value(value) == value_hash
    assert backend.record_value({"x": [1, 2, 3], "f": File("/tmp/graphbackend-x")}) == value_hash
    assert backend.graph.transactions == before


def test_content_addressed_across_backends(cypher, backend, make_backend):
    other = make_backend()
    value = ["same", File("/tmp/graphbackend-y")]
    assert backend.record_value(value) == other.record_value(value)
    assert count(cypher, "(:Value)") == 2
    assert count(cypher, "()-[:SUBVALUE]->()") == 1


def test_concurrent_recording_never_duplicates(cypher, backend, make_backend):
    backends = [make_backend() for _ in range(4)]
    values = [[i, File(f"/tmp/graphbackend-c{i}")] for i in range(15)] + [add1]
    errors = []

    def record(each):
        try:
            for value in values:
                each.record_value(value)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=record, args=(each,)) for each in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(cypher, "(:Value)") == 15 * 2 + 1
    assert count(cypher, "(:File)") == 15
    assert count(cypher, "(:Task)") == 1
    assert count(cypher, "()-[:SUBVALUE]->()") == 15


def test_prepare_values_contract(cypher, backend):
    values = backend._values
    rows = values.prepare([1, "two", 1])
    assert rows.hashes == [row["value_hash"] for row in rows[:3]]
    assert rows[2] == {"value_hash": rows.hashes[0], "skip": True}
    values.commit(rows, None, run=backend.graph.write_tx)
    again = values.prepare([1, "two"])
    assert [row["value_hash"] for row in again] == rows.hashes[:2]
    assert all(row["skip"] for row in again)
    assert not again.pending
    assert count(cypher, "(:Value)") == 2


# Value store ------------------------------------------------------------------


@pytest.fixture(params=["tmpdir", "memory"])
def store_path(request, tmp_path):
    if request.param == "tmpdir":
        return str(tmp_path / "values")
    return f"memory://graphbackend-test-{uuid.uuid4().hex}/values"


def test_value_store_threshold(cypher, make_backend, store_path):
    small, large = "s" * 10, "L" * 5000
    registry = get_type_registry()
    min_size = sys.getsizeof(registry.serialize("m" * 1000))
    stored = make_backend(value_store_path=store_path, value_store_min_size=min_size)

    small_hash = stored.record_value(small)
    large_hash = stored.record_value(large)
    at_hash = stored.record_value("m" * 1000)  # exactly at the threshold: goes to the store

    redun_store = ValueStore(store_path) if "://" not in store_path else None
    for value, value_hash in [(large, large_hash), ("m" * 1000, at_hash)]:
        data = registry.serialize(value)
        assert stored.value_store.get(value_hash) == (data, True)
        if redun_store is not None:  # redun's own ValueStore finds it at its path
            assert redun_store.get(value_hash) == (data, True)
        [row] = cypher(
            "MATCH (v:Value {value_hash: $h}) RETURN v.value AS value, v.in_value_store AS s, v.size AS size",
            h=value_hash,
        )
        assert bytes(row["value"]) == b""
        assert row["s"] is True
        assert row["size"] == len(data)
        assert stored.get_value(value_hash) == (value, True)

    assert not stored.value_store.has(small_hash)
    [row] = cypher(
        "MATCH (v:Value {value_hash: $h}) RETURN v.value AS value, v.in_value_store AS s", h=small_hash
    )
    assert bytes(row["value"]) == registry.serialize(small) and row["s"] is False
    assert stored.get_value(small_hash) == (small, True)


def test_value_store_just_below_threshold(make_backend, tmp_path):
    registry = get_type_registry()
    value = "m" * 1000
    min_size = sys.getsizeof(registry.serialize(value)) + 1
    stored = make_backend(value_store_path=str(tmp_path / "values"), value_store_min_size=min_size)
    value_hash = stored.record_value(value)
    assert not stored.value_store.has(value_hash)
    assert stored.get_value(value_hash) == (value, True)


def test_value_store_blob_missing_or_unconfigured(make_backend, tmp_path):
    stored = make_backend(value_store_path=str(tmp_path / "values"), value_store_min_size=0)
    value_hash = stored.record_value("in the store")
    plain = make_backend()
    with pytest.raises(ValueStoreMissingError, match="value_store_path"):
        plain.get_value(value_hash)
    elsewhere = make_backend(value_store_path=str(tmp_path / "empty"))
    assert elsewhere.get_value(value_hash) == (None, False)


# Errors -----------------------------------------------------------------------


def test_max_value_size(cypher, make_backend, tmp_path):
    limited = make_backend(
        max_value_size=100, value_store_path=str(tmp_path / "values"), value_store_min_size=0
    )
    with pytest.raises(ValueTooLargeError) as info:
        limited.record_value("J" * 10000)
    message = str(info.value)
    assert "max_value_size" in message and "100" in message
    assert str(len(get_type_registry().serialize("J" * 10000))) in message
    assert isinstance(info.value, RedunDatabaseError)
    # A batch with one bad value writes nothing, neither to Neo4j nor to the store.
    with pytest.raises(ValueTooLargeError):
        limited._values.prepare(["ok", "J" * 10000])
    assert count(cypher, "(n) WHERE NOT n:SchemaVersion") == 0
    assert not (tmp_path / "values").exists()
    # Small values still work.
    assert limited.get_value(limited.record_value("ok")) == ("ok", True)


@pytest.mark.parametrize(
    "make_value, type_name",
    [
        (lambda: [1, lambda x: x], "builtins.list"),
        (lambda: {"lock": threading.Lock()}, "builtins.dict"),
    ],
    ids=["lambda", "lock"],
)
def test_unserializable_value(cypher, backend, make_value, type_name):
    before = backend.graph.transactions
    with pytest.raises(ValueSerializationError) as info:
        backend.record_value(make_value())
    assert type_name in str(info.value)
    assert isinstance(info.value, TypeError)  # the scheduler's fallback for exceptions catches it
    assert info.value.__cause__ is not None
    assert backend.graph.transactions == before
    assert count(cypher, "(n) WHERE NOT n:SchemaVersion") == 0


def test_scheduler_value_store(make_backend, tmp_path):
    """redun's test_value_store: with the default min size nothing lands in the store;
    with min size 0 the input, the output and the task do."""
    import os

    from redun import Scheduler

    @task()
    def add1_local(x: int) -> int:
        return x + 1

    store_path = str(tmp_path / "values")
    scheduler = Scheduler(backend=make_backend(value_store_path=store_path))
    assert scheduler.run(add1_local(10)) == 11
    assert not os.path.exists(store_path)

    calls = []

    @task()
    def add100(x: int) -> int:
        calls.append(x)
        return x + 100

    backend = make_backend(value_store_path=store_path, value_store_min_size=0)
    scheduler = Scheduler(backend=backend)
    assert scheduler.run(add100(11)) == 111
    blobs = [name for _, _, names in os.walk(store_path) for name in names]
    assert len(blobs) == 3  # input, output and task
    # The second run is served from the cache through the value store.
    assert Scheduler(backend=make_backend(value_store_path=store_path, value_store_min_size=0)).run(
        add100(11)
    ) == 111
    assert calls == [11]


class LockedError(Exception):
    """An exception that cannot be pickled (it holds a lock)."""

    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()


def test_scheduler_records_unpicklable_error_generically(cypher, scheduler):
    """redun's scheduler catches TypeError from record_value(ErrorValue) and records a
    generic Exception instead; ValueSerializationError must keep that path working."""

    @task()
    def fails():
        raise LockedError("boom")

    with pytest.raises(LockedError):
        scheduler.run(fails())
    rows = cypher(
        "MATCH (c:CallNode)-[:RESULT]->(v:Value) RETURN v.type AS type, v.value_hash AS hash",
    )
    assert len(rows) == 1
    assert rows[0]["type"] == "redun.ErrorValue"
    error_value, found = scheduler.backend.get_value(rows[0]["hash"])
    assert found
    assert type(error_value.error) is Exception and "boom" in str(error_value.error)
