"""Benchmark: records per second of ``graphbackend import`` from a redun SQLite database.

The source is the history generator's SQLite repository (``benchmarks.history``,
made once per size and seed in --work-dir). The whole repository is imported
into an emptied Neo4j database with ``graphbackend.sync.transfer.import_records``
(the code of ``graphbackend import``), alternated with the baseline: the same
records copied by the same transfer loop into a new SQLite database with
redun's own ``RedunBackendDb.put_records``. Prints records/s of both, their
ratio, and where Neo4j's time goes (seconds per named query, the rest is
reading the source and converting records in Python).

    python -m benchmarks.import_rate --jobs 10k --batch-sizes 2000,10000 --repeat 2

Neo4j: ``NEO4J_URI`` (emptied: pass --clear-neo4j), else a throwaway local
server on free ports. Not a test: timings depend on the machine.

``--bulk``: the offline route (``graphbackend import --bulk``,
``graphbackend.sync.bulk.bulk_import``) into a new throwaway local server per run
(its database must be empty), alternated with the online import as the baseline
(``--no-baseline`` skips it: at 1M jobs it takes ~20 minutes). Prints records/s of
both, their ratio, and the bulk route's seconds per phase (read+convert, server
stop, loader, server start, schema and index population, warm-up), the loader's
memory and the largest RSS of a child process (the loader's JVM or a converter):

    python -m benchmarks.import_rate --jobs 100k --bulk
    python -m benchmarks.import_rate --jobs 1M --bulk --no-baseline
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from typing import Dict, List

from .history import ThrowawayNeo4j, cached_sqlite_history, parse_size, size_label


class ProgressPrinter:
    """A tqdm progress bar (rate and ETA) for ``import_records(progress=...)``."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, unit="rec", unit_scale=True, desc=self.label, file=sys.stderr)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


class QueryTimer:
    """Seconds per named query, from the backend's public query tracer (``Graph.add_tracer``)."""

    def __init__(self) -> None:
        self.seconds: collections.Counter = collections.Counter()
        self.calls: collections.Counter = collections.Counter()

    def __call__(self, name: str, params: dict, seconds: float) -> None:
        if name.startswith("<"):  # a transaction, not a query
            return
        self.seconds[name] += seconds
        self.calls[name] += 1

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def import_neo4j(source: str, server: ThrowawayNeo4j, batch_size: int, tracer=None) -> tuple:
    from graphbackend.backend import sync
    from graphbackend.sync.transfer import import_records, open_redun_db

    sync.PUT_BATCH = batch_size  # one transaction per transfer batch
    db = open_redun_db(f"sqlite:///{source}")
    backend = server.backend()
    try:
        backend.graph.clear()
        if tracer is not None:
            backend.graph.add_tracer(tracer)
        start = time.perf_counter()
        summary = import_records(db, backend, batch_size=batch_size)
        seconds = time.perf_counter() - start
        pending = backend.graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0]
    finally:
        backend.close()
        db.close()
    if pending:
        raise RuntimeError(f"the import left {pending} pending references")
    return summary.seen, seconds


def import_sqlite(source: str, batch_size: int) -> tuple:
    """Baseline: the same transfer loop into a new SQLite database with redun's put_records."""
    from graphbackend.backend import sync_format as fmt
    from graphbackend.sync.transfer import (
        open_redun_db,
        redun_all_record_ids,
        transfer,
    )

    db = open_redun_db(f"sqlite:///{source}")
    with tempfile.TemporaryDirectory(prefix="graphbackend-bench-import-") as tmp:
        dest = open_redun_db(f"sqlite:///{os.path.join(tmp, 'dest.db')}", create=True)
        try:
            ids = redun_all_record_ids(db)
            start = time.perf_counter()
            summary = transfer(db.backend.get_records, dest.backend.put_records,
                               fmt.chunked(ids, batch_size), len(ids))
            seconds = time.perf_counter() - start
        finally:
            dest.close()
            db.close()
    return summary.seen, seconds


def import_bulk(source: str, workers: int, echo) -> tuple:
    """One bulk import of ``source`` into a new throwaway local server; returns
    (summary, seconds to open the source) after checking no PENDING edge is left."""
    from pathlib import Path

    from graphbackend.server.local import LocalServer
    from graphbackend.sync.bulk import bulk_import
    from graphbackend.sync.transfer import open_redun_db

    if os.environ.get("NEO4J_URI"):
        raise SystemExit("--bulk starts its own local servers: unset NEO4J_URI")
    server = ThrowawayNeo4j(echo=echo)
    try:
        start = time.perf_counter()
        db = open_redun_db(f"sqlite:///{source}")
        opened = time.perf_counter() - start
        try:
            summary, _ = bulk_import(db, Path(server.home), workers=workers, echo=echo)
        finally:
            db.close()
        graph = LocalServer.at(server.home).graph()
        try:
            pending = graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0]
        finally:
            graph.close()
        if pending:
            raise RuntimeError(f"the bulk import left {pending} pending references")
    finally:
        server.stop()
    return summary, opened


