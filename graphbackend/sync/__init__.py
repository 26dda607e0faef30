"""Moving history between redun databases (SQLite, PostgreSQL) and Neo4j.

- ``transfer``: ``import_records``/``export_records`` in redun's serialized
  record format, batched, resumable, with a progress bar.
- ``cli``: ``graphbackend import`` and ``graphbackend export``.

Imports: ``graphbackend.backend`` (the public ``Neo4jBackend`` and its sync
interface), ``graphbackend.errors``, ``graphbackend.settings``, and
``graphbackend.explore.browser`` for the query it prints; never ``server`` or
``demo``.
"""
