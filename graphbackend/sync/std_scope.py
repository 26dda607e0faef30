"""What a standard export (W3C PROV, Workflow Run RO-Crate) covers, read from the graph.

A scope is a set of executions, chosen by id (prefix), by current tag
(``KEY=VALUE`` or ``KEY``), or by a file's lineage (the executions whose jobs
produced a File at that path). ``read_scope`` returns plain data: executions,
their jobs (with each job's call: task, argument and result values, and the
jobs whose results flowed into it) and the tasks.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..backend.graph import Graph
from ..errors import HistoryError


@dataclass
class Scope:
    executions: List[Dict[str, Any]] = field(default_factory=list)
    jobs: List[Dict[str, Any]] = field(default_factory=list)
    tasks: Dict[str, Dict[str, Any]] = field(default_factory=dict)

    def values(self) -> Dict[str, Dict[str, Any]]:
        """Every argument and result value of the jobs, by hash."""
        found: Dict[str, Dict[str, Any]] = {}
        for job in self.jobs:
            for value in job["args"] + ([job["result"]] if job["result"] else []):
                found.setdefault(value["value_hash"], value)
        return found


def _tag_param(key: str, value: Optional[str]) -> Dict[str, Any]:
    if value is None:
        return {"key": key, "value": None}
    try:
        decoded = json.loads(value)
    except ValueError:
        decoded = value
    return {"key": key, "value": json.dumps(decoded, sort_keys=True, separators=(",", ":"))}


def read_scope(graph: Graph, execution_ids: Sequence[str] = (), tags: Sequence[Tuple[str, Optional[str]]] = (),
               file_paths: Sequence[str] = ()) -> Scope:
    """The executions selected (all of them when nothing is selected), their jobs and tasks."""
    paths: List[str] = []
    for path in file_paths:
        paths.extend({path, os.path.abspath(path)})
    if not (execution_ids or tags or file_paths):
        rows = graph.read("export_std_scope", execution_prefixes=[""], tags=[], file_paths=[])
    else:
        rows = graph.read("export_std_scope", execution_prefixes=list(execution_ids),
                          tags=[_tag_param(k, v) for k, v in tags], file_paths=paths)
    executions: Dict[str, Dict[str, Any]] = {}
    for row in rows:
        executions.setdefault(row["id"], row.data())
    if not executions:
        raise HistoryError("export: the selection matches no execution")
    scope = Scope(executions=list(executions.values()))
    scope.jobs = [r.data() for r in graph.read("export_std_jobs", execution_ids=list(executions))]
    hashes = sorted({job["task_hash"] for job in scope.jobs if job["task_hash"]})
    scope.tasks = {r["hash"]: r.data() for r in graph.read("export_std_tasks", task_hashes=hashes)}
    return scope
