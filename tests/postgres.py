"""A throwaway PostgreSQL cluster on loopback, for tests of PostgreSQL-backed
redun databases.

Uses Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``): ``initdb``
into a temporary directory and ``pg_ctl`` to start it on a free port, run as an
unprivileged user (``postgres`` or ``nobody``) when the tests run as root. The
cluster's time zone is UTC, as redun's timestamps are.

``start_postgres()`` returns a ``PostgresCluster`` or raises ``PostgresUnavailable``
saying why; the test module turns that into a skip, or a failure when ``CI`` is set.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started here."""


@dataclass
class PostgresCluster:
    """A running cluster; ``uri(dbname)`` names a database in it."""

    bin_dir: str
    data_dir: str
    port: int
    user: str
    run_as: str

    def uri(self, dbname: str) -> str:
        """A SQLAlchemy URI for ``dbname`` on this cluster."""
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, dbname: str) -> str:
        """Create a database and return its URI."""
        self._run([os.path.join(self.bin_dir, "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", self.user, dbname])
        return self.uri(dbname)

    def stop(self) -> None:
        """Stop the cluster and delete its files."""
        try:
            self._run([os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data_dir, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(os.path.dirname(self.data_dir), ignore_errors=True)

    def _run(self, command):
        return _run(command, self.run_as)


def _run(command, run_as):
    if run_as:
        command = ["runuser", "-u", run_as, "--"] + command
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise PostgresUnavailable(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres() -> PostgresCluster:
    """initdb + pg_ctl start a new cluster; raise PostgresUnavailable with the reason."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        raise PostgresUnavailable("no PostgreSQL server (apt-get install postgresql)")
    bin_dir = os.path.dirname(bins[-1])
    run_as = ""
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                run_as = name
                break
            except KeyError:
                continue
        else:
            raise PostgresUnavailable("running as root and no unprivileged user to run PostgreSQL")
    root = tempfile.mkdtemp(prefix="graphbackend-pg-")
    data_dir = os.path.join(root, "data")
    if run_as:
        os.chmod(root, 0o755)
        shutil.chown(root, user=run_as)
    user = "redun"
    _run([os.path.join(bin_dir, "initdb"), "-D", data_dir, "-U", user, "-A", "trust",
          "--no-sync", "-E", "UTF8", "--locale=C"], run_as)
    port = _free_port()
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
               f"-c timezone=UTC -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    _run([os.path.join(bin_dir, "pg_ctl"), "-D", data_dir, "-o", options,
          "-l", os.path.join(root, "log"), "-w", "-t", "60", "start"], run_as)
    return PostgresCluster(bin_dir=bin_dir, data_dir=data_dir, port=port, user=user, run_as=run_as)
