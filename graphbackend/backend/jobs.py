"""Executions (with their heartbeat) and Jobs.

The graph (see the README's model):

- ``(:Execution {id, args, start_time, updated_time})``: ``record_execution``
  only remembers it (a ``PendingExecution``, as redun's own backend holds it
  in memory), with the execution tags recorded before the root job starts
  (validated at once, ``tags``); the root job's start writes the Execution,
  the root Job and those tags in ONE write transaction. So an Execution
  appears with its root job and its tags, or not at all: a client killed (or
  a run refused) before its root job started leaves nothing. ``start_time`` is
  when ``record_execution`` was called, and so is the first ``updated_time``;
  heartbeats from this process less than ``HEARTBEAT_INTERVAL``
  seconds after the last one it wrote are skipped (heartbeats of a pending
  execution write nothing).
- ``(:Execution)-[:ROOT_JOB]->(:Job)``: the execution's top-level job (the job
  without a parent job), linked when that job starts.
- ``(:Job {id, start_time, end_time, task_hash, task_name, call_hash,
  execution_id, cached, status, parent_id})`` with ``(:Job)-[:CHILD]->(:Job)``
  from its parent job, ``-[:TASK]->(:Task)`` and, once it ended,
  ``-[:CALL]->(:CallNode)``. ``parent_id`` keeps the parent link when the
  parent job is recorded after its child (the parent's start links it).

``status`` is ``RUNNING`` from the start, then the ``status`` given to
``record_job_end`` or else ``CACHED``/``DONE`` from ``job.was_cached`` (the
values of redun's ``Job.status``).

A job served from the cache (``job.was_cached`` at its start, on a running
scheduler's thread) is not written at its start: ``record_job_end`` hands the
whole job (start and end) to ``JobEndWrites.defer_cached_job``, whose writer
thread writes many such jobs in one statement (``cypher/job_cached_batch``)
while the scheduler goes on. The end of the run's root job waits until every
one is written (``flush``): a run that returned is whole in the graph.

``record_job_end`` is where a job's queued writes commit: its transaction runs
``JobEndWrites.write_tx``, which first writes what the scheduler recorded for
the job just before (its result Value, evaluation cache entry and CallNode;
see ``job_end_writes``), then the job's end. One round trip for all of it.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from redun.utils import utcnow

from .convert import encode_json, to_epoch_micros, to_neo4j_time
from .graph import Graph, Tx
from .job_end_writes import JobEndWrites
from .read_ahead import ReadAhead
from .values import ValueRows, Values

#: Seconds within which a second heartbeat of the same execution is not written again.
HEARTBEAT_INTERVAL = 1.0


class PendingExecution:
    """An Execution recorded by this process whose root job has not started yet.

    Nothing of it is in the graph: the root job's start writes it with
    ``writes`` (the execution tags, deferred by ``TagsMixin.record_tags``).
    """

    __slots__ = ("id", "args", "start_time", "tags", "writes")

    def __init__(self, exec_id: str, args: str, start_time: Any):
        self.id = exec_id
        #: The command line, as JSON text.
        self.args = args
        #: When ``record_execution`` was called (a Neo4j DateTime).
        self.start_time = start_time
        #: Its current tags so far, ``(tag_hash, id, key, value)`` (for ``get_tags``).
        self.tags: List[Tuple[str, str, str, Any]] = []
        #: Writes run in the root job's start transaction, after the Execution and the Job.
        self.writes: List[Callable[[Tx], Any]] = []


class JobMemory:
    """What this process remembers of its jobs (built by ``Neo4jBackend.__init__``)."""

    def __init__(self) -> None:
        #: Executions recorded here whose root job has not started (nothing written yet).
        self.pending: Dict[str, PendingExecution] = {}
        #: Ids of jobs whose start this process recorded and that have not ended:
        #: their Task is known to be stored, so ending them needs no value rows.
        self.started: Set[str] = set()
        #: When this process last wrote each execution's updated_time (time.monotonic()).
        self.last_heartbeat: Dict[str, float] = {}
        #: Start fields of cache hits not yet written: the whole job is recorded at its
        #: end (``JobEndWrites.defer_cached_job``).
        self.cached_starts: Dict[str, Dict[str, Any]] = {}


class JobsMixin:
    """Executions, their heartbeat, and Jobs (start, end, lookup)."""

    # From the host (Neo4jBackend.__init__):
    _graph: Graph
    _job_end_writes: JobEndWrites
    _values: Values
    _jobs: JobMemory
    _read_ahead: ReadAhead

    # Executions -----------------------------------------------------------------

    def record_execution(self, exec_id: str, args: List[str]) -> None:
        """Record an Execution with the command line ``args`` that started it.

        No round trip: the Execution is written with its root job's start
        (``record_job_start``), in the same transaction, together with the
        execution tags recorded in between; until then it is only in this
        process's memory (a client that dies before leaves nothing). ``args``
        is stored as JSON text; the start time is now (UTC).
        """
        # Answers read ahead serve the run they were read for (read_ahead.py).
        self._read_ahead.clear()
        self._jobs.pending[exec_id] = PendingExecution(
            exec_id, encode_json(list(args)), to_neo4j_time(utcnow())
        )

    def record_updated_time(self, execution_id: str) -> None:
        """Heartbeat: set the Execution's ``updated_time`` to now (UTC).

        Skipped when this process wrote it less than ``HEARTBEAT_INTERVAL``
        seconds ago (a round trip saved; the time is still current to a second).
        """
        if execution_id in self._jobs.pending:
            return  # not written yet: its root job's start writes the time
        last = self._jobs.last_heartbeat.get(execution_id)
        if last is not None and time.monotonic() - last < HEARTBEAT_INTERVAL:
            return
        self._graph.write("execution_updated_time", id=execution_id, now=to_neo4j_time(utcnow()))
        self._jobs.last_heartbeat[execution_id] = time.monotonic()

    # Jobs -----------------------------------------------------------------------

    @staticmethod
    def _job_start_params(job: Any, now) -> Dict[str, Any]:
        task = job.task
        assert task, "a job needs its task to be recorded"
        assert job.execution, "a job needs its execution to be recorded"
        return {
            "id": job.id,
            "now": to_neo4j_time(now),
            "task_hash": task.hash,
            "task_name": task.fullname,
            "execution_id": job.execution.id,
            "parent_id": job.parent_job.id if job.parent_job else None,
        }

    def _pending_execution(self, job: Any) -> Optional[PendingExecution]:
        """The execution a top-level ``job`` starts, when this process has not written it yet."""
        if job.parent_job is not None or job.execution is None:
            return None
        return self._jobs.pending.get(job.execution.id)

    @staticmethod
    def _write_execution(tx: Tx, pending: Optional[PendingExecution]) -> None:
        """Write a pending Execution (before its root Job's start, in the same transaction).

        Its ``start_time`` and first ``updated_time`` are when it was recorded.
        """
        if pending is not None:
            tx.run("execution_record", id=pending.id, args=pending.args, now=pending.start_time)

    @staticmethod
    def _write_execution_tags(tx: Tx, pending: Optional[PendingExecution]) -> None:
        """Run a pending Execution's deferred writes (its tags, after the Execution and root Job)."""
        if pending is not None:
            for write in pending.writes:
                write(tx)

    def _execution_written(self, pending: Optional[PendingExecution]) -> None:
        """After the transaction that wrote a pending Execution committed."""
        if pending is not None:
            if self._jobs.pending.get(pending.id) is pending:
                del self._jobs.pending[pending.id]
            self._jobs.last_heartbeat[pending.id] = time.monotonic()

    def record_job_start(self, job: Any, now=None) -> Dict[str, Any]:
        """Record the start of ``job`` (its Task too), in one write transaction.

        Links the job to its parent job (``CHILD``), its Task (``TASK``) and,
        for the top-level job, its Execution (``ROOT_JOB``): the top-level
        job's transaction also writes the Execution recorded by
        ``record_execution`` and its tags, so the three appear together.
        A cache hit's start on a running scheduler's thread is held and written
        with its end (``record_job_end``; see the module docstring).
        Returns the recorded fields (redun's returns its ORM row; the
        scheduler ignores it).
        """
        params = self._job_start_params(job, now or utcnow())
        rows = self._values.prepare([job.task])
        pending = self._pending_execution(job)
        if pending is None and job.was_cached and not rows.pending and self._job_end_writes.in_running_scheduler():
            # A cache hit ends at once: recorded whole at its end, with other hits.
            self._jobs.cached_starts[job.id] = params
            return params
        if pending is None and not rows.pending:
            # The usual case (the Task is recorded, not a run's first job): one query,
            # one round trip.
            self._graph.write("job_start", **params)
        else:
            def work(tx: Tx) -> None:
                self._write_execution(tx, pending)
                tx.run("job_start", **params)
                self._write_execution_tags(tx, pending)

            self._values.commit(rows, work, run=self._graph.write_tx)
            self._execution_written(pending)
        self._jobs.started.add(job.id)
        return params

    def record_job_end(self, job: Any, now=None, status: Optional[str] = None) -> None:
        """Record the end of ``job``: end time, cached flag, status and its CallNode.

        A job that was never started is recorded whole, with
        ``start_time == end_time``, in the same transaction (as redun does).

        The transaction first commits the writes queued for this job's end
        (``JobEndWrites.write_tx``): the result Value, the evaluation cache
        entry and the CallNode the scheduler recorded just before.
        """
        now = now or utcnow()
        if job.args_hash:
            # A Job of the execution that ran this call: its CSE answer changes.
            self._read_ahead.forget(job.task.hash, job.args_hash)
        cached_start = self._jobs.cached_starts.pop(job.id, None)
        if cached_start is not None:
            row = dict(cached_start, end=to_epoch_micros(now), call_hash=job.call_hash, status=status or "CACHED")
            row["start"] = to_epoch_micros(row.pop("now"))
            self._job_end_writes.defer_cached_job(row)
            self._flush_at_root_end(job)
            return
        end = {
            "id": job.id,
            "now": to_neo4j_time(now),
            "cached": bool(job.was_cached),
            "call_hash": job.call_hash,
            "status": status or ("CACHED" if job.was_cached else "DONE"),
        }
        started_here = job.id in self._jobs.started
        start = None if started_here else self._job_start_params(job, now)
        # A job not started here may be missing: its Task rows come along.
        rows = ValueRows() if started_here else self._values.prepare([job.task])

        # A top-level job ended without a recorded start: its Execution comes along too.
        pending = None if started_here else self._pending_execution(job)

        def work(tx: Tx) -> None:
            self._write_execution(tx, pending)
            if not tx.run("job_end", **end):
                tx.run("job_start", **(start or self._job_start_params(job, now)))
                tx.run("job_end", **end)
            self._write_execution_tags(tx, pending)

        writes = self._job_end_writes
        if pending is None and started_here and len(writes) == 0 and self._graph.write("job_end", **end):
            # Nothing queued for this end and the job is in the graph: one query,
            # one round trip.
            pass
        else:
            self._values.commit(rows, work, run=writes.write_tx)
            self._execution_written(pending)
        self._jobs.started.discard(job.id)
        self._flush_at_root_end(job)

    def _flush_at_root_end(self, job: Any) -> None:
        """When the run's root job ended, nothing of the run stays held in memory: the
        cached jobs still held or being written are written before this returns."""
        if job.parent_job is None:
            self._job_end_writes.flush()

    def get_job(self, job_id: str) -> Optional[dict]:
        """``{"job_id", "parent_id", "execution_id"}`` of a recorded job, or None."""
        record = self._graph.read_one("job_get", id=job_id)
        if record is None:
            return None
        return {
            "job_id": record["job_id"],
            "parent_id": record["parent_id"],
            "execution_id": record["execution_id"],
        }
