"""redun's own command line on a repository configured for graphbackend.

redun's CLI builds every command's scheduler through the ``[scheduler]
setup_scheduler`` hook, so ``graphbackend.setup_scheduler`` sees each command
before it runs. Most commands only need a scheduler and a ``RedunBackend``
(``run``, ``launch``, ``init``, ``import``, ``oneshot``, ``aws ...``); the rest
read redun's SQL tables or call ``RedunClient.infer_id``, which asserts a
``RedunBackendDb``. :func:`scheduler_for_command` decides per command:

- ``run`` (also ``run --rerun``) and ``tag add|update|rm``: the Neo4j scheduler;
  the client's ``infer_id`` (id prefixes, ``-``, ``~N``) is answered from the
  graph, so ``--rerun JOB`` and tag edits work on the graph itself.
- ``log``, ``console``, ``repl``, ``tag list``, ``export``, ``push``: read-only.
  They get a ``RedunBackendDb`` on a temporary SQLite export of the graph (a
  snapshot taken when the command starts, deleted at exit).
- ``pull``, ``db versions``: refused with one line naming the graphbackend
  command that does it (redun prints it as ``RedunClientError: ...``, exit 1).

Anything else gets the Neo4j scheduler, as before. The command is found from
the call stack (redun's ``RedunClient.get_scheduler`` frame, whose ``args`` and
client are used); outside redun's CLI nothing changes.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from argparse import Namespace
from types import FrameType
from typing import Any, Callable, Optional, Tuple

#: redun commands (RedunClient method names) that read redun's SQL tables and
#: only read: served from a temporary SQLite export of the graph.
BRIDGED_COMMANDS = {
    "log_command": "redun log",
    "console_command": "redun console",
    "repl_command": "redun repl",
    "tag_list_command": "redun tag list",
    "export_command": "redun export",
    "push_command": "redun push",
}

#: Commands that run on the Neo4j scheduler with the client's infer_id answered by the graph.
GRAPH_ID_COMMANDS = {"run_command", "tag_add_command", "tag_update_command", "tag_rm_command"}

#: Commands that cannot work on a graphbackend repository, and what to use instead.
REFUSED_COMMANDS = {
    "pull_command": (
        "redun pull writes redun's SQL tables; on a graphbackend repository use "
        "`graphbackend import SOURCE` (a redun database or a directory holding .redun/)"
    ),
    "db_versions_command": (
        "redun db versions lists redun's SQL schema versions; a graphbackend repository keeps its "
        "schema in Neo4j (created by Neo4jBackend.load(); see `graphbackend show`)"
    ),
}


def find_redun_client() -> Tuple[Any, Optional[Namespace]]:
    """The ``RedunClient`` and parsed ``args`` of the redun command building a
    scheduler on this thread, or ``(None, None)`` outside redun's CLI."""
    try:
        from redun.cli import RedunClient
    except ImportError:  # pragma: no cover - redun is a dependency
        return None, None
    code = getattr(RedunClient.get_scheduler, "__code__", None)
    frame: Optional[FrameType] = sys._getframe(1)
    for _ in range(30):
        if frame is None:
            break
        if frame.f_code is code:
            args = frame.f_locals.get("args")
            return frame.f_locals.get("self"), args if isinstance(args, Namespace) else None
        frame = frame.f_back
    return None, None


def command_name(args: Optional[Namespace]) -> Optional[str]:
    """The RedunClient method name of the command (``log_command``, ...)."""
    func = getattr(args, "func", None)
    return getattr(func, "__name__", None)


def scheduler_for_command(config, make_backend: Callable[[], Any]):
    """The scheduler redun's CLI should get for the command being run.

    ``make_backend()`` builds the (not yet loaded) Neo4jBackend. Returns a
    ``redun.Scheduler``; raises ``redun.cli.RedunClientError`` (one line) for
    commands a graphbackend repository cannot serve.
    """
    from redun import Scheduler

    client, args = find_redun_client()
    command = command_name(args)
    if command in REFUSED_COMMANDS:
        from redun.cli import RedunClientError

        raise RedunClientError(REFUSED_COMMANDS[command])
    if command in BRIDGED_COMMANDS:
        return Scheduler(config=config, backend=export_snapshot(make_backend(), BRIDGED_COMMANDS[command]))
    backend = make_backend()
    if command in GRAPH_ID_COMMANDS and client is not None:
        install_graph_infer_id(client, backend)
    return Scheduler(config=config, backend=backend)


