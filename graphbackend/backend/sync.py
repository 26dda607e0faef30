"""redun's serialized record format (version 1) for sync, import and export.

The four methods redun's ``push``/``pull``/``export``/``import`` use:
``get_records``, ``put_records``, ``iter_record_ids`` and ``has_records``.
Record <-> graph conversion is in ``sync_format``; the queries are the
``cypher/sync_*.cypher`` files.

Records may arrive in any order (redun pushes them breadth first, so a CallNode
arrives before the Values it references). A reference to a record that is not
in the graph yet is kept as ``(src)-[:PENDING {type, ...}]->(:Pending {id})``
and becomes the real edge, in the same transaction, when that record arrives;
a complete import leaves no Pending node behind.
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Set

from . import sync_format as fmt
from .graph import Graph
from .preview import data_preview
from .values import Values

#: Records written per transaction by put_records.
PUT_BATCH = 2000
#: Edge rows per sync_link_* query.
LINK_BATCH = 10000
#: Ids looked up per transaction by get_records / has_records.
GET_BATCH = 20000
#: Ids looked up per sync_get_values query (the Values of a query come back
#: in one row, so this bounds its size, as the driver's fetch size did).
VALUE_BATCH = 1000


class SyncMixin:
    """Sync records (redun's serialized format) in and out of the graph."""

    # From the host (Neo4jBackend.__init__):
    _graph: Graph
    _values: Values

    def get_records(self, ids: Iterable[str], sorted: bool = True) -> Iterable[dict]:
        """Yield the serialized records of the given ids (unknown ids are skipped).

        With ``sorted`` the records come in the order of ``ids``; otherwise by
        type (Executions, Jobs, CallNodes, Values, Tags) as redun returns them.
        """
        ids = list(ids)
        for chunk in fmt.chunked(ids, GET_BATCH):
            records = self._read_records(chunk)
            if sorted:
                by_id = {fmt.record_pk(record): record for record in records}
                for id in chunk:
                    record = by_id.get(id)
                    if record is not None:
                        yield record
            else:
                yield from records

    def _read_records(self, ids: List[str]) -> List[dict]:
        """The records of ``ids`` by type: Executions, Jobs, CallNodes, Values, Tags.

        One read transaction: ``sync_get`` (every type but Value, as one row
        of lists), then ``sync_get_values`` for the ids left over, at most
        ``VALUE_BATCH`` ids a query (a Value may be large).
        """

        def work(tx):
            others = tx.run("sync_get", ids=ids)[0]
            values = []
            for chunk in fmt.chunked(others["other_ids"], VALUE_BATCH):
                values += tx.run("sync_get_values", ids=chunk)[0][0]
            return others, values

        (call_nodes, jobs, executions, tags, _), values = self._graph.read_tx(work)
        records = [fmt.execution_record(row) for row in executions]
        records += [fmt.job_record(row) for row in jobs]
        records += [fmt.call_node_record(row) for row in call_nodes]
        records += [fmt.value_record(row) for row in values]
        records += [fmt.tag_record(row) for row in tags]
        return records

    def has_records(self, sync_ids: Iterable[str]) -> List[str]:
        """The given record ids that exist in the graph, in the given order."""
        sync_ids = list(sync_ids)
        existing: Set[str] = set()
        for chunk in fmt.chunked(sync_ids, GET_BATCH):
            unique = list(dict.fromkeys(id for id in chunk if isinstance(id, str)))
            existing.update(row["id"] for row in self._graph.read("sync_has", ids=unique))
        return [id for id in sync_ids if id in existing]

    def put_records(self, records: Iterable[dict]) -> int:
        """Write records to the graph and return how many were new.

        Idempotent: records already in the graph (by id) are skipped. Records
        may come in any order; references between them are linked once both
        ends are present. Tag currency is recomputed afterwards as redun does
        (a tag is current unless a newer tag supersedes it). Each batch of
        ``PUT_BATCH`` records is written in one transaction.
        """
        total = 0
        for chunk in fmt.chunked(records, PUT_BATCH):
            total += self._put_record_batch(chunk)
        return total

    def _put_record_batch(self, records: List[dict]) -> int:
        by_id: Dict[str, dict] = {}
        for record in records:
            by_id.setdefault(fmt.record_pk(record), record)
        existing = set(self.has_records(list(by_id)))
        new = [record for id, record in by_id.items() if id not in existing]
        if not new:
            return 0

        rows: Dict[str, List[dict]] = {kind: [] for kind in fmt.RECORD_TYPES}
        edges: Dict[str, List[dict]] = {}
        for record in new:
            kind, row, record_edges = fmt.record_to_rows(record, preview=self._record_preview)
            rows[kind].append(row)
            edges[row[fmt.PK_FIELDS[kind]]] = record_edges
        new_ids = list(edges)
        new_tags = [row["tag_hash"] for row in rows["Tag"]]
        new_tasks = [row["value_hash"] for row in rows["Value"] if row["task"]]

        def work(tx) -> None:
            links: List[dict] = []
            for kind in fmt.RECORD_TYPES:
                if not rows[kind]:
                    continue
                for result in tx.run(_PUT_QUERY[kind], rows=rows[kind]):
                    for edge in edges[result["id"]]:
                        links.append(dict(edge, src=result["eid"]))
            # References from earlier batches to the records written now.
            for result in tx.run("sync_pending_take", ids=new_ids):
                link = dict(result["row"])
                link["props"] = {
                    key: value for key, value in link["props"].items() if key not in fmt.PENDING_META
                }
                links.append(link)
            by_label: Dict[str, List[dict]] = {}
            for link in links:
                by_label.setdefault(link["label"], []).append(link)
            pending: List[dict] = []
            for label, label_links in by_label.items():
                for chunk in fmt.chunked(label_links, LINK_BATCH):
                    for result in tx.run(_LINK_QUERY[label], rows=chunk):
                        pending.append(dict(result["row"], label=label))
            # References to records not imported yet wait as PENDING edges.
            for chunk in fmt.chunked(pending, LINK_BATCH):
                tx.run("sync_pending_put", rows=chunk)
            if new_tags:
                tx.run("sync_tags_current", ids=new_tags)
            if new_tasks:
                tx.run("sync_job_task_names", ids=new_tasks)

        self._graph.write_tx(work)
        return len(new)

    def _record_preview(self, type_name: str, format: str, data: bytes) -> Optional[str]:
        """A short repr of a small imported value for Neo4j Browser (None if unknown)."""
        return data_preview(self._values.type_registry, type_name, format, data)

    def iter_record_ids(self, root_ids: Iterable[str]) -> Iterator[str]:
        """Yield the ids of the given records and of every record they own.

        Follows redun's ownership edges (Execution -> root Job -> child Jobs,
        Task and CallNode; CallNode -> Task, result, argument Values, upstream
        and child CallNodes; Value -> subvalues; every record -> its Tags and
        their edit history) in one query, ``sync_ids``, which returns the
        whole descent as two lists in one row. Unknown roots are skipped;
        redun's ``None`` for a job without a call is not yielded.
        """
        root_ids = [id for id in dict.fromkeys(root_ids) if isinstance(id, str)]
        if not root_ids:
            return
        row = self._graph.read_single("sync_ids", ids=root_ids)
        seen = set()
        for id in row["ids"]:
            if id is not None and id not in seen:
                seen.add(id)
                yield id
        for id in row["tag_ids"]:
            if id not in seen:
                seen.add(id)
                yield id


#: The query that writes each record type's nodes (cypher/<name>.cypher).
_PUT_QUERY = {
    "Value": "sync_put_values",
    "CallNode": "sync_put_call_nodes",
    "Job": "sync_put_jobs",
    "Execution": "sync_put_executions",
    "Tag": "sync_put_tags",
}

#: The query that links references to each target label (cypher/<name>.cypher).
_LINK_QUERY = {
    "Value": "sync_link_value",
    "CallNode": "sync_link_call_node",
    "Job": "sync_link_job",
    "Execution": "sync_link_execution",
    "Tag": "sync_link_tag",
}
