"""Every cache check: CSE, the call cache (ultimate reduction), the evaluation cache.

``check_cache`` reads all its candidates in ONE query (``cache_check``):

- CSE: the newest finished Job of this execution that ran the same task on
  the same arguments (its CallNode's result),
- ULTIMATE: the newest CallNode of the task and arguments whose every
  ``SUBTREE_TASK`` is among the scheduler's current task hashes (redun's
  shallow currency check, ``check_valid="shallow"``),
- SINGLE: the ``Evaluation`` with the eval hash,

(never a CallNode or Evaluation marked ``:Invalidated`` by ``graphbackend
invalidate`` or ``:Collecting`` by ``graphbackend gc``), then applies redun
0.44.1's ``RedunBackendDb.check_cache`` rules to them in
Python. As in redun, results are returned as stored (an ``ErrorValue``
included): the scheduler uses an error only from CSE and never from the
backend cache.

On an evaluation-cache hit whose call recorded child calls, the answers for
every call under it are read in one more query and kept (``ReadAhead``,
``read_ahead.py``): a cached rerun costs a query or two, not one per job.

The call caches of this process (``CallCache``: CallNodes known to be
recorded, subtree tasks per call) are shared with ``calls``; the values are
read through the host's ``Values``.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, Iterable, Optional, Set, Tuple

from redun.tags import CONTEXT_KEY
from redun.task import CacheCheckValid, CacheResult, CacheScope

from .convert import encode_json
from .graph import single
from .job_end_writes import JobEndWrites
from .read_ahead import ReadAhead
from .values import ValueRows, Values


class CallCache:
    """What this process knows of recorded CallNodes (built by ``Neo4jBackend.__init__``)."""

    def __init__(self) -> None:
        #: Hashes of CallNodes known to be recorded: recording one again is a no-op.
        self.known_calls: Set[str] = set()
        #: Subtree task hashes per call hash (never empty sets).
        self.subtree_tasks: Dict[str, FrozenSet[str]] = {}

    def remember_subtree_tasks(self, call_hash: str, task_hashes: Iterable[str]) -> None:
        """Keep a call's subtree task hashes (not an empty set: the CallNode may not exist yet)."""
        if task_hashes:
            self.subtree_tasks.setdefault(call_hash, frozenset(task_hashes))


