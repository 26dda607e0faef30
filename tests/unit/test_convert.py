"""Python <-> Neo4j value conversions (``backend.convert``), without a server."""

import datetime as dt

from graphbackend.backend.convert import decode_json, encode_json, from_neo4j_time, to_neo4j_time

UTC = dt.timezone.utc


def test_naive_times_mean_utc_and_aware_ones_are_converted():
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    assert to_neo4j_time(naive) == naive.replace(tzinfo=UTC)
    paris = dt.datetime(2024, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert to_neo4j_time(paris).tzinfo == UTC
    assert to_neo4j_time(paris) == naive.replace(tzinfo=UTC)
    assert to_neo4j_time(None) is None and from_neo4j_time(None) is None
    assert from_neo4j_time(naive) == naive.replace(tzinfo=UTC)


def test_json_is_canonical():
    assert encode_json({"b": 1, "a": [1, "x"]}) == '{"a":[1,"x"],"b":1}'
    assert encode_json({"a": 1, "b": 2}) == encode_json({"b": 2, "a": 1})
    assert decode_json(encode_json({"k": [None, 1.5]})) == {"k": [None, 1.5]}
    assert decode_json(None) is None
