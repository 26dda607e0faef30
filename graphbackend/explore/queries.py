"""Reading provenance back: the data behind ``graphbackend log``, ``show`` and ``lineage``.

Every function takes a :class:`~graphbackend.backend.graph.Graph`, runs ``explore_*``
queries (read transactions only) and returns plain JSON-ready data: dicts,
lists, strings and numbers, times as ISO-8601 text. Rendering for a terminal
lives in ``_explore_cli``.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

from ..backend.graph import Graph
from ..errors import ExploreError

__all__ = ["ExploreError", "execution", "lineage", "recent_executions", "resolve_id", "show"]


#: How many ids an ambiguous prefix lists.
AMBIGUOUS_LIMIT = 10
#: Default depth limit of a lineage (calls upstream of the value).
DEFAULT_LINEAGE_DEPTH = 50


def plain(value: Any) -> Any:
    """``value`` with Neo4j temporal values as ISO text, bytes dropped, recursively."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return None
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _sorted_props(props: Dict[str, Any]) -> Dict[str, Any]:
    return {key: plain(props[key]) for key in sorted(props)}


# log -------------------------------------------------------------------------------


def recent_executions(graph: Graph, limit: int = 10, with_jobs: bool = True) -> List[Dict[str, Any]]:
    """The ``limit`` most recent executions, newest first, each with its job tree.

    Each execution: ``id``, ``start_time``, ``args`` (the command line, a list),
    ``task_name`` (root job's task), ``status``, ``jobs``, ``cached``, ``failed``
    and, when ``with_jobs``, ``job_tree`` (see :func:`job_tree`).
    """
    executions = [plain(record.data()) for record in graph.read("explore_executions", limit=int(limit))]
    for execution in executions:
        execution["args"] = _parse_args(execution.get("args"))
    if with_jobs and executions:
        trees = job_trees(graph, [execution["id"] for execution in executions])
        for execution in executions:
            execution["job_tree"] = trees.get(execution["id"], [])
    return executions


def execution(graph: Graph, execution_id: str, with_jobs: bool = True) -> Dict[str, Any]:
    """One execution (given by id or unique id prefix) with its job tree.

    ``status`` is redun's Execution.status (the root job's: FAILED, RUNNING, or DONE for a
    done or cached root job; FAILED without a root job); ``jobs``, ``done``, ``cached``,
    ``failed``, ``running`` count the jobs by redun's Job.status.
    """
    full_id = resolve_id(graph, execution_id, kinds=("execution",))["id"]
    record = graph.read_single("explore_show_execution", id=full_id)
    props = _sorted_props(record["props"])
    result = {
        "kind": "execution",
        "id": full_id,
        "start_time": props.get("start_time"),
        "updated_time": props.get("updated_time"),
        "args": _parse_args(props.get("args")),
        "root_job_id": record["root_job_id"],
        "task_name": record["task_name"],
        "tags": plain(record["tags"]),
    }
    tree = job_trees(graph, [full_id]).get(full_id, [])
    flat = list(_walk(tree))
    root = next((job for job in flat if job["id"] == record["root_job_id"]), None)
    if root is not None and root.get("start_time"):
        result["start_time"] = root["start_time"]
    result["status"] = execution_status(root.get("status") if root else None)
    result.update(job_counts(flat))
    if with_jobs:
        result["job_tree"] = tree
    return result


def execution_status(root_job_status: Optional[str]) -> str:
    """redun's Execution status from its root job's status (CACHED shows as DONE)."""
    if root_job_status is None:
        return "FAILED"
    return "DONE" if root_job_status in ("DONE", "CACHED") else root_job_status


def job_counts(jobs: Iterable[Dict[str, Any]]) -> Dict[str, int]:
    """``jobs``, ``done``, ``cached``, ``failed``, ``running``: jobs counted by redun's status."""
    counts = {"jobs": 0, "done": 0, "cached": 0, "failed": 0, "running": 0}
    for job in jobs:
        counts["jobs"] += 1
        key = (job.get("status") or "").lower()
        if key in counts:
            counts[key] += 1
    return counts


