"""Handles: advance, rollback and validity, compared step by step with redun's own backend,
and redun's scheduler-level handle workflows (from redun's test_handle.py)."""

from typing import Optional

from redun import Handle, Scheduler, merge_handles, task
from redun.backends.db import Handle as HandleRow
from redun.backends.db import HandleEdge, RedunBackendDb

redun_namespace = "graphbackend.tests.test_handles"


class DBConn:
    def __init__(self, uri):
        self.uri = uri

    def execute(self, sql):
        return [1]


class DbHandle(Handle):
    def __init__(self, name: str, db_file: str, namespace: Optional[str] = None):
        self.db_file = db_file
        self.conn = DBConn(db_file)

    def execute(self, sql: str):
        return self.conn.execute(sql)


def handle_node(cypher, handle):
    """The recorded Handle: is_valid and parent hashes (as redun's HandleRow would give)."""
    rows = cypher(
        "MATCH (h:Handle {hash: $hash}) OPTIONAL MATCH (p:Handle)-[:CHILD]->(h) "
        "RETURN h.is_valid AS is_valid, collect(p.hash) AS parents",
        hash=handle.__handle__.hash,
    )
    assert rows, f"handle {handle!r} is not recorded"
    return rows[0]


def recorded_handles(cypher):
    """Hashes of the handles recorded by advance_handle (redun's handle rows)."""
    return {
        row["hash"]
        for row in cypher("MATCH (h:Handle) WHERE h.is_valid IS NOT NULL RETURN h.hash AS hash")
    }


def handle_edges(cypher):
    return {
        (row["p"], row["c"])
        for row in cypher("MATCH (p:Handle)-[:CHILD]->(c:Handle) RETURN p.hash AS p, c.hash AS c")
    }


# Backend level: the same operations on redun's backend and ours ---------------


def run_steps(backend):
    """A handle history with forks, chained unrecorded forks, a merge, rollbacks and a
    revalidation. Yields ``(step, handles)`` after each step."""
    h = {}
    h["root"] = DbHandle("db", "data.db")
    h["other"] = DbHandle("other", "other.db")

    def advance(parents, child):
        backend.advance_handle([h[p] for p in parents], h[child])

    h["a"] = h["root"].fork("1")
    advance(["root"], "a")
    yield "fork a", h
    h["a2"] = h["a"].apply_call("call-a")
    advance(["a"], "a2")
    yield "apply a2", h
    # Chained forks that skip recording: b is recorded only as c's fork parent.
    h["b"] = h["a2"].fork("x")
    h["c"] = h["b"].fork("y")
    h["c2"] = h["c"].apply_call("call-c")
    advance(["c"], "c2")
    yield "chained forks", h
    h["d"] = h["a2"].fork("2")
    advance(["a2"], "d")
    h["d2"] = h["d"].apply_call("call-d")
    advance(["d"], "d2")
    yield "branch d", h
    advance(["d2"], "c2")  # merge_handles([c2, d2]) records d2 -> c2
    yield "merge", h
    h["o2"] = h["other"].fork("1")
    advance(["other"], "o2")
    h["o3"] = h["o2"].apply_call("call-o")
    advance(["o2"], "o3")
    yield "other name", h
    backend.rollback_handle(h["a2"])
    yield "rollback a2", h
    backend.rollback_handle(h["a2"])
    yield "rollback a2 again", h
    backend.rollback_handle(h["root"])
    yield "rollback root", h
    backend.rollback_handle(h["d"])  # d is invalid: nothing happens
    yield "rollback invalid d", h
    advance(["a"], "a2")  # re-advancing revalidates, as redun's get_or_create(update=...)
    yield "revalidate a2", h
    backend.rollback_handle(h["other"])
    yield "rollback other", h


def validity(backend, handles):
    return {name: bool(backend.is_valid_handle(handle)) for name, handle in handles.items()}


def test_matches_redun_step_by_step(cypher, backend):
    redun_db = RedunBackendDb(db_uri="sqlite:///:memory:")
    redun_db.load()
    ours = run_steps(backend)
    theirs = run_steps(redun_db)
    for (step, our_handles), (_, their_handles) in zip(ours, theirs):
        assert validity(backend, our_handles) == validity(redun_db, their_handles), step
        assert recorded_handles(cypher) == {row.hash for row in redun_db.session.query(HandleRow)}, step
        assert handle_edges(cypher) == {
            (edge.parent_id, edge.child_id) for edge in redun_db.session.query(HandleEdge)
        }, step
    # The scenario really exercised rollback (and the comparison could fail).
    final = validity(backend, our_handles)
    assert final["a2"] and not final["d2"] and not final["c2"] and not final["o3"]


