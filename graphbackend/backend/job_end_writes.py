"""``JobEndWrites``: the writes a job's end carries, queued until ``record_job_end``.

When a job finishes, redun's scheduler calls, on its own thread and in this
order: ``set_eval_cache`` (in ``done_job``), ``record_value(result)`` and
``record_call_node`` (once the result is resolved), maybe ``record_tags``,
then ``record_job_end``. Written one by one that is four round trips per job.
Instead, on the thread of a running Scheduler that records into this backend,
the first three (and ``record_value`` of a call's context or error) are
queued here and commit in ONE transaction with the job's end:

- ``write_or_queue(work, after)``: queue ``work(tx)`` (on the scheduler's
  thread), else write it now. ``after()`` runs once it committed.
- ``write_tx(work)``: one write transaction running the queued writes first,
  in order, then ``work``. ``record_job_end`` uses it (that is where a job's
  queued writes normally commit), and so does ``record_tags``, whose tags link
  to the Value and CallNode nodes just queued.
- ``read(name, **params)``: one named query that must see the queued writes,
  as ``read_tx`` does; with nothing queued it is a single auto-commit query.
- ``read_tx(work)``: a read that must see the queued writes (the value and
  cache reads: ``get_value``, ``check_cache``, ``get_call_cache``,
  ``get_eval_cache``, ``get_subtree_tasks``, ``explain_cache_miss``). With
  nothing queued it is a plain read transaction; else the queued writes commit
  first in the same transaction, which is then a write transaction. Each of
  those methods says so in its docstring. Every other read of the backend is a
  plain ``Graph.read_tx`` and never writes.
- The queue is bounded: when it holds ``MAX_QUEUED`` writes, or its oldest
  write waited ``MAX_QUEUE_SECONDS``, the next ``queue`` commits it at once.
  redun's scheduler handles every finished job's ``done`` event before any
  ``resolve`` event queued after them (a fan-out of 200 quick jobs: 196 eval
  cache entries queued, none committed), so without a bound a SIGKILL lost them
  all; now at most ``MAX_QUEUED`` writes (or those of the last
  ``MAX_QUEUE_SECONDS``), for one extra transaction per ``MAX_QUEUED`` writes.
- ``defer_cached_job(row)``: a job served from the cache starts and ends at
  once; both are held (not written at its start). When ``MAX_QUEUED`` jobs or
  ``MAX_QUEUE_SECONDS`` have gathered they go to a writer thread
  (``CachedJobWriter``), which writes them, many jobs in one
  ``job_cached_batch`` statement, while the scheduler goes on: the server's
  work on them overlaps the scheduler's. Reads do not wait for them: no cache
  check needs a cache hit's Job (the CSE check of a repeated call then finds
  the same result through the evaluation or call cache that served the
  first). Before jobs go to the writer, the writes queued here commit (a
  cached job's CallNode may be among them). A cached rerun thus costs no
  round trip per job on the scheduler's thread beyond its cache check (and
  that one is often read ahead: ``read_ahead.py``).
- ``flush()`` commits the queue at once and waits for the writer thread to
  write every job handed to it (the root job's end flushes: a finished run is
  whole in the graph); ``Neo4jBackend.close()`` flushes, and a process that
  exits with writes still queued commits them at exit.

Signals: SIGINT raises KeyboardInterrupt (redun's scheduler turns it into
``sys.exit(1)``), so the exit commit runs. Python's default SIGTERM ends the
process without exit hooks; ``exit_on_sigterm()`` (called by
``Neo4jBackend.load()``) replaces that default only, never a handler the
program set, with one raising ``SystemExit(143)``: the transaction in progress
unwinds (queued writes it carried are committed alone, as for any failure)
and the exit commit takes the rest. SIGKILL cannot be caught: what was queued
(the eval-cache entries of jobs done but not yet resolved) is lost, and the
records of fewer than ``2 * (MAX_QUEUED + MAX_BACKLOG)`` cache hits (held,
handed to the writer, being written; their results were recorded before).

If a transaction carrying queued writes fails, the queued writes are
committed alone before the error is raised: a failure of the caller's own
work never loses a job's recorded facts.
"""

from __future__ import annotations

import atexit
import logging
import signal
import threading
import time
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

from redun.scheduler import get_current_scheduler

from ..errors import Neo4jUnavailableError
from .graph import Graph, Tx

T = TypeVar("T")
#: The most writes queued before they commit on their own (a SIGKILL loses at most these).
MAX_QUEUED = 64
#: The longest a queued write waits (checked when the next one is queued).
MAX_QUEUE_SECONDS = 2.0
#: The most cached jobs handed to the writer thread and not yet written before the
#: scheduler waits for it (and the most it writes in one statement).
MAX_BACKLOG = 256
#: A writer thread with nothing to write for this long ends (a new one starts when needed).
WRITER_IDLE_SECONDS = 5.0
#: A queued write and what to run once it committed.
Queued = Tuple[Callable[[Tx], Any], Optional[Callable[[], None]]]


