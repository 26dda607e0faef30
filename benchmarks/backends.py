"""The three backends under test, each able to give a fresh empty database, and
counters of their round trips.

- ``sqlite``: redun's ``RedunBackendDb`` on a new SQLite file per database.
- ``postgres``: ``RedunBackendDb`` on a new database of a throwaway PostgreSQL
  cluster (``benchmarks.postgres``) per database.
- ``neo4j``: ``Neo4jBackend`` on ``NEO4J_URI`` (else the local default server,
  started when it is not running); a fresh database is the same database emptied
  (the schema is kept).

Round trips: for the SQL backends every statement SQLAlchemy sends
(``before_cursor_execute``) and every commit; for Neo4j every transaction and
every query run inside one, counted by a tracer on the backend's public
``graph`` (``Graph.add_tracer``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from redun.backends.db import RedunBackendDb
from redun.config import create_config_section

BACKEND_NAMES = ("sqlite", "postgres", "neo4j")
#: Opt-in: the no-I/O floor (benchmarks/floor.py), the scheduler's own cost; in-process workloads only.
FLOOR = "floor"


@dataclass
class Counts:
    """Round trips so far: ``trips`` (SQL statements / Neo4j transactions), ``detail``
    (SQL commits / Neo4j queries)."""

    trips: int = 0
    detail: int = 0

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(self.trips - other.trips, self.detail - other.detail)


class BenchBackend:
    """One kind of backend: makes loaded backend instances and counts their round trips."""

    name = ""
    #: What ``Counts.trips`` and ``Counts.detail`` count, for the table.
    trips_label = ""
    detail_label = ""

    def __init__(self) -> None:
        self.counts = Counts()

    def fresh(self) -> Any:
        """A loaded backend on a new, empty database (which becomes the current one)."""
        raise NotImplementedError

    def reopen(self) -> Any:
        """A new loaded backend instance on the current database (as a new process would)."""
        raise NotImplementedError

    def close(self, backend: Any) -> None:
        """Release one backend instance."""

    def shutdown(self) -> None:
        """Release everything this kind of backend started."""

    def describe(self) -> str:
        """Where the databases are."""
        return self.name


class SqlBench(BenchBackend):
    """redun's ``RedunBackendDb`` on SQLite files or PostgreSQL databases."""

    trips_label = "statements"
    detail_label = "commits"

    def __init__(self, new_uri: Callable[[], str]) -> None:
        super().__init__()
        self._new_uri = new_uri
        self._uri: Optional[str] = None

    def _open(self, uri: str) -> RedunBackendDb:

        backend = RedunBackendDb(db_uri=uri, config=create_config_section({"automigrate": "True"}))
        backend.load(migrate=True)
        count_sql(backend, self.counts)
        return backend

    def fresh(self) -> RedunBackendDb:
        self._uri = self._new_uri()
        return self._open(self._uri)

    def reopen(self) -> RedunBackendDb:
        assert self._uri, "no current database"
        return self._open(self._uri)

    def close(self, backend: RedunBackendDb) -> None:
        if backend.session is not None:
            backend.session.close()
        if backend.engine is not None:
            backend.engine.dispose()


class SqliteBench(SqlBench):
    """``RedunBackendDb`` on a new SQLite file per database."""

    name = "sqlite"

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="graphbackend-bench-sqlite-")
        self._files = 0
        super().__init__(self._new_file)

    def _new_file(self) -> str:
        self._files += 1
        return f"sqlite:///{os.path.join(self._dir.name, f'redun_{self._files}.db')}"

    def shutdown(self) -> None:
        self._dir.cleanup()

    def describe(self) -> str:
        return f"sqlite: RedunBackendDb, a new SQLite file per database in {self._dir.name}"


