"""The cold first run: the demo workflow on a freshly started Neo4j, next to a warm run.

``python -m benchmarks.cold`` (also part of ``make bench``). For each repeat and
each variant it starts a throwaway local server (graphbackend's launcher, a new
data folder, free loopback ports; never the default server), then runs the demo
workflow (``graphbackend.demo.workflow``, 9 jobs) twice, each time in a new Python
process as a new ``redun run`` would be:

- cold: the first workflow after the server start (the schema is created by its
  ``load()`` unless the server start did it);
- warm: the same workflow again on the now warm server, on the emptied database
  (so it executes every job again instead of hitting the cache).

Variants, alternated within each repeat: ``warm-up`` (the launcher's default: the
server start plans the scheduler's queries, :mod:`graphbackend.backend.warmup`) and
``no warm-up`` (the baseline: a server started without it). It prints, per
variant, the median seconds of both runs, their ratio (cold/warm) and the
transactions per job, and the server start and warm-up times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List

PASSWORD = "graphbackend-bench-cold"
VARIANTS = ("no warm-up", "warm-up")


def _child(uri: str, work_dir: str, clear_first: bool) -> None:
    """In a new process: load a backend, run the demo workflow once, print figures as JSON."""
    import logging

    from redun import Scheduler

    from graphbackend import Neo4jBackend
    from graphbackend.demo import workflow

    logging.getLogger("redun").setLevel(logging.ERROR)
    backend = Neo4jBackend(uri=uri, password=PASSWORD)
    if clear_first:
        backend.graph.clear()
    trips_before = backend.graph.transactions
    started = time.perf_counter()
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    loaded = time.perf_counter()
    scheduler.run(workflow.main(work_dir))
    done = time.perf_counter()
    trips = backend.graph.transactions - trips_before
    backend.close()
    print(json.dumps({"seconds": done - started, "load": loaded - started, "run": done - loaded,
                      "transactions": trips}))


def _run_child(uri: str, clear_first: bool) -> dict:
    work_dir = tempfile.mkdtemp(prefix="graphbackend-cold-")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.cold", "--child", uri, work_dir]
            + (["--clear-first"] if clear_first else []),
            capture_output=True, text=True, timeout=1800,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if result.returncode != 0:
        raise RuntimeError(f"the demo workflow failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_once(variant: str, echo) -> Dict[str, float]:
    """One fresh server: its start (with or without warm-up), a cold run, a warm run."""
    from graphbackend.server.local import LocalServer, free_port

    home = tempfile.mkdtemp(prefix="graphbackend-cold-home-")
    server = LocalServer(home=home, bolt_port=free_port(), http_port=free_port(), password=PASSWORD,
                         warm_up=(variant == "warm-up"))
    try:
        started = time.perf_counter()
        server.start()
        start_seconds = time.perf_counter() - started
        cold = _run_child(server.bolt_uri, clear_first=False)
        warm = _run_child(server.bolt_uri, clear_first=True)
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    sample = {"start": start_seconds, "warm_up": server.warm_up_seconds or 0.0,
              "cold": cold["seconds"], "cold_load": cold["load"], "cold_trips": cold["transactions"],
              "warm": warm["seconds"], "warm_load": warm["load"], "warm_trips": warm["transactions"]}
    echo(f"  cold {variant}: server start {sample['start']:.1f} s (warm-up {sample['warm_up']:.1f} s), "
         f"cold run {sample['cold']:.2f} s (load {sample['cold_load']:.2f}), warm run {sample['warm']:.2f} s, "
         f"transactions {sample['cold_trips']} / {sample['warm_trips']}")
    return sample


def run(repeat: int, variants=VARIANTS, echo=print) -> Dict[str, List[Dict[str, float]]]:
    """``repeat`` fresh servers per variant, alternated; the samples per variant."""
    samples: Dict[str, List[Dict[str, float]]] = {variant: [] for variant in variants}
    for _ in range(repeat):
        for variant in variants:
            samples[variant].append(measure_once(variant, echo))
    return samples


def format_table(samples: Dict[str, List[Dict[str, float]]], jobs: int = 9) -> str:
    """Medians per variant: server start, warm-up, cold and warm first runs, their ratio, trips per job."""
    header = ["cold first run", "server start s", "of it warm-up s", "cold s", "warm s", "cold/warm",
              "transactions per job (cold, warm)"]
    rows = [header]
    for variant, runs in samples.items():
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        rows.append([
            f"demo ({jobs} jobs), {variant}", f"{med['start']:.1f}", f"{med['warm_up']:.1f}",
            f"{med['cold']:.2f}", f"{med['warm']:.2f}", f"{med['cold'] / med['warm']:.2f}x",
            f"{med['cold_trips'] / jobs:.1f}, {med['warm_trips'] / jobs:.1f}",
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
             for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cold", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="fresh servers per variant (default 1)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated subset of "
                        + ",".join(VARIANTS))
    parser.add_argument("--child", nargs=2, metavar=("URI", "WORK_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--clear-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], args.clear_first)
        return 0
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    echo = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    samples = run(args.repeat, variants, echo)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(format_table(samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
