"""The redun backend itself: ``Neo4jBackend`` and the concerns it is built from.

What lives here:

- ``neo4j_backend``: ``Neo4jBackend``, the ``redun.backends.base.RedunBackend``
  implementation; builds the shared state objects and composes the concerns below.
- ``graph``: the connection (``Graph``, one ``neo4j.Driver``), the runner of
  named queries and its tracer hook; ``cypher``: loads the named queries of
  ``cypher/``; ``schema``: constraints, indexes and the schema version.
- ``job_end_writes``: ``JobEndWrites``, the writes a running scheduler queues
  for a job's end, committed by ``record_job_end``.
- one module per concern of redun's backend API: ``values`` (+ ``value_store``,
  ``preview``), ``calls``, ``cache``, ``jobs``, ``tags``, ``handles``, ``sync``
  (redun's serialized-record sync interface, with ``sync_format``). Each mixin
  declares the state objects it uses from ``Neo4jBackend`` and never calls a
  sibling's private method.
- ``convert``: conversions between Python and Neo4j values.

Imports: only ``graphbackend.errors`` and ``graphbackend.settings`` from above;
nothing here imports ``sync``, ``server``, ``explore``, ``demo`` or the CLI.
"""

from .neo4j_backend import Neo4jBackend

__all__ = ["Neo4jBackend"]
