"""``graphbackend log``, ``show``, ``lineage`` and ``viz``: exploring provenance from a terminal.

- ``log [ID] [FILTERS]``: redun log on the graph (record types, filters, ``--format json``,
  ``--detail``; see ``log_query.py``); ``log ID`` one record in detail.
- ``show ID``: one execution, job, call node or value (an id or its unique start); a job
  with its status, task source, recorded traceback and upstream dataflow.
- ``lineage PATH_OR_HASH``: the upstream chain of a file (its newest version) or value.
- ``viz [EXECUTION_ID] -o run.html``: a self-contained HTML picture of a call graph.

``log``, ``show`` and ``lineage`` take ``--json`` for machine-readable output.
Statuses and job counts are redun's (FAILED when the result is a ``redun.ErrorValue``,
RUNNING before the end, CACHED, DONE; an execution has its root job's, CACHED as DONE).
The connection is made in one place, :func:`open_graph` / :func:`open_backend`,
from the shared connection options (``settings.add_connection_options``:
``--uri``/``--user``/``--database``, else the redun config's ``neo4j_*`` keys,
else ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_DATABASE``, else the local
server; password from ``NEO4J_PASSWORD``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Any, Dict, Iterable, List, Optional, TextIO

from ..settings import add_connection_options, connection_from_args
from . import queries as _explore

# Connection ------------------------------------------------------------------------


def open_graph(args: argparse.Namespace):
    """The Graph the command reads (password from ``NEO4J_PASSWORD`` only)."""
    from ..backend.graph import Graph
    return Graph(connection_from_args(args))


def open_backend(args: argparse.Namespace):
    """A Neo4jBackend on the same server (for redun's records and tags; not loaded, so it
    neither migrates nor checks the schema)."""
    from ..backend.neo4j_backend import Neo4jBackend

    settings = connection_from_args(args)
    return Neo4jBackend(uri=settings.uri, user=settings.user, password=settings.password,
                        database=settings.database)


# Output helpers ------------------------------------------------------------------------


def terminal_width(stream: TextIO = sys.stdout) -> Optional[int]:
    """Width to fit lines into: the terminal's (or ``COLUMNS``); None (no cutting) when piped."""
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    if not is_tty and not os.environ.get("COLUMNS"):
        return None
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def fit(line: str, width: Optional[int]) -> str:
    """``line`` cut to ``width`` characters, ending with an ellipsis when cut."""
    return line if width is None or len(line) <= width else line[: max(1, width - 1)] + "…"


def short(identifier: Optional[str], n: int = 8) -> str:
    """The first ``n`` characters of an id or hash ("-" for none)."""
    return identifier[:n] if identifier else "-"


def when(iso: Optional[str]) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM:SS`` (UTC)."""
    if not iso:
        return "-" * 19
    return iso.replace("T", " ")[:19]


def _emit(lines: Iterable[str], out: TextIO, width: Optional[int]) -> None:
    for line in lines:
        print(fit(line, width), file=out)


def _dump_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, sort_keys=True, default=str)
    out.write("\n")


def _job_status(job: Dict[str, Any]) -> str:
    """redun's status column: ``[ DONE ]``, ``[CACHED]``, ``[FAILED]``, ``[ RUN  ]``, and
    graphbackend's ``[ABORT ]`` for jobs ``abort-stale`` marked."""
    status = job.get("status") or "?"
    short = {"RUNNING": "RUN ", "ABORTED": "ABORT"}.get(status, status)
    return f"[{short:^6}]"


def format_tags(tags: Optional[List[Dict[str, Any]]]) -> str:
    """Tags as redun prints them: ``(key=value, ...)`` (JSON values, simple strings bare)."""
    if not tags:
        return ""
    from redun.tags import format_tag_key_value

    from ..backend.convert import decode_json

    return "(" + ", ".join(sorted(
        format_tag_key_value(tag["key"], decode_json(tag["value"]), max_length=50) for tag in tags
    )) + ")"


def job_counts_line(counts: Dict[str, Any]) -> str:
    """redun's ``Jobs: N (DONE: x, CACHED: y, FAILED: z)``."""
    return (f"Jobs: {counts.get('jobs', 0)} (DONE: {counts.get('done', 0)}, "
            f"CACHED: {counts.get('cached', 0)}, FAILED: {counts.get('failed', 0)})")


