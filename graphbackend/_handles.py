"""Handles: their recorded states and lineage (advance, rollback, validity).

OWNER: jobs-tags-handles engineer.
"""

from __future__ import annotations


class HandlesMixin:
    def advance_handle(self, parent_handles, child_handle) -> None:
        raise NotImplementedError

    def rollback_handle(self, handle) -> None:
        raise NotImplementedError

    def is_valid_handle(self, handle) -> bool:
        raise NotImplementedError
