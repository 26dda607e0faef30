"""``python -m benchmarks.run``: time the same redun workloads on SQLite, PostgreSQL and Neo4j.

Prints, per workload and backend, the median seconds of ``--repeat`` runs, the
ratio of Neo4j to each SQL backend (below 1 means Neo4j is faster) and the round
trips per job (or per call): SQL statements (and commits) for redun's backend,
transactions (and queries) for Neo4jBackend.

Measurements are interleaved (repeat 1 on every backend, then repeat 2, ...) so
a change in the machine's load hits every backend alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import time
from typing import Dict, List

from .backends import BACKEND_NAMES, FLOOR, BenchBackend, make_backend
from .small import SmallRun
from .workloads import (
    ChainFirst,
    ChainShallow,
    FanOutCached,
    FanOutFirst,
    Records,
    RecordSource,
    Result,
    SubtreeCheck,
    Workload,
    quiet_redun,
)

#: Sizes per the issue (default) and for development (--quick).
DEFAULT_SIZES = {"fanout": 1000, "depth": 200, "records": 10000, "subtree": 5000}
QUICK_SIZES = {"fanout": 100, "depth": 30, "records": 1000, "subtree": 300}
WORKLOADS = ("fanout", "fanout_cached", "chain", "chain_shallow", "records", "subtree", "small")
#: Neo4j only, on throwaway servers of its own (benchmarks/cold.py); not part of --quick's default.
COLD = "cold"
#: Single backend calls are short: take this many times more samples of them.
CALL_SAMPLES = 5


def parse_args(argv=None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Run the same redun workloads with RedunBackendDb on SQLite, RedunBackendDb "
        "on PostgreSQL and Neo4jBackend, and print medians, ratios and round trips.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (development, smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3, quick 1)")
    parser.add_argument("--backends", default=",".join(BACKEND_NAMES),
                        help="comma-separated subset of sqlite,postgres,neo4j (default: all three), plus "
                        f"{FLOOR!r} for the no-I/O floor (the scheduler's own cost; not with the small workload)")
    parser.add_argument("--workloads", default=None,
                        help=f"comma-separated subset of {','.join(WORKLOADS + (COLD,))} (default: all; "
                        f"{COLD}, the first workflow on a freshly started server, not with --quick)")
    parser.add_argument("--fanout", type=int, help="tasks of the fan-out (default 1000)")
    parser.add_argument("--depth", type=int, help="depth of the nested chain (default 200)")
    parser.add_argument("--records", type=int, help="records of the execution read back (default 10000)")
    parser.add_argument("--subtree", type=int, help="tasks in the checked call's subtree (default 5000)")
    parser.add_argument("--clear-neo4j", action="store_true",
                        help="allow emptying a Neo4j database that holds data (the benchmark empties it)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--history", help="instead: the growth curve at these history sizes, e.g. 10k,100k,1M "
                        "(benchmarks.growth: per-job cost against history size, table and docs/growth.png)")
    args = parser.parse_args(argv)
    sizes = dict(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    for key in sizes:
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    args.sizes = sizes
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    args.backend_names = [name.strip() for name in args.backends.split(",") if name.strip()]
    if args.workloads is None:
        args.workloads = ",".join(WORKLOADS if args.quick else WORKLOADS + (COLD,))
    args.workload_names = [name.strip() for name in args.workloads.split(",") if name.strip()]
    for name in args.backend_names:
        if name not in BACKEND_NAMES + (FLOOR,):
            parser.error(f"unknown backend {name!r}")
    if FLOOR in args.backend_names and "small" in args.workload_names:
        parser.error("the small workload runs redun in new processes: it has no floor (drop 'small' or 'floor')")
    for name in args.workload_names:
        if name not in WORKLOADS + (COLD,):
            parser.error(f"unknown workload {name!r}")
    return args


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def make_workloads(args, benches: Dict[str, BenchBackend]) -> List[Workload]:
    """The chosen workloads with their sizes, in run order (subtree last: its
    thousands of tasks join redun's task registry)."""
    sizes = args.sizes
    source_bench = benches.get("sqlite") or next(iter(benches.values()))
    made = {
        "fanout": lambda: FanOutFirst(sizes["fanout"]),
        "fanout_cached": lambda: FanOutCached(sizes["fanout"]),
        "chain": lambda: ChainFirst(sizes["depth"]),
        "chain_shallow": lambda: ChainShallow(sizes["depth"]),
        "records": lambda: Records(sizes["records"], RecordSource(sizes["records"], source_bench)),
        "subtree": lambda: SubtreeCheck(sizes["subtree"]),
        "small": lambda: SmallRun(),  # benchmarks/small.py: a 3-job run in a new process
    }
    return [made[name]() for name in WORKLOADS if name in args.workload_names]


def run_workload(workload: Workload, benches: Dict[str, BenchBackend], repeat: int, echo) -> List[Result]:
    """Set up, measure (interleaved across backends) and tear down one workload."""
    results = {name: Result(workload.name, name, workload.size, workload.unit) for name in benches}
    try:
        for name, bench in benches.items():
            echo(f"  {workload.name}: setting up {name} ...")
            workload.setup(bench)
        samples = repeat * (CALL_SAMPLES if workload.unit == "call" else 1)
        for index in range(samples):
            for name, bench in benches.items():
                sample = workload.measure(bench)
                results[name].samples.append(sample)
                echo(f"  {workload.name} #{index + 1} {name}: {sample.seconds:.3f} s")
    finally:
        for bench in benches.values():
            workload.teardown(bench)
    out = list(results.values())
    if isinstance(workload, Records):
        # Also report the two halves.
        for part, by_backend in (("records_iter_ids", workload.iter_samples),
                                 ("records_get", workload.get_samples)):
            for name in benches:
                out.append(Result(part, name, workload.size, "call", list(by_backend.get(name, []))))
        counts = set(workload.record_counts.values())
        note = f"{max(counts)} records" if len(counts) == 1 else \
            "record counts differ: " + ", ".join(f"{k}={v}" for k, v in workload.record_counts.items())
        for result in out:
            result.note = note
    return out


def _size_label(result: Result) -> str:
    if result.workload.startswith("records"):
        return f"{result.note}"
    if result.workload == "subtree":
        return f"{result.size} tasks"
    if result.workload.startswith("chain"):
        return f"depth {result.size}"
    return f"N={result.size}"


def format_table(results: List[Result], benches: Dict[str, BenchBackend]) -> str:
    """The table: medians, Neo4j's ratios, round trips per unit."""
    names = list(benches)
    order: List[str] = []
    by_key = {}
    for result in results:
        if result.workload not in order:
            order.append(result.workload)
        by_key[(result.workload, result.backend)] = result
    header = ["workload", "size"] + [f"{name} s" for name in names]
    sql = [name for name in names if name != "neo4j"]
    if "neo4j" in names:
        header += [f"neo4j/{name}" for name in sql]
    header += ["round trips per unit: " + ", ".join(
        f"{name} {benches[name].trips_label} ({benches[name].detail_label})" for name in names)]
    rows = [header]
    for workload in order:
        first = by_key[(workload, names[0])]
        row = [workload, _size_label(first)]
        for name in names:
            row.append(f"{by_key[(workload, name)].median:.3f}")
        if "neo4j" in names:
            neo = by_key[(workload, "neo4j")].median
            for name in sql:
                other = by_key[(workload, name)].median
                row.append(f"{neo / other:.2f}x" if other > 0 else "-")
        trips = []
        for name in names:
            per = by_key[(workload, name)].per_unit()
            trips.append(f"{per[0]:.1f} ({per[1]:.1f})" if per else "-")
        row.append(f"per {first.unit}: " + " | ".join(trips))
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join(cells + [row[-1]]))
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def main(argv=None) -> int:
    """Run the benchmark and print the table."""
    args = parse_args(argv)
    if args.history:
        from . import growth

        forwarded = ["--history", args.history, "--backends", ",".join(
            ["floor"] + [name for name in args.backend_names])]
        if args.repeat:
            forwarded += ["--repeat", str(args.repeat)]
        if args.clear_neo4j:
            forwarded.append("--clear-neo4j")
        if args.json:
            forwarded += ["--json", args.json]
        return growth.main(forwarded)
    # A SIGTERM still stops the PostgreSQL cluster (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    quiet_redun()
    echo = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    print(f"graphbackend benchmark: sizes {args.sizes}, repeat {args.repeat}, "
          f"{os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    print(f"load average at start: {_load()}")
    benches: Dict[str, BenchBackend] = {}
    results: List[Result] = []
    started = time.perf_counter()
    try:
        per_backend = [name for name in args.workload_names if name in WORKLOADS]
        for name in (args.backend_names if per_backend else []):
            echo(f"preparing {name} ...")
            benches[name] = make_backend(name, clear_neo4j=args.clear_neo4j, echo=echo)
        for bench in benches.values():
            print(f"  {bench.describe()}")
        for workload in (make_workloads(args, benches) if benches else []):
            echo(f"workload {workload.name} (size {workload.size}) ...")
            results.extend(run_workload(workload, benches, args.repeat, echo))
    finally:
        for bench in benches.values():
            try:
                bench.shutdown()
            except Exception as error:  # report, keep shutting the others down
                echo(f"could not shut down {bench.name}: {error}")
    cold = None
    if COLD in args.workload_names:
        from . import cold as cold_first_run

        echo("workload cold (demo workflow, fresh servers) ...")
        cold = cold_first_run.run(args.repeat, echo=echo)
    print(f"load average at end: {_load()}; {time.perf_counter() - started:.0f} s in all")
    print()
    if results:
        print(format_table(results, benches))
    if cold:
        print()
        print(cold_first_run.format_table(cold))
    print()
    print("Medians of the runs in seconds; neo4j/x below 1 means Neo4j is faster. Round trips per job "
          "(per call for records and subtree): SQL statements (commits) for RedunBackendDb, "
          "transactions (queries) for Neo4jBackend.")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({
                "sizes": args.sizes, "repeat": args.repeat, "load_end": _load(),
                "results": [
                    {"workload": r.workload, "backend": r.backend, "size": r.size, "unit": r.unit,
                     "median": r.median, "per_unit": r.per_unit(), "note": r.note,
                     "seconds": [s.seconds for s in r.samples]}
                    for r in results
                ],
            }, out, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
