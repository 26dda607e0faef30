"""``graphbackend export --format prov-json|prov-n|prov-o|ro-crate DEST``: the standard exports.

The scope: ``--execution ID`` (repeatable), ``--tag KEY[=VALUE]`` (repeatable),
``--lineage PATH`` (the executions that produced a File at PATH), or every
execution when none is given. ``--include-data`` copies the Files into an
RO-Crate (default: referenced by ``file://`` URL).
"""

from __future__ import annotations

import argparse
import os

from ..errors import HistoryError

FORMATS = ("prov-json", "prov-n", "prov-o", "ro-crate")


def export_standard(args: argparse.Namespace) -> int:
    from ..backend.graph import Graph
    from ..settings import connection_from_args
    from .std_scope import read_scope

    tags = []
    for text in getattr(args, "tag", None) or ():
        key, sep, value = text.partition("=")
        if not key:
            raise HistoryError(f"export: invalid --tag {text!r} (use KEY or KEY=VALUE)")
        tags.append((key, value if sep else None))
    if args.format == "ro-crate" and os.path.exists(args.dest) and os.listdir(args.dest):
        raise HistoryError(f"export: {args.dest} exists and is not empty (an RO-Crate is written into a new folder)")
    if args.format != "ro-crate" and os.path.isdir(args.dest):
        raise HistoryError(f"export: {args.dest} is a folder ({args.format} writes one file)")
    graph = Graph(connection_from_args(args))
    try:
        scope = read_scope(graph, execution_ids=args.execution or (), tags=tags,
                           file_paths=getattr(args, "lineage", None) or ())
    finally:
        graph.close()
    if args.format == "ro-crate":
        from . import rocrate

        counts = rocrate.write(scope, args.dest, include_data=getattr(args, "include_data", False))
        print(f"Wrote a Workflow Run RO-Crate of {counts['executions']} execution(s) and {counts['jobs']} "
              f"job(s) ({counts['files']} file(s)) to {args.dest}")
        return 0
    from . import prov

    counts = prov.write(scope, args.format, args.dest)
    print(f"Wrote {args.format} of {len(scope.executions)} execution(s) to {args.dest}: "
          + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0
