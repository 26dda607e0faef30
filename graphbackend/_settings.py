"""Connection settings: where the Neo4j server is and how to log in.

Precedence (highest first): explicit arguments, redun's ``[backend]`` config
section (``neo4j_uri``, ``neo4j_user``, ``neo4j_database``), the Neo4j tools'
environment variables (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``), then the local server's defaults. The password is read
from arguments or the environment only: it never has to be written in a
config file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "graphbackend"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True)
class ConnectionSettings:
    """Where a Neo4j database is and the credentials to use it."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: Optional[str] = field(default=DEFAULT_PASSWORD, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def resolve(
        cls,
        uri: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        database: Optional[str] = None,
        config: Optional[Mapping[str, str]] = None,
        environ: Optional[Mapping[str, str]] = None,
    ) -> "ConnectionSettings":
        """Combine arguments, a redun config section and the environment."""
        config = config or {}
        env = os.environ if environ is None else environ
        return cls(
            uri=uri or config.get("neo4j_uri") or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user
            or config.get("neo4j_user")
            or env.get("NEO4J_USERNAME")
            or DEFAULT_USER,
            password=(
                password
                if password is not None
                else env.get("NEO4J_PASSWORD", DEFAULT_PASSWORD)
            ),
            database=database
            or config.get("neo4j_database")
            or env.get("NEO4J_DATABASE")
            or DEFAULT_DATABASE,
        )

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ConnectionSettings":
        """Settings from the ``NEO4J_*`` environment variables and defaults."""
        return cls.resolve(environ=environ)

    @property
    def auth(self):
        """Auth tuple for the driver, or None when the password is empty (auth disabled)."""
        if not self.password:
            return None
        return (self.user, self.password)