def _exec_args(args: Any) -> str:
    """An execution's command line without the program name, as redun prints it."""
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return args
    if isinstance(args, list):
        return " ".join(str(arg) for arg in args[1:])
    return str(args or "")


# log ----------------------------------------------------------------------------------


def execution_lines(execution: Dict[str, Any], max_jobs: Optional[int] = None) -> List[str]:
    """One execution's header (redun's status and job counts), command line and job tree."""
    lines = [
        f"Exec {execution['id']} {_job_status(execution)} {when(execution.get('start_time'))}:  "
        f"{_exec_args(execution.get('args'))} {format_tags(execution.get('tags'))}".rstrip(),
        f"  {job_counts_line(execution)}  root task: {execution.get('task_name') or '-'}",
        "  " + "-" * 78,
    ]
    shown = 0
    total = 0

    def visit(job: Dict[str, Any], depth: int) -> None:
        nonlocal shown, total
        total += 1
        if max_jobs is None or shown < max_jobs:
            shown += 1
            lines.append(
                f"  {'  ' * depth}Job {short(job['id'])} {_job_status(job)} {job.get('task_name') or '?'}"
            )
        for child in job.get("children", []):
            visit(child, depth + 1)

    for root in execution.get("job_tree", []):
        visit(root, 0)
    if total > shown:
        lines.append(f"  ... {total - shown} more jobs (graphbackend log {short(execution['id'])})")
    return lines


def _call_args_text(call_args: Optional[List[Dict[str, Any]]]) -> str:
    if not call_args:
        return ""
    positional = sorted((arg for arg in call_args if arg.get("position") is not None), key=lambda a: a["position"])
    keyword = sorted((arg for arg in call_args if arg.get("key") is not None), key=lambda a: a["key"])
    return ", ".join([_trim(arg.get("preview")) for arg in positional]
                     + [f"{arg['key']}={_trim(arg.get('preview'))}" for arg in keyword])


def _trim(text: Optional[str], size: int = 50) -> str:
    text = "?" if text is None else str(text)
    return text if len(text) <= size else text[: size - 3] + "..."


def record_line(record: Dict[str, Any], detail: bool = False) -> str:
    """One listed record, in redun log's one-line form."""
    kind = record["type"]
    ident = record["id"] if detail else short(record["id"])
    tags = format_tags(record.get("tags"))
    if kind == "Execution":
        line = (f"Exec {ident} {_job_status(record)} {when(record.get('start_time'))}:  "
                f"{_exec_args(record.get('args'))} {tags}")
    elif kind == "Job":
        line = (f"Job {ident} {_job_status(record)} {when(record.get('start_time'))}:  "
                f"{record.get('task_name') or '?'}({_call_args_text(record.get('call_args'))}) {tags}")
    elif kind == "CallNode":
        line = f"CallNode {ident} {record.get('task_name') or '?'} {tags}"
    elif kind == "Task":
        line = f"Task {ident} {record.get('task_name') or '?'} {tags}"
    elif record.get("path") is not None and record.get("value_type") == "redun.File":
        line = f"File {ident} {record['path']} {tags}"
    else:
        line = f"Value {ident} {record.get('value_type')} {_trim(record.get('preview'))} {tags}"
    return line.rstrip()


