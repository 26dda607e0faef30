"""Named Cypher queries.

Every query graphbackend runs lives in the repository's ``cypher/`` folder,
one query a file, ``cypher/<name>.cypher`` (``graphbackend/cypher`` links to
it, so the queries install inside the package). Code refers to a query by its name only, so a reader
finds any query in one step. Values always travel as parameters.

The scheduler's hot-path queries (those that say ``CYPHER replan=skip``) are
planned once per server and take their parameters as ONE map, ``$p``
(``$p.call_hash``...): Neo4j caches a plan per query text and per *size class*
of each top-level list or string parameter (0, 1, a few, tens, hundreds...
elements or characters), so a call with 3 children and one with 40 were planned
apart (0.3-1.4 s each on a freshly started server); values inside a map carry no
size class, so one plan serves every call. ``bind(name, params)`` gives the
parameters to send: callers keep passing them by name.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Dict, List

from ..errors import UnknownQueryError

_FOLDER = resources.files("graphbackend").joinpath("cypher")


@lru_cache(maxsize=None)
def query(name: str) -> str:
    """Return the text of the named query (``cypher/<name>.cypher``)."""
    path = _FOLDER.joinpath(f"{name}.cypher")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnknownQueryError(f"no Cypher query named {name!r} (looked for cypher/{name}.cypher)") from None
    return text.strip()


#: The line that marks a hot-path query (planned once; parameters in one map).
PLANNED_ONCE = "CYPHER replan=skip"
#: The one map parameter of such a query.
PARAM_MAP = "p"


@lru_cache(maxsize=None)
def planned_once(name: str) -> bool:
    """True for a hot-path query: planned once, its parameters sent as one map ``$p``."""
    return any(line.strip() == PLANNED_ONCE for line in query(name).splitlines())


def bind(name: str, params: Dict[str, Any]) -> Dict[str, Any]:
    """The parameters to send with query ``name``: ``{"p": params}`` for a query
    planned once (see the module docstring), else ``params`` as they are."""
    return {PARAM_MAP: params} if planned_once(name) else params


def statements(name: str) -> List[str]:
    """Split a multi-statement script (such as the schema) on ``;`` at line ends."""
    parts = [part.strip() for part in query(name).split(";\n")]
    return [part.rstrip(";").strip() for part in parts if part.strip().rstrip(";").strip()]


def query_names() -> List[str]:
    """All query names shipped with the package."""
    return sorted(
        entry.name[: -len(".cypher")]
        for entry in _FOLDER.iterdir()
        if entry.name.endswith(".cypher")
    )
