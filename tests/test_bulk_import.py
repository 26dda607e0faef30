"""``graphbackend import --bulk``: the offline route gives the graph the online import gives.

One source: a real redun repository (``redun_repo.build_repo``: nested tasks, Files,
tags with history, a value in the value store, a failed run) plus a generated
history of a few hundred jobs (``benchmarks.history``) in the same SQLite file. It
is imported online into the session's test server and in bulk into a throwaway
local server this module starts on free ports (never 7687); the two graphs are
compared label by label, type by type, and node by node, edge by edge.
"""

import datetime as dt
import os
from collections import Counter

import pytest
from redun import Scheduler
from redun_repo import build_project, report

from benchmarks.history import generate_history
from graphbackend import Neo4jBackend
from graphbackend.cli import main as cli
from graphbackend.errors import ServerError
from graphbackend.server.local import LocalServer, free_port
from graphbackend.sync import bulk
from graphbackend.sync.transfer import import_records, open_redun_db

JOBS = 400


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory):
    """A redun repository holding real workflow runs and a generated history."""
    root = tmp_path_factory.mktemp("bulk-project")
    generate_history(build_project(root), jobs=JOBS, seed=3, progress=False)
    return root


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory):
    """A throwaway local server (free ports) whose empty database the bulk import fills."""
    server = LocalServer(home=tmp_path_factory.mktemp("bulk-neo4j") / "home", bolt_port=free_port(),
                         http_port=free_port())
    server.start()
    yield server
    LocalServer.at(server.home).stop()


def _plain(value):
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + bytes(value).hex()
    if hasattr(value, "iso_format"):
        return "time:" + value.iso_format()
    if isinstance(value, dt.datetime):
        return "time:" + value.isoformat()
    if isinstance(value, list):
        return tuple(_plain(item) for item in value)
    return value


def _key(labels, props):
    for name in ("value_hash", "call_hash", "tag_hash", "id", "hash", "name"):
        if name in props:
            return (min(labels), props[name])
    return (min(labels), None)


def dump(graph):
    """Every node (labels, properties) and edge (ends by key, type, properties), sorted;
    the SchemaVersion marker by its version only."""
    def work(tx):
        nodes = tx.run_text("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        edges = tx.run_text(
            "MATCH (a)-[r]->(b) RETURN labels(a) AS al, properties(a) AS ap, type(r) AS type, "
            "properties(r) AS rp, labels(b) AS bl, properties(b) AS bp")
        return nodes, edges

    nodes, edges = graph.read_tx(work)
    node_rows, edge_rows = [], []
    for row in nodes:
        labels, props = sorted(row["labels"]), dict(row["props"])
        if labels == ["SchemaVersion"]:
            props = {"version": props["version"]}
        node_rows.append((tuple(labels), tuple(sorted((k, _plain(v)) for k, v in props.items()))))
    for row in edges:
        edge_rows.append((_key(row["al"], row["ap"]), row["type"],
                          tuple(sorted((k, _plain(v)) for k, v in row["rp"].items())), _key(row["bl"], row["bp"])))
    return sorted(node_rows, key=repr), sorted(edge_rows, key=repr)


def counts(graph):
    nodes, edges = dump(graph)
    return (Counter(label for labels, _ in nodes for label in labels), Counter(edge[1] for edge in edges))


def node_count(server):
    graph = server.graph()
    try:
        return graph.read_single("admin_count_nodes")["nodes"]
    finally:
        graph.close()


def source_uri(repo_dir):
    return f"sqlite:///{repo_dir}/.redun/redun.db"