def _redun_records(args: argparse.Namespace, records: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """redun's serialized records of the listed records, as ``redun log --format json``
    prints them: a job's ``status`` (redun's) and ``children`` (its child jobs by start
    time) filled in, and ``status`` added to executions."""
    backend = open_backend(args)
    try:
        status = {record["id"]: record.get("status") for record in records}
        serialized: Dict[str, Dict[str, Any]] = {}
        for item in backend.get_records([record["id"] for record in records]):
            serialized.setdefault(_record_id(item), item)
    finally:
        backend.close()
    result = []
    for record in records:
        item = serialized.get(record["id"])
        if item is None:
            continue
        item = dict(item)
        if record["type"] in ("Execution", "Job"):
            item["status"] = status[record["id"]]
        if record["type"] == "Job":
            item["children"] = list(record.get("children") or [])
        result.append(item)
    return result


def _record_id(record: Dict[str, Any]) -> str:
    for key in ("id", "call_hash", "value_hash", "tag_hash"):
        if key in record:
            return record[key]
    return ""


def log_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend log``: redun log's listing and filters on the graph."""
    from . import log_query as _log

    out = out or sys.stdout
    fmt = "json" if args.json else args.format
    if args.id:
        return _log_one(args, fmt, out)
    filters = _log.LogFilters.from_args(args)
    graph = open_graph(args)
    try:
        records = _log.select(graph, filters)
        if args.limit is not None:
            records = _first_of_each_type(records, args.limit)
        if args.detail and fmt == "text":
            items = [_detail(graph, record) for record in records]
    finally:
        graph.close()
    if args.detail and fmt == "text":
        for item in items:
            add_error_details(args, item)
        details = [show_lines(item) for item in items]
    if args.count:
        counts: Dict[str, int] = {}
        for record in records:
            counts[record["type"]] = counts.get(record["type"], 0) + 1
        for kind in _log.record_types(filters):
            if fmt == "json":
                _dump_json_line({"type": kind, "count": counts.get(kind, 0)}, out)
            else:
                print(f"{counts.get(kind, 0):>8} {kind}", file=out)
        return 0
    if fmt == "json":
        for item in _redun_records(args, records):
            _dump_json_line(item, out)
        return 0
    width = terminal_width(out)
    if not filters.has_type_options() and not filters.has_filters():
        print("Recent executions:\n", file=out)
    if args.detail:
        for index, lines in enumerate(details):
            if index:
                print(file=out)
            _emit(lines, out, width)
        return 0
    if filters.file:
        previous = None
        for record in sorted(records, key=lambda r: (r.get("path") or "", r["id"])):
            if record.get("path") == previous:
                continue
            previous = record.get("path")
            _emit([record_line(record)], out, width)
        return 0
    _emit((record_line(record) for record in records), out, width)
    return 0


def _first_of_each_type(records: List[Dict[str, Any]], limit: int) -> List[Dict[str, Any]]:
    """At most ``limit`` records of each type, in the order given."""
    seen: Dict[str, int] = {}
    kept = []
    for record in records:
        seen[record["type"]] = seen.get(record["type"], 0) + 1
        if seen[record["type"]] <= limit:
            kept.append(record)
    return kept


def _detail(graph, record: Dict[str, Any]) -> Dict[str, Any]:
    kind = {"Execution": "execution", "Job": "job", "CallNode": "call", "Task": "task"}.get(record["type"], "value")
    return _explore.show(graph, record["id"], kind=kind)


def _log_one(args: argparse.Namespace, fmt: str, out: TextIO) -> int:
    """``graphbackend log ID``: one record in detail (``-`` the latest execution, ``~N``)."""
    from . import log_query as _log

    graph = open_graph(args)
    try:
        text = args.id.strip()
        if text == "-" or text.startswith("~"):
            item = _explore.show(graph, _log.resolve_execution(graph, text), kind="execution")
        else:
            item = _explore.show(graph, text)
    finally:
        graph.close()
    add_error_details(args, item)
    if fmt == "json":
        _dump_json(item, out)
    else:
        _emit(show_lines(item), out, terminal_width(out))
    return 0


def build_log_namespace(args: argparse.Namespace, argv: List[str]) -> argparse.Namespace:
    """``graphbackend log ARGV`` parsed, on the same connection as ``args``."""
    parser = argparse.ArgumentParser(prog="graphbackend")
    add_commands(parser.add_subparsers(dest="command"))
    log_args = parser.parse_args(["log", *argv])
    for name in ("uri", "user", "database"):
        setattr(log_args, name, getattr(args, name, None))
    return log_args


def _dump_json_line(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, sort_keys=True, default=str) + "\n")


# show ---------------------------------------------------------------------------------


def _value_text(value: Optional[Dict[str, Any]]) -> str:
    if not value:
        return "-"
    text = f"{value.get('type') or 'value'} {short(value.get('value_hash'))}"
    if value.get("path"):
        return f"{text} {value['path']}"
    if value.get("preview"):
        return f"{text} {value['preview']}"
    return text


def _call_text(call: Dict[str, Any]) -> str:
    return f"{call.get('task_name') or '?'} (call {short(call.get('call_hash'))})"


def _arg_name(arg: Dict[str, Any]) -> str:
    key = arg.get("key")
    return str(key) if key is not None else f"arg{arg.get('position', '?')}"


