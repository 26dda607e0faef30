"""Tags, their edit history, and which ones are current.

A tag is ``(:Tag {tag_hash, entity_type, entity_id, key, value, is_current})``
keyed by redun's ``hash_tag(entity_id, key, value, parents)``; ``value`` is
the canonical JSON text of the tag's value (``_convert.encode_json``). Edits
are ``(newer:Tag)-[:SUPERSEDES]->(older:Tag)`` edges (redun's ``TagEdit``),
and a superseded tag is no longer current. A deletion is recorded as redun
does: a "delete tag" (entity type ``Null``, empty entity id and key, value
``null``) superseding the deleted tags. ``(:Tag)-[:TAGGED]->(entity)`` links
a tag to its Execution, Job, CallNode or Value/Task node when that node exists.

Keys and values only ever travel as query parameters.

Execution tags recorded before the execution's root job starts (the
scheduler records them right after ``record_execution``) are validated at
once, then held with the pending Execution (``jobs.PendingExecution``) and
written in the root job's start transaction, with the Execution: a run
appears with its tags or not at all. ``get_tags`` sees them meanwhile.

Tag writes run through the host's ``JobEndWrites.write_tx``: they commit the
writes queued for a job's end first, so a tag of a job's result Value or
CallNode (recorded just before, queued) finds its node to link to.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from redun.backends.base import TagEntity
from redun.hashing import hash_tag
from redun.tags import CONTEXT_KEY
from redun.utils import MultiMap

from ..errors import TagValueError
from .convert import decode_json, encode_json
from .graph import Graph, Tx
from .job_end_writes import JobEndWrites
from .jobs import JobMemory, PendingExecution
from .values import Values

KeyValue = Tuple[str, Any]
TagRecord = Tuple[str, str, str, Any]

#: The query that links tags to their entity, per entity type (Tasks are Values).
_LINK_QUERIES = {
    TagEntity.Execution: "tag_link_execution",
    TagEntity.Job: "tag_link_job",
    TagEntity.CallNode: "tag_link_call_node",
    TagEntity.Value: "tag_link_value",
    TagEntity.Task: "tag_link_value",
}


def _check_json(entity_type: TagEntity, entity_id: str, tags: Sequence[KeyValue]) -> None:
    """Raise TagValueError, naming the tag, if a tag value is not JSON-serializable."""
    for key, value in tags:
        try:
            encode_json(value)
        except (TypeError, ValueError) as error:
            raise TagValueError(
                f"tag {str(key)[:80]!r} of {entity_type.name} {entity_id[:36]!r}: its value "
                f"(a {type(value).__name__}) is not JSON-serializable ({error}); nothing recorded"
            ) from None


def _entity_type(entity_type: Any) -> TagEntity:
    """Accept a TagEntity or its name ("Execution", ...)."""
    return entity_type if isinstance(entity_type, TagEntity) else TagEntity(entity_type)


class TagsMixin:
    """redun's tag API: record, delete, update and read tags, and CallNode contexts."""

    # From the host (Neo4jBackend.__init__):
    _graph: Graph
    _job_end_writes: JobEndWrites
    _values: Values
    _jobs: JobMemory

    def record_tags(
        self,
        entity_type: TagEntity,
        entity_id: str,
        tags: Iterable[KeyValue],
        parents: Iterable[str] = (),
        update: bool = False,
        new: bool = False,
    ) -> List[TagRecord]:
        """Record tags for an entity (Execution, Job, CallNode, Task, Value).

        ``parents`` are hashes of tags the new tags supersede. ``update=True``
        also supersedes the entity's current tags with the same keys and
        implies ``new``. ``new=True`` forces the tags to be current: a tag that
        was already superseded is recorded again as a new leaf of its edit
        history. Returns ``[(tag_hash, entity_id, key, value)]`` of the tags
        recorded (as redun, without the ones re-recorded as new leaves).
        One write transaction; none for the tags of an Execution whose root job
        has not started (they are written with it, see the module docstring).
        """
        tags = [(key, value) for key, value in tags]
        if not tags:
            return []
        entity_type = _entity_type(entity_type)
        parents = list(parents)
        pending = self._jobs.pending.get(entity_id) if entity_type == TagEntity.Execution else None
        try:
            _check_json(entity_type, entity_id, tags)
        except TagValueError:
            if pending is not None:
                # A run whose execution tags are refused never starts: nothing of it was
                # written, and the Execution is forgotten.
                del self._jobs.pending[entity_id]
            raise
        if pending is not None:
            return self._defer_execution_tags(pending, entity_type, entity_id, tags, parents, update, new)
        return self._job_end_writes.write_tx(
            lambda tx: self._record_tags_tx(tx, entity_type, entity_id, tags, parents, update, new)
        )

    def _defer_execution_tags(
        self,
        pending: PendingExecution,
        entity_type: TagEntity,
        entity_id: str,
        tags: List[KeyValue],
        parents: List[str],
        update: bool,
        new: bool,
    ) -> List[TagRecord]:
        """Tags of (or edits of the tags of) an Execution not written yet: written with
        its root job's start.

        The write runs ``_record_tags_tx`` there, in the order the calls came, so
        the graph ends as if each had been written at once. The records returned
        are computed here, as that write computes them for a new execution
        (``update`` supersedes the pending tags of the same keys).
        """
        given_parents = list(parents)
        pending.writes.append(
            lambda tx: self._record_tags_tx(tx, entity_type, entity_id, tags, given_parents, update, new)
        )
        if update:
            keys = {key for key, _ in tags}
            parents = parents + [record[0] for record in pending.tags if record[2] in keys]
        parents = sorted(parents)
        records = [(hash_tag(entity_id, key, value, parents), entity_id, key, value) for key, value in tags]
        superseded = set(parents)
        pending.tags[:] = [record for record in pending.tags if record[0] not in superseded]
        if entity_type == TagEntity.Execution:
            known = {record[0] for record in pending.tags}
            for record in records:
                if record[0] not in known:
                    known.add(record[0])
                    pending.tags.append(record)
        return records

    def _record_tags_tx(
        self,
        tx: Tx,
        entity_type: TagEntity,
        entity_id: str,
        tags: Sequence[KeyValue],
        parents: Sequence[str],
        update: bool,
        new: bool,
    ) -> List[TagRecord]:
        """record_tags inside the caller's transaction (redun's algorithm, step by step)."""
        parents = list(parents)
        if update:
            # Supersede the current tags with the same keys.
            keys = sorted({key for key, _ in tags})
            parents.extend(
                record["tag_hash"]
                for record in tx.run("tag_current_by_keys", entity_id=entity_id, keys=keys)
            )
            new = True

        # Sorted parent hashes, as redun hashes them.
        parents = sorted(parents)
        rows = [
            {
                "tag_hash": hash_tag(entity_id, key, value, parents),
                "entity_type": entity_type.value,
                "entity_id": entity_id,
                "key": key,
                "value": encode_json(value),
                "_value": value,
            }
            for key, value in tags
        ]

        if new:
            # Walk down the edit history of tags already superseded, until a new leaf.
            superseded = {
                record["tag_hash"]
                for record in tx.run(
                    "tag_superseded", tag_hashes=[row["tag_hash"] for row in rows]
                )
            }
            for row in rows:
                if row["tag_hash"] in superseded:
                    self._record_tags_tx(
                        tx,
                        entity_type,
                        entity_id,
                        [(row["key"], row["_value"])],
                        [row["tag_hash"]],
                        update=False,
                        new=True,
                    )
            rows = [row for row in rows if row["tag_hash"] not in superseded]

        if rows or parents:
            tx.run(
                "tag_record",
                parents=parents,
                rows=[{k: v for k, v in row.items() if k != "_value"} for row in rows],
            )
        link_query = _LINK_QUERIES.get(entity_type)
        if rows and link_query:
            tx.run(
                link_query, entity_id=entity_id, tag_hashes=[row["tag_hash"] for row in rows]
            )
        return [(row["tag_hash"], entity_id, row["key"], row["_value"]) for row in rows]

    def delete_tags(
        self, entity_id: str, tags: Iterable[KeyValue], keys: Iterable[str] = ()
    ) -> List[TagRecord]:
        """Delete an entity's current tags matching ``tags`` (key and value) or ``keys``.

        As redun, the deletion is itself recorded: a delete tag (type ``Null``,
        empty id and key, value None) supersedes the deleted tags. Returns the
        delete tag record. One write transaction.
        """
        pairs = [{"key": key, "value": encode_json(value)} for key, value in tags]
        keys = list(keys)
        pending = self._jobs.pending.get(entity_id)
        if pending is not None:
            matching = {(pair["key"], pair["value"]) for pair in pairs}
            parents = [
                record[0] for record in pending.tags
                if record[2] in keys or (record[2], encode_json(record[3])) in matching
            ]
            return self._defer_execution_tags(pending, TagEntity.Null, "", [("", None)], parents, False, False)

        def work(tx):
            parents = [
                record["tag_hash"]
                for record in tx.run(
                    "tag_current_matching", entity_id=entity_id, pairs=pairs, keys=keys
                )
            ]
            return self._record_tags_tx(
                tx, TagEntity.Null, "", [("", None)], parents, update=False, new=False
            )

        return self._job_end_writes.write_tx(work)

    def update_tags(
        self,
        entity_type: TagEntity,
        entity_id: str,
        old_keys: Iterable[str],
        new_tags: Iterable[KeyValue],
    ) -> List[TagRecord]:
        """Replace the entity's current tags with keys ``old_keys`` by ``new_tags``.

        The new tags supersede the old ones (so a key can be renamed). One
        write transaction.
        """
        entity_type = _entity_type(entity_type)
        old_keys = list(old_keys)
        new_tags = [(key, value) for key, value in new_tags]
        if not new_tags:
            return []
        pending = self._jobs.pending.get(entity_id) if entity_type == TagEntity.Execution else None
        if pending is not None:
            _check_json(entity_type, entity_id, new_tags)
            parents = [record[0] for record in pending.tags if record[2] in old_keys]
            return self._defer_execution_tags(pending, entity_type, entity_id, new_tags, parents, False, False)

        def work(tx):
            parents = [
                record["tag_hash"]
                for record in tx.run("tag_current_by_keys", entity_id=entity_id, keys=old_keys)
            ]
            return self._record_tags_tx(
                tx, entity_type, entity_id, new_tags, parents, update=False, new=False
            )

        return self._job_end_writes.write_tx(work)

    def get_tags(self, entity_ids: List[str]) -> Dict[str, MultiMap]:
        """The current tags of each entity: ``{entity_id: MultiMap(key -> [values])}``.

        Entities without current tags are absent from the result.
        """
        entity_tags: Dict[str, MultiMap] = {}
        entity_ids = list(entity_ids)
        if not entity_ids:
            return entity_tags
        for record in self._graph.read("tag_get_current", entity_ids=entity_ids):
            tag_map = entity_tags.get(record["entity_id"])
            if tag_map is None:
                tag_map = entity_tags[record["entity_id"]] = MultiMap()
            tag_map.add(record["key"], decode_json(record["value"]))
        for entity_id in entity_ids:
            pending = self._jobs.pending.get(entity_id)
            if pending is not None and pending.tags:
                # Not written yet (the root job's start writes them), but recorded.
                tag_map = entity_tags.setdefault(entity_id, MultiMap())
                for _, _, key, value in pending.tags:
                    tag_map.add(key, value)
        return entity_tags

    def record_call_node_context(
        self, call_hash: str, context_hash: Optional[str], context: dict
    ) -> str:
        """Record a CallNode's context as a ``redun.context`` tag and return the context hash.

        When ``context_hash`` is None the context is recorded as a Value and its
        hash used, as redun does.
        """
        if context_hash is None:
            context_hash = self._values.record([context])[0]
        self.record_tags(TagEntity.CallNode, call_hash, [(CONTEXT_KEY, context_hash)])
        return context_hash