class JobEndWrites:
    """The queue of writes a running job's end commits (see the module docstring).

    Parameters
    ----------
    graph:
        The connection the writes go to.
    owner:
        The backend: writes are queued only on the thread of a running
        Scheduler whose ``backend`` is this object (held weakly).
    """

    def __init__(self, graph: Graph, owner: Any):
        self.graph = graph
        self._owner = weakref.ref(owner)
        self._queue: List[Queued] = []
        self._lock = threading.Lock()
        self._exit_hook = False
        self._oldest = 0.0
        #: Whole records of jobs served from the cache (``defer_cached_job``), not yet
        #: handed to the writer thread.
        self._cached_jobs: List[Dict[str, Any]] = []
        self._cached_oldest = 0.0
        self._writer = CachedJobWriter(graph)

    def __len__(self) -> int:
        """How many writes are queued (that reads must see; deferred cached jobs aside)."""
        return len(self._queue)

    def in_running_scheduler(self) -> bool:
        """True on the thread of a running redun Scheduler that records into the owner."""
        scheduler = get_current_scheduler(required=False)
        owner = self._owner()
        return scheduler is not None and owner is not None and getattr(scheduler, "backend", None) is owner

    def queue(self, work: Callable[[Tx], Any], after: Optional[Callable[[], None]] = None) -> None:
        """Queue ``work(tx)`` for the next ``write_tx``/``read_tx``/``flush``; ``after()`` once committed."""
        with self._lock:
            if not self._queue:
                self._oldest = time.monotonic()
            self._queue.append((work, after))
            self._hook_exit()
            full = len(self._queue) >= MAX_QUEUED or time.monotonic() - self._oldest >= MAX_QUEUE_SECONDS
        if full:
            self.flush()

    def defer_cached_job(self, row: Dict[str, Any]) -> None:
        """Hold the whole record of a job served from the cache (a row of
        ``cypher/job_cached_batch``: its start and end); at ``MAX_QUEUED`` jobs
        or ``MAX_QUEUE_SECONDS`` they go to the writer thread, and ``flush()``
        writes them all. Reads do not wait for them: no cache check needs a
        cache hit's Job node (see the module docstring)."""
        with self._lock:
            if not self._cached_jobs:
                self._cached_oldest = time.monotonic()
            self._cached_jobs.append(row)
            self._hook_exit()
            full = (len(self._cached_jobs) >= MAX_QUEUED
                    or time.monotonic() - self._cached_oldest >= MAX_QUEUE_SECONDS)
        if full:
            self._hand_off()

    def _hand_off(self) -> None:
        """Give the held cached jobs to the writer thread, once the queued writes
        (which may create their CallNodes) committed."""
        if self._queue:
            self._run("write", lambda tx: None)
        with self._lock:
            jobs, self._cached_jobs = self._cached_jobs, []
        if jobs:
            self._writer.submit(jobs)

    def _hook_exit(self) -> None:
        if not self._exit_hook:
            atexit.register(_flush_at_exit, weakref.ref(self))
            self._exit_hook = True

    def write_or_queue(self, work: Callable[[Tx], Any], after: Optional[Callable[[], None]] = None) -> None:
        """Queue ``work`` on a running scheduler's thread (it commits with the job's end),
        else write it now in its own transaction; ``after()`` runs once it committed."""
        if self.in_running_scheduler():
            self.queue(work, after)
            return
        self.write_tx(work)
        if after is not None:
            after()

    def write_tx(self, work: Callable[[Tx], T]) -> T:
        """One write transaction: the queued writes first, in order, then ``work(tx)``."""
        return self._run("write", work)

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        """A read that sees the queued writes: they commit first, in the same transaction.

        With nothing queued this is a plain read transaction.
        """
        return self._run("read", work)

    def read(self, name: str, **params: Any) -> List[Any]:
        """Run the named read query so that it sees the queued writes: with nothing
        queued, one auto-commit query (``Graph.read``, one round trip); else in the
        write transaction that commits the queue first."""
        if not self._queue:
            return self.graph.read(name, **params)
        return self._run("read", lambda tx: tx.run(name, **params))

    def flush(self) -> None:
        """Commit the queued writes now, and write every deferred cached job (waiting
        for the writer thread); nothing when none is."""
        if self._queue or self._cached_jobs:
            self._hand_off()
        self._writer.drain()

    @property
    def pending(self) -> bool:
        """True while queued writes or deferred cached jobs are not written."""
        return bool(self._queue or self._cached_jobs or self._writer.backlog)

    def close(self) -> None:
        """End the writer thread once it is idle (``flush()`` first to write everything)."""
        self._writer.stop()

    def _take(self) -> List[Queued]:
        with self._lock:
            queued, self._queue = self._queue, []
        return queued

    def _run(self, access: str, work: Callable[[Tx], T]) -> T:
        # Reads and writes take the queued writes (they must see them), never the
        # deferred cached jobs (the writer thread takes those).
        queued = self._take() if self._queue else []
        if not queued:
            run = self.graph.write_tx if access == "write" else self.graph.read_tx
            return run(work)

        def commit_queued(tx: Tx) -> None:
            for write, _ in queued:
                write(tx)

        def combined(tx: Tx) -> T:
            commit_queued(tx)
            return work(tx)

        try:
            result = self.graph.write_tx(combined)
        except Neo4jUnavailableError:
            # The server is out of reach and the driver already retried for
            # max_retry_time: a second attempt would double the wait before the
            # error. The queued writes go back to the queue (a later transaction,
            # flush() or the exit commit takes them if the server comes back).
            with self._lock:
                self._queue[:0] = queued
            raise
        except BaseException:
            # The caller's work failed (or the queued writes did): do not lose the
            # queued writes to a failure of the caller's own work.
            self.graph.write_tx(commit_queued)
            _after(queued)
            raise
        _after(queued)
        return result


