"""Questions only a provenance graph answers (the public surface).

::

    from graphbackend import Neo4jBackend
    from graphbackend.questions import impact, diff, why, plan, task_graph

    backend = Neo4jBackend()
    impact(backend, "data/input.csv")           # everything downstream of a file, across executions
    diff(backend, "3f2a", "9b1c")                # two executions' call trees aligned, call by call
    why(backend, "61a575dd")                     # why a job ran (or was served from the cache)
    plan(backend, "workflow.py", "main", cli_args=["--x", "4"])   # what would rerun now
    task_graph(backend)                          # tasks as nodes, "calls"/"feeds" edges

Each function takes a ``Neo4jBackend`` (or a ``graphbackend.backend.graph.Graph``),
only reads, and returns plain JSON-ready data (the ``--json`` output of the
``graphbackend impact|diff|why|plan|tasks`` commands). Unknown or ambiguous ids,
a module that does not import and a task not found raise
:class:`graphbackend.errors.ExploreError` with a one-line message.
"""

from .errors import ExploreError
from .explore.questions import (
    DEFAULT_IMPACT_DEPTH,
    DEFAULT_LIMIT,
    diff,
    impact,
    plan,
    resolve_target,
    task_graph,
    why,
    write_task_graph_html,
)

__all__ = [
    "DEFAULT_IMPACT_DEPTH", "DEFAULT_LIMIT", "ExploreError", "diff", "impact", "plan",
    "resolve_target", "task_graph", "why", "write_task_graph_html",
]
