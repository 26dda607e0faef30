"""Import redun databases into Neo4j and export Neo4j back into redun databases.

Both directions move redun's serialized records (``_records``): the source's
``get_records`` feeds the destination's ``put_records`` in batches, so an import
stopped half-way and run again skips what is already there and ends complete,
without duplicates.

- ``open_redun_db(location)``: a redun database (``sqlite:///...``,
  ``postgresql://...``, or a directory holding ``.redun/``), checked to be one
  with a supported schema version.
- ``import_records`` / ``export_records``: the transfer, with progress callbacks
  and an optional copy of value-store blobs.
"""

from __future__ import annotations

import configparser
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from redun.backends.base import TagEntity
from redun.backends.db import (
    REDUN_DB_MAX_VERSION,
    REDUN_DB_MIN_VERSION,
    CallNode,
    Execution,
    Job,
    RedunBackendDb,
    Subvalue,
    Tag,
    Value,
    get_abs_path,
    null_db_version,
)
from redun.backends.value_store import ValueStore
from redun.config import create_config_section
from redun.scheduler_config import get_abs_db_uri

from ..backend import sync_format as fmt
from ..errors import RedunSourceError
from ..settings import redact_uri

#: Records per transfer batch (one Neo4j transaction / one redun commit each; see
#: ``sync.PUT_BATCH`` for the tuning).
DEFAULT_BATCH_SIZE = 10000

Progress = Callable[[int, int], None]


@dataclass
class RedunDb:
    """An opened redun database and where its value store is (if any)."""

    backend: RedunBackendDb
    uri: str
    value_store_path: Optional[str] = None

    def close(self) -> None:
        """Release the database connection."""
        try:
            if self.backend.session is not None:
                self.backend.session.close()
            if self.backend.engine is not None:
                self.backend.engine.dispose()
        except Exception:  # closing is best effort
            pass


@dataclass
class TransferSummary:
    """What an import or export did."""

    seen: int = 0
    new: int = 0
    by_type: Counter = field(default_factory=Counter)
    blobs_copied: int = 0
    seconds: float = 0.0
    execution_ids: List[str] = field(default_factory=list)
    #: Executions left out of an export because they have no root job (never started).
    rootless_skipped: int = 0

    @property
    def rate(self) -> float:
        """Records per second."""
        return self.seen / self.seconds if self.seconds else 0.0


# Opening redun databases ---------------------------------------------------------


def _postgres_driver(uri: str) -> str:
    """``postgresql://`` with the PostgreSQL driver that is installed (psycopg 3, else psycopg2)."""
    if uri.startswith(("postgresql://", "postgres://")):
        import importlib.util

        if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2"):
            return "postgresql+psycopg2://" + uri.split("://", 1)[1]
    return uri


def resolve_location(location: str, create: bool = False) -> Tuple[str, Optional[str]]:
    """The database URI and value store path a SOURCE/DEST argument names.

    ``location`` is a database URI or a directory holding ``.redun/`` (its
    ``redun.ini`` is read for ``db_uri`` and ``value_store_path``, as redun does).
    """
    if "://" in location:
        location = _postgres_driver(location)
        if location.startswith("sqlite:///"):
            path = location[len("sqlite:///"):]
            if not create and path not in ("", ":memory:") and not os.path.isfile(path):
                raise RedunSourceError(f"no redun database at {location!r}: {path} is not a file")
        return location, None
    directory = os.path.abspath(location)
    config_dir = directory if os.path.basename(directory) == ".redun" else os.path.join(directory, ".redun")
    if not os.path.isdir(config_dir):
        if not create:
            raise RedunSourceError(
                f"{location!r} is neither a redun database URI (sqlite:///..., postgresql://...) "
                f"nor a directory holding a .redun/ repository"
            )
        os.makedirs(config_dir, exist_ok=True)
    parser = configparser.ConfigParser()
    parser.read(os.path.join(config_dir, "redun.ini"))
    section = parser["backend"] if parser.has_section("backend") else {}
    db_uri = get_abs_db_uri(section.get("db_uri", "sqlite:///redun.db"), config_dir)
    store = section.get("value_store_path")
    store_path = get_abs_path(config_dir, store) if store else None
    if db_uri.startswith("sqlite:///") and not create:
        path = db_uri[len("sqlite:///"):]
        if not os.path.isfile(path):
            raise RedunSourceError(f"the redun repository {location!r} has no database at {path}")
    return db_uri, store_path