def test_advance_records_nodes_values_and_lineage(cypher, backend):
    conn = DbHandle("conn", "data.db")
    assert not backend.is_valid_handle(conn)
    forked = conn.fork("1")
    backend.advance_handle([conn], forked)
    assert backend.is_valid_handle(conn) and backend.is_valid_handle(forked)
    assert conn.__handle__.is_recorded and forked.__handle__.is_recorded
    rows = cypher(
        "MATCH (h:Handle)-[:VALUE]->(v:Value) RETURN h.hash AS hash, h.fullname AS fullname, "
        "h.key AS key, h.value_hash AS value_hash, v.value_hash AS value ORDER BY h.key",
    )
    assert rows == [
        {"hash": conn.__handle__.hash, "fullname": conn.__handle__.fullname, "key": "", "value_hash": conn.__handle__.hash,
         "value": conn.__handle__.hash},
        {"hash": forked.__handle__.hash, "fullname": conn.__handle__.fullname, "key": "1", "value_hash": forked.__handle__.hash,
         "value": forked.__handle__.hash},
    ]
    assert handle_edges(cypher) == {(conn.__handle__.hash, forked.__handle__.hash)}
    # Recorded values come back as handles.
    value, found = backend.get_value(forked.__handle__.hash)
    assert found and value.__handle__.hash == forked.__handle__.hash
    # Advancing again changes nothing.
    backend.advance_handle([conn], forked)
    assert len(cypher("MATCH (h:Handle) RETURN h")) == 2
    assert len(handle_edges(cypher)) == 1


def test_advance_is_one_transaction(backend):
    conn = DbHandle("conn", "data.db")
    before = backend.graph.transactions
    backend.advance_handle([conn], conn.fork("1"))
    assert backend.graph.transactions == before + 1


# Scheduler level: redun's own handle tests -------------------------------------


def test_handle_edges(cypher, scheduler: Scheduler) -> None:
    @task()
    def do_write(conn, data):
        conn.execute(data)
        return conn

    @task()
    def pipeline(conn):
        conn = do_write(conn, "a")
        conn = do_write(conn, "b")
        conn = do_write(conn, "c")
        return conn

    @task()
    def main():
        conn = DbHandle("conn", "postgresql://host/db")
        return pipeline(conn)

    scheduler.run(main())
    # 1 original + 3 do_writes * 2 + 1 pipeline
    assert len(recorded_handles(cypher)) == 8


def test_handle_tasks_simple(cypher, scheduler: Scheduler) -> None:
    @task()
    def task1(conn):
        return conn

    conn1 = DbHandle("conn", "data.db")
    conn2 = scheduler.run(task1(conn1))
    assert conn2.__handle__.hash != conn1.__handle__.hash
    # conn1, pre_conn1, conn2; all valid.
    assert len(recorded_handles(cypher)) == 3
    assert all(row["v"] for row in cypher("MATCH (h:Handle) RETURN h.is_valid AS v"))

    @task()
    def task2(conn):
        return conn

    # Running the handle through the updated task branches the handle graph.
    conn3 = scheduler.run(task2(conn1))
    assert handle_node(cypher, conn3)["is_valid"]
    assert not handle_node(cypher, conn2)["is_valid"]  # rolled back
    [pre_hash] = handle_node(cypher, conn3)["parents"]
    grandparents = cypher(
        "MATCH (p:Handle)-[:CHILD]->(:Handle {hash: $h}) RETURN p.hash AS h", h=pre_hash
    )
    assert grandparents == [{"h": conn1.__handle__.hash}]
    children = {
        row["h"]
        for row in cypher("MATCH (:Handle {hash: $h})-[:CHILD]->(c) RETURN c.hash AS h", h=pre_hash)
    }
    assert children == {conn2.__handle__.hash, conn3.__handle__.hash}

    # Rerunning task1 reverts the handle to its old state.
    conn2b = scheduler.run(task1(conn1))
    assert conn2b.__handle__.hash == conn2.__handle__.hash
    assert handle_node(cypher, conn2b)["is_valid"]
    assert not handle_node(cypher, conn3)["is_valid"]


