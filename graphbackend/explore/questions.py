"""Questions only a provenance graph answers: impact, diff, why, plan and the task-level view.

Every function takes a :class:`~graphbackend.backend.graph.Graph` or a
:class:`~graphbackend.Neo4jBackend`, runs ``question_*`` queries (read
transactions only: nothing is ever written) and returns plain JSON-ready data.
Rendering for a terminal lives in ``questions_cli``. The public surface is
re-exported by :mod:`graphbackend.questions`.

- :func:`impact`: everything downstream of a File, Value, Task or CallNode, across executions.
- :func:`diff`: two executions' call trees aligned, each call with why it ran or was reused.
- :func:`why`: why one job ran (or was served from the cache), against the newest earlier call.
- :func:`plan`: what would rerun if a workflow ran now, from the current code and the history.
- :func:`task_graph`: tasks as nodes, "calls" and "feeds" edges with counts and last-seen times.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar, cast

from ..backend.graph import Graph, Tx, single
from ..errors import ExploreError
from .queries import AMBIGUOUS_LIMIT, plain, resolve_id, resolve_value

__all__ = [
    "DEFAULT_IMPACT_DEPTH", "DEFAULT_LIMIT", "ExploreError", "diff", "impact", "plan",
    "resolve_target", "task_graph", "why", "write_task_graph_html",
]

#: Default depth limit of ``impact`` (levels of downstream calls).
DEFAULT_IMPACT_DEPTH = 50
#: Default number of tree rows ``impact`` and ``diff`` return.
DEFAULT_LIMIT = 200
#: ``impact`` stops exploring after this many calls (the summary then says so).
MAX_IMPACT_CALLS = 100_000

T = TypeVar("T")



def _graph(source: Any) -> Graph:
    """The Graph to read: ``source`` itself, or a backend's public ``graph``."""
    if isinstance(source, Graph):
        return source
    if isinstance(source, _InTx):  # a question's transaction: it has Graph's read methods
        return cast(Graph, source)
    graph = getattr(source, "graph", None)
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a Graph or a Neo4jBackend, got {type(source).__name__}")
    return graph


class _InTx:
    """One read transaction seen through Graph's ``read``/``read_one``/``read_single``, so that
    every query of a question shares it (one transaction instead of one per query)."""

    def __init__(self, tx: Tx):
        self._tx = tx

    def read(self, name: str, **params: Any) -> List[Any]:
        return self._tx.run(name, **params)

    def read_one(self, name: str, **params: Any) -> Optional[Any]:
        records = self.read(name, **params)
        return records[0] if records else None

    def read_single(self, name: str, **params: Any) -> Any:
        return single(self.read(name, **params), name)


def _in_one_tx(source: Any, work: Callable[[Graph], T]) -> T:
    """Run ``work(reader)`` in one read transaction (it only reads; may run again on a retry)."""
    return _graph(source).read_tx(lambda tx: work(_graph(_InTx(tx))))


def _short(identifier: Optional[str], n: int = 8) -> str:
    return identifier[:n] if identifier else "-"


# Targets ------------------------------------------------------------------------------


def resolve_target(source: Any, text: str) -> Dict[str, Any]:
    """What ``impact TARGET`` starts from.

    In this order: a Task by full or short name (every recorded version of it); a
    File by path or path end (every recorded version of that path); a CallNode or
    a Value (a Task or File too) by hash prefix. Returns ``{"kind": "task"|"file"|
    "value"|"call", "label", "value_hashes", "task_hashes", "call_hashes"}``.
    Raises :class:`ExploreError` for unknown or ambiguous text.
    """
    graph = _graph(source)
    text = (text or "").strip()
    if not text:
        raise ExploreError("a target is required: a file path, a value hash, a task name or a call hash")
    target: Dict[str, List[str]] = {"value_hashes": [], "task_hashes": [], "call_hashes": []}
    tasks = [plain(record.data()) for record in graph.read("question_resolve_task", text=text, limit=200)]
    named = [task for task in tasks if task["rank"] == 0]
    if named:
        fullnames = sorted({task["fullname"] for task in named})
        if len(fullnames) > 1:
            raise ExploreError(f"{text!r} names several tasks: {', '.join(fullnames[:AMBIGUOUS_LIMIT])}; "
                               f"give the full name")
        return {**target, "kind": "task", "label": f"Task {fullnames[0]} ({len(named)} version(s))",
                "task_hashes": [task["task_hash"] for task in named]}
    files = [plain(record.data()) for record in graph.read("question_files_by_path", text=text, limit=200)]
    paths = sorted({record["path"] for record in files})
    if len(paths) > 1:
        raise ExploreError(f"{text!r} matches several files: {', '.join(paths[:AMBIGUOUS_LIMIT])}; be more precise")
    if paths:
        return {**target, "kind": "file", "label": f"File {paths[0]} ({len(files)} version(s))",
                "value_hashes": [record["value_hash"] for record in files]}
    found = resolve_id(graph, text, kinds=("call", "value"))
    if found["kind"] == "call":
        return {**target, "kind": "call", "label": f"CallNode {found['id']}", "call_hashes": [found["id"]]}
    task = next((task for task in tasks if task["task_hash"] == found["id"]), None)
    if task is not None:
        return {**target, "kind": "task", "label": f"Task {task['fullname']} {found['id'][:8]}",
                "task_hashes": [found["id"]]}
    value = resolve_value(graph, found["id"])
    kind = "file" if value.get("path") else "value"
    label = f"File {value['path']} {found['id'][:8]}" if value.get("path") else (
        f"Value {found['id']} ({value.get('type') or 'value'} {value.get('preview') or ''})".rstrip())
    return {**target, "kind": kind, "label": label, "value_hashes": [found["id"]]}


