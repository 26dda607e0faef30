"""``ReadAhead``: cache answers read ahead for the calls under a cache hit.

A hit on the evaluation cache returns what the task returned, often
expressions (a fan-out's list of task calls, a chain's next step): the
scheduler evaluates them next and checks the cache for each call they make,
one query each. Those calls are, most often, the ones recorded under the
hit's newest CallNode. So on such a hit ``check_cache`` reads, in ONE more
query (``cypher/cache_read_ahead``), what ``cache_check`` would answer for
every descendant call of that CallNode (at most ``limit`` calls), and keeps
the answers here; the checks that follow are answered from memory. A cached
rerun of a whole workflow then costs a query or two instead of one per job.

What an answer read ahead may differ in, and the rules that bound it:

- It is what the database held at the read. Writes of this backend that
  change a call's answer (its evaluation cache entry, a CallNode of the call,
  a Job of the execution that ran it, an import) drop that answer (``forget``,
  ``clear``); a new execution drops them all; an answer older than
  ``seconds`` (default 30 s) is never used. What another process changes in
  between (``graphbackend invalidate`` or ``gc`` during the run) is seen by
  the checks after that window, as a check made just before the change would
  not have seen it either.
- It serves only checks it was read for: the same execution, no context
  hash, and no shallow (``check_valid="shallow"``) check; a call is answered
  from memory once (a second check of it queries). Any other check queries.
- An answer whose result is larger than ``max_value_bytes`` inline is not
  kept (that call's check queries).
"""

from __future__ import annotations

import time
from typing import Any, Dict, Iterable, Optional, Tuple

#: The most descendant calls one read-ahead answers for (``cache_read_ahead``).
DEFAULT_READ_AHEAD = 10_000
#: The longest an answer read ahead is used, in seconds.
READ_AHEAD_SECONDS = 30.0
#: Results larger than this inline are not read ahead (their check queries).
READ_AHEAD_MAX_VALUE_BYTES = 4 * 1024

#: (task_hash, args_hash) of a call.
CallKey = Tuple[str, str]


class ReadAhead:
    """Answers of ``cache_check`` read ahead, per call (see the module docstring).

    Parameters
    ----------
    limit:
        The most descendant calls one read-ahead answers for (0: never read ahead).
    seconds:
        How long an answer may be used after it was read.
    max_value_bytes:
        Results larger than this inline are not read ahead.
    """

    def __init__(self, limit: int = DEFAULT_READ_AHEAD, seconds: float = READ_AHEAD_SECONDS,
                 max_value_bytes: int = READ_AHEAD_MAX_VALUE_BYTES):
        self.limit = max(0, int(limit))
        self.seconds = seconds
        self.max_value_bytes = max_value_bytes
        self._answers: Dict[CallKey, Tuple[float, Dict[str, Any]]] = {}
        self._execution_id: Optional[str] = None

    def __len__(self) -> int:
        return len(self._answers)

    def params(self, task_hash: str, args_hash: str, execution_id: str) -> Dict[str, Any]:
        """The parameters of ``cache_read_ahead`` under the call ``(task_hash, args_hash)``."""
        return {"task_hash": task_hash, "args_hash": args_hash, "execution_id": execution_id,
                "limit": self.limit, "max_value_bytes": self.max_value_bytes}

    def keep(self, rows: Iterable[Any], execution_id: str) -> None:
        """Keep the answers of ``cache_read_ahead``'s rows, read for ``execution_id``."""
        if execution_id != self._execution_id:
            self._answers.clear()
            self._execution_id = execution_id
        expires = time.monotonic() + self.seconds
        if len(self._answers) >= 4 * self.limit:
            self._answers.clear()  # a bound on memory: answers nobody asked for yet
        for row in rows:
            cse, single = row["cse"], row["single"]
            if (cse and not cse["complete"]) or (single and not single["complete"]):
                continue
            self._answers[(row["task_hash"], row["args_hash"])] = (expires, {
                "cse": cse, "ultimate": None, "single": single,
                "known_calls": row["known_calls"], "stale_calls": row["stale_calls"],
                "has_children": row["has_children"], "task_recorded": row["task_recorded"],
            })

    def take(self, task_hash: str, args_hash: str, eval_hash: str, execution_id: str) -> Optional[Dict[str, Any]]:
        """The answer read ahead for this call (then dropped), or None: query it."""
        if not self._answers:
            return None
        if execution_id != self._execution_id:
            self._answers.clear()
            return None
        entry = self._answers.pop((task_hash, args_hash), None)
        if entry is None:
            return None
        expires, answer = entry
        single = answer["single"]
        if time.monotonic() > expires or (single and single["eval_hash"] != eval_hash):
            return None
        return answer

    def forget(self, task_hash: str, args_hash: str) -> None:
        """Drop the answer for a call whose facts this backend is writing."""
        if self._answers:
            self._answers.pop((task_hash, args_hash), None)

    def clear(self) -> None:
        """Drop every answer (a new execution, an import)."""
        self._answers.clear()
