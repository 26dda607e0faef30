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
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Tuple

from redun.tags import CONTEXT_KEY
from redun.task import CacheCheckValid, CacheResult, CacheScope
from redun.value import InvalidValueError

from .convert import encode_json
from ..errors import GraphBackendError


class CacheMixin:
    """redun's cache checks and the evaluation cache, as Cypher queries."""

    # Reading cached values ----------------------------------------------------

    def _top_value_hashes(self, values: List[Any], rows: List[dict]) -> List[str]:
        """The value_hash of each of ``values``, from the rows ``_prepare_values`` made for them.

        The values contract: ``rows.hashes`` (or the first ``len(values)`` rows) are
        the hashes of the given values, in order.
        """
        hashes = getattr(rows, "hashes", None)
        if hashes is None:
            hashes = [row["value_hash"] for row in rows[: len(values)]]
        if len(hashes) != len(values):
            raise GraphBackendError(
                f"_prepare_values gave {len(hashes)} hashes for {len(values)} values"
            )
        return list(hashes)

    def _cached_value(self, candidate: Optional[Dict[str, Any]]) -> Tuple[Any, bool]:
        """``(value, True)`` for a candidate's stored result, else ``(None, False)``.

        ``candidate`` holds the result Value's ``found``, ``value_hash``,
        ``type``, ``value`` and ``in_value_store`` (as the cache queries return
        them). Like redun: a missing Value, a blob missing from the value store,
        or a value the TypeRegistry calls invalid is a miss.
        """
        if not candidate or not candidate.get("found"):
            return None, False
        data, found = self._value_data(
            candidate["value_hash"], candidate.get("value"), candidate.get("in_value_store")
        )
        if not found:
            return None, False
        # The Value is stored: recording it again needs no write (content-addressed).
        known_values = getattr(self, "_known_value_hashes", None)
        if known_values is not None:
            known_values.add(candidate["value_hash"])
        try:
            return self.type_registry.deserialize(candidate["type"], bytes(data)), True
        except InvalidValueError:
            return None, False

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

        record = self._graph.read_one(
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
        )

        # Recorded CallNodes of this call: recording one again is a no-op (as in redun).
        known_calls = getattr(self, "_known_call_hashes", None)
        if known_calls is not None:
            known_calls.update(record["known_calls"] or ())
            # Invalidated (or being collected): recording the call again must rewrite it.
            known_calls.difference_update(record["stale_calls"] or ())
        for candidate in (record["cse"], record["ultimate"]):
            if candidate:
                self._remember_subtree_tasks(candidate["call_hash"], candidate["subtree_tasks"])
        cse = record["cse"]
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
        """The result of a recorded CallNode: ``(result, True)``, or ``(None, False)``."""
        record = self._graph.read_one("cache_call_result", call_hash=call_hash)
        return self._cached_value(record.data() if record else None)

    def get_eval_cache(self, eval_hash: str) -> Tuple[Any, bool]:
        """The evaluation cache's result for ``eval_hash``: ``(result, True)``, or ``(None, False)``."""
        record = self._graph.read_one("eval_get", eval_hash=eval_hash)
        return self._cached_value(record.data() if record else None)

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
        """
        rows = []
        if not value_hash:
            rows = self._prepare_values([value])
            value_hash = self._top_value_hashes([value], rows)[0]

        def work(tx) -> None:
            if rows and rows.pending:
                self._write_value_rows(tx, rows)
            tx.run(
                "eval_set",
                eval_hash=eval_hash,
                task_hash=task_hash,
                args_hash=args_hash,
                value_hash=value_hash,
            )

        # Within a running Scheduler: committed with the job's end (see _write_with_job_end).
        self._write_with_job_end(work, (lambda: self._remember_value_rows(rows)) if rows else None)

    def explain_cache_miss(self, task: Any, args_hash: str) -> Optional[Dict[str, Any]]:
        """Why a call missed the cache, as redun's dicts.

        ``{"reason": "new_task", ...}`` when a CallNode exists for the same
        arguments and a task of the same name and namespace;
        ``{"reason": "new_args", ...}`` when one exists for the same task hash
        with other arguments (both with ``call_hash``, ``call_task_hash`` and
        ``call_args_hash`` of the newest such CallNode); else
        ``{"reason": "new_call"}``.
        """
        record = self._graph.read_one(
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
