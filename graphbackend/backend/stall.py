"""A running query on a server that stopped answering: which bound applied.

Connecting is bounded by ``connection_timeout``. A query already sent is
bounded on the client by the socket timeouts of its connection:

- reading the reply: the server's Bolt keep-alive hint
  ``connection.recv_timeout_seconds``, which the Python driver makes the
  connection's read timeout. Neo4j sends it when
  ``server.bolt.connection_keep_alive_for_requests=ALL`` (its value is
  ``connection_keep_alive`` x ``connection_keep_alive_probes``), and then sends
  NOOP chunks while it works on a request, so long honest queries are not cut.
  graphbackend's local server sets it (``LocalServer.bolt_keep_alive``); on
  other servers without it, nothing bounds the wait on the client (a live
  server's ``db.transaction.timeout`` does; a frozen one enforces nothing);
- sending the query: the driver's ``connection_write_timeout`` (30 s by default).

When such a timeout fires, the driver marks the connection defunct, logs it
(``neo4j.io``, ERROR) and retries the transaction on a new connection within
``max_retry_time``; what it finally raises is the last attempt's error
(typically a connection that could not be opened), which says nothing of the
stall. So :data:`SILENT_CONNECTIONS`, a filter on the driver's ``neo4j.io``
logger, notes per thread the connections whose socket timed out (and sends that
log line to graphbackend's debug log instead: the error graphbackend raises
names it), and ``Graph`` asks :func:`describe` which bound applied.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Optional

_logger = logging.getLogger("graphbackend")

#: The Bolt connection hint the server sends with its keep-alive (seconds).
RECV_TIMEOUT_HINT = "connection.recv_timeout_seconds"
#: The driver's default ``connection_write_timeout`` (graphbackend leaves it as is).
WRITE_TIMEOUT = 30.0


def recv_timeout(tx: Any) -> Optional[int]:
    """The keep-alive hint of the connection a driver transaction runs on, or None.

    Read from the driver's connection (``connection_hints``), defensively: the
    driver has no public accessor for it.
    """
    hints = getattr(getattr(tx, "_connection", None), "connection_hints", None)
    value = hints.get(RECV_TIMEOUT_HINT) if isinstance(hints, dict) else None
    return value if isinstance(value, int) and value > 0 else None


class SilentConnections(logging.Filter):
    """Counts, per thread, the driver connections whose socket read or write timed out."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) == 3 and isinstance(args[2], TimeoutError) and "<CONNECTION> error" in str(record.msg):
            kind = "write" if "write" in str(args[1]).lower() else "read"
            self._local.count = self.count() + 1
            self._local.kind = kind
            _logger.debug("neo4j driver: %s", record.getMessage())
            return False
        return True

    def count(self) -> int:
        """How many connections of this thread went silent so far."""
        return getattr(self._local, "count", 0)

    def since(self, count: int) -> Optional[str]:
        """``"read"`` or ``"write"`` when a connection of this thread timed out since ``count``."""
        return getattr(self._local, "kind", None) if self.count() > count else None


#: Installed once, on the driver's connection logger.
SILENT_CONNECTIONS = SilentConnections()
logging.getLogger("neo4j.io").addFilter(SILENT_CONNECTIONS)


def describe(kind: Optional[str], recv_seconds: Optional[int]) -> Optional[str]:
    """What stopped a running query, naming the bound (``kind`` from ``since``), or None."""
    if kind == "write":
        return f"did not take a query within the driver's connection_write_timeout ({WRITE_TIMEOUT:g}s)"
    if kind == "read":
        bound = f"{recv_seconds}s" if recv_seconds else "the time it announced"
        return (
            f"stopped answering a running query: nothing received for {bound} (the server's "
            f"Bolt keep-alive bound, {RECV_TIMEOUT_HINT}; graphbackend's local server sets it to "
            f"3 x its bolt keep-alive)"
        )
    return None

