"""The connection to Neo4j and the runner of named queries.

``Graph`` owns one thread-safe ``neo4j.Driver``. ``read_tx``/``write_tx`` run a unit of
work inside a *managed* transaction (``execute_read``/``execute_write``), so
the driver retries transient errors (deadlocks, leader switches, brief
unavailability) by itself. ``read``/``write`` run ONE named query in an
auto-commit transaction, one network round trip instead of a managed
transaction's three (BEGIN, RUN+PULL, COMMIT), retried the same way by
``Graph`` itself. Connection and authentication failures are turned into
graphbackend errors that name the URI and the user, never the password.

A read transaction only reads: ``Graph`` queues nothing. (The backend's
deferred job-end writes are ``job_end_writes.JobEndWrites``.)

Tracing: ``graph.add_tracer(fn)`` calls ``fn(name, params, seconds)`` after
every query (``name`` is the query's name, ``TEXT_QUERY`` for a literal
statement) and after every transaction (``name`` is ``READ_TRANSACTION`` or
``WRITE_TRANSACTION``, ``params`` is ``{"queries": n}``). The benchmarks count
round trips with it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from ..errors import GraphBackendError, Neo4jAuthError, Neo4jUnavailableError
from ..settings import ConnectionSettings, uri_password
from . import stall
from .cypher import bind, query

_logger = logging.getLogger("graphbackend")

#: The URI schemes of the Bolt protocol (the driver's); +s verifies the server's certificate,
#: +ssc accepts a self-signed one.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class RetryNoticeToDebug(logging.Filter):
    """Turn the driver's "Transaction failed and will be retried" warnings into
    debug messages of the ``graphbackend`` logger.

    Retrying a deadlock or a brief unavailability is the driver doing its job
    (within ``max_retry_time``); a user's terminal should not fill with it. A
    failure that outlasts the retries is still raised as an error.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "will be retried" in message:
            _logger.debug("neo4j driver: %s", message)
            return False
        return True


#: Installed once, on the driver's session logger (where it logs retries).
RETRY_NOTICES = RetryNoticeToDebug()
logging.getLogger("neo4j.session").addFilter(RETRY_NOTICES)

T = TypeVar("T")
#: Retries of a single auto-commit query (``Graph.read``/``write``) wait as the driver's
#: managed transactions do: 1 s, doubling, with 20% jitter, within ``max_retry_time``.
_FIRST_RETRY_DELAY = 1.0
_RETRY_JITTER = 0.2

#: A query tracer: ``fn(name, params, seconds)`` (see the module docstring).
Tracer = Callable[[str, Dict[str, Any], float], None]
#: The tracer's ``name`` for a literal statement (``Tx.run_text``).
TEXT_QUERY = "<text>"
#: The tracer's ``name`` for a whole read or write transaction.
READ_TRANSACTION = "<read transaction>"
WRITE_TRANSACTION = "<write transaction>"


