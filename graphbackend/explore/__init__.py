"""Reading provenance back: the terminal, HTML pictures and Neo4j Browser.

- ``queries``: log/show/lineage as plain data, each a named ``explore_*`` query.
- ``viz``: a self-contained HTML picture of a call graph (``viz_assets``).
- ``browser``: the Browser style and guide served by the local server
  (``browser_root``), generated from ``cypher/browser_*.cypher``.
- ``cli``: ``graphbackend log|show|lineage|viz``.

Imports: ``graphbackend.backend`` (``Graph`` and named queries),
``graphbackend.errors``, ``graphbackend.settings``; never ``sync``, ``server``
or ``demo``.
"""
