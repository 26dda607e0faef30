"""``graphbackend abort-stale [--older-than 1h] [--yes]``: runs that stopped without ending.

A client killed with SIGKILL (or a lost machine) leaves its Execution's jobs
RUNNING forever. An execution is *stale* when some of its jobs are RUNNING and
nothing showed it alive (heartbeat ``Execution.updated_time``, a job start or
end) for ``--older-than``. Without ``--yes`` this lists them and their RUNNING
jobs as STALE and changes nothing (dry run); with ``--yes`` those jobs are
marked ABORTED (``aborted_time`` set; their Execution gets one too). Queries:
``cypher/execution_stale.cypher``, ``cypher/execution_abort_stale.cypher``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from ..errors import GraphBackendError
from ..settings import add_connection_options, connection_from_args

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> dt.timedelta:
    """``90s``, ``30m``, ``1h``, ``2d`` (or a number of seconds) as a timedelta."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 90s, 30m, 1h, 2d)")
    return dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2) or "s"])


def find_stale(graph, older_than: dt.timedelta, now: dt.datetime):
    """Rows of ``execution_stale.cypher`` (stale executions, oldest first)."""
    return graph.read("execution_stale", before=now - older_than)


def abort_stale(graph, ids, older_than: dt.timedelta, now: dt.datetime):
    """Mark the RUNNING jobs of the stale executions among ``ids`` ABORTED; rows per execution."""
    return graph.write("execution_abort_stale", ids=list(ids), before=now - older_than, now=now)


def _run(args: argparse.Namespace) -> int:
    from ..backend.graph import Graph

    graph = Graph(connection_from_args(args))
    try:
        now = dt.datetime.now(dt.timezone.utc)
        rows = find_stale(graph, args.older_than, now)
        if not rows:
            print(f"No stale execution (none with RUNNING jobs and no activity for {args.older_than}).")
            return 0
        for row in rows:
            tasks = ", ".join(row["tasks"])
            print(f"{row['execution_id']}  last seen {row['last_seen'].iso_format()[:19]}  "
                  f"{row['running_jobs']} job(s) STALE ({tasks})")
        if not args.yes:
            print(f"Dry run: {len(rows)} stale execution(s), nothing changed; --yes marks their jobs ABORTED.")
            return 0
        done = abort_stale(graph, [row["execution_id"] for row in rows], args.older_than, now)
        jobs = sum(row["aborted_jobs"] for row in done)
        print(f"Marked {jobs} job(s) of {len(done)} execution(s) ABORTED.")
        return 0
    except GraphBackendError:
        raise
    finally:
        graph.close()


def add_commands(subparsers) -> None:
    """Register ``abort-stale``."""
    parser = subparsers.add_parser(
        "abort-stale",
        help="list runs that stopped without ending (dry run); --yes marks their jobs ABORTED",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--older-than", type=parse_duration, default=dt.timedelta(hours=1),
                        metavar="DURATION", help="no activity for this long (default 1h; e.g. 90s, 30m, 2d)")
    parser.add_argument("--yes", action="store_true", help="mark the stale jobs ABORTED (default: dry run)")
    add_connection_options(parser)
    parser.set_defaults(handler=_run)
