"""``graphbackend export`` arguments: ``--execution`` takes unique prefixes, and a
DEST ending in ``.db`` is the SQLite file to write (not a directory)."""

import sqlite3

from redun import task

from graphbackend.cli import main as cli

redun_namespace = "graphbackend.tests.export_args"


@task()
def square(x: int) -> int:
    return x * x


def export(neo4j_server, *argv):
    return cli(["export", *argv, "--uri", neo4j_server.uri, "-q"])


def test_export_prefix_into_a_db_file(scheduler, backend, neo4j_server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    scheduler.run(square(3))
    scheduler.run(square(4))
    ids = [row["id"] for row in backend.graph.read_tx(
        lambda tx: tx.run_text("MATCH (e:Execution) RETURN e.id AS id ORDER BY e.start_time"))]
    assert len(ids) == 2

    out = tmp_path / "out.db"
    assert export(neo4j_server, str(out), "--execution", ids[1][:8]) == 0
    assert out.is_file()  # an SQLite file, not a folder out.db/.redun/redun.db
    with sqlite3.connect(out) as db:
        assert [row[0] for row in db.execute("SELECT id FROM execution")] == [ids[1]]
        assert db.execute("SELECT count(*) FROM job").fetchone()[0] == 1

    # Other endings keep their meaning: a directory gets a .redun/ repository.
    folder = tmp_path / "repo"
    assert export(neo4j_server, str(folder), "--execution", ids[0]) == 0
    assert (folder / ".redun" / "redun.db").is_file()

    # An unknown or ambiguous prefix is one line naming it; nothing is written.
    capsys.readouterr()
    missing = tmp_path / "missing.db"
    assert export(neo4j_server, str(missing), "--execution", "ffffffff") == 1
    err = capsys.readouterr().err.strip()
    assert err == "graphbackend: error: no execution has an id starting with 'ffffffff'"
    assert not missing.exists()
