"""redun's serialized record format (version 1) <-> graphbackend's graph model.

redun syncs repositories (``redun push``/``pull``, ``redun export``/``import``)
with JSON records, one per Execution, Job, CallNode, Value (with its File or
Task facts and subvalues) and Tag; see ``redun/backends/db/serializers.py``.
This module is pure Python:

- ``record_to_rows(record)`` turns one record into the node row for its
  ``record_put_*`` query and the edge rows for ``record_link`` (whose source
  element id is filled in once the node exists).
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

from ._convert import decode_json, encode_json, from_neo4j_time, to_neo4j_time
from ._errors import RecordFormatError

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

#: The properties record_pending_take returns besides an edge's own properties.
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
    return to_neo4j_time(parse_date(text))


def format_time(value: Any) -> Optional[str]:
    """A Neo4j DateTime as redun serializes timestamps (``str`` of the UTC datetime)."""
    value = from_neo4j_time(value)
    return str(value) if value else None


def job_status(result_type: Optional[str], end_time: Any, cached: Any) -> str:
    """A job's status, computed as redun's ``Job.calc_status`` does."""
    if result_type == "redun.ErrorValue":
        return "FAILED"
    if not end_time:
        return "RUNNING"
    if cached:
        return "CACHED"
    return "DONE"


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
                "fullname": f"{namespace}.{subtype['name']}" if namespace else subtype["name"],
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
            "children": list(record["children"]),
        }
        edges.append(_edge("TASK", "Value", record["task_hash"]))
        edges.append(_edge("CALL", "CallNode", record["call_hash"]))
    elif kind == "Execution":
        row = {"id": record["id"], "args": record["args"]}
        edges.append(_edge("ROOT_JOB", "Job", record["job_id"]))
    else:  # Tag
        row = {
            "tag_hash": record["tag_hash"],
            "entity_type": record["entity_type"],
            "entity_id": record["entity_id"],
            "key": record["key"],
            "value": encode_json(record["value"]),
        }
        label = TAG_ENTITY_LABELS.get(record["entity_type"])
        if label:
            edges.append(_edge("TAGGED", label, record["entity_id"]))
        edges += [_edge("SUPERSEDES", "Tag", parent) for parent in record["parents"]]
    return kind, row, [edge for edge in edges if edge is not None]


# Graph rows -> records -------------------------------------------------------


def execution_record(row: Dict[str, Any]) -> dict:
    """An Execution record from a ``record_get_executions`` row."""
    return {
        "_version": VERSION,
        "_type": "Execution",
        "id": row["id"],
        "args": row["args"],
        "job_id": row["job_id"],
    }


def job_record(row: Dict[str, Any]) -> dict:
    """A Job record from a ``record_get_jobs`` row."""
    children = sorted(
        row["children"],
        key=lambda pair: (pair[0] is not None, from_neo4j_time(pair[0]) or 0, pair[1]),
    )
    return {
        "_version": VERSION,
        "_type": "Job",
        "id": row["id"],
        "start_time": format_time(row["start_time"]),
        "end_time": format_time(row["end_time"]),
        "task_hash": row["task_hash"],
        "cached": row["cached"],
        "status": job_status(row["result_type"], row["end_time"], row["cached"]),
        "call_hash": row["call_hash"],
        "parent_id": row["parent_id"],
        "children": [child_id for _, child_id in children],
        "execution_id": row["execution_id"],
    }


def call_node_record(row: Dict[str, Any]) -> dict:
    """A CallNode record from a ``record_get_call_nodes`` row."""
    upstream: Dict[str, List[str]] = {}
    for arg_hash, call_hash in row["upstream"]:
        upstream.setdefault(arg_hash, []).append(call_hash)
    args_sorted = sorted(
        row["args"],
        key=lambda arg: (arg["position"] is None, arg["position"] or 0, arg["key"] or ""),
    )
    args = {
        (arg["key"] or str(arg["position"])): {
            "arg_hash": arg["arg_hash"],
            "value_hash": arg["value_hash"],
            "upstream": sorted(upstream.get(arg["arg_hash"], [])),
        }
        for arg in args_sorted
    }
    return {
        "_version": VERSION,
        "_type": "CallNode",
        "call_hash": row["call_hash"],
        "task_name": row["task_name"],
        "task_hash": row["task_hash"],
        "args_hash": row["args_hash"],
        "value_hash": row["value_hash"],
        "timestamp": format_time(row["timestamp"]),
        "args": args,
        "children": [child for _, child in sorted(row["children"], key=lambda pair: pair[0])],
    }


def value_record(row: Dict[str, Any]) -> dict:
    """A Value record from a ``record_get_values`` row."""
    subtype: Optional[dict] = None
    if row["is_file"]:
        subtype = {"_type": "File", "path": row["path"]}
    elif row["is_task"]:
        subtype = {
            "_type": "Task",
            "name": row["name"],
            "namespace": row["namespace"],
            "source": row["source"],
        }
    return {
        "_version": VERSION,
        "_type": "Value",
        "value_hash": row["value_hash"],
        "type": row["type"],
        "format": row["format"],
        "data": b64encode(bytes(row["data"] or b"")).decode("utf8"),
        "subvalues": sorted(row["subvalues"]),
        "subtype": subtype,
    }


def tag_record(row: Dict[str, Any]) -> dict:
    """A Tag record from a ``record_get_tags`` row."""
    return {
        "_version": VERSION,
        "_type": "Tag",
        "tag_hash": row["tag_hash"],
        "entity_type": row["entity_type"],
        "entity_id": row["entity_id"],
        "key": row["key"],
        "value": decode_json(row["value"]),
        "parents": sorted(row["parents"]),
    }


#: ``record_get_*`` query and row converter for each record type, in redun's order.
GETTERS = (
    ("Execution", "record_get_executions", execution_record),
    ("Job", "record_get_jobs", job_record),
    ("CallNode", "record_get_call_nodes", call_node_record),
    ("Value", "record_get_values", value_record),
    ("Tag", "record_get_tags", tag_record),
)


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