def test_handle_tasks(cypher, scheduler: Scheduler) -> None:
    task_calls = []
    handles = {}

    @task()
    def init_db(conn: DbHandle):
        task_calls.append("init_db")
        handles["init_db"] = conn
        conn.execute("CREATE TABLE ...")
        return conn

    @task(version="v1")
    def update_db(conn: DbHandle):
        task_calls.append("update_db")
        handles["update_db"] = conn
        conn.execute("INSERT INTO ...")
        return conn

    @task()
    def workflow():
        task_calls.append("workflow")
        conn = DbHandle("conn", "data.db")
        handles["workflow"] = conn
        conn = init_db(conn)
        conn = update_db(conn)
        return conn

    final_conn = scheduler.run(workflow())
    assert task_calls == ["workflow", "init_db", "update_db"]
    assert handles["workflow"].__handle__.hash != handles["init_db"].__handle__.hash
    assert handles["init_db"].__handle__.hash != handles["update_db"].__handle__.hash

    @task(version="v2")  # noqa: F811
    def update_db(conn: DbHandle):  # noqa: F811
        task_calls.append("update_db2")
        handles["update_db2"] = conn
        conn.execute("INSERT INTO ... something different;")
        return conn

    task_calls = []
    final_conn2 = scheduler.run(workflow())
    assert task_calls == ["update_db2"]
    backend = scheduler.backend
    assert not handle_node(cypher, final_conn)["is_valid"]
    assert handle_node(cypher, final_conn2)["is_valid"]
    for name in ["workflow", "init_db", "update_db", "update_db2"]:
        assert backend.is_valid_handle(handles[name]), name
    assert handles["update_db"].__handle__.hash == handles["update_db2"].__handle__.hash

    @task(version="v1")  # noqa: F811
    def update_db(conn: DbHandle):  # noqa: F811
        task_calls.append("update_db")
        handles["update_db"] = conn
        conn.execute("INSERT INTO ...")
        return conn

    task_calls = []
    final_conn3 = scheduler.run(workflow())
    handle_node(cypher, final_conn3)
    # With a handle there is no fast revert: update_db runs again.
    assert task_calls == ["update_db"]


def test_handle_rollback_forks(scheduler: Scheduler) -> None:
    handles = {}

    @task()
    def update_db(conn: DbHandle, data):
        handles["update_db", data] = conn
        conn.execute("INSERT INTO ...")
        return conn

    @task()
    def post_update_db(conn: DbHandle, data):
        handles["post_update_db", data] = conn
        return conn

    @task()
    def workflow():
        conn = DbHandle("conn", "data.db")
        handles["workflow"] = conn
        conn2 = post_update_db(update_db(conn, 10), 10)
        conn3 = post_update_db(update_db(conn, 20), 20)
        return merge_handles([conn2, conn3])

    scheduler.run(workflow())

    @task()  # noqa: F811
    def workflow():  # noqa: F811
        conn = DbHandle("conn", "data.db")
        handles["workflow"] = conn
        conn2 = post_update_db(update_db(conn, 12), 12)
        conn3 = post_update_db(update_db(conn, 20), 20)
        return merge_handles([conn2, conn3])

    prev_handles = dict(handles)
    scheduler.run(workflow())
    backend = scheduler.backend
    assert not backend.is_valid_handle(prev_handles["post_update_db", 10])
    assert backend.is_valid_handle(handles["post_update_db", 12])
    assert (
        prev_handles["post_update_db", 20].__handle__.hash
        == handles["post_update_db", 20].__handle__.hash
    )
    assert backend.is_valid_handle(prev_handles["post_update_db", 20])


def test_handle_merge(cypher, scheduler: Scheduler) -> None:
    @task()
    def task1(conn):
        return conn

    @task()
    def task2(conn):
        return conn

    @task()
    def workflow():
        conn = DbHandle("conn", "data.db")
        return merge_handles([task1(conn), task2(conn)])

    conn = scheduler.run(workflow())
    assert len(handle_node(cypher, conn)["parents"]) == 2


def test_handle_nested(scheduler: Scheduler) -> None:
    @task()
    def task1(conn1, conn2):
        return [conn1, conn2]

    conn1 = DbHandle("conn1", "data1.db")
    conn2 = DbHandle("conn2", "data2.db")
    conn1b, conn2b = scheduler.run(task1(conn1, conn2))
    assert conn1.__handle__.hash != conn1b.__handle__.hash
    assert conn2.__handle__.hash != conn2b.__handle__.hash
    assert scheduler.backend.is_valid_handle(conn1b) and scheduler.backend.is_valid_handle(conn2b)


def test_handle_merge3(cypher, scheduler: Scheduler) -> None:
    @task()
    def task1(conn, arg):
        return conn

    @task()
    def workflow():
        conn = DbHandle("conn", "data.db")
        return merge_handles([task1(conn, "a"), task1(conn, "b"), task1(conn, "c")])

    conn = scheduler.run(workflow())
    assert len(handle_node(cypher, conn)["parents"]) == 3


def test_multiple_forks(cypher, scheduler: Scheduler) -> None:
    """Chained explicit forks (which skip recording) are recorded through fork_parent."""

    @task()
    def task1(conn):
        return conn

    @task()
    def main():
        conn = DbHandle("conn", "data.db")
        conn = task1(conn)
        conn = task1(conn.fork("a").fork("b").fork("c"))
        return conn

    scheduler.run(main())
    assert len(recorded_handles(cypher)) == 8
