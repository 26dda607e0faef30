"""``graphbackend gc``: delete executions by retention rules, keeping provenance consistent.

Selection (at least one option): ``older_than`` (executions started longer ago),
``execution_ids`` (ids or unique prefixes), and the keep rules ``keep_tags``
(``KEY`` or ``KEY=VALUE``: executions with such a current tag are kept),
``keep_last`` (the newest N executions of each root task are kept). An
execution whose heartbeat (``Execution.updated_time``) is more recent than
``running_grace`` is running and always kept.

The rules (as AiiDA documents its deletion rules):

1. A kept execution keeps everything it reaches: its jobs, the call nodes they
   recorded or reused from the cache and those calls' subtrees, their argument,
   result, task and nested values (files included), evaluation-cache entries of
   kept calls, and the tags of everything kept.
2. A deleted execution removes only what nothing kept uses: a candidate (a
   record the deleted executions reach) survives when any node that is not a
   candidate has an edge to it (a kept job's ``CALL``, a kept call's ``CHILD``,
   ``ARG``, ``RESULT``, ``UPSTREAM``, a handle's ``VALUE``, a kept value's
   ``SUBVALUE``...), and then so does everything it uses. Tags, invalidations
   and gc runs refer to records without keeping them.
3. Tags go with their entity, with their whole edit history (``SUPERSEDES``);
   tags of kept entities are never touched.
4. Handles are never deleted and keep their values: handle lineage stays valid.
5. Value-store blobs of deleted values are deleted (recorded on the run first,
   so an interrupted run deletes them when resumed).

How (bounded memory, resumable): a ``(:GcRun)`` node records the run. Marking
labels the candidates ``:GcCandidate``, then ``:GcKeep`` from the outside in,
in batched auto-commit transactions (``CALL ... IN TRANSACTIONS``). Arming turns
candidates not kept into ``:Collecting``: from then on every cache check skips
them. After ``grace_seconds`` (cache checks in flight finish and their jobs
record their ``CALL`` edges), nodes that something not collected started to
use are rescued, then ``:Collecting`` nodes are deleted in batches (executions
first: an execution is either whole or gone), each batch re-checking in its
transaction that nothing outside uses the node. Interrupted, the next ``gc``
resumes the unfinished run. A dry run does the marking, counts, and removes
its labels and its GcRun node (the graph is left as it was). One gc at a time.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ..backend.cypher import query
from ..backend.graph import Graph
from ..errors import HistoryError

#: The kinds deleted, in order (executions first: an execution is either whole or gone).
DELETE_ORDER = ("Execution", "Job", "CallNode", "Evaluation", "Value")
MARK_STEPS = ("jobs", "calls", "values", "evaluations")
DEFAULT_BATCH = 5000
#: A job without end_time keeps the cached calls of its task while its execution's heartbeat is
#: this recent (or more recent than the selection's running window, if longer).
IN_FLIGHT_WINDOW = _dt.timedelta(minutes=10)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> _dt.timedelta:
    """``30d``, ``12h``, ``90m``, ``45s``, ``2w`` (a bare number is seconds)."""
    match = _DURATION.match(text or "")
    if not match:
        raise HistoryError(f"gc: invalid duration {text!r} (use e.g. 30d, 12h, 90m, 2w)")
    return _dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_keep_tag(text: str) -> Tuple[str, Optional[str]]:
    """``KEY`` or ``KEY=VALUE``."""
    key, sep, value = text.partition("=")
    if not key:
        raise HistoryError(f"gc: invalid --keep-tag {text!r} (use KEY or KEY=VALUE)")
    return key, (value if sep else None)


@dataclass
class Selection:
    """Which executions gc deletes (see the module docstring)."""

    older_than: Optional[_dt.timedelta] = None
    keep_tags: List[Tuple[str, Optional[str]]] = field(default_factory=list)
    keep_last: Optional[int] = None
    execution_ids: List[str] = field(default_factory=list)
    running_grace: _dt.timedelta = _dt.timedelta(minutes=10)

    def empty(self) -> bool:
        return (self.older_than is None and not self.keep_tags and self.keep_last is None
                and not self.execution_ids)


@dataclass
class GcReport:
    """What a gc run deleted (or, dry, would delete)."""

    dry_run: bool
    run_id: Optional[str] = None
    resumed: bool = False
    executions: List[str] = field(default_factory=list)
    kept_running: List[str] = field(default_factory=list)
    counts: Dict[str, int] = field(default_factory=dict)
    deleted: Dict[str, int] = field(default_factory=dict)
    blobs_deleted: int = 0
    blobs_pending: int = 0
    seconds: float = 0.0

    @property
    def nodes_deleted(self) -> int:
        return sum(self.deleted.values())

    def as_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["nodes_deleted"] = self.nodes_deleted
        return data

    def lines(self) -> List[str]:
        c = self.counts
        verb = "Would delete" if self.dry_run else "Deleted"
        lines = []
        if self.resumed:
            lines.append(f"Resumed the interrupted gc run {self.run_id}.")
        lines.append(
            f"{verb} {c.get('executions', 0)} execution(s), {c.get('jobs', 0)} job(s), "
            f"{c.get('call_nodes', 0)} call node(s), {c.get('values', 0)} value(s) "
            f"({c.get('files', 0)} file(s), {c.get('tasks', 0)} task(s)), "
            f"{c.get('evaluations', 0)} evaluation(s), {c.get('tags', 0)} tag(s); "
            f"{c.get('value_store_bytes', 0):,} bytes in {c.get('value_store_blobs', 0)} "
            f"value-store blob(s) ({c.get('value_bytes', 0):,} bytes of values in all).")
        for execution_id in self.executions[:20]:
            lines.append(f"  execution {execution_id}")
        if len(self.executions) > 20:
            lines.append(f"  ... {len(self.executions) - 20} more (--json)")
        if self.kept_running:
            lines.append(f"Kept {len(self.kept_running)} running execution(s) (recent heartbeat).")
        if self.dry_run:
            lines.append("Dry run: nothing deleted. Run again with --yes to delete.")
        else:
            rate = self.nodes_deleted / self.seconds if self.seconds else 0.0
            lines.append(f"{self.nodes_deleted} node(s) deleted in {self.seconds:.1f}s ({rate:,.0f}/s); "
                         f"{self.blobs_deleted} blob(s) deleted.")
            if self.blobs_pending:
                lines.append(f"{self.blobs_pending} value-store blob(s) of deleted values are left: no value "
                             f"store was given (--value-store); the next gc --yes with it deletes them.")
        return lines


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _when(value: Any) -> _dt.datetime:
    """A Neo4j time as an aware datetime; None (no time recorded) as the earliest one."""
    return _native(value) or _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _native(value: Any) -> Optional[_dt.datetime]:
    if value is None:
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


def _tag_matches(tags: List[Dict[str, str]], key: str, value: Optional[str]) -> bool:
    for tag in tags:
        if tag["key"] != key:
            continue
        if value is None:
            return True
        try:
            decoded = json.loads(tag["value"])
        except (TypeError, ValueError):
            decoded = tag["value"]
        if str(decoded) == value or tag["value"] == value:
            return True
    return False


def select(graph: Graph, selection: Selection, now: Optional[_dt.datetime] = None
           ) -> Tuple[List[str], List[str]]:
    """``(doomed execution ids, running ones kept)`` for ``selection`` (reads only)."""
    if selection.empty():
        raise HistoryError("gc: give a selection (--older-than, --keep-tag, --keep-last or --execution)")
    if selection.keep_last is not None and selection.keep_last < 0:
        raise HistoryError("gc: --keep-last must be 0 or more")
    now = now or _now()
    rows = [r.data() for r in graph.read("history_gc_executions")]
    candidates = rows
    if selection.execution_ids:
        chosen = []
        for prefix in selection.execution_ids:
            found = [row for row in rows if row["id"].startswith(prefix)]
            if not found:
                raise HistoryError(f"gc: no execution with id {prefix!r}")
            if len(found) > 1:
                raise HistoryError(f"gc: {prefix!r} matches {len(found)} executions; give more of it")
            chosen.append(found[0])
        candidates = chosen
    if selection.older_than is not None:
        limit = now - selection.older_than
        candidates = [row for row in candidates
                      if row["start_time"] is not None and _when(row["start_time"]) < limit]
    kept: Set[str] = set()
    for key, value in selection.keep_tags:
        kept.update(row["id"] for row in rows if _tag_matches(row["tags"], key, value))
    if selection.keep_last is not None:
        by_task: Dict[Optional[str], List[Dict[str, Any]]] = {}
        for row in rows:
            by_task.setdefault(row["task_name"], []).append(row)
        for task_rows in by_task.values():
            task_rows.sort(key=lambda row: _when(row["start_time"]), reverse=True)
            kept.update(row["id"] for row in task_rows[: selection.keep_last])
    running_limit = now - selection.running_grace
    running = {row["id"] for row in rows
               if row["updated_time"] is not None and _when(row["updated_time"]) > running_limit}
    doomed = [row["id"] for row in candidates if row["id"] not in kept and row["id"] not in running]
    kept_running = [row["id"] for row in candidates if row["id"] in running and row["id"] not in kept]
    return doomed, kept_running


class _Runner:
    """Runs gc's queries: batched auto-commit ones (``IN TRANSACTIONS``) and managed ones."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def auto(self, name: str, **params: Any) -> Dict[str, Any]:
        """One auto-commit statement (needed by ``CALL ... IN TRANSACTIONS``); its first row."""
        with self.graph.driver.session(database=self.graph.settings.database) as session:
            result = session.run(query(name), params)
            record = result.single()
        return record.data() if record else {}

    def write(self, name: str, **params: Any) -> Dict[str, Any]:
        records = self.graph.write(name, **params)
        return records[0].data() if records else {}


