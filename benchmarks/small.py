"""The fixed cost of one small ``redun run``: a 3-job workflow in a new process.

``python -m benchmarks.small [--repeat 7]`` (or ``python -m benchmarks.run
--workloads small``). Each sample is a new Python process that does what
``redun run`` does for a small workflow: import redun's CLI module (as ``redun
run`` does: it loads ``redun.file`` and its S3 libraries, which graphbackend
would otherwise be the first to load) and graphbackend, build
a backend and a Scheduler, ``load()``, run ``small_main(x)`` (3 jobs: the main
task and two children, with new arguments each time so nothing is cached).
Samples alternate between backends, on a warm server (one untimed run per
backend first). It prints the medians of the whole process (wall), of each
phase (imports, backend + Scheduler + load, run) and Neo4j minus SQLite, with
the round trips of the run (transactions for Neo4j, statements and commits for
SQLite).

The Neo4j database is the one ``Neo4jBackend()`` connects to (``NEO4J_URI``,
else the local server), checked empty as ``benchmarks.run`` does (``--clear-neo4j``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Dict, List

from .backends import Counts, count_sql, neo4j_counter
from .workloads import Sample, Workload

SMALL_JOBS = 3
#: start+import: interpreter start and imports; setup: backend, Scheduler, load(); run: the workflow.
PHASES = ("import", "setup", "run")


def child(backend_name: str, uri: str) -> None:
    """One sample, in this (new) process: print the phase times and round trips as JSON."""
    clock = time.perf_counter
    # Interpreter start and imports (this module's own imports included), from
    # the parent's spawn time.
    t0 = clock() - (time.time() - float(os.environ.get("SMALL_SPAWNED_AT", time.time())))
    import logging

    import redun.cli  # noqa: F401  (what `redun run` loads: redun.file, s3fs, ... for both backends)
    from redun import Scheduler, task

    logging.getLogger("redun").setLevel(logging.WARNING)
    if backend_name == "neo4j":
        from graphbackend import Neo4jBackend
    else:
        from redun.backends.db import RedunBackendDb
        from redun.config import create_config_section
    t1 = clock()

    @task(namespace="graphbackend_bench_small")
    def small_child(x: int) -> int:
        return 2 * x

    @task(namespace="graphbackend_bench_small")
    def small_main(x: int) -> list:
        return [small_child(x), small_child(x + 1)]

    counts = Counts()
    if backend_name == "neo4j":
        backend = Neo4jBackend(uri=uri or None)
        backend.graph.add_tracer(neo4j_counter(counts))
    else:
        backend = RedunBackendDb(db_uri=uri, config=create_config_section())
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    counts.trips = 0  # round trips of the run itself
    if backend_name != "neo4j":
        count_sql(backend, counts)
    t2 = clock()
    x = random.randrange(10**12)
    result = scheduler.run(small_main(x))
    t3 = clock()
    if backend_name == "neo4j":
        backend.close()  # commits nothing more: the job ends already committed
    assert result == [2 * x, 2 * x + 2], result
    print(json.dumps({"import": t1 - t0, "setup": t2 - t1, "run": t3 - t2,
                      "trips": counts.trips, "detail": counts.detail}))


def sample(backend_name: str, uri: str) -> dict:
    """Run one child process; its wall time and phases."""
    start = time.perf_counter()
    env = dict(os.environ, SMALL_SPAWNED_AT=repr(time.time()))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.small", "--child", backend_name, "--uri", uri],
        capture_output=True, text=True, timeout=600, env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"small run on {backend_name} failed: {done.stderr[-2000:]}")
    phases = json.loads(done.stdout.strip().splitlines()[-1])
    phases["wall"] = wall
    return phases


class SmallRun(Workload):
    """``benchmarks.run``'s ``small`` workload: one small ``redun run``-like process
    per sample (any backend; seconds are the process's wall time)."""

    name = "small"
    unit = "job"

    def __init__(self, size: int = SMALL_JOBS):
        super().__init__(SMALL_JOBS)
        self.uris: Dict[str, str] = {}
        self.phases: Dict[str, List[dict]] = {}

    def setup(self, bench) -> None:
        if bench.name == "neo4j":
            backend = bench.fresh()
            self.uris[bench.name] = backend.settings.uri
            bench.close(backend)
        else:
            backend = bench.fresh()  # a new database with redun's schema
            self.uris[bench.name] = backend.engine.url.render_as_string(hide_password=False)
            bench.close(backend)
        sample(bench.name, self.uris[bench.name])  # warm-up, untimed

    def measure(self, bench) -> Sample:
        phases = sample(bench.name, self.uris[bench.name])
        self.phases.setdefault(bench.name, []).append(phases)
        return Sample(phases["wall"], Counts(phases["trips"], phases["detail"]), SMALL_JOBS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.small", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="samples per backend (default 7)")
    parser.add_argument("--backends", default="sqlite,neo4j", help="sqlite,neo4j (default both)")
    parser.add_argument("--clear-neo4j", action="store_true",
                        help="allow emptying a Neo4j database that holds data")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--uri", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.uri)
        return 0

    from .backends import make_backend

    echo = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    names = [name.strip() for name in args.backends.split(",") if name.strip()]
    print(f"small redun run (3 jobs, new process each), repeat {args.repeat}, "
          f"load average at start {os.getloadavg()[0]:.2f}")
    benches = {name: make_backend(name, clear_neo4j=args.clear_neo4j, echo=echo) for name in names}
    workload = SmallRun()
    try:
        for bench in benches.values():
            workload.setup(bench)
        for index in range(args.repeat):
            for name, bench in benches.items():
                taken = workload.measure(bench)
                echo(f"  #{index + 1} {name}: {taken.seconds:.3f} s")
    finally:
        for bench in benches.values():
            bench.shutdown()
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    print(f"{'backend':8} {'wall s':>8} " + " ".join(f"{p + ' s':>9}" for p in PHASES) + "  round trips per run")
    medians: Dict[str, Dict[str, float]] = {}
    for name in names:
        rows = workload.phases[name]
        medians[name] = {key: statistics.median(row[key] for row in rows) for key in ("wall",) + PHASES}
        trips = statistics.median(row["trips"] for row in rows)
        detail = statistics.median(row["detail"] for row in rows)
        label = f"{trips:.0f} transactions" if name == "neo4j" else f"{trips:.0f} statements ({detail:.0f} commits)"
        print(f"{name:8} {medians[name]['wall']:8.3f} " +
              " ".join(f"{medians[name][p]:9.3f}" for p in PHASES) + f"  {label}")
    if "neo4j" in medians and "sqlite" in medians:
        diff = {key: medians["neo4j"][key] - medians["sqlite"][key] for key in medians["neo4j"]}
        print(f"{'neo4j-sq':8} {diff['wall']:+8.3f} " + " ".join(f"{diff[p]:+9.3f}" for p in PHASES)
              + "  (Neo4j's fixed cost per run above SQLite's)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
