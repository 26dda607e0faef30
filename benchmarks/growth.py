"""``python -m benchmarks.growth --history 10k,100k``: per-job cost against history size.

At each history size the generator's history (``benchmarks.history``, the same
records everywhere) is loaded into every backend: SQLite (a copy of the
generator's SQLite file), PostgreSQL (written by the generator into a new
database of a throwaway cluster), Neo4j (imported from that SQLite file with
``graphbackend import``'s code, so the import rate at that size is measured
too) and the floor (``benchmarks.floor``, in memory, no history: the
scheduler's own cost). Then, after one untimed warm-up pass (query planning),
interleaved across backends (repeat 1 on every
backend, then repeat 2, ...), on top of that history:

- ``fanout``: first run of ``g_fan(salt, n)`` (n new leaf jobs), seconds per job;
- ``cached``: the same workflow again, every job a cache hit, seconds per job;
- ``shallow``: rerun of a ``g_chain(salt, depth)`` with ``check_valid="shallow"``;
- ``check_cache``: single ``check_cache`` calls on the fan-out's leaves (hits
  through the evaluation cache), p50 and p99 in milliseconds;
- ``records``: ``iter_record_ids`` + ``get_records`` of one history execution;

and once per size: the server's RSS (Neo4j, PostgreSQL), the store on disk per
job of history, and Neo4j's page-cache hit ratio (Community has no page-cache
JMX bean or metrics and PROFILE's page-cache counts stay 0 under its slotted
runtime, so it is ``SHOW TRANSACTIONS``' pageHits/pageFaults of a transaction
running the records queries of one execution). Prints a table, writes
JSON and a PNG plot (matplotlib).

Neo4j: ``NEO4J_URI`` (emptied for each size: pass --clear-neo4j), else a
throwaway local server on free ports with the default 1 GiB heap and 512 MiB
page cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from typing import Any, Dict, List, Optional

from redun import Scheduler, task
from redun.hashing import hash_arguments, hash_eval
from redun.task import CacheCheckValid, CacheResult, CacheScope
from redun.value import get_type_registry

from .backends import Counts, Neo4jBench, SqlBench
from .floor import FloorBench
from .history import ThrowawayNeo4j, cached_sqlite_history, generate_history, parse_size, size_label
from .workloads import BenchmarkError, quiet_redun

redun_namespace = "graphbackend_growth"

BACKENDS = ("floor", "sqlite", "postgres", "neo4j")
_ran = {"leaf": 0, "chain": 0}


@task()
def g_leaf(salt: str, i: int) -> str:
    _ran["leaf"] += 1
    return f"{salt}-{i}"


@task()
def g_fan(salt: str, n: int) -> List[str]:
    return [g_leaf(salt, i) for i in range(n)]


@task()
def g_chain(salt: str, depth: int) -> int:
    _ran["chain"] += 1
    if depth <= 0:
        return 0
    return g_chain(salt, depth - 1)


def _percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def _du(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def memory_rss_mib(pid: int) -> Optional[float]:
    """Resident memory of a process in MiB (Linux ``/proc``), or None."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _rss_tree_mib(pid: int) -> Optional[float]:
    """RSS of a process and its children (PostgreSQL's backends), MiB."""
    total = memory_rss_mib(pid)
    if total is None:
        return None
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                total += memory_rss_mib(int(entry)) or 0
    return total