def _parse_args(args: Any) -> Any:
    if isinstance(args, str):
        try:
            return json.loads(args)
        except ValueError:
            return args
    return args


def job_trees(graph: Graph, execution_ids: List[str]) -> Dict[str, List[Dict[str, Any]]]:
    """For each execution id, its root jobs as nested dicts with ``children`` lists."""
    records = graph.read("explore_execution_jobs", execution_ids=list(execution_ids))
    nodes: Dict[str, Dict[str, Any]] = {}
    order: List[tuple] = []
    for record in records:
        data = plain(record.data())
        execution_id = data.pop("execution_id")
        parent_id = data.pop("parent_id")
        data["children"] = []
        nodes[data["id"]] = data
        order.append((execution_id, parent_id, data))
    trees: Dict[str, List[Dict[str, Any]]] = {}
    for execution_id, parent_id, data in order:
        parent = nodes.get(parent_id) if parent_id else None
        if parent is not None:
            parent["children"].append(data)
        else:
            trees.setdefault(execution_id, []).append(data)
    return trees


def _walk(jobs: Iterable[Dict[str, Any]]):
    for job in jobs:
        yield job
        yield from _walk(job.get("children", []))


# show ------------------------------------------------------------------------------

KINDS = ("execution", "job", "call", "task", "value")


def resolve_id(graph: Graph, text: str, kinds: Iterable[str] = KINDS) -> Dict[str, str]:
    """Find the one execution, job, call node or value whose id starts with ``text``.

    Returns ``{"kind", "id"}``. An exact id wins over longer ids it prefixes.
    Raises :class:`ExploreError` when nothing matches or the prefix is ambiguous.
    """
    text = (text or "").strip()
    if not text:
        raise ExploreError("an id (or the start of one) is required")
    kinds = tuple(kinds)
    matches = [
        {"kind": record["kind"], "id": record["id"]}
        for record in graph.read("explore_find_id", prefix=text, limit=200)
        if record["kind"] in kinds
    ]
    exact = [match for match in matches if match["id"] == text]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    what = " or ".join(kinds) if len(kinds) < len(KINDS) - 1 else "execution, job, call node or value"
    if not matches:
        raise ExploreError(f"no {what} has an id starting with {text!r}")
    listed = ", ".join(f"{match['kind']} {match['id']}" for match in matches[:AMBIGUOUS_LIMIT])
    more = f" and {len(matches) - AMBIGUOUS_LIMIT} more" if len(matches) > AMBIGUOUS_LIMIT else ""
    raise ExploreError(f"{text!r} is ambiguous: it starts {listed}{more}; give more characters")


def show(graph: Graph, text: str, kind: Optional[str] = None) -> Dict[str, Any]:
    """One execution, job, call node or value, by id or unique id prefix, with its neighbours.

    ``kind`` (execution, job, call, value) restricts the lookup to that kind of record.
    """
    found = resolve_id(graph, text, kinds=(kind,) if kind else KINDS)
    kind, full_id = found["kind"], found["id"]
    if kind == "execution":
        return execution(graph, full_id)
    if kind == "job":
        record = graph.read_single("explore_show_job", id=full_id)
        result = plain(record["result"])
        item = {
            "kind": "job",
            "id": full_id,
            "status": record["status"],
            "properties": _sorted_props(record["props"]),
            "parent_id": record["parent_id"],
            "call_hash": record["call_hash"],
            "result": result,
            "task": plain(record["task"]),
            "children": plain(record["children"]),
            "tags": plain(record["tags"]),
        }
        item["properties"]["status"] = record["status"]
        if record["call_hash"]:
            item["dataflow"] = lineage_of_call(graph, record["call_hash"])
        return item
    if kind == "call":
        record = graph.read_single("explore_show_call", call_hash=full_id)
        return {
            "kind": "call",
            "id": full_id,
            "properties": _sorted_props(record["props"]),
            "args": [arg for arg in plain(record["args"]) if arg],
            "result": plain(record["result"]),
            "children": plain(record["children"]),
            "parents": plain(record["parents"]),
            "jobs": record["jobs"],
            "cached_jobs": record["cached_jobs"],
        }
    record = graph.read_single("explore_show_value", value_hash=full_id)
    props = _sorted_props({k: v for k, v in record["props"].items() if k != "value"})
    return {
        "kind": "value",
        "id": full_id,
        "labels": sorted(record["labels"]),
        "properties": props,
        "result_of": plain(record["results_of"]),
        "argument_of": plain(record["argument_of"]),
        "subvalues": plain(record["subvalues"]),
        "parents": plain(record["parents"]),
        "tags": plain(record["tags"]),
    }