# Sub-schedulers (subrun) ---------------------------------------------------------

#: The ``[backend]`` key (and value) that says "this config records into Neo4j".
MARKER_KEY = "graphbackend"
MARKER_VALUE = "neo4j"


def mark_config(config, **overrides):
    """Mark ``config["backend"]`` as graphbackend's, with the hook's overrides
    (``neo4j_uri=...``) written in, and return that section.

    redun hands sub-schedulers a copy of the parent's config
    (``subrun()``: ``Scheduler(config=...)``); the mark tells
    :func:`install_subscheduler_backend`'s ``get_backend_from_config`` to build
    a Neo4jBackend for them. The password is never written.
    """
    from redun.config import create_config_section

    section = config.get("backend") if config is not None else None
    if section is None:
        section = create_config_section()
        if config is not None:
            config["backend"] = section
    section[MARKER_KEY] = MARKER_VALUE
    for key, value in overrides.items():
        if value is not None:
            section[key] = str(value)
    return section


def install_subscheduler_backend() -> None:
    """Make ``redun.scheduler.get_backend_from_config`` build a Neo4jBackend
    for a ``[backend]`` section marked by :func:`mark_config` (idempotent).

    redun builds a Scheduler's backend with that function whenever none is
    passed, as ``subrun()``'s sub-scheduler is built. Unmarked sections get
    redun's own backend, unchanged. Processes forked from this one inherit it;
    the ``forkserver`` start method (the local executor's default in process
    mode) preloads this module so that its workers have it too.
    """
    import redun.scheduler as redun_scheduler

    current = redun_scheduler.get_backend_from_config
    if getattr(current, "_graphbackend", False):
        return
    original = current

    def get_backend_from_config(backend_config=None):
        if backend_config is not None and backend_config.get(MARKER_KEY) == MARKER_VALUE:
            from .backend.neo4j_backend import Neo4jBackend

            return Neo4jBackend(config=backend_config)
        return original(backend_config)

    get_backend_from_config._graphbackend = True  # type: ignore[attr-defined]
    get_backend_from_config.__wrapped__ = original  # type: ignore[attr-defined]
    redun_scheduler.get_backend_from_config = get_backend_from_config
    _preload_in_forkserver()


def _preload_in_forkserver() -> None:
    """Ask multiprocessing's forkserver (if not started yet) to import this
    module, so process-mode workers build sub-schedulers on Neo4j too."""
    try:
        from multiprocessing import forkserver
    except ImportError:  # pragma: no cover - not on every platform
        return
    server = forkserver._forkserver  # the process-wide ForkServer
    modules = list(getattr(server, "_preload_modules", None) or ["__main__"])
    if __name__ not in modules:
        modules.append(__name__)
        forkserver.set_forkserver_preload(modules)


# The read-only bridge ------------------------------------------------------------


def export_snapshot(backend, purpose: str = "redun"):
    """A loaded ``RedunBackendDb`` on a temporary SQLite copy of the whole graph.

    The copy is deleted when the process exits. A one-line note on stderr says
    how many records were copied and how long it took.
    """
    from .errors import GraphBackendError
    from .sync.transfer import export_records, open_redun_db

    start = time.monotonic()
    folder = tempfile.mkdtemp(prefix="graphbackend-redun-")
    atexit.register(shutil.rmtree, folder, True)
    store = getattr(getattr(backend, "value_store", None), "root_path", None)
    try:
        backend.load()
        with _quiet_redun_logger():  # no "Upgrading db from version -1.0" for a scratch file
            db = open_redun_db(
                "sqlite:///" + os.path.join(folder, "redun.db"), create=True, value_store_path=store,
            )
        summary = export_records(backend, db)
    except GraphBackendError as error:
        from redun.cli import RedunClientError

        raise RedunClientError(f"graphbackend: {error}") from None
    finally:
        backend.close()
    print(
        f"graphbackend: {purpose} reads a snapshot of the Neo4j graph at {backend.settings.uri} "
        f"({summary.seen} records copied in {time.monotonic() - start:.1f}s; "
        f"`graphbackend log` reads the graph directly)",
        file=sys.stderr,
    )
    return db.backend


