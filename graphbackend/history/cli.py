"""``graphbackend invalidate`` and ``graphbackend gc``.

Both are dry runs unless ``--yes`` is given: they print what they would do
(counts and the list) and write nothing. Bad input (an unknown target, a
selection matching nothing, ``--yes`` without a selection) is one line on
stderr, exit code 1, nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, Optional, TextIO

from ..errors import HistoryError
from ..settings import add_connection_options, connection_from_args


def open_graph(args: argparse.Namespace):
    """The Graph the command works on (password from ``NEO4J_PASSWORD`` only)."""
    from ..backend.graph import Graph

    return Graph(connection_from_args(args))


def _text(value: Any) -> str:
    return value.iso_format() if hasattr(value, "iso_format") else str(value)


def _dump(data: Dict[str, Any], out: TextIO) -> None:
    json.dump(data, out, indent=2, sort_keys=True, default=_text)
    out.write("\n")


# invalidate -------------------------------------------------------------------------------


def invalidate_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend invalidate TARGET [--reason R] [--yes]``, ``--undo ID``, ``--list``."""
    from . import invalidate as inv

    out = out or sys.stdout
    if args.list:
        graph = open_graph(args)
        try:
            rows = inv.invalidations(graph)
        finally:
            graph.close()
        if args.json:
            _dump({"invalidations": rows}, out)
            return 0
        for row in rows:
            state = f"undone {_text(row['undone_time'])}" if row["undone_time"] else f"{row['still_marked']} still marked"
            print(f"{row['id'][:12]}  {_text(row['time'])}  {row['user']}  {row['target_kind']} {row['target']}"
                  f"  {row['calls']} call(s)  {state}  {row['reason'] or ''}".rstrip(), file=out)
        return 0
    if args.undo:
        if args.target:
            raise HistoryError("invalidate --undo ID takes no TARGET")
        graph = open_graph(args)
        try:
            result = inv.undo(graph, args.undo, apply_it=args.yes)
        finally:
            graph.close()
        if args.json:
            _dump({"dry_run": not args.yes, **result}, out)
            return 0
        verb = "Cleared" if args.yes else "Would clear"
        print(f"{verb} the mark of {result['calls']} call(s) and {result['evaluations']} evaluation(s) "
              f"set by invalidation {result['id']} ({result['target']}).", file=out)
        for label in result["call_labels"][: args.limit]:
            print(f"  {label}", file=out)
        if not args.yes:
            print("Dry run: nothing written. Run again with --yes to apply.", file=out)
        return 0
    if not args.target:
        raise HistoryError("invalidate: give a TARGET (a file path, value, task, call or execution), "
                           "--undo ID or --list")
    graph = open_graph(args)
    try:
        target = inv.resolve_target(graph, args.target, kind=args.kind)
        the_plan = inv.plan(graph, target)
        if not the_plan.calls and not the_plan.evaluations:
            raise HistoryError(f"invalidate: no cached call derives from {args.target!r}; nothing to do")
        invalidation_id = None
        if args.yes:
            invalidation_id = inv.apply(graph, the_plan, reason=args.reason)
    finally:
        graph.close()
    summary = the_plan.summary()
    if args.json:
        _dump({"dry_run": not args.yes, "invalidation_id": invalidation_id, **summary,
               "call_list": the_plan.calls}, out)
        return 0
    verb = "Invalidated" if args.yes else "Would invalidate"
    print(f"{verb} {summary['calls']} cached call(s) and {summary['evaluations']} evaluation-cache "
          f"entr(y/ies) derived from {target.labels[0] if len(target.labels) == 1 else target.text}"
          f" ({summary['already_invalidated']} already invalidated).", file=out)
    for task_name, count in summary["by_task"].items():
        print(f"  {count:6d}  {task_name}", file=out)
    for call in the_plan.calls[: args.limit]:
        mark = " (already invalidated)" if call["invalidated"] else ""
        print(f"  call {call['call_hash'][:12]}  {call['task_name']}{mark}", file=out)
    if len(the_plan.calls) > args.limit:
        print(f"  ... {len(the_plan.calls) - args.limit} more (--limit, --json)", file=out)
    if args.yes and invalidation_id:
        print(f"Invalidation {invalidation_id}; undo with: graphbackend invalidate --undo {invalidation_id[:12]} --yes",
              file=out)
    else:
        print("Dry run: nothing written. Run again with --yes to apply.", file=out)
    return 0


