"""``graphbackend demo``: the main job, a real redun workflow recorded into Neo4j.

The Neo4j server comes from the shared connection options (``--uri``, the redun
config, ``NEO4J_URI``); when none names one it uses the local default server,
starting it first when it is not running (and leaves it running, so the run can be explored in
Neo4j Browser).
"""

from __future__ import annotations

import tempfile

from ..settings import DEFAULT_URI, add_connection_options, connection_from_args, redun_backend_config


def add_commands(subparsers) -> None:
    """Add ``demo`` to the CLI."""
    demo = subparsers.add_parser(
        "demo", help="run the demo workflow twice into Neo4j (the second run is cached)",
        description="Record a real multi-step redun workflow into Neo4j, run it again "
        "fully cached, and print a Neo4j Browser query for its call graph.",
    )
    demo.add_argument("--work-dir", help="where the workflow writes its files (default: a new temporary folder)")
    add_connection_options(demo)
    demo.set_defaults(handler=_demo)


def _demo(args) -> int:
    from ..backend.neo4j_backend import Neo4jBackend
    from ..server.local import LocalServer
    from .run import run_demo

    settings = connection_from_args(args)
    if settings.uri == DEFAULT_URI:
        server = LocalServer.at()
        if server.is_running():
            print(f"using the local Neo4j server at {server.bolt_uri}")
        else:
            print(f"starting the local Neo4j server (data in {server.home}) ...")
            server.start(echo=print)
            print(f"started: {server.bolt_uri}, Browser {server.browser_url}")
            # A home's first start generates the password the clients read: resolve again.
            settings = connection_from_args(args)
    work_dir = args.work_dir or tempfile.mkdtemp(prefix="graphbackend-demo-")
    backend = Neo4jBackend(settings=settings, config=redun_backend_config(args.redun_config))
    try:
        run_demo(backend, work_dir)
    finally:
        backend.close()
    return 0
