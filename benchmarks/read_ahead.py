"""Cached reruns with and without the cache read-ahead, against the scheduler's floor.

``python -m benchmarks.read_ahead [--fanout 1000] [--repeat 6]``. A fan-out of
``--fanout`` leaf tasks is recorded once, then rerun (every job a cache hit),
alternately: on the floor (``benchmarks/floor.py``: no I/O), on
``Neo4jBackend()`` with the default ``cache_read_ahead`` and on
``Neo4jBackend(cache_read_ahead=0)`` (every check its own query). It prints the
median seconds of each (the first round is left out), their ratio to the floor,
and Neo4j's queries per job, by name (a tracer on ``backend.graph``). The Neo4j
database is the one ``Neo4jBackend()`` connects to (``NEO4J_URI``, else the
local server): point it at a throwaway server; it adds the fan-out's records.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import time
import uuid
from typing import Dict, List, Optional

from redun import Scheduler, task

from graphbackend import Neo4jBackend

from .floor import FloorBackend, Store
from .workloads import quiet_redun

redun_namespace = "graphbackend_bench_read_ahead"


@task(namespace=redun_namespace)
def ra_bench_leaf(salt: str, i: int) -> str:
    return f"{salt}-{i}"


@task(namespace=redun_namespace)
def ra_bench_fan(salt: str, n: int) -> List[str]:
    return [ra_bench_leaf(salt, i) for i in range(n)]


VARIANTS = ("floor", "read-ahead", "no read-ahead")


def run_once(variant: str, store: Store, salt: str, fanout: int, queries: collections.Counter) -> float:
    """Seconds of one cached rerun of the fan-out on ``variant``; Neo4j's queries added to ``queries``."""
    if variant == "floor":
        backend = FloorBackend(store)
    else:
        backend = Neo4jBackend(cache_read_ahead=0 if variant == "no read-ahead" else None)
        backend.load()
        backend.graph.add_tracer(lambda name, params, elapsed: queries.update([name]))
    try:
        start = time.perf_counter()
        result = Scheduler(backend=backend).run(ra_bench_fan(salt, fanout))
        seconds = time.perf_counter() - start
    finally:
        if variant != "floor":
            backend.close()
    assert len(result) == fanout
    return seconds


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read_ahead", description=__doc__.splitlines()[0])
    parser.add_argument("--fanout", type=int, default=1000, help="leaf tasks of the fan-out (default 1000)")
    parser.add_argument("--repeat", type=int, default=6, help="rounds of the three variants (default 6)")
    args = parser.parse_args(argv)
    quiet_redun()
    salt, store = uuid.uuid4().hex[:8], Store()
    first = Neo4jBackend()
    first.load()
    try:
        Scheduler(backend=first).run(ra_bench_fan(salt, args.fanout))
    finally:
        first.close()
    Scheduler(backend=FloorBackend(store)).run(ra_bench_fan(salt, args.fanout))
    times: Dict[str, List[float]] = {variant: [] for variant in VARIANTS}
    queries = {variant: collections.Counter() for variant in VARIANTS}
    print(f"cached rerun of a {args.fanout}-task fan-out, {args.repeat} rounds, alternated; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for _ in range(args.repeat):
        for variant in VARIANTS:
            times[variant].append(run_once(variant, store, salt, args.fanout, queries[variant]))
    floor = statistics.median(times["floor"][1:] or times["floor"])
    jobs = (args.fanout + 1) * args.repeat
    for variant in VARIANTS:
        median = statistics.median(times[variant][1:] or times[variant])
        named = ", ".join(f"{name} {count / jobs:.3f}" for name, count in sorted(queries[variant].items())
                          if not name.startswith("<"))
        print(f"  {variant:14s} {median:7.3f} s  {median / floor:5.2f}x floor" + (f"  queries per job: {named}" if named else ""))
    print(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