def _mark(run: _Runner, execution_ids: List[str], batch: int) -> None:
    """Label candidates, then the kept ones (:GcKeep) from the outside in."""
    run.auto("history_gc_clear_marks", batch=batch, collecting=False)
    for step in MARK_STEPS:
        run.auto("history_gc_mark_candidates", step=step, execution_ids=execution_ids, batch=batch)
    run.auto("history_gc_seed_keep", batch=batch)
    while run.auto("history_gc_propagate_keep", batch=batch).get("expanded", 0):
        pass


def _counts(run: _Runner, label: str) -> Dict[str, int]:
    return {key: int(value or 0) for key, value in run.auto("history_gc_count", doomed_label=label).items()}


def progress_bar(done: int, total: int, label: str = "gc", stream=sys.stderr) -> None:
    """A one-line progress bar (the same look as import/export's)."""
    width = 30
    fraction = done / total if total else 1.0
    filled = int(width * fraction)
    text = f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} nodes"
    if hasattr(stream, "isatty") and stream.isatty():
        stream.write("\r" + text + ("\n" if done >= total else ""))
        stream.flush()
    elif done >= total or done == 0:
        print(text, file=stream)


def open_value_store(path: Optional[str]):
    """The value store at ``path``, else the redun config's ``value_store_path``, else None."""
    from ..backend.value_store import FsspecValueStore

    if path:
        return FsspecValueStore(path)
    try:
        from redun.config import create_config_section

        from ..backend.neo4j_backend import Neo4jBackend
    except ImportError:  # pragma: no cover
        return None
    backend = Neo4jBackend(config=create_config_section())
    return backend.value_store


