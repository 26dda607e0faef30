"""Connection settings: where the Neo4j server is and how to log in.

Precedence (highest first): explicit arguments, redun's ``[backend]`` config
section (``neo4j_uri``, ``neo4j_user``, ``neo4j_database``,
``neo4j_connection_timeout``, ``neo4j_max_retry_time``), the Neo4j tools'
environment variables (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``, ``NEO4J_CONNECTION_TIMEOUT``, ``NEO4J_MAX_RETRY_TIME``),
then the local server's defaults. The password is read from arguments or the
environment only: it never has to be written in a config file. Without one, a
client of a loopback URI uses the password the local server generated at its
first start (``<home>/password``, see :func:`local_server_password`).

Command lines: every ``graphbackend`` command that talks to Neo4j takes the
same options, added by ``add_connection_options(parser)`` (``--uri``,
``--user``, ``--database``, ``--redun-config``; the password comes from
``NEO4J_PASSWORD`` only) and resolved by ``connection_from_args(args)``, which
reads the ``[backend]`` section of redun's config (``redun_backend_config``:
``--redun-config``, else ``REDUN_CONFIG``, else the ``.redun`` folder found
upwards from the working directory, as redun does).

The two time limits keep a missing server from stalling a workflow for
minutes: ``connection_timeout`` bounds one attempt to open a connection, and
``max_retry_time`` bounds how long a transaction is retried on transient
errors (the first connection made by ``load()`` is verified once, without
retries, so an unreachable server fails within ``connection_timeout``).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from redun.config import Section

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
#: The password of local server homes first started before passwords were generated
#: (still tried when a loopback server's home has no ``password`` file).
DEFAULT_PASSWORD = "graphbackend"
DEFAULT_DATABASE = "neo4j"
#: Seconds one attempt to open a connection may take.
DEFAULT_CONNECTION_TIMEOUT = 10.0
#: Seconds a transaction is retried on transient errors before giving up.
DEFAULT_MAX_RETRY_TIME = 30.0


def _seconds(name: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None
    if seconds <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return seconds


def redact_uri(uri: str) -> str:
    """The URI with any ``user:password@`` part removed, safe to show in messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri
    if "@" not in parts.netloc:
        return uri
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=host))


def uri_password(uri: str) -> Optional[str]:
    """The password embedded in a URI's ``user:password@`` part, if any."""
    try:
        return urlsplit(uri).password
    except ValueError:
        return None


def local_server_password(uri: str, environ: Mapping[str, str]) -> str:
    """The default password: the local server's generated one for a loopback ``uri``.

    ``graphbackend server start`` stores a random password in ``<home>/password``
    (mode 0600) at a home's first start; the home is ``GRAPHBACKEND_SERVER_HOME``,
    else ``$XDG_DATA_HOME/graphbackend/neo4j`` (``~/.local/share/...``), as for the
    server. Other hosts, and homes without that file (first started before
    passwords were generated), get :data:`DEFAULT_PASSWORD`.
    """
    try:
        host = urlsplit(uri).hostname
    except ValueError:
        host = None
    if host in ("127.0.0.1", "localhost", "::1"):
        home = environ.get("GRAPHBACKEND_SERVER_HOME") or os.path.join(
            environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "graphbackend", "neo4j")
        try:
            with open(os.path.join(os.path.expanduser(home), "password")) as file:
                return file.read().strip() or DEFAULT_PASSWORD
        except OSError:
            pass
    return DEFAULT_PASSWORD


