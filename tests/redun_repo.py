"""Real redun repositories for the sync/import/export tests.

``build_repo(db_uri, value_store_path)`` runs real workflows with redun's own
``RedunBackendDb`` (SQLite or PostgreSQL): several executions, nested tasks,
Files, tags with history (update and delete), a Handle, a value large enough
to land in the value store, and a failed execution.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List

from redun import File, Handle, Scheduler, apply_tags, task
from redun.backends.base import TagEntity
from redun.backends.db import CallNode, Execution, Job, RedunBackendDb, Tag, Value
from redun.config import Config

redun_namespace = "graphbackend_tests.repo"


class Ledger(Handle):
    """A handle to an (imaginary) ledger: its state advances with each call."""

    def __init__(self, name: str, path: str):
        self.path = path


@task(tags=[("stage", "count")])
def count_words(text: str) -> int:
    return len(text.split())


@task()
def write_text(path: str, text: str) -> File:
    file = File(path)
    file.write(text)
    return file


@task()
def read_text(file: File) -> str:
    return file.read()


@task()
def big_table(n: int) -> List[int]:
    # Large enough to go to the value store (min size set low in build_repo).
    return list(range(n))


@task()
def post(ledger: Ledger, amount: int) -> Ledger:
    return ledger


@task()
def total(counts: List[int], table: List[int]) -> Dict[str, int]:
    return apply_tags({"words": sum(counts), "rows": len(table)}, [("kind", "summary"), ("release", "draft")])


@task()
def fails(x: int) -> int:
    raise ValueError(f"bad input {x}")


@task()
def main(directory: str, texts: List[str], n: int):
    files = [write_text(os.path.join(directory, f"text{i}.txt"), text) for i, text in enumerate(texts)]
    counts = [count_words(read_text(file)) for file in files]
    ledger = post(post(Ledger("ledger", os.path.join(directory, "ledger")), 1), 2)
    return {"summary": total(counts, big_table(n)), "files": files, "ledger": ledger}


@task()
def report(directory: str, texts: List[str], n: int) -> Dict[str, int]:
    """Like main without the handle (redun's records carry no Handle state)."""
    files = [write_text(os.path.join(directory, f"text{i}.txt"), text) for i, text in enumerate(texts)]
    return total([count_words(read_text(file)) for file in files], big_table(n))


def open_backend(db_uri: str, value_store_path: str) -> RedunBackendDb:
    """A loaded RedunBackendDb with a value store for values of 1000 bytes or more."""
    config = Config(
        {
            "backend": {
                "db_uri": db_uri,
                "value_store_path": value_store_path,
                "value_store_min_size": "1000",
            }
        }
    )
    backend = RedunBackendDb(config=config.get("backend"))
    backend.load(migrate=True)
    return backend


def build_repo(db_uri: str, value_store_path: str, directory: str) -> RedunBackendDb:
    """Run the test workflows into a redun database and return its backend."""
    backend = open_backend(db_uri, value_store_path)
    scheduler = Scheduler(backend=backend)
    os.makedirs(directory, exist_ok=True)
    scheduler.run(main(directory, ["a b c", "hello world"], 500), tags=[("project", "acme")])
    scheduler.run(main(directory, ["a b c", "one two three four"], 500))
    scheduler.run(report(directory, ["a b c", "hello world"], 500))
    try:
        scheduler.run(fails(3))
    except ValueError:
        pass
    session = backend.session
    first = session.query(Execution).join(Job, Job.id == Execution.job_id).order_by(Job.start_time).first()
    # Tag history: an update (project acme -> skunk) and a delete (release draft).
    backend.update_tags(TagEntity.Execution, first.id, ["project"], [("project", "skunk")])
    summary = session.query(Tag).filter(Tag.key == "release", Tag.is_current.is_(True)).first()
    backend.delete_tags(summary.entity_id, [("release", "draft")])
    return backend


def all_record_ids(backend: RedunBackendDb) -> List[str]:
    """Every record id of a redun database (executions, jobs, calls, values, tags)."""
    session = backend.session
    ids: List[str] = []
    for column in (Execution.id, Job.id, CallNode.call_hash, Value.value_hash, Tag.tag_hash):
        ids += [row[0] for row in session.query(column).all()]
    return ids


def canonical(record: dict) -> str:
    """A record as canonical JSON, for comparing records across backends."""
    return json.dumps(record, sort_keys=True)


def build_project(root) -> str:
    """A project folder ``root`` with ``.redun/`` (redun.ini, a SQLite database built by
    ``build_repo``, a value store for values of 1,000 bytes or more); returns the
    database's URI."""
    config_dir = os.path.join(str(root), ".redun")
    os.makedirs(config_dir)
    with open(os.path.join(config_dir, "redun.ini"), "w") as ini:
        ini.write("[backend]\ndb_uri = sqlite:///redun.db\nvalue_store_path = store\nvalue_store_min_size = 1000\n")
    db_uri = f"sqlite:///{config_dir}/redun.db"
    backend = build_repo(db_uri, os.path.join(config_dir, "store"), os.path.join(str(root), "files"))
    backend.session.close()
    return db_uri
