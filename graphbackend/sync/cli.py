"""``graphbackend import SOURCE`` and ``graphbackend export DEST``.

``import`` reads a redun database (``sqlite:///path/redun.db``,
``postgresql://...``, or a directory holding ``.redun/``) into Neo4j; ``export``
writes the graph into a redun database that ``redun log``/``redun console``
read. The Neo4j server comes from the shared connection options (``--uri``,
``--user``, ``--database``, else the redun config's ``[backend]`` ``neo4j_*``
keys, else ``NEO4J_URI`` etc., else the local server). Both can be stopped and run again: records
already present are skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import RedunSourceError
from ..explore.browser import browser_commands
from ..settings import add_connection_options, connection_from_args, redun_backend_config
from .transfer import (
    DEFAULT_BATCH_SIZE,
    TransferSummary,
    export_records,
    import_records,
    open_redun_db,
    parse_tag,
)


class ProgressBar:
    """Progress of a transfer as a tqdm bar: records done, rate and ETA (on a
    terminal one updating line; elsewhere a line every 5 seconds)."""

    def __init__(self, label: str, stream: TextIO = sys.stderr):
        self.label = label
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.label, unit=" records", unit_scale=True,
                            file=self.stream, mininterval=0.2 if self.tty else 5.0, dynamic_ncols=self.tty)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def _backend(args):
    from ..backend.neo4j_backend import Neo4jBackend

    backend = Neo4jBackend(
        settings=connection_from_args(args), config=redun_backend_config(args.redun_config),
        value_store_path=args.value_store,
    )
    backend.load()
    return backend


def _print_summary(verb: str, summary: TransferSummary) -> None:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_type.items())) or "nothing"
    print(
        f"{verb} {summary.new} new record(s) of {summary.seen} ({kinds}) "
        f"in {summary.seconds:.1f}s ({summary.rate:,.0f} records/s)"
    )
    if summary.rootless_skipped:
        print(f"Left out {summary.rootless_skipped} execution(s) without a root job "
              f"(runs that never started; redun's database requires an execution's job).")
    if summary.blobs_copied:
        print(f"Copied {summary.blobs_copied} value-store blob(s).")


def bulk_import_command(args: argparse.Namespace) -> int:
    """``import --bulk``: the offline route (graphbackend.sync.bulk)."""
    from .bulk import bulk_import, check_target

    selected = bool(args.execution or args.tag)
    if selected or args.uri or args.home is None:  # refuse before the source is even opened
        check_target(args.home, selected, bool(args.uri))
    if args.values == "copy":
        raise RedunSourceError("--bulk keeps value-store blobs where they are (--values keep): "
                               "copy them with the online import, or set value_store_path")
    db = open_redun_db(args.source, value_store_path=args.source_value_store)
    try:
        summary, steps = bulk_import(db, args.home, dry_run=args.dry_run, quiet=args.quiet,
                                     workers=args.workers)
    finally:
        db.close()
    if args.dry_run:
        print("dry run, nothing changed; `import --bulk` would:")
        for step in steps:
            print(f"  - {step}")
        return 0
    kinds = ", ".join(f"{count} {kind}" for kind, count in summary.by_type.items())
    phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in summary.phases.items())
    print(f"Imported {summary.records} record(s) ({kinds}) with Neo4j's bulk loader in {summary.seconds:.1f}s "
          f"({summary.rate:,.0f} records/s): {summary.nodes:,} nodes, {summary.relationships:,} relationships")
    print(f"  {phases}")
    if summary.bad_relationships:
        print(f"Warning: {len(summary.bad_relationships)} reference(s) to records missing from the source were "
              f"left out (the online import keeps them as PENDING), e.g. {summary.bad_relationships[0]}")
    if db.value_store_path:
        print(
            f"Values in redun's value store stay in {db.value_store_path}: set "
            f"value_store_path = {db.value_store_path} in the [backend] config to read them."
        )
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Import a redun database into Neo4j."""
    if args.bulk:
        return bulk_import_command(args)
    if args.dry_run or args.home is not None:
        raise RedunSourceError("--dry-run and --home go with --bulk (the online import needs neither)")
    db = open_redun_db(args.source, value_store_path=args.source_value_store)
    backend = _backend(args)
    try:
        summary = import_records(
            db,
            backend,
            execution_ids=args.execution or (),
            tags=[parse_tag(tag) for tag in args.tag or ()],
            batch_size=args.batch_size,
            progress=None if args.quiet else ProgressBar("import"),
            copy_values=args.values == "copy",
        )
    finally:
        db.close()
        backend.close()
    _print_summary("Imported", summary)
    if db.value_store_path and args.values == "keep":
        print(
            f"Values in redun's value store stay in {db.value_store_path}: set "
            f"value_store_path = {db.value_store_path} in the [backend] config to read them."
        )
    example = summary.execution_ids[0] if summary.execution_ids else "<execution id>"
    print("Look at an execution's call graph in Neo4j Browser: paste these two commands\n")
    print(browser_commands(example))
    return 0