class CacheMixin:
    """redun's cache checks and the evaluation cache, as Cypher queries."""

    # From the host (Neo4jBackend.__init__):
    _values: Values
    _call_cache: CallCache
    _job_end_writes: JobEndWrites
    _read_ahead: ReadAhead

    # Reading cached values ----------------------------------------------------

    def _read_cache(self, name: str, **params: Any) -> Optional[Dict[str, Any]]:
        """Run a cache query, seeing the writes queued to commit with a job's end."""
        records = self._job_end_writes.read(name, **params)
        return records[0].data() if records else None

    def _cached_value(self, candidate: Optional[Dict[str, Any]]) -> Tuple[Any, bool]:
        """``(value, True)`` for a candidate's stored result, else ``(None, False)``.

        ``candidate`` holds the result Value's ``found``, ``value_hash``,
        ``type``, ``value`` and ``in_value_store`` (as the cache queries return
        them). Like redun: a missing Value, a blob missing from the value store,
        or a value the TypeRegistry calls invalid is a miss.
        """
        if not candidate or not candidate.get("found"):
            return None, False
        # The Value is stored: recording it again needs no write (remember=True).
        return self._values.load(
            candidate["value_hash"], candidate["type"], candidate.get("value"),
            candidate.get("in_value_store"), remember=True,
        )

    # Cache checks ---------------------------------------------------------------

    def check_cache(
        self,
        task_hash: str,
        args_hash: str,
        eval_hash: str,
        execution_id: str,
        scheduler_task_hashes: Set[str],
        cache_scope: CacheScope,
        check_valid: CacheCheckValid,
        context_hash: Optional[str] = None,
        allowed_cache_results: Optional[Set[CacheResult]] = None,
    ) -> Tuple[Any, Optional[str], CacheResult]:
        """Find a cached result for a call: ``(result, call_hash, cache_type)``.

        In redun's order: CSE (an equivalent job of the same execution), then,
        with ``cache_scope=BACKEND``, the call cache when ``check_valid`` is
        shallow (a CallNode whose subtree tasks are all current), then the
        evaluation cache. ``context_hash`` restricts CSE and call-cache hits to
        CallNodes recorded with that context; ``allowed_cache_results``
        restricts the kinds of hit. Returns ``(None, None, MISS)`` on a miss.
        Sees the writes queued to commit with a job's end (``JobEndWrites.read``).

        On an evaluation-cache hit whose call has recorded child calls, the
        answers for every call under it are read at once (``ReadAhead``): the
        checks of those calls that follow need no query.
        """
        if allowed_cache_results is None:
            allowed_cache_results = set(CacheResult)
        cache_scope = CacheScope(cache_scope)
        check_valid = CacheCheckValid(check_valid)
        if cache_scope == CacheScope.NONE:
            return None, None, CacheResult.MISS

        use_cse = CacheResult.CSE in allowed_cache_results
        use_ultimate = (
            cache_scope == CacheScope.BACKEND
            and check_valid == CacheCheckValid.SHALLOW
            and CacheResult.ULTIMATE in allowed_cache_results
        )
        use_single = cache_scope == CacheScope.BACKEND and CacheResult.SINGLE in allowed_cache_results
        if not (use_cse or use_ultimate or use_single):
            return None, None, CacheResult.MISS

        # Answered from memory when read ahead under a parent's hit (read_ahead.py):
        # only checks with no shallow check and no context, as it was read.
        reads_ahead = not use_ultimate and not context_hash and self._read_ahead.limit > 0
        record: Any = self._read_ahead.take(task_hash, args_hash, eval_hash, execution_id) if reads_ahead else None
        queried = record is None
        if queried:
            # Sees the writes queued to commit with a job's end (JobEndWrites.read).
            record = single(self._job_end_writes.read(
                "cache_check",
                task_hash=task_hash,
                args_hash=args_hash,
                eval_hash=eval_hash,
                execution_id=execution_id,
                # Only the shallow check reads them (a registry may hold thousands).
                task_hashes=sorted(scheduler_task_hashes) if use_ultimate else [],
                context_key=CONTEXT_KEY,
                context=encode_json(context_hash) if context_hash else None,
                cse=use_cse,
                ultimate=use_ultimate,
                single=use_single,
            ), "cache_check")
        result, call_hash, cache_type = self._cache_answer(record, task_hash, use_cse, use_single)
        if cache_type == CacheResult.SINGLE and reads_ahead and queried and record["has_children"]:
            # The scheduler evaluates the cached result next: read the answers of the
            # calls recorded under it now, in one query (see read_ahead.py). (An answer
            # from memory was read with its descendants' already.)
            self._read_ahead.keep(self._job_end_writes.read(
                "cache_read_ahead", **self._read_ahead.params(task_hash, args_hash, execution_id)),
                execution_id)
        return result, call_hash, cache_type

    def _cache_answer(self, record: Dict[str, Any], task_hash: str, use_cse: bool, use_single: bool
                      ) -> Tuple[Any, Optional[str], CacheResult]:
        """redun's check_cache rules applied to the candidates of ``cache_check``
        (or of ``cache_read_ahead``): ``(result, call_hash, cache_type)``."""
        # Recorded CallNodes of this call: recording one again is a no-op (as in redun).
        self._call_cache.known_calls.update(record["known_calls"] or ())
        if record["task_recorded"]:
            # A Task's value hash is its hash: the job's start need not write it.
            self._values.known_hashes.add(task_hash)
        # Invalidated (or being collected): recording the call again must rewrite it.
        self._call_cache.known_calls.difference_update(record["stale_calls"] or ())
        for candidate in (record["cse"], record["ultimate"]):
            if candidate:
                self._call_cache.remember_subtree_tasks(candidate["call_hash"], candidate.get("subtree_tasks"))
        cse = record["cse"] if use_cse else None
        if cse:
            result, is_cached = self._cached_value(cse)
            if is_cached:
                return result, cse["call_hash"], CacheResult.CSE

        result, is_cached = None, False
        call_hash: Optional[str] = None
        cache_type = CacheResult.MISS
        ultimate = record["ultimate"]
        if ultimate:
            call_hash = ultimate["call_hash"]
            result, is_cached = self._cached_value(ultimate)
            cache_type = CacheResult.ULTIMATE
        if not is_cached and use_single:
            # As redun, a SINGLE hit keeps the call_hash of a failed ULTIMATE candidate.
            result, is_cached = self._cached_value(record["single"])
            cache_type = CacheResult.SINGLE

        if is_cached:
            return result, call_hash, cache_type
        return None, None, CacheResult.MISS

    def get_call_cache(self, call_hash: str) -> Tuple[Any, bool]:
        """The result of a recorded CallNode: ``(result, True)``, or ``(None, False)``.

        Sees the writes queued to commit with a job's end.
        """
        return self._cached_value(self._read_cache("cache_call_result", call_hash=call_hash))

    def get_eval_cache(self, eval_hash: str) -> Tuple[Any, bool]:
        """The evaluation cache's result for ``eval_hash``: ``(result, True)``, or ``(None, False)``.

        Sees the writes queued to commit with a job's end.
        """
        return self._cached_value(self._read_cache("eval_get", eval_hash=eval_hash))

    def set_eval_cache(
        self,
        eval_hash: str,
        task_hash: str,
        args_hash: str,
        value: Any,
        value_hash: Optional[str] = None,
    ) -> None:
        """Set the evaluation cache: ``eval_hash`` (task and arguments) gives ``value``.

        Records the value (unless ``value_hash`` says it is recorded already)
        and MERGEs the ``Evaluation`` with its ``TASK`` and ``RESULT`` edges in
        one transaction. An existing Evaluation is pointed at the new value.
        Within a running Scheduler it commits with the job's end (``JobEndWrites``).
        """
        self._read_ahead.forget(task_hash, args_hash)
        rows = ValueRows()
        if not value_hash:
            rows = self._values.prepare([value])
            value_hash = rows.hashes[0]

        def work(tx) -> None:
            tx.run(
                "eval_set",
                eval_hash=eval_hash,
                task_hash=task_hash,
                args_hash=args_hash,
                value_hash=value_hash,
            )

        self._values.commit_with_job_end(rows, work)

    def explain_cache_miss(self, task: Any, args_hash: str) -> Optional[Dict[str, Any]]:
        """Why a call missed the cache, as redun's dicts.

        ``{"reason": "new_task", ...}`` when a CallNode exists for the same
        arguments and a task of the same name and namespace;
        ``{"reason": "new_args", ...}`` when one exists for the same task hash
        with other arguments (both with ``call_hash``, ``call_task_hash`` and
        ``call_args_hash`` of the newest such CallNode); else
        ``{"reason": "new_call"}``. Sees the writes queued to commit with a job's end.
        """
        record = self._read_cache(
            "cache_explain_miss",
            args_hash=args_hash,
            task_hash=task.hash,
            task_name=task.name,
            task_namespace=task.namespace or "",
        )
        for reason in ("new_task", "new_args"):
            call = record[reason] if record else None
            if call:
                return {
                    "reason": reason,
                    "call_hash": call["call_hash"],
                    "call_task_hash": call["task_hash"],
                    "call_args_hash": call["args_hash"],
                }
        return {"reason": "new_call"}
