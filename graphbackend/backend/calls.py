"""CallNodes with their arguments and dataflow, subtree tasks and call contexts.

A finished call is recorded as one ``CallNode`` (keyed by redun's
``hash_call_node``) with, all written in ONE write transaction:

- ``TASK`` to the Task that ran, ``RESULT`` to the result Value,
- ``CHILD {call_order}`` to each child CallNode that is recorded,
- ``ARG {arg_hash, position, key}`` to each argument Value,
- ``UPSTREAM {arg_hash}`` to the CallNodes whose results flowed into an
  argument (redun's ``ArgumentResult``),
- ``SUBTREE_TASK`` to every Task used in the call's subtree (the shallow
  cache check reads these).

The cache checks themselves live in ``cache`` (``CacheMixin``); the two share
the host's ``CallCache``. A CallNode's context is a tag (``tags``).
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from redun.expression import Expression, SchedulerExpression, TaskExpression
from redun.hashing import hash_call_node, hash_struct
from redun.utils import iter_nested_value, utcnow

from .cache import CallCache
from .convert import to_neo4j_time
from .job_end_writes import JobEndWrites
from .read_ahead import ReadAhead
from .values import ValueRows, Values


def find_arg_upstreams(expr_arg: Any) -> Iterator[str]:
    """Call hashes of the finished calls whose results flowed into ``expr_arg``.

    redun's ``_find_arg_upstreams``: a (non-scheduler) TaskExpression with a
    ``call_hash`` is upstream; other expressions are searched through their
    upstream expressions.
    """
    for value in iter_nested_value(expr_arg):
        if isinstance(value, TaskExpression) and not isinstance(value, SchedulerExpression):
            if value.call_hash:
                yield value.call_hash
        elif isinstance(value, Expression):
            yield from find_arg_upstreams(value._upstreams)


def iter_call_args(
    expr_args: Tuple[Sequence, Dict[str, Any]], eval_args: Tuple[Sequence, Dict[str, Any]]
) -> Iterator[Tuple[Optional[int], Optional[str], Any, Any]]:
    """``(position, key, expr_arg, eval_arg)`` for every argument, as redun's ``_record_args``.

    Positional arguments first, then keyword arguments given in the call
    (sorted by key), then defaults (in ``eval_args`` but not ``expr_args``).
    """
    expr_pos_args, expr_kwargs = expr_args
    eval_pos_args, eval_kwargs = eval_args
    default_args = [
        (None, key, eval_kwargs[key], eval_kwargs[key]) for key in eval_kwargs if key not in expr_kwargs
    ]
    kw_keys = sorted(set(eval_kwargs) & set(expr_kwargs))
    return chain(
        (
            (i, None, expr_arg, eval_arg)
            for i, (expr_arg, eval_arg) in enumerate(zip(expr_pos_args, eval_pos_args))
        ),
        ((None, key, expr_kwargs[key], eval_kwargs[key]) for key in kw_keys),
        default_args,
    )


class CallsMixin:
    """Recording CallNodes (with arguments, dataflow and subtree tasks) and their contexts.

    ``_call_cache`` keeps the call hashes this process has recorded (recording
    again is a no-op, as in redun) and the subtree task hashes by call hash, as
    this process recorded or read them. They are fixed once a CallNode is
    recorded (a recorded CallNode is never recorded again), so a cached job's
    subtree read at the cache check needs no second read.
    """

    # From the host (Neo4jBackend.__init__):
    _values: Values
    _call_cache: CallCache
    _job_end_writes: JobEndWrites
    _read_ahead: ReadAhead

    def record_call_node(
        self,
        task_name: str,
        task_hash: str,
        args_hash: str,
        expr_args: Tuple[Sequence, Dict[str, Any]],
        eval_args: Tuple[Sequence, Dict[str, Any]],
        result_hash: str,
        child_call_hashes: List[str],
        subtree_tasks: Iterable[Any] = (),
    ) -> str:
        """Record a completed CallNode and return its ``call_hash``.

        Writes, in one transaction, the CallNode, its argument Values and the
        Task values of ``subtree_tasks`` (those this process has not yet
        stored), and the ``TASK``, ``RESULT``, ``CHILD`` (only to children
        already recorded), ``ARG``, ``UPSTREAM`` and ``SUBTREE_TASK`` edges.
        Idempotent and race-free: every node and edge is MERGEd on a
        constrained key, so recording the same call again (from any thread
        or process) adds nothing. The result value must already be recorded
        (the scheduler calls ``record_value(result)`` first).
        """
        call_hash = hash_call_node(task_hash, args_hash, result_hash, child_call_hashes)
        if call_hash in self._call_cache.known_calls:
            return call_hash
        # A new CallNode of this call changes its cache answer.
        self._read_ahead.forget(task_hash, args_hash)
        subtree_tasks = list(subtree_tasks)

        # Arguments: their values, hashes and upstream calls.
        call_args = list(iter_call_args(expr_args, eval_args))
        arg_values = [eval_arg for _, _, _, eval_arg in call_args]
        arg_rows = self._values.prepare(arg_values) if arg_values else ValueRows()
        arg_hashes = arg_rows.hashes
        args = []
        upstreams: List[Dict[str, str]] = []
        for (position, key, expr_arg, _), value_hash in zip(call_args, arg_hashes):
            arg_hash = hash_struct(["Argument", call_hash, str(position), str(key), value_hash])
            args.append({"arg_hash": arg_hash, "value_hash": value_hash, "position": position, "key": key})
            upstreams.extend(
                {"arg_hash": arg_hash, "call_hash": upstream}
                for upstream in sorted(set(find_arg_upstreams(expr_arg)))
            )

        # Subtree tasks: redun records their Task values when children were not
        # recorded; we store every one this process has not stored yet, so the
        # SUBTREE_TASK edges (which the shallow cache check relies on) always
        # have their Task node.
        known = self._values.known_hashes
        unknown_tasks = {task.hash: task for task in subtree_tasks if task.hash not in known}
        task_rows = self._values.prepare(list(unknown_tasks.values())) if unknown_tasks else ValueRows()
        value_rows = list(arg_rows) + list(task_rows)

        children = []
        seen: Set[str] = set()
        for order, child_hash in enumerate(child_call_hashes):
            if child_hash not in seen:  # one CHILD edge per (parent, child), as redun's key
                seen.add(child_hash)
                children.append({"call_hash": child_hash, "call_order": order})

        subtree_task_hashes = sorted({task.hash for task in subtree_tasks})
        params = dict(
            call_hash=call_hash,
            task_name=task_name,
            task_hash=task_hash,
            args_hash=args_hash,
            result_hash=result_hash,
            timestamp=to_neo4j_time(utcnow()),
            children=children,
            args=args,
            upstreams=upstreams,
            subtree_task_hashes=subtree_task_hashes,
        )

        def after() -> None:
            self._call_cache.known_calls.add(call_hash)
            self._call_cache.remember_subtree_tasks(call_hash, subtree_task_hashes)

        # Within a running Scheduler: committed with the job's end (JobEndWrites).
        self._values.commit_with_job_end(value_rows, lambda tx: tx.run("call_record_node", **params), after)
        return call_hash

    def get_subtree_tasks(self, call_hash: str) -> Set[str]:
        """The hashes of every task used by CallNodes within the call's subtree.

        Sees the CallNodes queued to commit with a job's end (``JobEndWrites.read``).
        """
        known = self._call_cache.subtree_tasks.get(call_hash)
        if known is not None:
            return set(known)
        records = self._job_end_writes.read("call_subtree_tasks", call_hash=call_hash)
        hashes = {record["task_hash"] for record in records}
        self._call_cache.remember_subtree_tasks(call_hash, hashes)
        return hashes
