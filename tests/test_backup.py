"""Backup and restore of the local server (``graphbackend server dump|load``, issue 14 item 7).

A real redun workflow is recorded into one local server; its database is dumped,
loaded into a second home, and the restored graph must be the same graph (counts
per label and relationship type, a checksum over every node's and relationship's
content, the schema), with Evaluations and SUBTREE_TASK edges (which a logical
export drops), and a rerun of the workflow on it must execute nothing. ``load``
refuses to replace a database without ``--force`` and ``--dry-run`` changes
nothing: both are checked byte for byte on the store files.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import neo4j
import pytest
from redun import Scheduler, task

from graphbackend import Neo4jBackend
from graphbackend.server.local import LocalServer, free_port

PASSWORD = "backup-test-password"
EXECUTED = []


@task(namespace="backup_test")
def square(x: int) -> int:
    EXECUTED.append(("square", x))
    return x * x


@task(namespace="backup_test")
def total(values: list) -> int:
    EXECUTED.append(("total", len(values)))
    return sum(values)


@task(namespace="backup_test")
def main(n: int) -> int:
    EXECUTED.append(("main", n))
    return total([square(i) for i in range(n)])


def _cli(*args):
    env = {key: value for key, value in os.environ.items() if key not in ("NEO4J_PASSWORD", "NEO4J_URI")}
    return subprocess.run([sys.executable, "-m", "graphbackend.cli", *args],
                          capture_output=True, text=True, env=env, timeout=600)


def _server(home: Path) -> LocalServer:
    return LocalServer(home=home, bolt_port=free_port(), http_port=free_port(), password=PASSWORD,
                       heap="512m", page_cache="64m")


def _run_workflow(server: LocalServer) -> list:
    """Run the workflow against the server; the task bodies that executed."""
    EXECUTED.clear()
    backend = Neo4jBackend(uri=server.bolt_uri, password=PASSWORD, environ={})
    try:
        scheduler = Scheduler(backend=backend)
        scheduler.load()
        assert scheduler.run(main(6), execution_id=str(uuid.uuid4())) == sum(i * i for i in range(6))
    finally:
        backend.close()
    return list(EXECUTED)


def fingerprint(server: LocalServer):
    """(counts per label and relationship type, a content checksum of the whole graph and its schema)."""
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=("neo4j", PASSWORD)) as driver:
        nodes, _, _ = driver.execute_query("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props")
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b")
        constraints, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *")
        indexes, _, _ = driver.execute_query(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state RETURN *")

    def digest(value) -> str:
        return hashlib.sha256(repr(value).encode()).hexdigest()

    node_key = {row["id"]: digest((sorted(row["labels"]), sorted(row["props"].items()))) for row in nodes}
    rel_keys = sorted(digest((node_key[row["a"]], row["type"], sorted(row["props"].items()), node_key[row["b"]]))
                      for row in rels)
    schema = (sorted(repr(sorted(row.items())) for row in constraints),
              sorted(repr(sorted(row.items())) for row in indexes))
    counts = Counter()
    for row in nodes:
        counts.update(f":{label}" for label in row["labels"])
    counts.update(f"-{row['type']}-" for row in rels)
    counts["nodes"], counts["relationships"] = len(nodes), len(rels)
    return dict(counts), digest((sorted(node_key.values()), rel_keys, schema))


def _store_digest(home: Path) -> str:
    """A checksum of the neo4j database's store files and transaction logs, byte for byte."""
    sha = hashlib.sha256()
    for root in (home / "data" / "databases" / "neo4j", home / "data" / "transactions" / "neo4j"):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            sha.update(str(path.relative_to(home)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A running server with the workflow recorded once."""
    server = _server(tmp_path_factory.mktemp("backup-source") / "home").start()
    try:
        executed = _run_workflow(server)
        assert ("main", 6) in executed and len(executed) == 8
        yield server
    finally:
        server.stop()


def test_dump_refuses_a_running_server(source, tmp_path):
    result = _cli("server", "dump", "--home", str(source.home), "--to", str(tmp_path / "x.dump"))
    assert result.returncode == 1
    assert "is running" in result.stderr and "server stop" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.dump").exists()


def test_load_of_a_missing_file_is_a_clear_error(tmp_path):
    result = _cli("server", "load", str(tmp_path / "nothing.dump"), "--home", str(tmp_path / "home"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_dump_and_load_round_trip(source, tmp_path_factory):
    before_counts, before_checksum = fingerprint(source)
    # what a logical export would drop must be in the dump
    assert before_counts[":Evaluation"] > 0 and before_counts["-SUBTREE_TASK-"] > 0
    source.stop()

    folder = tmp_path_factory.mktemp("dumps")
    target = folder / "backup.dump"
    started = time.monotonic()
    result = _cli("server", "dump", "--home", str(source.home), "--to", str(target))
    dump_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert target.is_file() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["backup.dump"]  # no temporary leftovers
    again = _cli("server", "dump", "--home", str(source.home), "--to", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr

    # restore into a new home (never started: no database to replace, no --force needed)
    restored_home = tmp_path_factory.mktemp("backup-restored") / "home"
    started = time.monotonic()
    result = _cli("server", "load", str(target), "--home", str(restored_home))
    load_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    print(f"\ndump {target.stat().st_size:,} bytes of {before_counts['nodes']} nodes, "
          f"{before_counts['relationships']} relationships: dump {dump_seconds:.1f}s, load {load_seconds:.1f}s (CLI)")

    restored = _server(restored_home).start()
    try:
        assert fingerprint(restored) == (before_counts, before_checksum)
        # the restored graph serves redun's cache: the rerun executes no task body
        assert _run_workflow(restored) == []
        after_rerun = fingerprint(restored)
    finally:
        restored.stop()
    assert after_rerun[1] != before_checksum  # the rerun recorded a new execution

    # load over the existing database: refused without --force, nothing changed
    untouched = _store_digest(restored_home)
    refused = _cli("server", "load", str(target), "--home", str(restored_home))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr and "Traceback" not in refused.stderr
    dry = _cli("server", "load", str(target), "--home", str(restored_home), "--force", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run, nothing changed" in dry.stdout and "replace the existing database" in dry.stdout
    assert _store_digest(restored_home) == untouched
    assert not (restored_home / "dumps").exists()

    # --force replaces it, keeping a dump of what it replaced, and keeps the system database
    forced = _cli("server", "load", str(target), "--home", str(restored_home), "--force")
    assert forced.returncode == 0, forced.stderr
    kept = list((restored_home / "dumps").glob("neo4j-before-load-*.dump"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0 and str(kept[0]) in forced.stdout
    restored = _server(restored_home).start()  # the password of the restored home still works
    try:
        assert fingerprint(restored) == (before_counts, before_checksum)
    finally:
        restored.stop()


def test_load_refuses_a_file_that_is_not_a_dump(tmp_path):
    bad = tmp_path / "bad.dump"
    bad.write_bytes(b"not a dump at all")
    home = tmp_path / "home"
    result = _cli("server", "load", str(bad), "--home", str(home))
    assert result.returncode == 1
    assert "is not a readable Neo4j dump" in result.stderr and "Traceback" not in result.stderr
    assert not (home / "data" / "databases" / "neo4j").exists()
