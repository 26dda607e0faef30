"""``graphbackend demo``: the main job, a real redun workflow recorded into Neo4j.

Without ``NEO4J_URI`` it uses the local default server, starting it first when
it is not running (and leaves it running, so the run can be explored in
Neo4j Browser).
"""

from __future__ import annotations

import os
import tempfile


def add_commands(subparsers) -> None:
    """Add ``demo`` to the CLI."""
    demo = subparsers.add_parser(
        "demo", help="run the demo workflow twice into Neo4j (the second run is cached)",
        description="Record a real multi-step redun workflow into Neo4j, run it again "
        "fully cached, and print a Neo4j Browser query for its call graph.",
    )
    demo.add_argument("--work-dir", help="where the workflow writes its files (default: a new temporary folder)")
    demo.set_defaults(handler=_demo)


def _demo(args) -> int:
    from .run import run_demo
    from ..server.local import LocalServer
    from ..backend.neo4j_backend import Neo4jBackend

    if not os.environ.get("NEO4J_URI"):
        server = LocalServer.at()
        if server.is_running():
            print(f"using the local Neo4j server at {server.bolt_uri}")
        else:
            print(f"starting the local Neo4j server (data in {server.home}) ...")
            server.start(echo=print)
            print(f"started: {server.bolt_uri}, Browser {server.browser_url}")
    work_dir = args.work_dir or tempfile.mkdtemp(prefix="graphbackend-demo-")
    backend = Neo4jBackend()
    try:
        run_demo(backend, work_dir)
    finally:
        backend.close()
    return 0