@contextlib.contextmanager
def _quiet_redun_logger():
    import logging

    logger = logging.getLogger("redun")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# Ids from the graph (redun run --rerun, redun tag add|update|rm) -----------------------


def install_graph_infer_id(client, backend) -> None:
    """Answer ``client.infer_id`` from the graph (for this client instance only)."""

    def infer_id(id: str, include_files: bool = True, required: bool = False) -> Any:
        return infer_id_from_graph(backend, id, required=required)

    client.infer_id = infer_id


def infer_id_from_graph(backend, id: str, required: bool = False) -> Any:
    """What redun's ``infer_id`` returns, from the graph: an ``Execution``,
    ``Job``, ``CallNode`` or ``Value`` row object of redun's models (transient,
    with the relations redun's CLI reads: ``execution.job``, ``job.task``,
    ``job.call_node.arguments``), or None.

    ``id`` is a full id, a unique id prefix, ``-`` (the latest execution) or
    ``~N`` (the Nth latest). An ambiguous prefix, or none with ``required``,
    raises ``RedunClientError`` naming the problem.
    """
    from redun.cli import RedunClientError

    from .errors import GraphBackendError
    from .explore.queries import resolve_id

    backend.load()
    graph = backend.graph
    try:
        if id == "-" or re.match(r"^~\d+$", id):
            index = 1 if id == "-" else int(id[1:])
            if index < 1:
                raise RedunClientError("Execution index should >= 1.")
            rows = graph.read("explore_executions", limit=index)
            if len(rows) < index:
                if required:
                    raise RedunClientError(f"Execution index too high: {index}")
                return None
            return _build(backend, "execution", rows[index - 1]["id"])
        found = resolve_id(graph, id)
    except GraphBackendError as error:
        if not required and str(error).startswith("no "):
            return None
        raise RedunClientError(str(error)) from None
    return _build(backend, found["kind"], found["id"])


def _records(backend, ids) -> dict:
    ids = [id for id in ids if id]
    return {
        record.get("id") or record.get("call_hash") or record.get("value_hash"): record
        for record in backend.get_records(ids, sorted=False)
    } if ids else {}


def _rows(record: dict) -> list:
    from redun.backends.db.serializers import RecordSerializer

    return RecordSerializer().deserialize(record)


def _build_call_node(backend, call_hash: Any):
    from redun.backends.db import Argument, CallNode

    if not call_hash:
        return None
    record = _records(backend, [call_hash]).get(call_hash)
    if not record:
        return None
    rows = _rows(record)
    call_node = next(row for row in rows if isinstance(row, CallNode))
    call_node.arguments = [row for row in rows if isinstance(row, Argument)]
    call_node.task = _build_task(backend, call_node.task_hash)
    return call_node


def _build_task(backend, task_hash: Any):
    from redun.backends.db import Task

    record = _records(backend, [task_hash]).get(task_hash) if task_hash else None
    if not record:
        return None
    return next((row for row in _rows(record) if isinstance(row, Task)), None)


def _build_job(backend, job_id: Any):
    from redun.backends.db import Job

    record = _records(backend, [job_id]).get(job_id)
    if not record:
        return None
    job = next(row for row in _rows(record) if isinstance(row, Job))
    job.task = _build_task(backend, job.task_hash)
    job.call_node = _build_call_node(backend, job.call_hash)
    return job


def _build(backend, kind: str, id: str):
    from redun.backends.db import Execution, Value

    if kind == "execution":
        record = _records(backend, [id]).get(id)
        if not record:
            return None
        execution = next(row for row in _rows(record) if isinstance(row, Execution))
        execution.job = _build_job(backend, execution.job_id)
        return execution
    if kind == "job":
        return _build_job(backend, id)
    if kind == "call":
        return _build_call_node(backend, id)
    record = _records(backend, [id]).get(id)
    if not record:
        return None
    return next(row for row in _rows(record) if isinstance(row, Value))


# Importing this module (setup_scheduler does; so does a forkserver that preloads
# it) makes marked configs build Neo4jBackends.
install_subscheduler_backend()