def open_redun_db(location: str, create: bool = False, value_store_path: Optional[str] = None) -> RedunDb:
    """Open a redun database, checking it is one and its schema version is supported.

    ``create`` (for export) creates a new SQLite database and redun's schema.
    Raises RedunSourceError naming the problem otherwise.
    """
    db_uri, store_path = resolve_location(location, create=create)
    store_path = value_store_path or store_path
    config = {"db_uri": db_uri}
    if store_path:
        config["value_store_path"] = store_path
    backend = RedunBackendDb(config=create_config_section(config))
    try:
        backend.create_engine()
        version = backend.get_db_version()
    except RedunSourceError:
        raise
    except Exception as error:
        raise RedunSourceError(
            f"cannot read a redun database at {redact_uri(db_uri)}: {type(error).__name__}: {error}"
        ) from None
    if version == null_db_version:
        if not create:
            raise RedunSourceError(f"{redact_uri(db_uri)} is not a redun database (it has no redun schema)")
        backend.load(migrate=True)
    else:
        if not (REDUN_DB_MIN_VERSION <= version < REDUN_DB_MAX_VERSION):
            raise RedunSourceError(
                f"the redun database at {redact_uri(db_uri)} has schema version {version.major}.{version.minor} "
                f"({version.description!r}); graphbackend reads redun schema versions "
                f">= {REDUN_DB_MIN_VERSION.major}.{REDUN_DB_MIN_VERSION.minor} and < "
                f"{REDUN_DB_MAX_VERSION.major + 1}: upgrade it with `redun db upgrade` first"
            )
        backend.load(migrate=False)
        check_readable(backend, db_uri)
    return RedunDb(backend=backend, uri=db_uri, value_store_path=store_path)


#: The tables every supported redun schema has (an import reads all of them).
REDUN_CORE_TABLES = (
    "value", "subvalue", "argument", "argument_result", "evaluation", "call_edge",
    "call_node", "call_subtree_task", "execution", "job", "task", "tag",
)


def check_readable(backend: RedunBackendDb, db_uri: str) -> None:
    """Refuse, before anything is read or written, a redun database missing one of its
    tables or (SQLite) failing ``PRAGMA quick_check`` (a corrupted file)."""
    from sqlalchemy import inspect, text

    engine = backend.engine
    assert engine is not None
    try:
        present = set(inspect(engine).get_table_names())
        missing = [name for name in REDUN_CORE_TABLES if name not in present]
        problems = []
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                problems = [row[0] for row in connection.execute(text("PRAGMA quick_check")).fetchall()]
            problems = [] if problems == ["ok"] else problems
    except Exception as error:
        raise RedunSourceError(
            f"the redun database at {redact_uri(db_uri)} is unreadable "
            f"({type(error).__name__}: {str(error).splitlines()[0]}); nothing was imported"
        ) from None
    if missing:
        raise RedunSourceError(
            f"the redun database at {redact_uri(db_uri)} is incomplete: table(s) "
            f"{', '.join(missing)} missing; nothing was imported"
        )
    if problems:
        raise RedunSourceError(
            f"the redun database at {redact_uri(db_uri)} is corrupt (SQLite quick_check: "
            f"{problems[0]}{f' and {len(problems) - 1} more' if len(problems) > 1 else ''}); "
            "nothing was imported"
        )


# Choosing records ---------------------------------------------------------------


