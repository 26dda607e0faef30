"""The local Neo4j server: Neo4j Community 5.26 from Maven Central, on loopback.

For users without Docker, and for the tests and CI. Two steps:

1. :func:`build` copies the Neo4j jars (``launcher/pom.xml``) from Maven Central
   into a per-user cache folder with ``mvn dependency:copy-dependencies``
   (once; later starts reuse them).
2. :class:`LocalServer` runs ``launcher/Launcher.java`` (a single-file Java
   program) on those jars, detached, with its data in a folder of the user's
   choosing, and waits until Bolt answers.

The server's process id and ports are kept in ``<home>/server.pid``; its output goes to
``<home>/logs/launcher.log``.

Safe defaults for a shared machine: the first start of a home without a chosen password
generates a random one and keeps it in ``<home>/password`` (mode 0600), where
graphbackend's clients find it (``graphbackend.settings``); the home and everything in
it are readable by their owner only (0700 folders, 0600 files: the launcher runs with
umask 077, and a start tightens what older versions left readable); ``tls=True``
serves Bolt over TLS only, with a self-signed certificate made at the first such start.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..errors import ServerError

#: The Neo4j version the launcher's pom pins (its jars' cache folder is named after it).
NEO4J_VERSION = "5.26.30"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
#: The file in a server home that holds its generated password (mode 0600).
PASSWORD_FILE = "password"
#: Written by the launcher once the initial password is set (the first start of a home).
PASSWORD_MARKER = ".graphbackend-password-set"
#: Seconds between the Bolt keep-alive NOOPs the server sends while it works on a request.
DEFAULT_BOLT_KEEP_ALIVE = 10
#: Missed keep-alives after which a client gives up (Neo4j's connection_keep_alive_probes).
BOLT_KEEP_ALIVE_PROBES = 3
READY_MARK = "graphbackend-neo4j ready"
ERROR_MARK = "graphbackend-neo4j error:"


def _user_dir(env: str, fallback: str) -> Path:
    return Path(os.environ.get(env) or Path.home() / fallback)


def default_home() -> Path:
    """Default server home (data, logs): ``$GRAPHBACKEND_SERVER_HOME``, else
    ``$XDG_DATA_HOME/graphbackend/neo4j`` (``~/.local/share/graphbackend/neo4j``)."""
    if os.environ.get("GRAPHBACKEND_SERVER_HOME"):
        return Path(os.environ["GRAPHBACKEND_SERVER_HOME"]).expanduser()
    return _user_dir("XDG_DATA_HOME", ".local/share") / "graphbackend" / "neo4j"


def default_lib_dir() -> Path:
    """Where the Neo4j jars are cached: ``$XDG_CACHE_HOME/graphbackend/neo4j-<version>/lib``."""
    return _user_dir("XDG_CACHE_HOME", ".cache") / "graphbackend" / f"neo4j-{NEO4J_VERSION}" / "lib"


def launcher_dir() -> Path:
    """The folder with ``pom.xml`` and ``Launcher.java`` (installed inside the package)."""
    return Path(str(resources.files("graphbackend").joinpath("launcher")))


def _require_tool(name: str, why: str) -> str:
    path = shutil.which(name, path=_tool_path())
    if path is None:
        raise ServerError(
            f"{name} is not installed (or not on PATH): it is needed to {why}. "
            f"Install Java 17+ and Maven (Debian: apt-get install openjdk-17-jdk-headless maven), "
            f"or use Docker (docker/compose.yaml) and set NEO4J_URI."
        )
    return path


def _tool_path() -> str:
    java_home = os.environ.get("JAVA_HOME")
    path = os.environ.get("PATH", os.defpath)
    return f"{java_home}/bin{os.pathsep}{path}" if java_home else path


def java_major_version(java: str) -> int:
    """The major version of a ``java`` binary (17 for ``17.0.15``)."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise ServerError(f"cannot tell the version of {java}: {out.strip()[:200]}")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


def find_java() -> str:
    """The ``java`` binary (``JAVA_HOME`` first, then PATH), checked to be Java 17 or newer."""
    java = _require_tool("java", "run the local Neo4j server and its tools")
    if java_major_version(java) < 17:
        raise ServerError(f"Neo4j 5.26 needs Java 17 or newer; {java} is older (set JAVA_HOME)")
    return java


