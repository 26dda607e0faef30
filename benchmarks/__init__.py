"""graphbackend's benchmark suite: the same redun workflows through redun's own
``RedunBackendDb`` (SQLite and PostgreSQL) and ``Neo4jBackend``. Run it with
``python -m benchmarks.run`` (or ``make bench``); see the README's Benchmarks section.
"""
