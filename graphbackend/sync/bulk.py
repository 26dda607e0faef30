"""``graphbackend import --bulk``: a whole redun database into an EMPTY local Neo4j,
offline, with Neo4j's bulk loader (``neo4j-admin database import full``).

The online import (``transfer.import_records``) writes records in transactions
and is bound by Neo4j's single transactional writer (2-3k records/s on two
cores). This route writes the same graph as CSV files and lets the loader build
the store files directly:

1. check (nothing written, nothing stopped): the target is the home of a local
   server graphbackend manages, its database is empty, the whole source is
   imported (no ``--execution``/``--tag``);
2. read and convert: worker processes read the source's records
   (``transfer.read_redun_records``, one record type per chunk) and turn each into
   rows with the online import's own row builder (``sync_format.record_to_rows``),
   appended to CSV files per node label and per (source label, type, target
   label) of relationship. Facts the online route looks up in the graph come from
   the source: a Job's task names (its Task), an Execution's times (its root job),
   a Tag's currency (whether a tag supersedes it);
3. stop the server, run the loader (``server.local.bulk_load``: the empty database
   is moved aside and put back if the loader fails), start the server;
4. what the CSV files leave out: an empty ``byte[]`` (the ``value`` of a Value kept
   in a value store; CSV cannot say it), then the schema (``schema.migrate``:
   constraints, indexes, the version marker), waiting for the indexes to come
   online, then text properties with line breaks (a Task's source...), set by key
   (files with line breaks in fields make the loader parse them on one thread),
   then the warm-up.

The result is the graph the online import makes of the same source (compared
node by node and edge by edge in ``tests/test_bulk_import.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from ..backend import sync_format as fmt
from ..errors import RecordFormatError, ServerError
from ..server.local import LocalServer, bulk_load, free_port

#: Records per conversion task (one worker reads and converts one chunk at a time).
CHUNK = 10_000
#: The file key of node properties set after the load (text with line breaks).
SET_LATER = "set-later"
#: Values given their empty ``value`` per transaction after the load.
FIX_BATCH = 50_000
#: Seconds to wait for the indexes and constraints to come online after the load.
INDEX_TIMEOUT = 3600


class BulkRefused(ServerError):
    """The bulk import cannot run on this target (nothing was written or stopped)."""


# Columns of the CSV files ----------------------------------------------------
#
# (property name, CSV type or None for a string). The first column of a node file
# is its key, the ``:ID`` of the loader's id group named after its label.

NODE_COLUMNS: Dict[str, List[Tuple[str, Optional[str]]]] = {
    "Value": [("value_hash", "ID(Value)"), ("type", None), ("format", None), ("value", "byte[]"),
              ("in_value_store", "boolean"), ("size", "long"), ("preview", None), ("path", None),
              ("hash", None), ("name", None), ("namespace", None), ("fullname", None), ("source", None),
              ("", "LABEL")],
    "CallNode": [("call_hash", "ID(CallNode)"), ("task_name", None), ("task_hash", None), ("args_hash", None),
                 ("value_hash", None), ("timestamp", "datetime"), ("name", None)],
    "Job": [("id", "ID(Job)"), ("start_time", "datetime"), ("end_time", "datetime"), ("task_hash", None),
            ("call_hash", None), ("execution_id", None), ("cached", "boolean"), ("status", None),
            ("parent_id", None), ("task_name", None), ("name", None)],
    "Execution": [("id", "ID(Execution)"), ("args", None), ("start_time", "datetime"),
                  ("updated_time", "datetime")],
    "Tag": [("tag_hash", "ID(Tag)"), ("entity_type", None), ("entity_id", None), ("key", None),
            ("key_prefix", None), ("value", None), ("is_current", "boolean")],
    "Pending": [("id", "ID(Pending)")],
}

#: Properties of each relationship type, as the import_link_* queries set them.
EDGE_PROPERTIES: Dict[str, List[Tuple[str, Optional[str]]]] = {
    "ARG": [("arg_hash", None), ("position", "long"), ("key", None)],
    "UPSTREAM": [("arg_hash", None)],
    "CHILD": [("call_order", "long")],
    "PENDING": [("type", None), ("ref", None), ("label", None), ("ident", None), ("arg_hash", None),
                ("position", "long"), ("key", None), ("call_order", "long")],
}


def _text(value: Any) -> str:
    """One CSV field for the loader: strings always quoted (an empty string stays one),
    None empty (no property), bytes as signed bytes joined by ``;`` (a ``byte[]``)."""
    if value.__class__ is str:
        return '"' + (value if '"' not in value else value.replace('"', '""')) + '"'
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        return ";".join(map(str, array("b", value)))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _header(columns: List[Tuple[str, Optional[str]]]) -> str:
    return ",".join(f"{name}:{kind}" if kind else name for name, kind in columns) + "\n"


def edge_key(src: str, type_: str, dst: str) -> str:
    """The file key of a relationship: ``Source-TYPE-Target``."""
    return f"{src}-{type_}-{dst}"


def edge_columns(key: str) -> List[Tuple[str, Optional[str]]]:
    src, type_, dst = key.split("-")
    return [("", f"START_ID({src})"), ("", f"END_ID({dst})")] + EDGE_PROPERTIES.get(type_, [])


# Facts from other records (looked up in the graph by the online route) -------------


@dataclass
class SourceFacts:
    """What a record's row needs from other records, read from the source once."""

    #: Task hash -> (full name, short name), for Jobs (import_task_names).
    tasks: Dict[str, Tuple[str, str]] = field(default_factory=dict)
    #: Execution id -> (start time, updated time) from its root job (import_execution_times).
    executions: Dict[str, Tuple[Any, Any]] = field(default_factory=dict)
    #: Tags another tag supersedes (sync_tags_current: they are not current).
    superseded: Set[str] = field(default_factory=set)


