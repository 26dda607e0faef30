"""``graphbackend abort-stale``: a dry run changes nothing; ``--yes`` marks only the RUNNING
jobs of executions with no activity for ``--older-than`` ABORTED."""

from __future__ import annotations

import datetime as dt

import pytest

from graphbackend.cli import main as cli_main


@pytest.fixture
def runs(neo4j_env, backend, cypher):
    now = dt.datetime.now(dt.timezone.utc)
    old, recent = now - dt.timedelta(hours=3), now - dt.timedelta(minutes=5)
    # (execution, heartbeat, [(job, status, start, end)])
    setup = [
        ("killed", old, [("k1", "DONE", old, old), ("k2", "RUNNING", old, None), ("k3", "RUNNING", old, None)]),
        ("alive", recent, [("a1", "RUNNING", recent, None)]),
        # an old heartbeat but a job ended recently: a busy run, not stale
        ("busy", old, [("b1", "DONE", old, recent), ("b2", "RUNNING", recent, None)]),
        ("finished", old, [("f1", "DONE", old, old)]),
    ]
    for execution, beat, jobs in setup:
        cypher("CREATE (:Execution {id: $id, start_time: $t, updated_time: $t})", id=execution, t=beat)
        for job, status, start, end in jobs:
            cypher("CREATE (:Job {id: $id, execution_id: $e, status: $s, start_time: $start, end_time: $end, "
                   "task_name: 'stale_test.work'})", id=job, e=execution, s=status, start=start, end=end)
    return cypher


def _statuses(cypher):
    return {row["id"]: row["status"] for row in cypher("MATCH (j:Job) RETURN j.id AS id, j.status AS status")}


def test_dry_run_changes_nothing(runs, capsys):
    before = _statuses(runs)
    assert cli_main(["abort-stale"]) == 0
    out = capsys.readouterr().out
    assert "killed" in out and "2 job(s) STALE" in out
    assert "alive" not in out and "busy" not in out and "finished" not in out
    assert "Dry run" in out
    assert _statuses(runs) == before


def test_yes_marks_only_stale_jobs_aborted(runs, capsys):
    before = _statuses(runs)
    assert cli_main(["abort-stale", "--older-than", "1h", "--yes"]) == 0
    assert "Marked 2 job(s) of 1 execution(s) ABORTED" in capsys.readouterr().out
    after = _statuses(runs)
    assert after == dict(before, k2="ABORTED", k3="ABORTED")
    # a shorter threshold now also catches the run alive 5 minutes ago
    assert cli_main(["abort-stale", "--older-than", "1m"]) == 0
    out = capsys.readouterr().out
    assert "alive" in out and "killed" not in out and "busy" in out


def test_bad_duration_is_one_line(runs, capsys):
    with pytest.raises(SystemExit):
        cli_main(["abort-stale", "--older-than", "soon"])
    assert "not a duration" in capsys.readouterr().err


def test_log_shows_aborted_jobs_as_aborted(runs, capsys):
    """Once marked, `graphbackend log` shows ABORTED, not RUNNING (its status is computed)."""
    assert cli_main(["abort-stale", "--older-than", "1h", "--yes"]) == 0
    capsys.readouterr()
    assert cli_main(["log", "--job"]) == 0
    lines = {line.split()[1]: line for line in capsys.readouterr().out.splitlines() if line.startswith("Job ")}
    assert "[ABORT ]" in lines["k2"] and "[ABORT ]" in lines["k3"]
    assert "[ RUN  ]" in lines["a1"]