def _properties_lines(props: Dict[str, Any], skip=()) -> List[str]:
    return [f"  {key}: {value}" for key, value in props.items() if key not in skip and value is not None]


def show_lines(item: Dict[str, Any]) -> List[str]:
    """Text lines describing what :func:`_explore.show` returned."""
    kind = item["kind"]
    if kind == "execution":
        return execution_lines(item)
    if kind == "job":
        props = item["properties"]
        lines = [f"Job {item['id']} {_job_status(item)} {when(props.get('start_time'))}:  "
                 f"{props.get('task_name') or '?'} {format_tags(item.get('tags'))}".rstrip()]
        lines += _properties_lines(props, skip=("id", "status", "name", "task_name"))
        lines.append(f"  parent job: {item['parent_id'] or '-'}")
        lines.append(f"  call node: {item['call_hash'] or '-'}")
        result = item.get("result")
        if result and item["status"] == "FAILED":
            error = item.get("error") or {}
            lines.append(f"  Raised: {error.get('error', 'Unknown')}")
        elif result:
            lines.append(f"  Result: {_value_text(result)}")
        if item["children"]:
            lines.append(f"  child jobs ({len(item['children'])}):")
            lines += [f"    Job {short(job['id'])} {_job_status(job)} {job.get('task_name')}" for job in item["children"]]
        if item["status"] == "FAILED" and (item.get("error") or {}).get("traceback"):
            lines.append("")
            lines.append("  Traceback:")
            lines += [f"    {line}" for part in item["error"]["traceback"] for line in part.split("\n")]
        task = item.get("task") or {}
        if task.get("source"):
            lines.append("")
            lines.append(f"  Task {short(task.get('hash'))} {task.get('fullname') or ''}")
            lines += [f"    {line}" for line in task["source"].rstrip("\n").split("\n")]
        if item.get("dataflow"):
            lines.append("")
            lines.append("  Upstream dataflow:")
            lines += [f"    {line}" for line in dataflow_lines(item["dataflow"])]
        return lines
    if kind == "call":
        props = item["properties"]
        lines = [f"CallNode {item['id']}  {props.get('task_name') or '?'}"]
        lines += _properties_lines(props, skip=("call_hash", "value_hash"))
        lines.append(f"  jobs: {item['jobs']} ({item['cached_jobs']} cached)")
        lines.append(f"  args ({len(item['args'])}):")
        for arg in item["args"]:
            lines.append(f"    {_arg_name(arg)} = {_value_text(arg)}")
            lines += [f"      <- from {_call_text(up)}" for up in arg.get("upstream", [])]
        lines.append(f"  result: {_value_text(item['result'])}")
        if item["children"]:
            lines.append(f"  child calls ({len(item['children'])}):")
            lines += [f"    {_call_text(call)}" for call in item["children"]]
        if item["parents"]:
            lines.append("  called by: " + ", ".join(_call_text(call) for call in item["parents"]))
        return lines
    props = item["properties"]
    label = "File" if "File" in item["labels"] else ("Task" if "Task" in item["labels"] else "Value")
    lines = [f"{label} {item['id']}  {props.get('type') or ''}"]
    lines += _properties_lines(props, skip=("value_hash", "source"))
    if item["result_of"]:
        lines.append("  result of: " + ", ".join(_call_text(call) for call in item["result_of"]))
    if item["argument_of"]:
        lines.append("  argument of: " + ", ".join(_call_text(call) for call in item["argument_of"]))
    if item["subvalues"]:
        lines.append(f"  contains ({len(item['subvalues'])}):")
        lines += [f"    {_value_text(value)}" for value in item["subvalues"]]
    if item["parents"]:
        lines.append("  inside: " + ", ".join(_value_text(value) for value in item["parents"]))
    if item.get("tags"):
        lines.append("  tags: " + ", ".join(f"{tag['key']}={tag['value']}" for tag in item["tags"]))
    return lines


def add_error_details(args: argparse.Namespace, item: Dict[str, Any]) -> None:
    """A failed job's error and recorded traceback (its result value, loaded through the
    backend as redun log does), as ``item["error"]``."""
    if item.get("kind") == "job" and item.get("status") == "FAILED" and item.get("result"):
        backend = open_backend(args)
        try:
            item["error"] = _explore.error_details(backend, item["result"]["value_hash"])
        finally:
            backend.close()