def parse_tag(text: str) -> Tuple[str, object]:
    """``key=value`` as a tag (the value is JSON when it parses, else a string)."""
    import json

    if "=" not in text:
        raise RedunSourceError(f"--tag expects key=value, not {text!r}")
    key, value = text.split("=", 1)
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def redun_execution_ids(db: RedunDb, ids: Sequence[str] = (), tags: Sequence[Tuple[str, object]] = ()) -> List[str]:
    """Execution ids of a redun database: the ones given (full ids or unique
    prefixes), those with a current tag ``key=value``, or all (newest first)."""
    session = db.backend.session
    assert session is not None, "open_redun_db loads the database"
    if not ids and not tags:
        rows = (
            session.query(Execution.id)
            .join(Job, Execution.job_id == Job.id)
            .order_by(Job.start_time.desc())
            .all()
        )
        return [row[0] for row in rows]
    found: List[str] = []
    for prefix in ids:
        rows = session.query(Execution.id).filter(Execution.id.startswith(prefix)).all()
        if len(rows) != 1:
            raise RedunSourceError(
                f"execution {prefix!r} is {'ambiguous' if rows else 'not in'} {redact_uri(db.uri)}"
            )
        found.append(rows[0][0])
    for key, value in tags:
        rows = session.query(Tag.entity_id, Tag.value).filter(
            Tag.entity_type == TagEntity.Execution, Tag.key == key, Tag.is_current.is_(True)
        )
        found += [entity_id for entity_id, tag_value in rows if tag_value == value]
    return list(dict.fromkeys(found))


def redun_record_ids_by_type(db: RedunDb) -> Dict[str, List[str]]:
    """Every record id of a redun database by record type (``fmt.RECORD_TYPES``),
    each list in the order ``redun_all_record_ids`` gives it."""
    session = db.backend.session
    assert session is not None, "open_redun_db loads the database"
    # Values that contain others (lists of Files...) after the others, so their
    # SUBVALUE edges find their targets instead of waiting as PENDING edges.
    parents = {row[0] for row in session.query(Subvalue.parent_value_hash).distinct()}
    values = [row[0] for row in session.query(Value.value_hash).all()]
    return {
        "Value": [id for id in values if id not in parents] + [id for id in values if id in parents],
        "CallNode": [row[0] for row in session.query(CallNode.call_hash).order_by(CallNode.timestamp).all()],
        "Job": [row[0] for row in session.query(Job.id).order_by(Job.start_time).all()],
        "Execution": [row[0] for row in session.query(Execution.id).all()],
        "Tag": [row[0] for row in session.query(Tag.tag_hash).all()],
    }


def redun_all_record_ids(db: RedunDb) -> List[str]:
    """Every record id of a redun database, referenced records first."""
    ids: List[str] = []
    for kind_ids in redun_record_ids_by_type(db).values():
        ids += kind_ids
    return ids


# Reading redun records fast -------------------------------------------------------

#: Ids per ``IN (...)`` of the record reader (below SQLite's variable limit).
READ_CHUNK = 5000


def _str_time(value) -> Optional[str]:
    return str(value) if value else None


