"""redun's serialized record format (``backend.sync_format``), without a server."""

import datetime as dt
from base64 import b64encode

import pytest

from graphbackend.backend import sync_format as fmt
from graphbackend.errors import RecordFormatError


def value_record(data: bytes = b"\x80\x04K\x05.", **extra) -> dict:
    record = {
        "_version": 1, "_type": "Value", "value_hash": "v1", "type": "builtins.int",
        "format": "application/python-pickle", "data": b64encode(data).decode(), "subvalues": [],
    }
    record.update(extra)
    return record


def test_record_pk_of_each_type():
    assert fmt.record_pk(value_record()) == "v1"
    assert fmt.record_pk({"_version": 1, "_type": "Job", "id": "j1"}) == "j1"
    assert fmt.record_pk({"_version": 1, "_type": "Tag", "tag_hash": "t1"}) == "t1"


@pytest.mark.parametrize(
    "record, message",
    [
        ([], "must be a dict"),
        ({"_version": 2, "_type": "Job"}, "unsupported redun record version 2"),
        ({"_version": 1, "_type": "Nope"}, "unknown redun record type 'Nope'"),
    ],
)
def test_bad_records_are_refused_clearly(record, message):
    with pytest.raises(RecordFormatError, match=message):
        fmt.check_record(record)


def test_times_round_trip_as_redun_writes_them():
    when = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone.utc)
    micros = int((when - fmt._EPOCH).total_seconds() * 1_000_000)
    text = fmt.format_micros(micros)
    assert text == "2024-05-06 07:08:09.123456+00:00"
    assert fmt.parse_time(text) == when
    assert fmt.parse_time("2024-05-06 07:08:09.123456") == when  # naive means UTC
    assert fmt.parse_time(None) is None and fmt.format_micros(None) is None


@pytest.mark.parametrize(
    "result_type, end_time, cached, status",
    [
        ("redun.ErrorValue", "t", False, "FAILED"),
        ("builtins.int", None, False, "RUNNING"),
        ("builtins.int", "t", True, "CACHED"),
        ("builtins.int", "t", False, "DONE"),
    ],
)
def test_job_status_as_redun_computes_it(result_type, end_time, cached, status):
    assert fmt.job_status(result_type, end_time, cached) == status


def test_value_record_to_rows_with_preview():
    seen = []

    def preview(type_name, format, data):
        seen.append((type_name, format, data))
        return "5"

    kind, row, edges = fmt.record_to_rows(value_record(), preview=preview)
    assert kind == "Value"
    assert row["value_hash"] == "v1"
    assert seen == [("builtins.int", "application/python-pickle", b"\x80\x04K\x05.")]
    assert edges == []


def test_chunked():
    assert list(fmt.chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(fmt.chunked([], 3)) == []