# impact -------------------------------------------------------------------------------


def impact(source: Any, target: str, max_depth: int = DEFAULT_IMPACT_DEPTH,
           limit: Optional[int] = DEFAULT_LIMIT) -> Dict[str, Any]:
    """Everything downstream of ``target`` (see :func:`resolve_target`), across executions.

    Downstream of a call: the calls that consumed its result (UPSTREAM), the call
    that called it (its result may be built from the child's), and calls of any
    execution that took its result value (or a value containing it) as an argument.
    The first level: the calls that took the target value as an argument, the
    calls of the target task, or the target call itself.

    Returns ``{"target", "summary", "calls", "more", "executions", "values", "files",
    "cache_entries"}``. ``summary`` counts everything reached (``calls``, ``values``,
    ``files``, ``executions``, ``cache_entries``, ``depth``, ``depth_limited``);
    ``calls`` is the tree, depth first, each call once, under the call that first
    reached it (``parent``, ``how``, ``depth``), cut to ``limit`` rows (``more``
    says how many were left out). ``cache_entries`` are the reached calls whose task
    hash is still the newest recorded for their task: a future run with unchanged
    code would be served them from the cache although they derive from the target.
    """
    if max_depth < 1:
        raise ExploreError("--max-depth must be at least 1")
    return _in_one_tx(source, lambda graph: _impact(graph, target, max_depth, limit))


def _impact_walk(graph: Graph, seeds: List[str], max_depth: int) -> Tuple[Dict[str, int], Dict[str, Dict[str, Any]]]:
    """Each call downstream of ``seeds`` (depth 1) with its smallest depth, up to ``max_depth + 1``,
    and what ``question_impact_reach`` says of it (task name and hash, UPSTREAM targets).

    Rounds of ``question_impact_reach``: a breadth-first walk over UPSTREAM and CHILD edges
    from the round's sources, which also names the calls that took a reached call's result
    by value; those that are new, or reached less deep than before, are the next round's
    sources (usually none or one more round). Depths are the levels of a breadth-first
    walk over all three kinds of edges.
    """
    best: Dict[str, int] = {call_hash: 1 for call_hash in seeds}
    info: Dict[str, Dict[str, Any]] = {}
    sources = [{"call_hash": call_hash, "depth": 1} for call_hash in seeds]
    while sources:
        found = graph.read_single("question_impact_reach", sources=sources, max_depth=max_depth)["calls"]
        for call_hash, depth, task_name, task_hash, ups, _ in found:
            info[call_hash] = {"task_name": task_name, "task_hash": task_hash, "ups": ups}
            if depth < best.get(call_hash, max_depth + 2):
                best[call_hash] = depth
        following: Dict[str, int] = {}
        for call_hash, depth, _, _, _, took in found:
            if depth != best[call_hash]:
                continue
            for target in took:
                if depth + 1 < min(best.get(target, max_depth + 2), following.get(target, max_depth + 2)):
                    following[target] = depth + 1
        best.update(following)
        sources = [{"call_hash": call_hash, "depth": depth} for call_hash, depth in following.items()]
        if sum(1 for depth in best.values() if depth <= max_depth) >= MAX_IMPACT_CALLS:
            break
    return best, info


