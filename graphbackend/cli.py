"""The ``graphbackend`` command line.

Each concern contributes its own subcommands through an ``add_commands(subparsers)``
function in its module; this file only assembles them:

- ``server start|stop|status`` (``server/cli.py``): the local Neo4j server.
- ``demo`` (``demo/cli.py``): the main job, a real workflow recorded twice.
- ``import`` / ``export`` (``sync/cli.py``): redun databases to and from Neo4j.
- ``log`` / ``show`` / ``lineage`` / ``viz`` (``explore/cli.py``): exploring provenance.
- ``tag add|update|rm|list`` (``explore/tag_cli.py``): redun's tag commands.
- ``impact`` / ``diff`` / ``why`` / ``plan`` / ``tasks`` (``explore/questions_cli.py``): questions.
- ``invalidate`` / ``gc`` (``history/cli.py``): keeping history healthy.
- ``abort-stale`` (``explore/stale_cli.py``): runs that stopped without ending.

A subcommand's handler is ``args.handler(args) -> int`` (the exit code).
Errors of graphbackend (``GraphBackendError``) print as one line, exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from .errors import GraphBackendError

#: Modules that contribute subcommands, in the order they appear in --help.
COMMAND_MODULES = (
    "server.cli", "demo.cli", "sync.cli", "explore.cli", "explore.tag_cli", "explore.questions_cli",
    "explore.stale_cli", "history.cli",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="graphbackend",
        description="A Neo4j provenance and cache backend for redun.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"graphbackend.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"graphbackend.{name}":
                continue  # that concern ships no commands (yet)
            raise
        module.add_commands(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``graphbackend`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GraphBackendError as error:
        print(f"graphbackend: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("graphbackend: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