def read_facts(db) -> SourceFacts:
    """The source facts of a redun database (a few small queries)."""
    import sqlalchemy as sa
    from redun.backends.db import Execution, Job, Tag, TagEdit, Task, Value
    from sqlalchemy.orm import aliased

    session = db.backend.session
    facts = SourceFacts()
    for hash, name, namespace in session.execute(
            sa.select(Task.hash, Task.name, Task.namespace).join(Value, Value.value_hash == Task.hash)).all():
        facts.tasks[hash] = (fmt.task_fullname(name, namespace), name)
    for id, start, end in session.execute(
            sa.select(Execution.id, Job.start_time, Job.end_time).join(Job, Execution.job_id == Job.id)).all():
        start_time = fmt.parse_time(str(start) if start else None)
        end_time = fmt.parse_time(str(end) if end else None)
        facts.executions[id] = (start_time, end_time if end_time is not None else start_time)
    child, parent = aliased(Tag), aliased(Tag)
    facts.superseded = {row[0] for row in session.execute(
        sa.select(TagEdit.parent_id).join(child, child.tag_hash == TagEdit.child_id)
        .join(parent, parent.tag_hash == TagEdit.parent_id)).all()}
    return facts


# Records -> CSV rows (one worker) ----------------------------------------------------


class Converter:
    """Turns records of one source into CSV lines, per file key (node label or edge key)."""

    def __init__(self, facts: SourceFacts, exists: Callable[[str, List[str]], Set[str]],
                 preview: Optional[Callable[[str, str, bytes], Optional[str]]] = None):
        self.facts = facts
        self.exists = exists
        self.preview = preview

    def lines(self, records: List[dict]) -> Dict[str, List[str]]:
        out: Dict[str, List[str]] = {}
        rows = [fmt.record_to_rows(record, preview=self.preview) for record in records]
        # References to records not in the source wait as PENDING edges, as online.
        # Only a Tag's entity has no foreign key in redun's schema: it is checked here;
        # the loader reports any other dangling reference (bulk_load's bad_relationships).
        missing: Set[Tuple[str, str]] = set()
        tagged: Dict[str, List[str]] = {}
        for kind, _row, edges in rows:
            if kind == "Tag":
                for edge in edges:
                    if edge["type"] == "TAGGED":
                        tagged.setdefault(edge["label"], []).append(edge["dst"])
        for label, ids in tagged.items():
            found = self.exists(label, ids)
            missing.update((label, id) for id in ids if id not in found)
        for kind, row, edges in rows:
            key = fmt.PK_FIELDS[kind]
            self._node(kind, row, out)
            seen = set()
            for edge in edges:
                ident = (edge["type"], edge["dst"], edge["ref"])
                if ident in seen:  # the online import drops duplicates too
                    continue
                seen.add(ident)
                if (edge["label"], edge["dst"]) in missing:
                    pending = {"type": edge["type"], "ref": edge["ref"], "label": edge["label"],
                               "ident": edge["ident"], **edge["props"]}
                    out.setdefault("Pending", []).append(_text(edge["dst"]) + "\n")
                    self._edge(kind, "PENDING", "Pending", row[key], edge["dst"], pending, out)
                elif edge["type"] == "PARENT":  # (parent)-[:CHILD]->(job)
                    self._edge("Job", "CHILD", "Job", edge["dst"], row[key], {}, out)
                else:
                    self._edge(kind, edge["type"], edge["label"], row[key], edge["dst"], edge["props"], out)
        return out

    def _node(self, kind: str, row: dict, out: Dict[str, List[str]]) -> None:
        if kind == "Value":
            labels = "Value"
            task = row["task"] or {}
            if row["path"] is not None:
                labels += ";File"
            if row["task"] is not None:
                labels += ";Task"
            values = [row["value_hash"], row["type"], row["format"], row["value"] or None, row["in_value_store"],
                      row["size"], row["preview"], row["path"], row["value_hash"] if task else None,
                      task.get("name"), task.get("namespace"), task.get("fullname"), task.get("source")]
            line = ",".join(map(_text, values))
            if "\n" in line or "\r" in line:
                line = self._set_later(kind, values, out)
            line += "," + labels
        else:
            if kind == "Job":
                names = self.facts.tasks.get(row["task_hash"])
                row = dict(row, task_name=names[0] if names else None, name=names[1] if names else None)
            elif kind == "Execution":
                start, updated = self.facts.executions.get(row["id"], (None, None))
                row = dict(row, start_time=start, updated_time=updated)
            elif kind == "Tag":
                row = dict(row, is_current=row["tag_hash"] not in self.facts.superseded)
            values = [row[name] for name, _ in NODE_COLUMNS[kind]]
            line = ",".join(map(_text, values))
            if "\n" in line or "\r" in line:
                line = self._set_later(kind, values, out)
        out.setdefault(kind, []).append(line + "\n")

    @staticmethod
    def _set_later(kind: str, values: List[Any], out: Dict[str, List[str]]) -> str:
        """The CSV line of a node without its text properties that hold line breaks;
        they go to the ``set-later`` lines (JSON), which ``bulk_import`` sets after the
        load (``bulk_set_text``): the loader parses files with line breaks in fields
        with one thread (``--multiline-fields``), which made it several times slower."""
        columns = NODE_COLUMNS[kind]
        props = {}
        values = list(values)
        for index, value in enumerate(values):
            if isinstance(value, str) and ("\n" in value or "\r" in value):
                props[columns[index][0]] = value
                values[index] = None
        if values[0] is None:
            raise RecordFormatError(f"a {kind} key holds a line break: {props}")
        out.setdefault(SET_LATER, []).append(json.dumps({"label": kind, "key": values[0], "props": props}) + "\n")
        return ",".join(map(_text, values))

    @staticmethod
    def _edge(src_label: str, type_: str, dst_label: str, src: str, dst: str, props: dict,
              out: Dict[str, List[str]]) -> None:
        columns = EDGE_PROPERTIES.get(type_)
        line = _text(src) + "," + _text(dst)
        if columns:
            line += "," + ",".join([_text(props.get(name)) for name, _ in columns])
        if "\n" in line or "\r" in line:
            raise RecordFormatError(f"a {type_} reference holds a line break ({src!r}, {dst!r}, {props}): "
                                    f"import this repository without --bulk")
        key = (src_label, type_, dst_label)
        name = _EDGE_KEYS.get(key)
        if name is None:
            name = _EDGE_KEYS[key] = edge_key(*key)
        out.setdefault(name, []).append(line + "\n")


