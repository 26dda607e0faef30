"""graphbackend: a Neo4j provenance and cache backend for redun.

Public surface::

    from graphbackend import Neo4jBackend
    scheduler = Scheduler(backend=Neo4jBackend())

or, with redun's CLI, ``setup_scheduler = graphbackend:setup_scheduler`` in
``.redun/redun.ini`` (see the README).
"""

from ._errors import (
    GraphBackendError,
    Neo4jAuthError,
    Neo4jUnavailableError,
    SchemaVersionError,
    ValueSerializationError,
    ValueTooLargeError,
)
from ._settings import ConnectionSettings
from .backend import Neo4jBackend

__version__ = "0.1.0"

__all__ = [
    "ConnectionSettings",
    "GraphBackendError",
    "Neo4jAuthError",
    "Neo4jBackend",
    "Neo4jUnavailableError",
    "SchemaVersionError",
    "ValueSerializationError",
    "ValueTooLargeError",
    "setup_scheduler",
]


def setup_scheduler(config, **kwargs):
    """redun ``[scheduler] setup_scheduler`` hook: a Scheduler recording into Neo4j.

    Reads the ``[backend]`` section of redun's config for the Neo4j connection
    (``neo4j_uri``, ``neo4j_user``, ``neo4j_database``; the password comes from
    ``NEO4J_PASSWORD``) and the value store settings.
    """
    from redun import Scheduler

    backend = Neo4jBackend(config=config.get("backend"))
    return Scheduler(config=config, backend=backend, **kwargs)
