"""The redun backend itself: ``Neo4jBackend`` and the concerns it is built from.

What lives here:

- ``neo4j_backend``: ``Neo4jBackend``, the ``redun.backends.base.RedunBackend``
  implementation; builds the shared state and composes the concerns below.
- ``graph``: the connection (``Graph``, one ``neo4j.Driver``) and the runner of
  named queries; ``cypher``: loads the named queries of ``cypher/``;
  ``schema``: constraints, indexes and the schema version.
- one module per concern of redun's backend API: ``values`` (+ ``value_store``),
  ``calls``, ``cache``, ``jobs``, ``tags``, ``handles``, ``sync``
  (redun's serialized-record sync interface, with ``sync_format``).
- ``convert``: conversions between Python and Neo4j values.

Imports: only ``graphbackend.errors`` and ``graphbackend.settings`` from above;
nothing here imports ``sync``, ``server``, ``explore``, ``demo`` or the CLI.
"""

from .neo4j_backend import Neo4jBackend

__all__ = ["Neo4jBackend"]
