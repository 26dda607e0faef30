"""``graphbackend impact``, ``diff``, ``why``, ``plan`` and ``tasks``: questions only a graph answers.

- ``impact TARGET``: everything downstream of a file, value, task or call, across executions.
- ``diff EXECUTION_A EXECUTION_B``: two call trees aligned; why each call ran or was reused.
- ``why JOB_OR_CALL``: why a job ran instead of being served from the cache (or why it was).
- ``plan MODULE TASK [ARGS...]``: what would rerun if the workflow ran now.
- ``tasks [EXECUTION_ID]``: the task-level view (tasks, "calls" and "feeds" edges).

Text by default, ``--json`` for machines. All of them only read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional, TextIO

from ..settings import add_connection_options
from . import questions as _q
from .cli import fit, open_graph, short, terminal_width, when


def _json(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, sort_keys=True, default=str)
    out.write("\n")


def _emit(lines: List[str], out: TextIO) -> None:
    width = terminal_width(out)
    for line in lines:
        print(fit(line, width), file=out)


def _run(args: argparse.Namespace, work, render, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        data = work(graph)
    finally:
        graph.close()
    if getattr(args, "json", False):
        _json(data, out)
    else:
        _emit(render(data), out)
    return 0


# impact -------------------------------------------------------------------------------


def impact_lines(data: Dict[str, Any]) -> List[str]:
    """Summary counts first, then the tree of downstream calls."""
    s = data["summary"]
    lines = [
        f"Impact of {data['target']['label']}",
        f"  {s['calls']} calls downstream (depth {s['depth']}{', depth limit reached' if s['depth_limited'] else ''}), "
        f"{s['values']} derived values, {s['files']} derived files, {s['executions']} executions, "
        f"{s['cache_entries']} cache entries a future run could be served",
    ]
    if data["files"]:
        lines.append("  files: " + ", ".join(f["path"] for f in data["files"][:10])
                     + (f" and {len(data['files']) - 10} more" if len(data["files"]) > 10 else ""))
    if data["executions"]:
        lines.append("  executions: " + ", ".join(short(e) for e in data["executions"][:10])
                     + (f" and {len(data['executions']) - 10} more" if len(data["executions"]) > 10 else ""))
    lines.append("")
    for call in data["calls"]:
        result = call["result"]
        made = ""
        if call["files"]:
            made = " -> " + ", ".join(f["path"] for f in call["files"])
        elif result.get("value_hash"):
            made = f" -> {result.get('type') or 'value'} {short(result['value_hash'])}"
        cache = "  [cache entry]" if call["cache_entry"] else ""
        lines.append(f"{'  ' * call['depth']}{call['task_name'] or '?'} (call {short(call['call_hash'])}, "
                     f"{call['how']}){made}{cache}")
    if data["more"]:
        lines.append(f"... {data['more']} more calls (raise --limit, or --json for the data)")
    if not data["calls"]:
        lines.append("Nothing recorded downstream.")
    return lines


def impact_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    return _run(args, lambda g: _q.impact(g, args.target, max_depth=args.max_depth, limit=args.limit),
                impact_lines, out)


# diff ---------------------------------------------------------------------------------

_MARK = {"reused": "=", "same": "~", "rerun": "*", "added": "+", "removed": "-"}


def diff_lines(data: Dict[str, Any]) -> List[str]:
    lines = [data["text"], ""]
    lines.append(f"A {data['a']['id']} {when(data['a']['start_time'])}   B {data['b']['id']} "
                 f"{when(data['b']['start_time'])}   (= reused, ~ ran again unchanged, * differs, + added, - removed)")
    for entry in data["entries"]:
        call = entry["b_call"] or entry["a_call"]
        head = f"{_MARK[entry['status']]} {'  ' * entry['depth']}{entry['task_name'] or '?'} ({short(call)})"
        reasons = "; ".join(_q._reason_text(r) for r in entry["reasons"] if r["reason"] != "below" or len(entry["reasons"]) == 1)
        lines.append(head + (f": {reasons}" if reasons and entry["status"] == "rerun" else ""))
        for reason in entry["reasons"]:
            if reason["reason"] == "code" and reason.get("source_diff"):
                lines += ["    " + line for line in reason["source_diff"].rstrip("\n").splitlines()]
    if data["more"]:
        lines.append(f"... {data['more']} more calls (raise --limit, or --json for the data)")
    return lines


def diff_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    return _run(args, lambda g: _q.diff(g, args.execution_a, args.execution_b, limit=args.limit), diff_lines, out)


# why ----------------------------------------------------------------------------------


def why_lines(data: Dict[str, Any]) -> List[str]:
    lines = [data["text"]]
    for reason in data.get("reasons") or []:
        lines.append(f"  - {_q._reason_text(reason)}")
        if reason["reason"] == "code" and reason.get("source_diff"):
            lines += ["    " + line for line in reason["source_diff"].rstrip("\n").splitlines()]
    if data.get("redun_reason"):
        lines.append(f"  (redun's explain_cache_miss: {data['redun_reason']})")
    return lines


def why_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    return _run(args, lambda g: _q.why(g, args.id), why_lines, out)


# plan ---------------------------------------------------------------------------------


def plan_lines(data: Dict[str, Any]) -> List[str]:
    s = data["summary"]
    lines = [f"Plan for {data['task_name']} (args {short(data['args_hash'])}): {s['run']} would run, "
             f"{s['cached']} cached, {s['skipped']} skipped inside cached calls, {s['unknown']} not predictable"]
    if data["root_call"]:
        lines.append(f"  replaying recorded call {short(data['root_call'])}")
    for call in data["calls"]:
        lines.append(f"  {'  ' * call['depth']}{call['outcome']:<8} {call['task_name']} "
                     f"({short(call['call_hash'])}): {call['why']}")
    for stop in data["stops"]:
        lines.append(f"  prediction stops: {stop}")
    return lines


def plan_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    return _run(args, lambda g: _q.plan(g, args.module, args.task, cli_args=args.task_args), plan_lines, out)


# tasks --------------------------------------------------------------------------------


def tasks_lines(data: Dict[str, Any]) -> List[str]:
    scope = f"execution {data['execution']}" if data["execution"] else "the whole history"
    lines = [f"Tasks of {scope} ({len(data['tasks'])}):"]
    for task in data["tasks"]:
        lines.append(f"  {task['task_name']}: {task['calls']} calls, {task['versions']} version(s), "
                     f"last {when(task['last_seen'])}")
    lines.append(f"Edges ({len(data['edges'])}):")
    for edge in data["edges"]:
        lines.append(f"  {edge['source']} -{edge['kind']}-> {edge['target']}  x{edge['count']}, "
                     f"last {when(edge['last_seen'])}")
    return lines


def tasks_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    return _run(args, lambda g: _q.task_graph(g, args.execution_id), tasks_lines, out)


def viz_tasks(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend viz --tasks``: the task-level view as an HTML page."""
    out = out or sys.stdout
    graph = open_graph(args)
    try:
        path, summary = _q.write_task_graph_html(graph, args.execution_id, args.output)
    finally:
        graph.close()
    scope = f"execution {short(summary['execution'])}" if summary["execution"] else "whole history"
    print(f"Wrote {path}: task-level view of the {scope}, {summary['tasks']} tasks, {summary['edges']} edges", file=out)
    return 0


