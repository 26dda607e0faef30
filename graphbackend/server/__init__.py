"""The local Neo4j server: Neo4j Community from Maven Central jars, no Docker.

- ``local``: ``LocalServer`` (fetch the jars, start, stop, status) around the
  project's launcher (``launcher/Launcher.java``).
- ``backup``: offline ``dump``/``load`` of its database with ``neo4j-admin`` (the same jars).
- ``cli``: ``graphbackend server start|stop|status|password|dump|load``.

Imports: ``graphbackend.errors``, ``graphbackend.settings`` and the Browser
assets of ``graphbackend.explore.browser``; never ``backend`` internals.
"""
