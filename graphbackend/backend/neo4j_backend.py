"""``Neo4jBackend``: redun's provenance and cache backend, kept in a Neo4j graph.

The class is assembled from one mixin per concern, each in its own module,
each with redun's methods of its concern:

- ``values``: Values, Files, Tasks, subvalues (``record_value``, ``get_value``).
- ``calls``: CallNodes with arguments, dataflow and subtree tasks.
- ``cache``: every cache check and the evaluation cache.
- ``jobs``: Executions (with their heartbeat) and Jobs.
- ``tags``: Tags, their edit history, CallNode contexts.
- ``handles``: Handles and their lineage.
- ``sync``: redun's serialized record format, for sync and import/export.

The host contract: a mixin uses only the state objects it declares (typed
class attributes under "From the host"), all built here in ``__init__``, and
redun's public methods; never a sibling mixin's private method.

- ``_graph`` (``Graph``): the connection and named-query runner (public as ``graph``).
- ``_job_end_writes`` (``JobEndWrites``): the writes queued to commit with a
  job's end (``record_job_end``).
- ``_values`` (``Values``): the TypeRegistry, the value store, the size
  limits and the hashes of values known to be stored.
- ``_call_cache`` (``CallCache``): CallNodes known to be recorded, subtree tasks.
- ``_jobs`` (``JobMemory``): jobs started here, last heartbeats, executions not
  written yet (their root job has not started; ``tags`` defers their tags there).
- ``_read_ahead`` (``ReadAhead``): cache answers read ahead under a cache hit
  (``cache`` reads and serves them; ``calls``, ``jobs`` drop those their writes change).
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

from redun.backends.base import RedunBackend
from redun.backends.db import DEFAULT_MAX_VALUE_SIZE, DEFAULT_VALUE_STORE_MIN_SIZE
from redun.config import Section, create_config_section
from redun.utils import str2bool
from redun.value import TypeRegistry

from ..settings import ConnectionSettings
from . import schema as _schema
from .cache import CacheMixin, CallCache
from .calls import CallsMixin
from .graph import Graph
from .handles import HandlesMixin
from .job_end_writes import JobEndWrites, exit_on_sigterm
from .jobs import JobMemory, JobsMixin
from .read_ahead import DEFAULT_READ_AHEAD, ReadAhead
from .sync import SyncMixin
from .tags import TagsMixin
from .value_store import FsspecValueStore
from .values import DEFAULT_MAX_INLINE_VALUE_SIZE, Values, ValuesMixin


class Neo4jBackend(
    ValuesMixin,
    CallsMixin,
    CacheMixin,
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
        ``max_value_size`` and ``automigrate`` with redun's meanings, and
        ``max_inline_value_size``: the largest serialized value sent to Neo4j
        inline (default ``values.DEFAULT_MAX_INLINE_VALUE_SIZE``, 128 MiB); a
        larger one goes to the value store, or is refused at once
        (``ValueTooLargeError``) when there is none; and ``cache_read_ahead``:
        on an evaluation-cache hit, the cache answers of at most this many calls
        under it are read in one query (default ``read_ahead.DEFAULT_READ_AHEAD``,
        10,000; 0 turns it off: every check is its own query).
    value_store_path, value_store_min_size, max_value_size, max_inline_value_size, cache_read_ahead:
        Override the config values of the same name.
    type_registry:
        redun's TypeRegistry (default: the global one).
    environ:
        The environment read for the ``NEO4J_*`` variables (default ``os.environ``).
    settings:
        Resolved connection settings (e.g. ``settings.connection_from_args``);
        they replace ``uri``, ``user``, ``password``, ``database`` and the
        config's connection keys.
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
        max_inline_value_size: Optional[int] = None,
        cache_read_ahead: Optional[int] = None,
        type_registry: Optional[TypeRegistry] = None,
        environ: Optional[Mapping[str, str]] = None,
        settings: Optional[ConnectionSettings] = None,
    ):
        super().__init__(type_registry=type_registry)
        if config is None:
            config = create_config_section()
        self.settings = settings or ConnectionSettings.resolve(
            uri=uri, user=user, password=password, database=database,
            config=config, environ=environ,
        )
        self._graph = Graph(self.settings)
        self._job_end_writes = JobEndWrites(self._graph, owner=self)
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
        self._values = Values(
            self._job_end_writes,
            self.type_registry,
            self.value_store,
            self.value_store_min_size,
            int(
                max_value_size
                if max_value_size is not None
                else config.get("max_value_size", DEFAULT_MAX_VALUE_SIZE)
            ),
            int(
                max_inline_value_size
                if max_inline_value_size is not None
                else config.get("max_inline_value_size", DEFAULT_MAX_INLINE_VALUE_SIZE)
            ),
        )
        self._call_cache = CallCache()
        self._jobs = JobMemory()
        self._read_ahead = ReadAhead(int(
            cache_read_ahead if cache_read_ahead is not None
            else config.get("cache_read_ahead", DEFAULT_READ_AHEAD)
        ))

    # Lifecycle ----------------------------------------------------------------

    @property
    def graph(self) -> Graph:
        """The connection to Neo4j (read-only): run named queries (``graph.read``,
        ``graph.read_tx``, ``graph.write_tx``), count transactions
        (``graph.transactions``) or trace them (``graph.add_tracer``).

        Reads made here do not see the writes a running scheduler queued for a
        job's end until they commit (with ``record_job_end``; see ``job_end_writes``).
        """
        return self._graph

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

        Also makes SIGTERM a normal exit when it has Python's default action
        (``job_end_writes.exit_on_sigterm``): the job-end writes still queued
        commit at exit instead of being lost.
        """
        exit_on_sigterm()
        if migrate is None:
            migrate = self.automigrate
        if migrate:
            _schema.migrate(self._graph)
        else:
            _schema.check(self._graph)

    def is_db_compatible(self) -> bool:
        """True when the graph's schema version is one this code can use."""
        version = _schema.get_version(self._graph)
        return version is None or version <= _schema.SCHEMA_VERSION

    def flush(self) -> None:
        """Commit the writes queued for a job's end now and write the deferred cached
        jobs (``JobEndWrites``; nothing when none is)."""
        self._job_end_writes.flush()

    def close(self) -> None:
        """Commit the writes queued for a job's end and write the deferred cached
        jobs, then close the connection pool."""
        try:
            if self._job_end_writes.pending and self._graph.connected:
                self._job_end_writes.flush()
        finally:
            self._job_end_writes.close()
            self._graph.close()

    def __repr__(self) -> str:
        return f"Neo4jBackend(uri={self.settings.uri!r}, database={self.settings.database!r})"
