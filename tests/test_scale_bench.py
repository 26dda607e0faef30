"""The scale benchmark's tools: the history generator, its SQL writer, the import
of a generated history into Neo4j, and the floor backend. No timings asserted."""

import sys
from pathlib import Path

import pytest
from redun.backends.db import RedunBackendDb
from redun.config import create_config_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redun_repo import all_record_ids, canonical  # noqa: E402

from benchmarks.floor import FloorBench  # noqa: E402
from benchmarks.history import HistorySummary, generate_history, history_records, iter_history  # noqa: E402
from benchmarks.workloads import ChainShallow, FanOutCached  # noqa: E402
from graphbackend.sync.transfer import import_records, open_redun_db, read_redun_records  # noqa: E402


def _open(path) -> RedunBackendDb:
    backend = RedunBackendDb(config=create_config_section({"db_uri": f"sqlite:///{path}"}))
    backend.load(migrate=True)
    return backend


def _comparable(record: dict) -> str:
    record = dict(record)
    if record["_type"] == "Job":
        record["children"] = sorted(record["children"])
    if record["_type"] == "CallNode":
        record["children"] = sorted(record["children"])
    return canonical(record)


def test_history_is_reproducible_and_has_every_shape():
    summary = HistorySummary()
    units = list(iter_history(1500, seed=7, summary=summary))
    assert summary.jobs >= 1500
    assert set(summary.shapes) == {"fanout", "chain", "rerun"}
    assert 0 < summary.cached_jobs < summary.jobs and summary.files > 0
    kinds = {record["_type"] for unit in units for record in unit}
    assert kinds == {"Execution", "Job", "CallNode", "Value", "Tag"}
    assert history_records(1500, seed=7) == [record for unit in units for record in unit]
    assert history_records(1500, seed=8) != history_records(1500, seed=7)


def test_bulk_sql_writer_writes_what_redun_put_records_writes(tmp_path):
    records = history_records(800, seed=3)
    generate_history(f"sqlite:///{tmp_path / 'bulk.db'}", jobs=800, seed=3, progress=False)
    reference = _open(tmp_path / "redun.db")
    assert reference.put_records(records) == len(records)
    bulk = _open(tmp_path / "bulk.db")
    ids = all_record_ids(reference)
    assert sorted(ids) == sorted(all_record_ids(bulk))
    assert sorted(map(_comparable, bulk.get_records(ids))) == sorted(map(_comparable, reference.get_records(ids)))
    current = "SELECT tag_hash FROM tag WHERE is_current ORDER BY tag_hash"
    assert bulk.session.execute(__import__("sqlalchemy").text(current)).all() == \
        reference.session.execute(__import__("sqlalchemy").text(current)).all()
    # Writing again adds nothing.
    generate_history(f"sqlite:///{tmp_path / 'bulk.db'}", jobs=800, seed=3, progress=False)
    assert len(all_record_ids(_open(tmp_path / "bulk.db"))) == len(ids)


def test_fast_reader_reads_what_redun_get_records_reads(tmp_path):
    generate_history(f"sqlite:///{tmp_path / 'h.db'}", jobs=600, seed=1, progress=False)
    db = open_redun_db(f"sqlite:///{tmp_path / 'h.db'}")
    ids = all_record_ids(db.backend)
    ours = read_redun_records(db, ids)
    theirs = list(db.backend.get_records(ids))

    def without_job_children(records):
        return sorted(_comparable(dict(r, children=[]) if r["_type"] == "Job" else r) for r in records)

    assert without_job_children(ours) == without_job_children(theirs)
    # redun lists a job's children only among the ids of one query chunk; ours lists them all.
    jobs = [r for r in ours if r["_type"] == "Job"]
    for job in jobs:
        assert sorted(job["children"]) == sorted(j["id"] for j in jobs if j["parent_id"] == job["id"])


def test_generated_history_imports_into_neo4j_completely(tmp_path, backend):
    generate_history(f"sqlite:///{tmp_path / 'h.db'}", jobs=600, seed=2, progress=False)
    db = open_redun_db(f"sqlite:///{tmp_path / 'h.db'}")
    summary = import_records(db, backend, batch_size=300)
    ids = all_record_ids(db.backend)
    assert summary.new == len(ids)
    assert backend.graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0] == 0
    # (Expected: every job with all its children, which redun's get_records lists per chunk.)
    assert sorted(map(_comparable, backend.get_records(ids))) == \
        sorted(map(_comparable, read_redun_records(db, ids)))
    # Idempotent: a second import writes nothing.
    assert import_records(db, backend, batch_size=300).new == 0


def test_history_written_straight_into_neo4j(backend):
    summary = generate_history(backend, jobs=300, seed=4, progress=False)
    assert summary.new == summary.total_records
    assert backend.graph.read_tx(lambda tx: tx.run_text("MATCH (p:Pending) RETURN count(p)"))[0][0] == 0
    execution = summary.executions[0]
    assert execution in set(backend.iter_record_ids([execution]))


@pytest.mark.parametrize("workload", [FanOutCached(30), ChainShallow(10)])
def test_floor_backend_serves_cached_reruns(workload):
    bench = FloorBench()
    workload.setup(bench)
    sample = workload.measure(bench)  # raises BenchmarkError if any task ran again
    assert sample.counts.trips == 0
