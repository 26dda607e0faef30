"""Values: serialization, content-addressed storage, Files, Tasks, subvalues.

Behaviour follows redun 0.44.1's ``RedunBackendDb.record_value``:

- a value is serialized with redun's TypeRegistry (or the caller's bytes),
  hashed by its redun ``Value`` interface, and stored once per hash;
- a top-level value larger than ``max_value_size`` is refused;
- a top-level value whose ``sys.getsizeof(data)`` is at least
  ``value_store_min_size`` goes to the value store (when one is configured)
  and its Neo4j node keeps an empty ``value`` with ``in_value_store = true``;
- graphbackend's own limit: a value whose serialization is larger than
  ``max_inline_value_size`` (default ``DEFAULT_MAX_INLINE_VALUE_SIZE``) is never
  sent to Neo4j inline. It goes to the value store when one is configured
  (whatever ``value_store_min_size`` says); without one it is refused at once
  with ``ValueTooLargeError`` naming its size, the limit and how to configure
  a value store, before anything is written. (Above the limit, the one Bolt
  message that carries it may not reach the server within the driver's
  ``connection_write_timeout``, and the server holds it whole in its transaction
  memory; the failure then came late, after retries, as "cannot reach Neo4j".)
- its subvalues (``iter_subvalues()``: Files in a list, Files of a Dir...) are
  stored inline and linked ``(parent)-[:SUBVALUE]->(subvalue)``;
- Files get the ``File`` label and ``path``; Tasks the ``Task`` label and
  ``hash``, ``name``, ``namespace``, ``fullname``, ``source``; Handle values
  get a ``Handle`` node with a ``VALUE`` edge (its ``is_valid`` stays unset
  until ``advance_handle`` records the handle, so a handle only seen as a
  value is not valid, as in redun).

The state lives in one ``Values`` object, built by ``Neo4jBackend.__init__``
and used by every concern that writes values (calls, cache, jobs, handles):

- ``values.prepare(values, datas=None) -> ValueRows``: pure Python plus
  value-store puts, no Neo4j round trip. Raises ``ValueTooLargeError`` and
  ``ValueSerializationError`` before anything is written anywhere.
  ``rows.hashes`` lists the given values' hashes, in order; rows this process
  already wrote are skipped.
- ``values.commit(rows, work, run=...)``: ONE write transaction that MERGEs the
  rows, then runs the caller's ``work(tx)``, and remembers the rows' hashes
  once it committed (so this process never writes them again).
- ``values.commit_with_job_end(rows, work, after)``: the same, but on a running
  scheduler's thread queued in ``JobEndWrites`` to commit with the job's end.
- ``values.record(values)``: prepare + ``commit_with_job_end`` (``record_value``).
- ``values.load(value_hash, type, data, in_value_store)``: a stored value back
  (from the node's bytes or the value store).
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar

from redun.file import File as BaseFile
from redun.handle import Handle as BaseHandle
from redun.task import Task as BaseTask
from redun.value import InvalidValueError, TypeRegistry

from ..errors import ValueSerializationError, ValueStoreMissingError, ValueTooLargeError
from .graph import Graph, Tx
from .job_end_writes import JobEndWrites
from .preview import value_preview
from .value_store import FsspecValueStore

T = TypeVar("T")

#: The largest serialized value sent to Neo4j inline, in bytes (``max_inline_value_size``).
#: Measured on the local server (1 GiB heap) on a loaded 2-core machine: 200 MB reached
#: the server within the driver's 30 s write timeout, 300 MB did not (README, "Large values").
DEFAULT_MAX_INLINE_VALUE_SIZE = 128 * 1024 * 1024

class ValueRows(list):
    """Rows ready for ``Values.commit``: one per given value, in order, then subvalue rows.

    A row whose hash this process already wrote (or that repeats an earlier
    row) is a stub ``{"value_hash": ..., "skip": True}`` that is not written.
    """

    def __init__(self, rows: Iterable[dict] = (), hashes: Sequence[str] = ()):
        super().__init__(rows)
        #: The value_hash of each given value, in order.
        self.hashes: List[str] = list(hashes)

    @property
    def pending(self) -> bool:
        """True when some row still has to be written."""
        return any(not row.get("skip") for row in self)


def _type_label(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


class Values:
    """This process's Values: their serialization, their bytes' home, and which are stored.

    Parameters
    ----------
    writes:
        The backend's ``JobEndWrites`` (values recorded by a running scheduler
        commit with the job's end).
    type_registry:
        redun's TypeRegistry, which serializes and hashes values.
    store, store_min_size, max_size:
        The value store (or None), the size from which a value's bytes go to
        it, and the largest value accepted (redun's ``value_store_min_size``
        and ``max_value_size``).
    max_inline_size:
        The largest serialization sent to Neo4j inline (``max_inline_value_size``):
        larger values go to the value store, or are refused without one.
    """

    def __init__(
        self,
        writes: JobEndWrites,
        type_registry: TypeRegistry,
        store: Optional[FsspecValueStore],
        store_min_size: int,
        max_size: int,
        max_inline_size: int = DEFAULT_MAX_INLINE_VALUE_SIZE,
    ):
        self.writes = writes
        self.type_registry = type_registry
        self.store = store
        self.store_min_size = store_min_size
        self.max_size = max_size
        self.max_inline_size = max_inline_size
        #: Hashes of values this process has written (and seen committed) or read back.
        self.known_hashes: Set[str] = set()

    # Preparing rows -----------------------------------------------------------

    def _serialization_error(self, value: Any, error: BaseException, role: str = "value") -> ValueSerializationError:
        return ValueSerializationError(
            f"cannot serialize {role} of type {_type_label(value)} with redun's TypeRegistry: "
            f"{type(error).__name__}: {error}"
        )

    def _value_row(self, value: Any, value_hash: str, data: bytes, value_format: str, in_store: bool) -> dict:
        """One row for ``value`` (its special File/Task/Handle facts included)."""
        type_name = self.type_registry.get_type_name(type(value))
        row: Dict[str, Any] = {
            "value_hash": value_hash,
            "props": {
                "type": type_name,
                "format": value_format,
                "value": b"" if in_store else bytes(data),
                "in_value_store": in_store,
                "size": len(data),
                "preview": value_preview(value, type_name),
            },
            "path": None,
            "task": None,
            "handle": None,
            "subvalues": [],
        }
        if isinstance(value, BaseFile):
            row["path"] = value.path
        elif isinstance(value, BaseTask):
            try:
                source = value.source
            except Exception:  # source may be unavailable (e.g. built in a REPL)
                source = None
            row["task"] = {
                "name": value.name,
                "namespace": value.namespace,
                "fullname": value.fullname,
                "source": source,
            }
        elif isinstance(value, BaseHandle):
            info = value.__handle__
            row["handle"] = {"hash": info.hash, "fullname": info.fullname, "key": info.key}
        return row

    def prepare(
        self, values: Iterable[Any], datas: Optional[Iterable[Optional[bytes]]] = None
    ) -> ValueRows:
        """Serialize values (with their subvalues, Files, Tasks, Handles) into rows to write.

        ``datas``, when given, holds for each value its bytes (or None to
        serialize it). Raises ``ValueTooLargeError`` or
        ``ValueSerializationError`` before anything is written; then puts the
        large blobs into the value store. Returns a ``ValueRows``: the rows
        this process has not written yet, and ``.hashes`` for every value.
        """
        values = list(values)
        datas_list: List[Optional[bytes]] = list(datas) if datas is not None else [None] * len(values)
        if len(datas_list) != len(values):
            raise ValueError(f"{len(values)} values but {len(datas_list)} datas")

        top_rows: List[dict] = []
        rows: Dict[str, dict] = {}  # hash -> row to write (top-level and subvalues)
        sub_rows: List[dict] = []
        hashes: List[str] = []
        store_puts: List[Tuple[str, bytes]] = []
        known = self.known_hashes

        for value, data in zip(values, datas_list):
            if data is None and isinstance(value, BaseTask) and value.hash in known:
                # A Task's hash is its own (no serialization): stored already, a job's start
                # (which records its task) skips pickling it.
                hashes.append(value.hash)
                top_rows.append({"value_hash": value.hash, "skip": True})
                continue
            value_interface = self.type_registry.get_value(value)
            if data is None:
                try:
                    data = value_interface.serialize()
                except Exception as error:
                    raise self._serialization_error(value, error) from error
            if len(data) > self.max_size:
                raise ValueTooLargeError(
                    f"Value {value_preview(value)} is too large ({len(data)} bytes > "
                    f"max_value_size {self.max_size}) to store in the redun database. "
                    f"If you need to store larger values, increase the `max_value_size` setting "
                    f"and consider using a value store (`value_store_path`)."
                )
            try:
                value_hash = value_interface.get_hash(data=data)
                value_format = value_interface.get_serialization_format()
            except Exception as error:
                raise self._serialization_error(value, error) from error
            hashes.append(value_hash)
            if value_hash in known or value_hash in rows:
                # Already stored: redun returns early, without its subvalues.
                top_rows.append({"value_hash": value_hash, "skip": True})
                continue

            in_store = self.store is not None and (
                sys.getsizeof(data) >= self.store_min_size or len(data) > self.max_inline_size
            )
            if not in_store and len(data) > self.max_inline_size:
                raise ValueTooLargeError(
                    f"Value {value_preview(value)} is too large to store in Neo4j: its serialization "
                    f"is {len(data)} bytes, above max_inline_value_size ({self.max_inline_size} bytes), "
                    f"and no value store is configured. Set `value_store_path` in the [backend] "
                    f"section of redun.ini (or Neo4jBackend(value_store_path=...)) to keep large "
                    f"values as files (or raise max_inline_value_size); nothing was recorded."
                )
            if in_store:
                store_puts.append((value_hash, data))
            row = self._value_row(value, value_hash, data, value_format, in_store)
            rows[value_hash] = row
            top_rows.append(row)

            try:
                subvalues = list(value_interface.iter_subvalues())
            except Exception as error:
                raise self._serialization_error(value, error, "subvalues of value") from error
            for subvalue in subvalues:
                try:
                    sub_data = self.type_registry.serialize(subvalue)
                    sub_hash = self.type_registry.get_hash(subvalue, data=sub_data)
                    sub_format = self.type_registry.get_serialization_format(subvalue)
                except Exception as error:
                    raise self._serialization_error(subvalue, error, "a subvalue") from error
                if sub_hash not in row["subvalues"]:
                    row["subvalues"].append(sub_hash)
                if sub_hash in known or sub_hash in rows:
                    continue
                # Subvalues are stored inline, as redun does.
                rows[sub_hash] = self._value_row(subvalue, sub_hash, sub_data, sub_format, False)
                sub_rows.append(rows[sub_hash])

        if store_puts and self.store is not None:
            for value_hash, data in store_puts:
                self.store.put(value_hash, data)
        return ValueRows(top_rows + sub_rows, hashes)

    # Writing rows ---------------------------------------------------------------

    @staticmethod
    def _write_rows(tx: Tx, rows: List[dict]) -> None:
        """MERGE the prepared rows inside the caller's write transaction (UNWIND batches)."""
        rows = [row for row in rows if not row.get("skip")]
        if not rows:
            return
        tx.run("value_merge", rows=rows)
        edges = [
            {"parent": row["value_hash"], "child": child}
            for row in rows
            for child in row["subvalues"]
        ]
        if edges:
            tx.run("value_link_subvalues", edges=edges)
        handles = [
            dict(row["handle"], value_hash=row["value_hash"])
            for row in rows
            if row["handle"] is not None
        ]
        if handles:
            tx.run("value_merge_handles", rows=handles)

    def _remember(self, rows: List[dict]) -> None:
        """After the writing transaction committed: remember the rows' hashes as stored."""
        self.known_hashes.update(row["value_hash"] for row in rows)

    def commit(self, rows: List[dict], work: Optional[Callable[[Tx], T]], run: Callable[[Callable[[Tx], T]], T]) -> T:
        """In ONE write transaction run by ``run`` (e.g. ``graph.write_tx``), MERGE the
        pending ``rows``, then ``work(tx)``; remember the rows once committed.

        Returns what ``work`` returned (None without work).
        """

        def transaction(tx: Tx) -> Any:
            self._write_rows(tx, rows)
            return work(tx) if work is not None else None

        result = run(transaction)
        self._remember(rows)
        return result

    def commit_with_job_end(
        self,
        rows: List[dict],
        work: Optional[Callable[[Tx], Any]] = None,
        after: Optional[Callable[[], None]] = None,
    ) -> None:
        """Like ``commit``, but on a running scheduler's thread queued in ``JobEndWrites``:
        it commits with the job's end (``record_job_end``). ``after()`` runs once committed.
        """
        if not work and not any(not row.get("skip") for row in rows):
            return

        def transaction(tx: Tx) -> None:
            self._write_rows(tx, rows)
            if work is not None:
                work(tx)

        def done() -> None:
            self._remember(rows)
            if after is not None:
                after()

        self.writes.write_or_queue(transaction, done)

    def record(self, values: Iterable[Any], datas: Optional[Iterable[Optional[bytes]]] = None) -> List[str]:
        """Prepare, write (with the job's end on a scheduler's thread) and remember values;
        return their hashes. A value this process already recorded costs no round trip."""
        rows = self.prepare(values, datas)
        self.commit_with_job_end(rows)
        return rows.hashes

    # Reading values -------------------------------------------------------------

    def load(
        self, value_hash: str, type_name: str, data: Any, in_value_store: Optional[bool], remember: bool = False
    ) -> Tuple[Any, bool]:
        """A stored value: ``(value, True)``, or ``(None, False)`` when its bytes are
        missing from the value store or redun's TypeRegistry calls them invalid.

        ``remember=True``: once its bytes are found, recording the value again
        needs no write (it is stored; values are content-addressed).
        """
        data, found = self._data(value_hash, data, in_value_store)
        if not found:
            return None, False
        if remember:
            self.known_hashes.add(value_hash)
        try:
            return self.type_registry.deserialize(type_name, bytes(data)), True
        except InvalidValueError:
            return None, False

    def _data(self, value_hash: str, data: Any, in_value_store: Optional[bool]) -> Tuple[bytes, bool]:
        """The bytes of a stored value: the node's ``value``, or the value store's blob."""
        data = bytes(data) if data is not None else b""
        if in_value_store is None:
            # Written by other tools (e.g. imported redun records): redun's rule.
            in_value_store = len(data) == 0
        if not in_value_store:
            return data, True
        if self.store is None:
            raise ValueStoreMissingError(
                f"value {value_hash} is kept in a value store, but no value store is configured: "
                f"set `value_store_path` in the [backend] config (or pass value_store_path=)."
            )
        return self.store.get(value_hash)


