"""Smoke test of the benchmark command (``python -m benchmarks.run``) at tiny sizes.

It checks that the command runs every workload on every backend and prints the
table; it asserts nothing about timings. PostgreSQL is included when Debian's
server and psycopg2 (the ``bench`` extra) are installed; on CI a missing
PostgreSQL server is a failure.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKLOADS = ("fanout", "fanout_cached", "chain", "chain_shallow",
             "records", "records_iter_ids", "records_get", "subtree", "small")


def _have_psycopg2() -> bool:
    try:
        import psycopg2  # noqa: F401  (the bench extra)
    except ImportError:
        return False
    return True


def _postgres_installed() -> bool:
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.postgres import PostgresUnavailable, find_bin_dir

        try:
            find_bin_dir()
            return True
        except PostgresUnavailable:
            return False
    finally:
        sys.path.remove(str(REPO))


def _server_env(neo4j_server) -> dict:
    """The environment that points a benchmark at the test server (never the default one)."""
    return dict(os.environ, NEO4J_URI=neo4j_server.uri, NEO4J_USERNAME=neo4j_server.user,
                NEO4J_PASSWORD=neo4j_server.password or "", NEO4J_DATABASE=neo4j_server.database)


def test_benchmark_command_prints_the_table(neo4j_server, tmp_path):
    backends = ["sqlite", "neo4j"]
    if not _postgres_installed():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
    elif _have_psycopg2():
        backends.insert(1, "postgres")
    env = _server_env(neo4j_server)
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--repeat", "1",
         "--fanout", "3", "--depth", "2", "--records", "20", "--subtree", "4",
         "--backends", ",".join(backends), "--clear-neo4j", "--json", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    rows = {line.split()[0]: line for line in lines if line.split() and line.split()[0] in WORKLOADS}
    assert set(rows) == set(WORKLOADS), result.stdout
    for name in backends:
        assert f"{name} s" in result.stdout
    if "postgres" in backends:
        assert "neo4j/postgres" in result.stdout
    assert "neo4j/sqlite" in result.stdout
    assert "records_get" in rows and "per call" in rows["records_get"]
    assert out.exists()


def test_read_ahead_benchmark_prints_the_three_variants(neo4j_server, backend):
    """``benchmarks.read_ahead`` at a tiny size: the floor, the default and
    ``cache_read_ahead=0``, with Neo4j's queries per job (the read-ahead's
    cache checks are far fewer than one per job)."""
    env = _server_env(neo4j_server)
    result = subprocess.run([sys.executable, "-m", "benchmarks.read_ahead", "--fanout", "20", "--repeat", "2"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {line.split("  ")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("  ")}
    assert set(rows) == {"floor", "read-ahead", "no read-ahead"}, result.stdout
    per_job = {name: float(rows[name].split("cache_check ")[1].split(",")[0].split()[0]) for name in
               ("read-ahead", "no read-ahead")}
    assert per_job["no read-ahead"] == 1.0 and per_job["read-ahead"] < 0.1, result.stdout
