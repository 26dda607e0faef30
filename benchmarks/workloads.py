"""The benchmark's workloads: the same redun workflows and backend calls for every backend.

Each workload has a size and yields, per measurement, a ``Sample`` (seconds,
round trips and the units they are counted per). Workflows run through redun's
``Scheduler`` (its default executors), with a new Scheduler and a new backend
instance for every run, as a new ``redun run`` would have.

- ``fanout``: ``fan_out(n)`` calls ``leaf(i)`` for i < n: a first run on a fresh
  database (n + 1 jobs), then ``fanout_cached``: the same workflow again on
  that database, fully cached.
- ``chain``: ``chain(depth)`` calls ``chain(depth - 1)`` ... down to 0 (depth + 1
  nested jobs), first run on a fresh database; ``chain_shallow``: its rerun with
  ``check_valid="shallow"`` (one cache check on the root call).
- ``records``: an execution of ``fan_out`` with about ``size`` records
  (recorded once on SQLite, copied into the others with ``put_records``), read
  back with ``iter_record_ids([execution_id])`` then ``get_records(ids)``.
- ``subtree``: one ``check_cache(check_valid="shallow")`` on a CallNode whose
  subtree has ``size`` distinct tasks (recorded with ``record_call_node``).
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from redun import Scheduler, task
from redun.hashing import hash_arguments, hash_eval
from redun.task import CacheCheckValid, CacheResult, CacheScope
from redun.value import get_type_registry

from .backends import BenchBackend, Counts

redun_namespace = "graphbackend_bench"

# How many task bodies really ran (to check that a cached rerun is cached everywhere).
_calls = {"leaf": 0, "chain": 0}
_calls_lock = threading.Lock()


def _ran(name: str) -> None:
    with _calls_lock:
        _calls[name] += 1


@task()
def leaf(i: int) -> str:
    """One independent task of the fan-out."""
    _ran("leaf")
    return f"result-{i}"


@task()
def fan_out(n: int) -> List[str]:
    """n independent leaf calls."""
    return [leaf(i) for i in range(n)]


@task()
def chain(depth: int) -> int:
    """A chain of nested calls: each call's result is the next call."""
    _ran("chain")
    if depth <= 0:
        return 0
    return chain(depth - 1)


@task()
def subtree_root(n: int) -> int:
    """The root of the large-subtree cache check (only recorded, never run)."""
    return n


class BenchmarkError(RuntimeError):
    """A workload did not do what it measures (e.g. a cached rerun ran tasks)."""


@dataclass
class Sample:
    """One measurement: ``seconds``, the round trips it made and the units it did."""

    seconds: float
    counts: Counts
    units: int


