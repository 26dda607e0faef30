"""Executions (with their heartbeat) and Jobs.

OWNER: jobs-tags-handles engineer.
"""

from __future__ import annotations

from typing import List, Optional


class JobsMixin:
    def record_execution(self, exec_id: str, args: List[str]) -> None:
        raise NotImplementedError

    def record_updated_time(self, execution_id: str) -> None:
        raise NotImplementedError

    def record_job_start(self, job, now=None):
        raise NotImplementedError

    def record_job_end(self, job, now=None, status=None) -> None:
        raise NotImplementedError

    def get_job(self, job_id: str) -> Optional[dict]:
        raise NotImplementedError