def read_redun_records(db: RedunDb, ids: List[str], kinds: Sequence[str] = fmt.RECORD_TYPES) -> List[dict]:
    """The records of ``ids`` from a redun database, as ``RedunBackendDb.get_records``
    gives them (unknown ids skipped), read with a few plain SELECTs per record
    type instead of redun's ORM objects (about 5x faster; the import's reader).
    ``kinds`` (record types) limits the tables looked in, when the caller knows
    the ids' types (the bulk import: one table instead of five).

    A call's children come in the database's order, as redun gives them (its
    query has no ORDER BY either); a job's children are all its children by
    start time (redun's batch query lists only those among ``ids``).
    """
    from base64 import b64encode

    import sqlalchemy as sa
    from redun.backends.db import Argument, ArgumentResult, CallEdge, File, Subvalue, TagEdit, Task

    session = db.backend.session
    assert session is not None, "open_redun_db loads the database"
    records: List[dict] = []

    def rows(model_or_columns, column, keys) -> list:
        out: list = []
        columns = model_or_columns if isinstance(model_or_columns, list) else [model_or_columns]
        # One expanding parameter: SQLAlchemy compiles the statement once (a list
        # literal made a bound parameter per id at each execution, half the read time).
        statement = sa.select(*columns).where(column.in_(sa.bindparam("keys", expanding=True)))
        for chunk in fmt.chunked(keys, READ_CHUNK):
            out += session.execute(statement, {"keys": chunk}).all()
        return out

    ids = list(dict.fromkeys(ids))
    executions = rows([Execution.id, Execution.args, Execution.job_id], Execution.id, ids) if "Execution" in kinds else []
    records += [{"_version": 1, "_type": "Execution", "id": id, "args": args, "job_id": job_id}
                for id, args, job_id in executions]
    jobs = rows([Job.id, Job.start_time, Job.end_time, Job.task_hash, Job.cached, Job.call_hash,
                 Job.parent_id, Job.execution_id], Job.id, ids) if "Job" in kinds else []
    if jobs:
        job_ids = [row[0] for row in jobs]
        children: Dict[str, List[tuple]] = {}
        for parent, child, start in rows([Job.parent_id, Job.id, Job.start_time], Job.parent_id, job_ids):
            children.setdefault(parent, []).append((start is None, start or 0, child))
        result_types: Dict[str, str] = {}
        call_hashes = list({row[5] for row in jobs if row[5]})
        for chunk in fmt.chunked(call_hashes, READ_CHUNK):
            result_types.update(session.execute(
                sa.select(CallNode.call_hash, Value.type)
                .join(Value, CallNode.value_hash == Value.value_hash)
                .where(CallNode.call_hash.in_(chunk))).all())
        for id, start, end, task_hash, cached, call_hash, parent_id, execution_id in jobs:
            records.append({
                "_version": 1, "_type": "Job", "id": id, "start_time": _str_time(start),
                "end_time": _str_time(end), "task_hash": task_hash, "cached": cached,
                "status": fmt.job_status(result_types.get(call_hash), end, cached),
                "call_hash": call_hash, "parent_id": parent_id,
                "children": [child for *_, child in sorted(children.get(id, []), key=lambda c: (c[0], str(c[1]), c[2]))],
                "execution_id": execution_id,
            })
    calls = rows([CallNode.call_hash, CallNode.task_name, CallNode.task_hash, CallNode.args_hash,
                  CallNode.value_hash, CallNode.timestamp], CallNode.call_hash, ids) if "CallNode" in kinds else []
    if calls:
        call_ids = [row[0] for row in calls]
        edges: Dict[str, List[tuple]] = {}
        for parent, child, order in rows([CallEdge.parent_id, CallEdge.child_id, CallEdge.call_order],
                                         CallEdge.parent_id, call_ids):
            edges.setdefault(parent, []).append((order, child))
        arguments: Dict[str, list] = {}
        arg_hashes = []
        for arg_hash, call_hash, value_hash, position, key in rows(
                [Argument.arg_hash, Argument.call_hash, Argument.value_hash, Argument.arg_position,
                 Argument.arg_key], Argument.call_hash, call_ids):
            arguments.setdefault(call_hash, []).append((arg_hash, value_hash, position, key))
            arg_hashes.append(arg_hash)
        upstream: Dict[str, List[str]] = {}
        for arg_hash, result_call in rows([ArgumentResult.arg_hash, ArgumentResult.result_call_hash],
                                          ArgumentResult.arg_hash, arg_hashes):
            upstream.setdefault(arg_hash, []).append(result_call)
        for call_hash, task_name, task_hash, args_hash, value_hash, timestamp in calls:
            records.append({
                "_version": 1, "_type": "CallNode", "call_hash": call_hash, "task_name": task_name,
                "task_hash": task_hash, "args_hash": args_hash, "value_hash": value_hash,
                "timestamp": _str_time(timestamp),
                "args": {
                    (key or str(position)): {"arg_hash": arg_hash, "value_hash": arg_value,
                                             "upstream": sorted(upstream.get(arg_hash, []))}
                    for arg_hash, arg_value, position, key in arguments.get(call_hash, [])
                },
                "children": [child for _, child in edges.get(call_hash, [])],
            })
    values = rows([Value.value_hash, Value.type, Value.format, Value.value], Value.value_hash,
                  ids) if "Value" in kinds else []
    if values:
        value_ids = [row[0] for row in values]
        files = dict(rows([File.value_hash, File.path], File.value_hash, value_ids))
        tasks = {row[0]: row[1:] for row in rows([Task.hash, Task.name, Task.namespace, Task.source],
                                                 Task.hash, value_ids)}
        subvalues: Dict[str, List[str]] = {}
        for parent, child in rows([Subvalue.parent_value_hash, Subvalue.value_hash],
                                  Subvalue.parent_value_hash, value_ids):
            subvalues.setdefault(parent, []).append(child)
        for value_hash, type_name, format, data in values:
            subtype = None
            if value_hash in files:
                subtype = {"_type": "File", "path": files[value_hash]}
            elif value_hash in tasks:
                name, namespace, source = tasks[value_hash]
                subtype = {"_type": "Task", "name": name, "namespace": namespace, "source": source}
            records.append({
                "_version": 1, "_type": "Value", "value_hash": value_hash, "type": type_name,
                "format": format, "data": b64encode(data or b"").decode("utf8"),
                "subvalues": sorted(subvalues.get(value_hash, [])), "subtype": subtype,
            })
    tags = rows([Tag.tag_hash, Tag.entity_type, Tag.entity_id, Tag.key, Tag.value], Tag.tag_hash,
                ids) if "Tag" in kinds else []
    if tags:
        parents: Dict[str, List[str]] = {}
        for parent, child in rows([TagEdit.parent_id, TagEdit.child_id], TagEdit.child_id,
                                  [row[0] for row in tags]):
            parents.setdefault(child, []).append(parent)
        for tag_hash, entity_type, entity_id, key, value in tags:
            records.append({
                "_version": 1, "_type": "Tag", "tag_hash": tag_hash,
                "entity_type": getattr(entity_type, "name", entity_type), "entity_id": entity_id,
                "key": key, "value": value, "parents": parents.get(tag_hash, []),
            })
    return records


