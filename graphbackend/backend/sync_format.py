"""redun's serialized record format (version 1) <-> graphbackend's graph model.

redun syncs repositories (``redun push``/``pull``, ``redun export``/``import``)
with JSON records, one per Execution, Job, CallNode, Value (with its File or
Task facts and subvalues) and Tag; see ``redun/backends/db/serializers.py``.
This module is pure Python:

- ``record_to_rows(record)`` turns one record into the node row and edge rows
  that both import routes write: the online one (``import_create_*`` and
  ``import_link_*`` queries, the source element id filled in once the node
  exists) and the offline one (``graphbackend.sync.bulk``, CSV files for
  Neo4j's bulk loader). Facts that need other records (a Job's task names, an
  Execution's times, a Tag's currency) are not in these rows: the online route
  looks them up in the graph, the bulk route in the source.
- ``*_record(row)`` turn the rows of the ``record_get_*`` queries back into
  records, exactly as redun's serializers write them.

Fidelity notes: timestamps are written as redun does (``str(datetime)``, UTC);
tag values are kept as canonical JSON text, so a dict value comes back with its
keys sorted; orders redun leaves to the database are made deterministic
(job children by start time, call children by call order, arguments by
position then key, parents and subvalues sorted).
"""

from __future__ import annotations

import datetime as _dt
from base64 import b64decode, b64encode
from typing import Any, Dict, Iterable, List, Optional, Tuple

from dateutil.parser import parse as parse_date

from ..errors import RecordFormatError
from .convert import decode_json, encode_json, to_neo4j_time

#: The record format version this code reads and writes (redun's ``VERSION``).
VERSION = 1

#: Record types, in the order their nodes are written within a batch (targets
#: of references first, so fewer references have to wait as PENDING edges).
RECORD_TYPES = ("Value", "CallNode", "Job", "Execution", "Tag")

#: The key field of each record type.
PK_FIELDS = {
    "Execution": "id",
    "Job": "id",
    "CallNode": "call_hash",
    "Value": "value_hash",
    "Tag": "tag_hash",
}

#: The node label a tagged entity has in the graph, by redun's TagEntity name
#: (a Task is a Value node; the Null entity of delete tags has no node).
TAG_ENTITY_LABELS = {
    "Execution": "Execution",
    "Job": "Job",
    "CallNode": "CallNode",
    "Value": "Value",
    "Task": "Value",
}

#: The properties sync_pending_take returns besides an edge's own properties.
PENDING_META = ("type", "label", "ident", "ref")


def record_pk(record: dict) -> str:
    """The id of a record (its primary key in redun's database)."""
    check_record(record)
    return record[PK_FIELDS[record["_type"]]]


def check_record(record: Any) -> None:
    """Raise RecordFormatError unless ``record`` is a redun record this code reads."""
    if not isinstance(record, dict):
        raise RecordFormatError(f"a redun record must be a dict, not {type(record).__name__}")
    version = record.get("_version")
    if version != VERSION:
        raise RecordFormatError(
            f"unsupported redun record version {version!r} (graphbackend reads version {VERSION})"
        )
    if record.get("_type") not in PK_FIELDS:
        raise RecordFormatError(f"unknown redun record type {record.get('_type')!r}")


def parse_time(text: Optional[str]) -> Optional[_dt.datetime]:
    """A record timestamp (``str(datetime)``) as an aware UTC datetime, as redun parses it."""
    if not text:
        return None
    try:
        # redun writes str(datetime), which this parses exactly and ~20x faster.
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        value = parse_date(text)
    return to_neo4j_time(value)


def job_status(result_type: Optional[str], end_time: Any, cached: Any) -> str:
    """A job's status, computed as redun's ``Job.calc_status`` does."""
    if result_type == "redun.ErrorValue":
        return "FAILED"
    if not end_time:
        return "RUNNING"
    if cached:
        return "CACHED"
    return "DONE"


def task_fullname(name: str, namespace: Optional[str]) -> str:
    """A Task's full name, as redun writes it (``namespace.name``, or ``name``)."""
    return f"{namespace}.{name}" if namespace else name


def short_task_name(task_name: Optional[str]) -> Optional[str]:
    """A CallNode's ``name`` (Browser's caption): the last part of its dotted task name."""
    return None if task_name is None else task_name.rsplit(".", 1)[-1]


#: Characters of a tag key that the ``tag_key_prefix`` index holds (``Tag.key_prefix``).
TAG_KEY_PREFIX = 256