def _delete_blobs(run: _Runner, run_id: str, hashes: List[str], value_store) -> int:
    if not hashes:
        return 0
    deleted = 0
    if value_store is not None:
        for value_hash in hashes:
            if value_store.delete(value_hash):
                deleted += 1
        run.write("history_gc_blobs_done", run_id=run_id, hashes=hashes)
    return deleted


def collect(
    graph: Graph,
    selection: Selection,
    apply: bool = False,
    value_store=None,
    batch_size: int = DEFAULT_BATCH,
    grace_seconds: float = 30.0,
    progress: Optional[Callable[[int, int], None]] = None,
    user: Optional[str] = None,
) -> GcReport:
    """Run gc: a dry run (``apply=False``: counts only) or the deletion.

    An unfinished run (interrupted) is resumed first, whatever ``selection``
    says; a dry run refuses to start while one is unfinished.
    """
    from .invalidate import user_name

    started = time.monotonic()
    run = _Runner(graph)
    pending = graph.read_one("history_gc_run_get")
    if pending is not None and not pending["dry_run"]:
        if not apply:
            raise HistoryError(
                f"gc: the gc run {pending['id']} was interrupted; run gc --yes to finish it first")
        report = GcReport(dry_run=False, run_id=pending["id"], resumed=True,
                          executions=list(pending["execution_ids"]))
        if pending["status"] == "marking":
            _mark(run, report.executions, batch_size)
            run.auto("history_gc_arm", batch=batch_size)
            run.write("history_gc_run_set", id=report.run_id, status="collecting", stats={}, time=_now())
        report.counts = _counts(run, "Collecting")
        _sweep(run, report, pending["pending_blobs"], value_store, batch_size, grace_seconds, progress,
               selection.running_grace)
        report.seconds = time.monotonic() - started
        return report
    if pending is not None:  # an interrupted dry run: only its labels are left
        run.auto("history_gc_clear_marks", batch=batch_size, collecting=False)
        run.write("history_gc_run_delete", id=pending["id"])

    doomed, kept_running = select(graph, selection)
    if not doomed:
        raise HistoryError("gc: the selection matches no execution to delete; nothing to do")
    report = GcReport(dry_run=not apply, executions=doomed, kept_running=kept_running)
    report.run_id = uuid.uuid4().hex
    run.write("history_gc_run_create", id=report.run_id, time=_now(), execution_ids=doomed,
              dry_run=not apply, user=user or user_name())
    _mark(run, doomed, batch_size)
    report.counts = _counts(run, "GcCandidate")
    if not apply:
        # A dry run leaves the graph as it found it: its labels and its GcRun node go.
        run.auto("history_gc_clear_marks", batch=batch_size, collecting=False)
        run.write("history_gc_run_delete", id=report.run_id)
        report.seconds = time.monotonic() - started
        return report
    run.auto("history_gc_arm", batch=batch_size)
    run.write("history_gc_run_set", id=report.run_id, status="collecting",
              stats={f"planned_{k}": v for k, v in report.counts.items()}, time=_now())
    _sweep(run, report, [], value_store, batch_size, grace_seconds, progress, selection.running_grace)
    report.seconds = time.monotonic() - started
    return report