@dataclass(frozen=True)
class ConnectionSettings:
    """Where a Neo4j database is and the credentials to use it."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: Optional[str] = field(default=DEFAULT_PASSWORD, repr=False)
    database: str = DEFAULT_DATABASE
    connection_timeout: float = DEFAULT_CONNECTION_TIMEOUT
    max_retry_time: float = DEFAULT_MAX_RETRY_TIME

    @classmethod
    def resolve(
        cls,
        uri: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        database: Optional[str] = None,
        config: Optional["Section"] = None,
        environ: Optional[Mapping[str, str]] = None,
        connection_timeout: Optional[float] = None,
        max_retry_time: Optional[float] = None,
    ) -> "ConnectionSettings":
        """Combine arguments, a redun config section and the environment."""
        config = config or {}
        env = os.environ if environ is None else environ

        def pick(argument, config_key, env_key, default):
            if argument is not None and argument != "":
                return argument
            return config.get(config_key) or env.get(env_key) or default

        uri = pick(uri, "neo4j_uri", "NEO4J_URI", DEFAULT_URI)
        return cls(
            uri=uri,
            user=pick(user, "neo4j_user", "NEO4J_USERNAME", DEFAULT_USER),
            password=(
                password
                if password is not None
                else env["NEO4J_PASSWORD"]
                if "NEO4J_PASSWORD" in env
                else local_server_password(uri, env)
            ),
            database=pick(database, "neo4j_database", "NEO4J_DATABASE", DEFAULT_DATABASE),
            connection_timeout=_seconds(
                "neo4j_connection_timeout",
                pick(
                    connection_timeout,
                    "neo4j_connection_timeout",
                    "NEO4J_CONNECTION_TIMEOUT",
                    DEFAULT_CONNECTION_TIMEOUT,
                ),
            ),
            max_retry_time=_seconds(
                "neo4j_max_retry_time",
                pick(
                    max_retry_time,
                    "neo4j_max_retry_time",
                    "NEO4J_MAX_RETRY_TIME",
                    DEFAULT_MAX_RETRY_TIME,
                ),
            ),
        )

    @property
    def auth(self) -> Optional[Tuple[str, str]]:
        """Auth tuple for the driver, or None when the password is empty (auth disabled)."""
        if not self.password:
            return None
        return (self.user, self.password)

    @property
    def safe_uri(self) -> str:
        """The URI without any embedded credentials, for messages and logs."""
        return redact_uri(self.uri)

    def driver_config(self) -> Dict[str, Any]:
        """Keyword arguments for ``neo4j.GraphDatabase.driver`` (the time limits)."""
        return {
            "connection_timeout": self.connection_timeout,
            "max_transaction_retry_time": self.max_retry_time,
            # Acquiring a connection includes opening it and the Bolt handshake, so
            # this is what bounds a server that accepts TCP and never answers: one
            # connection timeout (it was 60 s whatever connection_timeout said).
            "connection_acquisition_timeout": self.connection_timeout,
            # Query notifications (e.g. "label does not exist yet" on a new
            # graph) are noise for a library; errors are still raised.
            "notifications_min_severity": "OFF",
        }


# Command lines ------------------------------------------------------------------


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Add the Neo4j connection options every command shares (resolve them with
    ``connection_from_args``). The password is never an option: ``NEO4J_PASSWORD``."""
    group = parser.add_argument_group(
        "Neo4j connection", "password from NEO4J_PASSWORD only (default: the local server's)"
    )
    group.add_argument(
        "--uri", help=f"Bolt URI (default: neo4j_uri of the redun config, else NEO4J_URI, else {DEFAULT_URI})"
    )
    group.add_argument(
        "--user", help=f"user name (default: neo4j_user of the redun config, else NEO4J_USERNAME, else {DEFAULT_USER})"
    )
    group.add_argument(
        "--database",
        help=f"database (default: neo4j_database of the redun config, else NEO4J_DATABASE, else {DEFAULT_DATABASE})",
    )
    group.add_argument(
        "--redun-config", metavar="DIR",
        help="redun config folder whose redun.ini [backend] section is read (default: REDUN_CONFIG, "
        "else the .redun folder found upwards from here, as redun does)",
    )


def redun_backend_config(config_dir: Optional[str] = None) -> Optional["Section"]:
    """The ``[backend]`` section of redun's config, or None when there is no ``redun.ini``.

    The folder is ``config_dir``, else ``REDUN_CONFIG``, else the ``.redun``
    folder found upwards from the working directory (redun's own rules).
    Relative paths in it (``value_store_path``) are relative to that folder.
    """
    from redun.cli import get_config_path
    from redun.config import Config
    from redun.scheduler_config import postprocess_config

    path = get_config_path(config_dir)
    if not os.path.isfile(path):
        return None
    config = Config()
    config.read_path(path)
    config = postprocess_config(config, os.path.dirname(path))
    return config["backend"]


def connection_from_args(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = None) -> ConnectionSettings:
    """The connection a command line asks for (options of ``add_connection_options``).

    Precedence: ``--uri``/``--user``/``--database``, the redun config's
    ``neo4j_*`` keys (``redun_backend_config(args.redun_config)``), the
    ``NEO4J_*`` environment variables, then the local server's defaults.
    """
    return ConnectionSettings.resolve(
        uri=getattr(args, "uri", None),
        user=getattr(args, "user", None),
        database=getattr(args, "database", None),
        config=redun_backend_config(getattr(args, "redun_config", None)),
        environ=environ,
    )
