"""``Neo4jBackend``: redun's provenance and cache backend, kept in a Neo4j graph.

The class is assembled from one mixin per concern, each in its own module:

- ``_values``: Values, Files, Tasks, subvalues, the ValueStore for large blobs.
- ``_calls``: CallNodes with arguments and dataflow, subtree tasks, the
  evaluation cache and every cache check.
- ``_jobs``: Executions (with their heartbeat) and Jobs.
- ``_tags``: Tags and their edit history.
- ``_handles``: Handles and their lineage.
- ``_records``: redun's serialized record format, for sync and import/export.

Shared state (set up here): ``self._graph`` (the connection and named-query
runner), ``self.type_registry``, ``self.value_store`` and the size limits.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Mapping, Optional

from redun.backends.base import RedunBackend
from redun.backends.db import DEFAULT_MAX_VALUE_SIZE, DEFAULT_VALUE_STORE_MIN_SIZE
from redun.scheduler import get_current_scheduler
from redun.config import Section, create_config_section
from redun.utils import str2bool
from redun.value import TypeRegistry

from . import schema as _schema
from .calls import CallsMixin
from .graph import Graph
from .handles import HandlesMixin
from .jobs import JobsMixin
from .sync import SyncMixin
from ..settings import ConnectionSettings
from .tags import TagsMixin
from .value_store import FsspecValueStore
from .values import ValuesMixin

_logger = logging.getLogger("graphbackend")


class Neo4jBackend(
    ValuesMixin,
    CallsMixin,
    JobsMixin,
    TagsMixin,
    HandlesMixin,
    SyncMixin,
    RedunBackend,
):
    """A redun backend that records provenance and cache in Neo4j.

    Parameters
    ----------
    uri, user, password, database:
        Where the Neo4j database is. Each defaults to redun's ``[backend]``
        config (``neo4j_uri``, ``neo4j_user``, ``neo4j_database``), then the
        ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and
        ``NEO4J_DATABASE`` environment variables, then the local server
        (``bolt://127.0.0.1:7687``, ``neo4j``/``graphbackend``, ``neo4j``).
    config:
        redun's ``[backend]`` config section. Besides the connection keys it
        reads ``value_store_path`` (any fsspec URL), ``value_store_min_size``,
        ``max_value_size`` and ``automigrate`` with redun's meanings.
    value_store_path, value_store_min_size, max_value_size:
        Override the config values of the same name.
    type_registry:
        redun's TypeRegistry (default: the global one).
    """

    def __init__(
        self,
        uri: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        database: Optional[str] = None,
        *,
        config: Optional[Section] = None,
        value_store_path: Optional[str] = None,
        value_store_min_size: Optional[int] = None,
        max_value_size: Optional[int] = None,
        type_registry: Optional[TypeRegistry] = None,
        logger: Any = None,
        environ: Optional[Mapping[str, str]] = None,
    ):
        super().__init__(type_registry=type_registry)
        if config is None:
            config = create_config_section()
        self.logger = logger or _logger
        self.settings = ConnectionSettings.resolve(
            uri=uri, user=user, password=password, database=database,
            config=config, environ=environ,
        )
        self._graph = Graph(self.settings)
        self.automigrate = str2bool(config.get("automigrate", "True"))

        store_path = value_store_path or config.get("value_store_path")
        if store_path and "://" not in store_path and not os.path.isabs(store_path):
            # Relative paths are relative to the redun config dir, as in redun.
            base = config.get("config_dir", os.path.join(os.getcwd(), ".redun"))
            store_path = os.path.join(base, store_path)
        self.value_store: Optional[FsspecValueStore] = (
            FsspecValueStore(store_path) if store_path else None
        )
        self.value_store_min_size = int(
            value_store_min_size
            if value_store_min_size is not None
            else config.get("value_store_min_size", DEFAULT_VALUE_STORE_MIN_SIZE)
        )
        self._max_value_size = int(
            max_value_size
            if max_value_size is not None
            else config.get("max_value_size", DEFAULT_MAX_VALUE_SIZE)
        )
        self._loaded = False
        self._init_caches()

    def _init_caches(self) -> None:
        """Per-process memory of facts already written (each mixin adds its own)."""
        for base in type(self).__mro__:
            init = base.__dict__.get("_init_mixin_state")
            if init is not None:
                init(self)

    def _write_with_job_end(self, work: Callable[[Any], Any], after: Optional[Callable[[], None]] = None) -> None:
        """Write ``work(tx)`` now, or, on the thread of a running redun Scheduler that
        records into this backend, with the backend's next transaction.

        The scheduler records a job's result value, CallNode (and, earlier, its
        evaluation cache entry) just before ``record_job_end``: deferred, they
        commit in the job end's transaction (or an earlier read's, which then sees
        them), one round trip instead of three. ``after()`` runs once committed.
        """
        scheduler = get_current_scheduler(required=False)
        if scheduler is not None and getattr(scheduler, "backend", None) is self:
            self._graph.defer_write(work, after)
            return
        self._graph.write_tx(work)
        if after is not None:
            after()

    # Lifecycle ----------------------------------------------------------------

    @property
    def uri(self) -> str:
        """The Neo4j URI this backend records into."""
        return self.settings.uri

    def load(self, migrate: Optional[bool] = None) -> None:
        """Connect to Neo4j and, when migrating, create the schema.

        ``migrate=None`` defers to the ``automigrate`` config (default True:
        creating constraints and indexes is idempotent and never drops data).
        Raises a clear error when the server is unreachable, the credentials
        are wrong, or the graph's schema is newer than this code.
        """
        if migrate is None:
            migrate = self.automigrate
        if migrate:
            _schema.migrate(self._graph)
        else:
            _schema.check(self._graph)
        self._loaded = True

    def is_db_compatible(self) -> bool:
        """True when the graph's schema version is one this code can use."""
        version = _schema.get_version(self._graph)
        return version is None or version <= _schema.SCHEMA_VERSION

    def close(self) -> None:
        """Close the connection pool."""
        self._graph.close()

    def __repr__(self) -> str:
        return f"Neo4jBackend(uri={self.settings.uri!r}, database={self.settings.database!r})"
