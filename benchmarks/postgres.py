"""A throwaway PostgreSQL cluster on loopback, for the benchmark and the tests.

Uses Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``): ``initdb``
into a temporary directory, ``pg_ctl`` to start it on a free port, run as an
unprivileged user (``postgres``, else ``nobody``) when the benchmark runs as
root, and stopped and deleted by ``stop()``. For the benchmark the server keeps
PostgreSQL's default durability (``fsync``, ``synchronous_commit``), as Neo4j
and SQLite keep theirs, so no backend is measured without its commit flushes;
the tests (``tests/test_import_export.py``) start it with ``durable=False``.
The cluster's time zone is UTC, as redun's timestamps are.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import List


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started here (the message says why)."""


def _run(command: List[str], run_as: str) -> subprocess.CompletedProcess:
    if run_as:
        command = ["runuser", "-u", run_as, "--"] + command
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}"
        )
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_bin_dir() -> str:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with ``initdb``."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(path.split("/")[-3]) if path.split("/")[-3].isdigit() else 0,
    )
    if not found:
        raise PostgresUnavailable(
            "no PostgreSQL server found in /usr/lib/postgresql/*/bin "
            "(install Debian's package: apt-get install postgresql)"
        )
    return os.path.dirname(found[-1])


@dataclass
class PostgresCluster:
    """A running throwaway cluster (user ``redun``, trust auth on 127.0.0.1)."""

    bin_dir: str
    root: str
    port: int
    run_as: str
    user: str = "redun"
    _databases: int = field(default=0, repr=False)

    @property
    def data_dir(self) -> str:
        """The cluster's data directory."""
        return os.path.join(self.root, "data")

    @classmethod
    def start(cls, durable: bool = True) -> "PostgresCluster":
        """initdb + pg_ctl start a new cluster on a free loopback port.

        ``durable=True`` keeps PostgreSQL's default durability (the benchmark
        compares backends as users run them); tests pass ``False`` (no fsync).
        """
        bin_dir = find_bin_dir()
        run_as = ""
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                run_as = name
                break
            else:
                raise PostgresUnavailable("running as root and no unprivileged user (postgres, nobody)")
        root = tempfile.mkdtemp(prefix="graphbackend-bench-pg-")
        if run_as:
            os.chmod(root, 0o755)
            shutil.chown(root, user=run_as)
        cluster = cls(bin_dir=bin_dir, root=root, port=_free_port(), run_as=run_as)
        try:
            _run([os.path.join(bin_dir, "initdb"), "-D", cluster.data_dir, "-U", cluster.user,
                  "-A", "trust", "-E", "UTF8", "--locale=C"] + ([] if durable else ["--no-sync"]), run_as)
            options = (f"-c listen_addresses=127.0.0.1 -c port={cluster.port} "
                       f"-c unix_socket_directories={root} -c timezone=UTC")
            if not durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            _run([os.path.join(bin_dir, "pg_ctl"), "-D", cluster.data_dir, "-o", options,
                  "-l", os.path.join(root, "log"), "-w", "-t", "120", "start"], run_as)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return cluster

    def uri(self, dbname: str) -> str:
        """A SQLAlchemy URI for database ``dbname`` of this cluster."""
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "bench") -> str:
        """Create a new empty database with a numbered name and return its URI."""
        self._databases += 1
        return self.create_database(f"{prefix}_{self._databases}")

    def create_database(self, name: str) -> str:
        """Create the empty database ``name`` and return its URI."""
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.uri(name)

    def stop(self) -> None:
        """Stop the cluster and delete its files."""
        try:
            _run([os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data_dir, "-m", "fast", "-w", "stop"],
                 self.run_as)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
