"""redun's serialized record format (version 1) for sync, import and export.

OWNER: records engineer (issue 4).
"""

from __future__ import annotations

from typing import Iterable, Iterator, List


class RecordsMixin:
    def get_records(self, ids: Iterable[str], sorted: bool = True) -> Iterable[dict]:
        raise NotImplementedError

    def put_records(self, records: Iterable[dict]) -> int:
        raise NotImplementedError

    def iter_record_ids(self, root_ids: Iterable[str]) -> Iterator[str]:
        raise NotImplementedError

    def has_records(self, record_ids: Iterable[str]) -> List[str]:
        raise NotImplementedError