class Measurer:
    """The measurements of one backend at one history size."""

    def __init__(self, name: str, bench, execution_id: Optional[str]):
        self.name = name
        self.bench = bench
        self.execution_id = execution_id
        self.samples: Dict[str, List[float]] = {}
        self.trips: Dict[str, List[float]] = {}
        self.checks: List[float] = []
        self.record_count = 0

    def _add(self, key: str, seconds: float, counts: Counts, units: int) -> None:
        self.samples.setdefault(key, []).append(seconds / units)
        self.trips.setdefault(key, []).append(counts.trips / units)

    def _run(self, expr) -> tuple:
        backend = self.bench.reopen()
        try:
            before = Counts(self.bench.counts.trips, self.bench.counts.detail)
            start = time.perf_counter()
            result = Scheduler(backend=backend).run(expr)
            return result, time.perf_counter() - start, self.bench.counts - before
        finally:
            self.bench.close(backend)

    def measure(self, salt: str, fanout: int, depth: int, checks: int) -> None:
        leaves = _ran["leaf"]
        result, seconds, counts = self._run(g_fan(salt, fanout))
        if len(result) != fanout or _ran["leaf"] - leaves != fanout:
            raise BenchmarkError(f"{self.name}: the first fan-out ran {_ran['leaf'] - leaves} leaves")
        self._add("fanout", seconds, counts, fanout + 1)
        leaves = _ran["leaf"]
        result, seconds, counts = self._run(g_fan(salt, fanout))
        if _ran["leaf"] != leaves:
            raise BenchmarkError(f"{self.name}: the cached rerun ran {_ran['leaf'] - leaves} leaves")
        self._add("cached", seconds, counts, fanout + 1)
        self._run(g_chain(salt, depth))
        chains = _ran["chain"]
        result, seconds, counts = self._run(g_chain.options(check_valid="shallow")(salt, depth))
        if _ran["chain"] != chains or result != 0:
            raise BenchmarkError(f"{self.name}: the shallow rerun ran {_ran['chain'] - chains} chain tasks")
        self._add("shallow", seconds, counts, 1)
        self._check_cache(salt, fanout, checks)
        self._records()

    def _check_cache(self, salt: str, fanout: int, checks: int) -> None:
        registry = get_type_registry()
        backend = self.bench.reopen()
        try:
            for i in range(min(checks, fanout)):
                args = (salt, i)
                args_hash = hash_arguments(registry, args, {})
                eval_hash = hash_eval(registry, g_leaf.hash, args, {})[0]
                start = time.perf_counter()
                value, _, cache_type = backend.check_cache(
                    g_leaf.hash, args_hash, eval_hash, "growth-check", {g_leaf.hash},
                    CacheScope.BACKEND, CacheCheckValid.FULL)
                self.checks.append(time.perf_counter() - start)
                if cache_type != CacheResult.SINGLE or value != f"{salt}-{i}":
                    raise BenchmarkError(f"{self.name}: check_cache gave {cache_type} for leaf {i}")
        finally:
            self.bench.close(backend)

    def _records(self) -> None:
        if not self.execution_id:
            return
        backend = self.bench.reopen()
        try:
            before = Counts(self.bench.counts.trips, self.bench.counts.detail)
            start = time.perf_counter()
            ids = list(backend.iter_record_ids([self.execution_id]))
            records = list(backend.get_records(ids))
            seconds = time.perf_counter() - start
            if not records or len(records) != len(ids):
                raise BenchmarkError(f"{self.name}: {len(records)} records for {len(ids)} ids")
            self.record_count = len(records)
            self._add("records", seconds, self.bench.counts - before, 1)
        finally:
            self.bench.close(backend)

    def row(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for key, values in self.samples.items():
            out[key] = statistics.median(values)
            out[key + "_trips"] = statistics.median(self.trips[key])
        if self.checks:
            out["check_p50_ms"] = _percentile(self.checks, 0.50) * 1000
            out["check_p99_ms"] = _percentile(self.checks, 0.99) * 1000
        out["record_count"] = self.record_count
        return out


def _neo4j_page_cache(bench: Neo4jBench, execution_id: str) -> Optional[float]:
    """Page-cache hit ratio of the record queries of one execution (sync_ids, sync_get)
    and a check_cache query. Community has no page-cache JMX bean or metrics, and
    PROFILE's per-operator page-cache counts stay 0 under its slotted runtime, so
    this reads the open transaction's ``pageHits``/``pageFaults`` from
    ``SHOW TRANSACTIONS`` in a second session."""
    from graphbackend.backend.cypher import query

    backend = bench.reopen()
    driver = backend.graph.driver
    database = backend.graph.settings.database
    try:
        row = backend.graph.read_one("sync_ids", ids=[execution_id])
        with driver.session(database=database) as first, driver.session(database=database) as second:
            tx = first.begin_transaction(metadata={"graphbackend_bench": "page-cache"})
            try:
                tx.run(query("sync_ids"), {"ids": [execution_id]}).consume()
                tx.run(query("sync_get"), {"ids": list(row["ids"]) + list(row["tag_ids"])}).consume()
                rows = second.run("SHOW TRANSACTIONS YIELD metaData, pageHits, pageFaults "
                                  "RETURN metaData, pageHits, pageFaults").data()
            finally:
                tx.rollback()
        for found in rows:
            if (found["metaData"] or {}).get("graphbackend_bench") == "page-cache":
                total = found["pageHits"] + found["pageFaults"]
                return found["pageHits"] / total if total else None
        return None
    except Exception as error:  # a figure, not a failure
        print(f"page-cache ratio unavailable: {error}", file=sys.stderr)
        return None
    finally:
        bench.close(backend)


def _bulk_import(db, neo4j: Optional[ThrowawayNeo4j], echo) -> tuple:
    """Load the history with ``graphbackend import --bulk``'s code into the benchmark's own
    server (stopped, loaded, started again): ``(records/s, seconds)``, every phase included."""
    from pathlib import Path

    from graphbackend.sync.bulk import bulk_import

    if neo4j is None or neo4j.server is None or not neo4j.home:
        raise BenchmarkError("--neo4j-import bulk loads the benchmark's own throwaway server: unset NEO4J_URI")
    summary, _ = bulk_import(db, Path(neo4j.home), echo=echo)
    neo4j.pid = neo4j.server.pid()  # a new server process
    echo(f"bulk import: {summary.records:,} records in {summary.seconds:.0f} s ({summary.rate:,.0f} records/s; "
         + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in summary.phases.items()) + ")")
    return summary.rate, summary.seconds