def show_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend show ID``."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        item = _explore.show(graph, args.id)
    finally:
        graph.close()
    add_error_details(args, item)
    if args.json:
        _dump_json(item, out)
    else:
        _emit(show_lines(item), out, terminal_width(out))
    return 0


# lineage ------------------------------------------------------------------------------


def lineage_lines(tree: Dict[str, Any]) -> List[str]:
    """A lineage tree drawn with box characters (the newest version of a File, with a note
    on older ones; every version with ``--all``)."""
    value = tree["value"]
    head = f"File {value['path']}" if value.get("path") else f"Value {value['value_hash']}"
    lines = [f"{head}  ({value.get('type') or 'value'} {short(value['value_hash'])})"]
    older = (value.get("versions") or 1) - 1
    if older:
        when_text = value.get("produced_at") or value.get("used_at")
        lines[0] += f"  newest of {older + 1} versions ({when(when_text)})"
        if value.get("older") is None:
            lines.append(f"  {older} older version{'s' if older > 1 else ''} recorded "
                         f"(graphbackend lineage --all lists them)")
        else:
            lines.append("  older versions:")
            for version in value["older"]:
                lines.append(f"    {short(version['value_hash'])} last "
                             f"{'produced' if version.get('produced_at') else 'used'} "
                             f"{when(version.get('produced_at') or version.get('used_at'))}")
    if not tree["produced_by"]:
        lines.append("└─ (no recorded call produced it: an input of the workflow)")
    lines += dataflow_lines(tree["produced_by"])
    return lines


def dataflow_lines(calls: List[Dict[str, Any]]) -> List[str]:
    """Calls with their arguments and, under each, the calls it came from (box characters)."""
    lines: List[str] = []

    def call_lines(call: Dict[str, Any], prefix: str, last: bool) -> None:
        branch = "└─ " if last else "├─ "
        note = "  (shown above)" if call.get("seen") else ("  (depth limit)" if call.get("truncated") else "")
        lines.append(f"{prefix}{branch}{_call_text(call)}{note}")
        inner = prefix + ("   " if last else "│  ")
        args = call.get("args", [])
        for index, arg in enumerate(args):
            arg_last = index == len(args) - 1
            lines.append(f"{inner}{'└─ ' if arg_last else '├─ '}{_arg_name(arg)} = {_value_text(arg)}")
            arg_inner = inner + ("   " if arg_last else "│  ")
            ups = arg.get("upstream", [])
            for up_index, up in enumerate(ups):
                call_lines(up, arg_inner, up_index == len(ups) - 1)

    for index, call in enumerate(calls):
        call_lines(call, "", index == len(calls) - 1)
    return lines


def lineage_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend lineage PATH_OR_HASH``."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        tree = _explore.lineage(graph, args.target, max_depth=args.max_depth, all_versions=args.all)
    finally:
        graph.close()
    if args.json:
        _dump_json(tree, out)
    else:
        _emit(lineage_lines(tree), out, terminal_width(out))
    return 0


# viz ----------------------------------------------------------------------------------


