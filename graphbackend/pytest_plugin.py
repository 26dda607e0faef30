"""pytest plugin: a real Neo4j server for tests.

Installed with graphbackend (entry point ``pytest11``), so downstream projects
get the fixtures too:

- ``neo4j_server`` (session): where the server is, as :class:`Neo4jServerInfo`.
  Chosen in this order: ``NEO4J_URI`` (with ``NEO4J_USERNAME``,
  ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) if set; else a testcontainers Neo4j
  (image :data:`NEO4J_IMAGE`) when a Docker daemon answers; else graphbackend's
  local launcher on free loopback ports with a throwaway data folder. There is
  no silent skip: if no server can be had, every test that needs one errors
  with the reason. A database from ``NEO4J_URI`` is used only when it is empty
  or carries the plugin's test marker (:func:`check_test_database`); anything
  else stops the test run untouched, since tests empty their database. For the
  session, the chosen server is also exported as ``NEO4J_URI``,
  ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``, so a command
  line or subprocess a test forgets to point elsewhere reaches the test server,
  never the default local one.
- ``neo4j_env`` (function): the ``NEO4J_*`` environment pointing at that server,
  for CLI commands and subprocesses a test runs.
- ``neo4j_empty`` (function): the server's database emptied (schema kept),
  as a ``graphbackend.backend.graph.Graph``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional

import pytest

#: The Docker image used when a Docker daemon answers (same version as the launcher's jars).
NEO4J_IMAGE = "neo4j:5.26.30-community"
TEST_PASSWORD = "graphbackend-test"
#: The name of the index that marks a database as graphbackend's test database.
TEST_MARKER = "graphbackend_test_marker"


class UnsafeTestDatabase(Exception):
    """The database from NEO4J_URI holds data and no test marker: the tests refuse it."""


@dataclass(frozen=True)
class Neo4jServerInfo:
    """How tests reach the Neo4j server of this session."""

    uri: str
    user: str
    password: Optional[str] = field(repr=False)
    database: str
    source: str

    def backend_kwargs(self) -> dict:
        """Keyword arguments for ``Neo4jBackend(...)``."""
        return dict(uri=self.uri, user=self.user, password=self.password, database=self.database)

    def redun_ini(self, extra: str = "") -> str:
        """A ``.redun/redun.ini`` recording into this server through graphbackend's
        ``setup_scheduler`` (the password stays in ``NEO4J_PASSWORD``), then ``extra``."""
        return (
            "[scheduler]\nsetup_scheduler = graphbackend::setup_scheduler\n\n"
            f"[backend]\nneo4j_uri = {self.uri}\nneo4j_user = {self.user}\n"
            f"neo4j_database = {self.database}\n" + extra
        )


def _from_env() -> Optional[Neo4jServerInfo]:
    if not os.environ.get("NEO4J_URI"):
        return None
    # The same defaults as every other client (graphbackend.settings).
    from .settings import ConnectionSettings

    settings = ConnectionSettings.resolve()
    return Neo4jServerInfo(
        uri=settings.uri, user=settings.user, password=settings.password,
        database=settings.database, source="NEO4J_URI",
    )


def docker_available() -> bool:
    """True when a Docker daemon answers (the testcontainers path can work)."""
    try:
        import docker

        client = docker.from_env(timeout=5)  # type: ignore[attr-defined]
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _from_testcontainers() -> Iterator[Neo4jServerInfo]:
    from testcontainers.neo4j import Neo4jContainer

    container = Neo4jContainer(image=NEO4J_IMAGE, password=TEST_PASSWORD)
    container.with_env("NEO4J_server_memory_heap_max__size", "1g")
    container.with_env("NEO4J_server_memory_pagecache_size", "256m")
    container.start()
    try:
        yield Neo4jServerInfo(
            uri=container.get_connection_url(), user="neo4j", password=TEST_PASSWORD,
            database="neo4j", source=f"testcontainers {NEO4J_IMAGE}",
        )
    finally:
        container.stop()


def _from_launcher(home) -> Iterator[Neo4jServerInfo]:
    from .server.local import LocalServer, free_port

    server = LocalServer(
        home=home, bolt_port=free_port(), http_port=free_port(),
        password=TEST_PASSWORD, heap="1g", page_cache="256m",
    )
    server.start()
    try:
        yield Neo4jServerInfo(
            uri=server.bolt_uri, user="neo4j", password=TEST_PASSWORD,
            database="neo4j", source=f"local launcher ({server.home})",
        )
    finally:
        server.stop()


def check_test_database(info: Neo4jServerInfo) -> str:
    """Make sure the tests may use (and empty) ``info``'s database, and mark it.

    Accepted: a database that carries the test marker (an index named
    :data:`TEST_MARKER`, written here earlier), or one that holds no nodes
    besides graphbackend's ``SchemaVersion``; the latter is marked now.
    Anything else raises :class:`UnsafeTestDatabase` and is left as it was
    (the check only reads). Returns ``"marked"`` or ``"empty, now marked"``.
    """
    from .backend.graph import Graph
    from .settings import ConnectionSettings

    graph = Graph(ConnectionSettings(**info.backend_kwargs()))
    try:
        if graph.read_single("admin_test_marker_check")["marked"]:
            return "marked"
        nodes = graph.read_single("admin_count_nodes")["nodes"]
        if nodes:
            raise UnsafeTestDatabase(
                f"the tests refuse NEO4J_URI={info.uri} (database {info.database!r}): it holds "
                f"{nodes} nodes and no graphbackend test marker, and the tests empty their database; "
                f"unset NEO4J_URI (the tests then start their own server) or point it at an empty database"
            )
        graph.write("admin_test_marker_set")
        return "empty, now marked"
    finally:
        graph.close()


@contextmanager
def exported(info: Neo4jServerInfo) -> Iterator[None]:
    """Point the NEO4J_* environment variables at ``info`` (restored afterwards)."""
    values = {
        "NEO4J_URI": info.uri, "NEO4J_USERNAME": info.user,
        "NEO4J_PASSWORD": info.password or "", "NEO4J_DATABASE": info.database,
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory) -> Iterator[Neo4jServerInfo]:
    """The session's Neo4j server (``NEO4J_URI``, else Docker, else the local launcher).

    Also exported as ``NEO4J_*`` for the session (see the module's docstring).
    """
    source = _choose_server(tmp_path_factory)
    info = next(source)
    with exported(info):
        yield info
    next(source, None)


def _choose_server(tmp_path_factory) -> Iterator[Neo4jServerInfo]:
    """Yield the server once, then (when resumed) stop what was started for it."""
    info = _from_env()
    if info is not None:
        try:
            check_test_database(info)
        except UnsafeTestDatabase as error:
            pytest.exit(f"graphbackend: {error}", returncode=pytest.ExitCode.USAGE_ERROR)
        yield info
        return
    if docker_available():
        yield from _from_testcontainers()
        return
    try:
        source = _from_launcher(tmp_path_factory.mktemp("neo4j-home"))
        info = next(source)
    except Exception as error:
        raise RuntimeError(
            "no Neo4j server for the tests: NEO4J_URI is not set, no Docker daemon answers, "
            f"and the local launcher failed: {error}"
        ) from error
    yield info
    next(source, None)


@pytest.fixture
def neo4j_empty(neo4j_server):
    """The test database, emptied (constraints and indexes kept), as a ``Graph``."""
    from .backend.graph import Graph
    from .settings import ConnectionSettings

    graph = Graph(ConnectionSettings(**neo4j_server.backend_kwargs()))
    graph.clear()
    yield graph
    graph.close()


@pytest.fixture
def neo4j_env(neo4j_server, monkeypatch):
    """``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` set to
    the test server for one test, for CLI commands and subprocesses it starts."""
    for name, value in (
        ("NEO4J_URI", neo4j_server.uri),
        ("NEO4J_USERNAME", neo4j_server.user),
        ("NEO4J_PASSWORD", neo4j_server.password or ""),
        ("NEO4J_DATABASE", neo4j_server.database),
    ):
        monkeypatch.setenv(name, value)
    return neo4j_server


def pytest_report_header(config) -> str:
    info = _from_env()
    if info is not None:
        return f"graphbackend: Neo4j from NEO4J_URI ({info.uri})"
    return "graphbackend: Neo4j from testcontainers if Docker answers, else the local launcher"