def tag_key_prefix(key: Optional[str]) -> Optional[str]:
    """A Tag's ``key_prefix``: the first ``TAG_KEY_PREFIX`` characters of its key."""
    return None if key is None else key[:TAG_KEY_PREFIX]


def _edge(type_: str, label: str, dst: Optional[str], ident: str = "none", **props: Any) -> Optional[dict]:
    if dst is None or dst == "":
        return None
    if ident == "arg":
        ref = props["arg_hash"]
    elif ident == "order":
        ref = str(props["call_order"])
    else:
        ref = ""
    return {"type": type_, "label": label, "dst": dst, "ident": ident, "ref": ref, "props": props}


def record_to_rows(record: dict, preview=None) -> Tuple[str, dict, List[dict]]:
    """Turn one record into ``(record type, node row, edge rows)``.

    ``preview(type, format, data)`` may give the Value's short preview text.
    """
    check_record(record)
    kind = record["_type"]
    edges: List[Optional[dict]] = []
    if kind == "Value":
        data = b64decode(record["data"])
        in_store = len(data) == 0
        subtype = record.get("subtype") or None
        row = {
            "value_hash": record["value_hash"],
            "type": record["type"],
            "format": record["format"],
            "value": data,
            "in_value_store": in_store,
            "size": None if in_store else len(data),
            "preview": None if in_store or preview is None else preview(record["type"], record["format"], data),
            "path": subtype["path"] if subtype and subtype["_type"] == "File" else None,
            "task": None,
        }
        if subtype and subtype["_type"] == "Task":
            namespace = subtype["namespace"]
            row["task"] = {
                "name": subtype["name"],
                "namespace": namespace,
                "fullname": task_fullname(subtype["name"], namespace),
                "source": subtype["source"],
            }
        edges += [_edge("SUBVALUE", "Value", child) for child in record["subvalues"]]
    elif kind == "CallNode":
        row = {
            "call_hash": record["call_hash"],
            "task_name": record["task_name"],
            "task_hash": record["task_hash"],
            "args_hash": record["args_hash"],
            "value_hash": record["value_hash"],
            "timestamp": parse_time(record["timestamp"]),
            "name": short_task_name(record["task_name"]),
        }
        edges.append(_edge("TASK", "Value", record["task_hash"]))
        edges.append(_edge("RESULT", "Value", record["value_hash"]))
        for key, arg in record["args"].items():
            position, name = (int(key), None) if key.isdigit() else (None, key)
            edges.append(
                _edge("ARG", "Value", arg["value_hash"], "arg",
                      arg_hash=arg["arg_hash"], position=position, key=name)
            )
            edges += [
                _edge("UPSTREAM", "CallNode", upstream, "arg", arg_hash=arg["arg_hash"])
                for upstream in arg["upstream"]
            ]
        edges += [
            _edge("CHILD", "CallNode", child, "order", call_order=order)
            for order, child in enumerate(record["children"])
        ]
    elif kind == "Job":
        row = {
            "id": record["id"],
            "start_time": parse_time(record["start_time"]),
            "end_time": parse_time(record["end_time"]),
            "task_hash": record["task_hash"],
            "call_hash": record["call_hash"],
            "execution_id": record["execution_id"],
            "cached": record["cached"],
            "status": record.get("status"),
            "parent_id": record["parent_id"],
        }
        edges.append(_edge("TASK", "Value", record["task_hash"]))
        edges.append(_edge("CALL", "CallNode", record["call_hash"]))
        # The job's link to its parent, made as (parent)-[:CHILD]->(job) (every child's
        # record names its parent; redun fills a record's `children` only with the
        # children in the same batch, so that list is not needed).
        edges.append(_edge("PARENT", "Job", record["parent_id"]))
    elif kind == "Execution":
        row = {"id": record["id"], "args": record["args"]}
        edges.append(_edge("ROOT_JOB", "Job", record["job_id"]))
    else:  # Tag
        row = {
            "tag_hash": record["tag_hash"],
            "entity_type": record["entity_type"],
            "entity_id": record["entity_id"],
            "key": record["key"],
            "key_prefix": tag_key_prefix(record["key"]),
            "value": encode_json(record["value"]),
        }
        label = TAG_ENTITY_LABELS.get(record["entity_type"])
        if label:
            edges.append(_edge("TAGGED", label, record["entity_id"]))
        edges += [_edge("SUPERSEDES", "Tag", parent) for parent in record["parents"]]
    return kind, row, [edge for edge in edges if edge is not None]


