"""A peer that accepts TCP and never answers fails within the connection timeout.

Not a fake Neo4j: a hostile peer (a plain socket that accepts and stays silent), as a frozen
server or a wrong port forwarding looks to the driver. It used to take 60 s whatever
NEO4J_CONNECTION_TIMEOUT said, and the message named the wrong limit.
"""

from __future__ import annotations

import socket
import threading

import pytest

from graphbackend import Neo4jBackend, Neo4jUnavailableError


@pytest.fixture
def silent_port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def accept():
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for conn in accepted:
        conn.close()


def test_a_silent_server_fails_naming_the_connection_timeout(silent_port):
    backend = Neo4jBackend(uri=f"bolt://127.0.0.1:{silent_port}", password="x",
                           environ={"NEO4J_CONNECTION_TIMEOUT": "2"})
    with pytest.raises(Neo4jUnavailableError) as info:
        backend.load()
    message = str(info.value)
    assert "connection timeout 2s" in message
    # The driver's own deadline is the connection timeout, not its 60 s default.
    assert "Deadline(timeout=2.0)" in message
