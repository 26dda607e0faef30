"""``graphbackend tag add|update|rm|list`` against ``redun tag`` on the same history.

A workflow recorded by redun's own backend (SQLite) is imported into Neo4j (same ids);
then the same tag commands run through redun's CLI on the SQLite repository and through
graphbackend's on Neo4j. Tag hashes are content addresses (entity, key, value, parents),
so both stores must end with exactly the same tags, the same current ones and the same
edit history.
"""

from __future__ import annotations

import io
import json

import pytest
from redun import Scheduler, task
from redun.backends.db import Execution, Job, RedunBackendDb, Tag
from redun.cli import RedunClient

from graphbackend.cli import main as cli_main
from graphbackend.sync.transfer import import_records, open_redun_db

redun_namespace = "graphbackend_tests.tagcli"


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def pipeline(x: int) -> int:
    return double(double(x))


@pytest.fixture
def repos(neo4j_env, backend, tmp_path):
    config_dir = tmp_path / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    redun_backend = RedunBackendDb(db_uri=f"sqlite:///{config_dir}/redun.db")
    redun_backend.load(migrate=True)
    scheduler = Scheduler(backend=redun_backend)
    scheduler.run(pipeline(1))
    scheduler.run(pipeline(2), tags=[("project", "acme")])
    import_records(open_redun_db(f"sqlite:///{config_dir}/redun.db"), backend)
    session = redun_backend.session
    executions = session.query(Execution).join(Job, Job.id == Execution.job_id).order_by(Job.start_time).all()
    yield {"config_dir": str(config_dir), "redun": redun_backend, "executions": executions}
    redun_backend.session.close()


def both(repos, capsys, *argv):
    """Run ``tag ARGV`` with redun's CLI (SQLite) and graphbackend's (Neo4j); return outputs."""
    buffer = io.StringIO()
    RedunClient(stdout=buffer).execute(["redun", "-c", repos["config_dir"], "tag", *argv])
    redun_out = buffer.getvalue()
    capsys.readouterr()
    assert cli_main(["tag", *argv]) == 0
    return redun_out, capsys.readouterr().out


def sqlite_tags(repos):
    session = repos["redun"].session
    session.expire_all()
    return sorted((tag.tag_hash, bool(tag.is_current)) for tag in session.query(Tag).all())


def neo4j_tags(backend):
    rows = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (t:Tag) RETURN t.tag_hash AS h, coalesce(t.is_current, true) AS c"))
    return sorted((row["h"], bool(row["c"])) for row in rows)


def test_tag_verbs_leave_the_same_tags_as_redun(repos, backend, capsys):
    first, second = repos["executions"]
    job = first.job
    assert sqlite_tags(repos) == neo4j_tags(backend)

    redun_out, ours = both(repos, capsys, "add", first.id[:8], job.id[:8], "stage=test", "n=3")
    assert redun_out == ours  # same lines: "add tag Execution:<id> stage=\"test\" n=3"
    assert f"add tag Execution:{first.id}" in ours and f"add tag Job:{job.id}" in ours
    both(repos, capsys, "update", first.id, "stage=prod")
    both(repos, capsys, "add", second.id, "project=skunk")  # a second value for the same key
    both(repos, capsys, "update", second.id, "project=beta")  # replaces both values
    both(repos, capsys, "rm", job.id, "--", "n")  # by key
    both(repos, capsys, "rm", first.id, "n=3")  # by key and value
    both(repos, capsys, "add", first.id, "n=3")  # deleted before: recorded again as current
    assert sqlite_tags(repos) == neo4j_tags(backend)

    current = backend.get_tags([first.id, second.id, job.id])
    assert current[first.id] == {"stage": ["prod"], "n": [3]}
    assert current[second.id] == {"project": ["beta"]}
    assert current[job.id] == {"stage": ["test"]}
    # History kept: the superseded tags are still there, linked by SUPERSEDES.
    edits = backend.graph.read_tx(lambda tx: tx.run_text(
        "MATCH (:Tag)-[s:SUPERSEDES]->(:Tag) RETURN count(s) AS n"))[0]["n"]
    assert edits >= 5


def test_tag_list_counts_like_redun(repos, backend, capsys):
    first, second = repos["executions"]
    both(repos, capsys, "add", first.id, second.id, "stage=test")
    both(repos, capsys, "add", first.job.id, "stage=dev")
    redun_out, ours = both(repos, capsys, "list")
    assert ours == redun_out
    assert "(2 Execution, 1 Job)" in ours
    redun_out, ours = both(repos, capsys, "list", "--values")
    assert ours == redun_out and "stage=test" in ours and "stage=dev" in ours
    # Records carrying a tag.
    assert cli_main(["tag", "list", "stage=test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted([first.id[:8], second.id[:8]])


def test_tag_dry_run_and_bad_input_write_nothing(repos, backend, capsys):
    first, _ = repos["executions"]
    before = neo4j_tags(backend)
    assert cli_main(["tag", "add", first.id, "stage=x", "--dry-run"]) == 0
    assert f"would add tag Execution:{first.id}" in capsys.readouterr().out
    assert cli_main(["tag", "add", first.id, "zzzz-unknown", "stage=x"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "zzzz-unknown" in err
    assert cli_main(["tag", "add", first.id]) == 1
    assert "at least one key=value" in capsys.readouterr().err
    assert neo4j_tags(backend) == before
    # The latest execution by '-'.
    assert cli_main(["tag", "add", "-", "latest=yes"]) == 0
    assert f"Execution:{repos['executions'][-1].id}" in capsys.readouterr().out
    assert json.dumps(True)