def _sweep(run: _Runner, report: GcReport, pending_blobs: List[str], value_store, batch_size: int,
           grace_seconds: float, progress, running_grace: _dt.timedelta = _dt.timedelta(minutes=10)) -> None:
    """Grace, rescue, delete in batches, delete blobs, finish the run."""
    # Jobs in flight count for executions with a heartbeat within running_grace, and at least
    # within IN_FLIGHT_WINDOW (a selection may treat a just-finished execution as not running).
    running_since = _now() - max(running_grace, IN_FLIGHT_WINDOW)
    assert report.run_id is not None, "a gc run is started before it deletes"
    report.blobs_deleted += _delete_blobs(run, report.run_id, list(pending_blobs), value_store)
    if grace_seconds > 0:
        time.sleep(grace_seconds)
    while run.write("history_gc_rescue", batch=batch_size, running_since=running_since).get("rescued", 0):
        pass
    total = sum(report.counts.get(key, 0) for key in (
        "executions", "jobs", "call_nodes", "evaluations", "values"))
    done = 0
    if progress:
        progress(0, total)
    for label in DELETE_ORDER:
        while True:
            row = run.write("history_gc_delete_batch", run_id=report.run_id, label=label, batch=batch_size,
                            running_since=running_since)
            deleted = int(row.get("deleted", 0) or 0)
            if not deleted:
                break
            report.deleted[label] = report.deleted.get(label, 0) + deleted
            report.deleted["Tag"] = report.deleted.get("Tag", 0) + int(row.get("tags", 0) or 0)
            if row.get("blob_count"):
                blobs = graph_pending_blobs(run, report.run_id)
                report.blobs_deleted += _delete_blobs(run, report.run_id, blobs, value_store)
            done += deleted
            if progress:
                progress(min(done, total), total)
    # Anything still :Collecting is used by something kept since the marking: keep it.
    while run.write("history_gc_rescue", batch=batch_size, running_since=running_since).get("rescued", 0):
        pass
    if progress and done < total:
        progress(total, total)
    left = graph_pending_blobs(run, report.run_id)
    report.blobs_pending = len(left)
    # A run that deleted values without their value store stays open for its blobs only.
    run.write("history_gc_run_set", id=report.run_id, status="blobs" if left else "done",
              stats={f"deleted_{k}": v for k, v in report.deleted.items()}, time=_now())


def graph_pending_blobs(run: _Runner, run_id: str) -> List[str]:
    row = run.graph.read_one("history_gc_run_get")
    if row is None or row["id"] != run_id:
        return []
    return list(row["pending_blobs"])