def _after(queued: List[Queued]) -> None:
    for _, after in queued:
        if after is not None:
            after()


def _flush_at_exit(ref: "weakref.ref[JobEndWrites]") -> None:
    """atexit: commit the queued writes if the process ends with some queued."""
    writes = ref()
    if writes is None or not writes.pending or not writes.graph.connected:
        return
    try:
        writes.flush()
    except Exception as error:  # pragma: no cover - best effort at interpreter exit
        logging.getLogger("graphbackend").error("could not commit the queued job-end writes at exit: %s", error)


class CachedJobWriter:
    """A thread that writes the records of cache hits (``job_cached_batch``) while
    the scheduler goes on (see the module docstring).

    ``submit(rows)`` hands rows over (waiting while ``MAX_BACKLOG`` rows are not
    written yet); the thread writes what has gathered, up to ``MAX_BACKLOG``
    rows a statement, and ends after ``WRITER_IDLE_SECONDS`` with nothing to do.
    ``drain()`` waits until every row handed over is written. When a write
    fails (the server out of reach past the retries), the thread keeps the
    rows and ends; ``drain()`` then writes them on the caller's thread, and
    raises if that fails too (the rows stay for the next ``drain()``).
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self._rows: List[Dict[str, Any]] = []
        self._writing = 0
        self._failed = False
        self._thread: Optional[threading.Thread] = None
        self._stopping = False
        self._cond = threading.Condition()

    @property
    def backlog(self) -> int:
        """Rows handed over and not written yet."""
        return len(self._rows) + self._writing

    def submit(self, rows: List[Dict[str, Any]]) -> None:
        """Hand rows over to the thread (started when none runs)."""
        with self._cond:
            while (len(self._rows) >= MAX_BACKLOG and not self._failed
                   and self._thread is not None and self._thread.is_alive()):
                self._cond.wait()
            self._rows.extend(rows)
            if self._failed:
                return  # drain() writes them (and says why it could not)
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(target=self._loop, name="graphbackend-cached-jobs", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._rows:
                    self._cond.wait_for(lambda: self._rows or self._stopping, timeout=WRITER_IDLE_SECONDS)
                if not self._rows or self._failed:
                    self._thread = None
                    self._cond.notify_all()
                    return
                rows, self._rows = self._rows[:MAX_BACKLOG], self._rows[MAX_BACKLOG:]
                self._writing = len(rows)
                self._cond.notify_all()
            try:
                self.graph.write("job_cached_batch", jobs=rows)
            except BaseException as error:
                logging.getLogger("graphbackend").debug("cached jobs not written yet: %s", error)
                with self._cond:
                    self._rows[:0] = rows
                    self._writing = 0
                    self._failed = True
                    self._thread = None
                    self._cond.notify_all()
                return
            with self._cond:
                self._writing = 0
                self._cond.notify_all()

    def drain(self) -> None:
        """Wait until every row handed over is written (see the class docstring)."""
        with self._cond:
            self._cond.wait_for(lambda: self._failed or not (self._rows or self._writing)
                                or self._thread is None)
            if not self._rows:
                return
            rows, self._rows = self._rows, []
        done = 0
        try:
            while done < len(rows):
                self.graph.write("job_cached_batch", jobs=rows[done:done + MAX_BACKLOG])
                done += MAX_BACKLOG
        except BaseException:
            with self._cond:
                self._rows[:0] = rows[done:]
            raise
        with self._cond:
            self._failed = False
            more = bool(self._rows)
        if more:  # handed over while these were written here
            self.drain()

    def stop(self) -> None:
        """End the thread once it is idle (a later ``submit`` starts a new one)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()


#: The exit status after SIGTERM (128 + 15, as a shell reports it).
SIGTERM_EXIT_STATUS = 128 + signal.SIGTERM


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(SIGTERM_EXIT_STATUS)


def exit_on_sigterm() -> bool:
    """Make SIGTERM a normal exit (``SystemExit(143)``) so the exit commit runs.

    Only when SIGTERM has Python's default disposition and this is the main
    thread: a handler set by the program (or SIG_IGN) is left as it is.
    Returns True when the handler is (now) installed.
    """
    if threading.current_thread() is not threading.main_thread():
        return False
    current = signal.getsignal(signal.SIGTERM)
    if current is _exit_on_sigterm:
        return True
    if current is not signal.SIG_DFL:
        return False
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    return True
