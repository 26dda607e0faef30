"""Value previews: the short text Neo4j Browser shows on a Value node (``preview``).

One implementation for values recorded by a running workflow (``values``) and
values imported from redun records (``sync``): a ``reprlib`` repr, at most
``PREVIEW_LENGTH`` characters.
"""

from __future__ import annotations

import pickle
import reprlib
from typing import Any, Optional

from redun.value import TypeRegistry

#: Longest preview text.
PREVIEW_LENGTH = 80
#: Serialized values larger than this get no preview on import (it would mean unpickling them).
PREVIEW_MAX_BYTES = 4096

_repr = reprlib.Repr()
_repr.maxstring = PREVIEW_LENGTH
_repr.maxother = PREVIEW_LENGTH
_repr.maxlevel = 3


def value_preview(value: Any, type_name: str = "") -> str:
    """A short repr of ``value`` (at most ``PREVIEW_LENGTH`` characters)."""
    try:
        text = _repr.repr(value)
    except Exception:
        text = f"<{type_name or type(value).__name__}>"
    if len(text) > PREVIEW_LENGTH:
        text = text[: PREVIEW_LENGTH - 3] + "..."
    return text


def data_preview(type_registry: TypeRegistry, type_name: str, format: str, data: bytes) -> Optional[str]:
    """The preview of a serialized value (an imported record), or None when it is
    larger than ``PREVIEW_MAX_BYTES`` or cannot be deserialized here."""
    if len(data) > PREVIEW_MAX_BYTES:
        return None
    try:
        value = type_registry.deserialize(type_name, data)
    except Exception:
        try:
            if format != "application/python-pickle":
                return None
            value = pickle.loads(data)
        except Exception:
            return None
    return value_preview(value, type_name)
