"""graphbackend: a Neo4j provenance and cache backend for redun.

Public surface::

    from graphbackend import Neo4jBackend
    scheduler = Scheduler(backend=Neo4jBackend())

or, with redun's CLI, ``setup_scheduler = graphbackend::setup_scheduler`` in the
``[scheduler]`` section of ``.redun/redun.ini`` (redun's syntax is
``module::function``, two colons; see the README).
"""

from typing import Optional

from .backend.neo4j_backend import Neo4jBackend
from .errors import (
    GraphBackendError,
    Neo4jAuthError,
    Neo4jUnavailableError,
    SchemaVersionError,
    ServerError,
    ValueSerializationError,
    ValueTooLargeError,
)
from .settings import ConnectionSettings

__version__ = "0.1.0"

__all__ = [
    "ConnectionSettings",
    "GraphBackendError",
    "Neo4jAuthError",
    "Neo4jBackend",
    "Neo4jUnavailableError",
    "SchemaVersionError",
    "ServerError",
    "ValueSerializationError",
    "ValueTooLargeError",
    "setup_scheduler",
]


def setup_scheduler(
    config,
    neo4j_uri: Optional[str] = None,
    neo4j_user: Optional[str] = None,
    neo4j_database: Optional[str] = None,
    value_store_path: Optional[str] = None,
):
    """redun ``[scheduler] setup_scheduler`` hook: a Scheduler recording into Neo4j.

    Use it with ``setup_scheduler = graphbackend::setup_scheduler`` in the
    ``[scheduler]`` section of ``.redun/redun.ini``. redun's CLI calls it as
    ``setup_scheduler(config, **setup_args)`` with the whole redun ``Config``,
    then calls ``scheduler.load(migrate=...)`` itself.

    The Neo4j connection comes from the ``[backend]`` section (``neo4j_uri``,
    ``neo4j_user``, ``neo4j_database``, ``neo4j_connection_timeout``,
    ``neo4j_max_retry_time``), else the ``NEO4J_*`` environment variables; the
    password only from ``NEO4J_PASSWORD``. The value store settings
    (``value_store_path``, ``value_store_min_size``, ``max_value_size``) and
    ``automigrate`` are read from the same section with redun's meanings.

    The keyword arguments override the config and can be given on redun's
    command line, spelled with dashes: ``redun --setup neo4j-uri=bolt://host:7687 run ...``.

    The hook also makes the rest of redun's command line work on the graph
    (``run --rerun``, ``log``, ``tag``, ``console``; see
    :mod:`graphbackend.redun_cli`), and marks ``config["backend"]``
    (``graphbackend = neo4j`` plus the overrides) so that sub-schedulers redun
    builds from this config (``subrun()``) record into the same graph.

    A project with its own hook calls this one inside it::

        def setup_scheduler(config):
            scheduler = graphbackend.setup_scheduler(config)
            scheduler.add_executor(...)   # the project's own set-up
            return scheduler
    """
    from .redun_cli import install_subscheduler_backend, mark_config, scheduler_for_command

    section = mark_config(
        config, neo4j_uri=neo4j_uri, neo4j_user=neo4j_user,
        neo4j_database=neo4j_database, value_store_path=value_store_path,
    )
    install_subscheduler_backend()

    def make_backend():
        return Neo4jBackend(
            uri=neo4j_uri,
            user=neo4j_user,
            database=neo4j_database,
            config=section,
            value_store_path=value_store_path,
        )

    return scheduler_for_command(config, make_backend)