def build(lib_dir: Optional[Path] = None, quiet: bool = True) -> Path:
    """Copy the Neo4j jars into ``lib_dir`` with Maven (skipped when already there)."""
    lib_dir = Path(lib_dir or default_lib_dir())
    done = lib_dir / ".complete"
    if done.exists():
        return lib_dir
    mvn = _require_tool("mvn", "download the Neo4j jars from Maven Central")
    pom = launcher_dir() / "pom.xml"
    partial = lib_dir.with_name(lib_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [mvn, "-B", "-f", str(pom), "dependency:copy-dependencies",
               f"-DoutputDirectory={partial}"]
    if quiet:
        command.insert(1, "-q")
    result = subprocess.run(command, capture_output=quiet, text=True)
    if result.returncode != 0:
        tail = (result.stdout or "")[-2000:] if quiet else ""
        raise ServerError(f"Maven could not fetch the Neo4j jars (exit {result.returncode}):\n{tail}")
    shutil.rmtree(lib_dir, ignore_errors=True)
    partial.rename(lib_dir)
    done.write_text(f"neo4j {NEO4J_VERSION}\n")
    return lib_dir


def port_is_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_private(root: Path) -> None:
    """Remove group and other permissions from ``root`` and everything below it.

    Homes made by older versions of graphbackend (or by Neo4j under umask 022) had
    world-readable data, transaction logs and system database; a start fixes them.
    """
    for path in [root, *root.rglob("*")]:
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue
        if not os.path.islink(path) and mode & 0o077:
            os.chmod(path, mode & 0o7700)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a new file readable by its owner only (0600), atomically."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.replace(partial, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (exited, not yet reaped) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


@dataclass
class LocalServer:
    """A Neo4j Community server on loopback, run by graphbackend's launcher.

    Parameters mirror ``graphbackend server start``: ``home`` holds the data
    and logs (it survives restarts); ``password`` is set on the first start of
    a home: ``None`` (the default) generates a random one and stores it in
    ``<home>/password`` (0600), where clients find it; ``auth=False`` (or
    ``password=""``) disables authentication; later starts keep the password
    the home has. ``tls`` makes Bolt accept TLS connections only
    (``bolt+ssc://``); ``heap`` and ``page_cache`` bound memory.
    ``bolt_keep_alive`` (seconds, default :data:`DEFAULT_BOLT_KEEP_ALIVE`): Bolt
    keep-alive on every request, so clients give up on a query after
    ``3 * bolt_keep_alive`` seconds of silence (:attr:`query_stall_timeout`);
    0 keeps Neo4j's defaults (no such bound).
    """

    home: Path = field(default_factory=default_home)
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    password: Optional[str] = field(default=None, repr=False)
    heap: str = "1g"
    page_cache: str = "512m"
    lib_dir: Path = field(default_factory=default_lib_dir)
    auth: bool = True
    tls: bool = False
    bolt_keep_alive: int = DEFAULT_BOLT_KEEP_ALIVE
    #: Plan the scheduler's queries once Bolt answers (graphbackend.backend.warmup).
    warm_up: bool = True
    warm_up_seconds: Optional[float] = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.home = Path(self.home).expanduser().absolute()
        self.lib_dir = Path(self.lib_dir)
        if self.password == "":
            self.auth = False

    @classmethod
    def at(cls, home: Optional[Path] = None, **kwargs) -> "LocalServer":
        """The server of ``home``, with the ports (and TLS) it was last started with (for stop/status)."""
        server = cls(home=Path(home or default_home()), **kwargs)
        try:
            fields = server.pid_file.read_text().split()
            server.bolt_port, server.http_port = int(fields[1]), int(fields[2])
            server.tls = fields[3:4] == ["tls"]
        except (OSError, ValueError, IndexError):
            pass
        return server

    # Where things are -----------------------------------------------------

    @property
    def bolt_uri(self) -> str:
        """``bolt://127.0.0.1:PORT``, or ``bolt+ssc://`` (TLS, self-signed certificate) with ``tls``."""
        scheme = "bolt+ssc" if self.tls else "bolt"
        return f"{scheme}://127.0.0.1:{self.bolt_port}"

    @property
    def query_stall_timeout(self) -> Optional[int]:
        """Seconds of silence after which a client gives up on a running query (the
        server's ``connection.recv_timeout_seconds`` hint), or None without keep-alive."""
        return self.bolt_keep_alive * BOLT_KEEP_ALIVE_PROBES if self.bolt_keep_alive > 0 else None

    @property
    def password_file(self) -> Path:
        """Where a generated password is kept (``<home>/password``, mode 0600)."""
        return self.home / PASSWORD_FILE

    @property
    def certificate_file(self) -> Path:
        """The Bolt TLS certificate (``<home>/certificates/bolt/public.crt``), made by ``--tls``."""
        return self.home / "certificates" / "bolt" / "public.crt"

    def stored_password(self) -> Optional[str]:
        """The password generated at the home's first start, or None (chosen, legacy or no auth)."""
        try:
            return self.password_file.read_text().strip() or None
        except OSError:
            return None

    def password_was_set(self) -> bool:
        """True once a start has set the home's password (its later starts keep it)."""
        return (self.home / PASSWORD_MARKER).exists()

    def _initial_password(self) -> str:
        """The password a first start sets: the chosen one, else the stored or a new random one."""
        if self.password:
            return self.password
        stored = self.stored_password()
        if stored:
            return stored
        generated = secrets.token_urlsafe(24)
        write_private(self.password_file, generated + "\n")
        return generated

    @property
    def browser_url(self) -> str:
        """Neo4j Browser: ``http://127.0.0.1:PORT/browser/``, ``https://`` with ``tls``."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.http_port}/browser/"

    @property
    def pid_file(self) -> Path:
        return self.home / "server.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "launcher.log"

    def pid(self) -> Optional[int]:
        """The server's process id when it is running, else None."""
        try:
            pid = int(self.pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if _pid_alive(pid) else None

    def is_running(self) -> bool:
        """True when the server process is alive and Bolt accepts connections."""
        return self.pid() is not None and port_is_open(self.bolt_port)

    # Start / stop -------------------------------------------------------------

    def command(self, java: str) -> List[str]:
        """The java command line that runs the launcher."""
        classpath = os.pathsep.join([str(self.home / "browser-root"), str(self.lib_dir / "*")])
        command = [
            java, f"-Xms{self.heap}", f"-Xmx{self.heap}", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
            "-cp", classpath, str(launcher_dir() / "Launcher.java"),
            "--home", str(self.home),
            "--bolt-port", str(self.bolt_port), "--http-port", str(self.http_port),
            "--page-cache", self.page_cache,
            "--bolt-keep-alive", str(int(self.bolt_keep_alive)),
        ]
        if not self.auth:
            command.append("--no-auth")
        if self.tls:
            command.append("--tls")
        return command

    def _prepare_browser(self) -> None:
        """Neo4j Browser plus graphbackend's assets, in one classpath folder.

        Neo4j serves the first ``browser/`` folder on its classpath, so the
        Browser's files (from the neo4j-browser jar) and graphbackend's
        (``explore/browser_root/browser/graphbackend``) are laid out together in
        ``<home>/browser-root/browser``, which comes first on the classpath.
        """
        from ..explore.browser import classpath_root

        root = self.home / "browser-root"
        jars = sorted(self.lib_dir.glob("neo4j-browser-*.jar"))
        if not jars:
            raise ServerError(f"no neo4j-browser jar in {self.lib_dir}: remove that folder and start again")
        stamp = root / ".from"
        if not stamp.exists() or stamp.read_text() != jars[-1].name:
            shutil.rmtree(root, ignore_errors=True)
            with zipfile.ZipFile(jars[-1]) as jar:
                jar.extractall(root, [name for name in jar.namelist() if name.startswith("browser/")])
            stamp.write_text(jars[-1].name)
        ours = root / "browser" / "graphbackend"
        shutil.rmtree(ours, ignore_errors=True)
        shutil.copytree(classpath_root() / "browser" / "graphbackend", ours)

    def _write_conf(self) -> None:
        from ..explore.browser import browser_config

        conf = self.home / "conf" / "neo4j.conf"
        conf.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lines = ["# Written by graphbackend at each start; edits are overwritten."]
        settings = browser_config(self.http_port)
        if self.tls:  # Browser is served over HTTPS: its style and guide too (no mixed content)
            settings = {key: value.replace("http://127.0.0.1", "https://127.0.0.1") for key, value in settings.items()}
        lines += [f"{key}={value}" for key, value in settings.items()]
        write_private(conf, "\n".join(lines) + "\n")

    def prepare_home(self) -> None:
        """Create the home (0700) with its ``logs`` folder and ``conf/neo4j.conf``."""
        try:
            self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.home, 0o700)
            (self.home / "logs").mkdir(exist_ok=True, mode=0o700)
            self._write_conf()
        except OSError as error:
            raise ServerError(f"the data directory {self.home} is not usable: {error}") from None

    def start(self, timeout: float = 180.0, echo=None) -> "LocalServer":
        """Start the server (building the jars first if needed) and wait until Bolt answers.

        Raises ServerError with the reason when Java or Maven is missing, a
        port is taken, the data folder is unusable, or the server fails.
        """
        if self.pid() is not None:
            raise ServerError(
                f"a graphbackend Neo4j server already runs from {self.home} (pid {self.pid()}): "
                f"`graphbackend server stop --home {self.home}` first"
            )
        java = find_java()
        for port, what in ((self.bolt_port, "Bolt"), (self.http_port, "HTTP")):
            if port_is_open(port):
                raise ServerError(
                    f"{what} port 127.0.0.1:{port} is already in use: stop what listens there "
                    f"or choose another port (--{what.lower()}-port)"
                )
        self.prepare_home()
        if echo and not (self.lib_dir / ".complete").exists():
            echo(f"fetching Neo4j {NEO4J_VERSION} jars from Maven Central into {self.lib_dir} (once)...")
        build(self.lib_dir)
        self._prepare_browser()

        env = dict(os.environ)
        env.pop("GRAPHBACKEND_NEO4J_PASSWORD", None)
        if self.auth and not self.password_was_set():
            env["GRAPHBACKEND_NEO4J_PASSWORD"] = self._initial_password()
        make_private(self.home)
        fd = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "ab") as log:
            offset = log.seek(0, os.SEEK_END)
            # umask 077: Neo4j's data, transaction logs, system database and logs are
            # created readable by their owner only.
            process = subprocess.Popen(
                self.command(java), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=env, start_new_session=True, umask=0o077,
            )
        tls = " tls" if self.tls else ""
        write_private(self.pid_file, f"{process.pid} {self.bolt_port} {self.http_port}{tls}\n")
        self._wait_ready(process, offset, timeout)
        if self.warm_up:
            self._warm_up(echo)
        return self

    def graph(self, database: str = "neo4j"):
        """A ``graphbackend.backend.graph.Graph`` on this (running) server, as user neo4j
        with the home's password; close it when done."""
        from ..backend.graph import Graph
        from ..settings import ConnectionSettings

        password = (self.password or self.stored_password() or "") if self.auth else ""
        return Graph(ConnectionSettings.resolve(
            uri=self.bolt_uri, user="neo4j", password=password, database=database, environ={}))

    def _warm_up(self, echo=None) -> None:
        """Create the schema and plan the scheduler's queries, so the first workflow runs warm."""
        from ..backend.warmup import warm_up

        graph = self.graph()
        try:
            report = warm_up(graph)
            self.warm_up_seconds = report.seconds
            if echo:
                echo(str(report))
        except Exception as error:  # the server works without it: say so and go on
            if echo:
                echo(f"warm-up skipped: {error}")
        finally:
            graph.close()

    def _new_log(self, offset: int) -> str:
        try:
            with open(self.log_file, "rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _wait_ready(self, process: subprocess.Popen, offset: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            output = self._new_log(offset)
            if READY_MARK in output and port_is_open(self.bolt_port):
                return
            code = process.poll()
            if code is not None or ERROR_MARK in output:
                if code is None:
                    process.wait(timeout=30)
                self.pid_file.unlink(missing_ok=True)
                errors = [line.split(ERROR_MARK, 1)[1].strip() for line in output.splitlines() if ERROR_MARK in line]
                reason = errors[0] if errors else "\n".join(output.splitlines()[-15:])
                raise ServerError(f"the local Neo4j server did not start: {reason} (log: {self.log_file})")
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"the local Neo4j server did not answer within {timeout:.0f}s (log: {self.log_file})")
            time.sleep(0.2)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout``). False if it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.2)
        self._reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _reap(pid: int) -> None:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass

    def status(self) -> Dict[str, object]:
        """Whether the server runs, with its pid, URIs, home and where its password is."""
        return {
            "running": self.is_running(),
            "pid": self.pid(),
            "bolt_uri": self.bolt_uri,
            "browser_url": self.browser_url,
            "home": str(self.home),
            "tls": self.tls,
            "password_file": str(self.password_file) if self.password_file.exists() else None,
        }


