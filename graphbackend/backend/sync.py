"""redun's serialized record format (version 1) for sync, import and export.

The four methods redun's ``push``/``pull``/``export``/``import`` use:
``get_records``, ``put_records``, ``iter_record_ids`` and ``has_records``.
Record <-> graph conversion is in ``sync_format``; the queries are the
``cypher/sync_*.cypher`` (reading, pending references) and
``cypher/import_*.cypher`` (writing) files.

Records may arrive in any order (redun pushes them breadth first, so a CallNode
arrives before the Values it references). A reference to a record that is not
in the graph yet is kept as ``(src)-[:PENDING {type, ...}]->(:Pending {id})``
and becomes the real edge, in the same transaction, when that record arrives;
a complete import leaves no Pending node behind.
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Set

from neo4j import exceptions as neo4j_errors

from ..errors import RecordFormatError
from . import sync_format as fmt
from .graph import Graph
from .preview import data_preview
from .values import Values

#: Records written per transaction by put_records (tuned with benchmarks.import_rate on
#: the 10k-job history: 2,000 -> 650 records/s, 5,000 -> 900-960, 10,000 -> 940-1,545,
#: 20,000 -> 1,200-1,300, load average 8-10; a batch of 10,000 holds ~40k nodes and
#: edges in one transaction, well within the 1 GiB heap).
PUT_BATCH = 10000
#: Edges (references) per put_records transaction, at most about: a transaction's
#: state lives in the server's heap, and 10,000 Values that are lists of 30-60
#: Files (the end of a full import, which writes such Values last) made one
#: transaction of 330,000 edges that exhausted the default 1 GiB heap.
PUT_EDGES = 50_000
#: Edge rows per import_link_* query.
LINK_BATCH = 10000
#: Up to this many waiting references, the import fetches their target ids and
#: takes only the ones a batch creates (else it looks up every new id).
PENDING_FETCH_MAX = 200_000
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
        (a tag is current unless a newer tag supersedes it). Each batch of up
        to ``PUT_BATCH`` records and about ``PUT_EDGES`` edges is written in
        one transaction.
        """
        total = 0
        for chunk in _batches(records):
            try:
                total += self._put_record_batch(chunk)
            except neo4j_errors.ConstraintError:
                # Another writer created one of these records between this
                # transaction's existence check and its CREATE: check again.
                try:
                    total += self._put_record_batch(chunk)
                except neo4j_errors.ConstraintError as error:
                    raise RecordFormatError(
                        f"records conflict with the graph (nothing of their batch was written): {error.message}"
                    ) from None
        return total

    def _put_record_batch(self, records: List[dict]) -> int:
        """Write one batch in one transaction (see ``_write_batch``)."""
        by_id: Dict[str, dict] = {}
        for record in records:
            by_id.setdefault(fmt.record_pk(record), record)
        rows: Dict[str, List[dict]] = {kind: [] for kind in fmt.RECORD_TYPES}
        edges: Dict[str, List[List[dict]]] = {kind: [] for kind in fmt.RECORD_TYPES}
        for record in by_id.values():
            kind, row, record_edges = fmt.record_to_rows(record, preview=self._record_preview)
            rows[kind].append(row)
            edges[kind].append(record_edges)
        return self._graph.write_tx(lambda tx: _write_batch(tx, rows, edges))

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


def _edge_count(record: dict) -> int:
    """How many references a record has (its edges in the graph), from the record alone."""
    kind = record.get("_type")
    if kind == "Value":
        return len(record.get("subvalues") or ())
    if kind == "CallNode":
        args = (record.get("args") or {}).values()
        return 2 + len(record.get("children") or ()) + sum(1 + len(arg.get("upstream") or ()) for arg in args)
    if kind == "Tag":
        return 1 + len(record.get("parents") or ())
    return 3


def _batches(records: Iterable[dict]) -> Iterator[List[dict]]:
    """Records in batches of at most ``PUT_BATCH`` records and about ``PUT_EDGES`` edges."""
    batch: List[dict] = []
    edges = 0
    for record in records:
        batch.append(record)
        edges += _edge_count(record) if isinstance(record, dict) else 0
        if len(batch) >= PUT_BATCH or edges >= PUT_EDGES:
            yield batch
            batch, edges = [], 0
    if batch:
        yield batch


#: The query that creates each record type's nodes (cypher/<name>.cypher).
_CREATE_QUERY = {
    "Value": "import_create_values",
    "CallNode": "import_create_call_nodes",
    "Job": "import_create_jobs",
    "Execution": "import_create_executions",
    "Tag": "import_create_tags",
}

#: The ``import_has`` parameter of each record type's keys.
_HAS_PARAM = {
    "Value": "values",
    "CallNode": "call_nodes",
    "Job": "jobs",
    "Execution": "executions",
    "Tag": "tags",
}

