"""Offline backup and restore of the local server's database (``graphbackend server dump|load``).

Both run Neo4j's own ``neo4j-admin database dump|load`` (``org.neo4j.cli.AdminTool``,
in the jars the launcher already uses) on a stopped server's home. A dump is a
copy of the database's store files: every node, relationship, property, index and
constraint, so a restored graph is the same graph (unlike a logical ``export``).
Only the graph database (``neo4j``) is dumped; the ``system`` database (users and
the password) stays with the home it belongs to.

``load`` replaces a database. It refuses to replace an existing one without
``force``; with ``force`` it first dumps the database it replaces into
``<home>/dumps/`` (unless ``keep_previous=False``), so nothing recorded is lost;
``dry_run`` checks the file and says what would happen, changing nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional

from .local import LocalServer, ServerError, build, find_java

ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DEFAULT_DATABASE = "neo4j"


@dataclass
class DumpInfo:
    """What a dump file holds, as ``neo4j-admin database load --info`` reads it."""

    path: Path
    size: int
    format: str
    files: int
    store_bytes: int


@dataclass
class Outcome:
    """What ``dump`` or ``load`` did (or, for a dry run, would do)."""

    path: Path
    size: int
    seconds: float
    previous: Optional[Path] = None  # load --force: where the replaced database was dumped
    dry_run: bool = False
    plan: Optional[List[str]] = None


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _require_stopped(server: LocalServer, what: str) -> None:
    pid = server.pid()
    if pid is not None:
        raise ServerError(
            f"the Neo4j server of {server.home} is running (pid {pid}): {what} works on a stopped "
            f"server; `graphbackend server stop --home {server.home}` first"
        )


def _database_dir(server: LocalServer, database: str) -> Path:
    return server.home / "data" / "databases" / database


def _dir_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _admin(server: LocalServer, args: List[str], stdin=None) -> subprocess.CompletedProcess:
    """Run ``neo4j-admin ARGS`` on the server's home (its data, logs and configuration)."""
    java = find_java()
    build(server.lib_dir)
    server.prepare_home()
    env = dict(os.environ, NEO4J_HOME=str(server.home), NEO4J_CONF=str(server.home / "conf"))
    command = [java, "-Xmx512m", "-cp", str(server.lib_dir / "*"), ADMIN_TOOL, *args]
    return subprocess.run(command, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, text=True, env=env, umask=0o077)


def _failure(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in (result.stderr + "\n" + result.stdout).splitlines()
             if line.strip() and not line.startswith(("Files:", "Run with '--verbose'"))]
    return "; ".join(dict.fromkeys(lines[-4:])) or f"exit code {result.returncode}"


