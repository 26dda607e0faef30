"""The main job: run the demo workflow twice into Neo4j and show what was recorded.

The first run executes every task and records its provenance; the second run
of the same workflow is served entirely from the cache. At the end it prints a
Cypher query to paste into Neo4j Browser to see the execution's call graph.
"""

from __future__ import annotations

import uuid
from typing import Callable, List

from redun import Scheduler

from ..backend.neo4j_backend import Neo4jBackend
from ..explore.browser import browser_commands
from . import workflow


def run_demo(backend: Neo4jBackend, work_dir: str, echo: Callable[[str], None] = print) -> List[dict]:
    """Run the demo workflow twice; return a summary of each execution."""
    scheduler = Scheduler(backend=backend)
    scheduler.load()
    summaries = []
    for label in ("first run", "second run"):
        execution_id = str(uuid.uuid4())
        report = scheduler.run(workflow.main(work_dir), execution_id=execution_id)
        record = backend.graph.read_single("execution_job_summary", execution_id=execution_id)
        summary = {
            "execution_id": execution_id,
            "jobs": record["jobs"],
            "cached": record["cached"],
            "ran": sorted(name for name in record["ran"] if name),
            "report": report.path,
        }
        summaries.append(summary)
        echo(
            f"{label}: execution {execution_id}: {summary['jobs']} jobs, "
            f"{summary['cached']} served from the cache, "
            f"{summary['jobs'] - summary['cached']} executed"
        )
    last = summaries[-1]
    if last["cached"] != last["jobs"]:
        raise RuntimeError(
            f"the second run executed {last['ran']}: expected every step to be cached"
        )
    echo(f"report: {last['report']}")
    echo(f"\nIn Neo4j Browser (connected to {backend.uri}), paste these two commands:\n")
    echo(browser_commands(summaries[0]["execution_id"]))
    return summaries
