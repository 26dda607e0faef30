"""Load: 1, 2, 4, 8 concurrent redun schedulers (processes) recording into one server.

    python -m benchmarks.load [--jobs 40] [--clients 1,2,4,8] [--backends neo4j,postgres]

Starts a throwaway local Neo4j (``graphbackend.server.local.LocalServer``) and a
throwaway PostgreSQL cluster (``benchmarks.postgres``), then for each backend,
each client count and each mode runs that many worker processes at once, each
a redun workflow of ``--jobs`` jobs (a fan-out of ``work(i)`` tasks under one
``main``):

- ``different``: each process its own arguments (no cache hits between them);
- ``same``: every process the same arguments (they race to record the same
  calls, values and cache entries).

Printed per row: aggregate jobs/s (jobs recorded by all processes / the longest
``scheduler.run`` among them, so process start-up is left out),
processes that failed, duplicate keys (Neo4j: CallNode, Value, Job, Execution
keys recorded twice; PostgreSQL: primary keys make them impossible, shown as
0 after the same check), and deadlock/transient retries (Neo4j: the driver's
"will be retried" notices, which graphbackend logs at debug level).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from typing import Dict, List

MODES = ("different", "same")


# Worker ----------------------------------------------------------------------

def worker(backend_name: str, uri: str, password: str, seed: str, jobs: int) -> Dict:
    from redun import Scheduler, task

    retries = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "will be retried" in record.getMessage():
                retries.append(1)

    log = logging.getLogger("graphbackend")
    log.setLevel(logging.DEBUG)
    log.addHandler(Count())

    @task(namespace="load_bench")
    def work(seed: str, i: int) -> str:
        return f"{seed}:{i}"

    @task(namespace="load_bench")
    def main(seed: str, n: int) -> list:
        return [work(seed, i) for i in range(n)]

    if backend_name == "neo4j":
        from graphbackend import Neo4jBackend

        backend = Neo4jBackend(uri=uri, user="neo4j", password=password, database="neo4j")
    else:
        from redun.backends.db import RedunBackendDb
        from redun.config import create_config_section

        backend = RedunBackendDb(config=create_config_section({"db_uri": uri}))
    backend.load()
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    start = time.perf_counter()
    error = None
    try:
        scheduler.run(main(seed, jobs))
    except Exception as exc:  # reported, not raised: the parent counts failures
        error = f"{type(exc).__name__}: {exc}"
    return {"seconds": time.perf_counter() - start, "jobs": jobs + 1, "error": error,
            "retries": len(retries)}


# Parent ----------------------------------------------------------------------

def run_clients(backend_name: str, uri: str, password: str, clients: int, mode: str,
                jobs: int, tag: str) -> Dict:
    procs = []
    start = time.perf_counter()
    for k in range(clients):
        seed = f"{tag}" if mode == "same" else f"{tag}-{k}"
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load", "--worker", backend_name, uri, seed, str(jobs)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, LOAD_PASSWORD=password),
        ))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=1800)
        lines = out.decode().strip().splitlines()
        try:
            results.append(json.loads(lines[-1]))
        except (IndexError, ValueError):
            results.append({"jobs": 0, "seconds": 0.0, "error": err.decode().strip().splitlines()[-1:] or "crashed",
                            "retries": 0})
    wall = time.perf_counter() - start
    done = sum(r["jobs"] for r in results if not r["error"])
    # Process start-up (imports, connecting) is not the backend's load: the rate is
    # over the longest scheduler.run of the clients (they run concurrently).
    longest = max((r["seconds"] for r in results if not r["error"]), default=0.0)
    return {"jobs_per_s": done / longest if longest else 0.0, "errors": sum(1 for r in results if r["error"]),
            "retries": sum(r["retries"] for r in results), "wall": wall,
            "first_error": next((str(r["error"]).splitlines()[0][:160] for r in results if r["error"]), None)}


def neo4j_duplicates(uri: str, password: str) -> int:
    from graphbackend.backend.graph import Graph
    from graphbackend.settings import ConnectionSettings

    graph = Graph(ConnectionSettings(uri=uri, user="neo4j", password=password, database="neo4j"))
    try:
        total = 0
        for label, key in (("CallNode", "call_hash"), ("Value", "value_hash"), ("Job", "id"),
                           ("Execution", "id"), ("Task", "hash")):
            text = (f"MATCH (n:{label}) WITH n.{key} AS k, count(*) AS c WHERE c > 1 "
                    "RETURN count(k) AS dups")
            total += graph.read_tx(lambda tx, text=text: tx.run_text(text))[0]["dups"]
        return total
    finally:
        graph.close()


def main(argv: List[str]) -> int:
    if argv and argv[0] == "--worker":
        backend_name, uri, seed, jobs = argv[1:5]
        print(json.dumps(worker(backend_name, uri, os.environ.get("LOAD_PASSWORD", ""), seed, int(jobs))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=40, help="work jobs per process (default 40)")
    parser.add_argument("--clients", default="1,2,4,8")
    parser.add_argument("--backends", default="neo4j,postgres")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    backends = args.backends.split(",")

    from graphbackend.server.local import LocalServer, free_port

    home = tempfile.mkdtemp(prefix="load-neo4j-")
    servers = []
    rows = []
    try:
        targets = {}
        if "neo4j" in backends:
            server = LocalServer(home=home, bolt_port=free_port(), http_port=free_port(),
                                 password="loadbench", heap="1g", page_cache="256m")
            servers.append(server)
            server.start()
            targets["neo4j"] = lambda: server.bolt_uri
        if "postgres" in backends:
            from benchmarks.postgres import PostgresCluster

            cluster = PostgresCluster.start()
            servers.append(cluster)
            def new_postgres() -> str:
                # Migrated once here: redun's schema migration is not safe to race.
                from redun.backends.db import RedunBackendDb
                from redun.config import create_config_section

                uri = cluster.new_database("load")
                RedunBackendDb(config=create_config_section({"db_uri": uri})).load(migrate=True)
                return uri

            targets["postgres"] = new_postgres
        for name, new_uri in targets.items():
            for mode in MODES:
                for n in clients:
                    uri = new_uri()
                    row = run_clients(name, uri, "loadbench", n, mode, args.jobs, f"{mode}{n}{time.time_ns()}")
                    row["duplicates"] = neo4j_duplicates(uri, "loadbench") if name == "neo4j" else 0
                    rows.append((name, mode, n, row))
                    print(f"{name:8} {mode:9} clients={n}  {row['jobs_per_s']:7.1f} jobs/s  "
                          f"errors={row['errors']}  duplicates={row['duplicates']}  "
                          f"retries={row['retries']}" + (f"  ({row['first_error']})" if row["first_error"] else ""),
                          flush=True)
    finally:
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
