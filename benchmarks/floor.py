"""The scheduler's floor: a redun backend that keeps everything in Python dicts.

``FloorBackend`` answers the scheduler as a database backend would (values,
the evaluation cache, call nodes, jobs, tags, CSE within an execution, the
shallow call cache with its subtree-task check), but does no I/O and keeps
values as the objects themselves (no serialization, no copies). A cached
rerun on it costs what redun's scheduler costs by itself, so the growth
benchmark reports every backend's cached rerun as a multiple of it.

``FloorBench`` is its ``benchmarks.backends.BenchBackend``: ``fresh()`` is a
new empty store, ``reopen()`` a new backend instance on the same store (as a
new ``redun run`` on the same database would be); round trips are always 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from redun.backends.base import RedunBackend, TagEntity
from redun.hashing import hash_call_node, hash_tag
from redun.task import CacheCheckValid, CacheResult, CacheScope

from .backends import BenchBackend


@dataclass
class Store:
    """Everything a FloorBackend remembers."""

    values: Dict[str, Any] = field(default_factory=dict)
    evals: Dict[str, str] = field(default_factory=dict)  # eval_hash -> value_hash
    calls: Dict[str, Tuple[str, str, str, List[str]]] = field(default_factory=dict)
    calls_by_args: Dict[Tuple[str, str], List[str]] = field(default_factory=dict)
    subtree_tasks: Dict[str, Set[str]] = field(default_factory=dict)
    jobs: Dict[str, dict] = field(default_factory=dict)
    # (execution_id, task_hash, args_hash) -> call_hash, for CSE.
    cse: Dict[Tuple[str, str, str], str] = field(default_factory=dict)
    executions: Dict[str, List[str]] = field(default_factory=dict)
    tags: Dict[str, List[Tuple[str, Any]]] = field(default_factory=dict)


class FloorBackend(RedunBackend):
    """A redun backend in memory, doing as little as a backend can."""

    def __init__(self, store: Optional[Store] = None, type_registry=None):
        super().__init__(type_registry=type_registry)
        self.store = store if store is not None else Store()

    def load(self, migrate: Optional[bool] = None) -> None:
        pass

    # Values -------------------------------------------------------------------

    def record_value(self, value: Any, data: Optional[bytes] = None) -> str:
        value_hash = self.type_registry.get_hash(value, data=data)
        self.store.values.setdefault(value_hash, value)
        return value_hash

    def get_value(self, value_hash: str) -> Tuple[Any, bool]:
        if value_hash in self.store.values:
            return self.store.values[value_hash], True
        return None, False

    # Calls and the cache ----------------------------------------------------------

    def record_call_node(self, task_name, task_hash, args_hash, expr_args, eval_args, result_hash,
                         child_call_hashes, subtree_tasks=None) -> str:
        call_hash = hash_call_node(task_hash, args_hash, result_hash, child_call_hashes)
        store = self.store
        if call_hash not in store.calls:
            store.calls[call_hash] = (task_hash, args_hash, result_hash, list(child_call_hashes))
            store.calls_by_args.setdefault((task_hash, args_hash), []).append(call_hash)
            if subtree_tasks:
                tasks = {task.hash for task in subtree_tasks}
            else:
                tasks = {task_hash}
                for child in child_call_hashes:
                    tasks |= store.subtree_tasks.get(child, set())
            store.subtree_tasks[call_hash] = tasks
        return call_hash

    def get_subtree_tasks(self, call_hash: str) -> Set[str]:
        return set(self.store.subtree_tasks.get(call_hash, ()))

    def record_call_node_context(self, call_hash: str, context_hash: Optional[str], context: dict) -> str:
        return context_hash or ""

    def _call_result(self, call_hash: str) -> Tuple[Any, bool]:
        return self.get_value(self.store.calls[call_hash][2])

    def check_cache(self, task_hash, args_hash, eval_hash, execution_id, scheduler_task_hashes, cache_scope,
                    check_valid, context_hash=None, allowed_cache_results=None):
        allowed = allowed_cache_results if allowed_cache_results is not None else set(CacheResult)
        store = self.store
        if cache_scope == CacheScope.NONE:
            return None, None, CacheResult.MISS
        if CacheResult.CSE in allowed:
            call_hash = store.cse.get((execution_id, task_hash, args_hash))
            if call_hash:
                result, cached = self._call_result(call_hash)
                if cached:
                    return result, call_hash, CacheResult.CSE
        if cache_scope == CacheScope.BACKEND and check_valid == CacheCheckValid.SHALLOW \
                and CacheResult.ULTIMATE in allowed:
            for call_hash in reversed(store.calls_by_args.get((task_hash, args_hash), [])):
                if store.subtree_tasks[call_hash] <= scheduler_task_hashes:
                    result, cached = self._call_result(call_hash)
                    if cached:
                        return result, call_hash, CacheResult.ULTIMATE
        if cache_scope == CacheScope.BACKEND and CacheResult.SINGLE in allowed:
            value_hash = store.evals.get(eval_hash)
            if value_hash is not None:
                result, cached = self.get_value(value_hash)
                if cached:
                    return result, None, CacheResult.SINGLE
        return None, None, CacheResult.MISS

    def set_eval_cache(self, eval_hash, task_hash, args_hash, value, value_hash=None) -> None:
        if value_hash is None:
            value_hash = self.record_value(value)
        self.store.evals[eval_hash] = value_hash

    def explain_cache_miss(self, task, args_hash):
        return None

    # Handles (not used by the benchmark's workflows) ---------------------------------

    def advance_handle(self, handles, child_handle) -> None:
        pass

    def rollback_handle(self, handle) -> None:
        pass

    def is_valid_handle(self, handle) -> bool:
        return True

    # Executions, jobs, tags ---------------------------------------------------------

    def record_execution(self, exec_id, args: List[str]) -> None:
        self.store.executions[exec_id] = list(args)

    def record_updated_time(self, execution_id: str) -> None:
        pass

    def record_job_start(self, job, now: Optional[dt.datetime] = None) -> Any:
        self.store.jobs[job.id] = {"task_hash": job.task.hash, "execution_id": job.execution.id,
                                   "parent": job.parent_job.id if job.parent_job else None}

    def record_job_end(self, job, now: Optional[dt.datetime] = None, status: Optional[str] = None) -> None:
        record = self.store.jobs.get(job.id)
        if record is not None and job.call_hash:
            record["call_hash"] = job.call_hash
            call = self.store.calls.get(job.call_hash)
            if call:
                self.store.cse[(record["execution_id"], call[0], call[1])] = job.call_hash

    def get_job(self, job_id: str) -> Optional[dict]:
        return self.store.jobs.get(job_id)

    def record_tags(self, entity_type: TagEntity, entity_id: str, tags: Iterable[Tuple[str, Any]],
                    parents: Iterable = (), update: bool = False, new: bool = False):
        tags = list(tags)
        self.store.tags.setdefault(entity_id, []).extend(tags)
        return [(hash_tag(entity_type, entity_id, key, value), entity_id, key, value) for key, value in tags]

    def delete_tags(self, entity_id, tags, keys=()):
        return []

    def update_tags(self, entity_type, entity_id, old_keys, new_tags):
        return []

    def get_tags(self, entity_ids):
        return {entity_id: {} for entity_id in entity_ids}

    # Records (not kept) ----------------------------------------------------------------

    def get_records(self, ids, sorted=True):
        return []

    def put_records(self, records) -> int:
        return 0

    def iter_record_ids(self, root_ids):
        return iter(())

    def has_records(self, record_ids):
        return []


class FloorBench(BenchBackend):
    """The floor as a benchmark backend: in-memory stores, no round trips."""

    name = "floor"
    trips_label = "round trips"
    detail_label = "none"

    def __init__(self) -> None:
        super().__init__()
        self._store: Optional[Store] = None

    def fresh(self) -> FloorBackend:
        self._store = Store()
        return FloorBackend(self._store)

    def reopen(self) -> FloorBackend:
        assert self._store is not None, "no current store"
        return FloorBackend(self._store)

    def describe(self) -> str:
        return "floor: an in-memory backend without I/O (benchmarks/floor.py), the scheduler's own cost"