# gc -----------------------------------------------------------------------------------------


def gc_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``graphbackend gc`` (see ``gc.py`` for the rules)."""
    from . import gc as gc_mod

    out = out or sys.stdout
    selection = gc_mod.Selection(
        older_than=gc_mod.parse_duration(args.older_than) if args.older_than else None,
        keep_tags=[gc_mod.parse_keep_tag(text) for text in args.keep_tag or ()],
        keep_last=args.keep_last,
        execution_ids=list(args.execution or ()),
        running_grace=gc_mod.parse_duration(args.running_within),
    )
    graph = open_graph(args)
    value_store = gc_mod.open_value_store(args.value_store)
    progress = None if args.quiet else gc_mod.progress_bar
    try:
        report = gc_mod.collect(graph, selection, apply=args.yes, value_store=value_store,
                                batch_size=args.batch_size, grace_seconds=args.grace,
                                progress=progress)
    finally:
        graph.close()
    if args.json:
        _dump(report.as_dict(), out)
        return 0
    for line in report.lines():
        print(line, file=out)
    return 0


def add_commands(subparsers) -> None:
    """Add ``invalidate`` and ``gc`` to the ``graphbackend`` command line."""
    inv = subparsers.add_parser(
        "invalidate",
        help="make every cached call derived from a file, value, task, call or execution recompute",
        description="Mark every cached call that derives from TARGET (at any depth, across "
                    "executions) so the next run recomputes exactly those calls. History stays. "
                    "Dry run unless --yes.",
    )
    inv.add_argument("target", nargs="?", metavar="TARGET",
                     help="a file path, value hash, task hash or full name, call hash or execution id "
                          "(unique prefixes work)")
    inv.add_argument("--kind", choices=("execution", "call", "file", "value", "task"),
                     help="what TARGET is, when it is ambiguous")
    inv.add_argument("--reason", help="why (recorded with the invalidation)")
    inv.add_argument("--yes", action="store_true", help="apply (default: dry run)")
    inv.add_argument("--undo", metavar="ID", help="revert the invalidation ID (see --list)")
    inv.add_argument("--list", action="store_true", help="list recorded invalidations")
    inv.add_argument("--limit", type=int, default=50, help="calls listed (default %(default)s)")
    inv.add_argument("--json", action="store_true", help="machine-readable output")
    add_connection_options(inv)
    inv.set_defaults(handler=invalidate_command)

    gc = subparsers.add_parser(
        "gc",
        help="delete old executions, keeping everything a kept execution reaches",
        description="Delete the selected executions and whatever no kept execution reaches "
                    "(see the README, 'Keeping history healthy'). Dry run unless --yes.",
    )
    gc.add_argument("--older-than", metavar="DURATION",
                    help="only executions started longer ago than this (30d, 12h, 90m, 2w)")
    gc.add_argument("--keep-tag", action="append", metavar="KEY[=VALUE]",
                    help="keep executions with this tag (repeatable)")
    gc.add_argument("--keep-last", type=int, metavar="N",
                    help="keep the newest N executions of each root task")
    gc.add_argument("--execution", action="append", metavar="ID",
                    help="only this execution (id or unique prefix; repeatable)")
    gc.add_argument("--running-within", default="10m", metavar="DURATION",
                    help="an execution whose heartbeat is more recent is running and kept "
                         "(default %(default)s)")
    gc.add_argument("--grace", type=float, default=30.0, metavar="SECONDS",
                    help="wait between marking and deleting, for cache checks in flight "
                         "(default %(default)s)")
    gc.add_argument("--batch-size", type=int, default=5000, help="nodes per transaction (default %(default)s)")
    gc.add_argument("--value-store", metavar="PATH",
                    help="the value store whose unreferenced blobs are deleted "
                         "(default: value_store_path of the redun config)")
    gc.add_argument("--yes", action="store_true", help="delete (default: dry run)")
    gc.add_argument("--json", action="store_true", help="machine-readable output")
    gc.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_connection_options(gc)
    gc.set_defaults(handler=gc_command)