# Registration -------------------------------------------------------------------------


def add_commands(subparsers) -> None:
    """Add ``impact``, ``diff``, ``why``, ``plan`` and ``tasks`` to the command line."""
    p = subparsers.add_parser(
        "impact", help="everything downstream of a file, value, task or call",
        description="Everything downstream of a File (path or its end), a Value (hash prefix), a Task "
                    "(name or hash) or a CallNode (hash prefix), at any depth and across executions: "
                    "calls that consumed it, values and files derived, executions that touched them, "
                    "and cache entries a future run could be served although they derive from it.",
    )
    p.add_argument("target", metavar="TARGET", help="file path (or its end), value hash, task name or call hash")
    p.add_argument("--max-depth", type=int, default=_q.DEFAULT_IMPACT_DEPTH, help="levels of calls downstream")
    p.add_argument("--limit", type=int, default=_q.DEFAULT_LIMIT, help="tree rows shown")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(p)
    p.set_defaults(handler=impact_command)

    p = subparsers.add_parser(
        "diff", help="compare two executions call by call",
        description="Align two executions' call trees and say for every call: reused from the cache, "
                    "rerun because the task's code changed (with a diff of its source), because "
                    "arguments changed, because something upstream changed, added or removed.",
    )
    p.add_argument("execution_a", metavar="EXECUTION_A", help="the earlier execution (id or unique prefix)")
    p.add_argument("execution_b", metavar="EXECUTION_B", help="the later execution (id or unique prefix)")
    p.add_argument("--limit", type=int, default=None, help="calls shown (default all)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(p)
    p.set_defaults(handler=diff_command)

    p = subparsers.add_parser(
        "why", help="why a job ran (or was served from the cache)",
        description="Why a job ran instead of being served from the cache, or why it was served: "
                    "the newest earlier call of the same task and what differs.",
    )
    p.add_argument("id", metavar="JOB_OR_CALL", help="job id or call hash (or a unique prefix)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(p)
    p.set_defaults(handler=why_command)

    p = subparsers.add_parser(
        "plan", help="what would rerun if a workflow ran now",
        description="Import a workflow module, hash its current tasks and walk the most recent recorded "
                    "call tree of TASK on ARGS (given as to `redun run`): which calls would rerun, "
                    "which would be served from the cache, and where the prediction stops.",
    )
    p.add_argument("module", metavar="MODULE", help="workflow file (workflow.py) or dotted module")
    p.add_argument("task", metavar="TASK", help="task name (short names get the module's redun_namespace)")
    p.add_argument("task_args", metavar="ARGS", nargs=argparse.REMAINDER,
                   help="the task's arguments as for `redun run` (e.g. --x 4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(p)
    p.set_defaults(handler=plan_command)

    p = subparsers.add_parser(
        "tasks", help="the task-level view: tasks, calls and feeds edges",
        description="Tasks as nodes with 'calls' and 'feeds' edges aggregated from recorded calls "
                    "(counts, last seen), for one execution or the whole history. "
                    "`graphbackend viz --tasks` draws it.",
    )
    p.add_argument("execution_id", nargs="?", help="one execution (id or unique prefix); default: all history")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_connection_options(p)
    p.set_defaults(handler=tasks_command)