# Graph rows -> records -------------------------------------------------------
#
# The sync_get / sync_get_values queries return each record as one flat list
# (cheaper for the driver to decode than named columns) and times as integer
# microseconds since the Unix epoch (cheaper than Neo4j DateTime values).

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def format_micros(micros: Optional[int]) -> Optional[str]:
    """Microseconds since the epoch as redun serializes timestamps (``str`` of the UTC datetime)."""
    if micros is None:
        return None
    return str(_EPOCH + _dt.timedelta(microseconds=micros))


def execution_record(row: List[Any]) -> dict:
    """An Execution record from a ``sync_get`` execution row ``[id, args, job_id]``."""
    id, args, job_id = row
    return {
        "_version": VERSION,
        "_type": "Execution",
        "id": id,
        "args": args,
        "job_id": job_id,
    }


def _child_job_key(pair: List[Any]) -> tuple:
    start, id = pair
    return (start is not None, start or 0, id)


def job_record(row: List[Any]) -> dict:
    """A Job record from a ``sync_get`` job row (see the query for its fields)."""
    (id, start_time, end_time, task_hash, cached, call_hash, execution_id,
     result_type, parent_id, children) = row
    if len(children) > 1:
        children = sorted(children, key=_child_job_key)
    return {
        "_version": VERSION,
        "_type": "Job",
        "id": id,
        "start_time": format_micros(start_time),
        "end_time": format_micros(end_time),
        "task_hash": task_hash,
        "cached": cached,
        "status": job_status(result_type, end_time is not None, cached),
        "call_hash": call_hash,
        "parent_id": parent_id,
        "children": [child_id for _, child_id in children],
        "execution_id": execution_id,
    }


def _arg_key(arg: List[Any]) -> tuple:
    position, key = arg[1], arg[2]
    return (position is None, position or 0, key or "")


def call_node_record(row: List[Any]) -> dict:
    """A CallNode record from a ``sync_get`` call node row (see the query for its fields)."""
    (call_hash, task_name, task_hash, args_hash, value_hash, timestamp,
     arg_rows, upstream_pairs, children) = row
    upstream: Dict[str, List[str]] = {}
    for arg_hash, upstream_hash in upstream_pairs:
        upstream.setdefault(arg_hash, []).append(upstream_hash)
    if len(arg_rows) > 1:
        arg_rows = sorted(arg_rows, key=_arg_key)
    args = {
        (key or str(position)): {
            "arg_hash": arg_hash,
            "value_hash": arg_value_hash,
            "upstream": sorted(upstream[arg_hash]) if arg_hash in upstream else [],
        }
        for arg_hash, position, key, arg_value_hash in arg_rows
    }
    if len(children) > 1:
        children = sorted(children, key=lambda pair: pair[0])
    return {
        "_version": VERSION,
        "_type": "CallNode",
        "call_hash": call_hash,
        "task_name": task_name,
        "task_hash": task_hash,
        "args_hash": args_hash,
        "value_hash": value_hash,
        "timestamp": format_micros(timestamp),
        "args": args,
        "children": [child for _, child in children],
    }


def value_record(row: List[Any]) -> dict:
    """A Value record from a ``sync_get_values`` row (see the query for its fields)."""
    value_hash, type_name, format, data, facts, subvalues = row
    subtype: Optional[dict] = None
    if facts is None:
        pass
    elif len(facts) == 1:
        subtype = {"_type": "File", "path": facts[0]}
    else:
        name, namespace, source = facts
        subtype = {
            "_type": "Task",
            "name": name,
            "namespace": namespace,
            "source": source,
        }
    return {
        "_version": VERSION,
        "_type": "Value",
        "value_hash": value_hash,
        "type": type_name,
        "format": format,
        "data": b64encode(bytes(data or b"")).decode("utf8"),
        "subvalues": sorted(subvalues) if len(subvalues) > 1 else subvalues,
        "subtype": subtype,
    }


def tag_record(row: List[Any]) -> dict:
    """A Tag record from a ``sync_get`` tag row (see the query for its fields)."""
    tag_hash, entity_type, entity_id, key, value, parents = row
    return {
        "_version": VERSION,
        "_type": "Tag",
        "tag_hash": tag_hash,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "key": key,
        "value": decode_json(value),
        "parents": sorted(parents),
    }


def chunked(items: Iterable[Any], size: int) -> Iterable[List[Any]]:
    """Split an iterable into lists of at most ``size`` items."""
    chunk: List[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
