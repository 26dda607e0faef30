"""``graphbackend import`` / ``export`` against real redun repositories
(SQLite, and PostgreSQL on a throwaway local cluster), bad sources, resuming an
interrupted import, value-store blobs, and the imported call graph serving
redun's cache."""

import os
import sqlite3

import pytest
from redun import Scheduler
from redun.backends.db import Execution, Tag
from redun_repo import all_record_ids, build_project, build_repo, canonical, open_backend, report

from benchmarks.postgres import PostgresCluster, PostgresUnavailable
from graphbackend import Neo4jBackend
from graphbackend.cli import main as cli

_SERVER = {}


@pytest.fixture(autouse=True)
def _cli_targets_the_test_server(neo4j_server, monkeypatch):
    """run_cli passes the test server's URI; user, password and database travel in the env."""
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    _SERVER["uri"] = neo4j_server.uri
    yield
    _SERVER.clear()


def run_cli(*args):
    """``graphbackend ARGS --uri <the test server> -q``: never the default local server."""
    return cli([*args, "--uri", _SERVER["uri"], "-q"])


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory):
    """A directory holding a redun repository (.redun/ with redun.ini, SQLite, a value store)."""
    root = tmp_path_factory.mktemp("project")
    build_project(root)
    return root


@pytest.fixture
def source(repo_dir):
    backend = open_backend(f"sqlite:///{repo_dir}/.redun/redun.db", str(repo_dir / ".redun" / "store"))
    yield backend
    backend.session.close()


def assert_same_records(neo, source):
    ids = all_record_ids(source)
    expected = [canonical(r) for r in source.get_records(ids)]
    assert [canonical(r) for r in neo.get_records(ids)] == expected
    assert neo.graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0] == 0


def test_import_directory(backend, source, repo_dir, capsys):
    assert run_cli("import", str(repo_dir)) == 0
    out = capsys.readouterr().out
    assert "Imported" in out and ":param execution_id" in out and "MATCH (e:Execution" in out
    assert f"value_store_path = {repo_dir}/.redun/store" in out
    assert_same_records(backend, source)
    # Again: nothing new.
    assert run_cli("import", str(repo_dir)) == 0
    assert "Imported 0 new record(s)" in capsys.readouterr().out


def test_import_selected_executions(backend, source, repo_dir):
    executions = source.session.query(Execution).all()
    chosen = executions[0].id
    assert run_cli("import", f"sqlite:///{repo_dir}/.redun/redun.db", "--execution", chosen[:8]) == 0
    expected = {id for id in source.iter_record_ids([chosen]) if id}
    present = set(backend.has_records(all_record_ids(source)))
    assert present == expected

    backend.graph.clear()
    tag = source.session.query(Tag).filter(Tag.key == "project", Tag.is_current.is_(True)).one()
    assert run_cli("import", str(repo_dir), "--tag", f"project={tag.value}") == 0
    assert set(backend.has_records(all_record_ids(source))) == {
        id for id in source.iter_record_ids([tag.entity_id]) if id
    }


def test_interrupted_import_resumes_without_duplicates(backend, source, repo_dir, monkeypatch):
    calls = {"n": 0}
    original = Neo4jBackend.put_records

    def flaky(self, records):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, records)

    monkeypatch.setattr(Neo4jBackend, "put_records", flaky)
    assert run_cli("import", str(repo_dir), "--batch-size", "15") == 130
    partial = len(backend.has_records(all_record_ids(source)))
    assert 0 < partial < len(all_record_ids(source))
    monkeypatch.setattr(Neo4jBackend, "put_records", original)
    assert run_cli("import", str(repo_dir), "--batch-size", "15") == 0
    assert_same_records(backend, source)
    duplicates = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r.call_order AS o, r.arg_hash AS h, count(*) AS n "
        "WHERE n > 1 RETURN count(*)"
    ))[0][0]
    assert duplicates == 0


def test_bad_sources_fail_clearly(backend, tmp_path, repo_dir, capsys):
    assert run_cli("import", str(tmp_path / "nowhere")) == 1
    assert "neither a redun database URI" in capsys.readouterr().err

    assert run_cli("import", f"sqlite:///{tmp_path}/missing.db") == 1
    assert "no redun database" in capsys.readouterr().err

    text = tmp_path / "notes.db"
    text.write_text("these are not the records you are looking for\n" * 100)
    assert run_cli("import", f"sqlite:///{text}") == 1
    assert "cannot read a redun database" in capsys.readouterr().err

    sqlite3.connect(tmp_path / "empty.db").execute("CREATE TABLE t (x)").connection.close()
    assert run_cli("import", f"sqlite:///{tmp_path}/empty.db") == 1
    assert "is not a redun database" in capsys.readouterr().err

    old = tmp_path / "old.db"
    old.write_bytes((repo_dir / ".redun" / "redun.db").read_bytes())
    with sqlite3.connect(old) as conn:
        # What a redun 0.8-era database (schema 2.0) looks like.
        conn.execute("UPDATE redun_version SET version = 2")
        conn.execute("UPDATE alembic_version SET version_num = '647c510a77b1'")
    assert run_cli("import", f"sqlite:///{old}") == 1
    assert "schema version 2.0" in capsys.readouterr().err

    assert cli(["import", str(repo_dir), "--uri", "bolt://127.0.0.1:1", "-q"]) == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in capsys.readouterr().err