class PostgresBench(SqlBench):
    """``RedunBackendDb`` on a new database of a throwaway PostgreSQL cluster."""

    name = "postgres"

    def __init__(self) -> None:
        from .postgres import PostgresCluster

        self.cluster = PostgresCluster.start()
        super().__init__(self.cluster.new_database)

    def shutdown(self) -> None:
        self.cluster.stop()

    def describe(self) -> str:
        version = os.path.basename(os.path.dirname(self.cluster.bin_dir))
        return (f"postgres: RedunBackendDb on PostgreSQL {version} (throwaway cluster on "
                f"127.0.0.1:{self.cluster.port}, default durability), a new database each time")


def count_sql(backend: RedunBackendDb, counts: Counts) -> None:
    """Count a ``RedunBackendDb``'s SQL statements (round trips) and commits into ``counts``."""
    import sqlalchemy

    def on_execute(*args, **kwargs):
        counts.trips += 1

    def on_commit(*args, **kwargs):
        counts.detail += 1

    sqlalchemy.event.listen(backend.engine, "before_cursor_execute", on_execute)
    sqlalchemy.event.listen(backend.engine, "commit", on_commit)


def neo4j_counter(counts: Counts):
    """A ``Graph`` tracer that counts transactions (round trips) and queries into ``counts``."""
    from graphbackend.backend.graph import READ_TRANSACTION, WRITE_TRANSACTION

    transactions = (READ_TRANSACTION, WRITE_TRANSACTION)

    def trace(name: str, params: Dict[str, Any], seconds: float) -> None:
        if name in transactions:
            counts.trips += 1
        else:
            counts.detail += 1

    return trace


class Neo4jBench(BenchBackend):
    """``Neo4jBackend`` on one Neo4j database, emptied for each fresh database."""

    name = "neo4j"
    trips_label = "transactions"
    detail_label = "queries"

    def __init__(self, clear: bool = False, echo: Callable[[str], None] = print) -> None:
        super().__init__()
        from graphbackend import Neo4jBackend

        self._kwargs: Dict[str, Any] = {}
        if not os.environ.get("NEO4J_URI"):
            from graphbackend.server.local import LocalServer

            server = LocalServer.at()
            if not server.is_running():
                echo(f"starting the local Neo4j server (data in {server.home}) ...")
                server.start(echo=echo)
            self._kwargs["uri"] = server.bolt_uri
        probe = Neo4jBackend(**self._kwargs)
        try:
            probe.load(migrate=True)
            self.uri = probe.settings.safe_uri
            self.database = probe.settings.database
            nodes = probe.graph.read_single("admin_count_nodes")["nodes"]
        finally:
            probe.close()
        if nodes and not clear:
            raise SystemExit(
                f"The Neo4j database {self.database!r} at {self.uri} holds {nodes} nodes. The "
                f"benchmark empties it for every measurement: pass --clear-neo4j to allow that, "
                f"or point NEO4J_URI at a server you can clear."
            )
        self._open: List[Any] = []

    def _new(self):
        from graphbackend import Neo4jBackend

        backend = Neo4jBackend(**self._kwargs)
        backend.load(migrate=True)
        backend.graph.add_tracer(neo4j_counter(self.counts))
        return backend

    def fresh(self):
        backend = self._new()
        backend.graph.clear()
        return backend

    def reopen(self):
        return self._new()

    def close(self, backend) -> None:
        backend.close()

    def describe(self) -> str:
        return f"neo4j: Neo4jBackend on {self.uri} (database {self.database!r}), emptied for each fresh database"


def make_backend(name: str, clear_neo4j: bool = False, echo: Callable[[str], None] = print) -> BenchBackend:
    """The BenchBackend called ``name`` (one of BACKEND_NAMES)."""
    if name == "sqlite":
        return SqliteBench()
    if name == "postgres":
        return PostgresBench()
    if name == "neo4j":
        return Neo4jBench(clear=clear_neo4j, echo=echo)
    if name == FLOOR:
        from .floor import FloorBench

        return FloorBench()
    raise ValueError(f"unknown backend {name!r} (choose from {', '.join(BACKEND_NAMES)})")