def viz_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend viz [EXECUTION_ID] -o run.html``."""
    from . import viz as _viz

    if getattr(args, "tasks", False):
        from .questions_cli import viz_tasks

        return viz_tasks(args, out)
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        path, summary = _viz.write_execution_html(graph, args.execution_id, args.output,
                                                  layout=args.layout, max_nodes=args.max_nodes)
    finally:
        graph.close()
    print(
        f"Wrote {path}: execution {short(summary['execution_id'])}, {summary['calls']} calls, "
        f"{summary['values']} values"
        + (f" ({summary['collapsed_values']} values not drawn: over --max-nodes {args.max_nodes})"
           if summary.get("collapsed_values") else ""),
        file=out,
    )
    return 0


# Registration -------------------------------------------------------------------------


def add_commands(subparsers) -> None:
    """Add ``log``, ``show``, ``lineage`` and ``viz`` to the ``graphbackend`` command line."""
    log = subparsers.add_parser(
        "log", help="executions, jobs, calls, tasks and values, with redun log's filters",
        description="redun log on the graph: recent executions (newest first) by default; "
                    "redun log's type options and filters, with the same meanings; or one "
                    "record in detail (an id or its unique start, '-' the latest execution, "
                    "'~N' the N-th latest).",
    )
    log.add_argument("id", nargs="?", help="one record (id or unique prefix, -, ~N)")
    types = log.add_argument_group("record types (as redun log)")
    types.add_argument("--all", action="store_true", help="executions, jobs, call nodes, tasks and values")
    types.add_argument("--exec", action="store_true", help="executions")
    types.add_argument("--job", action="store_true", help="jobs")
    types.add_argument("--call-node", action="store_true", help="call nodes")
    types.add_argument("--task", action="store_true", help="tasks")
    types.add_argument("--value", action="store_true", help="values")
    types.add_argument("--file", action="store_true", help="files (one line per path)")
    filters = log.add_argument_group("filters (as redun log)")
    filters.add_argument("--exec-status", help="executions by status (comma separated: RUNNING,FAILED,DONE)")
    filters.add_argument("--job-status", help="jobs by status (comma separated: RUNNING,FAILED,CACHED,DONE)")
    filters.add_argument("--task-name", action="append", help="jobs and tasks by task name (name or namespace.name)")
    filters.add_argument("--task-hash", action="append", help="jobs and tasks by task hash")
    filters.add_argument("--value-type", action="append", help="values by type (e.g. builtins.int, redun.File)")
    filters.add_argument("--file-path", action="append", help="Files by path (* is a wildcard)")
    filters.add_argument("--exec-id", help="records of these executions (comma separated ids or prefixes)")
    filters.add_argument("--arg", action="append", help="jobs whose call took this value hash as an argument")
    filters.add_argument("--result", action="append", help="jobs whose call returned this value hash")
    filters.add_argument("-t", "--tag", action="append", help="records with this tag (key or key=value)")
    filters.add_argument("--exec-tag", action="append", help="records of executions with this tag (key or key=value)")
    log.add_argument("-n", "--limit", type=int, help="at most this many records of each type (newest first)")
    log.add_argument("--count", action="store_true", help="print record counts per type")
    log.add_argument("--format", choices=("text", "json"), default="text",
                     help="text, or json: one redun record per line (status added to executions and jobs)")
    log.add_argument("--json", action="store_true", help="same as --format json")
    log.add_argument("--detail", action="store_true", help="each record in detail (as `show`)")
    add_connection_options(log)
    log.set_defaults(handler=log_command)

    show = subparsers.add_parser(
        "show", help="one execution, job, call node or value",
        description="Show one execution, job, call node or value given its id, hash or "
                    "a unique start of it.",
    )
    show.add_argument("id", help="execution id, job id, call hash or value hash (or a unique prefix)")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(show)
    show.set_defaults(handler=show_command)

    lineage = subparsers.add_parser(
        "lineage", help="the upstream chain of a file or value, as a tree",
        description="Which calls produced a file (by path, or the end of its path) or a value "
                    "(by hash prefix), and from which inputs, recursively.",
    )
    lineage.add_argument("target", metavar="PATH_OR_HASH", help="a File path (or its end) or a value hash prefix")
    lineage.add_argument("--max-depth", type=int, default=_explore.DEFAULT_LINEAGE_DEPTH,
                         help="stop after this many calls upstream")
    lineage.add_argument("--all", action="store_true",
                         help="list every recorded version of the file (default: the newest, with a count of older ones)")
    lineage.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(lineage)
    lineage.set_defaults(handler=lineage_command)

    viz = subparsers.add_parser(
        "viz", help="write an HTML picture of an execution's call graph",
        description="Write a self-contained HTML page (works offline) showing an execution's "
                    "call graph, coloured like the Neo4j Browser style.",
    )
    viz.add_argument("execution_id", nargs="?", help="execution id or unique prefix (default: the latest)")
    viz.add_argument("-o", "--output", default="run.html", help="HTML file to write (default run.html)")
    viz.add_argument("--layout", choices=("layered", "force"), default="layered",
                     help="layered (default: parent call above child, values below their call) or force")
    viz.add_argument("--max-nodes", type=int, default=1500,
                     help="above this many nodes draw the calls only, values left out (default 1500)")
    viz.add_argument("--tasks", action="store_true",
                     help="draw the task-level view instead (the whole history without EXECUTION_ID)")
    add_connection_options(viz)
    viz.set_defaults(handler=viz_command)