_EDGE_KEYS: Dict[Tuple[str, str, str], str] = {}


# Worker processes ----------------------------------------------------------------------

_WORKER: Dict[str, Any] = {}


def _open_source(uri: str):
    """The source database, opened without open_redun_db's checks (the parent made them)."""
    from redun.backends.db import RedunBackendDb
    from redun.config import create_config_section

    from .transfer import RedunDb

    backend = RedunBackendDb(config=create_config_section({"db_uri": uri}))
    backend.load(migrate=False)
    return RedunDb(backend=backend, uri=uri)


def _exists_in(db) -> Callable[[str, List[str]], Set[str]]:
    import sqlalchemy as sa
    from redun.backends.db import CallNode, Execution, Job, Value

    columns = {"Value": Value.value_hash, "CallNode": CallNode.call_hash, "Job": Job.id, "Execution": Execution.id}

    def exists(label: str, ids: List[str]) -> Set[str]:
        column = columns[label]
        found: Set[str] = set()
        for chunk in fmt.chunked(list(set(ids)), 5000):
            found.update(row[0] for row in db.backend.session.execute(sa.select(column).where(column.in_(chunk))))
        return found

    return exists


def _init_worker(uri: str, facts: SourceFacts, out_dir: str) -> None:
    from redun.value import get_type_registry

    from ..backend.preview import data_preview

    db = _open_source(uri)
    registry = get_type_registry()
    _WORKER.update(
        db=db, out_dir=out_dir,
        converter=Converter(facts, _exists_in(db), lambda type_name, format, data: data_preview(
            registry, type_name, format, data)),
    )


