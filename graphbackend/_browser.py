"""Neo4j Browser set-up for the local server: static assets and browser.* settings.

The local launcher puts :func:`classpath_root` on the server's classpath; Neo4j's
Browser module serves every classpath resource under ``browser/``, so a file
``_browser_root/browser/graphbackend/NAME`` is served at
``http://127.0.0.1:<http port>/browser/graphbackend/NAME``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Dict


def classpath_root() -> Path:
    """The directory the launcher adds to the server's classpath."""
    return Path(str(resources.files("graphbackend").joinpath("_browser_root")))


def browser_config(http_port: int) -> Dict[str, str]:
    """``browser.*`` settings written into the local server's ``neo4j.conf``."""
    return {}