#: The query that links references to each target label (cypher/<name>.cypher).
_LINK_QUERY = {
    "Value": "import_link_value",
    "CallNode": "import_link_call_node",
    "Job": "import_link_job",
    "Execution": "import_link_execution",
    "Tag": "import_link_tag",
}


def _write_batch(tx, rows: Dict[str, List[dict]], edges: Dict[str, List[List[dict]]]) -> int:
    """Write a batch of records (node rows and edge rows by record type) in ``tx``;
    return how many were new.

    Round trips: ``import_has`` (which records exist, one index seek each on
    their own label), ``import_task_names`` when jobs are new, one
    ``import_create_*`` per record type (plain CREATE: the check ran in this
    transaction, and a concurrent writer's record makes it fail on the
    uniqueness constraint, which ``put_records`` answers by checking again),
    ``import_pending_count`` and, only when references wait, ``sync_pending_take``
    (for the new ids among ``import_pending_ids`` when up to ``PENDING_FETCH_MAX`` wait);
    one ``import_link_*`` per target label and ``LINK_BATCH`` edges (CREATE,
    after every node of the batch exists), ``sync_pending_put`` for references
    to records not imported yet, then tag currency, late task names and
    execution times when the batch has such records.
    """
    key = fmt.PK_FIELDS
    existing = {record["id"] for record in tx.run(
        "import_has", **{_HAS_PARAM[kind]: [row[key[kind]] for row in rows[kind]] for kind in fmt.RECORD_TYPES})}
    new_rows: Dict[str, List[dict]] = {}
    new_edges: Dict[str, List[List[dict]]] = {}
    for kind in fmt.RECORD_TYPES:
        keep = [index for index, row in enumerate(rows[kind]) if row[key[kind]] not in existing]
        new_rows[kind] = [rows[kind][index] for index in keep]
        new_edges[kind] = [edges[kind][index] for index in keep]
    new_ids = [row[key[kind]] for kind in fmt.RECORD_TYPES for row in new_rows[kind]]
    if not new_ids:
        return 0

    tasks = {row["value_hash"]: row["task"] for row in new_rows["Value"] if row["task"]}
    if new_rows["Job"]:
        wanted = list({row["task_hash"] for row in new_rows["Job"]} - set(tasks))
        names = {hash: {"fullname": fullname, "name": name}
                 for hash, fullname, name in tx.run("import_task_names", hashes=wanted)} if wanted else {}
        names.update(tasks)
        for row in new_rows["Job"]:
            task = names.get(row["task_hash"])
            row["task_name"] = task["fullname"] if task else None
            row["name"] = task["name"] if task else None

    links: Dict[str, List[dict]] = {}
    seen = set()
    for kind in fmt.RECORD_TYPES:
        if not new_rows[kind]:
            continue
        results = tx.run(_CREATE_QUERY[kind], rows=new_rows[kind])
        for result, record_edges in zip(results, new_edges[kind]):
            src = result["eid"]
            for edge in record_edges:
                ident = (src, edge["type"], edge["dst"], edge["ref"])
                if ident not in seen:  # CREATE would make a duplicate edge
                    seen.add(ident)
                    links.setdefault(edge["label"], []).append(
                        {"src": src, "type": edge["type"], "dst": edge["dst"], "ident": edge["ident"],
                         "ref": edge["ref"], "props": edge["props"]})
    # References from earlier batches to the records written now.
    waiting = tx.run("import_pending_count")[0]["pending"]
    if waiting:
        targets = new_ids
        if waiting <= PENDING_FETCH_MAX:
            # A locking index seek per new id costs even when nothing waits for it.
            awaited = {record["id"] for record in tx.run("import_pending_ids")}
            targets = [id for id in new_ids if id in awaited]
        for result in (tx.run("sync_pending_take", ids=targets) if targets else []):
            link = dict(result["row"])
            link["props"] = {name: value for name, value in link["props"].items() if name not in fmt.PENDING_META}
            links.setdefault(link.pop("label"), []).append(link)
    pending: List[dict] = []
    for label, label_links in links.items():
        for chunk in fmt.chunked(label_links, LINK_BATCH):
            for result in tx.run(_LINK_QUERY[label], rows=chunk):
                pending.append(dict(result["row"], label=label))
    # References to records not imported yet wait as PENDING edges.
    for chunk in fmt.chunked(pending, LINK_BATCH):
        tx.run("sync_pending_put", rows=chunk)
    if new_rows["Tag"]:
        tx.run("sync_tags_current", ids=[row["tag_hash"] for row in new_rows["Tag"]])
    if tasks:
        tx.run("sync_job_task_names", ids=list(tasks))
    executions = {row["id"] for row in new_rows["Execution"]}
    executions.update(row["execution_id"] for row in new_rows["Job"]
                      if row["parent_id"] is None and row["execution_id"])
    if executions:
        tx.run("import_execution_times", ids=list(executions))
    return len(new_ids)
