"""redun log's record query on the graph: which executions, jobs, call nodes, tasks and
values ``graphbackend log`` lists for a set of filters.

The filters and their meanings are redun's (``redun/backends/db/query.py``,
``setup_query_parser`` and ``CallGraphQuery``):

- record types: ``--exec``, ``--job``, ``--call-node``, ``--task``, ``--value``, ``--file``,
  ``--all``;
- ``--exec-status`` (RUNNING, FAILED, DONE) selects executions by their root job's status
  (DONE includes a cached root job); ``--job-status`` (RUNNING, FAILED, CACHED, DONE) jobs;
- ``--task-name`` (``name`` or ``namespace.name``) and ``--task-hash``: jobs and tasks;
- ``--value-type``, ``--file-path`` (``*`` is a wildcard): values;
- ``--exec-id``: everything that belongs to those executions (call nodes, tasks and values
  through the executions' jobs);
- ``--arg`` / ``--result`` (full value hashes): jobs whose call has that argument / result,
  or one containing it;
- ``--tag key[=value]``: records carrying that current tag; ``--exec-tag``: records of
  executions carrying it.

Which record types a combination shows follows redun's rules (a filter keeps only the
types it applies to; a type option chooses the types). One deliberate difference: when no
type option is given, redun shows executions and ignores job-, task- and value-level
filters (``--job-status`` alone even fails in redun 0.44.1); graphbackend shows the types
those filters select. Each type is one named query (``cypher/explore_log_*.cypher``), every
filter value a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Set

from redun.tags import ANY_VALUE, parse_tag_key_value

from ..backend.convert import encode_json
from ..backend.graph import Graph
from ..errors import ExploreError

#: Record types in the order redun lists them.
RECORD_TYPES = ("Execution", "Job", "CallNode", "Task", "Value")
EXECUTION_STATUSES = ("RUNNING", "FAILED", "DONE")
JOB_STATUSES = ("RUNNING", "FAILED", "CACHED", "DONE")
QUERIES = {
    "Execution": "explore_log_executions",
    "Job": "explore_log_jobs",
    "CallNode": "explore_log_call_nodes",
    "Task": "explore_log_tasks",
    "Value": "explore_log_values",
}
FILE_TYPE = "redun.File"


@dataclass
class LogFilters:
    """redun log's options (see the module doc); lists are None when not given."""

    all: bool = False
    exec: bool = False
    job: bool = False
    call_node: bool = False
    task: bool = False
    value: bool = False
    file: bool = False
    exec_status: Optional[str] = None
    job_status: Optional[str] = None
    task_name: Optional[List[str]] = None
    task_hash: Optional[List[str]] = None
    value_type: Optional[List[str]] = None
    file_path: Optional[List[str]] = None
    exec_id: Optional[str] = None
    arg: Optional[List[str]] = None
    result: Optional[List[str]] = None
    tag: Optional[List[str]] = None
    exec_tag: Optional[List[str]] = None
    #: Execution ids the ``exec_id`` prefixes resolved to (set by :func:`select`).
    exec_ids: Optional[List[str]] = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: Any) -> "LogFilters":
        names = [name for name in cls.__dataclass_fields__ if name != "exec_ids"]
        values: Dict[str, Any] = {name: getattr(args, name, None) or cls.__dataclass_fields__[name].default
                                  for name in names}
        return cls(**values)

    def has_type_options(self) -> bool:
        return any((self.all, self.exec, self.job, self.call_node, self.task, self.value, self.file))

    def has_filters(self) -> bool:
        return any((self.exec_status, self.job_status, self.task_name, self.task_hash, self.value_type,
                    self.file_path, self.exec_id, self.arg, self.result, self.tag, self.exec_tag))


def record_types(filters: LogFilters) -> List[str]:
    """The record types listed for ``filters``, as redun's ``parse_callgraph_query`` computes them."""
    types: Set[str] = set(RECORD_TYPES)
    chosen: Set[str] = set()
    if filters.exec_status:
        types &= {"Execution"}
        chosen.add("Execution")
    if filters.job_status:
        types &= {"Job"}
        chosen.add("Job")
    if filters.value_type or filters.file_path:
        types &= {"Value"}
        chosen.add("Value")
    if filters.all:
        chosen.update(RECORD_TYPES)
    for flag, name in ((filters.exec, "Execution"), (filters.job, "Job"), (filters.call_node, "CallNode"),
                       (filters.task, "Task"), (filters.value, "Value")):
        if flag:
            chosen.add(name)
    if filters.file:
        chosen = {"Value"}
    if chosen:
        types = chosen
    if filters.task_name or filters.task_hash:
        types &= {"Job", "Task"}
    if filters.arg or filters.result:
        types &= {"Job"}
    if not filters.has_type_options() and not filters.file_path and types == set(RECORD_TYPES):
        types = {"Execution"}  # redun's default: executions
    return [name for name in RECORD_TYPES if name in types]