class ValuesMixin:
    """redun's value API (``record_value``, ``get_value``) on the host's ``Values``."""

    # From the host (Neo4jBackend.__init__):
    _values: Values
    _job_end_writes: JobEndWrites
    _graph: Graph

    def record_value(self, value: Any, data: Optional[bytes] = None) -> str:
        """Record a value (and its subvalues) and return its value_hash.

        ``data``, when given, is used as the value's serialization. Raises
        ``ValueTooLargeError`` when the serialization exceeds ``max_value_size``
        and ``ValueSerializationError`` when redun cannot serialize the value.
        A value this process already recorded costs no round trip to Neo4j.
        Within a running Scheduler the write commits with the job's end
        (``JobEndWrites``).
        """
        return self._values.record([value], [data])[0]

    def get_value(self, value_hash: str) -> Tuple[Any, bool]:
        """Return ``(value, True)`` for a recorded value, else ``(None, False)``.

        A value whose type can no longer be deserialized, or whose bytes are
        missing from the value store, also gives ``(None, False)``. Sees the
        values queued to commit with a job's end (``JobEndWrites.read``).
        """
        records = self._job_end_writes.read("value_get", value_hash=value_hash)
        if not records:
            return None, False
        record = records[0]
        return self._values.load(value_hash, record["type"], record["value"], record["in_value_store"])