class Tx:
    """A managed transaction that runs named queries."""

    __slots__ = ("_tx", "_tracers", "queries")

    def __init__(self, tx: neo4j.ManagedTransaction, tracers: Sequence[Tracer] = ()):
        self._tx = tx
        self._tracers = tracers
        #: Queries run in this transaction (attempt).
        self.queries = 0

    def run(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run query ``name`` with ``params`` and return all its records."""
        return self._traced(name, query(name), params, bind(name, params))

    def run_text(self, text: str, **params: Any) -> List[neo4j.Record]:
        """Run a literal statement (schema scripts and tests; never with values in the text)."""
        return self._traced(TEXT_QUERY, text, params, params)

    def _traced(self, name: str, text: str, params: Dict[str, Any], sent: Dict[str, Any]) -> List[neo4j.Record]:
        self.queries += 1
        if not self._tracers:
            return list(self._tx.run(text, sent))
        start = time.perf_counter()
        records = list(self._tx.run(text, sent))
        elapsed = time.perf_counter() - start
        for tracer in self._tracers:
            tracer(name, params, elapsed)
        return records


class Graph:
    """One Neo4j database, reached through the official driver."""

    def __init__(self, settings: ConnectionSettings, **driver_config: Any):
        self.settings = settings
        self._driver_config = driver_config
        self._driver: Optional[neo4j.Driver] = None
        #: The pool was discarded after an interrupted query: the next query reconnects.
        self._reopen = False
        self._lock = threading.Lock()
        self._transactions = 0
        self._tracers: List[Tracer] = []
        #: The server's keep-alive bound on a running query (``stall``), once seen.
        self._recv_timeout: Optional[int] = None
        # Causal consistency on a cluster: every session of this Graph shares one
        # bookmark manager, so each transaction starts after the last one this
        # process committed (a read on a follower waits for our own writes).
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()

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
        scheme = settings.uri.split("://", 1)[0].lower() if "://" in settings.uri else ""
        if scheme not in BOLT_SCHEMES:
            raise Neo4jUnavailableError(self._scrub(
                f"invalid Neo4j URI {settings.safe_uri!r}: graphbackend talks to Neo4j over Bolt; "
                f"use one of {', '.join(s + '://' for s in BOLT_SCHEMES)} "
                f"(e.g. bolt://127.0.0.1:7687), not {scheme + '://' if scheme else 'no scheme'}"
            ))
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

    def translate(self, error: BaseException, stalled: Optional[str] = None) -> BaseException:
        """Turn a driver connection/auth error into a graphbackend error naming the URI.

        The message names the URI (without any embedded credentials), the user
        and the database, never the password. Other errors are returned as is.
        ``stalled`` (``stall.describe``) says which bound stopped a running query.
        """
        translated = self._translate(error)
        if translated is error:
            return error
        if stalled and isinstance(translated, Neo4jUnavailableError):
            translated = Neo4jUnavailableError(
                f"Neo4j at {self.settings.safe_uri} {stalled}, then the driver retried for up to "
                f"max_retry_time {self.settings.max_retry_time:g}s: {error}"
            )
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

    @property
    def connected(self) -> bool:
        """True once the driver is open (and until ``close()``)."""
        return self._driver is not None or self._reopen

    def close(self) -> None:
        """Close the driver and its connection pool."""
        with self._lock:
            self._reopen = False
            if self._driver is not None:
                self._driver.close()
                self._driver = None

    def _failed(self, error: BaseException, silent: int) -> BaseException:
        """The error to raise for a transaction or query that failed with ``error``
        (``silent``: ``stall.SILENT_CONNECTIONS.count()`` when it began): a lost server,
        an expired session or rejected credentials become graphbackend's errors (naming
        what stalled, if anything did); an interruption (KeyboardInterrupt, SystemExit)
        first discards the connection pool (``_discard_pool``); anything else is itself."""
        if isinstance(error, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, neo4j_errors.AuthError)):
            stalled = stall.describe(stall.SILENT_CONNECTIONS.since(silent), self._recv_timeout)
            return self.translate(error, stalled)
        if not isinstance(error, Exception):
            self._discard_pool()
        return error

    def _discard_pool(self) -> None:
        """Drop every pooled connection after a query was interrupted mid-protocol
        (KeyboardInterrupt, SystemExit: Ctrl+C or SIGTERM during a query): the server
        may still hold that connection's transaction open, and the next transaction
        on it would fail ("BeginMessage cannot be handled by a session in the
        IN_TRANSACTION state"), e.g. the commit of the queued job-end writes at exit.
        The next query connects afresh; ``connected`` stays true."""
        with self._lock:
            driver, self._driver = self._driver, None
            self._reopen = self._reopen or driver is not None
        if driver is not None:
            try:
                driver.close()
            except Exception:  # pragma: no cover - best effort on a broken pool
                pass

    # Queries ---------------------------------------------------------------

    @property
    def transactions(self) -> int:
        """How many transactions (round trips to the server) this Graph has run."""
        return self._transactions

    @property
    def bookmark_manager(self) -> neo4j.BookmarkManager:
        """The bookmark manager every session of this Graph uses: a transaction
        (read or write) starts causally after every transaction this Graph committed."""
        return self._bookmarks

    def add_tracer(self, tracer: Tracer) -> None:
        """Call ``tracer(name, params, seconds)`` after every query and every transaction.

        Queries report their name (``TEXT_QUERY`` for literal statements);
        transactions report ``READ_TRANSACTION``/``WRITE_TRANSACTION`` with
        ``params={"queries": n}``. A retried transaction reports each attempt's
        queries and one transaction.
        """
        self._tracers.append(tracer)

    def remove_tracer(self, tracer: Tracer) -> None:
        """Stop calling ``tracer``."""
        self._tracers.remove(tracer)

    def _run(self, access: str, work: Callable[[Tx], T]) -> T:
        self._transactions += 1
        tracers = self._tracers
        attempts: List[Tx] = []

        def attempt(tx: neo4j.ManagedTransaction) -> T:
            runner = Tx(tx, tracers)
            attempts.append(runner)
            self._recv_timeout = stall.recv_timeout(tx) or self._recv_timeout
            return work(runner)

        silent = stall.SILENT_CONNECTIONS.count()
        start = time.perf_counter()
        try:
            with self.driver.session(database=self.settings.database,
                                     bookmark_manager=self._bookmarks) as session:
                run = session.execute_write if access == "write" else session.execute_read
                return run(attempt)
        except BaseException as error:
            failure = self._failed(error, silent)
            if failure is error:
                raise
            raise failure from error
        finally:
            if tracers:
                elapsed = time.perf_counter() - start
                name = WRITE_TRANSACTION if access == "write" else READ_TRANSACTION
                queries = sum(runner.queries for runner in attempts)
                for tracer in list(tracers):
                    tracer(name, {"queries": queries}, elapsed)

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one read transaction (it only reads)."""
        return self._run("read", work)

    def write_tx(self, work: Callable[[Tx], T]) -> T:
        """Run ``work(tx)`` in one write transaction: its facts appear together or not at all.

        ``work`` may be called again when the driver retries a transient error,
        so it must only run queries (no side effects outside the transaction).
        """
        return self._run("write", work)

    def read(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run the named read query in its own (auto-commit) transaction: one round trip."""
        return self._run_one("read", name, params)

    def write(self, name: str, **params: Any) -> List[neo4j.Record]:
        """Run the named write query in its own (auto-commit) transaction: one round trip.

        Like a managed transaction it is retried on a transient error (a deadlock, a
        lost connection) for up to ``max_retry_time``, so the query must be idempotent
        (MERGE, SET, a DELETE of what matches): if the connection dies after the server
        committed, it runs again. Every graphbackend write query is.
        """
        return self._run_one("write", name, params)

    def _run_one(self, access: str, name: str, params: Dict[str, Any]) -> List[neo4j.Record]:
        """One query in an auto-commit transaction (RUN and PULL pipelined: one round
        trip, where a managed transaction takes three: BEGIN, RUN+PULL, COMMIT),
        retried as the driver retries managed transactions."""
        self._transactions += 1
        text = query(name)
        mode = neo4j.WRITE_ACCESS if access == "write" else neo4j.READ_ACCESS
        deadline = time.monotonic() + self.settings.max_retry_time
        delay = _FIRST_RETRY_DELAY
        attempts = 0
        silent = stall.SILENT_CONNECTIONS.count()
        start = time.perf_counter()
        try:
            while True:
                attempts += 1
                try:
                    with self.driver.session(database=self.settings.database, default_access_mode=mode,
                                             bookmark_manager=self._bookmarks) as session:
                        result = session.run(text, bind(name, params))
                        self._recv_timeout = stall.recv_timeout(session) or self._recv_timeout
                        records = list(result)
                    break
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as error:
                    if not error.is_retryable() or time.monotonic() + delay > deadline:
                        raise
                    _logger.debug("query %s failed and will be retried in %.1fs: %s", name, delay, error)
                    time.sleep(delay * random.uniform(1 - _RETRY_JITTER, 1 + _RETRY_JITTER))
                    delay *= 2
        except BaseException as error:
            failure = self._failed(error, silent)
            if failure is error:
                raise
            raise failure from error
        finally:
            if self._tracers:
                elapsed = time.perf_counter() - start
                for tracer in list(self._tracers):
                    tracer(name, params, elapsed)
                    tracer(WRITE_TRANSACTION if access == "write" else READ_TRANSACTION,
                           {"queries": attempts}, elapsed)
        return records

    def read_one(self, name: str, **params: Any) -> Optional[neo4j.Record]:
        """Run the named read query and return its first record, or None."""
        records = self.read(name, **params)
        return records[0] if records else None

    def read_single(self, name: str, **params: Any) -> neo4j.Record:
        """Run a named read query that always returns exactly one row (an aggregate)."""
        return single(self.read(name, **params), name)

    def clear(self) -> None:
        """Delete every node and relationship (tests and tools only; keeps the schema)."""
        while True:
            records = self.write("admin_delete_batch", limit=10000)
            if not records or records[0]["deleted"] == 0:
                break


def single(records: List[neo4j.Record], name: str) -> neo4j.Record:
    """The one record of an aggregate query (``RETURN count(...)``, ``collect(...)``)."""
    if len(records) != 1:
        raise GraphBackendError(f"query {name!r} returned {len(records)} rows, expected exactly one")
    return records[0]
