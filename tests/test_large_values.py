"""Values above the inline limit: to the value store, or a clear error at once.

A 400 MB value (under redun's 1 GB ``max_value_size``, no value store) used to fail
after 160 s with "cannot reach Neo4j ... Is the server running?": its one Bolt
message did not reach the server within the driver's write timeout, and the
driver retried. Now a value whose serialization exceeds ``max_inline_value_size``
goes to the value store, or is refused before anything is written. The tests use
a small limit (the real default is 128 MiB; ``benchmarks/large_values.py``
measures the sizes that round-trip).
"""

from __future__ import annotations

import pytest
from redun import Scheduler, task
from redun.config import create_config_section
from redun.value import get_type_registry

from graphbackend.backend.values import DEFAULT_MAX_INLINE_VALUE_SIZE
from graphbackend.errors import ValueTooLargeError

LIMIT = 1000
BIG = b"B" * 5000
SMALL = b"s" * 100


def serialized_size(value) -> int:
    return len(get_type_registry().serialize(value))


def value_nodes(cypher) -> int:
    return cypher.one("MATCH (v:Value) RETURN count(v)")


def test_above_the_inline_limit_without_a_store_fails_at_once_and_writes_nothing(make_backend, cypher):
    limited = make_backend(max_inline_value_size=LIMIT)
    transactions = limited.graph.transactions
    with pytest.raises(ValueTooLargeError) as info:
        limited.record_value(BIG)
    message = str(info.value)
    assert f"{serialized_size(BIG)} bytes" in message
    assert f"max_inline_value_size ({LIMIT} bytes)" in message
    assert "value_store_path" in message and "nothing was recorded" in message
    assert "cannot reach" not in message
    assert limited.graph.transactions == transactions  # not one round trip: no retries
    assert value_nodes(cypher) == 0
    # At the limit and below, values are stored inline as before.
    assert limited.get_value(limited.record_value(SMALL)) == (SMALL, True)


def test_a_run_returning_a_too_large_value_fails_with_the_limit(make_backend, cypher):
    limited = make_backend(max_inline_value_size=LIMIT)

    @task(namespace="graphbackend.tests.large_values")
    def big(n: int) -> bytes:
        return b"R" * n

    with pytest.raises(ValueTooLargeError, match=r"above max_inline_value_size \(1000 bytes\)"):
        Scheduler(backend=limited).run(big(5000))
    result_hash = get_type_registry().get_hash(b"R" * 5000)
    assert cypher.one("MATCH (v:Value {value_hash: $h}) RETURN count(v)", h=result_hash) == 0


def test_above_the_inline_limit_with_a_store_goes_to_the_store(make_backend, cypher, tmp_path):
    # value_store_min_size far above: only the inline limit sends BIG to the store.
    stored = make_backend(max_inline_value_size=LIMIT, value_store_path=str(tmp_path / "values"),
                          value_store_min_size=10**9)
    big_hash = stored.record_value(BIG)
    small_hash = stored.record_value(SMALL)
    rows = {
        row["hash"]: (row["in_store"], row["inline"])
        for row in cypher("MATCH (v:Value) RETURN v.value_hash AS hash, v.in_value_store AS in_store, "
                          "size(v.value) AS inline")
    }
    assert rows[big_hash] == (True, 0)
    assert rows[small_hash] == (False, serialized_size(SMALL))
    assert stored.value_store is not None and stored.value_store.has(big_hash)
    assert not stored.value_store.has(small_hash)
    # Another client with the same store reads it back.
    reader = make_backend(value_store_path=str(tmp_path / "values"))
    assert reader.get_value(big_hash) == (BIG, True)


def test_the_inline_limit_comes_from_redun_ini_or_the_constructor(make_backend):
    from_config = make_backend(config=create_config_section({"max_inline_value_size": str(LIMIT)}))
    with pytest.raises(ValueTooLargeError, match=r"max_inline_value_size \(1000 bytes\)"):
        from_config.record_value(BIG)
    # The argument wins over the config; the default is far above BIG.
    overridden = make_backend(config=create_config_section({"max_inline_value_size": str(LIMIT)}),
                              max_inline_value_size=10 * LIMIT)
    assert overridden.get_value(overridden.record_value(BIG)) == (BIG, True)
    assert DEFAULT_MAX_INLINE_VALUE_SIZE == 128 * 1024 * 1024
    default = make_backend()
    assert default.get_value(default.record_value(BIG)) == (BIG, True)
