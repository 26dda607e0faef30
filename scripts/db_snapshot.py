"""Snapshot a Neo4j database's content, and check it later: did anything change?

    python scripts/db_snapshot.py save FILE    # counts, execution ids and a digest, as JSON
    python scripts/db_snapshot.py check FILE   # exit 1, naming what differs, if it changed

CI runs it around `make test` to prove the tests leave the demo's database (the local
default server, or NEO4J_URI etc.) as it was. The connection is resolved like every
graphbackend command's (NEO4J_URI etc., else the local server).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter

from graphbackend.backend.graph import Graph
from graphbackend.settings import ConnectionSettings


def _digest(items) -> str:
    lines = sorted(repr(item) for item in items)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def snapshot() -> dict:
    """Counts, per-label counts, execution ids and digests of every node and relationship."""
    graph = Graph(ConnectionSettings.resolve())
    try:
        record = graph.read_one("admin_content")
    finally:
        graph.close()
    nodes = [(eid, sorted(labels), sorted(props.items())) for eid, labels, props in record["nodes"]]
    rels = [(eid, kind, a, b, sorted(props.items())) for eid, kind, a, b, props in record["relationships"]]
    return {
        "uri": graph.settings.safe_uri,
        "nodes": len(nodes),
        "relationships": len(rels),
        "labels": dict(sorted(Counter(":".join(labels) for _, labels, _ in nodes).items())),
        "executions": record["executions"],
        "node_digest": _digest(nodes),
        "relationship_digest": _digest(rels),
    }


def main(argv) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__.strip().splitlines()[0], "\nusage: db_snapshot.py save|check FILE", file=sys.stderr)
        return 2
    action, path = argv
    now = snapshot()
    if action == "save":
        with open(path, "w") as out:
            json.dump(now, out, indent=2)
        print(f"snapshot of {now['uri']}: {now['nodes']} nodes, {now['relationships']} relationships, "
              f"{len(now['executions'])} executions")
        return 0
    with open(path) as saved_file:
        saved = json.load(saved_file)
    changed = [key for key in saved if saved[key] != now.get(key)]
    if changed:
        print(f"the database at {now['uri']} changed: " + "; ".join(
            f"{key} was {saved[key]!r}, now {now.get(key)!r}" for key in changed), file=sys.stderr)
        return 1
    print(f"unchanged: {now['nodes']} nodes, {now['relationships']} relationships, "
          f"executions {', '.join(e[:8] for e in now['executions'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
