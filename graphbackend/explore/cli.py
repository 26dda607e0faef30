"""``graphbackend log``, ``show``, ``lineage`` and ``viz``: exploring provenance from a terminal.

- ``log [EXECUTION_ID]``: recent executions and their job trees (like ``redun log``).
- ``show ID``: one execution, job, call node or value (an id or its unique start).
- ``lineage PATH_OR_HASH``: the upstream chain of a file or value, as a tree.
- ``viz [EXECUTION_ID] -o run.html``: a self-contained HTML picture of a call graph.

``log``, ``show`` and ``lineage`` take ``--json`` for machine-readable output.
The Neo4j server is the one ``Neo4jBackend()`` connects to (``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``, else the local
server) unless ``--uri``/``--user``/``--database`` say otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Any, Dict, Iterable, List, Optional, TextIO

from . import queries as _explore

#: Jobs shown per execution in the ``log`` listing (all of them for one execution).
DEFAULT_MAX_JOBS = 30


# Connection ------------------------------------------------------------------------


def _connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Neo4j connection")
    group.add_argument("--uri", help="Bolt URI (default: NEO4J_URI, else the local server)")
    group.add_argument("--user", help="user name (default: NEO4J_USERNAME, else neo4j)")
    group.add_argument("--database", help="database (default: NEO4J_DATABASE, else neo4j)")


def open_graph(args: argparse.Namespace):
    """The Graph the command reads (password from ``NEO4J_PASSWORD`` only)."""
    from ..backend.graph import Graph
    from ..settings import ConnectionSettings

    return Graph(ConnectionSettings.resolve(
        uri=getattr(args, "uri", None), user=getattr(args, "user", None),
        database=getattr(args, "database", None),
    ))


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


def _command_line(args: Any) -> str:
    if isinstance(args, list):
        return " ".join(str(arg) for arg in args)
    return str(args or "")


def _job_status(job: Dict[str, Any]) -> str:
    status = job.get("status") or ("CACHED" if job.get("cached") else "?")
    return f"[{status:^7}]"


# log ----------------------------------------------------------------------------------


def execution_lines(execution: Dict[str, Any], max_jobs: Optional[int] = None) -> List[str]:
    """One execution's header, command line and job tree, as text lines."""
    status = execution.get("status") or "-"
    lines = [
        f"Exec {short(execution['id'])}  {when(execution.get('start_time'))}  {status:<7} "
        f"{execution.get('jobs', 0)} jobs: {execution.get('cached', 0)} cached, "
        f"{execution.get('failed', 0)} failed  {execution.get('task_name') or ''}",
        f"  {_command_line(execution.get('args'))}",
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


def log_command(args: argparse.Namespace, out: TextIO = None) -> int:
    """``graphbackend log``: recent executions (or one) with their jobs."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        if args.execution_id:
            executions = [_explore.execution(graph, args.execution_id)]
            max_jobs = None
        else:
            executions = _explore.recent_executions(graph, limit=args.limit, with_jobs=not args.no_jobs)
            max_jobs = args.max_jobs
    finally:
        graph.close()
    if args.json:
        _dump_json(executions if not args.execution_id else executions[0], out)
        return 0
    if not executions:
        print("No executions recorded yet.", file=out)
        return 0
    width = terminal_width(out)
    if not args.execution_id:
        print("Recent executions (newest first):\n", file=out)
    for index, execution in enumerate(executions):
        if index:
            print(file=out)
        _emit(execution_lines(execution, max_jobs=max_jobs), out, width)
    return 0


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
    return arg.get("key") if arg.get("key") is not None else f"arg{arg.get('position', '?')}"


def _properties_lines(props: Dict[str, Any], skip=()) -> List[str]:
    return [f"  {key}: {value}" for key, value in props.items() if key not in skip and value is not None]


def show_lines(item: Dict[str, Any]) -> List[str]:
    """Text lines describing what :func:`_explore.show` returned."""
    kind = item["kind"]
    if kind == "execution":
        lines = execution_lines(item)
        if item.get("tags"):
            lines.append("  tags: " + ", ".join(f"{tag['key']}={tag['value']}" for tag in item["tags"]))
        return lines
    if kind == "job":
        props = item["properties"]
        lines = [f"Job {item['id']}  {_job_status(props)} {props.get('task_name') or '?'}"]
        lines += _properties_lines(props, skip=("id",))
        lines.append(f"  parent job: {item['parent_id'] or '-'}")
        lines.append(f"  call node: {item['call_hash'] or '-'}")
        if item["children"]:
            lines.append(f"  child jobs ({len(item['children'])}):")
            lines += [f"    Job {short(job['id'])} {_job_status(job)} {job.get('task_name')}" for job in item["children"]]
        if item.get("tags"):
            lines.append("  tags: " + ", ".join(f"{tag['key']}={tag['value']}" for tag in item["tags"]))
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


def show_command(args: argparse.Namespace, out: TextIO = None) -> int:
    """``graphbackend show ID``."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        item = _explore.show(graph, args.id)
    finally:
        graph.close()
    if args.json:
        _dump_json(item, out)
    else:
        _emit(show_lines(item), out, terminal_width(out))
    return 0


# lineage ------------------------------------------------------------------------------


def lineage_lines(tree: Dict[str, Any]) -> List[str]:
    """A lineage tree drawn with box characters."""
    value = tree["value"]
    head = f"File {value['path']}" if value.get("path") else f"Value {value['value_hash']}"
    lines = [f"{head}  ({value.get('type') or 'value'} {short(value['value_hash'])})"]
    if not tree["produced_by"]:
        lines.append("└─ (no recorded call produced it: an input of the workflow)")

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

    for index, call in enumerate(tree["produced_by"]):
        call_lines(call, "", index == len(tree["produced_by"]) - 1)
    return lines


def lineage_command(args: argparse.Namespace, out: TextIO = None) -> int:
    """``graphbackend lineage PATH_OR_HASH``."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        tree = _explore.lineage(graph, args.target, max_depth=args.max_depth)
    finally:
        graph.close()
    if args.json:
        _dump_json(tree, out)
    else:
        _emit(lineage_lines(tree), out, terminal_width(out))
    return 0


# viz ----------------------------------------------------------------------------------


def viz_command(args: argparse.Namespace, out: TextIO = None) -> int:
    """``graphbackend viz [EXECUTION_ID] -o run.html``."""
    from . import viz as _viz

    if getattr(args, "tasks", False):
        from .questions_cli import viz_tasks

        return viz_tasks(args, out)
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        path, summary = _viz.write_execution_html(graph, args.execution_id, args.output)
    finally:
        graph.close()
    print(
        f"Wrote {path}: execution {short(summary['execution_id'])}, {summary['calls']} calls, "
        f"{summary['values']} values",
        file=out,
    )
    return 0


# Registration -------------------------------------------------------------------------


def add_commands(subparsers) -> None:
    """Add ``log``, ``show``, ``lineage`` and ``viz`` to the ``graphbackend`` command line."""
    log = subparsers.add_parser(
        "log", help="recent executions and their jobs (like `redun log`)",
        description="List recent executions, newest first, each with its job tree; "
                    "or one execution (id or its start) with all its jobs.",
    )
    log.add_argument("execution_id", nargs="?", help="one execution (id or unique prefix)")
    log.add_argument("-n", "--limit", type=int, default=10, help="how many executions (default 10)")
    log.add_argument("--max-jobs", type=int, default=DEFAULT_MAX_JOBS,
                     help=f"jobs shown per execution in the listing (default {DEFAULT_MAX_JOBS})")
    log.add_argument("--no-jobs", action="store_true", help="executions only")
    log.add_argument("--json", action="store_true", help="print JSON")
    _connection_options(log)
    log.set_defaults(handler=log_command)

    show = subparsers.add_parser(
        "show", help="one execution, job, call node or value",
        description="Show one execution, job, call node or value given its id, hash or "
                    "a unique start of it.",
    )
    show.add_argument("id", help="execution id, job id, call hash or value hash (or a unique prefix)")
    show.add_argument("--json", action="store_true", help="print JSON")
    _connection_options(show)
    show.set_defaults(handler=show_command)

    lineage = subparsers.add_parser(
        "lineage", help="the upstream chain of a file or value, as a tree",
        description="Which calls produced a file (by path, or the end of its path) or a value "
                    "(by hash prefix), and from which inputs, recursively.",
    )
    lineage.add_argument("target", metavar="PATH_OR_HASH", help="a File path (or its end) or a value hash prefix")
    lineage.add_argument("--max-depth", type=int, default=_explore.DEFAULT_LINEAGE_DEPTH,
                         help="stop after this many calls upstream")
    lineage.add_argument("--json", action="store_true", help="print JSON")
    _connection_options(lineage)
    lineage.set_defaults(handler=lineage_command)

    viz = subparsers.add_parser(
        "viz", help="write an HTML picture of an execution's call graph",
        description="Write a self-contained HTML page (works offline) showing an execution's "
                    "call graph, coloured like the Neo4j Browser style.",
    )
    viz.add_argument("execution_id", nargs="?", help="execution id or unique prefix (default: the latest)")
    viz.add_argument("-o", "--output", default="run.html", help="HTML file to write (default run.html)")
    viz.add_argument("--tasks", action="store_true",
                     help="draw the task-level view instead (the whole history without EXECUTION_ID)")
    _connection_options(viz)
    viz.set_defaults(handler=viz_command)
