"""CallNodes, arguments and dataflow, subtree tasks, and every cache check.

OWNER: calls-and-cache engineer.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Set, Tuple


class CallsMixin:
    def record_call_node(self, task_name, task_hash, args_hash, expr_args, eval_args, result_hash, child_call_hashes, subtree_tasks=()) -> str:
        raise NotImplementedError

    def get_subtree_tasks(self, call_hash: str) -> Set[str]:
        raise NotImplementedError

    def record_call_node_context(self, call_hash: str, context_hash: Optional[str], context: dict) -> str:
        raise NotImplementedError

    def check_cache(self, task_hash, args_hash, eval_hash, execution_id, scheduler_task_hashes, cache_scope, check_valid, context_hash=None, allowed_cache_results=None):
        raise NotImplementedError

    def set_eval_cache(self, eval_hash, task_hash, args_hash, value, value_hash=None) -> None:
        raise NotImplementedError

    def explain_cache_miss(self, task, args_hash: str) -> Optional[Dict[str, Any]]:
        raise NotImplementedError