# lineage ---------------------------------------------------------------------------


def resolve_value(graph: Graph, text: str, all_versions: bool = False) -> Dict[str, Any]:
    """The value a lineage starts from: a File by path (or path end), or a value hash prefix.

    When several values carry the same path (versions of a File), the newest is chosen as
    ``redun log PATH`` does: the one most recently produced by a job (else the one most
    recently used as an argument). The result has ``versions`` (how many values carry
    that path) and, with ``all_versions``, ``older``: the other versions, newest first.
    """
    text = (text or "").strip()
    if not text:
        raise ExploreError("a file path or a value hash is required")
    records = [plain(record.data()) for record in graph.read("explore_resolve_value", text=text, limit=200)]
    if not records:
        raise ExploreError(f"no File with path {text!r} and no value whose hash starts with {text!r}")
    best_rank = records[0]["rank"]
    best = [record for record in records if record["rank"] == best_rank]
    paths = {record["path"] for record in best}
    if len(best) > 1 and (len(paths) > 1 or None in paths):
        listed = ", ".join(
            (record["path"] or record["value_hash"]) + f" ({record['value_hash'][:8]})"
            for record in best[:AMBIGUOUS_LIMIT]
        )
        raise ExploreError(f"{text!r} matches several values: {listed}; be more precise")
    versions = value_versions(graph, [record["value_hash"] for record in best])
    chosen = dict(versions[0])
    chosen["versions"] = len(versions)
    if all_versions:
        chosen["older"] = versions[1:]
    return chosen


def value_versions(graph: Graph, value_hashes: List[str]) -> List[Dict[str, Any]]:
    """The values with when each was last produced and used, newest first (redun's order
    for ``redun log PATH``: produced values before values only used, each by time)."""
    rows = [plain(record.data()) for record in graph.read("explore_value_versions", value_hashes=value_hashes)]

    produced = sorted((row for row in rows if row.get("produced_at")),
                      key=lambda row: (row["produced_at"], row["value_hash"]), reverse=True)
    used = sorted((row for row in rows if not row.get("produced_at")),
                  key=lambda row: (row.get("used_at") or "", row["value_hash"]), reverse=True)
    return produced + used


def lineage(graph: Graph, text: str, max_depth: int = DEFAULT_LINEAGE_DEPTH,
            all_versions: bool = False) -> Dict[str, Any]:
    """The upstream chain of a File (by path) or value (by hash prefix), as a tree.

    The tree: ``{"value": {...}, "produced_by": [call, ...]}`` where each call is
    ``{"call_hash", "task_name", "args": [arg, ...]}`` and each argument is
    ``{"key", "position", "value_hash", "type", "path", "preview", "upstream": [call, ...]}``:
    the calls whose results the argument came from (UPSTREAM), expanded the same
    way. A call already expanded elsewhere in the tree appears again with
    ``"seen": true`` and no arguments; expansion stops at ``max_depth`` calls
    deep (``"truncated": true``). Queries run one level at a time.
    ``value`` carries ``versions`` (and ``older`` with ``all_versions``): see :func:`resolve_value`.
    """
    root_value = resolve_value(graph, text, all_versions=all_versions)
    producers = graph.read("explore_value_producers", value_hashes=[root_value["value_hash"]])
    return {
        "value": root_value,
        "produced_by": _lineage_calls(graph, [record["call_hash"] for record in producers], max_depth),
    }