def _convert_chunk(task: Tuple[str, List[str]]) -> Tuple[str, int, Dict[str, int]]:
    """Read and convert one chunk of records of one type; append its lines to this
    worker's files. Returns (record type, records, lines per file key)."""
    from .transfer import read_redun_records

    kind, ids = task
    records = read_redun_records(_WORKER["db"], ids, kinds=(kind,))
    out = _WORKER["converter"].lines(records)
    pid = os.getpid()
    for key, lines in out.items():
        with open(os.path.join(_WORKER["out_dir"], f"{key}.{pid}.csv"), "a", encoding="utf-8") as file:
            file.writelines(lines)
    return kind, len(records), {key: len(lines) for key, lines in out.items()}


# The whole import -------------------------------------------------------------------


@dataclass
class BulkSummary:
    """What a bulk import did, and its seconds per phase."""

    records: int = 0
    by_type: Dict[str, int] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0
    bad_relationships: List[str] = field(default_factory=list)
    phases: Dict[str, float] = field(default_factory=dict)
    loader_memory: str = ""
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Records per second, every phase included."""
        return self.records / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    """The server a bulk import goes into, as found by ``check_target``."""

    server: LocalServer
    was_running: bool
    nodes: int = 0


def _count_nodes(server: LocalServer) -> Tuple[int, int]:
    graph = server.graph()
    try:
        counts = graph.read_single("admin_count_nodes")
    finally:
        graph.close()
    return counts["nodes"], counts["relationships"]


def managed_home(home: Path) -> bool:
    """True when ``home`` is the home of a local server graphbackend has started."""
    return (home / "conf" / "neo4j.conf").is_file() and (
        (home / "server.pid").is_file() or (home / "data" / "databases").is_dir())


def check_target(home: Optional[Path], selected: bool, uri_given: bool, echo=None) -> Target:
    """Refuse (BulkRefused, one line) unless a bulk import may go into ``home``'s server:
    a local server graphbackend manages, named with --home, whose database is empty,
    for a whole source. A stopped server is started on free ports to look, then stopped."""
    if selected:
        raise BulkRefused("--bulk imports a whole redun database (the offline route is all or nothing): "
                          "drop --execution/--tag, or import them without --bulk")
    if uri_given:
        raise BulkRefused("--bulk works on a local server's home (--home), not on a server given by --uri")
    if home is None:
        raise BulkRefused("--bulk needs --home: the folder of the local server (`graphbackend server start "
                          "--home ...`) whose empty database it fills")
    home = Path(home).expanduser().absolute()
    if not managed_home(home):
        raise BulkRefused(f"{home} is not the home of a local server graphbackend manages "
                          f"(start one there first: `graphbackend server start --home {home}`)")
    server = LocalServer.at(home)
    running = server.pid() is not None
    if running and not server.is_running():
        raise BulkRefused(f"the server of {home} (pid {server.pid()}) does not answer on Bolt: "
                          f"nothing was written")
    if not running:
        server = LocalServer(home=home, bolt_port=free_port(), http_port=free_port(), warm_up=False)
        if echo:
            echo(f"starting the stopped server of {home} to check that its database is empty...")
        server.start()
    try:
        nodes, edges = _count_nodes(server)
    finally:
        if not running:
            server.stop()
    if nodes or edges:
        raise BulkRefused(f"the database of {home} is not empty ({nodes:,} nodes, {edges:,} relationships): "
                          f"--bulk fills an empty database only; import without --bulk to add to it. "
                          f"Nothing was written or stopped")
    return Target(server=server, was_running=running)


def _progress_bar(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="convert", unit=" records", unit_scale=True, disable=quiet,
                mininterval=0.5)


def plan(target: Target, counts: Dict[str, int]) -> List[str]:
    """What a bulk import into ``target`` does (what --dry-run prints)."""
    home = target.server.home
    total = sum(counts.values())
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
    steps = [f"convert {total:,} records ({kinds}) into CSV files in a temporary folder of {home}"]
    if target.was_running:
        steps.append(f"stop the server of {home} (pid {target.server.pid()})")
    steps.append("build its (empty) database with Neo4j's bulk loader (heap, off-heap memory: see "
                 "graphbackend.server.local.LOADER_*); if the loader fails, the empty database is put back")
    steps.append("start the server" + ("" if target.was_running else " on free ports") +
                 ", create the schema (constraints, indexes, version marker), wait for the indexes, set the "
                 "text with line breaks the CSV files left out, warm up"
                 + ("" if target.was_running else ", stop it again"))
    return steps


def write_csv(uri: str, facts: SourceFacts, ids: Dict[str, List[str]], out_dir: Path, workers: int = 2,
              quiet: bool = False) -> Tuple[List[Tuple[str, List[Path]]], List[Tuple[str, List[Path]]],
                                            Dict[str, int], List[Path]]:
    """Convert every record into CSV files in ``out_dir`` (``workers`` processes).

    Returns the loader's node files and relationship files as (label spec or type,
    files) pairs, each list of files starting with its header, and the lines written
    per file key, and the files of text properties with line breaks, set after the load.
    """
    import multiprocessing

    tasks: List[Tuple[str, List[str]]] = [
        (kind, chunk) for kind in fmt.RECORD_TYPES for chunk in fmt.chunked(ids[kind], CHUNK)]
    lines: Dict[str, int] = {}
    bar = _progress_bar(sum(len(kind_ids) for kind_ids in ids.values()), quiet)
    try:
        if workers <= 1:
            _init_worker(uri, facts, str(out_dir))
            results: Iterator = map(_convert_chunk, tasks)
            pool = None
        else:
            pool = multiprocessing.get_context("spawn").Pool(
                workers, initializer=_init_worker, initargs=(uri, facts, str(out_dir)))
            results = pool.imap_unordered(_convert_chunk, tasks)
        for _kind, count, written in results:
            for key, n in written.items():
                lines[key] = lines.get(key, 0) + n
            bar.update(count)
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        bar.close()
        if workers <= 1 and "db" in _WORKER:
            _WORKER.pop("db").close()
    nodes: Dict[str, List[Path]] = {}
    relationships: List[Tuple[str, List[Path]]] = []
    set_later = sorted(out_dir.glob(f"{SET_LATER}.[0-9]*.csv"))
    for key in sorted(lines):
        if key == SET_LATER:
            continue
        header = out_dir / f"{key}.header.csv"
        parts = sorted(out_dir.glob(f"{key}.[0-9]*.csv"))
        if "-" in key:
            header.write_text(_header(edge_columns(key)))
            relationships.append((key.split("-")[1], [header, *parts]))
        else:
            header.write_text(_header(NODE_COLUMNS[key]))
            nodes[key if key != "Value" else ""] = [header, *parts]
    _dedupe_pending(out_dir, nodes)
    return list(nodes.items()), relationships, lines, set_later


def _dedupe_pending(out_dir: Path, nodes: Dict[str, List[Path]]) -> None:
    """One Pending node per missing id (several references may wait for it)."""
    files = nodes.get("Pending")
    if not files:
        return
    ids: Dict[str, None] = {}
    for part in files[1:]:
        ids.update(dict.fromkeys(part.read_text(encoding="utf-8").splitlines()))
        part.unlink()
    merged = out_dir / "Pending.all.csv"
    merged.write_text("".join(id + "\n" for id in ids), encoding="utf-8")
    nodes["Pending"] = [files[0], merged]


def fix_value_store_bytes(graph) -> int:
    """Give Values kept in a value store their empty ``value`` (CSV has no empty byte[])."""
    total = 0
    while True:
        updated = graph.write("bulk_value_store_bytes", empty=b"", limit=FIX_BATCH)[0]["updated"]
        total += updated
        if not updated:
            return total


def bulk_import(db, home: Optional[Path], execution_ids: Sequence[str] = (), tags: Sequence[Any] = (),
                uri_given: bool = False, dry_run: bool = False, quiet: bool = False, workers: int = 2,
                work_dir: Optional[Path] = None, echo: Callable[[str], None] = print,
                loader_args: Optional[List[str]] = None) -> Tuple[BulkSummary, List[str]]:
    """Import the whole redun database ``db`` into the empty database of the local
    server of ``home`` with Neo4j's bulk loader. Returns the summary and the plan
    (with ``dry_run`` only the plan: nothing is written, stopped or started, except
    that a stopped server is started and stopped again to see that it is empty).
    """
    from ..backend import schema
    from ..backend.warmup import warm_up
    from .transfer import redun_record_ids_by_type

    started = time.monotonic()
    target = check_target(home, bool(execution_ids or tags), uri_given, echo=None if quiet else echo)
    checked = time.monotonic()
    ids = redun_record_ids_by_type(db)
    counts = {kind: len(kind_ids) for kind, kind_ids in ids.items()}
    steps = plan(target, counts)
    summary = BulkSummary(records=sum(counts.values()), by_type=counts)
    if dry_run:
        return summary, steps
    server = target.server
    facts = read_facts(db)
    summary.phases["check"] = checked - started
    out_dir = Path(tempfile.mkdtemp(prefix=".bulk-import-", dir=work_dir or server.home))
    try:
        mark = time.monotonic()
        nodes, relationships, lines, set_later = write_csv(db.uri, facts, ids, out_dir, workers=workers,
                                                           quiet=quiet)
        set_later_rows = [json.loads(line) for path in set_later for line in path.read_text("utf-8").splitlines()]
        summary.nodes = sum(n for key, n in lines.items() if "-" not in key and key != SET_LATER)
        summary.relationships = sum(n for key, n in lines.items() if "-" in key and key != SET_LATER)
        summary.phases["read+convert"] = time.monotonic() - mark
        mark = time.monotonic()
        ports = (server.bolt_port, server.http_port, server.tls)
        if target.was_running:
            server.stop()
        summary.phases["server stop"] = time.monotonic() - mark
        if not quiet:
            echo(f"running Neo4j's bulk loader on {summary.nodes:,} nodes and "
                 f"{summary.relationships:,} relationships...")
        try:
            run = bulk_load(server, nodes, relationships, extra_args=loader_args)
        except ServerError:
            if target.was_running:
                _restart(server, ports)
            raise
        summary.phases["loader"] = run.seconds
        summary.bad_relationships = run.bad_relationships
        summary.loader_memory = _loader_memory(run.output)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    mark = time.monotonic()
    if target.was_running:
        _restart(server, ports)
    else:
        server = LocalServer(home=server.home, bolt_port=free_port(), http_port=free_port(), warm_up=False)
        server.start()
    summary.phases["server start"] = time.monotonic() - mark
    graph = server.graph()
    try:
        mark = time.monotonic()
        fix_value_store_bytes(graph)
        summary.phases["value-store bytes"] = time.monotonic() - mark
        mark = time.monotonic()
        schema.migrate(graph)
        graph.read_tx(lambda tx: tx.run_text("CALL db.awaitIndexes($timeout)", timeout=INDEX_TIMEOUT))
        summary.phases["schema+indexes"] = time.monotonic() - mark
        mark = time.monotonic()
        for chunk in fmt.chunked(set_later_rows, FIX_BATCH):
            graph.write("bulk_set_text", rows=chunk)
        summary.phases["multi-line text"] = time.monotonic() - mark
        mark = time.monotonic()
        warm_up(graph)
        summary.phases["warm-up"] = time.monotonic() - mark
    finally:
        graph.close()
        if not target.was_running:
            server.stop()
    summary.seconds = time.monotonic() - started
    return summary, steps


def _restart(server: LocalServer, ports: Tuple[int, int, bool]) -> None:
    """Start the server again where it ran (its ports; the launcher's default memory)."""
    server.bolt_port, server.http_port, server.tls = ports
    server.warm_up = False
    server.start()


def _loader_memory(output: str) -> str:
    """The loader's own memory figures (its 'Max heap memory' and 'Peak memory usage' lines)."""
    picked = [line.strip() for line in output.splitlines()
              if line.strip().startswith(("Max heap memory", "Peak memory usage", "Configured max memory"))]
    return "; ".join(picked)
