"""Named Cypher queries.

Every query graphbackend runs lives in the repository's ``cypher/`` folder,
one query a file, ``cypher/<name>.cypher`` (``graphbackend/cypher`` links to
it, so the queries install inside the package). Code refers to a query by its name only, so a reader
finds any query in one step. Values always travel as parameters.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import List

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
