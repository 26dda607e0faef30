"""Large values: the largest value that round-trips inline, beside redun's SQLite.

``python -m benchmarks.large_values [--sizes 16,64,127.9,160] [--max-inline BYTES]``.
For each size (MiB) a value of random bytes is recorded (``record_value``) and
read back (``get_value``, by a second backend, so it really is read) through
graphbackend into the Neo4j database ``Neo4jBackend()`` connects to (``NEO4J_URI``,
else the local server; use a throwaway one) and through redun's ``RedunBackendDb``
into a new SQLite file, alternating which goes first. It prints both times, the
ratio, and Neo4j's round trips (transactions) per value; a value above
``max_inline_value_size`` (no value store here) is refused at once, and the line
says in how long. The last line names the largest size that round-tripped
inline. Each value is deleted from Neo4j again after its sample.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from typing import List, Optional, Tuple

from redun.backends.db import RedunBackendDb
from redun.config import create_config_section

from graphbackend import Neo4jBackend
from graphbackend.backend.values import DEFAULT_MAX_INLINE_VALUE_SIZE
from graphbackend.errors import ValueTooLargeError

MIB = 1024 * 1024


def neo4j_round_trip(data: bytes, max_inline: Optional[int]) -> Tuple[str, float, float, int]:
    """("ok" or the error, write seconds, read seconds, transactions) through graphbackend."""
    kwargs = {} if max_inline is None else {"max_inline_value_size": max_inline}
    writer, reader = Neo4jBackend(**kwargs), Neo4jBackend(**kwargs)
    writer.load()
    reader.load(migrate=False)
    value_hash = None
    try:
        before = writer.graph.transactions + reader.graph.transactions
        start = time.perf_counter()
        try:
            value_hash = writer.record_value(data)
        except ValueTooLargeError as error:
            return f"refused: {str(error)[:90]}...", time.perf_counter() - start, 0.0, 0
        except Exception as error:  # the failure this benchmark documents (e.g. a write timeout)
            return f"FAILED {type(error).__name__}: {str(error)[:120]}", time.perf_counter() - start, 0.0, 0
        wrote = time.perf_counter() - start
        start = time.perf_counter()
        value, found = reader.get_value(value_hash)
        read = time.perf_counter() - start
        assert found and value == data, "the value read back differs"
        transactions = writer.graph.transactions + reader.graph.transactions - before
        return "ok", wrote, read, transactions
    finally:
        if value_hash is not None:
            writer.graph.write_tx(lambda tx: tx.run_text(
                "MATCH (v:Value {value_hash: $h}) DETACH DELETE v", h=value_hash))
        writer.close()
        reader.close()


def sqlite_round_trip(data: bytes, folder: str) -> Tuple[float, float]:
    """(write seconds, read seconds) through redun's own backend on a new SQLite file."""
    path = os.path.join(folder, f"redun-{time.monotonic_ns()}.db")
    config = create_config_section({"automigrate": "True"})
    writer = RedunBackendDb(db_uri=f"sqlite:///{path}", config=config)
    writer.load()
    start = time.perf_counter()
    value_hash = writer.record_value(data)
    wrote = time.perf_counter() - start
    reader = RedunBackendDb(db_uri=f"sqlite:///{path}", config=config)
    reader.load()
    start = time.perf_counter()
    value, found = reader.get_value(value_hash)
    read = time.perf_counter() - start
    assert found and value == data
    for backend in (writer, reader):
        backend.session.close()
        backend.engine.dispose()
    os.remove(path)
    return wrote, read


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16,64,127.9,160",
                        help="value sizes in MiB, comma-separated (default 16,64,127.9,160)")
    parser.add_argument("--max-inline", type=int, default=None,
                        help=f"max_inline_value_size in bytes (default {DEFAULT_MAX_INLINE_VALUE_SIZE})")
    args = parser.parse_args(argv)
    logging.getLogger("redun").setLevel(logging.WARNING)
    sizes = [float(size) for size in args.sizes.split(",") if size.strip()]
    limit = args.max_inline or DEFAULT_MAX_INLINE_VALUE_SIZE
    print(f"load average {os.getloadavg()[0]:.1f}; max_inline_value_size {limit} bytes ({limit / MIB:g} MiB)")
    print(f"{'MiB':>7} | {'neo4j write':>11} {'read':>6} {'tx':>3} | {'sqlite write':>12} {'read':>6} | "
          f"{'ratio':>5} | result")
    largest = None
    with tempfile.TemporaryDirectory(prefix="graphbackend-large-") as folder:
        for n, size in enumerate(sizes):
            data = os.urandom(int(size * MIB))
            order = ("neo4j", "sqlite") if n % 2 == 0 else ("sqlite", "neo4j")
            results = {}
            for name in order:
                if name == "neo4j":
                    results[name] = neo4j_round_trip(data, args.max_inline)
                else:
                    results[name] = sqlite_round_trip(data, folder)
            outcome, n_write, n_read, transactions = results["neo4j"]
            s_write, s_read = results["sqlite"]
            ratio = (n_write + n_read) / (s_write + s_read) if outcome == "ok" else float("nan")
            print(f"{size:7g} | {n_write:10.1f}s {n_read:5.1f}s {transactions:3d} | {s_write:11.1f}s "
                  f"{s_read:5.1f}s | {ratio:5.1f} | {outcome} (load {os.getloadavg()[0]:.1f})")
            if outcome == "ok":
                largest = (size, n_write + n_read, s_write + s_read)
            del data
    if largest:
        size, neo4j_s, sqlite_s = largest
        print(f"largest value that round-trips inline: {size:g} MiB in {neo4j_s:.1f}s "
              f"(SQLite {sqlite_s:.1f}s, ratio {neo4j_s / sqlite_s:.1f})")
    else:
        print("no value round-tripped inline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