def run_size(jobs: int, args, neo4j: Optional[ThrowawayNeo4j], pg_cluster, echo) -> Dict[str, Any]:
    """Load the history of ``jobs`` jobs everywhere and measure."""
    from graphbackend.sync.transfer import import_records, open_redun_db

    source = cached_sqlite_history(jobs, args.seed, args.work_dir)
    from .history import HistorySummary, iter_history

    summary = HistorySummary()
    for _ in iter_history(jobs, args.seed, summary):
        pass
    # One history execution of about the average size, the same on every backend.
    execution_id = summary.executions[len(summary.executions) // 2]
    facts: Dict[str, Any] = {"jobs": summary.jobs, "records": summary.total_records}
    measurers: Dict[str, Measurer] = {}
    tmp = tempfile.mkdtemp(prefix="graphbackend-growth-")
    try:
        for name in args.backend_names:
            echo(f"[{size_label(jobs)}] loading the history into {name} ...")
            start = time.perf_counter()
            if name == "floor":
                bench = FloorBench()
                bench.fresh()
                measurers[name] = Measurer(name, bench, None)
                continue
            if name == "sqlite":
                copy = os.path.join(tmp, "history.db")
                shutil.copyfile(source, copy)
                bench = SqlBench(lambda copy=copy: f"sqlite:///{copy}")
                facts["sqlite_store_bytes"] = os.path.getsize(copy)
            elif name == "postgres":
                uri = pg_cluster.create_database(f"growth_{size_label(jobs).lower()}_{uuid.uuid4().hex[:6]}")
                generate_history(uri, jobs=jobs, seed=args.seed, progress=True)
                bench = SqlBench(lambda uri=uri: uri)
                facts["postgres_load_s"] = time.perf_counter() - start
            else:
                bench = Neo4jBench(clear=True, echo=echo)
                backend = bench.reopen()
                backend.graph.clear()
                db = open_redun_db(f"sqlite:///{source}")
                facts["neo4j_import_route"] = args.neo4j_import
                if args.neo4j_import == "bulk":
                    bench.close(backend)
                    facts["neo4j_import_records_per_s"], facts["neo4j_import_s"] = _bulk_import(db, neo4j, echo)
                else:
                    from .import_rate import ProgressPrinter

                    imported = import_records(db, backend, batch_size=args.batch_size,
                                              progress=ProgressPrinter(f"import {size_label(jobs)}"))
                    bench.close(backend)
                    facts["neo4j_import_records_per_s"] = imported.seen / imported.seconds
                    facts["neo4j_import_s"] = imported.seconds
                db.close()
            if isinstance(bench, SqlBench):
                bench.close(bench.fresh())  # opens the loaded database (fresh() only names it)
            bench.fresh = None  # never empty a loaded history
            measurers[name] = Measurer(name, bench, execution_id)
        # One untimed pass first: a query's first run on a server pays its planning
        # (0.3-2 s here), which a median of few repeats would otherwise include.
        for name, measurer in measurers.items():
            echo(f"[{size_label(jobs)}] warm-up: {name} ...")
            Measurer(name, measurer.bench, measurer.execution_id).measure(
                f"{size_label(jobs)}-warm-{uuid.uuid4().hex[:6]}", args.fanout, args.depth, args.checks)
        for repeat in range(args.repeat):
            for name, measurer in measurers.items():
                echo(f"[{size_label(jobs)}] repeat {repeat + 1}: {name} ...")
                measurer.measure(f"{size_label(jobs)}-{repeat}-{uuid.uuid4().hex[:6]}", args.fanout, args.depth,
                                 args.checks)
        rows = {name: measurer.row() for name, measurer in measurers.items()}
        if "sqlite" in measurers:
            facts["sqlite_store_bytes"] = os.path.getsize(os.path.join(tmp, "history.db"))
        if "neo4j" in measurers and neo4j is not None:
            if neo4j.pid:
                facts["neo4j_rss_mib"] = memory_rss_mib(neo4j.pid)
            if neo4j.home:
                facts["neo4j_store_bytes"] = _du(os.path.join(neo4j.home, "data", "databases", "neo4j"))
            facts["neo4j_page_cache_hit_ratio"] = _neo4j_page_cache(measurers["neo4j"].bench, execution_id)
        if "postgres" in measurers and pg_cluster is not None:
            try:
                with open(os.path.join(pg_cluster.data_dir, "postmaster.pid")) as pid_file:
                    facts["postgres_rss_mib"] = _rss_tree_mib(int(pid_file.readline()))
            except (OSError, ValueError):
                pass
            facts["postgres_store_bytes"] = _du(os.path.join(pg_cluster.data_dir, "base"))
        return {"size": jobs, "facts": facts, "backends": rows}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


METRICS = (
    ("fanout", "fan-out first run, ms/job", 1000),
    ("cached", "cached rerun, ms/job", 1000),
    ("shallow", "shallow chain rerun, ms", 1000),
    ("check_p50_ms", "check_cache p50, ms", 1),
    ("check_p99_ms", "check_cache p99, ms", 1),
    ("records", "iter_record_ids+get_records, ms", 1000),
)


def format_table(results: List[Dict[str, Any]], names: List[str]) -> str:
    lines = []
    header = f"{'history':>8}  {'metric':<34}" + "".join(f"{name:>10}" for name in names)
    extra = [name for name in ("sqlite", "postgres") if name in names and "neo4j" in names]
    header += "".join(f"{'neo4j/' + name:>15}" for name in extra)
    if "floor" in names:
        header += f"{'neo4j/floor':>13}{'sqlite/floor':>14}"  # "-" where a backend is absent
    lines.append(header)
    lines.append("-" * len(header))
    for result in results:
        rows = result["backends"]
        for key, label, scale in METRICS:
            cells = []
            for name in names:
                value = rows.get(name, {}).get(key)
                cells.append(f"{value * scale:10.2f}" if value is not None else f"{'-':>10}")
            line = f"{size_label(result['size']):>8}  {label:<34}" + "".join(cells)
            neo = rows.get("neo4j", {}).get(key)
            for name in extra:
                other = rows.get(name, {}).get(key)
                line += f"{neo / other:14.2f}x" if neo and other else f"{'-':>15}"
            if "floor" in names:
                floor = rows.get("floor", {}).get(key)
                sql = rows.get("sqlite", {}).get(key)
                line += f"{neo / floor:12.2f}x" if neo and floor else f"{'-':>13}"
                line += f"{sql / floor:13.2f}x" if sql and floor else f"{'-':>14}"
            lines.append(line)
        trips = "; ".join(
            f"{name} {rows[name].get('fanout_trips', 0):.1f}/{rows[name].get('cached_trips', 0):.1f}"
            for name in names if name in rows)
        lines.append(f"{'':>8}  round trips per job (fanout/cached): {trips}")
        facts = result["facts"]
        parts = [f"{facts['jobs']} jobs, {facts['records']} records"]
        for name in ("sqlite", "postgres", "neo4j"):
            if f"{name}_store_bytes" in facts:
                parts.append(f"{name} store {facts[f'{name}_store_bytes'] / facts['jobs']:.0f} B/job")
        for name in ("postgres", "neo4j"):
            if facts.get(f"{name}_rss_mib"):
                parts.append(f"{name} RSS {facts[f'{name}_rss_mib']:.0f} MiB")
        if facts.get("neo4j_page_cache_hit_ratio") is not None:
            parts.append(f"neo4j page-cache hits {facts['neo4j_page_cache_hit_ratio']:.1%}")
        if facts.get("neo4j_import_records_per_s"):
            route = " bulk" if facts.get("neo4j_import_route") == "bulk" else ""
            parts.append(f"neo4j{route} import {facts['neo4j_import_records_per_s']:,.0f} records/s "
                         f"({facts['neo4j_import_s']:.0f} s)")
        lines.append(f"{'':>8}  " + ", ".join(parts))
    return "\n".join(lines)


COLORS = {"floor": "tab:gray", "sqlite": "tab:blue", "postgres": "tab:orange", "neo4j": "tab:green"}


def plot(results: List[Dict[str, Any]], names: List[str], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    sizes = [result["size"] for result in results]
    for axis, (key, label, scale) in zip(axes.flat, METRICS):
        for name in names:
            points = [(result["size"], result["backends"].get(name, {}).get(key)) for result in results]
            points = [(x, y * scale) for x, y in points if y is not None]
            if points:
                axis.plot([x for x, _ in points], [y for _, y in points], marker="o", label=name,
                          color=COLORS.get(name))
        axis.set_xscale("log")
        axis.set_xticks(sizes)
        axis.set_xticklabels([size_label(size) for size in sizes])
        axis.set_title(label, fontsize=10)
        axis.set_xlabel("history size (jobs)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    handles = [plt.Line2D([], [], color=COLORS.get(name), marker="o", label=name) for name in names]
    axes.flat[0].legend(handles=handles)
    fig.suptitle("graphbackend: per-job cost against history size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def markdown_table(results: List[Dict[str, Any]], names: List[str]) -> str:
    """The table as Markdown (the README's)."""
    ratios = [(a, b) for a, b in (("neo4j", "sqlite"), ("neo4j", "postgres"), ("neo4j", "floor"),
                                  ("sqlite", "floor")) if a in names and b in names]
    lines = ["| history | measure | " + " | ".join(names) + " | " + " | ".join(f"{a}/{b}" for a, b in ratios) + " |",
             "|---" * (2 + len(names) + len(ratios)) + "|"]
    for result in results:
        rows = result["backends"]
        for key, label, scale in METRICS:
            cells = []
            for name in names:
                value = rows.get(name, {}).get(key)
                cells.append(f"{value * scale:.2f}" if value is not None else "-")
            for a, b in ratios:
                x, y = rows.get(a, {}).get(key), rows.get(b, {}).get(key)
                cells.append(f"{x / y:.2f}x" if x and y else "-")
            lines.append(f"| {size_label(result['size'])} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def save(results: List[Dict[str, Any]], args) -> None:
    """Write the JSON and the PNG of the results so far."""
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"args": {k: v for k, v in vars(args).items() if isinstance(v, (int, str, list))},
                       "results": results}, out, indent=2)
    if args.png:
        os.makedirs(os.path.dirname(args.png) or ".", exist_ok=True)
        plot(results, args.backend_names, args.png)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.growth", description=__doc__.splitlines()[0])
    parser.add_argument("--history", default="10k,100k", help="history sizes in jobs (default 10k,100k)")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--fanout", type=int, default=200, help="leaf jobs of the measured fan-out (default 200)")
    parser.add_argument("--depth", type=int, default=50, help="depth of the measured chain (default 50)")
    parser.add_argument("--checks", type=int, default=200, help="check_cache calls per repeat (default 200)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=None, help="import batch size (default: the import's)")
    parser.add_argument("--neo4j-import", choices=("online", "bulk"), default="online",
                        help="load Neo4j with graphbackend import's online batches (default) or --bulk's "
                        "offline loader (3-4x faster at 1M; the benchmark's own server only)")
    parser.add_argument("--work-dir", default="/tmp/graphbackend-bench", help="where generated histories are kept")
    parser.add_argument("--json", default=None, help="write the results here")
    parser.add_argument("--png", default="docs/growth.png", help="write the plot here (default docs/growth.png)")
    parser.add_argument("--clear-neo4j", action="store_true", help="allow emptying the database at NEO4J_URI")
    parser.add_argument("--markdown", help="only print the Markdown table of this --json file")
    args = parser.parse_args(argv)
    if args.markdown:
        with open(args.markdown) as source:
            saved = json.load(source)
        print(markdown_table(saved["results"], saved["args"]["backend_names"]))
        return 0
    args.backend_names = [name.strip() for name in args.backends.split(",") if name.strip()]
    for name in args.backend_names:
        if name not in BACKENDS:
            parser.error(f"unknown backend {name!r} (choose from {', '.join(BACKENDS)})")
    if "neo4j" in args.backend_names and os.environ.get("NEO4J_URI") and not args.clear_neo4j:
        parser.error("NEO4J_URI is set: the benchmark empties that database; pass --clear-neo4j to allow it")
    if args.batch_size is None:
        from graphbackend.sync.transfer import DEFAULT_BATCH_SIZE

        args.batch_size = DEFAULT_BATCH_SIZE
    sizes = [parse_size(text) for text in args.history.split(",")]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    quiet_redun()
    echo = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    neo4j = pg = None
    results: List[Dict[str, Any]] = []
    try:
        if "neo4j" in args.backend_names:
            neo4j = ThrowawayNeo4j(echo=echo)
        if "postgres" in args.backend_names:
            from .postgres import PostgresCluster

            pg = PostgresCluster.start()
        for jobs in sizes:
            size_start = time.perf_counter()
            results.append(run_size(jobs, args, neo4j, pg, echo))
            results[-1]["seconds"] = time.perf_counter() - size_start
            echo(format_table(results[-1:], args.backend_names))
            save(results, args)  # after every size, so a long run keeps what it measured
    finally:
        if pg is not None:
            pg.stop()
        if neo4j is not None:
            neo4j.stop()
    print(f"growth benchmark: fan-out {args.fanout}, chain depth {args.depth}, {args.checks} checks, "
          f"repeat {args.repeat}; {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{time.perf_counter() - started:.0f} s in all "
          f"({', '.join(size_label(r['size']) + ': ' + format(r['seconds'], '.0f') + ' s' for r in results)})")
    print(format_table(results, args.backend_names))
    print("Medians of the repeats; check_cache percentiles over all calls. neo4j/x below 1: Neo4j is faster.")
    save(results, args)
    if args.png:
        print(f"plot: {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
