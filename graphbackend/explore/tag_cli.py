"""``graphbackend tag add|update|rm|list``: redun's tag commands on the graph.

Same syntax and meanings as ``redun tag``:

- ``tag add ID... key=value...``: add tags (a tag recorded before and since removed is
  recorded again as current);
- ``tag update ID... key=value...``: replace the entity's current tags with those keys
  (the new tags supersede the old: the history is kept, ``SUPERSEDES``);
- ``tag rm ID... [--] key[=value]...``: delete tags (by key, or key and value); the
  deletion is recorded as redun does, superseding the deleted tags;
- ``tag list``: tag keys with counts per entity type; ``--values``: per key and value;
  ``tag list key[=value]...``: the tagged records (as ``graphbackend log --all --tag ...``).

``ID`` is an execution, job, call node, task or value id or its unique start, ``-`` (the
latest execution) or ``~N``. Writes go through the backend's public ``record_tags`` and
``delete_tags``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from typing import Any, Dict, List, Optional, TextIO, Tuple

from redun.backends.base import TagEntity
from redun.tags import ANY_VALUE, format_tag_key_value, parse_tag_key_value

from ..backend.convert import decode_json, encode_json
from ..errors import ExploreError
from . import cli as _cli
from . import log_query as _log
from . import queries as _explore

ENTITY_TYPES = {
    "execution": TagEntity.Execution,
    "job": TagEntity.Job,
    "call": TagEntity.CallNode,
    "task": TagEntity.Task,
    "value": TagEntity.Value,
}


def resolve_entity(graph, text: str) -> Tuple[str, TagEntity]:
    """(full id, entity type) of the record ``text`` names (a unique id start, ``-``, ``~N``)."""
    text = (text or "").strip()
    if text == "-" or text.startswith("~"):
        return _log.resolve_execution(graph, text), TagEntity.Execution
    found = _explore.resolve_id(graph, text)
    return found["id"], ENTITY_TYPES[found["kind"]]


def _split(extra: List[str], allow_separator: bool = False) -> Tuple[List[str], List[str]]:
    """redun's parsing: entity ids up to the first ``key=value`` (or ``--`` for rm)."""
    index = 0
    ids = []
    while index < len(extra) and "=" not in extra[index] and not (allow_separator and extra[index] == "--"):
        ids.append(extra[index])
        index += 1
    if allow_separator and index < len(extra) and extra[index] == "--":
        index += 1
    return ids, extra[index:]


def _take_options(args: argparse.Namespace, items: List[str]) -> List[str]:
    """Options written after the ids and tags (argparse leaves them in the remainder)."""
    rest = []
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--dry-run":
            args.dry_run = True
        elif item in ("--uri", "--user", "--database") and index + 1 < len(items):
            setattr(args, item[2:], items[index + 1])
            index += 1
        elif item.split("=", 1)[0] in ("--uri", "--user", "--database"):
            name, value = item.split("=", 1)
            setattr(args, name[2:], value)
        else:
            rest.append(item)
        index += 1
    return rest


def _key_values(texts: List[str], value_required: bool) -> List[Tuple[str, Any]]:
    pairs = []
    for text in texts:
        try:
            pairs.append(parse_tag_key_value(text, value_required=value_required))
        except ValueError as error:
            raise ExploreError(f"bad tag {text!r}: {error}") from None
    return pairs


def _pairs_text(pairs: List[Tuple[str, Any]]) -> str:
    return " ".join(f"{key}={json.dumps(value)}" for key, value in pairs)


def _resolve_all(args: argparse.Namespace, ids: List[str]) -> List[Tuple[str, TagEntity]]:
    graph = _cli.open_graph(args)
    try:
        return [resolve_entity(graph, text) for text in ids]
    finally:
        graph.close()