def dump(server: LocalServer, to: Optional[Path] = None, database: str = DEFAULT_DATABASE,
         directory: Optional[Path] = None) -> Outcome:
    """Dump ``database`` of a stopped server into one file (0600), atomically.

    ``to`` is the file (or an existing folder to put it in); by default
    ``graphbackend-<database>-<time>.dump`` in ``directory`` (the current folder).
    An existing file is never overwritten.
    """
    _require_stopped(server, "dump")
    if not _database_dir(server, database).is_dir():
        raise ServerError(f"{server.home} has no database {database!r} to dump (was the server ever started there?)")
    target = Path(to) if to is not None else Path(directory or Path.cwd()) / f"graphbackend-{database}-{_stamp()}.dump"
    if target.is_dir():
        target = target / f"graphbackend-{database}-{_stamp()}.dump"
    target = target.absolute()
    if target.exists():
        raise ServerError(f"{target} already exists: choose another file (a dump never overwrites one)")
    if not target.parent.is_dir():
        raise ServerError(f"cannot write {target}: the folder {target.parent} does not exist")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=".graphbackend-dump-", dir=target.parent))
    try:
        result = _admin(server, ["database", "dump", database, f"--to-path={work}"])
        produced = work / f"{database}.dump"
        if result.returncode != 0 or not produced.is_file():
            raise ServerError(f"neo4j-admin could not dump {database!r} of {server.home}: {_failure(result)}")
        os.chmod(produced, 0o600)
        os.replace(produced, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Outcome(path=target, size=target.stat().st_size, seconds=time.monotonic() - started)


def inspect(server: LocalServer, source: Path, database: str = DEFAULT_DATABASE) -> DumpInfo:
    """Check that ``source`` is a Neo4j dump and read its header (changes nothing)."""
    source = Path(source).absolute()
    if not source.exists():
        raise ServerError(f"the dump file {source} does not exist")
    if not source.is_file():
        raise ServerError(f"{source} is not a file (give the .dump file itself)")
    with open(source, "rb") as stream:
        result = _admin(server, ["database", "load", database, "--info", "--from-stdin"], stdin=stream)
    if result.returncode != 0:
        raise ServerError(f"{source} is not a readable Neo4j dump: {_failure(result)}")
    fields: Dict[str, str] = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return DumpInfo(path=source, size=source.stat().st_size, format=fields.get("Format", "?").rstrip("."),
                    files=int(fields.get("Files", 0) or 0), store_bytes=int(fields.get("Bytes", 0) or 0))


def load(server: LocalServer, source: Path, database: str = DEFAULT_DATABASE, force: bool = False,
         dry_run: bool = False, keep_previous: bool = True) -> Outcome:
    """Load a dump into ``database`` of a stopped server.

    An existing database is replaced only with ``force``, after being dumped to
    ``<home>/dumps/<database>-before-load-<time>.dump`` (unless ``keep_previous``
    is false). ``dry_run`` checks the file and returns the plan without changing
    anything. The ``system`` database (users, the password), other databases,
    the logs and the configuration are left as they are.
    """
    _require_stopped(server, "load")
    info = inspect(server, source, database)
    existing = _database_dir(server, database)
    exists = existing.is_dir() and any(existing.iterdir())
    previous = server.home / "dumps" / f"{database}-before-load-{_stamp()}.dump" if exists and keep_previous else None
    plan = [f"load {info.path} ({info.size:,} bytes; {info.format}, {info.files} store files, "
            f"{info.store_bytes:,} bytes) into database {database!r} of {server.home}"]
    if exists:
        plan.append(f"replace the existing database {database!r} ({_dir_size(existing):,} bytes on disk, "
                    f"with its transaction logs)")
        plan.append(f"first dump it to {previous}" if previous else "without keeping a copy of it (--no-keep)")
    else:
        plan.append(f"database {database!r} does not exist yet: nothing is replaced")
    plan.append("keep the system database (users, the password), other databases, logs and configuration")
    if exists and not force and not dry_run:
        raise ServerError(
            f"the database {database!r} of {server.home} already exists; loading "
            f"{info.path.name} would replace it: rerun with --force (the current database is first dumped "
            f"to {server.home / 'dumps'}), or --dry-run to see what would happen"
        )
    if dry_run:
        return Outcome(path=info.path, size=info.size, seconds=0.0, previous=previous, dry_run=True, plan=plan)
    started = time.monotonic()
    if previous is not None:
        previous.parent.mkdir(mode=0o700, exist_ok=True)
        dump(server, previous, database)
    args = ["database", "load", database, "--from-stdin"]
    if exists:
        args.append("--overwrite-destination=true")
    with open(info.path, "rb") as stream:
        result = _admin(server, args, stdin=stream)
    if result.returncode != 0:
        kept = f"; the replaced database was dumped to {previous} (load it back with --force)" if previous else ""
        raise ServerError(f"neo4j-admin could not load {info.path} into {database!r}: {_failure(result)}{kept}")
    return Outcome(path=info.path, size=info.size, seconds=time.monotonic() - started, previous=previous, plan=plan)
