"""``graphbackend server start|stop|status|password|dump|load``: the local Neo4j server."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ..errors import ServerError
from ..settings import DEFAULT_PASSWORD as LEGACY_PASSWORD
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
            "--home", type=Path, default=default_home(),
            help="the server's folder: data and logs (default: %(default)s; env GRAPHBACKEND_SERVER_HOME)",
        )

    start = actions.add_parser("start", help="start the server and wait until Bolt answers")
    common(start)
    start.add_argument("--bolt-port", type=int, default=DEFAULT_BOLT_PORT)
    start.add_argument("--http-port", type=int, default=DEFAULT_HTTP_PORT)
    start.add_argument("--heap", default="1g", help="Java heap (default %(default)s)")
    start.add_argument("--page-cache", default="512m", help="Neo4j page cache (default %(default)s)")
    start.add_argument("--no-auth", action="store_true",
                       help="disable authentication (then any local user and any web page open in a local "
                       "browser can read and change the graph)")
    start.add_argument("--tls", action="store_true",
                       help="Bolt over TLS only and Browser over HTTPS, with a self-signed certificate made at "
                       "the first such start (clients use bolt+ssc://127.0.0.1:PORT)")
    start.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for Bolt")
    start.set_defaults(handler=_start)

    stop = actions.add_parser("stop", help="stop the server")
    common(stop)
    stop.set_defaults(handler=_stop)

    status = actions.add_parser("status", help="say whether the server runs")
    common(status)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)

    password = actions.add_parser(
        "password", help="print the password generated at the server's first start (for Neo4j Browser)",
        description="Print the password of user neo4j that the first start of the home generated "
        "(kept in HOME/password, readable by you only). graphbackend's clients read it by themselves.",
    )
    common(password)
    password.set_defaults(handler=_password)

    dump = actions.add_parser(
        "dump", help="back up the (stopped) server's database into one file",
        description="Dump the graph database of a stopped local server into one file with "
        "neo4j-admin (every node, relationship, property, index and constraint). Never overwrites a file.",
    )
    common(dump)
    dump.add_argument("--to", type=Path, metavar="FILE",
                      help="the dump file, or a folder for it (default: graphbackend-neo4j-TIME.dump here)")
    dump.add_argument("--database", default="neo4j", help="database to dump (default %(default)s)")
    dump.set_defaults(handler=_dump)

    load = actions.add_parser(
        "load", help="restore the (stopped) server's database from a dump file",
        description="Load a dump made by `graphbackend server dump` (or neo4j-admin) into a stopped "
        "local server. An existing database is replaced only with --force, after being dumped into "
        "HOME/dumps/; --dry-run checks the file and says what would happen. The system database "
        "(users, the password) is kept.",
    )
    common(load)
    load.add_argument("file", type=Path, metavar="FILE", help="the dump file")
    load.add_argument("--database", default="neo4j", help="database to load into (default %(default)s)")
    load.add_argument("--force", action="store_true", help="replace an existing database")
    load.add_argument("--dry-run", action="store_true", help="check the file and print the plan; change nothing")
    load.add_argument("--no-keep", action="store_true",
                      help="with --force: do not dump the replaced database first")
    load.set_defaults(handler=_load)


def _start(args) -> int:
    server = LocalServer(
        home=args.home, bolt_port=args.bolt_port, http_port=args.http_port,
        password=os.environ.get("NEO4J_PASSWORD") or None, auth=not args.no_auth, tls=args.tls,
        heap=args.heap, page_cache=args.page_cache,
    )
    first = not server.password_was_set()
    server.start(timeout=args.timeout, echo=print)
    print(f"Neo4j is running (pid {server.pid()}), data in {server.home}")
    print(f"  Bolt:    {server.bolt_uri}" + (f" (TLS only; certificate {server.certificate_file})" if server.tls else ""))
    print(f"  Browser: {server.browser_url}" + (
        f" (self-signed certificate: accept it there and at https://127.0.0.1:{server.bolt_port}/, "
        f"then connect with bolt+s://127.0.0.1:{server.bolt_port})" if server.tls else ""))
    print(f"  user neo4j, {_password_note(server, first)}")
    return 0


def _password_note(server: LocalServer, first: bool = False) -> str:
    if not server.auth:
        return "no authentication (--no-auth): every local user and web page can use the graph"
    if server.stored_password():
        return (f"password in {server.password_file} (`graphbackend server password` prints it; "
                f"graphbackend's clients read it)")
    if first or "NEO4J_PASSWORD" in os.environ:
        return "the password chosen with NEO4J_PASSWORD at the home's first start"
    return (f"the password set at the home's first start (NEO4J_PASSWORD then, or {LEGACY_PASSWORD!r} "
            f"for homes made by graphbackend before passwords were generated)")


def _password(args) -> int:
    server = LocalServer.at(args.home)
    password = server.stored_password()
    if password is None:
        if not server.password_was_set():
            raise ServerError(f"the server of {server.home} has not been started yet: "
                              f"`graphbackend server start` generates its password")
        raise ServerError(f"{server.home} has no generated password: {_password_note(server)}")
    print(password)
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


def _dump(args) -> int:
    from .backup import dump

    outcome = dump(LocalServer.at(args.home), args.to, database=args.database)
    print(f"dumped database {args.database!r} of {args.home} to {outcome.path} "
          f"({outcome.size:,} bytes, {outcome.seconds:.1f}s)")
    return 0


def _load(args) -> int:
    from .backup import load

    outcome = load(LocalServer.at(args.home), args.file, database=args.database, force=args.force,
                   dry_run=args.dry_run, keep_previous=not args.no_keep)
    if outcome.dry_run:
        print("dry run, nothing changed; `load` would:")
        for step in outcome.plan or []:
            print(f"  - {step}")
        return 0
    if outcome.previous:
        print(f"dumped the replaced database to {outcome.previous}")
    print(f"loaded {outcome.path} ({outcome.size:,} bytes) into database {args.database!r} of {args.home} "
          f"({outcome.seconds:.1f}s); `graphbackend server start` serves it")
    return 0
