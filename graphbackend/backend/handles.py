"""Handles: their recorded states and lineage (advance, rollback, validity).

Behaviour of redun 0.44.1's ``RedunBackendDb``:

- ``advance_handle(parents, child)`` records the child and each parent as
  valid ``Handle`` nodes (an existing one, even rolled back, is valid again:
  redun's ``get_or_create`` updates ``is_valid=True``),
  their Values (``(:Handle)-[:VALUE]->(:Value)``), and the lineage edges
  ``(parent)-[:CHILD]->(child)``. Like redun it also records the chain of
  fork parents that skipped recording (``fork_parent`` of handles not yet
  recorded), without edges. Everything is written in one transaction.
- ``rollback_handle(handle)`` invalidates every descendant of the handle's
  past children, walking only through valid handles of the same fullname.
- ``is_valid_handle(handle)`` is True only for a recorded, valid handle.
  A Handle node made by ``record_value`` alone has no ``is_valid`` and is
  not valid, as in redun (where such a handle has no row).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Set

from redun.handle import Handle as BaseHandle

from .graph import Graph
from .values import Values


class HandlesMixin:
    """Handle lineage as ``(:Handle)-[:CHILD]->(:Handle)`` edges."""

    # From the host (Neo4jBackend.__init__):
    _graph: Graph
    _values: Values

    def advance_handle(self, parent_handles: List[BaseHandle], child_handle: BaseHandle) -> None:
        """Record that ``child_handle`` derives from each of ``parent_handles``."""
        # Fork parents that skipped recording (e.g. chained forks), as redun does.
        fork_chain: List[BaseHandle] = []
        queue = [
            parent.__handle__.fork_parent
            for parent in parent_handles
            if parent.__handle__.fork_parent and not parent.__handle__.is_recorded
        ]
        while queue:
            handle = queue.pop()
            fork_chain.append(handle)
            if handle.__handle__.fork_parent:
                queue.append(handle.__handle__.fork_parent)

        handles = fork_chain + [child_handle] + list(parent_handles)
        rows = self._values.prepare(handles)
        handle_rows: Dict[str, dict] = {}
        for handle, value_hash in zip(handles, rows.hashes):
            info = handle.__handle__
            handle_rows.setdefault(
                info.hash,
                {"hash": info.hash, "fullname": info.fullname, "key": info.key, "value_hash": value_hash},
            )
        child_hash = child_handle.__handle__.hash
        edges = [
            {"parent": parent.__handle__.hash, "child": child_hash} for parent in parent_handles
        ]

        def work(tx) -> None:
            tx.run("handle_record", handles=list(handle_rows.values()))
            if edges:
                tx.run("handle_link_children", edges=edges)

        self._values.commit(rows, work, run=self._graph.write_tx)
        for handle in handles:
            handle.__handle__.is_recorded = True

    def rollback_handle(self, handle: BaseHandle) -> None:
        """Invalidate every descendant of the handle's past children (redun's rollback)."""
        fullname = handle.__handle__.fullname
        handle_hash = handle.__handle__.hash

        def work(tx) -> None:
            # The lineage of valid handles of this name, walked in Python as redun does.
            lookups: Dict[str, List[str]] = defaultdict(list)
            for record in tx.run("handle_lineage", fullname=fullname):
                lookups[record["parent"]].append(record["child"])
            invalid: Set[str] = set()
            queue = list(lookups.get(handle_hash, []))
            while queue:
                current = queue.pop()
                if current in invalid:
                    continue
                invalid.add(current)
                queue.extend(lookups.get(current, []))
            if invalid:
                tx.run("handle_invalidate", hashes=sorted(invalid))

        self._graph.write_tx(work)

    def is_valid_handle(self, handle: BaseHandle) -> bool:
        """True if the handle is recorded and not rolled back (current or ancestral)."""
        record = self._graph.read_one("handle_is_valid", hash=handle.__handle__.hash)
        return bool(record is not None and record["is_valid"])
