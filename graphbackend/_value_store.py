"""A redun-style ValueStore on any fsspec filesystem.

OWNER: values engineer. Layout as redun's ``ValueStore``:
``<root>/ab/cdef...`` for the value with hash ``abcdef...``; same interface
(``get_value_path``, ``has``, ``put``, ``get -> (bytes, found)``, ``size``).
"""

from __future__ import annotations


class FsspecValueStore:
    def __init__(self, root_path: str, use_subdir: bool = True):
        self.root_path = root_path
        self.use_subdir = use_subdir