def _impact(graph: Graph, target: str, max_depth: int, limit: Optional[int]) -> Dict[str, Any]:
    resolved = resolve_target(graph, target)
    seeds = graph.read("question_impact_seeds", value_hashes=resolved["value_hashes"],
                       task_hashes=resolved["task_hashes"], call_hashes=resolved["call_hashes"])
    seed_how: Dict[str, str] = {}
    for record in seeds:
        seed_how.setdefault(record["call_hash"], record["how"])
    best, walked = _impact_walk(graph, list(seed_how), max_depth)
    depths = {call_hash: depth for call_hash, depth in best.items() if depth <= max_depth and call_hash in walked}
    depth_limited = any(depth > max_depth for depth in best.values())
    if len(depths) > MAX_IMPACT_CALLS:  # whole levels, up to the first that reaches the cap
        per_level: Dict[int, int] = {}
        for depth in depths.values():
            per_level[depth] = per_level.get(depth, 0) + 1
        total, cut = 0, max(per_level)
        for level in sorted(per_level):
            total += per_level[level]
            if total >= MAX_IMPACT_CALLS:
                cut = level
                break
        depth_limited = depth_limited or any(depth > cut for depth in depths.values())
        depths = {call_hash: depth for call_hash, depth in depths.items() if depth <= cut}

    # The tree: each call under a call one level up that leads to it; 'consumed its result'
    # from the UPSTREAM targets the walk returned, the other ways in one more query.
    reached: Dict[str, Dict[str, Any]] = {}
    rest = []
    for call_hash, depth in depths.items():
        entry = {"depth": depth, "parent": None, "how": seed_how.get(call_hash),
                 "task_name": walked[call_hash]["task_name"], "task_hash": walked[call_hash]["task_hash"]}
        reached[call_hash] = entry
        if depth > 1:
            ups = [up for up in walked[call_hash]["ups"] if depths.get(up) == depth - 1]
            if ups:
                entry["parent"], entry["how"] = min(ups), "consumed its result"
            else:
                rest.append(call_hash)
    if rest:
        for call_hash, parent, how in graph.read_single("question_impact_parents", call_hashes=rest,
                                                        depths=depths)["calls"]:
            reached[call_hash]["parent"], reached[call_hash]["how"] = parent, how

    children: Dict[Optional[str], List[str]] = {}
    for call_hash, info in reached.items():
        children.setdefault(info["parent"], []).append(call_hash)
    for kids in children.values():
        kids.sort(key=lambda h: (reached[h]["task_name"] or "", h))
    order: List[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:  # depth first, each call under the call that leads to it
        call_hash = stack.pop()
        order.append(call_hash)
        stack.extend(reversed(children.get(call_hash, [])))

    shown_hashes = order if limit is None else order[: max(0, limit)]
    summary = graph.read_single("question_impact_summary", call_hashes=order,
                                start_values=resolved["value_hashes"], shown=shown_hashes,
                                task_names=sorted({c["task_name"] for c in reached.values() if c["task_name"]}))
    latest = dict(summary["latest"])
    cache_entries = [h for h in order if latest.get(reached[h]["task_name"]) == reached[h]["task_hash"]]
    facts = {row["call_hash"]: row for row in summary["rows"]}
    shown = []
    for call_hash in shown_hashes:
        info, fact = reached[call_hash], facts.get(call_hash, {})
        result = fact.get("result") or {}
        shown.append({
            "call_hash": call_hash, "task_name": info["task_name"], "depth": info["depth"],
            "parent": info["parent"], "how": info["how"], "timestamp": plain(fact.get("timestamp")),
            "result": {"value_hash": result.get("value_hash"), "type": result.get("type"),
                       "preview": result.get("preview")},
            "files": fact.get("files") or [], "executions": sorted(fact.get("executions") or []),
            "cache_entry": latest.get(info["task_name"]) == info["task_hash"],
        })
    files = sorted({(path, value_hash) for file_list in summary["file_lists"] for path, value_hash in file_list})
    values = sorted(summary["values"])
    executions = sorted(summary["executions"])
    return {
        "target": resolved,
        "summary": {
            "calls": len(order), "values": len(values), "files": len(files),
            "executions": len(executions), "cache_entries": len(cache_entries),
            "depth": max(depths.values(), default=0),
            "depth_limited": depth_limited,
        },
        "calls": shown,
        "more": len(order) - len(shown),
        "executions": executions,
        "values": values,
        "files": [{"path": path, "value_hash": value_hash} for path, value_hash in files],
        "cache_entries": cache_entries,
    }


# Comparing two calls (diff and why) ----------------------------------------------------


def _call_tree(graph: Graph, call_hash: str) -> Tuple[Dict[str, Dict[str, Any]], Dict[str, List[Tuple[int, str]]]]:
    """The recorded call tree under ``call_hash``: each call's task name, task hash and args
    hash, and each call's children as ``(call_order, call_hash)`` pairs (``question_call_tree``)."""
    members: Dict[str, Dict[str, Any]] = {}
    children: Dict[str, List[Tuple[int, str]]] = {}
    for record in graph.read("question_call_tree", call_hash=call_hash):
        members[record["call_hash"]] = {"call_hash": record["call_hash"], "task_name": record["task_name"],
                                        "task_hash": record["task_hash"], "args_hash": record["args_hash"]}
        if record["children"]:
            children[record["call_hash"]] = [(order or 0, child) for order, child in record["children"]]
    return members, children


def _call_details(graph: Graph, call_hashes: Iterable[str]) -> Dict[str, Dict[str, Any]]:
    hashes = list(dict.fromkeys(call_hashes))
    if not hashes:
        return {}
    return {record["call_hash"]: plain(record.data())
            for record in graph.read("question_call_details", call_hashes=hashes)}


def _arg_name(arg: Dict[str, Any]) -> str:
    return arg["key"] if arg.get("key") is not None else f"arg{arg.get('position')}"


def _arg_text(arg: Optional[Dict[str, Any]]) -> Optional[str]:
    if not arg:
        return None
    if arg.get("path"):
        return f"File {arg['path']} ({_short(arg.get('value_hash'))})"
    return arg.get("preview") or f"{arg.get('type') or 'value'} {_short(arg.get('value_hash'))}"


def _source_diff(graph: Graph, old_hash: str, new_hash: str) -> Tuple[Optional[str], Optional[str]]:
    sources = {record["task_hash"]: record for record in
               graph.read("question_task_sources", task_hashes=[old_hash, new_hash])}
    old, new = sources.get(old_hash), sources.get(new_hash)
    if not old or not new or old["source"] is None or new["source"] is None:
        return None, None
    text = "".join(difflib.unified_diff(
        old["source"].splitlines(keepends=True), new["source"].splitlines(keepends=True),
        fromfile=f"{old['fullname']} {old_hash[:8]}", tofile=f"{new['fullname']} {new_hash[:8]}",
    ))
    return text, new["fullname"]


def _compare(graph: Graph, old: Dict[str, Any], new: Dict[str, Any],
             changed_upstream: Optional[Dict[str, Dict[str, Any]]] = None,
             sources: Optional[Dict[Tuple[str, str], Tuple[Optional[str], Optional[str]]]] = None,
             ) -> List[Dict[str, Any]]:
    """Why call ``new`` is not call ``old``: a list of reasons (empty when they are the same).

    Reasons: ``code`` (task hash and source diff), ``argument`` (an argument's value
    differs; old and new preview), ``upstream`` (that argument came from a call that
    itself changed; named), ``below`` (same task and arguments, but the calls below or
    the result differ: a task in the subtree changed or a result was not reusable).
    ``changed_upstream`` maps a call hash of the new side to a short description of
    the change, when known (diff); otherwise any upstream call of a changed argument
    is named. ``sources`` caches source diffs by (old, new) task hash across calls.
    """
    if old["call_hash"] == new["call_hash"]:
        return []
    reasons: List[Dict[str, Any]] = []
    if old["task_hash"] != new["task_hash"]:
        pair = (old["task_hash"], new["task_hash"])
        if sources is None or pair not in sources:
            found = _source_diff(graph, *pair)
            if sources is None:
                sources = {}
            sources[pair] = found
        source_diff, _ = sources[pair]
        reasons.append({"reason": "code", "old_task_hash": old["task_hash"],
                        "new_task_hash": new["task_hash"], "source_diff": source_diff})
    if old["args_hash"] != new["args_hash"]:
        old_args = {(arg.get("position"), arg.get("key")): arg for arg in old["args"]}
        new_args = {(arg.get("position"), arg.get("key")): arg for arg in new["args"]}
        keys = sorted(set(old_args) | set(new_args), key=lambda k: (k[0] if k[0] is not None else 1 << 30, k[1] or ""))
        for key in keys:
            a, b = old_args.get(key), new_args.get(key)
            if a and b and a["value_hash"] == b["value_hash"]:
                continue
            name = _arg_name(b or a or {})
            ups = (b or {}).get("upstream") or []
            changed_ups = [up for up in ups if changed_upstream is None or up in changed_upstream]
            if changed_ups:
                names = [(changed_upstream or {}).get(up, {}).get("task_name") for up in changed_ups]
                reasons.append({"reason": "upstream", "argument": name, "old": _arg_text(a), "new": _arg_text(b),
                                "upstream": [{"call_hash": up, "task_name": n} for up, n in zip(changed_ups, names)]})
            else:
                reasons.append({"reason": "argument", "argument": name, "old": _arg_text(a), "new": _arg_text(b)})
        if not reasons or all(r["reason"] == "code" for r in reasons):
            reasons.append({"reason": "argument", "argument": None, "old": old["args_hash"], "new": new["args_hash"]})
    if not reasons:
        old_tasks = {t["hash"]: t["fullname"] for t in old.get("subtree_tasks") or []}
        new_tasks = {t["hash"]: t["fullname"] for t in new.get("subtree_tasks") or []}
        changed = sorted({new_tasks[h] for h in set(new_tasks) - set(old_tasks)} |
                         {old_tasks[h] for h in set(old_tasks) - set(new_tasks)})
        reasons.append({"reason": "below", "changed_subtree_tasks": changed,
                        "old_result": _arg_text(old.get("result")), "new_result": _arg_text(new.get("result"))})
    return reasons


def _reason_text(reason: Dict[str, Any]) -> str:
    kind = reason["reason"]
    if kind == "code":
        return f"task code changed ({_short(reason['old_task_hash'])} -> {_short(reason['new_task_hash'])})"
    if kind == "argument":
        if reason.get("argument") is None:
            return "arguments changed"
        return f"argument {reason['argument']} changed ({reason['old']} -> {reason['new']})"
    if kind == "upstream":
        names = ", ".join(f"{up.get('task_name') or '?'} {_short(up['call_hash'])}" for up in reason["upstream"])
        return f"argument {reason['argument']} comes from changed upstream {names}"
    if kind == "below":
        tasks = ", ".join(reason.get("changed_subtree_tasks") or [])
        return "same task and arguments; the calls below changed" + (f" (tasks {tasks})" if tasks else "")
    return kind


# diff ---------------------------------------------------------------------------------


def _execution_tree(graph: Graph, text: str, with_jobs: bool = True) -> Dict[str, Any]:
    """An execution's call tree: ``calls`` (call hash -> task name, task hash, args hash),
    ``children`` in call order and, ``with_jobs``, the execution's jobs by call hash."""
    execution_id = resolve_id(graph, text, kinds=("execution",))["id"]
    root = graph.read_one("question_execution_root", execution_id=execution_id)
    if root is None or not root["call_hash"]:
        raise ExploreError(f"execution {execution_id} has no recorded call tree (its root job did not finish)")
    members, children = _call_tree(graph, root["call_hash"])
    jobs: Dict[str, List[Dict[str, Any]]] = {}
    if with_jobs:
        for record in graph.read("question_diff_jobs", execution_id=execution_id):
            jobs[record["call_hash"]] = [{"id": id_, "cached": cached, "status": status}
                                         for id_, cached, status in record["jobs"]]
    return {
        "id": execution_id, "start_time": plain(root["start_time"]), "task_name": root["task_name"],
        "root": root["call_hash"],
        "children": {key: [h for _, h in sorted(value)] for key, value in children.items()},
        "calls": members, "jobs": jobs,
    }


def _align_children(a_kids: List[str], b_kids: List[str], a_det, b_det) -> Tuple[List[Tuple[str, str]], List[str], List[str]]:
    """Pairs of (a, b) children: same call, then same task and args, then same task by position.

    In each pass every B child, in call order, takes the first A child left with the same key.
    """
    pairs: List[Tuple[str, str]] = []
    left_a, left_b = list(a_kids), list(b_kids)
    for key_a, key_b in (
        (lambda x: x, lambda y: y),
        (lambda x: (a_det[x]["task_name"], a_det[x]["args_hash"]),
         lambda y: (b_det[y]["task_name"], b_det[y]["args_hash"])),
        (lambda x: a_det[x]["task_name"], lambda y: b_det[y]["task_name"]),
    ):
        waiting: Dict[Any, List[int]] = {}
        for index in range(len(left_a) - 1, -1, -1):  # reversed: pop() gives the first
            waiting.setdefault(key_a(left_a[index]), []).append(index)
        taken: Set[int] = set()
        unmatched_b = []
        for y in left_b:
            candidates = waiting.get(key_b(y))
            if candidates:
                index = candidates.pop()
                taken.add(index)
                pairs.append((left_a[index], y))
            else:
                unmatched_b.append(y)
        left_a = [x for index, x in enumerate(left_a) if index not in taken]
        left_b = unmatched_b
    order = {h: i for i, h in enumerate(b_kids)}
    pairs.sort(key=lambda pair: order[pair[1]])
    return pairs, left_a, left_b


def diff(source: Any, execution_a: str, execution_b: str, limit: Optional[int] = None) -> Dict[str, Any]:
    """Compare execution ``execution_b`` with ``execution_a`` (ids or unique prefixes), call by call.

    The call trees are aligned from their roots: children of aligned calls are
    paired by identical call, then by task name and arguments, then by task name in
    call order. Every entry: ``status`` (``reused``: the same call, served from the
    cache or inside a cached call; ``same``: the same call, run again; ``rerun``:
    the call differs; ``added``; ``removed``), ``reasons`` (see ``_compare``: code,
    argument, upstream, below), the two call hashes, ``depth`` and B's jobs for the
    call. ``summary`` counts them and ``first_divergences`` lists the root causes
    (code and argument changes) in tree order; ``text`` says it in one paragraph.
    """
    return _in_one_tx(source, lambda graph: _diff(graph, execution_a, execution_b, limit))


def _diff(graph: Graph, execution_a: str, execution_b: str, limit: Optional[int]) -> Dict[str, Any]:
    a, b = _execution_tree(graph, execution_a, with_jobs=False), _execution_tree(graph, execution_b)
    entries: List[Dict[str, Any]] = []
    changed: Dict[str, Dict[str, Any]] = {}  # B call hash -> entry, for calls that differ
    seen_b = set()

    def b_jobs(call_hash: str) -> List[Dict[str, Any]]:
        return [{"id": job["id"], "cached": job["cached"], "status": job["status"]} for job in b["jobs"].get(call_hash, [])]

    def add_subtree(side: Dict[str, Any], call_hash: str, status: str, depth: int, seen: set,
                    top: bool = False) -> None:
        if call_hash in seen:
            return
        seen.add(call_hash)
        det = side["calls"][call_hash]
        entry = {"status": status, "task_name": det["task_name"], "depth": depth, "top": top,
                 "a_call": call_hash if status == "removed" else None,
                 "b_call": call_hash if status != "removed" else None,
                 "reasons": [], "jobs": b_jobs(call_hash) if status != "removed" else []}
        entries.append(entry)
        if status == "added":
            changed[call_hash] = entry
        for kid in side["children"].get(call_hash, []):
            add_subtree(side, kid, status, depth + 1, seen)

    def same_subtree(call_hash: str, depth: int, under_cached: bool) -> None:
        if call_hash in seen_b:
            return
        seen_b.add(call_hash)
        jobs = b_jobs(call_hash)
        cached = under_cached or not jobs or any(job["cached"] for job in jobs)
        entries.append({"status": "reused" if cached else "same", "task_name": b["calls"][call_hash]["task_name"],
                        "depth": depth, "a_call": call_hash, "b_call": call_hash, "reasons": [], "jobs": jobs})
        for kid in b["children"].get(call_hash, []):
            same_subtree(kid, depth + 1, cached)

    def visit(x: str, y: str, depth: int) -> None:
        if x == y:
            same_subtree(y, depth, False)
            return
        if y in seen_b:
            return
        seen_b.add(y)
        entry = {"status": "rerun", "task_name": b["calls"][y]["task_name"], "depth": depth,
                 "a_call": x, "b_call": y, "reasons": [], "jobs": b_jobs(y)}
        changed[y] = entry
        entries.append(entry)
        pairs, removed, added = _align_children(a["children"].get(x, []), b["children"].get(y, []), a["calls"], b["calls"])
        # Children first (in B's call order), so a child's upstream siblings are classified before it.
        for kid_a, kid_b in pairs:
            visit(kid_a, kid_b, depth + 1)
        for kid in removed:
            add_subtree(a, kid, "removed", depth + 1, set(), top=True)
        for kid in added:
            add_subtree(b, kid, "added", depth + 1, seen_b, top=True)

    visit(a["root"], b["root"], 0)
    # Reasons once every changed call is known (an argument's upstream may come later in the walk);
    # the arguments, results and subtree tasks of the changed pairs only, in one query.
    reruns = [entry for entry in entries if entry["status"] == "rerun"]
    details = _call_details(graph, [h for entry in reruns for h in (entry["a_call"], entry["b_call"])])
    sources: Dict[Tuple[str, str], Tuple[Optional[str], Optional[str]]] = {}
    for entry in reruns:
        entry["reasons"] = _compare(graph, details[entry["a_call"]], details[entry["b_call"]],
                                    changed_upstream=changed, sources=sources)
        if any(job["cached"] for job in entry["jobs"]) and all(r["reason"] == "below" for r in entry["reasons"]):
            entry["status"] = "reused"
    counts = {status: 0 for status in ("reused", "same", "rerun", "added", "removed")}
    causes = {"code": 0, "argument": 0, "upstream": 0, "below": 0}
    for entry in entries:
        counts[entry["status"]] += 1
        for kind in {r["reason"] for r in entry["reasons"]}:
            causes[kind] += 1
    first = [
        {"task_name": entry["task_name"], "b_call": entry["b_call"], "a_call": entry["a_call"],
         "reasons": [r for r in entry["reasons"] if r["reason"] in ("code", "argument")]}
        for entry in entries if any(r["reason"] in ("code", "argument") for r in entry["reasons"])
    ]
    first += [{"task_name": e["task_name"], "b_call": e["b_call"], "a_call": e["a_call"],
               "reasons": [{"reason": e["status"]}]} for e in entries if e.get("top")]
    text = _diff_paragraph(a, b, counts, causes, first)
    shown = entries if limit is None else entries[:limit]
    return {
        "a": {"id": a["id"], "start_time": a["start_time"], "task_name": a["task_name"], "root_call": a["root"]},
        "b": {"id": b["id"], "start_time": b["start_time"], "task_name": b["task_name"], "root_call": b["root"]},
        "summary": {**counts, "causes": causes, "calls": len(entries)},
        "first_divergences": first,
        "text": text,
        "entries": shown,
        "more": len(entries) - len(shown),
    }


def _diff_paragraph(a, b, counts, causes, first) -> str:
    head = (f"Execution {_short(b['id'])} against {_short(a['id'])}: {sum(counts.values())} calls; "
            f"{counts['reused']} reused from the cache, {counts['same']} ran again unchanged, "
            f"{counts['rerun']} differ ({causes['code']} task code changed, {causes['argument']} arguments "
            f"changed, {causes['upstream']} upstream changed, {causes['below']} changed below), "
            f"{counts['added']} added, {counts['removed']} removed.")
    if not first:
        return head + " The two call trees are the same." if not counts["rerun"] else head
    parts = []
    for item in first[:3]:
        reasons = "; ".join(_reason_text(r) if r["reason"] not in ("added", "removed") else r["reason"]
                            for r in item["reasons"])
        parts.append(f"{item['task_name']} ({reasons})")
    more = f", and {len(first) - 3} more" if len(first) > 3 else ""
    return head + " First divergences: " + "; ".join(parts) + more + "."


# why ----------------------------------------------------------------------------------


def why(source: Any, text: str) -> Dict[str, Any]:
    """Why a job ran instead of being served from the cache, or why it was served.

    ``text`` is a job id or a call hash (or a unique start of one). For a job served
    from the cache: the call it was served and the job and execution that first ran
    it. Otherwise: the newest earlier call of the same task (preferring one on the
    same arguments, then one of the same task hash, as redun's
    ``explain_cache_miss``) and what differs (the reasons of :func:`diff`).
    ``redun_reason`` is redun's word for the same lookup: ``new_task``,
    ``new_args`` or ``new_call``.
    """
    return _in_one_tx(source, lambda graph: _why(graph, text))


def _why(graph: Graph, text: str) -> Dict[str, Any]:
    found = resolve_id(graph, text, kinds=("job", "call"))
    job = None
    if found["kind"] == "job":
        job = graph.read_single("question_job", id=found["id"])
        if not job["call_hash"]:
            raise ExploreError(f"job {found['id']} recorded no call (status {job['status']}): nothing to explain")
        call_hash, before = job["call_hash"], job["start_time"]
    else:
        call_hash = found["id"]
        before = None
    details = _call_details(graph, [call_hash])[call_hash]
    result: Dict[str, Any] = {
        "kind": found["kind"], "id": found["id"], "call_hash": call_hash, "task_name": details["task_name"],
        "task_hash": details["task_hash"], "args_hash": details["args_hash"],
        "job": plain(job.data()) if job else None,
    }
    origin = plain(graph.read_single("question_call_origin", call_hash=call_hash).data())
    if before is None:
        before = graph.read_single("question_call_facts", call_hashes=[call_hash])["timestamp"]
    previous = graph.read_one("question_why_previous", task_name=details["task_name"], before=before,
                              call_hash=call_hash, args_hash=details["args_hash"], task_hash=details["task_hash"])
    if job is not None and job["cached"]:
        served, served_origin, reasons = call_hash, origin, []
        if not origin["job_id"] and previous is not None and previous["same_call"]:
            # redun's evaluation cache served the job; the call recorded now differs below.
            served = previous["same_call"]
            served_origin = plain(graph.read_single("question_call_origin", call_hash=served).data())
            reasons = _compare(graph, _call_details(graph, [served])[served], details)
        text = (f"Job {_short(job['id'])} ({details['task_name']}) was served from the cache: the same task "
                f"code and arguments as call {_short(served)}, first run by job {_short(served_origin['job_id'])} "
                f"in execution {_short(served_origin['execution_id'])} "
                f"({(served_origin['start_time'] or '')[:19].replace('T', ' ')}).")
        if reasons:
            text += " Its result is evaluated again, and " + "; ".join(_reason_text(r) for r in reasons) + "."
        result.update({"outcome": "cached", "previous_call": served, "reasons": reasons, "redun_reason": None,
                       "origin": served_origin, "text": text})
        return result
    previous_hash = None
    redun_reason: Optional[str] = "new_call"
    if previous is not None:
        if previous["same_args"]:
            previous_hash, redun_reason = previous["same_args"], "new_task"
        elif previous["same_task"]:
            previous_hash, redun_reason = previous["same_task"], "new_args"
        elif previous["latest"]:
            previous_hash = previous["latest"]
    result["outcome"] = "ran"
    result["origin"] = origin
    result["previous_call"] = previous_hash
    if previous_hash is None:
        result.update({"reasons": [], "redun_reason": "new_call",
                       "text": f"{details['task_name']} ran: no earlier call of this task was recorded "
                               f"(a new task, never run before)."})
        return result
    prev = _call_details(graph, [previous_hash])[previous_hash]
    reasons = _compare(graph, prev, details)
    if redun_reason == "new_task" and prev["task_hash"] == details["task_hash"]:
        redun_reason = None  # same task and args: redun's explain_cache_miss would find a hit
    result["reasons"] = reasons
    result["redun_reason"] = redun_reason
    result["previous"] = {"call_hash": previous_hash, "timestamp": prev["timestamp"], "task_hash": prev["task_hash"]}
    result["text"] = (f"{details['task_name']} ran (call {_short(call_hash)}) instead of reusing the newest "
                      f"earlier call {_short(previous_hash)} ({(prev['timestamp'] or '')[:19].replace('T', ' ')}): "
                      + "; ".join(_reason_text(r) for r in reasons) + ".")
    return result


# plan ---------------------------------------------------------------------------------


def _import_workflow(module: str):
    from redun.cli import import_script

    try:
        return import_script(module)
    except SystemExit as error:
        raise ExploreError(f"cannot import workflow module {module!r}: it exited ({error.code})") from None
    except BaseException as error:  # noqa: BLE001 - any import failure is the user's module's
        if isinstance(error, KeyboardInterrupt):
            raise
        raise ExploreError(f"cannot import workflow module {module!r}: {type(error).__name__}: {error}") from None


def _current_file_hash(path: str) -> Optional[str]:
    from redun import File

    try:
        return File(path).hash
    except Exception:  # noqa: BLE001 - unreadable means "changed"
        return None


def plan(source: Any, module: str, task_name: str, args: Sequence[Any] = (),
         kwargs: Optional[Dict[str, Any]] = None, cli_args: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """What would rerun if ``task_name`` of workflow ``module`` ran now on these arguments.

    Imports ``module`` (a file path or a dotted module name, as ``redun run``),
    takes the task (a short name is put in the module's ``redun_namespace``), hashes
    the arguments as redun does (``cli_args`` parsed like ``redun run``'s task
    options, or ``args``/``kwargs``), then walks the newest recorded call tree of that
    task on those arguments and, for each recorded call, asks what redun's cache
    check would find with the *current* task hashes: the evaluation cache (default
    ``check_valid="full"``; a hit's children are then checked one by one) or the
    call cache (``check_valid="shallow"``; a hit skips the whole subtree), a hit
    being unusable when a File in its result changed on disk.

    Each call: ``outcome`` ``cached``, ``run``, ``skipped`` (inside a call served
    whole from the cache) or ``unknown`` (an argument comes from a call that reruns:
    cached only if that call returns the same value), ``why`` and ``depth``.
    ``stops`` says where the prediction ends: arguments never seen (the task runs,
    nothing below can be predicted), calls whose arguments are not known yet,
    tasks no longer defined. Reads only.
    """
    from redun.cli import get_task_arg_parser
    from redun.hashing import hash_struct
    from redun.scheduler import set_arg_defaults
    from redun.task import get_task_registry, hash_args_eval
    from redun.value import get_type_registry

    graph = _graph(source)
    workflow = _import_workflow(module)
    if "." in task_name or not hasattr(workflow, "redun_namespace"):
        fullname = task_name
    else:
        fullname = f"{workflow.redun_namespace}.{task_name}"
    registry = get_task_registry()
    task = registry.get(fullname)
    if task is None:
        raise ExploreError(f"no task {fullname!r} in workflow module {module!r}")
    call_kwargs = dict(kwargs or {})
    if cli_args:
        parser, cli2arg = get_task_arg_parser(task, include_defaults=False)
        try:
            parsed = parser.parse_args(list(cli_args))
        except SystemExit:
            raise ExploreError(f"bad arguments for task {fullname}: {' '.join(cli_args)} "
                               f"(see `redun run {module} {task_name} help`)") from None
        for dest, name in cli2arg.items():
            value = getattr(parsed, dest)
            if value is not None:
                call_kwargs[name] = value
    # The scheduler adds the signature's defaults as keyword arguments before hashing.
    call_args, call_kwargs = set_arg_defaults(task, tuple(args), call_kwargs)
    eval_hash, args_hash = hash_args_eval(get_type_registry(), task, tuple(call_args), call_kwargs)
    current = {t.fullname: t for t in registry}
    current_hashes = sorted(registry.task_hashes)
    base = {"module": module, "task_name": fullname, "task_hash": task.hash, "args_hash": args_hash}

    root = graph.read_one("question_plan_root", task_name=fullname, args_hash=args_hash)
    if root is None:
        return {**base, "root_call": None,
                "calls": [{"task_name": fullname, "call_hash": None, "depth": 0, "outcome": "run",
                           "why": "never run on these arguments"}],
                "summary": {"run": 1, "cached": 0, "skipped": 0, "unknown": 0},
                "stops": [f"{fullname} was never recorded on these arguments (args hash {args_hash[:8]}): "
                          f"it runs, and what it calls cannot be predicted from the history"]}

    members, children = _call_tree(graph, root["call_hash"])
    details = _call_details(graph, members)
    checks = []
    for call_hash, det in details.items():
        now = current.get(det["task_name"])
        if now is None:
            continue
        checks.append({"key": call_hash, "task_hash": now.hash, "args_hash": det["args_hash"],
                       "eval_hash": hash_struct(["Eval", now.hash, det["args_hash"]])})
    found = {record["key"]: plain(record.data())
             for record in graph.read("question_plan_cache", checks=checks, task_hashes=current_hashes)}

    calls: List[Dict[str, Any]] = []
    outcome_of: Dict[str, str] = {}
    stops: List[str] = []

    def changed_files(hit: Optional[Dict[str, Any]]) -> List[str]:
        return [f["path"] for f in (hit or {}).get("files") or [] if _current_file_hash(f["path"]) != f["value_hash"]]

    def predict(call_hash: str, depth: int, skipped: bool, parent_code_changed: bool) -> None:
        if call_hash in outcome_of:
            return
        det = details[call_hash]
        now = current.get(det["task_name"])
        entry = {"task_name": det["task_name"], "call_hash": call_hash, "args_hash": det["args_hash"],
                 "depth": depth, "recorded_task_hash": det["task_hash"],
                 "current_task_hash": now.hash if now else None}
        if parent_code_changed:
            entry["assumes"] = "the changed parent makes the same calls as before"
        if skipped:
            entry.update(outcome="skipped", why="inside a call served whole from the cache")
        elif now is None:
            entry.update(outcome="unknown", why="the task is no longer defined in the workflow")
            stops.append(f"{det['task_name']} is no longer defined: its call and what it calls cannot be predicted")
        else:
            mode = str(now.get_task_option("check_valid", "full"))
            mode = "shallow" if "shallow" in mode.lower() else "full"
            hit = found.get(call_hash, {})
            cache_hit = hit.get("ultimate") if mode == "shallow" else None
            kind = "call cache" if cache_hit else None
            if cache_hit is None:
                cache_hit, kind = hit.get("evaluation"), "evaluation cache"
            stale = changed_files(cache_hit) if cache_hit else []
            if cache_hit and not stale:
                outcome, reason = "cached", f"{kind} hit"
            elif cache_hit:
                outcome, reason = "run", "a File in its cached result changed: " + ", ".join(stale)
            elif now.hash != det["task_hash"]:
                outcome, reason = "run", f"task code changed ({det['task_hash'][:8]} -> {now.hash[:8]})"
            else:
                outcome, reason = "run", "no cache entry for the current code on these arguments"
            entry.update(outcome=outcome, why=reason, check_valid=mode)
        outcome_of[call_hash] = entry["outcome"]
        calls.append(entry)
        kids = [h for _, h in sorted(children.get(call_hash, []))]
        skip_kids = skipped or (entry["outcome"] == "cached" and entry.get("check_valid") == "shallow")
        code_changed = bool(now and now.hash != det["task_hash"] and entry["outcome"] == "run")
        for kid in kids:
            predict(kid, depth + 1, skip_kids, parent_code_changed or code_changed)

    predict(root["call_hash"], 0, False, False)
    # A cached prediction holds only if its arguments come out as before: when one comes
    # from a call that reruns (or is itself unknown), the call's fate is not known yet.
    by_hash = {call["call_hash"]: call for call in calls}
    changed = True
    while changed:
        changed = False
        for call in calls:
            if call["outcome"] != "cached":
                continue
            det = details[call["call_hash"]]
            ups = sorted({details[up]["task_name"] for arg in det["args"] for up in arg["upstream"]
                          if up in by_hash and by_hash[up]["outcome"] in ("run", "unknown")})
            if ups:
                call["outcome"] = "unknown"
                call["why"] = f"cached only if {', '.join(ups)} returns the same value as before"
                stops.append(f"{call['task_name']} {call['call_hash'][:8]}: its arguments are not known "
                             f"until {', '.join(ups)} reruns")
                changed = True
    summary = {key: sum(1 for call in calls if call["outcome"] == key) for key in ("run", "cached", "skipped", "unknown")}
    return {**base, "root_call": root["call_hash"], "calls": calls, "summary": summary, "stops": stops}


# task-level view ----------------------------------------------------------------------


def task_graph(source: Any, execution: Optional[str] = None) -> Dict[str, Any]:
    """Tasks as nodes, with ``calls`` and ``feeds`` edges aggregated from recorded calls.

    ``calls``: a call of the source task made a call of the target task (CHILD);
    ``feeds``: a result of the source task became an argument of the target task
    (UPSTREAM). Each edge has ``count`` (recorded CallNode edges) and ``last_seen``;
    each task ``calls`` (recorded CallNodes), ``versions`` (task hashes) and
    ``last_seen``. Over one execution's call tree (id or unique prefix) or, when
    ``execution`` is None, the whole history.
    """
    graph = _graph(source)
    scope = None
    scope_id = None
    if execution:
        tree = _execution_tree(graph, execution, with_jobs=False)
        scope, scope_id = sorted(tree["calls"]), tree["id"]
    tasks = [plain(record.data()) for record in graph.read("question_task_graph_tasks", call_hashes=scope)]
    edges = [plain(record.data()) for record in graph.read("question_task_graph", call_hashes=scope)]
    return {"execution": scope_id, "tasks": tasks, "edges": edges}


def write_task_graph_html(source: Any, execution: Optional[str], output) -> Tuple[Any, Dict[str, Any]]:
    """Write the task-level view as a self-contained HTML page (``graphbackend viz --tasks``).

    Returns the path written and ``{"execution", "tasks", "edges"}`` counts.
    """
    from pathlib import Path

    from . import viz as _viz

    data = task_graph(source, execution)
    if not data["tasks"]:
        raise ExploreError("no calls recorded" + (f" in execution {data['execution']}" if data["execution"] else "")
                           + ": nothing to draw")
    colours = _viz.node_colours(["Task"])
    nodes = [{
        "id": task["task_name"], "label": (task["task_name"] or "?").split(".")[-1],
        "title": f"{task['task_name']}\n{task['calls']} calls, {task['versions']} version(s)\n"
                 f"last seen {(task['last_seen'] or '')[:19]}",
        "shape": "box", "group": "Task",
        "color": {"background": colours["background"], "border": colours["border"]},
        "font": {"color": colours["font"], "size": 14},
    } for task in data["tasks"]]
    edges = [{
        "from": edge["source"], "to": edge["target"], "label": f"{edge['kind']} x{edge['count']}",
        "title": f"{edge['kind']}: {edge['count']} recorded, last {(edge['last_seen'] or '')[:19]}",
        "color": _viz.edge_colour("CHILD" if edge["kind"] == "calls" else "UPSTREAM"),
        "dashes": edge["kind"] == "feeds", "width": 1 + min(5, edge["count"] ** 0.5),
    } for edge in data["edges"]]
    heading = "Task-level view" + (f": execution {data['execution']}" if data["execution"] else ": whole history")
    page = _viz.render_html({"nodes": nodes, "edges": edges}, heading,
                            "tasks as nodes; solid: calls, dashed: feeds (a result became an argument)")
    path = Path(output)
    path.write_text(page, encoding="utf-8")
    return path, {"execution": data["execution"], "tasks": len(nodes), "edges": len(edges)}