@dataclass
class Result:
    """All samples of one workload on one backend."""

    workload: str
    backend: str
    size: int
    unit: str
    samples: List[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        """Median seconds."""
        return statistics.median(sample.seconds for sample in self.samples)

    def per_unit(self) -> Optional[tuple]:
        """(trips, detail) per unit, of the median sample."""
        if not self.samples:
            return None
        ordered = sorted(self.samples, key=lambda sample: sample.seconds)
        sample = ordered[len(ordered) // 2]
        units = max(sample.units, 1)
        return sample.counts.trips / units, sample.counts.detail / units


def quiet_redun() -> None:
    """redun logs every job; the benchmark prints only its table."""
    logging.getLogger("redun").setLevel(logging.WARNING)


def _run_workflow(bench: BenchBackend, backend: Any, expr: Any) -> tuple:
    scheduler = Scheduler(backend=backend)
    before = Counts(bench.counts.trips, bench.counts.detail)
    start = time.perf_counter()
    result = scheduler.run(expr)
    seconds = time.perf_counter() - start
    return result, seconds, bench.counts - before


class Workload:
    """A workload: ``setup`` per backend (untimed), then ``measure`` repeatedly."""

    name = ""
    unit = "job"

    def __init__(self, size: int):
        self.size = size

    def setup(self, bench: BenchBackend) -> None:
        """Prepare what the measurements need on this backend (untimed)."""

    def measure(self, bench: BenchBackend) -> Sample:
        """Take one timed measurement."""
        raise NotImplementedError

    def teardown(self, bench: BenchBackend) -> None:
        """Release what setup kept."""


class FanOutFirst(Workload):
    """``fan_out(n)`` on a fresh database."""

    name = "fanout"

    def measure(self, bench):
        backend = bench.fresh()
        try:
            result, seconds, counts = _run_workflow(bench, backend, fan_out(self.size))
        finally:
            bench.close(backend)
        if len(result) != self.size:
            raise BenchmarkError(f"fan_out({self.size}) gave {len(result)} results")
        return Sample(seconds, counts, self.size + 1)


class FanOutCached(Workload):
    """``fan_out(n)`` again, on a database where it ran: every job is a cache hit."""

    name = "fanout_cached"

    def setup(self, bench):
        backend = bench.fresh()
        try:
            _run_workflow(bench, backend, fan_out(self.size))
        finally:
            bench.close(backend)

    def measure(self, bench):
        backend = bench.reopen()
        ran = _calls["leaf"]
        try:
            result, seconds, counts = _run_workflow(bench, backend, fan_out(self.size))
        finally:
            bench.close(backend)
        if _calls["leaf"] != ran or len(result) != self.size:
            raise BenchmarkError(f"the cached rerun on {bench.name} ran {_calls['leaf'] - ran} leaf tasks")
        return Sample(seconds, counts, self.size + 1)


class ChainFirst(Workload):
    """``chain(depth)`` on a fresh database: depth + 1 nested jobs."""

    name = "chain"

    def measure(self, bench):
        backend = bench.fresh()
        try:
            result, seconds, counts = _run_workflow(bench, backend, chain(self.size))
        finally:
            bench.close(backend)
        if result != 0:
            raise BenchmarkError(f"chain({self.size}) gave {result!r}")
        return Sample(seconds, counts, self.size + 1)


class ChainShallow(Workload):
    """``chain(depth)`` again with ``check_valid="shallow"``: one call-cache check at the root."""

    name = "chain_shallow"

    def setup(self, bench):
        backend = bench.fresh()
        try:
            _run_workflow(bench, backend, chain(self.size))
        finally:
            bench.close(backend)

    def measure(self, bench):
        backend = bench.reopen()
        ran = _calls["chain"]
        try:
            result, seconds, counts = _run_workflow(
                bench, backend, chain.options(check_valid="shallow")(self.size)
            )
        finally:
            bench.close(backend)
        if _calls["chain"] != ran or result != 0:
            raise BenchmarkError(f"the shallow rerun on {bench.name} ran {_calls['chain'] - ran} chain tasks")
        return Sample(seconds, counts, 1)


class Records(Workload):
    """``iter_record_ids`` then ``get_records`` over one execution of ``size``+ records."""

    name = "records"
    unit = "call"
    #: Records per leaf job: Job, CallNode, argument Value, result Value.
    RECORDS_PER_LEAF = 4

    def __init__(self, size: int, source: "RecordSource"):
        super().__init__(size)
        self.source = source
        self.backends: Dict[str, Any] = {}
        self.iter_samples: Dict[str, List[Sample]] = {}
        self.get_samples: Dict[str, List[Sample]] = {}
        self.record_counts: Dict[str, int] = {}

    def setup(self, bench):
        _, records = self.source.get()
        backend = bench.fresh()
        backend.put_records(records)
        self.backends[bench.name] = backend

    def measure(self, bench):
        execution_id, _ = self.source.get()
        backend = self.backends[bench.name]
        before = Counts(bench.counts.trips, bench.counts.detail)
        start = time.perf_counter()
        ids = list(backend.iter_record_ids([execution_id]))
        middle = time.perf_counter()
        middle_counts = Counts(bench.counts.trips, bench.counts.detail)
        records = list(backend.get_records(ids))
        end = time.perf_counter()
        after = Counts(bench.counts.trips, bench.counts.detail)
        if len(records) != len(ids):
            raise BenchmarkError(f"{bench.name}: get_records gave {len(records)} records for {len(ids)} ids")
        self.record_counts[bench.name] = len(ids)
        self.iter_samples.setdefault(bench.name, []).append(Sample(middle - start, middle_counts - before, 1))
        self.get_samples.setdefault(bench.name, []).append(Sample(end - middle, after - middle_counts, 1))
        return Sample(end - start, after - before, 2)

    def teardown(self, bench):
        backend = self.backends.pop(bench.name, None)
        if backend is not None:
            bench.close(backend)


class RecordSource:
    """The execution the records workload reads: run once on SQLite, exported as records."""

    def __init__(self, size: int, bench: BenchBackend):
        self.size = size
        self.bench = bench
        self._result: Optional[tuple] = None

    def get(self) -> tuple:
        """``(execution_id, records)``, made on first use."""
        if self._result is None:
            leaves = max(1, -(-self.size // Records.RECORDS_PER_LEAF))
            backend = self.bench.fresh()
            try:
                execution_id = str(uuid.uuid4())
                Scheduler(backend=backend).run(fan_out(leaves), execution_id=execution_id)
                ids = list(backend.iter_record_ids([execution_id]))
                records = list(backend.get_records(ids))
            finally:
                self.bench.close(backend)
            self._result = (execution_id, records)
        return self._result


class SubtreeCheck(Workload):
    """One shallow ``check_cache`` on a CallNode with ``size`` distinct subtree tasks."""

    name = "subtree"
    unit = "call"
    _tasks: List[Any] = []

    def __init__(self, size: int):
        super().__init__(size)
        self.tasks = self._make_tasks(size)
        registry = get_type_registry()
        self.args = (size,)
        self.task_hash = subtree_root.hash
        self.args_hash = hash_arguments(registry, self.args, {})
        self.eval_hash = hash_eval(registry, self.task_hash, self.args, {})[0]
        self.task_hashes = {t.hash for t in self.tasks} | {subtree_root.hash}
        self.backends: Dict[str, Any] = {}
        self.call_hash = ""

    @classmethod
    def _make_tasks(cls, n: int) -> List[Any]:
        # Distinct tasks (by name) with the same body; made once per process
        # (they join redun's task registry).
        while len(cls._tasks) < n:
            def body(x: int) -> int:
                return x

            index = len(cls._tasks)
            cls._tasks.append(task(name=f"sub_{index}", namespace=f"{redun_namespace}.subtree")(body))
        return cls._tasks[:n]

    def setup(self, bench):
        backend = bench.fresh()
        result_hash = backend.record_value(self.size)
        backend.record_value(subtree_root)
        # The child call is not recorded, so redun's backend records every subtree
        # Task value itself (as it does for calls whose children were not recorded).
        missing_child = hash_arguments(get_type_registry(), ("not recorded",), {})
        self.call_hash = backend.record_call_node(
            task_name=subtree_root.fullname,
            task_hash=self.task_hash,
            args_hash=self.args_hash,
            expr_args=(self.args, {}),
            eval_args=(self.args, {}),
            result_hash=result_hash,
            child_call_hashes=[missing_child],
            subtree_tasks=self.tasks + [subtree_root],
        )
        bench.close(backend)
        self.backends[bench.name] = bench.reopen()

    def measure(self, bench):
        backend = self.backends[bench.name]
        before = Counts(bench.counts.trips, bench.counts.detail)
        start = time.perf_counter()
        result, call_hash, cache_type = backend.check_cache(
            self.task_hash, self.args_hash, self.eval_hash, "bench-execution",
            self.task_hashes, CacheScope.BACKEND, CacheCheckValid.SHALLOW,
        )
        seconds = time.perf_counter() - start
        if cache_type != CacheResult.ULTIMATE or call_hash != self.call_hash or result != self.size:
            raise BenchmarkError(f"{bench.name}: the shallow check gave {cache_type}, not the recorded call")
        return Sample(seconds, bench.counts - before, 1)

    def teardown(self, bench):
        backend = self.backends.pop(bench.name, None)
        if backend is not None:
            bench.close(backend)