# Transfers -----------------------------------------------------------------------


def _copy_blobs(records: Iterable[dict], source: Optional[ValueStore], dest) -> int:
    """Copy the value-store blobs of Value records (empty data) from source to dest; return how many."""
    copied = 0
    if source is None or dest is None:
        return copied
    for record in records:
        if record["_type"] == "Value" and record["data"] == "":
            value_hash = record["value_hash"]
            if dest.has(value_hash):
                continue
            data, found = source.get(value_hash)
            if found:
                dest.put(value_hash, data)
                copied += 1
    return copied


def _prefetched(get_records: Callable[[List[str]], Iterable[dict]], batches: Iterable[List[str]],
                depth: int = 2) -> Iterable[Tuple[List[str], List[dict]]]:
    """``(batch, records)`` pairs, read by a background thread up to ``depth``
    batches ahead, so reading the source overlaps writing the destination.
    Only that thread touches the source; an error there is raised here."""
    import queue
    import threading

    pipe: "queue.Queue" = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def read() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                pipe.put((batch, list(get_records(batch))))
            pipe.put(done)
        except BaseException as error:  # handed to the writer
            pipe.put(error)

    reader = threading.Thread(target=read, name="graphbackend-transfer-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = pipe.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting on a full queue
            try:
                pipe.get_nowait()
            except queue.Empty:
                pass
            reader.join(timeout=0.05)


def transfer(
    get_records: Callable[[List[str]], Iterable[dict]],
    put_records: Callable[[List[dict]], int],
    batches: Iterable[List[str]],
    total: int,
    progress: Optional[Progress] = None,
    copy_blobs: Optional[Callable[[List[dict]], int]] = None,
) -> TransferSummary:
    """Move records batch by batch: get them from the source, put them into the
    destination (the next batches are read while one is written).

    ``copy_blobs(records)``, when given, copies their value-store blobs and returns how many.
    """
    summary = TransferSummary()
    start = time.monotonic()
    if progress:
        progress(0, total)
    for batch, records in _prefetched(get_records, batches):
        if copy_blobs:
            summary.blobs_copied += copy_blobs(records)
        summary.new += put_records(records)
        summary.seen += len(batch)
        summary.by_type.update(record["_type"] for record in records)
        if progress:
            progress(summary.seen, total)
    summary.seconds = time.monotonic() - start
    return summary


def import_records(
    db: RedunDb,
    backend,
    execution_ids: Sequence[str] = (),
    tags: Sequence[Tuple[str, object]] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Optional[Progress] = None,
    copy_values: bool = False,
) -> TransferSummary:
    """Import a redun database's records into a Neo4jBackend.

    Without ``execution_ids`` or ``tags``, every record of the database is
    imported; otherwise the selected executions and everything they own
    (redun's ``iter_record_ids``). ``copy_values`` copies value-store blobs
    into the backend's value store (else they stay in the redun value store).
    """
    selected = bool(execution_ids or tags)
    roots = redun_execution_ids(db, execution_ids, tags)
    if selected and not roots:
        raise RedunSourceError("no execution matches the selection")
    if selected:
        ids = [id for id in db.backend.iter_record_ids(roots) if id is not None]
    else:
        ids = redun_all_record_ids(db)
    copy = None
    if copy_values:
        if backend.value_store is None:
            raise RedunSourceError(
                "copying values needs a graphbackend value store: set value_store_path "
                "(redun config [backend] or --value-store)"
            )
        source_store = ValueStore(db.value_store_path) if db.value_store_path else None
        copy = lambda records: _copy_blobs(records, source_store, backend.value_store)  # noqa: E731
    summary = transfer(
        lambda batch: read_redun_records(db, batch),
        backend.put_records,
        fmt.chunked(ids, batch_size),
        len(ids),
        progress,
        copy,
    )
    summary.execution_ids = roots
    return summary


def graph_all_record_ids(backend) -> List[List[str]]:
    """Every record id in the graph as export units, in an order redun's
    foreign keys accept (a unit is written in one transaction)."""
    graph = backend.graph
    units: List[List[str]] = [[row["id"]] for row in graph.read("sync_export_value_ids")]
    units += [[row["id"]] for row in graph.read("sync_export_call_node_ids")]
    units += execution_units(graph.read("sync_export_job_ids"), graph.read("sync_export_execution_ids"))
    units += [[id] for id in tag_order(backend, [row["id"] for row in graph.read("sync_export_tag_ids")])]
    return units


def execution_units(job_rows, execution_rows) -> List[List[str]]:
    """Each execution with its jobs (jobs first, by start time), as one unit:
    redun's Job and Execution rows reference each other."""
    jobs: Dict[Optional[str], List[str]] = {}
    for row in job_rows:
        jobs.setdefault(row["execution_id"], []).append(row["id"])
    units = []
    for row in execution_rows:
        units.append(jobs.pop(row["id"], []) + [row["id"]])
    for orphans in jobs.values():
        units.append(orphans)
    return units


def tag_order(backend, tag_ids: List[str]) -> List[str]:
    """Tag ids with every tag after the tags it supersedes."""
    parents = {record["tag_hash"]: record["parents"] for record in backend.get_records(tag_ids, sorted=False)}
    ordered: List[str] = []
    done = set()

    def visit(tag_id: str) -> None:
        stack = [(tag_id, False)]
        while stack:
            current, expanded = stack.pop()
            if current in done:
                continue
            if expanded:
                done.add(current)
                ordered.append(current)
                continue
            stack.append((current, True))
            stack.extend((parent, False) for parent in parents.get(current, ()) if parent in parents)

    for tag_id in tag_ids:
        visit(tag_id)
    return ordered


def pack_units(units: Iterable[List[str]], batch_size: int, keep: Optional[set] = None) -> Iterable[List[str]]:
    """Batches of about ``batch_size`` ids that never split a unit."""
    batch: List[str] = []
    for unit in units:
        if keep is not None:
            unit = [id for id in unit if id in keep]
        if not unit:
            continue
        if batch and len(batch) + len(unit) > batch_size:
            yield batch
            batch = []
        batch += unit
    if batch:
        yield batch


#: redun's row classes in an order that satisfies their foreign keys.
_ROW_ORDER = ("Value", "File", "Task", "Subvalue", "CallNode", "CallEdge", "Argument",
              "ArgumentResult", "Job", "Execution", "Tag", "TagEdit")


def put_redun_records(redun_backend: RedunBackendDb, records: List[dict]) -> int:
    """Write records into a redun database as ``RedunBackendDb.put_records`` does,
    flushing each kind of row in foreign-key order.

    redun's own ``put_records`` adds all rows at once; on PostgreSQL (whose
    foreign keys are checked at once, unlike SQLite's during an import) the
    flush may insert a ``tag_edit`` row before its ``tag``. Same rows, same
    post-processing (tag currency), one transaction.
    """
    from redun.backends.db import with_defer_constraints

    serializer = redun_backend._record_serializer
    assert serializer is not None, "a loaded RedunBackendDb has its serializer"
    ids = [serializer.get_pk(record) for record in records]
    existing = set(redun_backend.has_records(ids))
    new = []
    for id, record in zip(ids, records):
        if id not in existing:
            existing.add(id)
            new.append(record)
    groups: Dict[str, list] = {}
    for record in new:
        for row in serializer.deserialize(record):
            groups.setdefault(type(row).__name__, []).append(row)
    with redun_backend.with_session() as session:
        with with_defer_constraints(session):
            with session.no_autoflush:
                for name in _ROW_ORDER:
                    if groups.get(name):
                        session.add_all(groups.pop(name))
                        session.flush()
                for rows in groups.values():
                    session.add_all(rows)
                session.flush()
            redun_backend._postprocess_new_records()
            session.commit()
    return len(new)


def export_records(
    backend,
    db: RedunDb,
    execution_ids: Sequence[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Optional[Progress] = None,
    copy_values: bool = False,
) -> TransferSummary:
    """Export the graph's records (all, or the given executions and what they
    own) into a redun database, so redun's own tools can read them.

    ``copy_values`` copies value-store blobs from the backend's value store
    into the redun database's value store.
    """
    units = graph_all_record_ids(backend)
    keep = None
    if execution_ids:
        missing = [id for id in execution_ids if not backend.has_records([id])]
        if missing:
            raise RedunSourceError(f"no execution {missing[0]!r} in the graph at {backend.uri}")
        keep = set(backend.iter_record_ids(execution_ids))
    total = sum(len(unit) for unit in units) if keep is None else len(keep)
    copy = None
    if copy_values:
        if not db.value_store_path:
            raise RedunSourceError(
                "copying values needs a value store for the redun database: pass --value-store"
            )
        dest_store = ValueStore(db.value_store_path)
        copy = lambda records: _copy_blobs(records, backend.value_store, dest_store)  # noqa: E731
    summary = transfer(
        lambda batch: backend.get_records(batch),
        lambda records: put_redun_records(db.backend, records),
        pack_units(units, batch_size, keep),
        total,
        progress,
        copy,
    )
    summary.execution_ids = list(execution_ids)
    summary.rootless_skipped = backend.graph.read_single("sync_export_rootless")["rootless"]
    return summary
