"""Keeping history healthy: ``invalidate`` and ``gc``.

- ``invalidate.py``: mark every cached call that derives from a target (a File,
  a Value, a Task, a CallNode or an Execution) so the cache checks skip it,
  keeping its history (``:Invalidation`` nodes); undo.
- ``gc.py``: delete executions by retention rules, keeping everything a kept
  execution reaches (provenance-consistent deletion), in resumable batches.
- ``cli.py``: the ``graphbackend invalidate`` and ``graphbackend gc`` commands.

This package may import ``graphbackend.backend``, ``graphbackend.errors`` and
``graphbackend.settings`` only (never ``sync``, ``explore``, ``server`` or ``demo``).
"""