def lineage_of_call(graph: Graph, call_hash: str, max_depth: int = DEFAULT_LINEAGE_DEPTH) -> List[Dict[str, Any]]:
    """The upstream dataflow of one call: the call with its arguments and, for each, the
    calls it came from, recursively (a lineage tree's ``produced_by`` list)."""
    return _lineage_calls(graph, [call_hash], max_depth)


def _lineage_calls(graph: Graph, roots: List[str], max_depth: int) -> List[Dict[str, Any]]:
    frontier = list(roots)
    calls: Dict[str, Dict[str, Any]] = {}
    inputs: Dict[str, List[Dict[str, Any]]] = {}
    depth = 0
    while frontier and depth < max_depth:
        new = [call_hash for call_hash in dict.fromkeys(frontier) if call_hash not in calls]
        if not new:
            break
        for record in graph.read("explore_calls", call_hashes=new):
            calls[record["call_hash"]] = plain(record.data())
        frontier = []
        for record in graph.read("explore_call_inputs", call_hashes=new):
            data = plain(record.data())
            inputs.setdefault(data.pop("call_hash"), []).append(data)
            frontier.extend(data["upstream"])
        for call_hash in new:
            inputs.setdefault(call_hash, [])
        depth += 1

    expanded = set()

    def build(call_hash: str) -> Dict[str, Any]:
        call = calls.get(call_hash) or {"call_hash": call_hash, "task_name": None}
        node = {"call_hash": call_hash, "task_name": call.get("task_name")}
        if call_hash in expanded:
            node["seen"] = True
            return node
        if call_hash not in inputs:
            node["truncated"] = True
            return node
        expanded.add(call_hash)
        args: List[Dict[str, Any]] = []
        for arg in inputs[call_hash]:
            item = {key: arg.get(key) for key in ("key", "position", "value_hash", "type", "path", "preview")}
            item["upstream"] = [build(up) for up in dict.fromkeys(arg["upstream"])]
            args.append(item)
        node["args"] = args
        return node

    return [build(call_hash) for call_hash in roots]


def error_details(backend: Any, value_hash: str) -> Dict[str, Any]:
    """The error and recorded traceback of a failed job's result (a ``redun.ErrorValue``),
    read through the backend's public ``get_value``: ``{"error": repr, "traceback": [lines]}``.
    An error that cannot be loaded here (its class not importable) gives ``"Unknown"``, as redun."""
    try:
        value, found = backend.get_value(value_hash)
    except Exception:  # unpickling a foreign exception class: redun prints "Unknown" too
        value, found = None, False
    if not found or not hasattr(value, "error"):
        return {"error": "Unknown", "traceback": []}
    lines: List[str] = []
    traceback = getattr(value, "traceback", None)
    if traceback is not None:
        try:
            lines = [line.rstrip("\n") for line in traceback.format()]
        except Exception:
            lines = []
    return {"error": repr(value.error), "traceback": lines}


def lineage_tasks(tree: Dict[str, Any]) -> List[str]:
    """Every task name in a lineage tree, upstream-most last (for tests and summaries)."""
    names: List[str] = []

    def visit(call: Dict[str, Any]) -> None:
        if call.get("task_name") and call["task_name"] not in names:
            names.append(call["task_name"])
        for arg in call.get("args", []):
            for up in arg["upstream"]:
                visit(up)

    for call in tree["produced_by"]:
        visit(call)
    return names


def latest_execution_id(graph: Graph) -> Optional[str]:
    """The id of the most recent execution, or None when there is none."""
    records = graph.read("explore_executions", limit=1)
    return records[0]["id"] if records else None