#: File endings that make ``export DEST`` an SQLite file rather than a directory.
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def export_destination(dest: str) -> str:
    """``export``'s DEST as ``open_redun_db`` reads it: a path ending in ``.db``
    (``.sqlite``, ``.sqlite3``) that is not a directory is the SQLite file to write."""
    if "://" not in dest and dest.lower().endswith(SQLITE_SUFFIXES) and not os.path.isdir(dest):
        return "sqlite:///" + os.path.abspath(dest)
    return dest


def graph_execution_ids(backend, ids) -> list:
    """Full execution ids for ``--execution`` values (full ids or unique prefixes)."""
    from ..explore.queries import resolve_id

    return [resolve_id(backend.graph, id, kinds=("execution",))["id"] for id in ids]


def export_command(args: argparse.Namespace) -> int:
    """Export the graph into a redun database (or, with --format, a standard format)."""
    if args.format != "redun":
        from .standard import export_standard

        return export_standard(args)
    backend = _backend(args)
    try:
        execution_ids = graph_execution_ids(backend, args.execution or ())
    except Exception:
        backend.close()
        raise
    db = open_redun_db(export_destination(args.dest), create=True, value_store_path=args.dest_value_store)
    try:
        summary = export_records(
            backend,
            db,
            execution_ids=execution_ids,
            batch_size=args.batch_size,
            progress=None if args.quiet else ProgressBar("export"),
            copy_values=args.values == "copy",
        )
    finally:
        db.close()
        backend.close()
    _print_summary("Exported", summary)
    print(f"Read it with redun: redun --repo ... log, or redun console (database {args.dest}).")
    return 0


def add_commands(subparsers) -> None:
    """Add the ``import`` and ``export`` subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--execution", action="append", metavar="ID",
                        help="only this execution (full id or unique prefix; repeatable)")
    common.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                        help="records per transaction (default %(default)s)")
    common.add_argument("--values", choices=("keep", "copy"), default="keep",
                        help="value-store blobs: keep them where they are, or copy them (default keep)")
    common.add_argument("--value-store", metavar="PATH",
                        help="graphbackend's value store (default: value_store_path of the redun config)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_connection_options(common)

    imp = subparsers.add_parser(
        "import", parents=[common],
        help="import a redun database (SQLite, PostgreSQL or a .redun/ directory) into Neo4j",
    )
    imp.add_argument("source", metavar="SOURCE",
                     help="sqlite:///path/redun.db, postgresql://..., or a directory holding .redun/")
    imp.add_argument("--tag", action="append", metavar="KEY=VALUE",
                     help="only executions with this tag (repeatable)")
    imp.add_argument("--source-value-store", metavar="PATH",
                     help="the redun value store (default: from the repository's redun.ini)")
    bulk = imp.add_argument_group(
        "offline bulk import",
        "--bulk fills the EMPTY database of a local server (--home) with Neo4j's bulk loader: the "
        "whole source (no --execution/--tag), 2-3x faster than the online import at 100k-1M jobs (README, "
        "Performance); the server is stopped during the load and started again")
    bulk.add_argument("--bulk", action="store_true", help="use Neo4j's offline bulk loader (see above)")
    bulk.add_argument("--home", type=Path, metavar="DIR",
                      help="the local server's home (as `graphbackend server start --home` takes it); "
                           "required with --bulk, even for the default home")
    bulk.add_argument("--dry-run", action="store_true", help="with --bulk: check and say what it would do")
    bulk.add_argument("--workers", type=int, default=2,
                      help="with --bulk: processes reading and converting records (default %(default)s)")
    imp.set_defaults(handler=import_command)

    exp = subparsers.add_parser(
        "export", parents=[common],
        help="export the graph into a redun database (for redun log / redun console)",
    )
    exp.add_argument("dest", metavar="DEST",
                     help="sqlite:///path/redun.db, a path ending in .db (the SQLite file), postgresql://..., "
                          "or a directory (creates .redun/)")
    exp.add_argument("--dest-value-store", metavar="PATH",
                     help="the redun value store to copy blobs into (with --values copy)")
    exp.add_argument("--format", choices=("redun", "prov-json", "prov-n", "prov-o", "ro-crate"),
                     default="redun", help="redun database (default), W3C PROV, or a Workflow Run RO-Crate")
    exp.add_argument("--tag", action="append", metavar="KEY[=VALUE]",
                     help="(standard formats) executions with this tag (repeatable)")
    exp.add_argument("--lineage", action="append", metavar="PATH",
                     help="(standard formats) the executions that produced this file (repeatable)")
    exp.add_argument("--include-data", action="store_true", help="(ro-crate) copy the files into the crate")
    exp.set_defaults(handler=export_command)
