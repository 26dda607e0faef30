"""``graphbackend server start|stop|status``: the local Neo4j server."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ..settings import DEFAULT_PASSWORD, ConnectionSettings
from .local import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, LocalServer, default_home


def add_commands(subparsers) -> None:
    """Add ``server start|stop|status`` to the CLI."""
    server = subparsers.add_parser(
        "server", help="run the local Neo4j server (no Docker needed)",
        description="The local Neo4j Community server, on loopback, from Maven Central jars.",
    )
    actions = server.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--home", type=Path, default=Path(os.environ.get("GRAPHBACKEND_SERVER_HOME") or default_home()),
            help="the server's folder: data and logs (default: %(default)s; env GRAPHBACKEND_SERVER_HOME)",
        )

    start = actions.add_parser("start", help="start the server and wait until Bolt answers")
    common(start)
    start.add_argument("--bolt-port", type=int, default=DEFAULT_BOLT_PORT)
    start.add_argument("--http-port", type=int, default=DEFAULT_HTTP_PORT)
    start.add_argument("--heap", default="1g", help="Java heap (default %(default)s)")
    start.add_argument("--page-cache", default="512m", help="Neo4j page cache (default %(default)s)")
    start.add_argument("--no-auth", action="store_true", help="disable authentication")
    start.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for Bolt")
    start.set_defaults(handler=_start)

    stop = actions.add_parser("stop", help="stop the server")
    common(stop)
    stop.set_defaults(handler=_stop)

    status = actions.add_parser("status", help="say whether the server runs")
    common(status)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)


def _start(args) -> int:
    # The password every client resolves (NEO4J_PASSWORD, else the default).
    password = None if args.no_auth else ConnectionSettings.resolve().password
    server = LocalServer(
        home=args.home, bolt_port=args.bolt_port, http_port=args.http_port,
        password=password, heap=args.heap, page_cache=args.page_cache,
    )
    server.start(timeout=args.timeout, echo=print)
    print(f"Neo4j is running (pid {server.pid()}), data in {server.home}")
    print(f"  Bolt:    {server.bolt_uri}")
    print(f"  Browser: {server.browser_url}")
    if password:
        print("  user neo4j; password from NEO4J_PASSWORD" if "NEO4J_PASSWORD" in os.environ
              else f"  user neo4j, password {DEFAULT_PASSWORD!r} (set NEO4J_PASSWORD before the first start to choose another)")
    return 0


def _stop(args) -> int:
    server = LocalServer.at(args.home)
    if server.stop():
        print(f"stopped the Neo4j server of {server.home}")
    else:
        print(f"no Neo4j server is running from {server.home}")
    return 0


def _status(args) -> int:
    server = LocalServer.at(args.home)
    status = server.status()
    if args.json:
        print(json.dumps(status, indent=2))
    elif status["running"]:
        print(f"running (pid {status['pid']}): {status['bolt_uri']}, Browser {status['browser_url']}, data in {status['home']}")
    else:
        print(f"not running (data in {status['home']})")
    return 0 if status["running"] else 3
