"""Test helper: an Execution in the graph, as a run starts it.

Since run starts are atomic, ``record_execution`` writes nothing by itself: the
Execution is written with its root job's start (``graphbackend.backend.jobs``).
"""

from __future__ import annotations

from typing import List, Optional

from redun import task
from redun.scheduler import Execution, Job


@task(namespace="graphbackend.tests.executions")
def root_step(x: int = 0) -> int:
    return x


def start_execution(backend, exec_id: str, args: Optional[List[str]] = None, job_id: Optional[str] = None) -> Job:
    """Record an Execution and start its root job (so both are in the graph); return the job."""
    backend.record_execution(exec_id, list(args or ["redun", "run"]))
    job = Job(root_step, root_step(0), id=job_id or f"{exec_id}-root", execution=Execution(exec_id))
    backend.record_job_start(job)
    return job