def _graph_nodes(backend):
    """Recorded nodes (not the schema's own bookkeeping node, which load() writes)."""
    return backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (n) WHERE n:Execution OR n:Job OR n:CallNode OR n:Value OR n:Tag OR n:Task "
        "OR n:Pending RETURN count(n)"))[0][0]


def test_damaged_sources_fail_in_one_line_writing_nothing(backend, tmp_path, repo_dir, capsys):
    original = (repo_dir / ".redun" / "redun.db").read_bytes()
    dropped = tmp_path / "dropped.db"
    dropped.write_bytes(original)
    with sqlite3.connect(dropped) as conn:
        conn.execute("DROP TABLE call_node")
    assert run_cli("import", f"sqlite:///{dropped}") == 1
    err = capsys.readouterr().err
    assert "incomplete: table(s) call_node missing; nothing was imported" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _graph_nodes(backend) == 0

    corrupt = tmp_path / "corrupt.db"
    quarter = len(original) * 3 // 4
    corrupt.write_bytes(original[:quarter] + bytes((i * 37 + 11) % 256 for i in range(len(original) - quarter)))
    assert run_cli("import", f"sqlite:///{corrupt}") == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err and ("corrupt" in err or "unreadable" in err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _graph_nodes(backend) == 0


def test_imported_executions_get_their_root_jobs_start_time(backend, neo4j_server, repo_dir, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    assert cli(["import", str(repo_dir), "--uri", neo4j_server.uri, "--user", neo4j_server.user,
                "--database", neo4j_server.database, "-q"]) == 0
    rows = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (e:Execution) OPTIONAL MATCH (e)-[:ROOT_JOB]->(j:Job) "
        "RETURN e.start_time = j.start_time AND e.start_time IS NOT NULL AS ok"))
    assert rows and all(row["ok"] for row in rows)


def test_export_to_redun(backend, source, repo_dir, tmp_path, capsys):
    assert run_cli("import", str(repo_dir)) == 0
    dest = tmp_path / "exported"
    assert run_cli("export", str(dest), "--values", "copy", "--dest-value-store", str(tmp_path / "store2"),
                   "--value-store", str(repo_dir / ".redun" / "store")) == 0
    assert "Exported" in capsys.readouterr().out
    exported = open_backend(f"sqlite:///{dest}/.redun/redun.db", str(tmp_path / "store2"))
    ids = all_record_ids(source)
    assert [canonical(r) for r in exported.get_records(ids)] == [canonical(r) for r in source.get_records(ids)]
    assert sorted(all_record_ids(exported)) == sorted(ids)
    # Blobs of value-store values came along and read back with redun.
    big = [r for r in source.get_records(ids) if r["_type"] == "Value" and r["data"] == ""]
    assert big and all(exported.get_value(r["value_hash"])[1] for r in big)
    # Export again: nothing new.
    assert run_cli("export", str(dest)) == 0
    assert "Exported 0 new record(s)" in capsys.readouterr().out


def test_import_copies_value_store_blobs(backend, source, repo_dir, tmp_path):
    store = tmp_path / "gstore"
    assert run_cli("import", str(repo_dir), "--values", "copy", "--value-store", str(store)) == 0
    big = [r["value_hash"] for r in source.get_records(all_record_ids(source))
           if r["_type"] == "Value" and r["data"] == ""]
    assert big
    for value_hash in big:
        assert (store / value_hash[:2] / value_hash[2:]).exists()


def test_imported_call_graph_serves_the_cache(backend, repo_dir):
    assert run_cli("import", str(repo_dir)) == 0
    imported = {row[0] for row in backend.graph.read_tx(lambda tx: tx.run_text("MATCH (e:Execution) RETURN e.id"))}
    scheduler = Scheduler(backend=backend)
    # (A workflow returning a Handle would re-run: redun's records carry no Handle
    # state, so neither redun nor graphbackend knows the handle is valid after a sync.)
    result = scheduler.run(
        report.options(check_valid="shallow")(str(repo_dir / "files"), ["a b c", "hello world"], 500)
    )
    assert result == {"words": 5, "rows": 500}
    executions = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (e:Execution) WHERE NOT e.id IN $imported "
        "MATCH (j:Job {execution_id: e.id}) RETURN e.id AS id, collect(j.cached) AS cached",
        imported=list(imported),
    ))
    # One new execution whose only job, the root, came from the cache: nothing executed.
    assert len(executions) == 1, executions
    assert executions[0]["cached"] == [True]


# PostgreSQL ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL cluster; skipped if it cannot start, FAILS under CI."""
    try:
        cluster = PostgresCluster.start(durable=False)
    except (PostgresUnavailable, OSError) as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI but could not start: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    yield cluster
    cluster.stop()


def test_postgres_round_trip(backend, postgres, tmp_path):
    source_uri = postgres.create_database("source")
    source = build_repo(source_uri, str(tmp_path / "store"), str(tmp_path / "files"))
    try:
        assert run_cli("import", source_uri) == 0
        assert_same_records(backend, source)
        dest_uri = postgres.create_database("dest")
        assert run_cli("export", dest_uri) == 0
        dest = open_backend(dest_uri, str(tmp_path / "store"))
        ids = all_record_ids(source)
        assert [canonical(r) for r in dest.get_records(ids)] == [canonical(r) for r in source.get_records(ids)]
        dest.session.close()
    finally:
        source.session.close()