def bulk_main(args, source: str, jobs: int, echo) -> int:
    import resource

    rates: Dict[str, List[float]] = collections.defaultdict(list)
    summary = None
    records = 0
    opened = 0.0
    for index in range(args.repeat):
        summary, opened = import_bulk(source, args.workers, echo)
        records = summary.records
        rates["bulk"].append(summary.rate)
        echo(f"bulk    #{index + 1}: {records} records in {summary.seconds:.1f} s = {summary.rate:,.0f}/s "
             f"(load {os.getloadavg()[0]:.1f})")
        if not args.no_baseline:
            server = ThrowawayNeo4j(echo=echo)
            try:
                online_records, seconds = import_neo4j(source, server, int(args.batch_sizes.split(",")[0]))
            finally:
                server.stop()
            rates["online"].append(online_records / seconds)
            echo(f"online  #{index + 1}: {online_records} records in {seconds:.1f} s = "
                 f"{online_records / seconds:,.0f}/s (load {os.getloadavg()[0]:.1f})")
    assert summary is not None
    bulk_rate = statistics.median(rates["bulk"])
    print(f"bulk import of the {size_label(jobs)}-job history ({records} records), load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs, {args.workers} converter(s)")
    online = rates.get("online")
    print(f"{'bulk rec/s':>12}  {'online rec/s':>12}  bulk/online")
    print(f"{bulk_rate:12,.0f}  " + (f"{statistics.median(online):12,.0f}  {bulk_rate / statistics.median(online):.1f}x"
                                     if online else f"{'-':>12}  -"))
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.phases.items())
    print(f"phases of the last bulk run ({summary.seconds:.1f} s; opening and checking the source "
          f"{opened:.1f} s before it): {phases}")
    print(f"{summary.nodes:,} nodes, {summary.relationships:,} relationships, "
          f"{len(summary.bad_relationships)} skipped references")
    print(f"loader: {summary.loader_memory}; largest child RSS "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MiB")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_rate", description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="10k", help="history size of the source repository (default 10k)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-sizes", default="10000", help="comma-separated records per batch to try")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip redun's SQLite put_records")
    parser.add_argument("--work-dir", default="/tmp/graphbackend-bench")
    parser.add_argument("--clear-neo4j", action="store_true", help="allow emptying the database at NEO4J_URI")
    parser.add_argument("--bulk", action="store_true",
                        help="measure the offline route (import --bulk) against the online import")
    parser.add_argument("--workers", type=int, default=2, help="--bulk: converter processes (default 2)")
    args = parser.parse_args(argv)
    if os.environ.get("NEO4J_URI") and not args.clear_neo4j:
        parser.error("NEO4J_URI is set: the benchmark empties that database; pass --clear-neo4j to allow it")
    jobs = parse_size(args.jobs)
    source = cached_sqlite_history(jobs, args.seed, args.work_dir)
    echo = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    if args.bulk:
        return bulk_main(args, source, jobs, echo)
    server = ThrowawayNeo4j(echo=echo)
    timer = QueryTimer()
    rates: Dict[tuple, List[float]] = collections.defaultdict(list)
    breakdown: Dict[int, tuple] = {}
    try:
        for batch_size in [int(size) for size in args.batch_sizes.split(",")]:
            for index in range(args.repeat):
                timer.reset()
                records, seconds = import_neo4j(source, server, batch_size, timer)
                rates[("neo4j", batch_size)].append(records / seconds)
                breakdown[batch_size] = (seconds, dict(timer.seconds), dict(timer.calls))
                echo(f"neo4j   batch {batch_size} #{index + 1}: {records} records in {seconds:.1f} s "
                     f"= {records / seconds:,.0f}/s")
                if not args.no_baseline:
                    records, seconds = import_sqlite(source, batch_size)
                    rates[("sqlite", batch_size)].append(records / seconds)
                    echo(f"sqlite  batch {batch_size} #{index + 1}: {records} records in {seconds:.1f} s "
                         f"= {records / seconds:,.0f}/s")
    finally:
        server.stop()
    print(f"import of the {size_label(jobs)}-job history ({records} records), load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    print(f"{'batch':>7}  {'neo4j rec/s':>12}  {'sqlite rec/s':>12}  neo4j/sqlite")
    for batch_size in sorted({key[1] for key in rates}):
        neo = statistics.median(rates[("neo4j", batch_size)])
        sql = rates.get(("sqlite", batch_size))
        sql_text = f"{statistics.median(sql):12,.0f}" if sql else f"{'-':>12}"
        ratio = f"{neo / statistics.median(sql):.2f}x" if sql else "-"
        print(f"{batch_size:>7}  {neo:12,.0f}  {sql_text}  {ratio}")
    for batch_size, (seconds, query_seconds, calls) in breakdown.items():
        in_queries = sum(query_seconds.values())
        print(f"where the time goes (batch {batch_size}, last run, {seconds:.1f} s): Cypher {in_queries:.1f} s, "
              f"the rest (reading SQLite through redun, converting, overlapped) {seconds - in_queries:.1f} s")
        for name, value in sorted(query_seconds.items(), key=lambda item: -item[1])[:8]:
            print(f"  {name}: {value:.1f} s in {calls[name]} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