def tag_write_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``tag add`` / ``tag update`` / ``tag rm``."""
    out = out or sys.stdout
    verb = args.tag_verb
    items = _take_options(args, list(args.items))
    ids, rest = _split(items, allow_separator=(verb == "rm"))
    if not ids:
        raise ExploreError(f"tag {verb}: give at least one execution, job, call node, task or value id")
    if verb == "rm":
        pairs = _key_values(rest, value_required=False)
        keys = [key for key, value in pairs if value is ANY_VALUE]
        pairs = [(key, value) for key, value in pairs if value is not ANY_VALUE]
        if not pairs and not keys:
            raise ExploreError("tag rm: give the tags to delete (key or key=value)")
    else:
        pairs = _key_values(rest, value_required=True)
        if not pairs:
            raise ExploreError(f"tag {verb}: give at least one key=value")
    entities = _resolve_all(args, ids)  # every id checked before anything is written
    if args.dry_run:
        for full_id, entity_type in entities:
            shown = pairs + [(key, "*") for key in (keys if verb == "rm" else [])]
            print(f"would {verb} tag {entity_type.name}:{full_id} {_pairs_text(shown)}", file=out)
        return 0
    backend = _cli.open_backend(args)
    try:
        for full_id, entity_type in entities:
            if verb == "add":
                backend.record_tags(entity_type, full_id, pairs, new=True)
                print(f"add tag {entity_type.name}:{full_id} {_pairs_text(pairs)}", file=out)
            elif verb == "update":
                backend.record_tags(entity_type, full_id, pairs, update=True)
                print(f"update tag {entity_type.name}:{full_id} {_pairs_text(pairs)}", file=out)
            else:
                backend.delete_tags(full_id, pairs, keys)
                shown = pairs + [(key, "*") for key in keys]
                print(f"delete tag {entity_type.name}:{full_id} {_pairs_text(shown)}", file=out)
    finally:
        backend.close()
    return 0


def tag_counts(graph, filters: List[str], by_value: bool) -> List[Dict[str, Any]]:
    """Current tags counted per key (and value) and entity type (``tag list``)."""
    params = []
    for key, value in _key_values(filters, value_required=False):
        params.append({"key": key, "value": None if value is ANY_VALUE else encode_json(value)})
    return [_explore.plain(record.data())
            for record in graph.read("explore_tag_counts", by_value=by_value, filters=params)]


def tag_list_command(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    """``tag list [--values] [key[=value]...]``."""
    out = out or sys.stdout
    if args.filters and not args.values:
        # Search by tags: the tagged records, as redun (log --all --tag ...).
        log_args = _cli.build_log_namespace(args, ["--all"] + [part for tag in args.filters for part in ("--tag", tag)])
        return _cli.log_command(log_args, out)
    graph = _cli.open_graph(args)
    try:
        rows = tag_counts(graph, args.filters or [], by_value=args.values)
    finally:
        graph.close()
    if args.json:
        for row in rows:
            if args.values:
                row["value"] = decode_json(row["value"])
            else:
                row.pop("value", None)
            _cli._dump_json_line(row, out)
        return 0
    grouped: Dict[Tuple[str, Optional[str]], List[Tuple[str, int]]] = defaultdict(list)
    for row in rows:
        grouped[(row["key"], row["value"])].append((row["entity_type"], row["count"]))
    print("Tags:", file=out)
    for (key, value), counts in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        counts_text = ", ".join(f"{count} {entity_type}" for entity_type, count in counts)
        if args.values:
            label = format_tag_key_value(key, decode_json(value), max_length=sys.maxsize)
            print(f"  {label:30} ({counts_text})", file=out)
        else:
            print(f"  {key:10} ({counts_text})", file=out)
    return 0


def add_commands(subparsers) -> None:
    """Add ``tag add|update|rm|list`` to the ``graphbackend`` command line."""
    tag = subparsers.add_parser(
        "tag", help="add, update, delete and list tags (like `redun tag`)",
        description="redun's tag commands on the graph: tag history is kept (SUPERSEDES).",
    )
    verbs = tag.add_subparsers(dest="tag_verb", metavar="VERB")
    verbs.required = True
    for verb, text in (
        ("add", "add tags: tag add ID... key=value..."),
        ("update", "replace the current tags with these keys: tag update ID... key=value..."),
        ("rm", "delete tags: tag rm ID... [--] key[=value]..."),
    ):
        sub = verbs.add_parser(verb, help=text, description=text + " (ID: an execution, job, call node, "
                               "task or value id, or its unique start; - the latest execution; ~N)")
        sub.add_argument("items", nargs=argparse.REMAINDER, metavar="ID... TAG...")
        sub.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
        _cli.add_connection_options(sub)
        sub.set_defaults(handler=tag_write_command)
    listing = verbs.add_parser("list", help="tag keys with counts; or the records carrying tags",
                               description="Without tags: every tag key with counts per entity type "
                                           "(--values: per key and value). With key[=value] tags: the "
                                           "records carrying all of them.")
    listing.add_argument("filters", nargs="*", metavar="key[=value]")
    listing.add_argument("--values", action="store_true", help="count per key and value")
    listing.add_argument("--json", action="store_true", help="JSON lines")
    _cli.add_connection_options(listing)
    listing.set_defaults(handler=tag_list_command)
