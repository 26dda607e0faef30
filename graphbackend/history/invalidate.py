"""``graphbackend invalidate``: make every cached call derived from a target ineligible.

A target is an Execution id, a CallNode hash, a Value or File hash, a File
path, or a Task hash or full name (full keys or unique prefixes). The calls
that derive from it are found in the graph (``history_invalidate_closure``):
the calls that took the value (directly or nested) as an argument, the task's
or the execution's calls, and then, to any depth and across executions, the
calls that used their results (``UPSTREAM``) and the calls that made them
(``CHILD`` parents: a parent's cached result would skip recomputing them).

Applying marks them ``:Invalidated`` (and the ``Evaluation`` entries of the
same task and arguments): every cache check skips them. History stays: an
``(:Invalidation {id, time, reason, user, target})`` node links to every marked
node. A recomputation records the call again; when it gets the same call hash
(same task, arguments, result and children), recording clears the mark. ``undo``
clears the marks an invalidation set that nothing else holds.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..backend.graph import Graph
from ..errors import HistoryError

#: Kinds of target, in the order a bare TARGET is tried.
KINDS = ("execution", "call", "file", "value", "task")
#: Nodes marked per transaction.
BATCH_SIZE = 5000


@dataclass
class Target:
    """What an invalidate TARGET names: a kind and one or more keys (all Files of a path)."""

    text: str
    kind: str
    keys: List[str]
    labels: List[str]


@dataclass
class InvalidationPlan:
    """The calls and evaluations an invalidation marks (a dry run shows this)."""

    target: Target
    calls: List[Dict[str, Any]] = field(default_factory=list)
    evaluations: List[str] = field(default_factory=list)

    @property
    def new_calls(self) -> List[Dict[str, Any]]:
        """The calls not yet marked by an earlier invalidation."""
        return [call for call in self.calls if not call["invalidated"]]

    def summary(self) -> Dict[str, Any]:
        return {
            "target": self.target.text,
            "target_kind": self.target.kind,
            "target_keys": self.target.keys,
            "calls": len(self.calls),
            "already_invalidated": len(self.calls) - len(self.new_calls),
            "evaluations": len(self.evaluations),
            "by_task": _by_task(self.calls),
        }


def _by_task(calls: List[Dict[str, Any]]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for call in calls:
        counts[call["task_name"]] = counts.get(call["task_name"], 0) + 1
    return dict(sorted(counts.items()))


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def user_name() -> str:
    """Who invalidates: the login name (``USER``), else ``unknown``."""
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name at all
        return "unknown"


def resolve_target(graph: Graph, text: str, kind: Optional[str] = None) -> Target:
    """The target ``text`` names, or a HistoryError naming the problem.

    A File path names every File recorded at that path (all its versions). A
    prefix matching several records of the same kind, or records of several
    kinds, is ambiguous (``kind`` chooses one kind).
    """
    if not text or not text.strip():
        raise HistoryError("invalidate: empty TARGET")
    if kind is not None and kind not in KINDS:
        raise HistoryError(f"invalidate: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    rows = [r.data() for r in graph.read(
        "history_resolve_target", target=text, path=os.path.abspath(text), limit=20)]
    if kind is not None:
        rows = [row for row in rows if row["kind"] == kind]
    if not rows:
        what = f"no {kind}" if kind else "no execution, call, file, value or task"
        raise HistoryError(f"invalidate: {what} matches {text!r}")
    kinds = sorted({row["kind"] for row in rows})
    if len(kinds) > 1:
        raise HistoryError(
            f"invalidate: {text!r} is ambiguous ({', '.join(kinds)}); choose one with --kind")
    found = kinds[0]
    if len(rows) > 1 and not all(row["exact"] for row in rows):
        listed = "; ".join(row["label"] for row in rows[:5])
        raise HistoryError(f"invalidate: {text!r} matches {len(rows)} {found}s ({listed}); give more of it")
    return Target(text=text, kind=found, keys=[row["key"] for row in rows],
                  labels=[row["label"] for row in rows])


def plan(graph: Graph, target: Target) -> InvalidationPlan:
    """The calls and evaluations that derive from ``target`` (reads only)."""
    kind = "value" if target.kind == "file" else target.kind
    rows = [r.data() for r in graph.read("history_invalidate_closure", kind=kind, keys=target.keys)]
    evaluations = sorted({eval_hash for row in rows for eval_hash in row.pop("evaluations")})
    return InvalidationPlan(target=target, calls=rows, evaluations=evaluations)


def apply(graph: Graph, invalidation_plan: InvalidationPlan, reason: Optional[str] = None,
          user: Optional[str] = None, batch_size: int = BATCH_SIZE) -> str:
    """Mark the plan's calls and evaluations; returns the new Invalidation's id.

    The Invalidation node is written first, then the marks in batches of
    ``batch_size`` (each batch one transaction). Interrupted, the marks
    written so far are in place and linked to it; running the same
    invalidation again marks the rest.
    """
    target = invalidation_plan.target
    if not invalidation_plan.calls and not invalidation_plan.evaluations:
        raise HistoryError(f"invalidate: no cached call derives from {target.text!r}; nothing to do")
    invalidation_id = uuid.uuid4().hex
    graph.write("history_invalidate_create", id=invalidation_id, time=_now(),
                reason=reason or "", user=user or user_name(), target=target.text,
                target_kind=target.kind, target_keys=target.keys)
    calls = [call["call_hash"] for call in invalidation_plan.calls]
    evaluations = list(invalidation_plan.evaluations)
    while calls or evaluations:
        call_batch, calls = calls[:batch_size], calls[batch_size:]
        eval_batch, evaluations = evaluations[:batch_size], evaluations[batch_size:]
        graph.write("history_invalidate_mark", id=invalidation_id,
                    call_hashes=call_batch, eval_hashes=eval_batch)
    return invalidation_id


def invalidations(graph: Graph, prefix: Optional[str] = None, limit: int = 50) -> List[Dict[str, Any]]:
    """Recorded invalidations, newest first."""
    return [r.data() for r in graph.read("history_invalidations", prefix=prefix, limit=limit)]


def find_invalidation(graph: Graph, prefix: str) -> Dict[str, Any]:
    """The one invalidation whose id starts with ``prefix``."""
    found = invalidations(graph, prefix=prefix, limit=3)
    if not found:
        raise HistoryError(f"invalidate --undo: no invalidation with id {prefix!r}")
    if len(found) > 1:
        raise HistoryError(f"invalidate --undo: {prefix!r} matches several invalidations; give more of it")
    return found[0]


def undo(graph: Graph, prefix: str, apply_it: bool = False, user: Optional[str] = None) -> Dict[str, Any]:
    """Revert the invalidation ``prefix`` names (``apply_it=False``: only count what it would clear)."""
    invalidation = find_invalidation(graph, prefix)
    if invalidation["undone_time"] is not None:
        raise HistoryError(f"invalidate --undo: invalidation {invalidation['id']} is already undone")
    # A write transaction even for the count (the query holds write clauses, guarded by $apply).
    records = graph.write("history_invalidate_undo", id=invalidation["id"], time=_now(),
                          user=user or user_name(), apply=apply_it)
    return records[0].data()
