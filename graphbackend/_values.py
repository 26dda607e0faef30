"""Values: serialization, content-addressed storage, Files, Tasks, subvalues.

OWNER: values engineer. Contract used by the other mixins (keep these names):

- ``_prepare_values(values, datas=None) -> list[dict]``: serialize each value
  with redun's TypeRegistry (or use the given bytes), enforce
  ``max_value_size`` (ValueTooLargeError naming the limit and the setting),
  wrap serialization failures in ValueSerializationError, hash, put blobs at
  or above ``value_store_min_size`` into ``self.value_store`` and return one
  row dict per value (including rows for its subvalues, Files, Tasks) ready
  for ``_write_value_rows``. Pure Python, no Neo4j round trip.
- ``_write_value_rows(tx, rows)``: inside the caller's transaction, write the
  rows this process does not already know to be stored (UNWIND batches).
- ``_remember_value_rows(rows)``: after the caller's transaction committed,
  remember those hashes so they are never written twice by this process.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Tuple


class ValuesMixin:
    def _init_mixin_state(self) -> None:
        self._known_value_hashes: set = set()

    def _prepare_values(self, values: Iterable[Any], datas: Optional[Iterable[Optional[bytes]]] = None) -> List[dict]:
        raise NotImplementedError

    def _write_value_rows(self, tx, rows: List[dict]) -> None:
        raise NotImplementedError

    def _remember_value_rows(self, rows: List[dict]) -> None:
        raise NotImplementedError

    def record_value(self, value: Any, data: Optional[bytes] = None) -> str:
        raise NotImplementedError

    def get_value(self, value_hash: str) -> Tuple[Any, bool]:
        raise NotImplementedError