def test_refusals_and_dry_run_write_nothing(bulk_server, repo_dir, tmp_path, capsys):
    db = open_redun_db(source_uri(repo_dir))
    try:
        # A partial source: the offline route is all or nothing.
        with pytest.raises(bulk.BulkRefused, match="whole redun database"):
            bulk.bulk_import(db, bulk_server.home, execution_ids=["abc"])
        # Not a home graphbackend manages.
        with pytest.raises(bulk.BulkRefused, match="not the home of a local server"):
            bulk.bulk_import(db, tmp_path)
        # A dry run says what it would do and changes nothing.
        pid = bulk_server.pid()
        summary, steps = bulk.bulk_import(db, bulk_server.home, dry_run=True, quiet=True)
        assert summary.records > JOBS
        assert any("stop the server" in step for step in steps) and any("bulk loader" in step for step in steps)
        assert bulk_server.pid() == pid and bulk_server.is_running()
        assert node_count(bulk_server) == 0
    finally:
        db.close()
    # The command line: one clear line, nothing opened, nothing stopped.
    code = cli(["import", "--bulk", "--home", str(bulk_server.home), "--tag", "env=prod", source_uri(repo_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "all or nothing" in err and len(err.strip().splitlines()) == 1
    assert cli(["import", "--bulk", source_uri(repo_dir)]) == 1
    assert "--bulk needs --home" in capsys.readouterr().err
    assert cli(["import", "--bulk", "--dry-run", "--home", str(bulk_server.home), source_uri(repo_dir)]) == 0
    assert "dry run, nothing changed" in capsys.readouterr().out
    assert bulk_server.pid() == pid and node_count(bulk_server) == 0


def test_failed_loader_leaves_the_empty_database_usable(bulk_server, repo_dir):
    db = open_redun_db(source_uri(repo_dir))
    try:
        with pytest.raises(ServerError, match="bulk loader failed .* put back untouched"):
            bulk.bulk_import(db, bulk_server.home, quiet=True, loader_args=["--no-such-option"])
    finally:
        db.close()
    server = LocalServer.at(bulk_server.home)
    assert server.is_running()
    assert node_count(server) == 0
    assert not list(server.home.glob(".bulk-*"))


def test_bulk_gives_the_online_graph_and_serves_the_cache(bulk_server, repo_dir, backend):
    db = open_redun_db(source_uri(repo_dir))
    try:
        online = import_records(db, backend)
        summary, _ = bulk.bulk_import(db, bulk_server.home, quiet=True)
    finally:
        db.close()
    assert summary.records == online.seen
    assert not summary.bad_relationships
    server = LocalServer.at(bulk_server.home)
    assert server.is_running()
    graph = server.graph()
    try:
        assert counts(graph) == counts(backend.graph)
        offline_nodes, offline_edges = dump(graph)
        online_nodes, online_edges = dump(backend.graph)
        assert offline_nodes == online_nodes
        assert offline_edges == online_edges
        assert not any("Pending" in labels for labels, _ in offline_nodes)
        # The schema is there: every constraint and index online.
        states = graph.read_tx(lambda tx: tx.run_text("SHOW INDEXES YIELD state RETURN collect(state) AS s"))[0]["s"]
        assert len(states) > 20 and set(states) == {"ONLINE"}
    finally:
        graph.close()

    # A cached rerun of a workflow of the source, on the bulk-imported graph, hits the cache.
    neo = Neo4jBackend(uri=server.bolt_uri, user="neo4j", password=server.stored_password(), database="neo4j")
    neo.load()
    try:
        imported = {row[0] for row in neo.graph.read_tx(lambda tx: tx.run_text("MATCH (e:Execution) RETURN e.id"))}
        result = Scheduler(backend=neo).run(
            report.options(check_valid="shallow")(str(repo_dir / "files"), ["a b c", "hello world"], 500))
        assert result == {"words": 5, "rows": 500}
        executions = neo.graph.read_tx(lambda tx: tx.run_text(
            "MATCH (e:Execution) WHERE NOT e.id IN $imported "
            "MATCH (j:Job {execution_id: e.id}) RETURN e.id AS id, collect(j.cached) AS cached",
            imported=list(imported)))
        assert len(executions) == 1 and executions[0]["cached"] == [True], executions
    finally:
        neo.close()

    # Not empty any more: refused, and its data untouched.
    before = node_count(server)
    db = open_redun_db(source_uri(repo_dir))
    try:
        with pytest.raises(bulk.BulkRefused, match="is not empty"):
            bulk.bulk_import(db, server.home, quiet=True)
    finally:
        db.close()
    assert server.is_running() and node_count(server) == before
    assert os.path.isdir(server.home / "data" / "databases" / "neo4j")