def _statuses(text: Optional[str], allowed: Sequence[str], option: str) -> Optional[List[str]]:
    if not text:
        return None
    statuses = [status.strip().upper() for status in text.split(",") if status.strip()]
    unknown = [status for status in statuses if status not in allowed]
    if unknown or not statuses:
        raise ExploreError(f"{option}: unknown status {', '.join(unknown) or repr(text)} "
                           f"(use {', '.join(allowed)}, comma separated)")
    return statuses


def _tags(texts: Optional[List[str]], option: str) -> Optional[List[Dict[str, Any]]]:
    if not texts:
        return None
    tags = []
    for text in texts:
        try:
            key, value = parse_tag_key_value(text, value_required=False)
        except ValueError as error:
            raise ExploreError(f"{option}: {error}") from None
        tags.append({"key": key, "value": None if value is ANY_VALUE else encode_json(value)})
    return tags


def _task_names(names: Optional[List[str]]) -> Optional[List[Dict[str, Any]]]:
    if not names:
        return None
    result: List[Dict[str, Optional[str]]] = []
    for name in names:
        if "." in name:
            namespace, short = name.rsplit(".", 1)
            result.append({"namespace": namespace, "name": short})
        else:
            result.append({"namespace": None, "name": name})
    return result


def _file_patterns(paths: Optional[List[str]]) -> Optional[List[str]]:
    if not paths:
        return None
    return [".*".join(re.escape(part) for part in path.split("*")) for path in paths]


def parameters(filters: LogFilters) -> Dict[str, Any]:
    """The query parameters of ``filters`` (every filter value travels as a parameter)."""
    value_types = list(filters.value_type or [])
    if filters.file:
        value_types = value_types + [FILE_TYPE] if value_types else [FILE_TYPE]
    return {
        "exec_ids": filters.exec_ids,
        "exec_statuses": _statuses(filters.exec_status, EXECUTION_STATUSES, "--exec-status"),
        "job_statuses": _statuses(filters.job_status, JOB_STATUSES, "--job-status"),
        "task_names": _task_names(filters.task_name),
        "task_hashes": list(filters.task_hash) if filters.task_hash else None,
        "value_types": value_types or None,
        "file_patterns": _file_patterns(filters.file_path),
        "args": list(filters.arg) if filters.arg else None,
        "results": list(filters.result) if filters.result else None,
        "tags": _tags(filters.tag, "--tag"),
        "exec_tags": _tags(filters.exec_tag, "--exec-tag"),
    }


def resolve_execution(graph: Graph, text: str) -> str:
    """An execution id from a unique prefix, ``-`` (the latest) or ``~N`` (the N-th latest)."""
    from . import queries as _queries

    text = (text or "").strip()
    if text == "-" or re.fullmatch(r"~\d+", text):
        index = 1 if text == "-" else int(text[1:])
        if index < 1:
            raise ExploreError("execution index should be >= 1 (~1 is the latest)")
        records = graph.read("explore_executions", limit=index)
        if len(records) < index:
            raise ExploreError(f"execution index too high: {text} ({len(records)} executions recorded)")
        return records[index - 1]["id"]
    return _queries.resolve_id(graph, text, kinds=("execution",))["id"]


def select(graph: Graph, filters: LogFilters) -> List[Dict[str, Any]]:
    """The records ``graphbackend log`` lists for ``filters``, as plain dicts.

    Each has ``type`` (Execution, Job, CallNode, Task, Value) and ``id`` (execution or job
    id, call hash, task hash, value hash), ``tags`` and per type: executions ``args``,
    ``root_job_id``, ``task_name``, ``start_time``, ``end_time``, ``status``; jobs
    ``execution_id``, ``task_name``, ``start_time``, ``end_time``, ``cached``, ``call_hash``,
    ``status``, ``call_args``; call nodes and tasks ``task_name``; values ``value_type``,
    ``preview``, ``path``. Executions and jobs come newest first.
    """
    from .queries import plain

    if filters.exec_id:
        filters.exec_ids = [resolve_execution(graph, text) for text in filters.exec_id.split(",") if text.strip()]
    params = parameters(filters)
    types = record_types(filters)
    records: List[Dict[str, Any]] = []

    def work(tx):
        for name in types:
            wanted = _QUERY_PARAMS[name]
            for record in tx.run(QUERIES[name], **{key: params[key] for key in wanted}):
                records.append(plain(record.data()))

    graph.read_tx(work)
    return records


_QUERY_PARAMS = {
    "Execution": ("exec_ids", "exec_statuses", "tags", "exec_tags"),
    "Job": ("exec_ids", "job_statuses", "task_names", "task_hashes", "args", "results", "tags", "exec_tags"),
    "CallNode": ("exec_ids", "tags", "exec_tags"),
    "Task": ("exec_ids", "task_names", "task_hashes", "tags", "exec_tags"),
    "Value": ("exec_ids", "value_types", "file_patterns", "tags", "exec_tags"),
}