# Neo4j's offline bulk loader ---------------------------------------------------

#: The class of ``neo4j-admin`` in the jars the launcher uses.
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
#: Java heap of the bulk loader (its caches are off heap, bounded by LOADER_OFF_HEAP).
LOADER_HEAP = "1g"
#: The bulk loader's off-heap memory (``--max-off-heap-memory``): node id maps and
#: relationship caches. 2 GiB holds a 3.3M-record history (1M jobs) on this 2-core,
#: 23 GiB machine; Neo4j's default is 90% of free memory.
LOADER_OFF_HEAP = "2g"
#: Bad relationships (references to records not in the files) the loader skips before
#: it fails; each one is listed in its report file.
LOADER_BAD_TOLERANCE = 1_000_000


@dataclass
class LoaderRun:
    """What one run of Neo4j's bulk loader did."""

    seconds: float
    #: References the loader skipped (their target is not in the files), from its report.
    bad_relationships: List[str]
    output: str


def _loader_failure(output: str) -> str:
    """The loader's reason for failing, in one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    causes = [line for line in lines if line.startswith(("Caused by:", "original error:", "raw field value:"))]
    if causes:
        return "; ".join(dict.fromkeys(cause.split("Exception: ")[-1] for cause in causes[-3:]))
    useful = [line for line in lines if not line.startswith(("at ", "Run with '--verbose'", "WARNING Import failed"))]
    return "; ".join(useful[-3:]) or "no output"


def bulk_load(server: LocalServer, nodes: List[Tuple[str, List[Path]]],
              relationships: List[Tuple[str, List[Path]]],
              database: str = "neo4j", threads: int = 2, heap: str = LOADER_HEAP,
              off_heap: str = LOADER_OFF_HEAP, extra_args: Optional[List[str]] = None) -> LoaderRun:
    """Build ``database`` of a STOPPED server's home from CSV files with Neo4j's bulk
    loader (``neo4j-admin database import full``).

    ``nodes`` are (label spec (``Job``, or ``""`` when the files carry ``:LABEL``),
    files) pairs, ``relationships`` (relationship type, files) pairs; the first
    file of each is its header. The existing database (and its transaction logs) is
    moved aside first and put back, untouched, when the loader fails (then
    ServerError says why); after a success it is deleted. The ``system`` database
    (users, the password) is kept. Memory: ``heap`` for the JVM, ``off_heap`` for the
    loader's caches (:data:`LOADER_OFF_HEAP`).
    """
    if server.pid() is not None:
        raise ServerError(f"the Neo4j server of {server.home} is running (pid {server.pid()}): "
                          f"the bulk loader needs it stopped")
    java = find_java()
    build(server.lib_dir)
    server.prepare_home()
    data = server.home / "data"
    places = [data / "databases" / database, data / "transactions" / database]
    aside = server.home / f".bulk-previous-{database}"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(mode=0o700)
    moved = []
    for place in places:
        if place.exists():
            target = aside / place.parent.name
            place.rename(target)
            moved.append((place, target))
    report = server.home / "logs" / f"bulk-import-{database}.report"
    report.unlink(missing_ok=True)
    command = [java, f"-Xmx{heap}", "-cp", str(server.lib_dir / "*"), ADMIN_TOOL,
               "database", "import", "full", database,
               f"--threads={threads}", f"--max-off-heap-memory={off_heap}",
               "--skip-bad-relationships=true",
               f"--bad-tolerance={LOADER_BAD_TOLERANCE}", f"--report-file={report}"]
    command += [f"--nodes={label + '=' if label else ''}{','.join(str(f) for f in files)}"
                for label, files in nodes]
    command += [f"--relationships={kind}={','.join(str(f) for f in files)}"
                for kind, files in relationships]
    command += list(extra_args or ())
    env = dict(os.environ, NEO4J_HOME=str(server.home), NEO4J_CONF=str(server.home / "conf"))
    started = time.monotonic()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            env=env, umask=0o077)
    seconds = time.monotonic() - started
    output = result.stdout + "\n" + result.stderr
    if result.returncode != 0 or "IMPORT DONE" not in output:
        for place in places:
            shutil.rmtree(place, ignore_errors=True)
        for place, target in moved:
            target.rename(place)
        shutil.rmtree(aside, ignore_errors=True)
        raise ServerError(f"Neo4j's bulk loader failed (exit {result.returncode}) and the previous database "
                          f"of {server.home} was put back untouched: {_loader_failure(output)}")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        bad = [line for line in report.read_text().splitlines() if line.strip()]
    except OSError:
        bad = []
    return LoaderRun(seconds=seconds, bad_relationships=bad, output=output)


if __name__ == "__main__":  # pragma: no cover - manual use
    print(LocalServer().status(), file=sys.stderr)
