"""Conversions between redun's Python values and Neo4j property values.

- Times: redun hands over timezone-aware UTC datetimes (``redun.utils.utcnow``)
  or naive ones meaning UTC. Neo4j stores them as zoned ``DateTime`` in UTC,
  which Neo4j Browser shows readably. Read back, they are aware UTC
  ``datetime.datetime`` objects.
- JSON: tag values and execution args are stored as JSON text in one
  canonical encoding, so equal values compare equal in Cypher.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Optional

UTC = _dt.timezone.utc


def to_neo4j_time(value: Optional[_dt.datetime]) -> Optional[_dt.datetime]:
    """A datetime ready to be a Neo4j DateTime property (aware, UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_epoch_micros(value: _dt.datetime) -> int:
    """A datetime (aware, or naive meaning UTC) as integer microseconds since the epoch.

    Sent in bulk instead of datetimes (a query makes the DateTime:
    ``datetime({epochSeconds: t / 1000000, nanosecond: t % 1000000 * 1000})``):
    the driver packs an integer in a fraction of a datetime's time.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    delta = aware - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)


def from_neo4j_time(value: Any) -> Optional[_dt.datetime]:
    """A Neo4j DateTime (or None) as an aware UTC ``datetime.datetime``."""
    if value is None:
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def encode_json(value: Any) -> str:
    """Canonical JSON text of a JSON-able value (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def decode_json(text: Optional[str]) -> Any:
    """The value of JSON text (None stays None)."""
    return None if text is None else json.loads(text)
