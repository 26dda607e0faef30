"""A redun-style ValueStore on any fsspec filesystem.

Layout and interface as redun's ``redun.backends.value_store.ValueStore``:
the bytes of the value with hash ``abcdef...`` live at ``<root>/ab/cdef...``
(or ``<root>/abcdef...`` with ``use_subdir=False``), and the store offers
``get_value_path``, ``has``, ``put``, ``get -> (bytes, found)`` and ``size``.
A store written by redun can be read by this one and the other way round.

The root is any fsspec URL: a local directory, ``memory://...``,
``s3://bucket/prefix``, ``gs://...`` (remote filesystems need their fsspec
package installed). Writes never expose half a blob to a reader: on a local
filesystem the bytes go to a temporary file in the same directory that is then
renamed into place; on object stores (and fsspec's memory filesystem) one
``pipe_file`` call writes the whole object at once.
"""

from __future__ import annotations

import os
import posixpath
import uuid
from typing import Any, Tuple

import fsspec
from fsspec.implementations.local import LocalFileSystem


class FsspecValueStore:
    """Value bytes kept as files named by their hash, on any fsspec filesystem.

    Parameters
    ----------
    root_path:
        The store's root, a local path or any fsspec URL.
    use_subdir:
        Whether to use redun's two-character subdirectory (``ab/cdef...``).
    """

    def __init__(self, root_path: str, use_subdir: bool = True):
        self.root_path = root_path
        self.use_subdir = use_subdir
        fs, root = fsspec.core.url_to_fs(root_path)
        self._fs: Any = fs
        self._root: str = root.rstrip("/") or root
        self._local = isinstance(fs, LocalFileSystem)

    def __repr__(self) -> str:
        return f"FsspecValueStore({self.root_path!r})"

    def _suffix(self, value_hash: str) -> str:
        if self.use_subdir:
            return value_hash[:2] + "/" + value_hash[2:]
        return value_hash

    def _fs_path(self, value_hash: str) -> str:
        """The blob's path as the fsspec filesystem names it (no protocol)."""
        return posixpath.join(self._root, self._suffix(value_hash))

    def get_value_path(self, value_hash: str) -> str:
        """Return the path (or URL) of the value's blob, as redun's ValueStore does."""
        return os.path.join(self.root_path, self._suffix(value_hash))

    def has(self, value_hash: str) -> bool:
        """Return True if the value's bytes are in the store."""
        return bool(self._fs.exists(self._fs_path(value_hash)))

    def put(self, value_hash: str, data: bytes) -> None:
        """Store the value's bytes (a no-op when they are already stored)."""
        if self.has(value_hash):
            return
        path = self._fs_path(value_hash)
        if self._local:
            directory = os.path.dirname(path)
            os.makedirs(directory, exist_ok=True)
            tmp_path = os.path.join(directory, f".{os.path.basename(path)}.tmp-{uuid.uuid4().hex}")
            try:
                with open(tmp_path, "wb") as out:
                    out.write(data)
                # Atomic on POSIX: readers see either no file or the whole blob.
                os.replace(tmp_path, path)
            finally:
                if os.path.exists(tmp_path):
                    os.remove(tmp_path)
        else:
            # One object write: object stores and memory:// publish it whole.
            self._fs.pipe_file(path, bytes(data))

    def get(self, value_hash: str) -> Tuple[bytes, bool]:
        """Return ``(data, True)``, or ``(b"", False)`` when the value is not stored."""
        try:
            return bytes(self._fs.cat_file(self._fs_path(value_hash))), True
        except FileNotFoundError:
            return b"", False

    def size(self, value_hash: str) -> int:
        """Return the size in bytes of the stored value, or -1 when it is not stored."""
        try:
            return int(self._fs.size(self._fs_path(value_hash)))
        except FileNotFoundError:
            return -1

    def delete(self, value_hash: str) -> bool:
        """Delete the value's blob (``graphbackend gc``); False when it was not stored."""
        try:
            self._fs.rm_file(self._fs_path(value_hash))
        except FileNotFoundError:
            return False
        return True
