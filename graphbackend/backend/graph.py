"""The connection to Neo4j and the runner of named queries.

``Graph`` owns one thread-safe ``neo4j.Driver``. Each call runs inside a
*managed* transaction (``execute_read``/``execute_write``), so the driver
retries transient errors (deadlocks, leader switches, brief unavailability)
by itself. Connection and authentication failures are turned into
graphbackend errors that name the URI and the user, never the password.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from .cypher import query
from ..errors import Neo4jAuthError, Neo4jUnavailableError
from ..settings import ConnectionSettings, uri_password

T = TypeVar("T")


class Tx:
    """A managed transaction that runs named queries."""

    __slots__ = ("_tx",)

    def __init__(self, tx: neo4j.ManagedTransaction):
        self._tx = tx

    def run(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run query ``name`` with ``params`` and return all its records."""
        return list(self._tx.run(query(name), params))

    def run_text(self, text: str, **params: Any) -> List[neo4j.Record]:
        """Run a literal statement (schema scripts only; never with values in the text)."""
        return list(self._tx.run(text, params))


class Graph:
    """One Neo4j database, reached through the official driver."""

    def __init__(self, settings: ConnectionSettings, **driver_config: Any):
        self.settings = settings
        self._driver_config = driver_config
        self._driver: Optional[neo4j.Driver] = None
        self._lock = threading.Lock()
        self._transactions = 0
        # Deferred writes: (work, after) run at the start of the next transaction.
        self._deferred: List[Tuple[Callable[["Tx"], Any], Optional[Callable[[], None]]]] = []
        self._deferred_lock = threading.Lock()
        self._exit_hook = False

    # Connection -----------------------------------------------------------

    @property
    def driver(self) -> neo4j.Driver:
        """The driver, connecting (and verifying the connection) on first use."""
        if self._driver is None:
            with self._lock:
                if self._driver is None:
                    self._driver = self._connect()
        return self._driver

    def _connect(self) -> neo4j.Driver:
        settings = self.settings
        config = {**settings.driver_config(), **self._driver_config}
        try:
            driver = neo4j.GraphDatabase.driver(settings.uri, auth=settings.auth, **config)
        except (ValueError, TypeError, neo4j_errors.ConfigurationError) as error:
            raise Neo4jUnavailableError(
                self._scrub(f"invalid Neo4j URI {settings.safe_uri!r}: {error}")
            ) from None
        try:
            # One attempt, no retries: an unreachable server fails within the
            # connection timeout. Running a statement also checks the database.
            with driver.session(database=settings.database) as session:
                session.run("RETURN 1").consume()
        except BaseException as error:
            driver.close()
            if isinstance(error, ValueError):
                # The driver parses the address only when it connects (e.g. a bad port).
                raise Neo4jUnavailableError(
                    self._scrub(f"invalid Neo4j URI {settings.safe_uri!r}: {error}")
                ) from None
            raise self.translate(error) from None
        return driver

    def translate(self, error: BaseException) -> BaseException:
        """Turn a driver connection/auth error into a graphbackend error naming the URI.

        The message names the URI (without any embedded credentials), the user
        and the database, never the password. Other errors are returned as is.
        """
        translated = self._translate(error)
        if translated is error:
            return error
        return type(translated)(self._scrub(str(translated)))

    def _scrub(self, message: str) -> str:
        """The message without the raw URI's credentials or the password."""
        settings = self.settings
        message = message.replace(settings.uri, settings.safe_uri)
        secret = uri_password(settings.uri)
        if secret:
            message = message.replace(secret, "***")
        return message

    def _translate(self, error: BaseException) -> BaseException:
        settings = self.settings
        uri = settings.safe_uri
        if isinstance(error, neo4j_errors.AuthError):
            return Neo4jAuthError(
                f"Neo4j at {uri} rejected the credentials of user "
                f"{settings.user!r} (set NEO4J_USERNAME / NEO4J_PASSWORD): {error.message}"
            )
        if isinstance(error, neo4j_errors.ClientError) and error.code and (
            "DatabaseNotFound" in error.code
        ):
            return Neo4jUnavailableError(
                f"Neo4j at {uri} has no database {settings.database!r} "
                f"(set neo4j_database / NEO4J_DATABASE): {error.message}"
            )
        if isinstance(
            error,
            (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError),
        ):
            return Neo4jUnavailableError(
                f"cannot reach Neo4j at {uri} (database {settings.database!r}, "
                f"connection timeout {settings.connection_timeout:g}s): {error}. "
                f"Is the server running? Start the local one with "
                f"`graphbackend server start`."
            )
        return error

    def close(self) -> None:
        """Commit the deferred writes, then close the driver and its connection pool."""
        try:
            if self._deferred and self._driver is not None:
                self.flush()
        finally:
            self._close_driver()

    def _close_driver(self) -> None:
        with self._lock:
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    # Queries ---------------------------------------------------------------

    @property
    def transactions(self) -> int:
        """How many transactions (round trips to the server) this Graph has run."""
        return self._transactions

    def defer_write(self, work: Callable[[Tx], Any], after: Optional[Callable[[], None]] = None) -> None:
        """Queue ``work(tx)`` to run first in this Graph's next transaction, whatever it is.

        The next ``read_tx``/``write_tx`` (from any thread) runs the queued works,
        in order, and then its own work in ONE write transaction, so every later
        read of this process sees them; ``after()`` runs once they committed.
        ``flush()`` and ``close()`` commit them at once. If that transaction fails,
        the queued works are committed alone before the error is raised. A
        process that exits with writes still queued commits them at exit.
        """
        with self._deferred_lock:
            self._deferred.append((work, after))
            if not self._exit_hook:
                atexit.register(_flush_at_exit, weakref.ref(self))
                self._exit_hook = True

    def flush(self) -> None:
        """Commit the deferred writes now (one transaction; nothing when none is queued)."""
        if self._deferred:
            self._execute("write", lambda tx: None)

    def _execute(self, access: str, work: Callable[[Tx], T]) -> T:
        if not self._deferred:
            return self._run(access, work)
        with self._deferred_lock:
            deferred, self._deferred = self._deferred, []
        if not deferred:
            return self._run(access, work)

        def run_deferred(tx: Tx) -> None:
            for queued, _ in deferred:
                queued(tx)

        def combined(tx: Tx) -> T:
            run_deferred(tx)
            return work(tx)

        try:
            result = self._run("write", combined)
        except BaseException:
            # The caller's work failed (or the queued writes did): do not lose the
            # queued writes to a failure of the caller's own work.
            self._run("write", run_deferred)
            self._after(deferred)
            raise
        self._after(deferred)
        return result

    @staticmethod
    def _after(deferred) -> None:
        for _, after in deferred:
            if after is not None:
                after()

    def _run(self, access: str, work: Callable[[Tx], T]) -> T:
        self._transactions += 1
        try:
            with self.driver.session(database=self.settings.database) as session:
                run = session.execute_write if access == "write" else session.execute_read
                return run(lambda tx: work(Tx(tx)))
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, neo4j_errors.AuthError) as error:
            raise self.translate(error) from error

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one read transaction."""
        return self._execute("read", work)

    def write_tx(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one write transaction: its facts appear together or not at all.

        ``work`` may be called again when the driver retries a transient error,
        so it must only run queries (no side effects outside the transaction).
        """
        return self._execute("write", work)

    def read(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run the named read query in its own transaction."""
        return self.read_tx(lambda tx: tx.run(name, **params))

    def write(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run the named write query in its own transaction."""
        return self.write_tx(lambda tx: tx.run(name, **params))

    def read_one(self, name: str, **params: Any) -> Optional[neo4j.Record]:
        """Run the named read query and return its first record, or None."""
        records = self.read(name, **params)
        return records[0] if records else None

    def clear(self) -> None:
        """Delete every node and relationship (tests and tools only; keeps the schema)."""
        while True:
            records = self.write("admin_delete_batch", limit=10000)
            if not records or records[0]["deleted"] == 0:
                break


def as_dict(record: Optional[neo4j.Record]) -> Optional[Dict[str, Any]]:
    """A record as a plain dict (None stays None)."""
    return None if record is None else record.data()


def _flush_at_exit(graph_ref: "weakref.ref[Graph]") -> None:
    """atexit: commit a Graph's deferred writes if the process ends with some queued."""
    graph = graph_ref()
    if graph is None or not graph._deferred or graph._driver is None:
        return
    try:
        graph.flush()
    except Exception as error:  # pragma: no cover - best effort at interpreter exit
        logging.getLogger("graphbackend").error("could not commit deferred writes at exit: %s", error)
